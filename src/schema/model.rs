//! The catalog's data: every type of one OCI-P release, as the XSD declares it (structure only).
//!
//! This is what `ocigw schema compile` writes and what every other part of ocigw reads: the
//! encoder and decoder, validation, `oci describe`, `schema diff`, OpenAPI. Nothing outside
//! the catalog spells an element name, an order or a limit.

use serde::{Deserialize, Serialize};

/// `maxOccurs="unbounded"`.
pub const UNBOUNDED: u32 = u32::MAX;

/// One release's compiled schema.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CatalogData {
    /// The release the schema belongs to, e.g. `R25`.
    pub release: String,
    /// Every simple type, the built-ins used directly first (`xs:int`, …), then the named
    /// ones and the anonymous ones under a made-up name (`Owner.element`).
    pub simple: Vec<SimpleType>,
    /// Every complex type, named and anonymous.
    pub complex: Vec<ComplexType>,
    /// Every concrete request type and the response types its documentation names.
    pub commands: Vec<CommandDef>,
}

/// A request and the response types it can get (besides ErrorResponse).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CommandDef {
    /// The request type's name.
    #[serde(rename = "q")]
    pub request: String,
    /// Its response types, `SuccessResponse` for a request that returns no data.
    #[serde(rename = "r")]
    pub responses: Vec<String>,
}

/// The XML Schema built-in types OCI-P uses, the base of every simple type.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
pub enum Builtin {
    /// `xs:string`: text kept as written.
    #[serde(rename = "string")]
    String,
    /// `xs:normalizedString`.
    #[serde(rename = "normalizedString")]
    NormalizedString,
    /// `xs:token`: white space collapsed.
    #[serde(rename = "token")]
    Token,
    /// `xs:NMTOKEN`.
    #[serde(rename = "NMTOKEN")]
    NmToken,
    /// `xs:int`: 32-bit signed integer.
    #[serde(rename = "int")]
    Int,
    /// `xs:long`: 64-bit signed integer.
    #[serde(rename = "long")]
    Long,
    /// `xs:boolean`.
    #[serde(rename = "boolean")]
    Boolean,
    /// `xs:dateTime`.
    #[serde(rename = "dateTime")]
    DateTime,
    /// `xs:date`.
    #[serde(rename = "date")]
    Date,
    /// `xs:decimal`.
    #[serde(rename = "decimal")]
    Decimal,
    /// `xs:float`.
    #[serde(rename = "float")]
    Float,
    /// `xs:base64Binary`: file content.
    #[serde(rename = "base64Binary")]
    Base64Binary,
    /// An element declared with no type: it is written empty.
    #[serde(rename = "anyType")]
    AnyType,
}

impl Builtin {
    /// The built-in named `local` (the part after `xs:`).
    pub fn from_xsd(local: &str) -> Option<Self> {
        Some(match local {
            "string" => Self::String,
            "normalizedString" => Self::NormalizedString,
            "token" => Self::Token,
            "NMTOKEN" => Self::NmToken,
            "int" => Self::Int,
            "long" => Self::Long,
            "boolean" => Self::Boolean,
            "dateTime" => Self::DateTime,
            "date" => Self::Date,
            "decimal" => Self::Decimal,
            "float" => Self::Float,
            "base64Binary" => Self::Base64Binary,
            "anyType" => Self::AnyType,
            _ => return None,
        })
    }

    /// The name as the schema writes it, `xs:` included.
    pub fn xsd_name(self) -> &'static str {
        match self {
            Self::String => "xs:string",
            Self::NormalizedString => "xs:normalizedString",
            Self::Token => "xs:token",
            Self::NmToken => "xs:NMTOKEN",
            Self::Int => "xs:int",
            Self::Long => "xs:long",
            Self::Boolean => "xs:boolean",
            Self::DateTime => "xs:dateTime",
            Self::Date => "xs:date",
            Self::Decimal => "xs:decimal",
            Self::Float => "xs:float",
            Self::Base64Binary => "xs:base64Binary",
            Self::AnyType => "xs:anyType",
        }
    }

    /// Whether values of this type are JSON integers.
    pub fn is_integer(self) -> bool {
        matches!(self, Self::Int | Self::Long)
    }
}

