//! sangtao: a static site generator for Vietnamese education innovation portals.
//!
//! The pipeline is `load -> resolve -> validate -> routes -> render -> write`; each stage is a
//! module of its own and a plain function over plain data (see `build::build_site`).
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod text;
pub mod search;
