//! `api_enum!`: string enums of the Yeastar APIs with a forward-compatible `Unknown(String)`.

/// Defines an API string enum: the listed variants, an `Unknown(String)` fallback that keeps
/// values this SDK version does not know, `as_str`, `Display`, `From<&str>`/`From<String>`, and a
/// serde round trip through the API string. Deserialising never fails: a non-string JSON value
/// becomes `Unknown` with its JSON text. Aliases (`Variant => "wire" | "alias"`) are read but
/// never written.
///
/// ```
/// yeastar_transport::api_enum! {
///     /// A user type.
///     pub enum UserType {
///         /// `Reseller`.
///         Reseller => "Reseller",
///         /// `My Colleague`.
///         MyColleague => "My Colleague" | "MyColleague",
///     }
/// }
/// assert_eq!(UserType::from("My Colleague"), UserType::MyColleague);
/// assert_eq!(UserType::from("MyColleague").as_str(), "My Colleague");
/// assert_eq!(UserType::from("Partner"), UserType::Unknown("Partner".into()));
/// let json = serde_json::to_string(&UserType::Reseller).unwrap();
/// assert_eq!(json, "\"Reseller\"");
/// assert_eq!(serde_json::from_str::<UserType>("7").unwrap(), UserType::Unknown("7".into()));
/// ```
#[macro_export]
macro_rules! api_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept verbatim. Do not send it
            /// unless it came from the API.
            Unknown(::std::string::String),
        }

        impl $name {
            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(s) => s,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $( $wire $(| $alias)* => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                match $name::from(s.as_str()) {
                    $name::Unknown(_) => $name::Unknown(s),
                    known => known,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok($name::from(s))
            }
        }

        impl $crate::reexports::serde::Serialize for $name {
            fn serialize<S: $crate::reexports::serde::Serializer>(
                &self,
                s: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::reexports::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::reexports::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                $crate::api_enum::deserialize_api_string(d).map($name::from)
            }
        }
    };
}

/// Reads a string, or the JSON text of a number or boolean (for `api_enum!`).
#[doc(hidden)]
pub fn deserialize_api_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
            Ok(v)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}

/// Builder setters for optional request fields, one style for every product: each
/// `name: Type => "apiName"` becomes `pub fn name(mut self, value: impl Into<Type>) -> Self`
/// storing `Some(value.into())`, documented with the API's field name; `name = Type` (for
/// numbers, so that a literal such as `50` needs no suffix) takes `value: Type`. With
/// `on field;` first, the values go into `self.field` (a request's body struct).
///
/// ```
/// #[derive(Default)]
/// pub struct Body { first_name: Option<String>, age: Option<u32> }
/// #[derive(Default)]
/// pub struct UpdateThing { body: Body }
/// impl UpdateThing {
///     yeastar_transport::setters! {
///         on body;
///         first_name: String => "firstName",
///         age = u32 => "age",
///     }
/// }
/// let u = UpdateThing::default().first_name("Ada").age(36);
/// assert_eq!(u.body.first_name.as_deref(), Some("Ada"));
/// ```
#[macro_export]
macro_rules! setters {
    (on $target:ident; $($rest:tt)*) => {
        $crate::setters!(@items [$target] $($rest)*);
    };
    (@items [$($target:ident)?]) => {};
    (@items [$($target:ident)?] $(#[$meta:meta])* $name:ident : $ty:ty => $wire:literal $(, $($rest:tt)*)?) => {
        #[doc = concat!("Sets `", $wire, "`.")]
        $(#[$meta])*
        pub fn $name(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
            self.$($target.)?$name = ::std::option::Option::Some(value.into());
            self
        }
        $crate::setters!(@items [$($target)?] $($($rest)*)?);
    };
    (@items [$($target:ident)?] $(#[$meta:meta])* $name:ident = $ty:ty => $wire:literal $(, $($rest:tt)*)?) => {
        #[doc = concat!("Sets `", $wire, "`.")]
        $(#[$meta])*
        pub fn $name(mut self, value: $ty) -> Self {
            self.$($target.)?$name = ::std::option::Option::Some(value);
            self
        }
        $crate::setters!(@items [$($target)?] $($($rest)*)?);
    };
    ($($rest:tt)+) => {
        $crate::setters!(@items [] $($rest)+);
    };
}
