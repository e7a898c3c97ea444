//! Serde helpers specific to YCM; numbers-or-strings ids use `yeastar_transport::lenient`.

use serde::Deserialize;
use serde::de::Deserializer;

/// A list where `null` means empty.
pub(crate) fn vec_or_null<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yeastar_transport::lenient::opt_u64;

    #[derive(Debug, serde::Deserialize)]
    struct Ids {
        #[serde(default, deserialize_with = "opt_u64")]
        id: Option<u64>,
        #[serde(default, deserialize_with = "vec_or_null")]
        list: Vec<u32>,
    }

    fn ids(json: &str) -> Result<Ids, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn ids_are_numbers_or_numeric_strings() {
        assert_eq!(ids(r#"{"id":13329}"#).unwrap().id, Some(13329));
        assert_eq!(ids(r#"{"id":"13329"}"#).unwrap().id, Some(13329));
        assert_eq!(
            ids(r#"{"id":" 17896360390850257349 "}"#).unwrap().id,
            Some(17896360390850257349)
        );
        assert_eq!(ids(r#"{"id":13329.0}"#).unwrap().id, Some(13329));
        assert_eq!(ids(r#"{"id":null}"#).unwrap().id, None);
        assert_eq!(ids(r#"{"id":""}"#).unwrap().id, None);
        assert_eq!(ids(r#"{}"#).unwrap().id, None);
        assert!(ids(r#"{"id":"abc"}"#).is_err());
        assert!(ids(r#"{"id":-1}"#).is_err());
        assert_eq!(ids(r#"{"list":null}"#).unwrap().list, Vec::<u32>::new());
        assert_eq!(ids(r#"{"list":[1,2]}"#).unwrap().list, vec![1, 2]);
    }
}
