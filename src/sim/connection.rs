//! One simulator connection: the login state machine and the dispatch of each command of a
//! document to its handler (or to a recording), answered in one document, in order.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use crate::ocip::auth::signed_password;
use crate::ocip::commands::*;
use crate::ocip::document::{
    command_type, encode_document, for_each_command_in_session, ParsedDocument, MAX_COMMANDS,
};
use crate::ocip::error::DecodeError;
use crate::ocip::value::{Node, OciCommand};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::{Element, XmlWriter};
use crate::sim::answers::Served;
use crate::sim::directory::Directory;
use crate::sim::error::SimError;
use crate::sim::faults::ConnectionFaults;
use crate::sim::journal::Received;
use crate::sim::{group, hunt_group, provider, user, Shared};

/// A response ready to be written into the answer document.
trait Reply: Send {
    fn write(&self, w: &mut XmlWriter);
}

impl<T: OciCommand + Send> Reply for T {
    fn write(&self, w: &mut XmlWriter) {
        self.write_command(w);
    }
}

/// A recorded answer command, written as recorded.
struct RecordedReply(Vec<u8>);

impl Reply for RecordedReply {
    fn write(&self, w: &mut XmlWriter) {
        w.raw_bytes(&self.0);
    }
}

/// The answer to one command, and what the journal says of it.
struct Answered {
    reply: Box<dyn Reply>,
    answer_type: Cow<'static, str>,
    error: Option<String>,
    recording: Option<PathBuf>,
}

impl Answered {
    fn response<R: OciCommand + Send + 'static>(response: R) -> Self {
        Self {
            reply: Box::new(response),
            answer_type: Cow::Borrowed(R::NAME),
            error: None,
            recording: None,
        }
    }

    fn refusal(error: SimError) -> Self {
        let response = error.to_response();
        Self {
            error: Some(match &response.detail {
                Some(detail) => format!("{}: {detail}", response.summary),
                None => response.summary.clone(),
            }),
            reply: Box::new(response),
            answer_type: Cow::Borrowed(ErrorResponse::NAME),
            recording: None,
        }
    }

    fn recorded(served: Served) -> Self {
        Self {
            reply: Box::new(RecordedReply(served.answer)),
            answer_type: Cow::Owned(served.answer_type),
            error: None,
            recording: Some(served.file),
        }
    }
}

/// What every successful login answers: a system administrator, in English, ISO-8859-1.
const LOGIN_TYPE: &str = "System";
const LOCALE: &str = "en_US";
const ENCODING: &str = "ISO-8859-1";
const USER_DOMAIN: &str = "sim.ocigw.local";

enum LoginState {
    Fresh,
    Challenged {
        user: String,
        nonce: String,
    },
    LoggedIn {
        user: String,
        at: std::time::Instant,
    },
}

/// Failed logins after which a connection is closed (after answering the last one).
pub const MAX_FAILED_LOGINS: u32 = 3;

/// The state of one client connection.
pub struct Connection {
    state: LoginState,
    tls: bool,
    closing: bool,
    failed_logins: u32,
    index: u64,
}

impl Connection {
    /// A new, unauthenticated connection (`tls` says whether it arrived over TLS; `index`
    /// numbers it, from 1 in accept order, for the journal).
    pub fn new(tls: bool, index: u64) -> Self {
        Self {
            state: LoginState::Fresh,
            tls,
            closing: false,
            failed_logins: 0,
            index,
        }
    }

    /// Whether the connection should close after the answer (the client logged out, or failed
    /// to log in [`MAX_FAILED_LOGINS`] times).
    pub fn closing(&self) -> bool {
        self.closing
    }

    /// The administrator logged in on this connection, if any.
    pub fn user(&self) -> Option<&str> {
        match &self.state {
            LoginState::LoggedIn { user, .. } => Some(user),
            _ => None,
        }
    }

