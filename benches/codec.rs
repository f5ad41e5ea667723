//! Benchmarks of the OCI-P codec and of one round trip to the simulator over loopback.
//!
//! - encode: a full GroupHuntGroupAddInstanceRequest20 to ISO-8859-1 bytes (target < 5 µs);
//! - the JSON view of the same command, written straight from the typed value (each bulk
//!   result carries one);
//! - decode: a GroupHuntGroupGetInstanceResponse20 with 10 agents from bytes to the typed
//!   response (target < 5 µs);
//! - the decode's first step (ISO-8859-1 to text), the element tree of the same text (what the
//!   simulator and the JSON view build; a response is decoded without it), and quick-xml's bare
//!   event loop over the same text, for comparison with our own tokenizer (`ocip::xml::reader`);
//! - round trip: GroupHuntGroupGetInstanceRequest20 through a logged-in session to the
//!   simulator on 127.0.0.1, called from a task spawned on the runtime (criterion reports the
//!   median).
//!
//! - the schema catalog: loading the embedded R25 (target ≤ 30 ms), any command as JSON to XML
//!   (GroupHuntGroupAddInstanceRequest20, target ≤ 3 µs) and an answer's XML to JSON
//!   (GroupHuntGroupGetInstanceResponse20 with 10 agents, target ≤ 12 µs).
//!
//! Run: `cargo bench --bench codec`

use std::net::SocketAddr;

use criterion::{criterion_group, criterion_main, Criterion};

use ocigw::ocip::commands::*;
use ocigw::ocip::document::encode_command;
use ocigw::ocip::session::decode_response;
use ocigw::ocip::xml::json::command_to_json;
use ocigw::ocip::{ConnectOptions, Secret, Session};
use ocigw::sim::{DataFile, Directory, SimConfig, SimServer};

/// The allocator the `ocigw` binary uses, so the benches time what the binary runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SUID: &str = "bench.hunt@apiotest.example.com";

const AGENTS: [&str; 10] = [
    "test.user4000@apiotest.example.com",
    "anna.peeters@apiotest.example.com",
    "luc.janssens@apiotest.example.com",
    "chloe.dubois@apiotest.example.com",
    "test.user4004@apiotest.example.com",
    "taro.yamada@apiotest.example.com",
    "test1.user5001@apiotest.example.com",
    "marc.maes@apiotest.example.com",
    "sofie.claes@apiotest.example.com",
    "jan.wouters@apiotest.example.com",
];

fn add_request() -> GroupHuntGroupAddInstanceRequest20 {
    GroupHuntGroupAddInstanceRequest20 {
        service_provider_id: "ApioSpTest".into(),
        group_id: "ApioGrpTest".into(),
        service_user_id: SUID.into(),
        service_instance_profile: ServiceInstanceAddProfile {
            name: "Équipe Ventes".try_into().unwrap(),
            calling_line_id_last_name: "Ventes".try_into().unwrap(),
            calling_line_id_first_name: "Équipe".try_into().unwrap(),
            hiragana_last_name: Some("せーるす".try_into().unwrap()),
            phone_number: Some("+32-25126719".try_into().unwrap()),
            extension: Some("4719".try_into().unwrap()),
            department: Some(DepartmentKey::Group(GroupDepartmentKey {
                service_provider_id: "ApioSpTest".into(),
                group_id: "ApioGrpTest".into(),
                name: "test_department_initial".into(),
            })),
            language: Some("English".try_into().unwrap()),
            time_zone: Some("Europe/Brussels".try_into().unwrap()),
            alias: vec!["sip:sales@apiotest.example.com".try_into().unwrap()],
            ..Default::default()
        },
        policy: HuntPolicy::Weighted,
        hunt_after_no_answer: true,
        no_answer_number_of_rings: 5.try_into().unwrap(),
        forward_timeout_seconds: 10.try_into().unwrap(),
        agent_user_id: AGENTS.iter().map(|a| (*a).to_owned()).collect(),
        allow_call_waiting_for_agents: true,
        use_system_hunt_group_clid_setting: true,
        include_hunt_group_name_in_clid: true,
        ..Default::default()
    }
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    session: Session,
    response: Vec<u8>,
    _sim: SimServer,
}

