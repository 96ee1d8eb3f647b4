//! The command-line interface: one `*Args` struct and one `run` per command. Commands parse
//! their flags and call the library; only this layer prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod check;
pub mod new;
pub mod review;
pub mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};

use sangtao::text::dates::{Date, Lang};

/// sangtao: static site generator for Vietnamese education innovation portals.
#[derive(Debug, Parser)]
#[command(name = "sangtao", version, about)]
pub struct Cli {
    /// The site folder (the one holding site.toml and content/).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The build's clock, YYYY-MM-DD (else SOURCE_DATE_EPOCH, else today in Vietnam, UTC+7).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub now: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check everything, then write the site to public/ in one atomic step.
    Build(build::BuildArgs),
    /// Everything build checks, plus links, without writing anything.
    Check(check::CheckArgs),
    /// Scaffold a new plan, solution, news item, unit or page, never overwriting a file.
    New(new::NewArgs),
    /// What a change publishes since a Git ref, for a pull request (Markdown or JSON).
    Review(review::ReviewArgs),
    /// Build into memory, serve on 127.0.0.1, rebuild on changes and reload open pages.
    Serve(serve::ServeArgs),
}

/// Runs the command; returns the process exit code.
pub fn run(cli: Cli) -> Result<i32> {
    let now = clock(cli.now.as_deref())?;
    match cli.command {
        Command::Build(args) => build::run(&cli.root, now, args),
        Command::Check(args) => check::run(&cli.root, now, args),
        Command::New(args) => new::run(&cli.root, now, args),
        Command::Review(args) => review::run(&cli.root, now, args),
        Command::Serve(args) => serve::run(&cli.root, now, args),
    }
}

/// The build's clock: `--now`, else `SOURCE_DATE_EPOCH`, else the system's date in Vietnam.
pub fn clock(now: Option<&str>) -> Result<Date> {
    if let Some(s) = now {
        return Date::parse_iso(s)
            .with_context(|| format!("--now: `{s}` is not a date YYYY-MM-DD"));
    }
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let Ok(secs) = epoch.trim().parse::<i64>() else {
            bail!("SOURCE_DATE_EPOCH: `{epoch}` is not a number of seconds");
        };
        return Ok(Date::from_unix_seconds(secs));
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Ok(Date::from_unix_seconds(secs + 7 * 3600))
}

/// The language of the site's messages, read cheaply before a full load.
pub fn site_language(root: &std::path::Path) -> Lang {
    let (config, _) = sangtao::config::load(root);
    config.map_or(Lang::Vi, |c| c.language)
}

/// Whether to colour output on stderr.
pub fn color_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
