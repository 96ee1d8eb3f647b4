//! The whole build as one short function over the pipeline:
//! `load -> resolve -> validate -> routes -> render -> write`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{self, Diagnostic, Severity};
use crate::output::{OutputError, Staging};
use crate::render::theme::Theme;
use crate::render::{OutFile, Renderer};
use crate::routes::Route;
use crate::site::Site;
use crate::text::dates::Date;

/// What a build is asked to do.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub now: Date,
    pub drafts: bool,
}

/// A site loaded, resolved and validated, with every diagnostic found on the way.
pub struct Checked {
    pub site: Option<Site>,
    pub theme: Option<Theme>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Loads, resolves and validates the site at `root`.
pub fn check_site(root: &Path, now: Date, drafts: bool) -> Checked {
    let (config, mut diags) = crate::config::load(root);
    let Some(config) = config else {
        return Checked {
            site: None,
            theme: None,
            diagnostics: diags,
        };
    };
    let theme = match Theme::open(root, &config.theme, config.language) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let (content, load_diags) = crate::content::load::load(root, &config);
    diags.extend(load_diags);
    let site = crate::site::resolve(config, content, now, drafts);
    diags.extend(crate::validate::validate(&site, root));
    fill_excerpts(root, &mut diags);
    diagnostics::sort(&mut diags);
    Checked {
        site: Some(site),
        theme,
        diagnostics: diags,
    }
}

/// Adds the source line to diagnostics made without one.
pub fn fill_excerpts(root: &Path, diags: &mut [Diagnostic]) {
    let mut cache: std::collections::HashMap<String, Option<String>> = Default::default();
    for d in diags.iter_mut().filter(|d| d.source_line.is_none()) {
        if d.line == 0 || crate::diagnostics::is_built_in(&d.path) {
            continue;
        }
        let text = cache.entry(d.path.clone()).or_insert_with(|| {
            // Only the site's own regular files: never quote a file a symbolic link points at.
            let path = root.join(&d.path);
            let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file());
            if !regular || d.path.split('/').any(|s| s == "..") {
                return None;
            }
            std::fs::read(path)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .map(|t| crate::content::frontmatter::clean(&t).into_owned())
        });
        if let Some(text) = text {
            if d.line == 1 && d.column == 1 && d.help.is_some() && text.is_empty() {
                continue;
            }
            d.source_line = text.lines().nth(d.line - 1).map(str::to_string);
        }
    }
}

/// The kinds of route whose rendering and writing `SANGTAO_TIMINGS` reports apart.
const ROUTE_KINDS: [&str; 7] = [
    "entry pages",
    "unit pages",
    "unit section pages",
    "topic pages",
    "listing pages",
    "feeds",
    "other files",
];

fn route_kind(output: &crate::routes::Output) -> usize {
    use crate::routes::Output;
    match output {
        Output::Entry(_) => 0,
        Output::Unit(_) => 1,
        Output::UnitSection { .. } => 2,
        Output::Topic { .. } => 3,
        Output::Listing { .. } => 4,
        Output::Feed(_) => 5,
        _ => 6,
    }
}

/// For each kind of route ([`ROUTE_KINDS`]): how many were rendered, and the time spent
/// rendering them and handing their files to the sink (writing them), summed over threads, in
/// ns.
#[derive(Default)]
pub struct RouteTimes([[std::sync::atomic::AtomicU64; 3]; ROUTE_KINDS.len()]);

impl RouteTimes {
    fn add(&self, kind: usize, render: std::time::Duration, write: std::time::Duration) {
        use std::sync::atomic::Ordering::Relaxed;
        let [n, r, w] = &self.0[kind];
        n.fetch_add(1, Relaxed);
        r.fetch_add(render.as_nanos() as u64, Relaxed);
        w.fetch_add(write.as_nanos() as u64, Relaxed);
    }

    fn report(&self) -> Vec<RouteTime> {
        use std::sync::atomic::Ordering::Relaxed;
        let ns =
            |a: &std::sync::atomic::AtomicU64| std::time::Duration::from_nanos(a.load(Relaxed));
        ROUTE_KINDS
            .iter()
            .zip(&self.0)
            .filter(|(_, [n, _, _])| n.load(Relaxed) > 0)
            .map(|(&kind, [n, r, w])| RouteTime {
                kind,
                count: n.load(Relaxed),
                render: ns(r),
                write: ns(w),
            })
            .collect()
    }
}

