//! Opening bulk input: a CSV sheet (streamed) or a JSON array, as one iterator of rows, with the
//! notes the sheet makes as it is read.

use std::io::Read;
use std::sync::{Arc, Mutex};

use crate::bulk::row::{RowError, RowInput};
use crate::bulk::{data, sheet};

/// Why bulk input cannot be used at all (as opposed to one bad row, which is that row's error).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The header line cannot be read.
    #[error("cannot read the header line: {0}")]
    Header(csv::Error),
    /// A header cell is not UTF-8.
    #[error("header column {column} is not UTF-8")]
    HeaderNotUtf8 {
        /// 1-based column.
        column: usize,
    },
    /// A header cell names no column.
    #[error("unknown column '{name}' in the header (column {column}); see `ocigw bulk template hunt.group.create`")]
    UnknownColumn {
        /// The cell.
        name: String,
        /// 1-based column.
        column: usize,
    },
    /// A column appears twice.
    #[error("column '{0}' appears twice in the header")]
    RepeatedColumn(String),
    /// The header has no `operation` column.
    #[error("the header has no 'operation' column")]
    NoOperation,
    /// JSON data that is not an array.
    #[error("the JSON data must be an array of hunt group objects")]
    NotAnArray,
}

/// Rows, from either kind of input.
pub type Rows = Box<dyn Iterator<Item = Result<RowInput, RowError>> + Send>;

/// Notes made while reading (e.g. a skipped type-hint row), readable after the run.
#[derive(Debug, Clone, Default)]
pub struct Notes(Arc<Mutex<Vec<String>>>);

impl Notes {
    /// Takes the notes made so far.
    pub fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut n| std::mem::take(&mut *n))
            .unwrap_or_default()
    }
}

/// Rows of a CSV sheet; the header is read (and checked) now, rows as they are consumed.
pub fn csv<R: Read + Send + 'static>(input: R) -> Result<(Rows, Notes), InputError> {
    let sheet = sheet::open(input)?;
    let notes = Notes::default();
    Ok((
        Box::new(NotingSheet {
            sheet,
            notes: notes.clone(),
        }),
        notes,
    ))
}

/// Rows of JSON data (an array of hunt group objects) read from a stream, one item at a time.
pub fn json_stream<R: Read + Send + 'static>(input: R) -> Result<(Rows, Notes), InputError> {
    Ok((Box::new(data::stream_rows(input)?), Notes::default()))
}

struct NotingSheet<R: Read> {
    sheet: sheet::Sheet<R>,
    notes: Notes,
}

impl<R: Read> Iterator for NotingSheet<R> {
    type Item = Result<RowInput, RowError>;
    fn next(&mut self) -> Option<Self::Item> {
        let next = self.sheet.next();
        if !self.sheet.notes.is_empty() {
            if let Ok(mut notes) = self.notes.0.lock() {
                notes.append(&mut self.sheet.notes);
            }
        }
        next
    }
}

/// At most `max` rows of `rows`; when there are more, one error row says so and the rest is
/// not read.
pub fn limit_rows(
    rows: impl Iterator<Item = Result<RowInput, RowError>>,
    max: usize,
) -> impl Iterator<Item = Result<RowInput, RowError>> {
    let mut taken = 0;
    let mut stopped = false;
    rows.map_while(move |row| {
        if stopped {
            return None;
        }
        if taken < max {
            taken += 1;
            return Some(row);
        }
        stopped = true;
        let (index, origin) = match &row {
            Ok(r) => (r.index, r.origin),
            Err(e) => (e.index, e.origin),
        };
        Some(Err(RowError::single(
            index,
            origin,
            "-",
            None,
            format!("the input has more than {max} rows (the limit [api] bulk_max_rows); this row and the rest were not run"),
        )))
    })
}
