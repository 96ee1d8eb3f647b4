//! `sitemap.xml` (every published page with its last change) and `robots.txt`.

use std::fmt::Write as _;

use crate::render::context::absolute;
use crate::render::numbers::escape_into;
use crate::routes::{page_url, routes, Output};
use crate::site::Site;
use crate::text::dates::Date;

/// The sitemap of every published HTML page except the 404 page.
pub fn sitemap(site: &Site) -> String {
    let newest = site
        .all_entries
        .first()
        .and_then(|&id| site.entries[id].date)
        .unwrap_or(site.now);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for route in routes(site, &[]) {
        let Some(url) = page_url(site, &route.output) else {
            continue;
        };
        let lastmod: Date = match &route.output {
            Output::Entry(id) => site.entries[*id].date.unwrap_or(newest),
            _ => newest,
        };
        out.push_str("  <url><loc>");
        escape_into(&mut out, &absolute(site, &url));
        let _ = writeln!(out, "</loc><lastmod>{}</lastmod></url>", lastmod.iso());
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`, pointing at the sitemap.
pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(site, "sitemap.xml")
    )
}
