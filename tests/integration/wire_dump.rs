//! Writes one document of every kind ocigw produces, as client (typed requests with every
//! optional field set) and as simulator (their answers), into <target dir>/tmp/oci-dump/ (CARGO_TARGET_TMPDIR), where `.ci/run`
//! checks them against the official schema with oci-validate. The test itself checks that every
//! exchange got the answer it should.

use std::path::PathBuf;

use crate::common::{command_types, error_summary, scratch_path, start_sim, Raw};
use ocigw::fixture::write_exchange;
use ocigw::ocip::auth::signed_password;
use ocigw::ocip::commands::*;
use ocigw::ocip::document::encode_command;
use ocigw::ocip::session::decode_response;
use ocigw::ocip::value::{Nillable, OciCommand, OciRequest};
use ocigw::ocip::Secret;

struct Dump {
    dir: PathBuf,
    count: usize,
}

impl Dump {
    fn new(name: &str) -> Self {
        let dir = scratch_path("oci-dump").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir, count: 0 }
    }

    /// Sends `command`, records both documents, and checks the answer's type.
    async fn exchange<C: OciCommand>(
        &mut self,
        raw: &mut Raw,
        command: &C,
        expect: &str,
    ) -> Vec<u8> {
        self.count += 1;
        let request = encode_command("dump-session", command);
        raw.send(&request).await;
        let answer = raw.recv().await.expect("an answer");
        let path = self.dir.join(format!("{:02}-{}.xml", self.count, C::NAME));
        write_exchange(&path, &request, &answer).unwrap();
        assert_eq!(command_types(&answer), [expect], "answer to {}", C::NAME);
        answer
    }
}

impl Dump {
    /// Sends `request`, records both documents, and decodes its answer, which must be its
    /// response type.
    async fn call<R: OciRequest>(&mut self, raw: &mut Raw, request: &R) -> R::Response {
        let answer = self.exchange(raw, request, R::Response::NAME).await;
        decode_response::<R>(&answer).expect("the response decodes")
    }

    /// Logs in as admin/admin with the signed password, dumping both exchanges.
    async fn signed_login(&mut self, raw: &mut Raw) {
        let auth = AuthenticationRequest {
            user_id: "admin".into(),
        };
        let answer = self.exchange(raw, &auth, "AuthenticationResponse").await;
        let login = LoginRequest14sp4 {
            user_id: "admin".into(),
            signed_password: Some(Secret::new(signed_password(&nonce(&answer), "admin"))),
            plain_text_password: None,
        };
        self.exchange(raw, &login, "LoginResponse14sp4").await;
    }
}

fn nonce(answer: &[u8]) -> String {
    let text = String::from_utf8_lossy(answer);
    let start = text.find("<nonce>").unwrap() + "<nonce>".len();
    let end = text.find("</nonce>").unwrap();
    text[start..end].to_owned()
}

const SP: &str = "ApioSpTest";
const GROUP: &str = "ApioGrpTest";
const SUID: &str = "dump.hunt@apiotest.example.com";

fn group_dept(name: &str) -> DepartmentKey {
    DepartmentKey::Group(GroupDepartmentKey {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        name: name.into(),
    })
}

