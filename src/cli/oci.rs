//! `ocigw oci send`: send raw OCI commands over a logged-in session and print the answer.

use crate::fixture::split_documents;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::json;

use crate::cli::ConnectArgs;
use crate::ocip::document::{command_type, encode_document, write_tree, ParsedDocument};
use crate::ocip::xml::charset::decode_document;
use crate::ocip::xml::json::to_json;
use crate::ocip::xml::{parse, Element, XmlWriter};

/// Raw OCI-P tools.
#[derive(Debug, Subcommand)]
pub enum OciCommand {
    /// Send OCI commands from a file (or stdin) and print the response document.
    Send(SendArgs),
}

/// Options of `ocigw oci send`.
#[derive(Debug, Args)]
#[command(
    after_help = "The input is a whole BroadsoftDocument (its sessionId is replaced by this
session's) or a bare <command xsi:type=\"...\"> element. Login is done for you.

Exit status: 0 when every answer is a success or data response, 1 when BroadWorks answered
with an ErrorResponse, 2 when the input, the connection or the login failed.

Examples:
  ocigw oci send fixtures/oci/hunt-group-lifecycle/05-GroupHuntGroupGetInstanceListRequest.xml
  echo '<command xsi:type=\"GroupHuntGroupGetInstanceListRequest\"><serviceProviderId>ApioSpTest</serviceProviderId><groupId>ApioGrpTest</groupId></command>' | ocigw oci send --json
  OCIGW_OCI_PASSWORD=... ocigw oci send --host bw.lab --user admin req.xml"
)]
pub struct SendArgs {
    /// File holding the document or command; `-` or nothing reads stdin.
    #[arg(value_name = "FILE.xml")]
    pub file: Option<PathBuf>,
    /// Print the response as JSON (tables become arrays of objects keyed by column heading).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Runs an `ocigw oci` subcommand.
pub async fn run(command: OciCommand) -> Result<ExitCode, String> {
    match command {
        OciCommand::Send(args) => send(args).await,
    }
}

async fn send(args: SendArgs) -> Result<ExitCode, String> {
    let input = read_input(args.file.as_ref())?;
    // A recorded exchange (fixtures/oci): its first document is the request.
    let input = match split_documents(&input) {
        Ok(mut documents) if documents.len() > 1 => documents.swap_remove(0),
        _ => input,
    };
    let text = decode_document(&input).map_err(|e| format!("input: {e}"))?;
    let root = parse(&text).map_err(|e| format!("input: {e}"))?;
    let commands = input_commands(&root)?;
    let connected = args.connect.connect().await?;
    let session = &connected.session;
    let document = encode_document(session.session_id(), |w| {
        for command in &commands {
            write_command(w, command);
        }
    });
    let answer = session
        .call_document("raw command", document)
        .await
        .map_err(|e| e.to_string())?;
    session.logout().await;
    let answer_text = decode_document(&answer).map_err(|e| format!("answer: {e}"))?;
    let parsed = ParsedDocument::parse(&answer_text).map_err(|e| format!("answer: {e}"))?;
    let refused = parsed
        .commands()
        .any(|c| command_type(c).is_ok_and(|t| t == "ErrorResponse"));
    if args.json {
        let commands: Vec<_> = parsed.commands().map(to_json).collect();
        let value = json!({ "sessionId": parsed.session_id(), "commands": commands });
        crate::cli::out::line(&serde_json::to_string_pretty(&value).unwrap_or_default());
    } else {
        crate::cli::out::line(&answer_text);
    }
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn read_input(file: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    match file.filter(|f| f.as_os_str() != "-") {
        Some(path) => {
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
        }
        None => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read stdin: {e}"))?;
            Ok(buf)
        }
    }
}

fn input_commands<'e, 'a>(root: &'e Element<'a>) -> Result<Vec<&'e Element<'a>>, String> {
    let commands: Vec<&Element<'a>> = match root.name {
        "BroadsoftDocument" => root
            .children
            .iter()
            .filter(|c| c.name == "command")
            .collect(),
        "command" => vec![root],
        other => {
            return Err(format!(
                "input: expected a <BroadsoftDocument> or a <command>, found <{other}>"
            ))
        }
    };
    if commands.is_empty() {
        return Err("input: the document holds no <command>".to_owned());
    }
    for c in &commands {
        command_type(c).map_err(|e| format!("input: {e}"))?;
    }
    Ok(commands)
}

/// Writes a command element with `xmlns=""` (un-namespaced, as BroadWorks requires) whatever
/// namespace declarations it had in the input.
fn write_command(w: &mut XmlWriter, command: &Element<'_>) {
    let mut command = command.clone();
    command
        .attrs
        .retain(|(k, _)| *k != "xmlns" && !k.starts_with("xmlns:"));
    command.attrs.push(("xmlns", "".into()));
    write_tree(w, &command);
}