    /// Answers one received document.
    pub fn answer(&mut self, shared: &Shared, frame: &[u8], faults: &ConnectionFaults) -> Vec<u8> {
        let text = match decode_document(frame) {
            Ok(text) => text,
            Err(e) => return error_document("", &SimError::validation(e.message())),
        };
        if let Some(answer) = self.answer_adds(shared, &text, faults) {
            return answer;
        }
        let doc = match ParsedDocument::parse(&text) {
            Ok(doc) => doc,
            Err(e) => return error_document("", &SimError::validation(e.message())),
        };
        let commands: Vec<&Element<'_>> = doc.commands().collect();
        if commands.len() > MAX_COMMANDS {
            return error_document(
                doc.session_id(),
                &SimError::validation(format!(
                    "{} commands in one document, at most {MAX_COMMANDS} allowed",
                    commands.len()
                )),
            );
        }
        self.answer_commands(shared, doc.session_id(), commands, |conn, command| {
            let answered = conn.dispatch(shared, command, faults);
            (command_type(command).unwrap_or(""), answered)
        })
    }

    /// Runs a document's commands in order, each by `run` (which gives its type name and its
    /// answer), counts and journals each, and writes the answer document.
    fn answer_commands<'n, T>(
        &mut self,
        shared: &Shared,
        session_id: &str,
        commands: Vec<T>,
        mut run: impl FnMut(&mut Self, T) -> (&'n str, Answered),
    ) -> Vec<u8> {
        shared.documents_seen.fetch_add(1, Ordering::Relaxed);
        let answers: Vec<Answered> = commands
            .into_iter()
            .map(|command| {
                shared.commands_seen.fetch_add(1, Ordering::Relaxed);
                let (name, answered) = run(self, command);
                self.journal(shared, session_id, name, &answered);
                answered
            })
            .collect();
        answers_document(session_id, &answers)
    }

    /// Answers a document of hunt group Adds only, as bulk sends them by the thousand, read
    /// straight from the text with no element tree; the answer is the one the tree path gives.
    /// `None` for any other document, or one the straight read refuses (the tree path reads
    /// it then and names what is wrong), and under `--answers-first`, whose recordings are
    /// matched against the tree.
    fn answer_adds(
        &mut self,
        shared: &Shared,
        text: &str,
        faults: &ConnectionFaults,
    ) -> Option<Vec<u8>> {
        type Add = GroupHuntGroupAddInstanceRequest20;
        if shared.answers.first() {
            return None;
        }
        let mut adds = Vec::new();
        let (_, session_id) = for_each_command_in_session(text, |command| {
            if command.xsi_type() != Some(Add::NAME) || adds.len() == MAX_COMMANDS {
                return Err(DecodeError::new("not a document of Adds only"));
            }
            adds.push(Add::read_command(command)?);
            Ok(())
        })
        .ok()?;
        Some(
            self.answer_commands(shared, &session_id, adds, |conn, add| {
                let answered = match conn.admit(Add::NAME, faults) {
                    Err(refused) => refused,
                    Ok(()) => outcome(hunt_group::add(&mut shared.directory(), add)),
                };
                (Add::NAME, answered)
            }),
        )
    }

    /// The checks a command `name` passes before it runs: logins refused and sessions expired
    /// by a fault, and a login for anything but the login and logout commands.
    fn admit(&mut self, name: &str, faults: &ConnectionFaults) -> Result<(), Answered> {
        if name.starts_with("LoginRequest") && faults.refusing_logins() {
            self.state = LoginState::Fresh;
            return Err(refuse(SimError::logins_refused()));
        }
        if let LoginState::LoggedIn { at, .. } = &self.state {
            if faults.expired(*at) && name != "LogoutRequest" {
                self.state = LoginState::Fresh;
                return Err(refuse(SimError::session_expired()));
            }
        }
        if !SESSION_COMMANDS.contains(&name) && self.user().is_none() {
            return Err(refuse(SimError::not_logged_in(name)));
        }
        Ok(())
    }

    /// Notes a command and its answer in the journal (`--control`'s commands received).
    fn journal(&self, shared: &Shared, session_id: &str, command: &str, answered: &Answered) {
        if let Some(journal) = &shared.journal {
            journal.push(Received {
                seq: 0,
                connection: self.index,
                session: session_id.to_owned(),
                unix_ms: 0,
                command: command.to_owned(),
                answer: answered.answer_type.clone().into_owned(),
                error: answered.error.clone(),
                recording: answered.recording.as_ref().map(|p| p.display().to_string()),
            });
        }
    }

