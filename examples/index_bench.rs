//! Times the search index builder alone on a portal's real documents (for profiling the
//! tokeniser and the files stage): `cargo run --release --example index_bench -- SITE_DIR [RUNS]`.
//! Prints, per run, the wall and CPU time (both threads) of tokenising and of making the files,
//! and checks that every run makes the same bytes.
#![allow(clippy::print_stdout)]

use rayon::prelude::*;
use std::time::Instant;

/// The allocator of the `sangtao` binary, so the figures are those of `sangtao build`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// CPU time of the whole process (all threads), in milliseconds.
fn cpu_ms() -> f64 {
    sangtao::build::cpu_time_ms() as f64
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("SITE_DIR"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let now = sangtao::text::dates::Date::new(2026, 11, 25).expect("date");
    let checked = sangtao::check_site(&root, now, false);
    let site = checked.site.expect("the site loads");
    let linker = sangtao::render::number_linker(&site);
    let bodies: Vec<_> = (0..site.entries.len())
        .into_par_iter()
        .map(|id| sangtao::render::render_source(&site, &linker, id, &site.entries[id].body))
        .collect();
    let docs = sangtao::search_docs::documents(&site, &bodies);
    drop(bodies);
    let words: usize = docs
        .iter()
        .map(|d| d.body_text.split_whitespace().count())
        .sum();
    println!("{} docs, {} body words", docs.len(), words);
    let mut first: Option<u64> = None;
    for _ in 0..runs {
        let input = docs.clone();
        let (t, c) = (Instant::now(), cpu_ms());
        let tokenised = sangtao::search::tokenise_filling(input, &|_, _| {});
        let (t1, c1) = (t.elapsed(), cpu_ms() - c);
        let (t, c) = (Instant::now(), cpu_ms());
        let files = sangtao::search::finish_index(tokenised);
        let (t2, c2) = (t.elapsed(), cpu_ms() - c);
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for f in &files {
            h.update(f.path.as_bytes());
            h.update(&f.bytes);
        }
        let h = h.digest();
        assert_eq!(*first.get_or_insert(h), h, "every run makes the same bytes");
        println!(
            "tokenise {:4} ms wall {:4.0} ms cpu ({:.0} ns/word) | files {:4} ms wall {:4.0} ms cpu, {} files, hash {h:016x}",
            t1.as_millis(),
            c1,
            c1 * 1e6 / words as f64,
            t2.as_millis(),
            c2,
            files.len()
        );
    }
}
