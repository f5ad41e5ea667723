//! Reading a hunt group sheet (CSV, UTF-8 with or without BOM) row by row, so a sheet of any
//! length streams. The header maps each column; the template's type-hint row is recognised,
//! skipped and mentioned.

use std::io::Read;

use crate::bulk::columns::{self, Column};
use crate::bulk::input::InputError;
use crate::bulk::row::{Cell, CellProblem, Origin, RowError, RowInput};

/// A sheet being read.
pub struct Sheet<R: Read> {
    reader: csv::Reader<LfLines<R>>,
    columns: Vec<Column>,
    index: usize,
    first: bool,
    ended: bool,
    /// Things worth telling the user (a skipped hint row).
    pub notes: Vec<String>,
    /// The record rows are read into, kept between rows.
    record: csv::ByteRecord,
}

impl<R: Read> std::fmt::Debug for Sheet<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sheet({} columns)", self.columns.len())
    }
}

/// Opens a sheet: reads and checks its header. Unknown or repeated columns are errors naming
/// them.
pub fn open<R: Read>(input: R) -> Result<Sheet<R>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(LfLines::new(input));
    let header = reader.byte_headers().map_err(InputError::Header)?.clone();
    let mut columns = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let raw = if i == 0 {
            raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(raw)
        } else {
            raw
        };
        let name =
            std::str::from_utf8(raw).map_err(|_| InputError::HeaderNotUtf8 { column: i + 1 })?;
        let column = columns::parse(name).ok_or_else(|| InputError::UnknownColumn {
            name: name.to_owned(),
            column: i + 1,
        })?;
        if columns.contains(&column) {
            return Err(InputError::RepeatedColumn(column.label()));
        }
        columns.push(column);
    }
    if !columns.iter().any(|c| c.name == "operation") {
        return Err(InputError::NoOperation);
    }
    Ok(Sheet {
        reader,
        columns,
        index: 0,
        first: true,
        ended: false,
        notes: Vec::new(),
        record: csv::ByteRecord::new(),
    })
}

impl<R: Read> Iterator for Sheet<R> {
    type Item = Result<RowInput, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.ended {
                return None;
            }
            // One record for the whole sheet: its buffers grow once, not on every row.
            let line = match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return None,
                Ok(true) => self.record.position().map_or(0, |p| p.line()),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    let index = self.index;
                    self.index += 1;
                    // After a read error (a body cut short or too large) nothing more comes.
                    self.ended = e.is_io_error();
                    let message = if self.ended {
                        format!("the input stopped: {e}; the rows after it were not read")
                    } else {
                        format!("unreadable CSV ({e}); row {index} skipped")
                    };
                    return Some(Err(RowError::single(
                        index,
                        Origin::Line(line),
                        "-",
                        None,
                        message,
                    )));
                }
            };
            if self
                .record
                .iter()
                .all(|c| c.iter().all(u8::is_ascii_whitespace))
            {
                continue; // blank line
            }
            if std::mem::take(&mut self.first) && is_hint_row(&self.record, &self.columns) {
                self.notes.push(format!(
                    "line {line} holds the template's type hints (string, none | integer, …), not a hunt group: skipped"
                ));
                continue;
            }
            let index = self.index;
            self.index += 1;
            return Some(self.row(index, line, &self.record));
        }
    }
}

impl<R: Read> Sheet<R> {
    fn row(&self, index: usize, line: u64, record: &csv::ByteRecord) -> Result<RowInput, RowError> {
        let origin = Origin::Line(line);
        let whole_row = |message: String| RowError::single(index, origin, "-", None, message);
        if record.iter().any(|cell| cell.contains(&b'\n')) {
            return Err(whole_row(format!(
                "a quote opened on line {line} is not closed before the line ends (a cell cannot hold a line break): close the quote"
            )));
        }
        if record.len() > self.columns.len() {
            return Err(whole_row(format!(
                "{} cells for {} columns in the header",
                record.len(),
                self.columns.len()
            )));
        }
        let mut row = RowInput::new(index, origin);
        let mut problems = Vec::new();
        for (column, raw) in self.columns.iter().zip(record.iter()) {
            match std::str::from_utf8(raw) {
                Ok(text) => row.set(column, Cell::Text(text.to_owned())),
                Err(_) => problems.push(CellProblem {
                    column: column.label(),
                    value: Some(String::from_utf8_lossy(raw).into_owned()),
                    message: "not UTF-8 text (save the sheet as UTF-8)".into(),
                }),
            }
        }
        if problems.is_empty() {
            Ok(row)
        } else {
            Err(RowError {
                index,
                origin,
                problems,
            })
        }
    }
}

/// Reads a sheet's bytes with every CRLF line end turned into LF, and every blank line given
/// one space, so the CSV reader sees a record on every line and reports true line numbers: a
/// sheet saved by Excel or Python's csv module (CRLF) gets the same line numbers as one saved
/// with LF, blank lines or not. (A line holding only a space is skipped as blank.)
pub struct LfLines<R> {
    inner: R,
    out: Vec<u8>,
    pos: usize,
    held_cr: bool,
    last: Option<u8>,
}