    fn dispatch(
        &mut self,
        shared: &Shared,
        command: &Element<'_>,
        faults: &ConnectionFaults,
    ) -> Answered {
        let name = match command_type(command) {
            Ok(name) => name,
            Err(e) => return refuse(SimError::validation(e.message())),
        };
        if let Err(refused) = self.admit(name, faults) {
            return refused;
        }
        match name {
            "AuthenticationRequest" => return run(command, |r| self.authenticate(r)),
            "LoginRequest14sp4" => return run(command, |r| self.login14(shared, r)),
            "LoginRequest22V5" => return run(command, |r| self.login22(shared, r)),
            "LogoutRequest" => {
                return run(command, |_: LogoutRequest| {
                    self.closing = true;
                    Ok(SuccessResponse)
                })
            }
            _ => {}
        }
        let answers = &shared.answers;
        // With --answers-first the recordings are asked first, and only once.
        let recorded = answers.first().then(|| answers.find(command));
        if let Some(Ok(served)) = recorded {
            return Answered::recorded(served);
        }
        if let Some(answered) = dispatch_directory(&mut shared.directory(), name, command) {
            return answered;
        }
        if answers.is_empty() {
            return refuse(SimError::validation(format!(
                "unknown or unsupported command type '{name}' (the simulator implements the hunt group, group, user, provider, software version and login commands; --answers serves others from recordings)"
            )));
        }
        match recorded.unwrap_or_else(|| answers.find(command)) {
            Ok(served) => Answered::recorded(served),
            Err(why) => refuse(SimError::no_recorded_answer(why)),
        }
    }

    fn authenticate(
        &mut self,
        r: AuthenticationRequest,
    ) -> Result<AuthenticationResponse, SimError> {
        let nonce = format!("{}", rand::random::<u64>() % 10_000_000_000_000);
        self.state = LoginState::Challenged {
            user: r.user_id.clone(),
            nonce: nonce.clone(),
        };
        Ok(AuthenticationResponse {
            user_id: r.user_id,
            nonce,
            password_algorithm: "MD5".to_owned(),
        })
    }

    fn login14(
        &mut self,
        shared: &Shared,
        r: LoginRequest14sp4,
    ) -> Result<LoginResponse14sp4, SimError> {
        let password = admin_password(shared, &r.user_id);
        let accepted = match (&self.state, &r.signed_password, &r.plain_text_password) {
            (LoginState::Challenged { user, nonce }, Some(signed), _) if *user == r.user_id => {
                password.is_some_and(|p| signed_password(nonce, &p) == signed.expose())
            }
            (_, None, Some(plain)) if self.tls => password.is_some_and(|p| p == plain.expose()),
            _ => false,
        };
        self.finish_login(&r.user_id, accepted)?;
        Ok(LoginResponse14sp4 {
            login_type: LOGIN_TYPE.to_owned(),
            locale: LOCALE.to_owned(),
            encoding: ENCODING.to_owned(),
            is_enterprise: false,
            user_domain: USER_DOMAIN.to_owned(),
            ..Default::default()
        })
    }

    fn login22(
        &mut self,
        shared: &Shared,
        r: LoginRequest22V5,
    ) -> Result<LoginResponse22V5, SimError> {
        if !self.tls {
            return Err(SimError::plain_login_needs_tls());
        }
        let password = admin_password(shared, &r.user_id);
        let accepted = match &r.password {
            Some(given) => password.is_some_and(|p| p == given.expose()),
            None => false,
        };
        self.finish_login(&r.user_id, accepted)?;
        Ok(LoginResponse22V5 {
            login_type: LOGIN_TYPE.to_owned(),
            locale: LOCALE.to_owned(),
            encoding: ENCODING.to_owned(),
            is_enterprise: false,
            user_domain: USER_DOMAIN.to_owned(),
            ..Default::default()
        })
    }

