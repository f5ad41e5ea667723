//! `ocigw schema`: compile a release's XSD into a catalog, and compare two releases.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::schema::compile::compile;

/// Schema tools.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Compile the official OCI XSD of a release into a catalog (JSON, structure only).
    Compile(CompileArgs),
}

/// Options of `ocigw schema compile`.
#[derive(Debug, Args)]
#[command(
    after_help = "The folder must hold OCISchemaAS.xsd, the entry that includes every \
other part. The catalog keeps every command with its response types, element order, \
sequences and choices, occurrences, nillable, abstract types and their concrete subtypes, and \
every facet of every simple type; no documentation text.

Use the result with --schema FILE on serve, oci, bulk, sim and replay, or [oci] schema in the \
configuration file.

Example:
  ocigw schema compile ../shared/ocip/xsd -o schemas/oci/R25.json"
)]
pub struct CompileArgs {
    /// The folder holding the release's XSD files (or its OCISchemaAS.xsd).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Where to write the catalog.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// The release's name (e.g. R25); by default the highest release its documentation names.
    #[arg(long)]
    pub release: Option<String>,
}

/// Runs an `ocigw schema` subcommand.
pub fn run(command: SchemaCommand) -> Result<ExitCode, String> {
    match command {
        SchemaCommand::Compile(args) => {
            let data = compile(&args.dir, args.release.as_deref())?;
            let mut text = serde_json::to_string(&data).map_err(|e| e.to_string())?;
            text.push('\n');
            std::fs::write(&args.output, text)
                .map_err(|e| format!("cannot write {}: {e}", args.output.display()))?;
            crate::cli::out::line(&format!(
                "{}: release {}, {} commands, {} complex and {} simple types",
                args.output.display(),
                data.release,
                data.commands.len(),
                data.complex.len(),
                data.simple.len()
            ));
            Ok(ExitCode::SUCCESS)
        }
    }
}