impl<R: Read> LfLines<R> {
    /// Wraps a reader.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            out: Vec::new(),
            pos: 0,
            held_cr: false,
            last: None,
        }
    }

    fn emit(&mut self, b: u8) {
        if b == b'\n' && matches!(self.last, Some(b'\n')) {
            self.out.push(b' ');
        }
        self.out.push(b);
        self.last = Some(b);
    }

    /// Reads and converts the next chunk; false at the end of the input.
    fn fill(&mut self) -> std::io::Result<bool> {
        let mut raw = [0u8; 8192];
        self.out.clear();
        self.pos = 0;
        loop {
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                if std::mem::take(&mut self.held_cr) {
                    self.emit(b'\n');
                }
                return Ok(!self.out.is_empty());
            }
            let mut chunk = &raw[..n];
            while let Some(&first) = chunk.first() {
                if std::mem::take(&mut self.held_cr) {
                    // A lone CR (old Mac line end) counts as a line end too.
                    self.emit(b'\n');
                    if first == b'\n' {
                        chunk = &chunk[1..];
                        continue;
                    }
                }
                // The bytes up to the next line end are copied as they are.
                let end = memchr::memchr2(b'\r', b'\n', chunk).unwrap_or(chunk.len());
                if let Some(&last) = chunk[..end].last() {
                    self.out.extend_from_slice(&chunk[..end]);
                    self.last = Some(last);
                }
                match chunk.get(end) {
                    Some(b'\r') => self.held_cr = true,
                    Some(&b) => self.emit(b),
                    None => {}
                }
                chunk = chunk.get(end + 1..).unwrap_or_default();
            }
            if !self.out.is_empty() {
                return Ok(true);
            }
        }
    }
}

impl<R: Read> Read for LfLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.out.len() && !self.fill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.pos);
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// Whether a row is the template's type hints: every filled cell but `operation` is a hint
/// such as `string`, `none | integer` or the policy choices.
fn is_hint_row(record: &csv::ByteRecord, columns: &[Column]) -> bool {
    let words = [
        "none",
        "string",
        "integer",
        "boolean",
        "circular",
        "regular",
        "simultaneous",
        "uniform",
        "weighted call distribution",
        "weighted",
    ];
    let mut hints = 0;
    for (column, raw) in columns.iter().zip(record.iter()) {
        let text = String::from_utf8_lossy(raw).trim().to_ascii_lowercase();
        if column.name == "operation" || text.is_empty() {
            continue;
        }
        if !text.split('|').all(|w| words.contains(&w.trim())) {
            return false;
        }
        hints += 1;
    }
    hints >= 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The conversion byte by byte, as `LfLines` did it before it copied runs.
    fn lf_lines_byte_by_byte(input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut held_cr = false;
        let emit = |out: &mut Vec<u8>, b: u8| {
            if b == b'\n' && out.last() == Some(&b'\n') {
                out.push(b' ');
            }
            out.push(b);
        };
        for &b in input {
            if std::mem::take(&mut held_cr) {
                emit(&mut out, b'\n');
                if b == b'\n' {
                    continue;
                }
            }
            if b == b'\r' {
                held_cr = true;
            } else {
                emit(&mut out, b);
            }
        }
        if held_cr {
            emit(&mut out, b'\n');
        }
        out
    }

    /// A reader handing out at most `step` bytes a call, so line ends fall across reads.
    struct Trickle<'a> {
        input: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.input.len().min(self.step).min(buf.len());
            buf[..n].copy_from_slice(&self.input[..n]);
            self.input = &self.input[n..];
            Ok(n)
        }
    }

    fn converted(input: &[u8], step: usize) -> Vec<u8> {
        let mut out = Vec::new();
        LfLines::new(Trickle { input, step })
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    #[test]
    fn line_ends_and_blank_lines_are_converted() {
        for (input, expected) in [
            (&b"a,b\r\nc,d\r\n"[..], &b"a,b\nc,d\n"[..]),
            (b"a\r\rb\r", b"a\n \nb\n"),
            (b"a\n\n\nb", b"a\n \n \nb"),
            (b"\r\n\r\n", b"\n \n"),
            (b"", b""),
        ] {
            for step in [1, 2, 3, 8192] {
                assert_eq!(converted(input, step), expected, "{input:?} by {step}");
            }
        }
    }

    proptest! {
        #[test]
        fn any_bytes_convert_as_byte_by_byte(
            input in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b' '), Just(b'a'), any::<u8>()],
                0..200,
            ),
            step in 1usize..20,
        ) {
            prop_assert_eq!(converted(&input, step), lf_lines_byte_by_byte(&input));
        }
    }
}
