//! Property-based fuzzing (proptest) of the document parser with the simulator behind it, the
//! framing codec and the CSV sheet reader: random input and mutations of the checked-in corpus
//! (fixtures/oci, fixtures/bulk) never panic, and buffers stay within their limits. Mutated
//! GetInstance answers decode straight from the text exactly as from their tree (the same value
//! or the same error; about a third of single-byte changes still decode). Cases per
//! property are bounded so the run takes seconds; raise PROPTEST_CASES for a longer run.

use bytes::BytesMut;
use proptest::prelude::*;
use tokio_util::codec::Decoder;

use ocigw::bulk::input;
use ocigw::ocip::commands::GroupHuntGroupGetInstanceRequest20;
use ocigw::ocip::error::OciError;
use ocigw::ocip::session::{decode_answer, decode_response};
use ocigw::ocip::xml::charset::decode_document;
use ocigw::ocip::{OciCodec, ParsedDocument};
use ocigw::sim::connection::Connection;
use ocigw::sim::faults::ConnectionFaults;
use ocigw::sim::Shared;

fn corpus() -> Vec<Vec<u8>> {
    let root = crate::common::crate_path("fixtures/oci");
    let mut docs = Vec::new();
    for set in std::fs::read_dir(root).unwrap() {
        let set = set.unwrap().path();
        if !set.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(set).unwrap() {
            let path = file.unwrap().path();
            if path.extension().is_some_and(|x| x == "xml") {
                docs.extend(
                    ocigw::fixture::split_documents(&std::fs::read(path).unwrap()).unwrap(),
                );
            }
        }
    }
    docs
}

/// Applies byte edits (position, kind, byte) to a seed.
fn mutate(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for &(pos, kind, byte) in edits {
        if out.is_empty() {
            out.push(byte);
            continue;
        }
        let at = pos % out.len();
        match kind % 3 {
            0 => out[at] = byte,
            1 => out.insert(at, byte),
            _ => {
                out.remove(at);
            }
        }
    }
    out
}

fn answer(bytes: &[u8]) -> Vec<u8> {
    let shared = Shared::new(crate::common::demo_directory());
    let faults = ConnectionFaults::new(&shared.faults, 1);
    let mut conn = Connection::new(false, 1);
    conn.answer(&shared, bytes, &faults)
}

/// A GetInstance answer decoded the way a document that fails the straight read is: as a tree.
fn decoded_from_tree(
    bytes: &[u8],
) -> Result<ocigw::ocip::commands::GroupHuntGroupGetInstanceResponse20, OciError> {
    let text = decode_document(bytes)?;
    let doc = ParsedDocument::parse(&text)?;
    decode_answer::<GroupHuntGroupGetInstanceRequest20>(doc.first_command()?)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_mutated_answer_decodes_straight_from_the_text_as_from_its_tree(
        seed in 0usize..10_000,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..6),
    ) {
        let answers: Vec<Vec<u8>> = corpus()
            .into_iter()
            .filter(|doc| memchr::memmem::find(doc, b"GroupHuntGroupGetInstanceResponse20").is_some())
            .collect();
        prop_assert!(!answers.is_empty());
        let doc = mutate(&answers[seed % answers.len()], &edits);
        let straight = decode_response::<GroupHuntGroupGetInstanceRequest20>(&doc);
        let tree = decoded_from_tree(&doc);
        match (straight, tree) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "straight {:?}, tree {:?}", a.is_ok(), b.is_ok()),
        }
    }

    #[test]
    fn random_bytes_never_panic_the_simulator(bytes in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let out = answer(&bytes);
        prop_assert!(out.ends_with(b"</BroadsoftDocument>"));
    }

    #[test]
    fn mutated_fixtures_never_panic_the_simulator(
        seed in 0usize..10_000,
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12),
    ) {
        let corpus = corpus();
        let doc = mutate(&corpus[seed % corpus.len()], &edits);
        let out = answer(&doc);
        prop_assert!(out.ends_with(b"</BroadsoftDocument>"));
    }

    #[test]
    fn framing_never_panics_and_stays_within_its_limit(
        chunks in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..300), 0..20),
    ) {
        let mut codec = OciCodec::new(1024);
        let mut buf = BytesMut::new();
        for chunk in chunks {
            buf.extend_from_slice(&chunk);
            match codec.decode(&mut buf) {
                Ok(Some(frame)) => prop_assert!(frame.len() <= 1024),
                Ok(None) => prop_assert!(buf.len() <= 1024),
                Err(_) => return Ok(()),
            }
        }
        let _ = codec.decode_eof(&mut buf);
    }

    #[test]
    fn sheets_never_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..16),
    ) {
        let template = std::fs::read(crate::common::crate_path("fixtures/bulk/published-template.csv")).unwrap();
        for input in [bytes, mutate(&template, &edits)] {
            if let Ok((rows, _)) = input::csv(std::io::Cursor::new(input)) {
                for row in rows.take(50).flatten() {
                    let _ = row.to_request();
                }
            }
        }
    }
}
