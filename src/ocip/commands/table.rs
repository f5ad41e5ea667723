//! OCITable: the column-heading/row/col table used by list responses.

use crate::ocip::error::DecodeError;
use crate::ocip::value::field::read_list_into;
use crate::ocip::value::{Node, OciElement};
use crate::ocip::xml::ElementSink;

/// A table of text cells with named columns. Clients must look columns up by heading, never by
/// position; [`OciTable::column`] does that.
///
/// The headings and cells are held in one text, with where each of them and each row ends: a
/// decoded table costs three allocations, not one per heading and cell (a hunt group's 10
/// agents are 19 headings and 190 cells).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct OciTable {
    /// Every heading's text, then every cell's, one after another, row after row.
    text: String,
    /// Where each heading, then each cell, ends in `text`.
    cell_ends: Vec<usize>,
    /// How many headings there are: the first places of `cell_ends`.
    heading_count: usize,
    /// Where each row's cells end in `cell_ends`.
    row_ends: Vec<usize>,
}

/// One row of an [`OciTable`] (its cells' texts, in heading order), or its headings.
#[derive(Clone, Copy)]
pub struct Row<'t> {
    text: &'t str,
    /// Where the row's first cell starts in `text`.
    start: usize,
    /// Where each of the row's cells ends in `text`.
    ends: &'t [usize],
}

impl<'t> Row<'t> {
    /// How many cells the row has (one per heading in a table read from BroadWorks).
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the row has no cells.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The text of cell `i`.
    pub fn get(&self, i: usize) -> Option<&'t str> {
        let end = *self.ends.get(i)?;
        let start = match i {
            0 => self.start,
            _ => self.ends[i - 1],
        };
        self.text.get(start..end)
    }

    /// The cells' texts, in order.
    pub fn cells(&self) -> impl ExactSizeIterator<Item = &'t str> + 't {
        let (text, mut start) = (self.text, self.start);
        self.ends.iter().map(move |&end| {
            let cell = &text[start..end];
            start = end;
            cell
        })
    }
}

impl std::fmt::Debug for Row<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.cells()).finish()
    }
}

impl std::fmt::Debug for OciTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OciTable")
            .field("headings", &self.headings())
            .field("rows", &self.rows().collect::<Vec<_>>())
            .finish()
    }
}

impl OciTable {
    /// An empty table with the given headings.
    pub fn new<H: AsRef<str>>(headings: impl IntoIterator<Item = H>) -> Self {
        let mut table = Self::default();
        for heading in headings {
            table.push_cell(heading.as_ref());
        }
        table.heading_count = table.cell_ends.len();
        table
    }

    /// A table of these headings and rows of cells (any count of cells per row).
    pub fn with_rows<H, R, C>(
        headings: impl IntoIterator<Item = H>,
        rows: impl IntoIterator<Item = R>,
    ) -> Self
    where
        H: AsRef<str>,
        R: IntoIterator<Item = C>,
        C: AsRef<str>,
    {
        let mut table = Self::new(headings);
        for row in rows {
            table.push_row(row);
        }
        table
    }

    /// Adds a row of these cells.
    pub fn push_row<C: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = C>) {
        let cells = cells.into_iter();
        self.cell_ends.reserve(cells.size_hint().0);
        for cell in cells {
            self.push_cell(cell.as_ref());
        }
        self.end_row();
    }

    /// Adds a cell to the row being made (see [`OciTable::end_row`]).
    fn push_cell(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.cell_ends.push(self.text.len());
    }

    /// Ends the row being made: the cells pushed since the last row are its cells.
    fn end_row(&mut self) {
        self.row_ends.push(self.cell_ends.len());
    }

    /// How many cells the row being made has so far.
    fn cells_in_new_row(&self) -> usize {
        self.cell_ends.len() - self.first_cell(self.row_count())
    }

    /// Drops the cells pushed since the last row ended.
    fn drop_new_row(&mut self) {
        let first = self.first_cell(self.row_count());
        self.text.truncate(self.text_start(first));
        self.cell_ends.truncate(first);
    }

    /// Where row `row`'s first cell is in `cell_ends`: where the row before it ends (the
    /// first row's, after the headings).
    fn first_cell(&self, row: usize) -> usize {
        row.checked_sub(1)
            .map_or(self.heading_count, |before| self.row_ends[before])
    }

    /// Where cell `cell` starts in `text`: where the cell before it ends.
    fn text_start(&self, cell: usize) -> usize {
        cell.checked_sub(1)
            .map_or(0, |before| self.cell_ends[before])
    }

    /// The row of cells `first..end` (places in `cell_ends`).
    fn row_of(&self, first: usize, end: usize) -> Row<'_> {
        Row {
            text: &self.text,
            start: self.text_start(first),
            ends: &self.cell_ends[first..end],
        }
    }

    /// The column headings, e.g. "User Id", "Last Name", in order.
    pub fn headings(&self) -> Row<'_> {
        self.row_of(0, self.heading_count)
    }

    /// How many rows the table has.
    pub fn row_count(&self) -> usize {
        self.row_ends.len()
    }

    /// Row `i`.
    pub fn row(&self, i: usize) -> Option<Row<'_>> {
        let end = *self.row_ends.get(i)?;
        Some(self.row_of(self.first_cell(i), end))
    }

    /// The rows, in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        let mut first = self.heading_count;
        self.row_ends.iter().map(move |&end| {
            let row = self.row_of(first, end);
            first = end;
            row
        })
    }

    /// The index of the column with this heading.
    pub fn column(&self, heading: &str) -> Option<usize> {
        self.headings().cells().position(|h| h == heading)
    }

    /// The cell of `row` under `heading` (empty when the column is absent).
    pub fn cell<'t>(&self, row: Row<'t>, heading: &str) -> &'t str {
        self.column(heading).and_then(|i| row.get(i)).unwrap_or("")
    }
}

