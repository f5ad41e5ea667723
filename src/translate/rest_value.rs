//! How a validated schema type appears in the REST API: its JSON type (whose JSON Schema carries
//! the schema type's limits), how a REST value becomes the typed value (numbers given in E.164 or
//! national form become BroadWorks's `+CC-NNNN`) and how the typed value is shown (E.164).
//!
//! The hunt group's options (`hunt_group_options!`) are converted through this trait only, so a
//! new option of an existing type needs nothing here.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ocip::commands::limits::{
    HuntForwardTimeoutSeconds, HuntNoAnswerRings, NetworkClassOfServiceName, OciInt, OciText,
    OutgoingDn, OutgoingDnOrSipUri,
};
use crate::ocip::commands::HuntPolicy;
use crate::ocip::value::Nillable;
use crate::translate::numbers::{to_broadworks, to_e164};
use crate::translate::FieldError;

/// A validated type as the REST API carries it.
pub trait RestValue: Sized {
    /// The JSON form, on input and on output (absent optional values show as its default).
    type Json: Serialize + DeserializeOwned + JsonSchema + Default + Clone + fmt::Debug;

    /// The typed value of a REST value; the error names `field` as the request wrote it.
    fn from_rest(field: &str, json: &Self::Json) -> Result<Self, FieldError>;

    /// The REST value of a typed value.
    fn to_rest(&self) -> Self::Json;

    /// Whether a REST value means "nothing" (an empty text, as GET answers show an absent one).
    fn is_blank(_json: &Self::Json) -> bool {
        false
    }
}

/// A value of the schema type `T` (inferred from the command field it fills), checked by that
/// type; the error names `field` as the request wrote it.
pub fn typed<T: OciText>(field: &str, value: &str) -> Result<T, FieldError> {
    T::parse(value).map_err(|m| FieldError::new(field, format!("{field}: {m}")))
}

/// An integer of the schema type `T`, checked by that type.
pub fn typed_int<T: OciInt>(field: &str, value: i32) -> Result<T, FieldError> {
    T::parse(value).map_err(|m| FieldError::new(field, format!("{field}: {m}")))
}

/// A phone number given in E.164 or national form, as BroadWorks writes it (`+CC-NNNN`).
pub fn number<T: OciText>(field: &str, value: &str) -> Result<T, FieldError> {
    let n = to_broadworks(value).map_err(|m| FieldError::new(field, m))?;
    typed(field, &n)
}

/// A forward destination: an E.164 number (sent as `+CC-NNNN`) or a SIP URI as written, within
/// its schema type.
fn forward_number<T: OciText>(field: &str, value: &str) -> Result<T, FieldError> {
    if value.contains('@') || value.starts_with("sip:") {
        return typed(field, value);
    }
    number(field, value)
}

/// A forward destination on output: numbers in E.164, SIP URIs as they are.
fn forward_out(value: &str) -> String {
    if value.starts_with('+') {
        to_e164(value, None)
    } else {
        value.to_owned()
    }
}

impl RestValue for bool {
    type Json = bool;
    fn from_rest(_: &str, json: &bool) -> Result<Self, FieldError> {
        Ok(*json)
    }
    fn to_rest(&self) -> bool {
        *self
    }
}

/// A value of the schema type `T` in JSON, carried as `R` (a `String` or an `i32`): what `R`
/// is on the wire, with `T`'s limits in its JSON Schema. Generic over `T` only for the schema.
pub struct Rest<T, R> {
    value: R,
    of: PhantomData<fn() -> T>,
}

/// A text of the schema type `T`: a string whose JSON Schema has `T`'s maximum length (`""` is
/// allowed: it removes or leaves out an optional value).
pub type RestText<T> = Rest<T, String>;

/// An integer of the schema type `T`, whose JSON Schema has `T`'s range.
pub type RestInt<T> = Rest<T, i32>;

impl<T, R> Rest<T, R> {
    /// The value.
    pub fn new(value: impl Into<R>) -> Self {
        Self {
            value: value.into(),
            of: PhantomData,
        }
    }

    /// The value.
    pub fn get(&self) -> &R {
        &self.value
    }
}

impl<T, R: Default> Default for Rest<T, R> {
    fn default() -> Self {
        Self::new(R::default())
    }
}

impl<T, R: Clone> Clone for Rest<T, R> {
    fn clone(&self) -> Self {
        Self::new(self.value.clone())
    }
}

impl<T, R: PartialEq> PartialEq for Rest<T, R> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T, R: fmt::Debug> fmt::Debug for Rest<T, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T, R: Serialize> Serialize for Rest<T, R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<'de, T, R: Deserialize<'de>> Deserialize<'de> for Rest<T, R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        R::deserialize(d).map(Self::new)
    }
}

impl<T: OciText> JsonSchema for Rest<T, String> {
    fn schema_name() -> Cow<'static, str> {
        T::SCHEMA_TYPE.into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "maxLength": T::BOUNDS.1,
        })
    }
}