fn full_add() -> GroupHuntGroupAddInstanceRequest20 {
    GroupHuntGroupAddInstanceRequest20 {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        service_user_id: SUID.into(),
        service_instance_profile: ServiceInstanceAddProfile {
            name: "Équipe <Ventes> & 販売".try_into().unwrap(),
            calling_line_id_last_name: "Ventes".try_into().unwrap(),
            calling_line_id_first_name: "Équipe".try_into().unwrap(),
            hiragana_last_name: Some("せーるす".try_into().unwrap()),
            hiragana_first_name: Some("ちーむ".try_into().unwrap()),
            phone_number: Some("+32-25126715".try_into().unwrap()),
            extension: Some("4715".try_into().unwrap()),
            password: Some(Secret::new("Hunt!2026")),
            department: Some(DepartmentKey::Enterprise(EnterpriseDepartmentKey {
                service_provider_id: SP.into(),
                name: "enterprise_operations".into(),
            })),
            language: Some("English".try_into().unwrap()),
            time_zone: Some("Europe/Brussels".try_into().unwrap()),
            alias: vec![
                "sip:a@apiotest.example.com".try_into().unwrap(),
                "sip:b@apiotest.example.com".try_into().unwrap(),
                "sip:c@apiotest.example.com".try_into().unwrap(),
            ],
            public_user_identity: Some("sip:dump@apiotest.example.com".try_into().unwrap()),
            calling_line_id_phone_number: Some("+32-25126715".try_into().unwrap()),
        },
        policy: HuntPolicy::Circular,
        hunt_after_no_answer: true,
        no_answer_number_of_rings: 20.try_into().unwrap(),
        forward_after_timeout: true,
        forward_timeout_seconds: 7200.try_into().unwrap(),
        forward_to_phone_number: Some("+3225126799".try_into().unwrap()),
        agent_user_id: vec![
            "test.user4000@apiotest.example.com".into(),
            "taro.yamada@apiotest.example.com".into(),
        ],
        allow_call_waiting_for_agents: false,
        use_system_hunt_group_clid_setting: false,
        include_hunt_group_name_in_clid: false,
        enable_not_reachable_forwarding: true,
        not_reachable_forward_to_phone_number: Some(
            "sip:voicemail@apiotest.example.com".try_into().unwrap(),
        ),
        make_busy_when_not_reachable: true,
        allow_members_to_control_group_busy: true,
        enable_group_busy: true,
        apply_group_busy_when_terminating_to_agent: true,
        network_class_of_service: Some("Premium".try_into().unwrap()),
    }
}

fn full_modify() -> GroupHuntGroupModifyInstanceRequest {
    GroupHuntGroupModifyInstanceRequest {
        service_user_id: SUID.into(),
        service_instance_profile: Some(ServiceInstanceModifyProfile {
            name: Some("Renamed".try_into().unwrap()),
            calling_line_id_last_name: Some("Last".try_into().unwrap()),
            calling_line_id_first_name: Some("First".try_into().unwrap()),
            hiragana_last_name: Some("らすと".try_into().unwrap()),
            hiragana_first_name: Some("ふぁーすと".try_into().unwrap()),
            phone_number: Some(Nillable::Set("25126716".try_into().unwrap())),
            extension: Some(Nillable::Set("4716".try_into().unwrap())),
            password: Some(Secret::new("Other!2026")),
            department: Some(Nillable::Set(group_dept("test_department_initial"))),
            language: Some("French".try_into().unwrap()),
            time_zone: Some("Asia/Tokyo".try_into().unwrap()),
            sip_alias_list: Some(Nillable::Set(ReplacementSIPAliasList {
                sip_alias: vec!["sip:x@apiotest.example.com".try_into().unwrap()],
            })),
            public_user_identity: Some(Nillable::Set(
                "sip:renamed@apiotest.example.com".try_into().unwrap(),
            )),
            calling_line_id_phone_number: Some(Nillable::Set("+32-25126716".try_into().unwrap())),
        }),
        policy: Some(HuntPolicy::Weighted),
        hunt_after_no_answer: Some(false),
        no_answer_number_of_rings: Some(1.try_into().unwrap()),
        forward_after_timeout: Some(false),
        forward_timeout_seconds: Some(0.try_into().unwrap()),
        forward_to_phone_number: Some(Nillable::Set("+3225126798".try_into().unwrap())),
        agent_user_id_list: Some(Nillable::Set(ReplacementUserIdList {
            user_id: vec![
                "taro.yamada@apiotest.example.com".into(),
                "marc.maes@apiotest.example.com".into(),
            ],
        })),
        allow_call_waiting_for_agents: Some(true),
        use_system_hunt_group_clid_setting: Some(true),
        include_hunt_group_name_in_clid: Some(true),
        enable_not_reachable_forwarding: Some(false),
        not_reachable_forward_to_phone_number: Some(Nillable::Set(
            "+3225126797".try_into().unwrap(),
        )),
        make_busy_when_not_reachable: Some(false),
        allow_members_to_control_group_busy: Some(false),
        enable_group_busy: Some(false),
        apply_group_busy_when_terminating_to_agent: Some(false),
        network_class_of_service: Some("Basic".try_into().unwrap()),
    }
}

