//! The hunt group lifecycle through the typed client against the simulator, and names that must
//! survive the ISO-8859-1 wire unchanged.

use crate::common::{admin_session, start_sim};
use ocigw::ocip::commands::*;
use ocigw::ocip::value::Nillable;
use ocigw::ocip::{OciError, Session};

const SP: &str = "ApioSpTest";
const GROUP: &str = "ApioGrpTest";

/// An Add with the bulk sheet's defaults.
pub fn add_request(suid: &str, name: &str, agents: &[&str]) -> GroupHuntGroupAddInstanceRequest20 {
    GroupHuntGroupAddInstanceRequest20 {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        service_user_id: suid.into(),
        service_instance_profile: ServiceInstanceAddProfile {
            name: name.try_into().unwrap(),
            calling_line_id_last_name: "Hunt".try_into().unwrap(),
            calling_line_id_first_name: "Group".try_into().unwrap(),
            ..Default::default()
        },
        policy: HuntPolicy::Regular,
        hunt_after_no_answer: true,
        no_answer_number_of_rings: 5.try_into().unwrap(),
        forward_after_timeout: false,
        forward_timeout_seconds: 10.try_into().unwrap(),
        agent_user_id: agents.iter().map(|a| (*a).to_owned()).collect(),
        allow_call_waiting_for_agents: true,
        use_system_hunt_group_clid_setting: true,
        include_hunt_group_name_in_clid: true,
        ..Default::default()
    }
}

async fn get(
    session: &Session,
    suid: &str,
) -> Result<GroupHuntGroupGetInstanceResponse20, OciError> {
    session
        .call(&GroupHuntGroupGetInstanceRequest20 {
            service_user_id: suid.into(),
        })
        .await
}

async fn list(session: &Session) -> OciTable {
    session
        .call(&GroupHuntGroupGetInstanceListRequest {
            service_provider_id: SP.into(),
            group_id: GROUP.into(),
            group_department_name: None,
        })
        .await
        .expect("list")
        .hunt_group_table
}

