//! Opening bulk input: a CSV sheet (streamed) or a JSON array, as one iterator of rows, with the
//! notes the sheet makes as it is read.

use std::io::Read;
use std::sync::{Arc, Mutex};

use crate::bulk::row::{RowError, RowInput};
use crate::bulk::{data, sheet};

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
pub fn csv<R: Read + Send + 'static>(input: R) -> Result<(Rows, Notes), String> {
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

/// Rows of JSON data (an array of hunt group objects).
pub fn json(value: serde_json::Value) -> Result<(Rows, Notes), String> {
    Ok((Box::new(data::rows(value)?.into_iter()), Notes::default()))
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