impl<T: OciInt> JsonSchema for Rest<T, i32> {
    fn schema_name() -> Cow<'static, str> {
        T::SCHEMA_TYPE.into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "integer",
            "format": "int32",
            "minimum": T::BOUNDS.0,
            "maximum": T::BOUNDS.1,
        })
    }
}

/// The JSON Schema of a text that must hold a value of the schema type `T` (not blank), for
/// `#[schemars(with = …)]` on a required text field.
pub struct RequiredText<T>(PhantomData<fn() -> T>);

impl<T: OciText> JsonSchema for RequiredText<T> {
    fn schema_name() -> Cow<'static, str> {
        T::SCHEMA_TYPE.into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": T::BOUNDS.0,
            "maxLength": T::BOUNDS.1,
        })
    }
}

/// Implements [`RestValue`] for integer types: the number as it is.
macro_rules! rest_int {
    ($($t:ty),*) => {$(
        impl RestValue for $t {
            type Json = RestInt<$t>;
            fn from_rest(field: &str, json: &Self::Json) -> Result<Self, FieldError> {
                typed_int(field, *json.get())
            }
            fn to_rest(&self) -> Self::Json {
                RestInt::new(OciInt::get(self))
            }
        }
    )*};
}

/// Implements [`RestValue`] for text types, read from REST with `$read` and shown with `$show`.
macro_rules! rest_text {
    ($($t:ty: $read:expr, $show:expr;)*) => {$(
        impl RestValue for $t {
            type Json = RestText<$t>;
            fn from_rest(field: &str, json: &Self::Json) -> Result<Self, FieldError> {
                $read(field, json.get())
            }
            fn to_rest(&self) -> Self::Json {
                RestText::new($show(self.as_str()))
            }
            fn is_blank(json: &Self::Json) -> bool {
                json.get().trim().is_empty()
            }
        }
    )*};
}

rest_int!(HuntNoAnswerRings, HuntForwardTimeoutSeconds);

rest_text! {
    OutgoingDn: forward_number, forward_out;
    OutgoingDnOrSipUri: forward_number, forward_out;
    NetworkClassOfServiceName: typed, str::to_owned;
}

/// The bulk sheet's and the product's display name of the Weighted policy, accepted on input.
pub const WEIGHTED_DISPLAY_NAME: &str = "Weighted Call Distribution";

/// Every policy name accepted on input: the OCI names, then the display name of Weighted.
pub fn policy_input_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = HuntPolicy::ALL.iter().map(|p| p.as_str()).collect();
    names.push(WEIGHTED_DISPLAY_NAME);
    names
}

/// Parses a policy: the OCI names (any case), and the display name "Weighted Call Distribution".
pub fn parse_policy(field: &str, text: &str) -> Result<HuntPolicy, FieldError> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case(WEIGHTED_DISPLAY_NAME) {
        return Ok(HuntPolicy::Weighted);
    }
    HuntPolicy::ALL
        .into_iter()
        .find(|p| p.as_str().eq_ignore_ascii_case(trimmed))
        .ok_or_else(|| {
            FieldError::new(
                field,
                format!("'{text}' is not a policy: Circular, Regular, Simultaneous, Uniform, Weighted (or {WEIGHTED_DISPLAY_NAME})"),
            )
        })
}

/// A policy name in JSON: on input any of [`policy_input_names`], on output the OCI name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PolicyName(pub String);

impl JsonSchema for PolicyName {
    fn schema_name() -> Cow<'static, str> {
        "HuntPolicy".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": policy_input_names(),
        })
    }
}

impl RestValue for HuntPolicy {
    type Json = PolicyName;
    fn from_rest(field: &str, json: &PolicyName) -> Result<Self, FieldError> {
        parse_policy(field, &json.0)
    }
    fn to_rest(&self) -> PolicyName {
        PolicyName(self.as_str().to_owned())
    }
}

/// The REST value given for a field: absent, `null` and blank texts are "not given".
fn given<T: RestValue>(value: &Option<Option<T::Json>>) -> Option<&T::Json> {
    value.as_ref()?.as_ref().filter(|j| !T::is_blank(j))
}

/// A required value: it must be given.
pub fn rest_required<T: RestValue>(
    field: &str,
    value: &Option<Option<T::Json>>,
) -> Result<T, FieldError> {
    let json =
        given::<T>(value).ok_or_else(|| FieldError::new(field, format!("{field} is required")))?;
    T::from_rest(field, json)
}

/// An optional value: `None` when not given.
pub fn rest_optional<T: RestValue>(
    field: &str,
    value: &Option<Option<T::Json>>,
) -> Result<Option<T>, FieldError> {
    given::<T>(value)
        .map(|json| T::from_rest(field, json))
        .transpose()
}

/// A clearable value of an update: absent untouched, `null` or blank removed, else set.
pub fn rest_clearable<T: RestValue>(
    field: &str,
    value: &Option<Option<T::Json>>,
) -> Result<Option<Nillable<T>>, FieldError> {
    match value {
        None => Ok(None),
        Some(Some(json)) if !T::is_blank(json) => {
            T::from_rest(field, json).map(|v| Some(Nillable::Set(v)))
        }
        Some(_) => Ok(Some(Nillable::Nil)),
    }
}