/// Renders every route and hands each file to `sink`, in parallel, adding the time each kind
/// of route took to `times`. Template errors are collected (each once), the rest goes on.
pub fn render_routes(
    renderer: &Renderer<'_>,
    routes: &[Route],
    sink: &(dyn Fn(OutFile) -> Result<(), OutputError> + Sync),
    times: Option<&RouteTimes>,
) -> Result<(), BuildError> {
    let results: Vec<Result<(), BuildError>> = routes
        .par_iter()
        .map(|route| {
            let start = std::time::Instant::now();
            let files = renderer
                .render(route)
                .map_err(|d| BuildError::Content(vec![d]))?;
            let rendered = std::time::Instant::now();
            for f in files {
                sink(f).map_err(BuildError::Output)?;
            }
            if let Some(t) = times {
                t.add(
                    route_kind(&route.output),
                    rendered - start,
                    rendered.elapsed(),
                );
            }
            Ok(())
        })
        .collect();
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(()) => {}
            Err(BuildError::Content(d)) => diags.extend(d),
            Err(e) => return Err(e),
        }
    }
    if diags.is_empty() {
        Ok(())
    } else {
        diagnostics::sort(&mut diags);
        Err(BuildError::Content(diags))
    }
}

/// Why a build did not produce a site.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the content has errors")]
    Content(Vec<Diagnostic>),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    /// Files taken from the previous build without being rendered again (see `rebuild`).
    pub reused: usize,
    /// Warnings (the build succeeded despite them).
    pub diagnostics: Vec<Diagnostic>,
    /// How long each stage took, for `SANGTAO_TIMINGS` and benchmarks.
    pub timings: Vec<Stage>,
    /// The time each kind of route took to render and write, summed over threads (routes
    /// taken from the previous build are not counted).
    pub routes: Vec<RouteTime>,
    /// How many times the theme's `card.html` was rendered, and the time it took, summed over
    /// threads (part of the pages' render time).
    pub card_renders: (u64, std::time::Duration),
}

/// One kind of route in [`BuildReport::routes`].
#[derive(Debug)]
pub struct RouteTime {
    pub kind: &'static str,
    pub count: u64,
    pub render: std::time::Duration,
    pub write: std::time::Duration,
}

/// One stage of a build, as `SANGTAO_TIMINGS` prints it.
#[derive(Debug)]
pub struct Stage {
    pub name: &'static str,
    pub wall: std::time::Duration,
    /// CPU time of all threads (user and system) during the stage, in ms (0: not measured).
    pub cpu_ms: u64,
    /// Resident memory at the stage's end, in MB (0: not measured).
    pub resident_mb: u64,
}

