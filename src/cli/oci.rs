//! `ocigw oci`: send raw OCI documents (`send`), any command of the schema as JSON (`call`),
//! and describe a command's JSON shape (`describe`).

use crate::fixture::split_documents;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use crate::schema::describe::describe;
use crate::schema::exchange::{answers, prepare};
use crate::schema::Catalog;

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
    /// Send any command of the schema given as JSON and print the answers as JSON.
    Call(CallArgs),
    /// Print the JSON shape of a command and its answers, with types and limits.
    Describe(DescribeArgs),
}

/// Options of `ocigw oci call`.
#[derive(Debug, Args)]
#[command(
    after_help = "The JSON form: {\"command\": \"<request type>\", ...its elements} with the
elements spelled as in the schema, in any order (they are sent in schema order). An element that
may repeat is an array, a complex one an object (\"xsi:type\" names the concrete type of an
abstract one), null is xsi:nil, booleans and integers are JSON ones, everything else a string.
An array of commands goes 15 to a document. Every command is checked against the schema before
anything is sent; every violation is named by its JSON path.

Answers print as JSON in the same form; a table is an array of rows keyed by its headings in
lowerCamelCase (\"User Id\" is userId); an ErrorResponse is
{\"command\": \"ErrorResponse\", \"errorCode\", \"summary\", \"summaryEnglish\", \"detail\"}.

Exit status: 0 when every answer is a success or data response, 1 when BroadWorks answered
with an ErrorResponse, 2 when the input broke the schema, or the connection or the login failed.

Examples:
  ocigw oci call '{\"command\": \"GroupGetListInServiceProviderRequest\", \"serviceProviderId\": \"ApioSpTest\"}'
  ocigw oci call @commands.json --host bw.lab --user admin
  ocigw oci describe GroupHuntGroupAddInstanceRequest20"
)]
pub struct CallArgs {
    /// The command(s): JSON text, @FILE, or - for stdin.
    #[arg(value_name = "JSON|@FILE|-")]
    pub input: String,
    #[command(flatten)]
    pub connect: ConnectArgs,
}

/// Options of `ocigw oci describe`.
#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// The request type, e.g. GroupHuntGroupAddInstanceRequest20.
    #[arg(value_name = "COMMAND")]
    pub command: String,
    /// The OCI schema of your release [default: the embedded R25].
    #[arg(long, value_name = "DIR|FILE")]
    pub schema: Option<PathBuf>,
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
        OciCommand::Call(args) => call(args).await,
        OciCommand::Describe(args) => {
            let catalog = Catalog::load(args.schema.as_deref())?;
            let text = describe(&catalog, &args.command)?;
            crate::cli::out::text(&text);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn call(args: CallArgs) -> Result<ExitCode, String> {
    let text = match args.input.as_str() {
        "-" => String::from_utf8(read_input(None)?).map_err(|_| "stdin is not UTF-8")?,
        s => match s.strip_prefix('@') {
            Some(file) => {
                std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?
            }
            None => s.to_owned(),
        },
    };
    let input: Value =
        serde_json::from_str(&text).map_err(|e| format!("the input is not JSON: {e}"))?;
    let settings = args.connect.load_config()?.oci;
    let catalog = args.connect.catalog(&settings)?;
    let prepared = prepare(&catalog, &input, usize::MAX).map_err(|violations| {
        let lines: Vec<String> = violations.iter().map(|v| format!("  {v}")).collect();
        format!(
            "the input breaks the {} schema; nothing was sent:\n{}",
            catalog.release(),
            lines.join("\n")
        )
    })?;
    let connected = args.connect.connect().await?;
    let session = &connected.session;
    let mut results = Vec::with_capacity(prepared.names.len());
    for (commands, _) in prepared.documents() {
        let document = encode_document(session.session_id(), |w| {
            commands.iter().for_each(|c| w.raw_bytes(c));
        });
        let frame = session
            .call_document("OCI commands", document)
            .await
            .map_err(|e| e.to_string())?;
        for (i, answer) in answers(&catalog, &frame)?.into_iter().enumerate() {
            for v in &answer.violations {
                eprintln!(
                    "warning: answer {} breaks the schema: {v}",
                    results.len() + i
                );
            }
            results.push(answer.value);
        }
    }
    session.logout().await;
    let refused = results
        .iter()
        .any(|r| r.get("command").and_then(Value::as_str) == Some("ErrorResponse"));
    let shown = match (input.is_array(), results.len()) {
        (false, 1) => results.remove(0),
        _ => Value::Array(results),
    };
    crate::cli::out::line(&serde_json::to_string_pretty(&shown).unwrap_or_default());
    Ok(if refused {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

async fn send(args: SendArgs) -> Result<ExitCode, String> {
    args.connect
        .check_schema(&args.connect.load_config()?.oci)?;
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
