//! OCITable: the column-heading/row/col table used by list responses.

use crate::ocip::error::DecodeError;
use crate::ocip::value::{Children, OciElement};
use crate::ocip::xml::{Element, XmlWriter};

/// A table of text cells with named columns. Clients must look columns up by heading, never by
/// position; [`OciTable::column`] does that.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OciTable {
    /// Column headings, e.g. "User Id", "Last Name".
    pub headings: Vec<String>,
    /// Rows, each with exactly one cell per heading.
    pub rows: Vec<Vec<String>>,
}

impl OciTable {
    /// An empty table with the given headings.
    pub fn new(headings: &[&str]) -> Self {
        Self {
            headings: headings.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// The index of the column with this heading.
    pub fn column(&self, heading: &str) -> Option<usize> {
        self.headings.iter().position(|h| h == heading)
    }

    /// The cell of `row` under `heading` (empty when the column is absent).
    pub fn cell<'t>(&'t self, row: &'t [String], heading: &str) -> &'t str {
        self.column(heading)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }
}

impl OciElement for OciTable {
    fn write_element(&self, w: &mut XmlWriter, name: &str) {
        w.open(name);
        for heading in &self.headings {
            w.leaf("colHeading", heading);
        }
        for row in &self.rows {
            w.open("row");
            for cell in row {
                w.leaf("col", cell);
            }
            w.close("row");
        }
        w.close(name);
    }

    fn read_element(e: &Element<'_>) -> Result<Self, DecodeError> {
        let mut c = Children::new(e);
        let mut table = OciTable::default();
        while let Some(h) = c.take("colHeading") {
            table.headings.push(h.text.to_string());
        }
        while let Some(row) = c.take("row") {
            let mut cells = Vec::with_capacity(table.headings.len());
            let mut rc = Children::new(row);
            while let Some(col) = rc.take("col") {
                cells.push(col.text.to_string());
            }
            rc.finish().map_err(|e| e.within("row"))?;
            if cells.len() != table.headings.len() {
                return Err(DecodeError::new(format!(
                    "a row has {} cells for {} column headings",
                    cells.len(),
                    table.headings.len()
                )));
            }
            table.rows.push(cells);
        }
        c.finish()?;
        Ok(table)
    }
}