fn fixture() -> Fixture {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let (sim, session, response) = runtime.block_on(async {
        let directory = Directory::from_data(&DataFile::demo()).expect("demo data");
        let sim = SimServer::start(SimConfig::new(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            directory,
        ))
        .await
        .expect("simulator");
        let opts = ConnectOptions::new(
            "127.0.0.1",
            sim.addr().port(),
            "admin",
            Secret::new("admin"),
        );
        let session = Session::connect(&opts).await.expect("login");
        session.call(&add_request()).await.expect("add");
        let get = GroupHuntGroupGetInstanceRequest20 {
            service_user_id: SUID.into(),
        };
        let response = session
            .call_document("bench", encode_command(session.session_id(), &get))
            .await
            .expect("get")
            .to_vec();
        (sim, session, response)
    });
    Fixture {
        runtime,
        session,
        response,
        _sim: sim,
    }
}

fn benches(c: &mut Criterion) {
    let add = add_request();
    c.bench_function("encode GroupHuntGroupAddInstanceRequest20", |b| {
        b.iter(|| {
            encode_command(
                std::hint::black_box("0f0e0d0c-0b0a-0908-0706-050403020100"),
                &add,
            )
        })
    });

    c.bench_function(
        "JSON view of GroupHuntGroupAddInstanceRequest20 (a bulk result's command)",
        |b| b.iter(|| command_to_json(std::hint::black_box(&add))),
    );

    let f = fixture();
    let decoded =
        decode_response::<GroupHuntGroupGetInstanceRequest20>(&f.response).expect("decodes");
    assert_eq!(decoded.agent_user_table.row_count(), 10);
    c.bench_function(
        "decode GroupHuntGroupGetInstanceResponse20 (10 agents)",
        |b| {
            b.iter(|| {
                decode_response::<GroupHuntGroupGetInstanceRequest20>(std::hint::black_box(
                    &f.response,
                ))
                .expect("decodes")
            })
        },
    );

    c.bench_function("decode step 1: ISO-8859-1 bytes to text", |b| {
        b.iter(|| {
            ocigw::ocip::xml::charset::decode_document(std::hint::black_box(&f.response))
                .unwrap()
                .len()
        })
    });
    let text = ocigw::ocip::xml::charset::decode_document(&f.response)
        .unwrap()
        .into_owned();
    c.bench_function("for comparison: text to element tree", |b| {
        b.iter(|| {
            ocigw::ocip::xml::parse(std::hint::black_box(&text))
                .unwrap()
                .children
                .len()
        })
    });
    c.bench_function(
        "reference: quick-xml event loop alone over the same text",
        |b| {
            b.iter(|| {
                let mut r = quick_xml::Reader::from_str(std::hint::black_box(&text));
                let mut n = 0usize;
                loop {
                    match r.read_event().unwrap() {
                        quick_xml::events::Event::Eof => break,
                        _ => n += 1,
                    }
                }
                n
            })
        },
    );
    let get = GroupHuntGroupGetInstanceRequest20 {
        service_user_id: SUID.into(),
    };
    // Calls are made from a task spawned on the runtime, as the gateway makes them: a loop in
    // `block_on` runs on the calling thread, outside the runtime's workers, and every answer
    // then wakes that thread from another (on this 2-core VM: about 280 µs a call instead of
    // 100 µs).
    c.bench_function(
        "round trip GroupHuntGroupGetInstanceRequest20 to the simulator",
        |b| {
            b.iter_custom(|iterations| {
                let session = f.session.clone();
                let get = get.clone();
                f.runtime
                    .block_on(f.runtime.spawn(async move {
                        let started = std::time::Instant::now();
                        for _ in 0..iterations {
                            session.call(&get).await.expect("get");
                        }
                        started.elapsed()
                    }))
                    .expect("the timing task completes")
            })
        },
    );
}