fn clearing_modify() -> GroupHuntGroupModifyInstanceRequest {
    GroupHuntGroupModifyInstanceRequest {
        service_user_id: SUID.into(),
        service_instance_profile: Some(ServiceInstanceModifyProfile {
            phone_number: Some(Nillable::Nil),
            extension: Some(Nillable::Nil),
            department: Some(Nillable::Nil),
            sip_alias_list: Some(Nillable::Nil),
            public_user_identity: Some(Nillable::Nil),
            calling_line_id_phone_number: Some(Nillable::Nil),
            ..Default::default()
        }),
        forward_to_phone_number: Some(Nillable::Nil),
        agent_user_id_list: Some(Nillable::Nil),
        not_reachable_forward_to_phone_number: Some(Nillable::Nil),
        ..Default::default()
    }
}

fn text_criterion(mode: &str, value: &str) -> SearchCriteriaText {
    SearchCriteriaText {
        mode: mode.into(),
        value: value.into(),
        is_case_insensitive: true,
    }
}

#[tokio::test]
async fn every_document_kind_is_dumped_for_schema_validation() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    let mut dump = Dump::new("signed-login-session");
    dump.signed_login(&mut raw).await;
    let group = GroupGetRequest22V5 {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
    };
    dump.exchange(&mut raw, &group, "GroupGetResponse22V5")
        .await;
    let departments = GroupDepartmentGetListRequest18 {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        include_enterprise_departments: true,
    };
    dump.exchange(&mut raw, &departments, "GroupDepartmentGetListResponse18")
        .await;
    dump.exchange(&mut raw, &full_add(), "SuccessResponse")
        .await;
    let numbers = GroupDnGetAssignmentListRequest18 {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        response_size_limit: Some(100),
    };
    let answer = dump
        .exchange(&mut raw, &numbers, "GroupDnGetAssignmentListResponse18")
        .await;
    assert!(
        String::from_utf8_lossy(&answer).contains("<col>anna.peeters@apiotest.example.com</col>"),
        "the holder of a number is listed"
    );
    let get = GroupHuntGroupGetInstanceRequest20 {
        service_user_id: SUID.into(),
    };
    dump.exchange(&mut raw, &get, "GroupHuntGroupGetInstanceResponse20")
        .await;
    let list = GroupHuntGroupGetInstanceListRequest {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        group_department_name: Some("enterprise_operations".into()),
    };
    let answer = dump
        .exchange(&mut raw, &list, "GroupHuntGroupGetInstanceListResponse")
        .await;
    assert!(
        String::from_utf8_lossy(&answer).contains(SUID),
        "department filter keeps it"
    );
    let available = GroupHuntGroupGetAvailableUserListRequest {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        response_size_limit: Some(100),
        search_criteria_user_last_name: vec![text_criterion("Contains", "e")],
        search_criteria_user_first_name: vec![text_criterion("Starts With", "t")],
        search_criteria_exact_user_department: Some(SearchCriteriaExactUserDepartment {
            department_key: group_dept("test_department_initial"),
        }),
        search_criteria_exact_user_group: Some(SearchCriteriaExactUserGroup {
            service_provider_id: SP.into(),
            group_id: GROUP.into(),
        }),
        search_criteria_user_id: vec![text_criterion("Contains", "@")],
        search_criteria_dn: vec![],
        search_criteria_extension: vec![text_criterion("Equal To", "4000")],
    };
    let answer = dump
        .exchange(
            &mut raw,
            &available,
            "GroupHuntGroupGetAvailableUserListResponse",
        )
        .await;
    assert!(String::from_utf8_lossy(&answer).contains("test.user4000@apiotest.example.com"));
    dump.exchange(&mut raw, &full_modify(), "SuccessResponse")
        .await;
    let weights = GroupHuntGroupModifyInstanceWeightedCallDistributionRequest {
        service_user_id: SUID.into(),
        agent_weight: vec![
            HuntAgentWeight {
                agent_user_id: "taro.yamada@apiotest.example.com".into(),
                weight: 25.try_into().unwrap(),
            },
            HuntAgentWeight {
                agent_user_id: "marc.maes@apiotest.example.com".into(),
                weight: 75.try_into().unwrap(),
            },
        ],
    };
    dump.exchange(&mut raw, &weights, "SuccessResponse").await;
    dump.exchange(&mut raw, &get, "GroupHuntGroupGetInstanceResponse20")
        .await;
    dump.exchange(&mut raw, &clearing_modify(), "SuccessResponse")
        .await;
    dump.exchange(&mut raw, &get, "GroupHuntGroupGetInstanceResponse20")
        .await;
    let active = GroupHuntGroupModifyActiveInstanceListRequest {
        service_activation: vec![ServiceActivation {
            service_user_id: SUID.into(),
            is_active: false,
        }],
    };
    dump.exchange(&mut raw, &active, "SuccessResponse").await;
    let renamed = "dump.renamed@apiotest.example.com";
    let rename = UserModifyUserIdRequest {
        user_id: SUID.into(),
        new_user_id: renamed.into(),
    };
    dump.exchange(&mut raw, &rename, "SuccessResponse").await;
    dump.exchange(&mut raw, &get, "ErrorResponse").await;
    let delete = GroupHuntGroupDeleteInstanceRequest {
        service_user_id: renamed.into(),
    };
    dump.exchange(&mut raw, &delete, "SuccessResponse").await;
    let logout = LogoutRequest {
        user_id: "admin".into(),
        reason: Some("Client Logout".into()),
    };
    dump.exchange(&mut raw, &logout, "SuccessResponse").await;

    // A plain-text password login over plain TCP is refused (tls.rs dumps the accepted one).
    let mut raw = Raw::connect(sim.addr()).await;
    let mut dump = Dump::new("plain-login-session");
    let login = LoginRequest22V5 {
        user_id: "admin".into(),
        password: Some(Secret::new("admin")),
        signed_password: None,
    };
    let answer = dump.exchange(&mut raw, &login, "ErrorResponse").await;
    assert!(error_summary(&answer).starts_with("[Error 4963]"));
}

