//! The user's face image, sent as `imageBase64`.

use std::fmt;
use std::str::FromStr;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use yeastar_transport::{Error, Result};

/// The largest image accepted: 2 MiB of image bytes (before Base64).
///
/// Yeastar documents no limit for `imageBase64`; this cap is the SDK's own, to keep request
/// bodies reasonable and to catch a wrong file early. Use [`Image::from_data_url_unchecked`]
/// to send something else anyway.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The image formats accepted, recognised by their magic bytes.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    /// PNG (`\x89PNG`), sent as `data:image/png;base64,…` as in the Yeastar example.
    Png,
    /// JPEG (`FF D8 FF`), sent as `data:image/jpeg;base64,…`.
    Jpeg,
}

impl ImageFormat {
    /// The MIME type (`image/png`, `image/jpeg`).
    pub fn mime_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }

    /// The format of `bytes`, from their first bytes.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageFormat::Jpeg)
        } else {
            None
        }
    }

    fn from_mime(mime: &str) -> Option<Self> {
        match mime.to_ascii_lowercase().as_str() {
            "image/png" => Some(ImageFormat::Png),
            "image/jpeg" | "image/jpg" => Some(ImageFormat::Jpeg),
            _ => None,
        }
    }
}

/// A face image for `imageBase64`: a data URL such as `data:image/png;base64,iVBORw0KGgo…`,
/// the form the Yeastar example uses.
///
/// [`Image::from_bytes`] checks the format by magic bytes (PNG or JPEG) and the size
/// ([`MAX_IMAGE_BYTES`]) and encodes the data URL. A data URL read back with
/// [`Image::from_data_url`] (or [`FromStr`], or serde) is checked the same way and kept
/// verbatim, so it is sent back exactly as it was read.
///
/// ```
/// use yeastar_workplace::{Image, ImageFormat};
/// let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
/// let image = Image::from_bytes(png)?;
/// assert_eq!(image.format(), Some(ImageFormat::Png));
/// assert_eq!(image.as_data_url(), "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==");
/// assert_eq!(Image::from_data_url(image.as_data_url())?, image);
/// assert!(Image::from_bytes(b"GIF89a").is_err());
/// # Ok::<(), yeastar_workplace::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    data_url: String,
    format: Option<ImageFormat>,
}

const FIELD: &str = "imageBase64";

impl Image {
    /// Encodes image bytes, checking the format (PNG or JPEG) and the size.
    pub fn from_bytes(bytes: impl AsRef<[u8]>) -> Result<Self> {
        let bytes = bytes.as_ref();
        let format = check(bytes)?;
        Ok(Self {
            data_url: format!("data:{};base64,{}", format.mime_type(), STANDARD.encode(bytes)),
            format: Some(format),
        })
    }

    /// Reads a data URL (`data:image/png;base64,…` or `data:image/jpeg;base64,…`), checking
    /// that it decodes, that the bytes are of the declared format and within
    /// [`MAX_IMAGE_BYTES`]. The string is kept verbatim.
    pub fn from_data_url(data_url: impl Into<String>) -> Result<Self> {
        let data_url = data_url.into();
        let (header, payload) = data_url
            .strip_prefix("data:")
            .and_then(|rest| rest.split_once(','))
            .ok_or_else(|| Error::invalid_input(FIELD, "not a data URL (data:image/png;base64,…)"))?;
        let mime = header
            .strip_suffix(";base64")
            .ok_or_else(|| Error::invalid_input(FIELD, "the data URL is not Base64-encoded"))?;
        let declared = ImageFormat::from_mime(mime)
            .ok_or_else(|| Error::invalid_input(FIELD, format!("unsupported image type {mime:?} (PNG or JPEG)")))?;
        // Base64 of MAX_IMAGE_BYTES bytes is 4/3 as long; refuse before decoding.
        if payload.len() > MAX_IMAGE_BYTES.div_ceil(3) * 4 {
            return Err(too_large());
        }
        let bytes = STANDARD
            .decode(payload)
            .map_err(|e| Error::invalid_input(FIELD, format!("invalid Base64: {e}")))?;
        let actual = check(&bytes)?;
        if actual != declared {
            return Err(Error::invalid_input(
                FIELD,
                format!(
                    "declared {} but the bytes are {}",
                    declared.mime_type(),
                    actual.mime_type()
                ),
            ));
        }
        Ok(Self {
            data_url,
            format: Some(actual),
        })
    }

