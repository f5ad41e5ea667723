//! Value limits of the official schema (R25) for the hunt group fields, and the validated types
//! that carry them: a command field of type [`ServiceInstanceProfileName`] can only hold a valid
//! name, so the gateway (which builds commands), bulk (through the gateway's builder) and the
//! simulator (which decodes them) all check through the same type. Lengths count characters of
//! the whitespace-collapsed token.

/// Inclusive `(min, max)` of a length or a number.
pub type Bounds = (i64, i64);

/// `ServiceProviderId`, `GroupId`.
pub const ENTITY_ID: Bounds = (1, 30);
/// `UserId` (service user ids and agents): `user@domain`.
pub const USER_ID: Bounds = (1, 161);
/// `ServiceInstanceProfileName`, `CallingLineIdLastName`/`FirstName`, hiragana names.
pub const PROFILE_NAME: Bounds = (1, 30);
/// `DN`: a phone number.
pub const DN: Bounds = (1, 23);
/// `OutgoingDN`: forward-to number.
pub const OUTGOING_DN: Bounds = (1, 30);
/// `OutgoingDNorSIPURI`, `SIPURI`: aliases, public identity, not-reachable forward.
pub const SIP_URI: Bounds = (1, 161);
/// `Extension17`.
pub const EXTENSION: Bounds = (2, 20);
/// `Password`.
pub const PASSWORD: Bounds = (1, 60);
/// `Language`.
pub const LANGUAGE: Bounds = (1, 40);
/// `TimeZone`.
pub const TIME_ZONE: Bounds = (1, 127);
/// `NetworkClassOfServiceName`.
pub const NETWORK_CLASS_OF_SERVICE: Bounds = (1, 40);
/// `DepartmentName`.
pub const DEPARTMENT_NAME: Bounds = (1, 50);
/// `HuntNoAnswerRings`.
pub const NO_ANSWER_RINGS: Bounds = (1, 20);
/// `HuntForwardTimeoutSeconds`.
pub const FORWARD_TIMEOUT_SECONDS: Bounds = (0, 7200);
/// `HuntWeight`.
pub const WEIGHT: Bounds = (0, 100);
/// `ResponseSizeLimit`: most rows a list request asks for.
pub const RESPONSE_SIZE_LIMIT: Bounds = (1, i32::MAX as i64);
/// Most SIP aliases a service instance may have.
pub const MAX_ALIASES: usize = 3;
/// Most agents ocigw sends for one hunt group. The schema leaves `agentUserId` unbounded; this
/// is ocigw's own bound, far above what a hunt group is used with, so a request cannot make the
/// gateway build and send an arbitrarily large command.
pub const MAX_AGENTS: usize = 1000;

/// A text value of a schema simple type with length bounds.
pub trait OciText: Sized {
    /// The schema type's name.
    const SCHEMA_TYPE: &'static str;
    /// Inclusive length bounds.
    const BOUNDS: Bounds;
    /// Wraps a value already checked.
    fn from_checked(value: String) -> Self;
    /// The value.
    fn as_str(&self) -> &str;

    /// Checks `value` (trimmed) against the bounds; the error says what is wrong, without a
    /// field name (callers name the field as their user wrote it).
    fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        length_within(value, Self::BOUNDS)?;
        Ok(Self::from_checked(value.to_owned()))
    }
}

/// An integer value of a schema simple type with a range.
pub trait OciInt: Sized {
    /// The schema type's name.
    const SCHEMA_TYPE: &'static str;
    /// Inclusive range.
    const BOUNDS: Bounds;
    /// Wraps a value already checked.
    fn from_checked(value: i32) -> Self;
    /// The value.
    fn get(&self) -> i32;

    /// Checks `value` against the range; the error says what is wrong, without a field name.
    fn parse(value: i32) -> Result<Self, String> {
        within(value, Self::BOUNDS)?;
        Ok(Self::from_checked(value))
    }
}

