//! `sangtao review`: what a change publishes, for a pull request (see `sangtao::review`).

use std::path::Path;

use anyhow::{anyhow, Result};
use clap::{Args, ValueEnum};

use sangtao::review::{render_json, render_markdown, review};
use sangtao::text::dates::Date;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The Git ref to compare with (a branch, a tag, a commit: `origin/main`).
    #[arg(long, value_name = "REF")]
    pub since: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: Format,
}

/// Prints the review; exit status 1 when the working tree has errors, 0 otherwise, 2 when
/// Git cannot give the old site.
pub fn run(root: &Path, now: Date, args: ReviewArgs) -> Result<i32> {
    let lang = super::site_language(root);
    let report = review(root, &args.since, now).map_err(|e| anyhow!(e.message(lang)))?;
    match args.format {
        Format::Markdown => print!("{}", render_markdown(&report)),
        Format::Json => print!("{}", render_json(&report)),
    }
    Ok(i32::from(report.summary.errors > 0))
}