/// Parse time against input size for hostile shapes: an element with a flood of attributes
/// (refused after the 16th, so the time must not grow with the flood) and a document with many
/// elements (accepted; the time must grow linearly). Compare the per-size times.
fn parse_scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse_scaling");
    group.sample_size(10);
    for n in [25_000usize, 50_000, 100_000, 200_000] {
        let attributes: String = (0..n).map(|i| format!(" a{i}=\"1\"")).collect();
        let flood = format!("<a{attributes}/>");
        group.bench_function(format!("attributes/{n}"), |b| {
            b.iter(|| ocigw::ocip::xml::parse(std::hint::black_box(&flood)).is_err())
        });
        let elements = format!("<a>{}</a>", "<b>text</b>".repeat(n));
        group.bench_function(format!("elements/{n}"), |b| {
            b.iter(|| ocigw::ocip::xml::parse(std::hint::black_box(&elements)).is_ok())
        });
    }
    group.finish();
}

/// The bench's hunt group as the JSON form of the catalog.
fn add_json() -> serde_json::Value {
    serde_json::json!({
        "command": "GroupHuntGroupAddInstanceRequest20",
        "serviceProviderId": "ApioSpTest", "groupId": "ApioGrpTest", "serviceUserId": SUID,
        "serviceInstanceProfile": {
            "name": "Équipe Ventes", "callingLineIdLastName": "Ventes",
            "callingLineIdFirstName": "Équipe", "hiraganaLastName": "せーるす",
            "phoneNumber": "+32-25126719", "extension": "4719",
            "department": {"xsi:type": "GroupDepartmentKey", "serviceProviderId": "ApioSpTest",
                           "groupId": "ApioGrpTest", "name": "test_department_initial"},
            "timeZone": "Europe/Brussels"
        },
        "policy": "Weighted", "huntAfterNoAnswer": true, "noAnswerNumberOfRings": 5,
        "forwardAfterTimeout": false, "forwardTimeoutSeconds": 0,
        "agentUserId": AGENTS,
        "allowCallWaitingForAgents": false, "useSystemHuntGroupCLIDSetting": true,
        "includeHuntGroupNameInCLID": true, "enableNotReachableForwarding": false,
        "makeBusyWhenNotReachable": false, "allowMembersToControlGroupBusy": false,
        "enableGroupBusy": false, "applyGroupBusyWhenTerminatingToAgent": false
    })
}

fn catalog(c: &mut Criterion) {
    use ocigw::schema::Catalog;
    let mut group = c.benchmark_group("catalog");
    group.sample_size(20);
    group.bench_function("load the embedded R25", |b| {
        b.iter(|| Catalog::parse_embedded().expect("loads"))
    });
    group.finish();
    let catalog = Catalog::embedded();
    let add = add_json();
    c.bench_function(
        "catalog: JSON to XML GroupHuntGroupAddInstanceRequest20",
        |b| {
            b.iter(|| {
                let mut w = ocigw::ocip::xml::XmlWriter::with_capacity(2048);
                ocigw::schema::encode::encode_command(&catalog, std::hint::black_box(&add), &mut w)
                    .expect("valid");
                w.into_bytes()
            })
        },
    );
    let f = fixture();
    let answers = ocigw::schema::exchange::answers(&catalog, &f.response).expect("decodes");
    assert!(
        answers[0].violations.is_empty(),
        "{:?}",
        answers[0].violations
    );
    assert_eq!(
        answers[0].value["agentUserTable"].as_array().map(Vec::len),
        Some(10)
    );
    c.bench_function(
        "catalog: XML to JSON GroupHuntGroupGetInstanceResponse20 (10 agents)",
        |b| {
            b.iter(|| {
                ocigw::schema::exchange::answers(&catalog, std::hint::black_box(&f.response))
                    .expect("decodes")
            })
        },
    );
}

criterion_group!(codec, benches, parse_scaling, catalog);
criterion_main!(codec);