/// Declares a validated text type of the schema: written as its text, read (by the simulator,
/// or from any answer) only when within its bounds.
macro_rules! oci_text {
    ($( $(#[$meta:meta])* $name:ident = $schema:literal, $bounds:expr; )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name(String);

        impl OciText for $name {
            const SCHEMA_TYPE: &'static str = $schema;
            const BOUNDS: Bounds = $bounds;
            fn from_checked(value: String) -> Self {
                Self(value)
            }
            fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl $name {
            /// The text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl TryFrom<&str> for $name {
            type Error = String;
            /// Checks the value, as [`OciText::parse`].
            fn try_from(value: &str) -> Result<Self, String> {
                <Self as OciText>::parse(value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl $crate::ocip::value::OciElement for $name {
            fn write_element<W: $crate::ocip::xml::ElementSink>(&self, w: &mut W, name: &str) {
                w.leaf(name, &self.0);
            }
            fn read_element(
                e: $crate::ocip::value::Node<'_, '_>,
            ) -> Result<Self, $crate::ocip::error::DecodeError> {
                $crate::ocip::value::read_text(e, Self::from_text)
            }
            const FROM_TEXT: Option<$crate::ocip::value::FromText<Self>> = Some(Self::from_text);
        }

        impl $name {
            /// The value of an element whose text is `text`, checked against the schema's limits.
            fn from_text(text: &str) -> Result<Self, $crate::ocip::error::DecodeError> {
                <Self as OciText>::parse(text).map_err(|m| {
                    $crate::ocip::error::DecodeError::new(format!("{} {m}", $schema))
                })
            }
        }
    )*};
}

/// Declares a validated integer type of the schema, like [`oci_text!`].
macro_rules! oci_int {
    ($( $(#[$meta:meta])* $name:ident = $schema:literal, $bounds:expr; )*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name(i32);

        impl OciInt for $name {
            const SCHEMA_TYPE: &'static str = $schema;
            const BOUNDS: Bounds = $bounds;
            fn from_checked(value: i32) -> Self {
                Self(value)
            }
            fn get(&self) -> i32 {
                self.0
            }
        }

        impl $name {
            /// A value written in the source, checked at compile time when used in a `const`
            /// context (as the defaults of `hunt_group_options!` are).
            pub const fn of(value: i32) -> Self {
                let (min, max) = $bounds;
                assert!(value as i64 >= min && value as i64 <= max, "out of the schema's range");
                Self(value)
            }
        }

        impl From<$name> for i32 {
            fn from(value: $name) -> i32 {
                value.0
            }
        }

        impl TryFrom<i32> for $name {
            type Error = String;
            /// Checks the value, as [`OciInt::parse`].
            fn try_from(value: i32) -> Result<Self, String> {
                <Self as OciInt>::parse(value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i32(self.0)
            }
        }

        impl $crate::ocip::value::OciElement for $name {
            fn write_element<W: $crate::ocip::xml::ElementSink>(&self, w: &mut W, name: &str) {
                <i32 as $crate::ocip::value::OciElement>::write_element(&self.0, w, name);
            }
            fn read_element(
                e: $crate::ocip::value::Node<'_, '_>,
            ) -> Result<Self, $crate::ocip::error::DecodeError> {
                $crate::ocip::value::read_text(e, Self::from_text)
            }
            const FROM_TEXT: Option<$crate::ocip::value::FromText<Self>> = Some(Self::from_text);
        }

        impl $name {
            /// The value of an element whose text is `text`: an integer within the schema's
            /// limits.
            fn from_text(text: &str) -> Result<Self, $crate::ocip::error::DecodeError> {
                let value: i32 = $crate::ocip::value::int_of(text)?;
                <Self as OciInt>::parse(value).map_err(|m| {
                    $crate::ocip::error::DecodeError::new(format!("{} {m}", $schema))
                })
            }
        }
    )*};
}

oci_text! {
    /// `ServiceInstanceProfileName`.
    ServiceInstanceProfileName = "ServiceInstanceProfileName", PROFILE_NAME;
    /// `CallingLineIdLastName`.
    CallingLineIdLastName = "CallingLineIdLastName", PROFILE_NAME;
    /// `CallingLineIdFirstName`.
    CallingLineIdFirstName = "CallingLineIdFirstName", PROFILE_NAME;
    /// `HiraganaLastName`.
    HiraganaLastName = "HiraganaLastName", PROFILE_NAME;
    /// `HiraganaFirstName`.
    HiraganaFirstName = "HiraganaFirstName", PROFILE_NAME;
    /// `ServiceProviderId`: a service provider (enterprise) id.
    ServiceProviderId = "ServiceProviderId", ENTITY_ID;
    /// `GroupId`.
    GroupId = "GroupId", ENTITY_ID;
    /// `UserId`: a user or service user id, `user@domain`.
    UserId = "UserId", USER_ID;
    /// `Password`: a voice portal password.
    Password = "Password", PASSWORD;
    /// `DepartmentName`.
    DepartmentName = "DepartmentName", DEPARTMENT_NAME;
    /// `DN`: a phone number as BroadWorks writes it (`+32-25126778`).
    Dn = "DN", DN;
    /// `Extension17`.
    Extension17 = "Extension17", EXTENSION;
    /// `Language`.
    Language = "Language", LANGUAGE;
    /// `TimeZone`.
    TimeZone = "TimeZone", TIME_ZONE;
    /// `SIPURI`: an alias or a public user identity.
    SipUri = "SIPURI", SIP_URI;
    /// `OutgoingDN`: the forward-to number (a SIP URI too, within 30 characters).
    OutgoingDn = "OutgoingDN", OUTGOING_DN;
    /// `OutgoingDNorSIPURI`: the not-reachable destination.
    OutgoingDnOrSipUri = "OutgoingDNorSIPURI", SIP_URI;
    /// `NetworkClassOfServiceName`.
    NetworkClassOfServiceName = "NetworkClassOfServiceName", NETWORK_CLASS_OF_SERVICE;
}

oci_int! {
    /// `HuntNoAnswerRings`.
    HuntNoAnswerRings = "HuntNoAnswerRings", NO_ANSWER_RINGS;
    /// `HuntForwardTimeoutSeconds`.
    HuntForwardTimeoutSeconds = "HuntForwardTimeoutSeconds", FORWARD_TIMEOUT_SECONDS;
    /// `HuntWeight`.
    HuntWeight = "HuntWeight", WEIGHT;
}

/// The length rule of every text type: characters of the whitespace-collapsed token.
fn length_within(value: &str, (min, max): Bounds) -> Result<(), String> {
    let len = collapsed_len(value);
    if len < min || len > max {
        return Err(format!("length {len} is outside {min}..{max} characters"));
    }
    Ok(())
}

/// The characters of `value`'s whitespace-collapsed token, counted without building it.
fn collapsed_len(value: &str) -> i64 {
    // Nearly every value is printable ASCII with single spaces between words: then the token
    // is the text itself, and its length its byte count.
    let mut after_space = true;
    let plain = value.bytes().all(|b| match b {
        b' ' => !std::mem::replace(&mut after_space, true),
        0x21..=0x7E => {
            after_space = false;
            true
        }
        _ => false,
    });
    if plain && (!after_space || value.is_empty()) {
        return value.len() as i64;
    }
    // Otherwise each word's characters, plus one space between words.
    let (words, chars) = value.split_whitespace().fold((0i64, 0i64), |(w, c), word| {
        (w + 1, c + word.chars().count() as i64)
    });
    chars + (words - 1).max(0)
}

/// The range rule of every integer type.
fn within(value: i32, (min, max): Bounds) -> Result<(), String> {
    if i64::from(value) < min || i64::from(value) > max {
        return Err(format!("{value} is outside {min}..{max}"));
    }
    Ok(())
}

/// A typed optional value as the plain text a response or a store keeps.
pub fn plain<T: Into<String>>(value: Option<T>) -> Option<String> {
    value.map(Into::into)
}

/// Checks a token's length; the error names the element and the allowed range.
pub fn check_len(element: &str, value: &str, bounds: Bounds) -> Result<(), String> {
    length_within(value, bounds).map_err(|m| format!("{element}: {m}"))
}

/// Checks a number's range; the error names the element and the allowed range.
pub fn check_range(element: &str, value: i32, bounds: Bounds) -> Result<(), String> {
    within(value, bounds).map_err(|m| format!("{element}: {m}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_ranges() {
        assert!(check_len("name", "Sales", PROFILE_NAME).is_ok());
        assert_eq!(
            check_len("name", &"x".repeat(31), PROFILE_NAME).unwrap_err(),
            "name: length 31 is outside 1..30 characters"
        );
        assert!(check_len("name", "セールス", PROFILE_NAME).is_ok());
        // The whitespace-collapsed token: runs of spaces count once, the ends not at all.
        assert!(check_len(
            "name",
            &format!("  {}   {}  ", "x".repeat(14), "y".repeat(15)),
            PROFILE_NAME
        )
        .is_ok());
        assert_eq!(
            check_len(
                "name",
                &format!(" {}\t\n {} ", "x".repeat(15), "y".repeat(15)),
                PROFILE_NAME
            )
            .unwrap_err(),
            "name: length 31 is outside 1..30 characters"
        );
        assert_eq!(
            check_len("name", " \t ", PROFILE_NAME).unwrap_err(),
            "name: length 0 is outside 1..30 characters"
        );
        assert!(check_range("noAnswerNumberOfRings", 20, NO_ANSWER_RINGS).is_ok());
        assert_eq!(
            check_range("noAnswerNumberOfRings", 21, NO_ANSWER_RINGS).unwrap_err(),
            "noAnswerNumberOfRings: 21 is outside 1..20"
        );
    }

    #[test]
    fn the_plain_count_is_the_collapsed_tokens_length() {
        let collapsed = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ");
        for value in [
            "",
            " ",
            "a",
            "Sales",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\tb",
            "a\nb",
            "a\u{a0}b",
            "x~y",
            "\u{7f}",
            "é",
            "セールス",
            "a b c",
            "  ",
            "a \u{3000} b",
        ] {
            assert_eq!(
                collapsed_len(value),
                collapsed(value).chars().count() as i64,
                "{value:?}"
            );
        }
    }
}