    /// Takes `value` as is, without any check: for values prepared elsewhere (or the redacted
    /// example string of the Yeastar docs, which is not valid Base64).
    pub fn from_data_url_unchecked(value: impl Into<String>) -> Self {
        Self {
            data_url: value.into(),
            format: None,
        }
    }

    /// The data URL, as sent.
    pub fn as_data_url(&self) -> &str {
        &self.data_url
    }

    /// The checked format (`None` for [`Image::from_data_url_unchecked`]).
    pub fn format(&self) -> Option<ImageFormat> {
        self.format
    }
}

fn too_large() -> Error {
    Error::invalid_input(
        FIELD,
        format!("the image is larger than {MAX_IMAGE_BYTES} bytes (the SDK's cap)"),
    )
}

fn check(bytes: &[u8]) -> Result<ImageFormat> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(too_large());
    }
    ImageFormat::detect(bytes).ok_or_else(|| Error::invalid_input(FIELD, "not a PNG or JPEG image"))
}

impl fmt::Debug for Image {
    // The Base64 can be megabytes long: show its size, not its content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Image")
            .field("format", &self.format)
            .field("data_url_len", &self.data_url.len())
            .finish()
    }
}

impl FromStr for Image {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::from_data_url(s)
    }
}

impl Serialize for Image {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.data_url)
    }
}

impl<'de> Deserialize<'de> for Image {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_data_url(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";
    const JPEG: &[u8] = b"\xff\xd8\xff\xe0\0\x10JFIF\0";

    #[test]
    fn bytes_are_checked_and_encoded() {
        let png = Image::from_bytes(PNG).unwrap();
        assert!(png.as_data_url().starts_with("data:image/png;base64,iVBORw0KGgo"));
        let jpeg = Image::from_bytes(JPEG).unwrap();
        assert!(jpeg.as_data_url().starts_with("data:image/jpeg;base64,/9j/"));
        assert_eq!(jpeg.format(), Some(ImageFormat::Jpeg));
        for bad in [&b""[..], b"hello", b"GIF89a\x01\0", b"<svg/>"] {
            let err = Image::from_bytes(bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "imageBase64"),
                "{err}"
            );
        }
    }

    #[test]
    fn size_is_capped() {
        let mut big = PNG.to_vec();
        big.resize(MAX_IMAGE_BYTES, 0);
        assert!(Image::from_bytes(&big).is_ok());
        big.push(0);
        let err = Image::from_bytes(&big).unwrap_err();
        assert!(err.to_string().contains("larger than"), "{err}");
        let url = format!("data:image/png;base64,{}", STANDARD.encode(&big));
        assert!(
            Image::from_data_url(url)
                .unwrap_err()
                .to_string()
                .contains("larger than")
        );
    }

    #[test]
    fn data_urls_round_trip() {
        for bytes in [PNG, JPEG] {
            let image = Image::from_bytes(bytes).unwrap();
            let back = Image::from_data_url(image.as_data_url()).unwrap();
            assert_eq!(back, image);
            let json = serde_json::to_string(&image).unwrap();
            let again: Image = serde_json::from_str(&json).unwrap();
            assert_eq!(again.as_data_url(), image.as_data_url());
        }
        // `image/jpg` is read and kept verbatim.
        let jpg = format!("data:image/jpg;base64,{}", STANDARD.encode(JPEG));
        assert_eq!(jpg.parse::<Image>().unwrap().as_data_url(), jpg);
    }

    #[test]
    fn bad_data_urls_are_refused() {
        let png64 = STANDARD.encode(PNG);
        for bad in [
            png64.clone(),
            format!("data:image/png,{png64}"),
            format!("data:image/gif;base64,{png64}"),
            format!("data:image/jpeg;base64,{png64}"),
            "data:image/png;base64,@@@".to_owned(),
            // The redacted string of the Yeastar example is not valid Base64.
            "data:image/png;base64,iVBORw0Kxxxxxxxxxx+ny1BosNNgvBhn1jkKM65fc8EIkWK0iZx6u4pHHi0widJ5f/h4uGkwkr0HHedD/PwCOHV4VyXitAAAAAABJRU5ErkJggg==".to_owned(),
        ] {
            assert!(Image::from_data_url(bad.clone()).is_err(), "{bad}");
        }
        let raw = Image::from_data_url_unchecked("anything");
        assert_eq!((raw.as_data_url(), raw.format()), ("anything", None));
    }

    #[test]
    fn debug_does_not_dump_the_image() {
        let image = Image::from_bytes(PNG).unwrap();
        assert!(!format!("{image:?}").contains("iVBOR"));
    }
}
