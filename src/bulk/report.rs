//! Writing results as they come: a JSON document (`{"results": [...], "summary": {...}}`) or a
//! CSV table, chosen by the report file's extension.

use std::io::Write;

use crate::bulk::run::{RowResult, Summary};

/// A report being written.
pub enum Report<W: Write> {
    /// `{"results": [ … ], "summary": { … }}`, one result per line.
    Json {
        /// Where to.
        out: W,
        /// Results written so far.
        count: usize,
    },
    /// One CSV line per result.
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Report<W> {
    /// Starts a JSON report.
    pub fn json(mut out: W) -> std::io::Result<Self> {
        out.write_all(b"{\"results\": [\n")?;
        Ok(Self::Json { out, count: 0 })
    }

    /// Starts a CSV report.
    pub fn csv(out: W) -> std::io::Result<Self> {
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "index",
            "line",
            "success",
            "serviceProviderId",
            "groupId",
            "serviceUserId",
            "error",
            "response",
            "command",
        ])?;
        Ok(Self::Csv(Box::new(writer)))
    }

    /// Appends one result.
    pub fn write(&mut self, result: &RowResult) -> std::io::Result<()> {
        match self {
            Self::Json { out, count } => {
                if *count > 0 {
                    out.write_all(b",\n")?;
                }
                result.write_json(out)?;
                *count += 1;
                Ok(())
            }
            Self::Csv(writer) => {
                let ids = result.data_ids();
                let compact = |v: &serde_json::Value| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                writer.write_record([
                    result.index.to_string(),
                    result.line.map(|l| l.to_string()).unwrap_or_default(),
                    result.success.to_string(),
                    ids.service_provider_id.unwrap_or_default(),
                    ids.group_id.unwrap_or_default(),
                    ids.service_user_id.unwrap_or_default(),
                    result.error.clone().unwrap_or_default(),
                    compact(&result.response),
                    if result.command.is_null() {
                        String::new()
                    } else {
                        result.command.as_text().to_owned()
                    },
                ])?;
                Ok(())
            }
        }
    }

    /// Writes the summary (JSON) and flushes.
    pub fn finish(self, summary: &Summary) -> std::io::Result<()> {
        match self {
            Self::Json { mut out, .. } => {
                out.write_all(b"\n], \"summary\": ")?;
                serde_json::to_writer(&mut out, summary)?;
                out.write_all(b"}\n")?;
                out.flush()
            }
            Self::Csv(mut writer) => writer.flush(),
        }
    }
}
