//! `ocigw schema`: compile a release's XSD into a catalog, and compare two releases.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use std::path::Path;
use std::sync::Arc;

use crate::schema::compile::compile;
use crate::schema::diff::diff;
use crate::schema::Catalog;

/// Schema tools.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Compile the official OCI XSD of a release into a catalog (JSON, structure only).
    Compile(CompileArgs),
    /// List the commands and elements added, removed and changed between two releases.
    Diff(DiffArgs),
}

/// Options of `ocigw schema diff`.
#[derive(Debug, Args)]
#[command(
    after_help = "OLD and NEW are each a catalog from `ocigw schema compile`, a folder \
holding a release's XSD, or `embedded` (the R25 catalog built into ocigw).

Exit status: 0 when both declare the same, 1 when they differ, 2 when either cannot be read.

Examples:
  ocigw schema diff embedded ../shared/ocip/xsd
  ocigw schema diff schemas/oci/R25.json R26.json"
)]
pub struct DiffArgs {
    /// The older release.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The newer release.
    #[arg(value_name = "NEW")]
    pub new: String,
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
        SchemaCommand::Diff(args) => {
            let old = load(&args.old)?;
            let new = load(&args.new)?;
            let d = diff(old.data(), new.data());
            let label = |arg: &str, c: &Catalog| format!("{arg} ({})", c.release());
            crate::cli::out::text(&d.render(&label(&args.old, &old), &label(&args.new, &new)));
            Ok(if d.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

/// `embedded`, a catalog file or an XSD folder.
fn load(arg: &str) -> Result<Arc<Catalog>, String> {
    if arg == "embedded" {
        return Ok(Catalog::embedded());
    }
    let path = Path::new(arg);
    if !path.exists() {
        return Err(format!(
            "{arg}: no such file or folder (give a catalog, an XSD folder, or `embedded`)"
        ));
    }
    Catalog::load(Some(path))
}
