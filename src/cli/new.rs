//! `sangtao new`: scaffolds a content file (see `sangtao::scaffold`).

use std::path::Path;

use anyhow::Result;
use clap::{Args, ValueEnum};

use sangtao::scaffold::{scaffold, NewKind, NewRequest};
use sangtao::text::dates::Date;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Plan,
    Solution,
    News,
    Unit,
    Page,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: KindArg,
    /// The title (for a unit, its full name); the file name is made from it.
    pub title: String,
    /// The unit slug: the issuer of a plan, the unit of a solution or news item, the parent of
    /// a unit (default: the site's `owner`).
    #[arg(long, value_name = "SLUG")]
    pub unit: Option<String>,
}

pub fn run(root: &Path, now: Date, args: NewArgs) -> Result<i32> {
    let lang = super::site_language(root);
    let kind = match args.kind {
        KindArg::Plan => NewKind::Plan,
        KindArg::Solution => NewKind::Solution,
        KindArg::News => NewKind::News,
        KindArg::Unit => NewKind::Unit,
        KindArg::Page => NewKind::Page,
    };
    let request = NewRequest {
        root,
        kind,
        title: &args.title,
        unit: args.unit.as_deref(),
        today: now,
    };
    match scaffold(&request) {
        Ok(path) => {
            println!("{path}");
            Ok(0)
        }
        Err(e) => {
            let word = sangtao::diagnostics::tr(lang, "lỗi", "error");
            eprintln!("{word}: {}", e.message(lang));
            Ok(if e.is_usage() { 2 } else { 1 })
        }
    }
}