fn agents(table: &OciTable) -> Vec<(String, String)> {
    table
        .rows()
        .map(|r| {
            (
                table.cell(r, "User Id").to_owned(),
                table.cell(r, "Weight").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn add_get_list_modify_get_delete_get() {
    let sim = start_sim().await;
    let session = admin_session(&sim).await;
    let suid = "sales.hunt@apiotest.example.com";
    let mut add = add_request(
        suid,
        "Sales",
        &[
            "test.user4000@apiotest.example.com",
            "test1.user5001@apiotest.example.com",
        ],
    );
    add.service_instance_profile.phone_number = Some("+3225126712".try_into().unwrap());
    add.service_instance_profile.extension = Some("4712".try_into().unwrap());
    add.service_instance_profile.time_zone = Some("Europe/Brussels".try_into().unwrap());
    add.service_instance_profile.department = Some(DepartmentKey::Group(GroupDepartmentKey {
        service_provider_id: SP.into(),
        group_id: GROUP.into(),
        name: "test_department_initial".into(),
    }));
    session.call(&add).await.expect("add");

    let got = get(&session, suid).await.expect("get");
    let profile = &got.service_instance_profile;
    assert_eq!(profile.name, "Sales");
    assert_eq!(profile.phone_number.as_deref(), Some("25126712"));
    assert_eq!(profile.country_code.as_deref(), Some("32"));
    assert_eq!(profile.extension.as_deref(), Some("4712"));
    assert_eq!(
        profile.time_zone_display_name.as_deref(),
        Some("(GMT+01:00) Europe/Brussels")
    );
    assert_eq!(profile.department, add.service_instance_profile.department);
    assert_eq!(got.policy, HuntPolicy::Regular);
    assert_eq!(i32::from(got.no_answer_number_of_rings), 5);
    assert_eq!(
        agents(&got.agent_user_table),
        [
            (
                "test.user4000@apiotest.example.com".to_owned(),
                "0".to_owned()
            ),
            (
                "test1.user5001@apiotest.example.com".to_owned(),
                "0".to_owned()
            )
        ]
    );

    let table = list(&session).await;
    assert_eq!(
        table.headings().cells().collect::<Vec<_>>(),
        <HuntGroupRow as TableRow>::HEADINGS
    );
    assert_eq!(
        table
            .rows()
            .map(|r| r.cells().collect::<Vec<_>>())
            .collect::<Vec<_>>(),
        [vec![
            suid.to_owned(),
            "Sales".to_owned(),
            "+32-25126712".to_owned(),
            "4712".to_owned(),
            "test_department_parent_1 \\ test_department_initial".to_owned(),
            "true".to_owned(),
            "Regular".to_owned()
        ]]
    );

    let modify = GroupHuntGroupModifyInstanceRequest {
        service_user_id: suid.into(),
        service_instance_profile: Some(ServiceInstanceModifyProfile {
            name: Some("Sales EMEA".try_into().unwrap()),
            phone_number: Some(Nillable::Nil),
            ..Default::default()
        }),
        policy: Some(HuntPolicy::Weighted),
        no_answer_number_of_rings: Some(2.try_into().unwrap()),
        agent_user_id_list: Some(Nillable::Set(ReplacementUserIdList {
            user_id: vec![
                "test1.user5001@apiotest.example.com".into(),
                "anna.peeters@apiotest.example.com".into(),
            ],
        })),
        ..Default::default()
    };
    session.call(&modify).await.expect("modify");
    session
        .call(
            &GroupHuntGroupModifyInstanceWeightedCallDistributionRequest {
                service_user_id: suid.into(),
                agent_weight: vec![HuntAgentWeight {
                    agent_user_id: "anna.peeters@apiotest.example.com".into(),
                    weight: 70.try_into().unwrap(),
                }],
            },
        )
        .await
        .expect("weights");
    session
        .call(&GroupHuntGroupModifyActiveInstanceListRequest {
            service_activation: vec![ServiceActivation {
                service_user_id: suid.into(),
                is_active: false,
            }],
        })
        .await
        .expect("deactivate");

    let got = get(&session, suid).await.expect("get after modify");
    assert_eq!(got.service_instance_profile.name, "Sales EMEA");
    assert_eq!(got.service_instance_profile.phone_number, None);
    assert_eq!(
        got.service_instance_profile.extension.as_deref(),
        Some("4712")
    );
    assert_eq!(got.policy, HuntPolicy::Weighted);
    assert_eq!(i32::from(got.no_answer_number_of_rings), 2);
    assert_eq!(
        i32::from(got.forward_timeout_seconds),
        10,
        "untouched fields stay"
    );
    assert_eq!(
        agents(&got.agent_user_table),
        [
            (
                "test1.user5001@apiotest.example.com".to_owned(),
                "0".to_owned()
            ),
            (
                "anna.peeters@apiotest.example.com".to_owned(),
                "70".to_owned()
            )
        ]
    );
    let table = list(&session).await;
    assert_eq!(table.cell(table.row(0).unwrap(), "Is Active"), "false");
    assert_eq!(table.cell(table.row(0).unwrap(), "Phone Number"), "");

    session
        .call(&GroupHuntGroupDeleteInstanceRequest {
            service_user_id: suid.into(),
        })
        .await
        .expect("delete");
    let err = get(&session, suid).await.unwrap_err();
    let error = err.server_error().expect("a BroadWorks refusal");
    assert_eq!(error.code(), Some(4008));
    assert_eq!(
        error.summary,
        format!("[Error 4008] User not found: {suid}")
    );
    assert_eq!(list(&session).await.row_count(), 0);
    // The freed number can be used again.
    let mut again = add_request("other.hunt@apiotest.example.com", "Other", &[]);
    again.service_instance_profile.phone_number = Some("25126712".try_into().unwrap());
    session
        .call(&again)
        .await
        .expect("number reused after delete");
}

#[tokio::test]
async fn refusals_keep_the_broadworks_code_and_text() {
    let sim = start_sim().await;
    let session = admin_session(&sim).await;
    let add = add_request("dup.hunt@apiotest.example.com", "Dup", &[]);
    session.call(&add).await.expect("first add");
    let err = session.call(&add).await.unwrap_err();
    let OciError::Refused { command, error } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(command, "GroupHuntGroupAddInstanceRequest20");
    assert_eq!(error.code(), Some(4010));
    assert_eq!(
        error.summary_english,
        "[Error 4010] User already exists: dup.hunt@apiotest.example.com"
    );
    // The session is still usable after a refusal.
    assert!(get(&session, "dup.hunt@apiotest.example.com").await.is_ok());
}

#[tokio::test]
async fn latin1_and_non_latin1_names_round_trip_unchanged() {
    let sim = start_sim().await;
    let session = admin_session(&sim).await;
    let names = [
        ("latin1.hunt@apiotest.example.com", "Équipe Zoë & Søren <1>"),
        ("kana.hunt@apiotest.example.com", "セールス"),
        ("mixed.hunt@apiotest.example.com", "Ventes € 販売 \"q\" 'a'"),
    ];
    for (suid, name) in names {
        let mut add = add_request(suid, name, &[]);
        add.service_instance_profile.hiragana_last_name = Some("せーるす".try_into().unwrap());
        session.call(&add).await.expect("add");
        let got = get(&session, suid).await.expect("get");
        assert_eq!(got.service_instance_profile.name, name);
        assert_eq!(
            got.service_instance_profile.hiragana_last_name.as_deref(),
            Some("せーるす")
        );
    }
    let table = list(&session).await;
    let listed: Vec<&str> = table.rows().map(|r| table.cell(r, "Name")).collect();
    assert_eq!(listed.len(), 3);
    for (_, name) in names {
        assert!(listed.contains(&name), "{name} missing from {listed:?}");
    }
}
