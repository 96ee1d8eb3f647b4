//! The bridge from the resolved site to the search index: one search document per published
//! entry and page, taken from the site's data (not from the HTML).

use rayon::prelude::*;

use crate::render::context::{link, main_unit, unit_ref};
use crate::render::{Data, OutFile, Renderer};
use crate::search::{SearchDoc, SearchUnit};
use crate::site::Site;

/// The search documents of every published entry and page, in source order.
pub fn documents(site: &Site, bodies: &[crate::render::markdown::Rendered]) -> Vec<SearchDoc> {
    documents_with(site, bodies, true)
}

fn documents_with(
    site: &Site,
    bodies: &[crate::render::markdown::Rendered],
    with_text: bool,
) -> Vec<SearchDoc> {
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
                let r = unit_ref(site, item);
                if !units.iter().any(|u| u.name == r.name) {
                    units.push(SearchUnit {
                        slug: r.slug,
                        name: r.name,
                    });
                }
            }
            SearchDoc {
                url: link(site, &site.urls[id]),
                kind: e.kind.name().to_string(),
                title: e.title.clone(),
                number: e.number().unwrap_or_default().to_string(),
                summary: crate::render::context::summary(e, &bodies[id]),
                body_text: if with_text {
                    bodies[id].text.clone()
                } else {
                    String::new()
                },
                units,
                topics: e.tags.iter().map(|t| t.value.clone()).collect(),
                date: e.date.map(|d| d.iso()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The search documents, taking each body's text out of `bodies` (whose HTML is freed too):
/// for a build, where nothing renders pages afterwards.
pub fn documents_from(
    site: &Site,
    bodies: &mut [crate::render::markdown::Rendered],
) -> Vec<SearchDoc> {
    for b in bodies.iter_mut() {
        b.html = String::new();
        b.links = Vec::new();
    }
    let mut docs = documents_with(site, bodies, false);
    let mut i = 0;
    for (id, body) in bodies.iter_mut().enumerate() {
        if site.published[id] {
            docs[i].body_text = std::mem::take(&mut body.text);
            i += 1;
        }
    }
    docs
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