    fn finish_login(&mut self, user: &str, accepted: bool) -> Result<(), SimError> {
        if accepted {
            tracing::info!(user, "simulator: login accepted");
            self.state = LoginState::LoggedIn {
                user: user.to_owned(),
                at: std::time::Instant::now(),
            };
            Ok(())
        } else {
            tracing::info!(user, "simulator: login refused");
            self.state = LoginState::Fresh;
            self.failed_logins += 1;
            if self.failed_logins >= MAX_FAILED_LOGINS {
                tracing::info!(
                    user,
                    "simulator: too many failed logins; closing the connection"
                );
                self.closing = true;
            }
            Err(SimError::invalid_password())
        }
    }
}

fn admin_password(shared: &Shared, user: &str) -> Option<String> {
    let dir = shared.directory();
    dir.admins.get(user).map(|s| s.expose().to_owned())
}

/// Runs a command the simulator implements; `None` for any other.
fn dispatch_directory(dir: &mut Directory, name: &str, command: &Element<'_>) -> Option<Answered> {
    Some(match name {
        "GroupHuntGroupAddInstanceRequest20" => run(command, |r| hunt_group::add(dir, r)),
        "GroupHuntGroupGetInstanceRequest20" => run(command, |r| hunt_group::get(dir, r)),
        "GroupHuntGroupModifyInstanceRequest" => run(command, |r| hunt_group::modify(dir, r)),
        "GroupHuntGroupDeleteInstanceRequest" => run(command, |r| hunt_group::delete(dir, r)),
        "GroupHuntGroupGetInstanceListRequest" => run(command, |r| hunt_group::list(dir, r)),
        "GroupHuntGroupGetAvailableUserListRequest" => {
            run(command, |r| hunt_group::available_users(dir, r))
        }
        "GroupHuntGroupModifyInstanceWeightedCallDistributionRequest" => {
            run(command, |r| hunt_group::modify_weights(dir, r))
        }
        "GroupHuntGroupModifyActiveInstanceListRequest" => {
            run(command, |r| hunt_group::modify_active(dir, r))
        }
        "UserModifyUserIdRequest" => run(command, |r| hunt_group::modify_user_id(dir, r)),
        "GroupGetRequest22V5" => run(command, |r| group::get(dir, r)),
        "GroupDepartmentGetListRequest18" => run(command, |r| group::departments(dir, r)),
        "GroupDnGetAssignmentListRequest18" => run(command, |r| group::dn_assignments(dir, r)),
        "SystemSoftwareVersionGetRequest" => run(command, |r| provider::software_version(dir, r)),
        "ServiceProviderGetListRequest" => run(command, |r| provider::service_providers(dir, r)),
        "GroupGetListInServiceProviderRequest" => run(command, |r| provider::groups(dir, r)),
        "UserGetListInGroupRequest" => run(command, |r| user::users_in_group(dir, r)),
        "UserGetRequest23V2" => run(command, |r| user::get(dir, r)),
        _ => return None,
    })
}

/// The commands that need no login: they make or end one.
const SESSION_COMMANDS: [&str; 4] = [
    AuthenticationRequest::NAME,
    LoginRequest14sp4::NAME,
    LoginRequest22V5::NAME,
    LogoutRequest::NAME,
];

/// Decodes the command as `C` (a schema violation is error 6004) and runs the handler.
fn run<C, R>(command: &Element<'_>, handler: impl FnOnce(C) -> Result<R, SimError>) -> Answered
where
    C: OciCommand,
    R: OciCommand + Send + 'static,
{
    match C::read_command(Node::of(command)) {
        Err(e) => refuse(SimError::validation(e.message())),
        Ok(request) => outcome(handler(request)),
    }
}

/// What a handler's result answers.
fn outcome<R: OciCommand + Send + 'static>(result: Result<R, SimError>) -> Answered {
    match result {
        Ok(response) => Answered::response(response),
        Err(e) => refuse(e),
    }
}

/// The answer document to a document's commands, in their order.
fn answers_document(session_id: &str, answers: &[Answered]) -> Vec<u8> {
    encode_document(session_id, |w| {
        for answered in answers {
            answered.reply.write(w);
        }
    })
}

fn refuse(error: SimError) -> Answered {
    Answered::refusal(error)
}

fn error_document(session_id: &str, error: &SimError) -> Vec<u8> {
    encode_document(session_id, |w| error.to_response().write_command(w))
}
