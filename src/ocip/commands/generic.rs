//! The two generic responses: SuccessResponse and ErrorResponse.
//!
//! BroadWorks writes both with the `c:` prefix bound to the core namespace on the command
//! element (`xsi:type="c:SuccessResponse" xmlns:c="C"`); ErrorResponse also carries
//! `type="Error"`. Decoding accepts the prefixed and unprefixed forms alike.

use std::fmt;

use crate::ocip::error::DecodeError;
use crate::ocip::value::{field, Children, Node, OciCommand, OciFields};
use crate::ocip::xml::{ElementSink, XmlWriter};

/// The answer to a request that succeeded and returns no data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SuccessResponse;

impl OciFields for SuccessResponse {
    fn write_fields<W: ElementSink>(&self, _w: &mut W) {}
    fn read_fields(_c: &mut Children<'_, '_>) -> Result<Self, DecodeError> {
        Ok(Self)
    }
}

impl OciCommand for SuccessResponse {
    const NAME: &'static str = "SuccessResponse";
    fn write_command(&self, w: &mut XmlWriter) {
        w.raw("<command echo=\"\" xsi:type=\"c:SuccessResponse\" xmlns:c=\"C\" xmlns=\"\"/>");
    }
}

/// The answer to a request that failed: BroadWorks's code, texts and detail, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ErrorResponse {
    /// `errorCode`, rarely sent by real servers (the code is usually inside `summary`).
    pub error_code: Option<i32>,
    /// Localized summary, typically `[Error 4008] User not found: …`.
    pub summary: String,
    /// English summary.
    pub summary_english: String,
    /// Optional detail text.
    pub detail: Option<String>,
}

impl ErrorResponse {
    /// An error in BroadWorks style: `[Error CODE] text` in both summaries.
    pub fn new(code: i32, text: &str, detail: Option<String>) -> Self {
        let summary = format!("[Error {code}] {text}");
        Self {
            error_code: None,
            summary_english: summary.clone(),
            summary,
            detail,
        }
    }

    /// The numeric code: `errorCode` when present, else the `[Error N]` in the summary.
    pub fn code(&self) -> Option<i32> {
        self.error_code.or_else(|| {
            let rest = self.summary_english.strip_prefix("[Error ")?;
            rest[..rest.find(']')?].trim().parse().ok()
        })
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary_english)?;
        if let Some(detail) = self.detail.as_deref().filter(|d| !d.is_empty()) {
            write!(f, " ({detail})")?;
        }
        Ok(())
    }
}

impl OciFields for ErrorResponse {
    fn write_fields<W: ElementSink>(&self, w: &mut W) {
        field::write_opt(w, "errorCode", &self.error_code);
        field::write_req(w, "summary", &self.summary);
        field::write_req(w, "summaryEnglish", &self.summary_english);
        field::write_opt(w, "detail", &self.detail);
    }
    fn read_fields(c: &mut Children<'_, '_>) -> Result<Self, DecodeError> {
        Ok(Self {
            error_code: field::read_opt(c, "errorCode")?,
            summary: field::read_req(c, "summary")?,
            summary_english: field::read_req(c, "summaryEnglish")?,
            detail: field::read_opt(c, "detail")?,
        })
    }
}

impl OciCommand for ErrorResponse {
    const NAME: &'static str = "ErrorResponse";
    fn write_command(&self, w: &mut XmlWriter) {
        w.raw("<command type=\"Error\" echo=\"\" xsi:type=\"c:ErrorResponse\" xmlns:c=\"C\" xmlns=\"\">");
        self.write_fields(w);
        w.raw("</command>");
    }
    fn read_command(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        Self::read_content(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_comes_from_the_element_or_the_summary() {
        let e = ErrorResponse::new(4008, "User not found: x@y", None);
        assert_eq!(e.code(), Some(4008));
        assert_eq!(e.summary, "[Error 4008] User not found: x@y");
        let e = ErrorResponse {
            error_code: Some(4962),
            ..Default::default()
        };
        assert_eq!(e.code(), Some(4962));
        assert_eq!(ErrorResponse::default().code(), None);
    }
}