/// Builds the site into the output folder in one atomic step.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    crate::output::check_target(&opts.output, &opts.root)?;
    let mut timings = Vec::new();
    let mut clock = (std::time::Instant::now(), cpu_time_ms());
    let mut lap = |name: &'static str| {
        let cpu = cpu_time_ms();
        timings.push(Stage {
            name,
            wall: clock.0.elapsed(),
            cpu_ms: cpu.saturating_sub(clock.1),
            resident_mb: resident_mb(),
        });
        clock = (std::time::Instant::now(), cpu);
    };
    let checked = check_site(&opts.root, opts.now, opts.drafts);
    lap("load, resolve, validate");
    if checked.has_errors() {
        return Err(BuildError::Content(checked.diagnostics));
    }
    let (Some(mut site), Some(theme)) = (checked.site, checked.theme) else {
        return Err(BuildError::Content(checked.diagnostics));
    };
    let linker = crate::render::number_linker(&site);
    let staging = Staging::create(&opts.output)?;
    let count = std::sync::atomic::AtomicUsize::new(0);
    let sink = |f: OutFile| {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        staging.put(&f)
    };
    // Markdown and tokenising for the search index in one pass: each body is rendered just
    // before its text is tokenised, and that text (which no page shows) freed right after; each
    // source is freed once rendered. So a build never holds every source, or every body's
    // text, at once. The index's files are made while the pages render (below).
    let sources: Vec<String> = site
        .entries
        .iter_mut()
        .map(|e| std::mem::take(&mut e.body))
        .collect();
    let body_hashes: Vec<u64> = sources
        .par_iter()
        .map(|s| crate::output::hash(s.as_bytes()))
        .collect();
    let markdown_time = std::sync::atomic::AtomicU64::new(0);
    // The routes, entry pages first (a stable sort: the order among the others is kept), as the
    // pages are rendered below; the search index's files are written apart. Their folders are
    // made on a thread of their own while the Markdown pass keeps the others busy (see
    // `Staging::make_folders`).
    let is_entry = |r: &Route| matches!(r.output, crate::routes::Output::Entry(_));
    let mut routes = {
        let statics: Vec<String> = theme.static_files().into_iter().map(|(n, _)| n).collect();
        crate::routes::routes(&site, &statics)
    };
    routes.retain(|r| r.output != crate::routes::Output::SearchIndex);
    routes.sort_by_key(|r| !is_entry(r));
    let folders: Vec<&str> = routes.iter().map(|r| r.path.as_str()).collect();
    let markdown_done = std::sync::atomic::AtomicBool::new(false);
    let (global, (tokenised, mut bodies, summaries)) = std::thread::scope(|scope| {
        scope.spawn(|| staging.make_folders(&folders, &markdown_done));
        // The fingerprint of everything but the bodies is one thread's work (it reads and
        // hashes the program): done while the other threads render Markdown.
        let pass = rayon::join(
            || crate::rebuild::global(&site, &theme),
            || crate::search_docs::index_with_bodies(&site, &linker, sources, &markdown_time),
        );
        markdown_done.store(true, std::sync::atomic::Ordering::Relaxed);
        pass
    });
    let tokenising_ns = tokenised.tokenising_ns;
    lap("markdown and search tokenising");
    // Only published entries: their pages are all a body shows on.
    let published: Vec<usize> = (0..site.entries.len())
        .filter(|&id| site.published[id])
        .collect();
    let inputs = crate::rebuild::Inputs {
        global,
        entries: published
            .iter()
            .map(|&id| {
                (
                    body_hashes[id],
                    crate::output::hash(summaries[id].as_bytes()),
                )
            })
            .collect(),
    };
    // Pages a rebuild takes from the previous build as they are (see `rebuild`).
    let previous = staging.previous_output();
    let reuse = previous.as_ref().and_then(|p| {
        let changed = inputs.changed_bodies(&p.inputs)?;
        let ids: std::collections::HashSet<usize> = changed.iter().map(|&i| published[i]).collect();
        Some((ids, &p.manifest))
    });
    let reused = std::sync::atomic::AtomicUsize::new(0);
    // The search index's files are made and written while the pages render, once a quarter of
    // the entry pages is done: merging the tokenised runs is one thread's work at first, and
    // the pages keep the other threads busy (10k corpus, alternating binaries: 1.69 -> 1.61 s).
    // Not from the start: entry pages free the bodies' HTML as they go, and the index's memory
    // (the merged postings, the files' bytes) must not come on top of all of it (from the
    // start, the 100k corpus's peak grew by 80 MB, to 2,002 MB; after a quarter it is 1,901 MB,
    // the Markdown pass's own peak). After half, the gain was lost.
    let write_index = || {
        let start = std::time::Instant::now();
        let written = crate::search::finish_index(tokenised)
            .into_par_iter()
            .try_for_each(|f| {
                sink(OutFile {
                    path: f.path,
                    data: crate::render::Data::Bytes(f.bytes),
                })
            })
            .map_err(BuildError::Output);
        (written, start.elapsed())
    };
    // Each page takes its body's HTML and frees it once rendered: the memory the pages' shared
    // values (cards, summaries, feed entries) take as rendering goes on is freed from the
    // bodies meanwhile.
    let html: Vec<String> = bodies
        .iter_mut()
        .map(|b| std::mem::take(&mut b.html))
        .collect();
    let mut renderer = Renderer::new(&site, opts.root.clone(), theme, Some(&bodies), Some(linker))
        .map_err(|d| BuildError::Content(vec![d]))?;
    renderer.hand_over_html(html);
    renderer.hand_over_summaries(summaries);
    // A quarter of the entry pages before the index starts.
    let (first_routes, other_routes) = routes.split_at(routes.partition_point(is_entry) / 4);
    let route_times = RouteTimes::default();
    let mut card_renders = (0, std::time::Duration::ZERO);
    let render_set = |renderer: &Renderer<'_>, set: &[Route]| match &reuse {
        None => render_routes(renderer, set, &sink, Some(&route_times)),
        Some((changed, manifest)) => {
            use crate::routes::Output;
            let (fresh, kept): (Vec<&Route>, Vec<&Route>) =
                set.iter().partition(|r| match r.output {
                    Output::Entry(id) => changed.contains(&id),
                    Output::Asset(_) => true,
                    _ => !manifest.contains_key(&r.path),
                });
            let fresh: Vec<Route> = fresh.into_iter().cloned().collect();
            kept.par_iter()
                .try_for_each(|r| {
                    count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    staging.keep(&r.path, manifest[&r.path])
                })
                .map_err(BuildError::Output)
                .and_then(|()| render_routes(renderer, &fresh, &sink, Some(&route_times)))
        }
    };
    let mut index_time = std::time::Duration::ZERO;
    let result = render_set(&renderer, first_routes).and_then(|()| {
        let ((pages, cards), (index, time)) = rayon::join(
            || {
                let pages = render_set(&renderer, other_routes);
                let cards = renderer.card_renders();
                // What the pages shared (cards, feed entries) is freed here, still beside the
                // index.
                drop(renderer);
                (pages, cards)
            },
            write_index,
        );
        index_time = time;
        card_renders = cards;
        pages.and(index)
    });
    drop(bodies);
    lap("pages and search index files");
    match result {
        Ok(()) => {
            let marker = staging.commit()?;
            // Without the record the next build renders every page: no reason to fail this one.
            let _ = crate::rebuild::write(&opts.output, marker, &inputs);
            lap("swap");
            timings.push(Stage {
                name: "(search index files, wall)",
                wall: index_time,
                cpu_ms: 0,
                resident_mb: 0,
            });
            timings.push(Stage {
                name: "(search documents and tokenising, summed over threads)",
                wall: std::time::Duration::from_nanos(tokenising_ns),
                cpu_ms: 0,
                resident_mb: 0,
            });
            timings.push(Stage {
                name: "(Markdown, summed over threads)",
                wall: std::time::Duration::from_nanos(markdown_time.into_inner()),
                cpu_ms: 0,
                resident_mb: 0,
            });
            let pages = routes.iter().filter(|r| r.path.ends_with(".html")).count();
            Ok(BuildReport {
                pages,
                files: count.into_inner(),
                reused: reused.into_inner(),
                routes: route_times.report(),
                card_renders,
                diagnostics: checked
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.severity != Severity::Note)
                    .collect(),
                timings,
            })
        }
        Err(e) => {
            staging.abandon();
            Err(e)
        }
    }
}

