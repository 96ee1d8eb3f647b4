//! sangtao: a static site generator for Vietnamese education innovation portals.
//!
//! The pipeline is `load -> resolve -> validate -> routes -> render -> write`; each stage is a
//! module of its own and a plain function over plain data (see `build::build_site`).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod incremental;
pub mod output;
pub mod rebuild;
pub mod render;
pub mod review;
pub mod routes;
pub mod scaffold;
pub mod search;
pub mod search_docs;
pub mod serve;
pub mod site;
pub mod sitemap;
#[cfg(test)]
mod testing;
pub mod text;
pub mod validate;

pub use build::{build, check_site, BuildError, BuildOptions, BuildReport};
pub use diagnostics::{Diagnostic, Severity};