/// The commands clients send first (software version, providers, groups, users, a user's
/// profile), every optional element set, dumped for schema validation; the answers carry the
/// demo directory's values.
#[tokio::test]
async fn the_commands_clients_call_first_are_dumped_and_answered_from_the_directory() {
    let sim = start_sim().await;
    let mut raw = Raw::connect(sim.addr()).await;
    let mut dump = Dump::new("first-commands-session");
    dump.signed_login(&mut raw).await;

    let version = SystemSoftwareVersionGetRequest {};
    let answer = dump.call(&mut raw, &version).await;
    assert_eq!(answer.version, "25.0_1.0");

    let providers = ServiceProviderGetListRequest {
        is_enterprise: Some(true),
        response_size_limit: Some(10),
        search_criteria_service_provider_id: vec![text_criterion("Starts With", "apio")],
        search_criteria_service_provider_name: vec![text_criterion("Contains", "enterprise")],
        search_criteria_reseller_id: vec![],
    };
    let answer = dump.call(&mut raw, &providers).await;
    let rows: Vec<ServiceProviderRow> = answer.service_provider_table.typed().collect();
    assert_eq!(
        rows,
        [ServiceProviderRow {
            service_provider_id: SP.into(),
            service_provider_name: "APIO Test Enterprise".into(),
            is_enterprise: "true".into(),
            reseller_id: String::new(),
        }]
    );
    let all_providers = ServiceProviderGetListRequest::default();
    let answer = raw.call(&all_providers).await;
    let answer = decode_response::<ServiceProviderGetListRequest>(&answer).unwrap();
    let ids: Vec<String> = answer
        .service_provider_table
        .typed::<ServiceProviderRow>()
        .map(|r| r.service_provider_id)
        .collect();
    assert_eq!(ids, ["ApioSpTest", "DemoSp"]);

    let groups = GroupGetListInServiceProviderRequest {
        service_provider_id: SP.into(),
        response_size_limit: Some(5),
        search_criteria_group_id: vec![text_criterion("Starts With", "ApioGrp")],
        search_criteria_group_name: vec![text_criterion("Contains", "2")],
    };
    let answer = dump.call(&mut raw, &groups).await;
    let rows: Vec<GroupListRow> = answer.group_table.typed().collect();
    assert_eq!(
        rows,
        [GroupListRow {
            group_id: "ApioGrpTest2".into(),
            group_name: "APIO Test Group 2".into(),
            user_limit: "1000".into(),
        }]
    );
    let unknown = GroupGetListInServiceProviderRequest {
        service_provider_id: "NoSuchSp".into(),
        ..Default::default()
    };
    let answer = raw.call(&unknown).await;
    assert_eq!(
        error_summary(&answer),
        "[Error 4100] Service Provider not found: NoSuchSp"
    );

    let users = UserGetListInGroupRequest {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        response_size_limit: Some(50),
        search_criteria_user_last_name: vec![text_criterion("Equal To", "peeters")],
        search_criteria_user_first_name: vec![text_criterion("Starts With", "an")],
        search_criteria_dn: vec![text_criterion("Contains", "25126701")],
        search_criteria_email_address: vec![text_criterion("Contains", "anna")],
        search_criteria_exact_user_department: Some(SearchCriteriaExactUserDepartment {
            department_key: group_dept("test_department_parent_1"),
        }),
        search_criteria_exact_user_in_trunk_group: Some(SearchCriteriaExactUserInTrunkGroup {
            user_in_trunk_group: false,
        }),
        search_criteria_user_id: vec![text_criterion("Contains", "@apiotest")],
        search_criteria_user_external_id: vec![],
        search_criteria_exact_user_person_id: None,
        search_criteria_extension: vec![text_criterion("Equal To", "4001")],
    };
    let answer = dump.call(&mut raw, &users).await;
    let rows: Vec<UserListRow> = answer.user_table.typed().collect();
    assert_eq!(
        rows,
        [UserListRow {
            user_id: "anna.peeters@apiotest.example.com".into(),
            last_name: "Peeters".into(),
            first_name: "Anna".into(),
            department: "test_department_parent_1".into(),
            phone_number: "+32-25126701".into(),
            phone_number_activated: "true".into(),
            email_address: "anna.peeters@apiotest.example.com".into(),
            in_trunk_group: "false".into(),
            extension: "4001".into(),
            country_code: "32".into(),
            national_prefix: "0".into(),
            ..Default::default()
        }]
    );
    let everyone = UserGetListInGroupRequest {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        ..Default::default()
    };
    let answer = raw.call(&everyone).await;
    let answer = decode_response::<UserGetListInGroupRequest>(&answer).unwrap();
    assert_eq!(answer.user_table.row_count(), 6, "the demo group's users");

    let user = UserGetRequest23V2 {
        user_id: "anna.peeters@apiotest.example.com".into(),
    };
    let answer = dump.call(&mut raw, &user).await;
    assert_eq!(
        answer,
        UserGetResponse23V2 {
            service_provider_id: SP.into(),
            group_id: GROUP.into(),
            user_id: "anna.peeters@apiotest.example.com".into(),
            last_name: "Peeters".into(),
            first_name: "Anna".into(),
            calling_line_id_last_name: "Peeters".into(),
            calling_line_id_first_name: "Anna".into(),
            phone_number: Some("25126701".into()),
            extension: Some("4001".into()),
            department: Some(group_dept("test_department_parent_1")),
            department_full_path: Some("test_department_parent_1".into()),
            language: "English".into(),
            time_zone: "Europe/Brussels".into(),
            time_zone_display_name: "(GMT+01:00) Europe/Brussels".into(),
            default_alias: "anna.peeters@apiotest.example.com".into(),
            email_address: Some("anna.peeters@apiotest.example.com".into()),
            country_code: "32".into(),
            national_prefix: Some("0".into()),
            allow_video: true,
            ..Default::default()
        }
    );
    let nobody = UserGetRequest23V2 {
        user_id: "nobody@apiotest.example.com".into(),
    };
    let answer = dump.exchange(&mut raw, &nobody, "ErrorResponse").await;
    assert_eq!(
        error_summary(&answer),
        "[Error 4008] User not found: nobody@apiotest.example.com"
    );
}
