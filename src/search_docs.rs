//! The bridge from the resolved site to the search index: one search document per published
//! entry and page, taken from the site's data (not from the HTML).

use rayon::prelude::*;

use crate::render::context::{link, main_unit, unit_name_slug};
use crate::render::markdown::Rendered;
use crate::render::{Data, OutFile, Renderer};
use crate::search::{SearchDoc, SearchUnit};
use crate::site::Site;

/// The search documents of every published entry and page, in source order.
pub fn documents(site: &Site, bodies: &[Rendered]) -> Vec<SearchDoc> {
    documents_with(site, Some(bodies))
}

/// The search documents; without `bodies`, their summary and body text are left empty.
fn documents_with(site: &Site, bodies: Option<&[Rendered]>) -> Vec<SearchDoc> {
    (0..site.entries.len())
        .into_par_iter()
        .filter(|&id| site.published[id])
        .map(|id| {
            let e = &site.entries[id];
            let mut units: Vec<SearchUnit> = Vec::new();
            let main = main_unit(e);
            for (item, _) in main
                .into_iter()
                .map(|m| (m, ()))
                .chain(e.unit_refs().into_iter().map(|(u, _)| (u, ())))
            {
                let (name, slug) = unit_name_slug(site, item);
                if !units.iter().any(|u| u.name == name) {
                    units.push(SearchUnit {
                        slug: slug.to_string(),
                        name: name.to_string(),
                    });
                }
            }
            SearchDoc {
                url: link(site, &site.urls[id]),
                kind: e.kind.name().to_string(),
                title: e.title.clone(),
                number: e.number().unwrap_or_default().to_string(),
                summary: bodies
                    .map(|b| crate::render::context::summary(e, &b[id]))
                    .unwrap_or_default(),
                body_text: bodies.map(|b| b[id].text.clone()).unwrap_or_default(),
                units,
                topics: e.tags.iter().map(|t| t.value.clone()).collect(),
                date: e.date.map(|d| d.iso()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The search index of a build, made together with the Markdown of the entries: each published
/// entry's body is rendered just before its text is tokenised, and the text freed right after,
/// so that a build never holds every body's text (which no page shows) at once. `sources` are
/// the entries' Markdown, taken out of the site; each is freed once rendered. Returns the
/// tokenised index (for [`crate::search::finish_index`]), every entry's rendered body (without
/// its text) and every entry's summary (made once, here, for the index, the record of inputs
/// and the pages), and adds the time spent in Markdown, summed over threads, to
/// `markdown_time`.
pub fn index_with_bodies(
    site: &Site,
    linker: &crate::render::numbers::NumberLinker,
    sources: Vec<String>,
    markdown_time: &std::sync::atomic::AtomicU64,
) -> (crate::search::Tokenised, Vec<Rendered>, Vec<String>) {
    use std::sync::atomic::Ordering;
    use std::sync::{Mutex, OnceLock};
    let sources: Vec<Mutex<String>> = sources.into_iter().map(Mutex::new).collect();
    let slots: Vec<OnceLock<(Rendered, String)>> =
        (0..site.entries.len()).map(|_| OnceLock::new()).collect();
    let render = |id: usize| {
        let start = std::time::Instant::now();
        let source = sources[id]
            .lock()
            .map(|mut s| std::mem::take(&mut *s))
            .unwrap_or_default();
        let rendered = crate::render::render_source(site, linker, id, &source);
        markdown_time.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        rendered
    };
    let ids: Vec<usize> = (0..site.entries.len())
        .filter(|&id| site.published[id])
        .collect();
    let start = std::time::Instant::now();
    let docs = documents_with(site, None);
    let documents_ns = start.elapsed().as_nanos() as u64;
    let summarised = |id: usize| {
        let rendered = render(id);
        let summary = crate::render::context::summary(&site.entries[id], &rendered);
        (rendered, summary)
    };
    let mut tokenised = crate::search::tokenise_filling(docs, &|i, doc| {
        let id = ids[i];
        let (mut rendered, summary) = summarised(id);
        doc.summary = summary.clone();
        doc.body_text = std::mem::take(&mut rendered.text);
        let _ = slots[id].set((rendered, summary));
    });
    // The documents are made on all threads: their wall time is about that of each thread
    // running (no more at once than there are cores).
    let running = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(rayon::current_num_threads());
    tokenised.tokenising_ns += documents_ns * running as u64;
    // Entries outside the index (not published) still have cards.
    let (bodies, summaries) = slots
        .into_par_iter()
        .enumerate()
        .map(|(id, slot)| slot.into_inner().unwrap_or_else(|| summarised(id)))
        .unzip();
    (tokenised, bodies, summaries)
}

/// Every file of the search index.
pub fn index_files(r: &Renderer<'_>) -> Vec<OutFile> {
    crate::search::build_index_owned(documents(r.site, &r.bodies))
        .into_iter()
        .map(|f| OutFile {
            path: f.path,
            data: Data::Bytes(f.bytes),
        })
        .collect()
}
