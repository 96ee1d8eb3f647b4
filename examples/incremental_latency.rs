//! Times `Workspace::apply` for one edited entry body, then for one edited title, on a site
//! (for profiling serve): `cargo run --release --example incremental_latency -- SITE_DIR [RUNS]`.
#![allow(clippy::print_stdout)]

use std::time::Instant;

/// The allocator of the `sangtao` binary, so the figures are those of `sangtao serve`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use sangtao::incremental::Workspace;
use sangtao::text::dates::Date;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("SITE_DIR"));
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let now = Date::new(2026, 11, 25).expect("date");
    let mut ws = Workspace::open(root.clone(), now, false);
    let t = Instant::now();
    assert!(ws.rebuild().ok);
    println!("full build in memory: {} ms", t.elapsed().as_millis());
    let mut news: Vec<_> = walkdir::WalkDir::new(root.join("content/news"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    news.sort();
    let target = news[news.len() / 2].clone();
    let original = std::fs::read_to_string(&target).expect("read");
    let mut times = Vec::new();
    for i in 0..runs {
        std::fs::write(&target, format!("{original}\n\nĐoạn thử {i}.\n")).expect("write");
        let t = Instant::now();
        let u = ws.apply(std::slice::from_ref(&target));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(u.ok);
    }
    report("apply, one body edited", &mut times);
    // A title edit changes the entry's card: the listing, unit and topic pages and the feeds
    // that show it are rendered again.
    let mut times = Vec::new();
    for i in 0..runs {
        let edited = original.replacen("title = \"", &format!("title = \"Sửa {i} "), 1);
        assert_ne!(edited, original, "the entry has a title line");
        std::fs::write(&target, edited).expect("write");
        let t = Instant::now();
        let u = ws.apply(std::slice::from_ref(&target));
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert!(u.ok);
    }
    std::fs::write(&target, &original).expect("restore");
    report("apply, one title edited", &mut times);
    let t = Instant::now();
    ws.finish_deferred();
    println!("deferred search index: {} ms", t.elapsed().as_millis());
}

fn report(what: &str, times: &mut [f64]) {
    times.sort_by(f64::total_cmp);
    println!(
        "{what}: median {:.1} ms, max {:.1} ms",
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
