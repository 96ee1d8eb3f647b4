//! `sangtao check`.

use std::path::Path;

use anyhow::Result;
use clap::{Args, ValueEnum};

use sangtao::diagnostics::{render_github, render_human, render_json, Severity};
use sangtao::text::dates::Date;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Count warnings as errors for the exit status.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Check as if drafts and scheduled entries were published.
    #[arg(long)]
    pub drafts: bool,
}

pub fn run(root: &Path, now: Date, args: CheckArgs) -> Result<i32> {
    let lang = super::site_language(root);
    let report = sangtao::check::check(root, now, args.drafts);
    let diags = &report.diagnostics;
    match args.format {
        Format::Human => eprint!("{}", render_human(diags, lang, super::color_stderr())),
        Format::Json => print!("{}", render_json(diags)),
        Format::Github => print!("{}", render_github(diags)),
    }
    let failing = diags.iter().any(|d| {
        d.severity == Severity::Error || (args.deny_warnings && d.severity == Severity::Warning)
    });
    Ok(i32::from(failing))
}