/// The CPU time (user and system, all threads) of this process so far, in milliseconds, from
/// `/proc/self/stat` (0 where there is none): for the benchmarks that time one stage
/// (`examples/index_bench.rs`, the search budget report).
pub fn cpu_time_ms() -> u64 {
    let (user, system) = cpu_times_ms();
    user + system
}

/// The user and the system CPU time (all threads) of this process so far, in milliseconds, from
/// `/proc/self/stat` (0 where there is none; `examples/write_floor.rs` prints them apart).
pub fn cpu_times_ms() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // utime and stime are fields 14 and 15: the 12th and 13th after the name's ")", in clock
    // ticks of 10 ms.
    let mut fields = stat
        .rsplit_once(')')
        .map_or("", |x| x.1)
        .split_whitespace()
        .skip(11);
    let mut ticks = || {
        fields
            .next()
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (ticks() * 10, ticks() * 10)
}

/// The resident set size of this process in MB (Linux; 0 elsewhere).
fn resident_mb() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * 4096 / (1 << 20))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// User time is the first of the two fields: spinning on the CPU (no system calls but the
    /// reads of `/proc`) makes it grow, and the sum is what `cpu_time_ms` gives.
    #[cfg(target_os = "linux")]
    #[test]
    fn cpu_times_are_user_then_system() {
        let (user, _) = cpu_times_ms();
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while cpu_times_ms().0 < user + 50 && start.elapsed() < std::time::Duration::from_secs(20) {
            for i in 0..1_000_000u64 {
                x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
            }
        }
        let (u, s) = cpu_times_ms();
        assert!(u >= user + 50, "user time {user} -> {u} ms after spinning");
        let total = cpu_time_ms();
        assert!(
            total >= u + s && total <= u + s + 100,
            "{total} against {u} + {s}"
        );
    }
}