/// A typed row of an OCI table: each field is one column, declared once with its heading, so the
/// renderer and the simulator read and write the same columns by name (see
/// [`oci_table_row!`](crate::oci_table_row)).
pub trait TableRow: Sized {
    /// The column headings, in the order BroadWorks sends them.
    const HEADINGS: &'static [&'static str];
    /// Reads a row whose cell under `HEADINGS[i]` is cell `columns[i]` (`None`, a column the
    /// table lacks, reads as empty).
    fn from_cells(columns: &[Option<usize>], row: Row<'_>) -> Self;
    /// Adds the row's cells, in heading order, to `table`.
    fn push_to(self, table: &mut OciTable);
}

impl OciTable {
    /// A table of typed rows.
    pub fn of<R: TableRow>(rows: impl IntoIterator<Item = R>) -> Self {
        let mut table = Self::new(R::HEADINGS);
        for row in rows {
            row.push_to(&mut table);
        }
        table
    }

    /// The rows, typed: each heading is looked up once for the table, not once per row.
    pub fn typed<R: TableRow>(&self) -> impl Iterator<Item = R> + '_ {
        let columns: Vec<Option<usize>> = R::HEADINGS.iter().map(|h| self.column(h)).collect();
        self.rows().map(move |row| R::from_cells(&columns, row))
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
            fn from_cells(
                columns: &[Option<usize>],
                row: $crate::ocip::commands::table::Row<'_>,
            ) -> Self {
                // The fields are declared in the headings' order, as `columns` is.
                let mut cells = columns
                    .iter()
                    .map(|column| column.and_then(|i| row.get(i)).unwrap_or("").to_owned());
                Self { $( $field: cells.next().unwrap_or_default(), )* }
            }
            fn push_to(self, table: &mut $crate::ocip::commands::OciTable) {
                table.push_row([$(self.$field),*]);
            }
        }
    };
}

impl OciElement for OciTable {
    fn write_element<W: ElementSink>(&self, w: &mut W, name: &str) {
        w.table(name, self);
    }

    fn read_element(e: Node<'_, '_>) -> Result<Self, DecodeError> {
        let mut c = e.children();
        let mut table = OciTable::default();
        // Room for the headings of most tables (a hunt group's agents have 19).
        table.cell_ends.reserve(24);
        table.text.reserve(24 * 16);
        // Headings written plainly are read in one loop; any others, by the general path.
        c.plain_items("colHeading", |heading| table.push_cell(&heading));
        let mut others = Vec::<String>::new();
        read_list_into(&mut c, "colHeading", &mut others)?;
        for heading in &others {
            table.push_cell(heading);
        }
        table.heading_count = table.cell_ends.len();
        // Room for 16 rows of short cells, where most tables end: fewer copies as they grow.
        const ROWS: usize = 16;
        let columns = table.heading_count;
        table.row_ends.reserve(ROWS);
        table.cell_ends.reserve(columns * ROWS);
        table.text.reserve(columns * ROWS * 12);
        loop {
            // Rows written plainly are read in one step; anything else, from the row's start
            // again, by the general path.
            let plain = c.plain_repeated("row", "col", |text| table.push_cell(&text));
            if plain.is_none() {
                table.drop_new_row();
                let Some(row) = c.take("row")? else { break };
                let mut rc = row.children();
                let mut cells: Vec<String> = Vec::with_capacity(columns);
                read_list_into(&mut rc, "col", &mut cells)?;
                rc.finish().map_err(|e| e.within("row"))?;
                for cell in &cells {
                    table.push_cell(cell);
                }
            }
            if table.cells_in_new_row() != columns {
                return Err(DecodeError::new(format!(
                    "a row has {} cells for {columns} column headings",
                    table.cells_in_new_row(),
                )));
            }
            table.end_row();
        }
        c.finish()?;
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocip::commands::GroupHuntGroupGetInstanceListResponse as ListResponse;
    use crate::ocip::document::{for_each_command, ParsedDocument};
    use crate::ocip::value::OciCommand;

    fn answer(table: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="ISO-8859-1"?><BroadsoftDocument protocol="OCI" xmlns="C" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><sessionId xmlns="">s</sessionId><command xsi:type="GroupHuntGroupGetInstanceListResponse" xmlns=""><huntGroupTable>{table}</huntGroupTable></command></BroadsoftDocument>"#
        )
    }

