//! The floor under a full build on this machine: how long sangtao's own writer takes to write a
//! site it has already built, with the build's threads and nothing else to do (no loading, no
//! Markdown, no templates, no search index).
//!
//! `cargo run --release --example write_floor -- BUILT_OUTPUT NEW_OUTPUT`
//!
//! Reads every file of BUILT_OUTPUT (a `sangtao build` output; its marker is left out, as the
//! writer makes its own) into memory, then, with `FLOOR_DROP_CACHES=1` and as root, writes back
//! dirty pages and drops the page and inode caches (the state `scripts/prepare.sh` gives every
//! measured build), then times writing all of it into NEW_OUTPUT through `output::Staging`
//! (create, one `put` per file in the order of their paths on rayon's pool of cores + 1
//! threads, as `sangtao build` uses, and the atomic commit). Prints one line: `write_floor WALL_S CPU_S FILES MB`.
//! `scripts/write-floor.sh` runs it beside full builds, `cp -r` and Hugo.
#![allow(clippy::print_stdout)]

use rayon::prelude::*;
use sangtao::output::{Staging, MARKER};
use sangtao::render::{Data, OutFile};
use std::time::Instant;

/// The allocator of the `sangtao` binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The process's user and system CPU time so far, in seconds.
fn user_system() -> (f64, f64) {
    let (user, system) = sangtao::build::cpu_times_ms();
    (user as f64 / 1000.0, system as f64 / 1000.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(from), Some(to)) = (args.next(), args.next()) else {
        eprintln!("usage: write_floor BUILT_OUTPUT NEW_OUTPUT");
        std::process::exit(2);
    };
    let from = std::path::PathBuf::from(from);
    let files: Vec<OutFile> = walkdir::WalkDir::new(&from)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(&from)
                .ok()?
                .to_str()?
                .replace('\\', "/");
            (rel != MARKER).then_some(rel)
        })
        .map(|path| {
            let data = std::fs::read(from.join(&path)).expect("a file of BUILT_OUTPUT");
            OutFile {
                path,
                data: Data::Bytes(data),
            }
        })
        .collect();
    if std::env::var_os("FLOOR_DROP_CACHES").is_some_and(|v| v == "1") {
        let _ = std::process::Command::new("sync").status();
        let _ = std::fs::write("/proc/sys/vm/drop_caches", "3");
    }
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cores + 1)
        .build()
        .expect("a thread pool");
    let bytes: usize = files
        .iter()
        .map(|f| match &f.data {
            Data::Bytes(b) => b.len(),
            Data::Copy(_) => 0,
        })
        .sum();
    let (start, (user, system)) = (Instant::now(), user_system());
    let staging = Staging::create(std::path::Path::new(&to)).expect("a staging folder");
    pool.install(|| files.par_iter().try_for_each(|f| staging.put(f)))
        .expect("every file written");
    staging.commit().expect("the swap");
    let wall = start.elapsed().as_secs_f64();
    let (user, system) = {
        let (u, s) = user_system();
        (u - user, s - system)
    };
    println!(
        "write_floor {wall:.3} {:.3} {} {:.1} {user:.3} {system:.3}",
        user + system,
        files.len(),
        bytes as f64 / 1e6
    );
}