/// A simple type: its built-in base and every facet of its restriction (inherited ones
/// included).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct SimpleType {
    /// The type's name (`xs:token` for a built-in used directly).
    #[serde(rename = "n")]
    pub name: String,
    /// The built-in type it restricts.
    #[serde(rename = "b")]
    pub base: Option<Builtin>,
    /// `xs:enumeration` values, in schema order.
    #[serde(rename = "e", default, skip_serializing_if = "Vec::is_empty")]
    pub enumeration: Vec<String>,
    /// `xs:length`.
    #[serde(rename = "len", default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    /// `xs:minLength`.
    #[serde(rename = "minl", default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// `xs:maxLength`.
    #[serde(rename = "maxl", default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// `xs:minInclusive` (integers, or a decimal as written).
    #[serde(rename = "min", default, skip_serializing_if = "Option::is_none")]
    pub min_inclusive: Option<String>,
    /// `xs:maxInclusive`.
    #[serde(rename = "max", default, skip_serializing_if = "Option::is_none")]
    pub max_inclusive: Option<String>,
    /// `xs:pattern` values (a value must match one of them, whole).
    #[serde(rename = "p", default, skip_serializing_if = "Vec::is_empty")]
    pub pattern: Vec<String>,
    /// `xs:whiteSpace`, when the restriction sets it.
    #[serde(rename = "ws", default, skip_serializing_if = "Option::is_none")]
    pub white_space: Option<String>,
}

impl SimpleType {
    /// The built-in type itself, as the catalog lists it (`xs:int`, …).
    pub fn builtin(base: Builtin) -> Self {
        Self {
            name: base.xsd_name().to_owned(),
            base: Some(base),
            ..Self::default()
        }
    }
}

/// A complex type: its content in schema order, base content first.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct ComplexType {
    /// The type's name.
    #[serde(rename = "n")]
    pub name: String,
    /// The content model, the base type's particles first (extensions are flattened).
    #[serde(rename = "c")]
    pub content: Vec<Particle>,
    /// The type it extends or restricts, if any.
    #[serde(rename = "b", default, skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// `abstract="true"`: an element of this type names a concrete subtype with `xsi:type`.
    #[serde(rename = "a", default, skip_serializing_if = "is_false")]
    pub is_abstract: bool,
    /// The column headings its documentation names for its tables (responses only).
    #[serde(rename = "h", default, skip_serializing_if = "Vec::is_empty")]
    pub headings: Vec<String>,
}

/// One particle of a content model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum Particle {
    /// An element.
    #[serde(rename = "e")]
    Element(ElementDecl),
    /// `xs:choice`: exactly one of its branches (each a particle).
    #[serde(rename = "c")]
    Choice(Group),
    /// A nested `xs:sequence`.
    #[serde(rename = "s")]
    Sequence(Group),
}

/// A choice or a nested sequence with its occurrence bounds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Group {
    /// `minOccurs`.
    #[serde(rename = "m", default = "one", skip_serializing_if = "is_one")]
    pub min: u32,
    /// `maxOccurs` ([`UNBOUNDED`] for unbounded).
    #[serde(rename = "x", default = "one", skip_serializing_if = "is_one")]
    pub max: u32,
    /// The branches (choice) or items (sequence).
    #[serde(rename = "i")]
    pub items: Vec<Particle>,
}

/// An element declaration inside a content model.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ElementDecl {
    /// The element's name.
    #[serde(rename = "n")]
    pub name: String,
    /// Its type's name (`xs:…` for built-ins).
    #[serde(rename = "t")]
    pub ty: String,
    /// `minOccurs`.
    #[serde(rename = "m", default = "one", skip_serializing_if = "is_one")]
    pub min: u32,
    /// `maxOccurs` ([`UNBOUNDED`] for unbounded).
    #[serde(rename = "x", default = "one", skip_serializing_if = "is_one")]
    pub max: u32,
    /// `nillable="true"`: `xsi:nil` clears the value.
    #[serde(rename = "nil", default, skip_serializing_if = "is_false")]
    pub nillable: bool,
    /// `fixed`: the only value allowed.
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    /// `default`.
    #[serde(rename = "d", default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The index of its type in the catalog, set when the catalog is loaded.
    #[serde(skip)]
    pub type_id: usize,
}

impl ElementDecl {
    /// Whether the element may appear more than once (it is a JSON array).
    pub fn repeats(&self) -> bool {
        self.max > 1
    }
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

fn is_false(b: &bool) -> bool {
    !*b
}