    /// The table read straight from the text and from the element tree, which must agree.
    fn read(table: &str) -> Result<OciTable, String> {
        let text = answer(table);
        let mut from_text = None;
        let streamed = for_each_command(&text, |command| {
            from_text = Some(ListResponse::read_command(command)?.hunt_group_table);
            Ok(())
        });
        let from_text = streamed
            .map_err(|e| e.to_string())
            .map(|_| from_text.expect("read"));
        let doc = ParsedDocument::parse(&text).expect("well-formed");
        let from_tree = ListResponse::read_command(Node::of(doc.first_command().expect("one")))
            .map(|r| r.hunt_group_table)
            .map_err(|e| e.to_string());
        assert_eq!(from_text, from_tree, "{table}");
        from_text
    }

    #[test]
    fn rows_read_plainly_or_not_are_the_same_cells_in_one_text() {
        let headings = || vec!["A".to_owned(), "B".to_owned()];
        // The second row's second cell holds a reference: its first cell, read plainly, is
        // dropped and the row read again by the general path; the third row is plain again.
        let table = read(
            "<colHeading>A</colHeading><colHeading>B</colHeading>\
             <row><col>1</col><col/></row><row><col>2</col><col>x &amp; y</col></row>\
             <row> <col>3</col><col>z</col></row>",
        )
        .expect("reads");
        assert_eq!(
            table,
            OciTable::with_rows(headings(), [["1", ""], ["2", "x & y"], ["3", "z"]])
        );
        assert_eq!(table.row_count(), 3);
        let second = table.row(1).expect("a second row");
        assert_eq!(
            (second.len(), second.get(1), second.get(2)),
            (2, Some("x & y"), None)
        );
        assert_eq!(second.cells().collect::<Vec<_>>(), ["2", "x & y"]);
        assert_eq!(table.cell(second, "B"), "x & y");
        assert_eq!(table.cell(second, "C"), "", "a column the table lacks");
        assert!(table.row(3).is_none());
        assert_eq!(
            format!("{table:?}"),
            r#"OciTable { headings: ["A", "B"], rows: [["1", ""], ["2", "x & y"], ["3", "z"]] }"#
        );
        let empty = read("<colHeading>A</colHeading><colHeading>B</colHeading>").expect("reads");
        assert_eq!(
            empty,
            OciTable::with_rows(headings(), Vec::<[&str; 2]>::new())
        );
        assert_eq!(empty.rows().len(), 0);
    }

    #[test]
    fn typed_rows_are_read_by_heading_and_written_in_heading_order() {
        use crate::ocip::commands::DepartmentRow;
        let row = DepartmentRow {
            is_enterprise_department: "false".into(),
            department_name: "Sales".into(),
            full_path_name: "Sales (ApioGrpTest)".into(),
            calling_line_id_name: "".into(),
            calling_line_id_phone_number: "+32-25126700".into(),
        };
        let table = OciTable::of([row.clone()]);
        assert_eq!(
            table.headings().cells().collect::<Vec<_>>(),
            DepartmentRow::HEADINGS
        );
        assert_eq!(
            table.row(0).map(|r| r.cells().collect::<Vec<_>>()),
            Some(vec![
                "false",
                "Sales",
                "Sales (ApioGrpTest)",
                "",
                "+32-25126700"
            ])
        );
        assert_eq!(table.typed::<DepartmentRow>().collect::<Vec<_>>(), [row]);
        // Another order, a column missing and one more: each field still finds its heading.
        let table = OciTable::with_rows(
            [
                "Department Name",
                "Other",
                "Is Enterprise Department",
                "Full Path Name",
            ]
            .map(String::from)
            .to_vec(),
            [["Support", "x", "true", "Support (Ent)"]],
        );
        assert_eq!(
            table.typed::<DepartmentRow>().collect::<Vec<_>>(),
            [DepartmentRow {
                is_enterprise_department: "true".into(),
                department_name: "Support".into(),
                full_path_name: "Support (Ent)".into(),
                ..DepartmentRow::default()
            }]
        );
    }

    #[test]
    fn a_row_with_another_count_of_cells_is_refused_either_way() {
        for row in [
            "<row><col>1</col></row>",
            "<row><col>1</col><col>&amp;</col><col/></row>",
        ] {
            let err = read(&format!(
                "<colHeading>A</colHeading><colHeading>B</colHeading>{row}"
            ))
            .expect_err("refused");
            assert!(err.contains("column headings"), "{row}: {err}");
        }
    }
}
