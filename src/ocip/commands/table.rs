//! OCITable: the column-heading/row/col table used by list responses.

use crate::ocip::error::DecodeError;
use crate::ocip::value::field::read_list_into;
use crate::ocip::value::{Node, OciElement};
use crate::ocip::xml::ElementSink;

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

/// A typed row of an OCI table: each field is one column, declared once with its heading, so the
/// renderer and the simulator read and write the same columns by name (see
/// [`oci_table_row!`](crate::oci_table_row)).
pub trait TableRow: Sized {
    /// The column headings, in the order BroadWorks sends them.
    const HEADINGS: &'static [&'static str];
    /// Reads a row by heading (a column the table lacks reads as empty).
    fn from_cells(table: &OciTable, row: &[String]) -> Self;
    /// The row's cells, in heading order.
    fn into_cells(self) -> Vec<String>;
}

impl OciTable {
    /// A table of typed rows.
    pub fn of<R: TableRow>(rows: impl IntoIterator<Item = R>) -> Self {
        let mut table = Self::new(R::HEADINGS);
        table.rows = rows.into_iter().map(TableRow::into_cells).collect();
        table
    }

    /// The rows, typed.
    pub fn typed<R: TableRow>(&self) -> impl Iterator<Item = R> + '_ {
        self.rows.iter().map(|row| R::from_cells(self, row))
    }
}

/// Declares a typed table row: `field = "Heading"` per column, in the order BroadWorks sends
/// them; every cell is text.
#[macro_export]
macro_rules! oci_table_row {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $( $field:ident = $heading:literal ),* $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $( #[doc = concat!("The \"", $heading, "\" column.")] pub $field: String, )*
        }

        impl $crate::ocip::commands::table::TableRow for $name {
            const HEADINGS: &'static [&'static str] = &[$($heading),*];
            fn from_cells(table: &$crate::ocip::commands::OciTable, row: &[String]) -> Self {
                Self { $( $field: table.cell(row, $heading).to_owned(), )* }
            }
            fn into_cells(self) -> Vec<String> {
                vec![$(self.$field),*]
            }
        }
    };
}

impl OciElement for OciTable {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        w.table(name, &self.headings, &self.rows);
    }

    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        let mut c = e.children();
        let mut table = OciTable::default();
        read_list_into(&mut c, "colHeading", &mut table.headings)?;
        loop {
            let mut cells = Vec::with_capacity(table.headings.len());
            // Rows written plainly are read in one step; anything else, from the row's start
            // again, by the general path.
            if c.plain_repeated("row", "col", |text| cells.push(text.to_owned()))
                .is_none()
            {
                cells.clear();
                let Some(row) = c.take("row")? else { break };
                let mut rc = row.children();
                read_list_into(&mut rc, "col", &mut cells)?;
                rc.finish().map_err(|e| e.within("row"))?;
            }
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
