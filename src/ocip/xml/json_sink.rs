//! The JSON view of a typed value, written straight from the value: the same text
//! [`write_json`](crate::ocip::xml::json::write_json) writes from the XML the value is sent as,
//! with no XML written and no tree built (bulk writes one per row).

use std::borrow::Cow;

use crate::ocip::commands::OciTable;

use crate::ocip::xml::json::{as_sent, write_object, write_sent_str, write_table};
use crate::ocip::xml::sink::{table_elements, ElementSink};

/// Collects the elements of a value and writes their JSON view.
///
/// The members of each open element are kept, their JSON already written, until the element
/// ends; then they become one object (a repeated name an array at its first place, an
/// `xsi:type` the key `"type"`), exactly as the view of the parsed XML makes them.
#[derive(Debug, Default)]
pub struct JsonSink {
    /// The JSON of the first element ended at the top level.
    out: Vec<u8>,
    /// The member values of the open elements, one after another.
    values: Vec<u8>,
    /// Member names and the `xsi:type`s of open elements, one after another.
    names: String,
    /// The members of the open elements, outermost first.
    members: Vec<Member>,
    /// The open elements, outermost first.
    open: Vec<Open>,
    /// Where an ended element's object is put together.
    scratch: Vec<u8>,
}

/// A member of an open element: its name in `names`, its JSON in `values`.
#[derive(Debug)]
struct Member {
    name: (usize, usize),
    value: (usize, usize),
}

/// An open element: where its members start, and its `xsi:type`.
#[derive(Debug)]
struct Open {
    members: usize,
    values: usize,
    names: usize,
    type_name: Option<(usize, usize)>,
}

impl JsonSink {
    /// A sink whose buffers hold about `bytes` of JSON before they grow (a bulk row's command
    /// is some 800 bytes).
    pub fn with_capacity(bytes: usize) -> Self {
        Self {
            out: Vec::new(),
            values: Vec::with_capacity(bytes),
            names: String::with_capacity(bytes / 4),
            members: Vec::with_capacity(32),
            open: Vec::with_capacity(8),
            scratch: Vec::with_capacity(bytes),
        }
    }

    /// The JSON text of the element written (empty when none ended).
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Adds a member to the open element (or makes it the output at the top level).
    fn member(&mut self, name: &str, value: impl FnOnce(&mut Vec<u8>)) {
        if self.open.is_empty() {
            self.out.clear();
            value(&mut self.out);
            return;
        }
        let start = self.values.len();
        value(&mut self.values);
        let name_start = self.names.len();
        self.names.push_str(name);
        self.members.push(Member {
            name: (name_start, self.names.len()),
            value: (start, self.values.len()),
        });
    }

    fn start(&mut self, type_name: Option<&str>) {
        let names = self.names.len();
        let type_name = type_name.map(|t| {
            self.names.push_str(t);
            (names, self.names.len())
        });
        self.open.push(Open {
            members: self.members.len(),
            values: self.values.len(),
            names,
            type_name,
        });
    }
}

impl ElementSink for JsonSink {
    fn open(&mut self, _name: &str) {
        self.start(None);
    }

    fn open_typed(&mut self, _name: &str, type_name: &str) {
        self.start(Some(type_name));
    }

    fn close(&mut self, name: &str) {
        let Some(open) = self.open.pop() else { return };
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let names = &self.names;
        let values = &self.values;
        write_object(
            &self.members[open.members..],
            |m| &names[m.name.0..m.name.1],
            |m, out| out.extend_from_slice(&values[m.value.0..m.value.1]),
            open.type_name.map(|(start, end)| &names[start..end]),
            "",
            &mut scratch,
        );
        self.members.truncate(open.members);
        self.values.truncate(open.values);
        self.names.truncate(open.names);
        if self.open.is_empty() {
            // The outermost element's object is the output: moved there, not copied.
            self.out = scratch;
            return;
        }
        self.member(name, |out| out.extend_from_slice(&scratch));
        self.scratch = scratch;
    }

    fn nil(&mut self, name: &str) {
        self.member(name, |out| out.extend_from_slice(b"null"));
    }

    fn nil_typed(&mut self, name: &str, _type_name: &str) {
        self.nil(name);
    }

    fn leaf(&mut self, name: &str, text: &str) {
        self.member(name, |out| write_sent_str(text, out));
    }

