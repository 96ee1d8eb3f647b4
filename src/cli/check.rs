//! `sangtao check`.

use std::path::Path;

use anyhow::Result;
use clap::{Args, ValueEnum};

use sangtao::diagnostics::{render_github_in, render_human, render_json, Severity};
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
        Format::Github => print!("{}", render_github_in(diags, &repository_prefix(root))),
    }
    let failing = diags.iter().any(|d| {
        d.severity == Severity::Error || (args.deny_warnings && d.severity == Severity::Warning)
    });
    Ok(i32::from(failing))
}

/// The site root's folder in its Git repository, as a path prefix (`"portal/"`), or `""` when
/// the site is at the repository's root or in no repository: the nearest folder at or above
/// the site root that holds `.git` (a folder, or a file in a worktree) is the repository root.
fn repository_prefix(root: &Path) -> String {
    let Ok(root) = root.canonicalize() else {
        return String::new();
    };
    for dir in root.ancestors() {
        if dir.join(".git").exists() {
            let Ok(rel) = root.strip_prefix(dir) else {
                return String::new();
            };
            return rel
                .components()
                .map(|c| format!("{}/", c.as_os_str().to_string_lossy()))
                .collect();
        }
    }
    String::new()
}