    fn table(&mut self, name: &str, table: &OciTable) {
        // Without headings the view has no table to make: the elements as they are.
        if table.headings().is_empty() {
            table_elements(self, name, table);
            return;
        }
        let headings: Vec<Cow<'_, str>> = table.headings().cells().map(as_sent).collect();
        self.member(name, |out| {
            write_table(
                &headings,
                table
                    .rows()
                    .map(|row| row.cells().map(as_sent).collect::<Vec<_>>()),
                out,
            )
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::fixture::all_fixture_documents;
    use crate::ocip::commands::*;
    use crate::ocip::value::{Node, OciCommand};
    use crate::ocip::xml::json::{command_to_json, write_json};
    use crate::ocip::xml::{parse, XmlWriter};

    /// The view of the `<command>` element a typed command is sent as: written, parsed, viewed.
    fn view_of_its_xml<C: OciCommand>(command: &C) -> String {
        let mut w = XmlWriter::with_capacity(1024);
        command.write_command(&mut w);
        let text = encoding_rs::mem::decode_latin1(&w.into_bytes()).into_owned();
        let mut out = Vec::new();
        write_json(&parse(&text).unwrap(), &mut out);
        String::from_utf8(out).unwrap()
    }

    fn same_view<C: OciCommand>(command: &C) {
        assert_eq!(
            command_to_json(command).as_text(),
            view_of_its_xml(command),
            "{}",
            C::NAME
        );
    }

    /// Reads `e` as the typed command its `xsi:type` names and checks its view; 1 when it was
    /// one of the typed commands.
    macro_rules! viewed_as_typed {
        ($e:expr, $($t:ty),* $(,)?) => {
            match $e.xsi_type() {
                $(Some(name) if name == <$t>::NAME => match <$t>::read_command(Node::of($e)) {
                    Ok(command) => { same_view(&command); 1 }
                    Err(_) => 0,
                },)*
                _ => 0,
            }
        };
    }

    #[test]
    fn every_typed_fixture_command_is_viewed_as_the_xml_it_is_sent_as() {
        let mut checked = 0;
        for text in all_fixture_documents() {
            let Ok(root) = parse(&text) else { continue };
            for e in root.children.iter().filter(|c| c.name == "command") {
                checked += viewed_as_typed!(
                    e,
                    GroupGetRequest22V5,
                    GroupGetResponse22V5,
                    GroupDepartmentGetListRequest18,
                    GroupDnGetAssignmentListResponse18,
                    GroupHuntGroupAddInstanceRequest20,
                    GroupHuntGroupModifyInstanceRequest,
                    GroupHuntGroupGetInstanceRequest20,
                    GroupHuntGroupGetInstanceResponse20,
                    GroupHuntGroupDeleteInstanceRequest,
                    GroupHuntGroupGetInstanceListRequest,
                    GroupHuntGroupGetInstanceListResponse,
                    GroupHuntGroupGetAvailableUserListRequest,
                    GroupHuntGroupGetAvailableUserListResponse,
                    GroupHuntGroupModifyInstanceWeightedCallDistributionRequest,
                    GroupHuntGroupModifyActiveInstanceListRequest,
                    ServiceProviderGetListResponse,
                    GroupGetListInServiceProviderResponse,
                    UserGetListInGroupResponse,
                    UserGetResponse23V2,
                );
            }
        }
        assert!(checked >= 60, "{checked} typed commands checked");
    }

    #[test]
    fn odd_text_nils_and_tables_are_viewed_as_their_xml() {
        let odd = "a\u{1}b\rc\"d\\e\tf\ng \u{e9} \u{30bb} \u{1F600} <&> \u{FFFE}  ";
        let modify = GroupHuntGroupModifyInstanceRequest::read_command(Node::of(
            &parse(
                r#"<command xsi:type="GroupHuntGroupModifyInstanceRequest">
                <serviceUserId>x</serviceUserId>
                <serviceInstanceProfile><name>N</name>
                <phoneNumber xsi:nil="true"/>
                <department xsi:type="GroupDepartmentKey" xsi:nil="true"/>
                <sipAliasList><sipAlias>a@b.c</sipAlias><sipAlias>d@e.f</sipAlias></sipAliasList>
                </serviceInstanceProfile>
                <agentUserIdList xsi:nil="true"/></command>"#,
            )
            .unwrap(),
        ))
        .unwrap();
        let mut odd_id = modify.clone();
        odd_id.service_user_id = odd.to_owned();
        for command in [
            modify,
            odd_id,
            GroupHuntGroupModifyInstanceRequest::default(),
        ] {
            same_view(&command);
        }
        let table = |headings: &[&str], rows: &[&[&str]]| GroupHuntGroupGetInstanceListResponse {
            hunt_group_table: OciTable::with_rows(headings, rows.iter().map(|r| r.iter())),
        };
        for response in [
            table(&["A", "A", "B"], &[&["1", "2", "3"], &[odd, "", "x"]]),
            table(&["Only"], &[]),
            table(&[], &[]),
            table(&[odd], &[&[odd]]),
        ] {
            same_view(&response);
        }
        assert_eq!(
            command_to_json(&table(&["A", "A"], &[&["1", "2"]])).as_text(),
            r#"{"type":"GroupHuntGroupGetInstanceListResponse","huntGroupTable":[{"A":"2"}]}"#
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

        /// Any text, in a plain field and in a table (repeated headings included), is viewed
        /// as the XML it is sent as.
        #[test]
        fn any_text_is_viewed_as_the_xml_it_is_sent_as(
            id in "\\PC*|[\\x00-\\x20\"\\\\<&>\\u{FFFE}]*",
            headings in proptest::collection::vec("[AB\\x01\"]{0,2}", 0..4),
            cells in proptest::collection::vec(proptest::collection::vec(".{0,3}", 0..4), 0..3),
        ) {
            let command = GroupHuntGroupDeleteInstanceRequest { service_user_id: id };
            same_view(&command);
            let response = GroupHuntGroupGetInstanceListResponse {
                hunt_group_table: OciTable::with_rows(headings, cells),
            };
            same_view(&response);
        }
    }
}
