//! Atom and RSS feeds: site-wide, per type and per unit, with stable ids, dates from the
//! entries (never the clock, so output is reproducible), categories and absolute URLs.

use atom_syndication as atom;

use crate::content::{Details, Entry, Kind};
use crate::render::context::{
    absolute, kind_label_key, main_unit, t, unit_name_slug, unit_path, unit_ref,
};
use crate::render::Renderer;
use crate::routes::{kind_folder, Feed};
use crate::site::{EntryId, Site};
use crate::text::dates::Date;

/// Renders one feed, as the bytes of its XML (written straight into them, as the crates' own
/// `to_string` does, without checking the UTF-8 again).
pub fn render(r: &Renderer<'_>, feed: &Feed) -> Vec<u8> {
    let site = r.site;
    let limit = site.config.feed_limit;
    let (ids, title, self_path, page_path): (Vec<EntryId>, String, String, String) = match feed {
        Feed::SiteAtom | Feed::SiteRss => (
            site.all_entries.clone(),
            site.config.title.clone(),
            if *feed == Feed::SiteAtom {
                "atom.xml".into()
            } else {
                "rss.xml".into()
            },
            String::new(),
        ),
        Feed::Kind(kind) => {
            let folder = kind_folder(site, *kind);
            let label = t(
                &r.strings,
                match kind {
                    Kind::Plan => "plans",
                    Kind::Solution => "solutions",
                    _ => "news",
                },
            );
            (
                r.of_kind(*kind).to_vec(),
                format!("{label} — {}", site.config.title),
                format!("{folder}/atom.xml"),
                format!("{folder}/"),
            )
        }
        Feed::Unit(u) => {
            let mut ids: Vec<EntryId> = site.unit_refs[*u]
                .iter()
                .map(|(id, _)| *id)
                .filter(|&id| site.entries[id].kind != Kind::Page)
                .collect();
            ids.dedup();
            let path = unit_path(site, &site.units[*u].slug);
            (
                ids,
                format!("{} — {}", site.units[*u].name, site.config.title),
                format!("{path}atom.xml"),
                path,
            )
        }
    };
    let ids = &ids[..ids.len().min(limit)];
    if *feed == Feed::SiteRss {
        rss(r, ids, &title, &self_path)
    } else {
        atom_feed(r, ids, &title, &self_path, &page_path)
    }
}

/// The entry's date and time as RFC 3339, in Vietnam's time zone.
fn timestamp(e: &Entry) -> String {
    let d = e.date.unwrap_or(Date {
        year: 1970,
        month: 1,
        day: 1,
    });
    let time = match &e.details {
        Details::News(n) => n.time.clone(),
        _ => None,
    }
    .unwrap_or_else(|| "00:00".into());
    format!("{}T{time}:00+07:00", d.iso())
}

fn categories(r: &Renderer<'_>, e: &Entry) -> Vec<(String, String)> {
    let site = r.site;
    let mut cats = vec![(
        "type".to_string(),
        t(&r.strings, kind_label_key(e.kind)).to_string(),
    )];
    for (item, _) in e.unit_refs() {
        let (name, _) = unit_name_slug(site, item);
        if !cats.iter().any(|(s, n)| s == "unit" && n == name) {
            cats.push(("unit".into(), name.to_string()));
        }
    }
    for tag in &e.tags {
        cats.push(("topic".into(), tag.value.clone()));
    }
    cats
}

fn summary(r: &Renderer<'_>, id: EntryId) -> String {
    r.summary(id).to_string()
}

/// The `<entry>` element of an entry, as a feed holds it (without its own `xmlns`, which the
/// feed declares). An entry is in several feeds (the site's, its type's, each unit's), so it is
/// written once per build and its bytes reused.
fn atom_entry<'r>(r: &'r Renderer<'_>, id: EntryId) -> &'r [u8] {
    r.feed_entries[id].get_or_init(|| entry_bytes(&entry_of(r, id)))
}

/// The Atom entry of an entry.
fn entry_of(r: &Renderer<'_>, id: EntryId) -> atom::Entry {
    let site = r.site;
    let parse = |s: &str| atom::FixedDateTime::parse_from_rfc3339(s).ok();
    let e = &site.entries[id];
    let url = absolute(site, &site.urls[id]);
    let stamp = parse(&timestamp(e)).unwrap_or_default();
    let mut entry = atom::Entry::default();
    entry.set_id(url.clone());
    entry.set_title(atom::Text::plain(full_title(e)));
    entry.set_updated(stamp);
    entry.set_published(Some(stamp));
    entry.set_links(vec![atom::Link {
        href: url,
        rel: "alternate".into(),
        mime_type: Some("text/html".into()),
        ..Default::default()
    }]);
    entry.set_summary(Some(atom::Text::plain(summary(r, id))));
    if let Some(u) = main_unit(e) {
        let unit = unit_ref(site, u);
        entry.set_authors(vec![atom::Person {
            name: unit.name,
            uri: (!unit.url.is_empty())
                .then(|| absolute(site, &unit.url[site.config.base_path.len()..])),
            email: None,
            ..Default::default()
        }]);
    }
    entry.set_categories(
        categories(r, e)
            .into_iter()
            .map(|(scheme, term)| atom::Category {
                term: term.clone(),
                scheme: Some(absolute(site, &format!("#{scheme}"))),
                label: Some(term),
            })
            .collect::<Vec<_>>(),
    );
    entry
}

/// An entry's `<entry>` element as a feed holds it: without the `xmlns` of a standalone one.
fn entry_bytes(entry: &atom::Entry) -> Vec<u8> {
    let config = atom::WriteConfig {
        write_document_declaration: false,
        indent_size: None,
    };
    let xml = entry
        .write_with_config(Vec::new(), config)
        .unwrap_or_default();
    match xml.strip_prefix(ENTRY_XMLNS.as_bytes()) {
        Some(rest) => [b"<entry".as_slice(), rest].concat(),
        None => xml,
    }
}

/// The feed with `entries` (from [`entry_bytes`]) spliced in before `</feed>`, where the
/// writer puts them (a feed without extensions, which would follow them); `None` if the
/// writer's output does not end as expected.
fn splice<'e>(feed: &atom::Feed, entries: impl Iterator<Item = &'e [u8]>) -> Option<Vec<u8>> {
    let mut xml = feed.write_to(Vec::new()).ok()?;
    let end = xml.len().checked_sub(FEED_END.len())?;
    if !feed.entries.is_empty() || !feed.extensions.is_empty() || xml[end..] != *FEED_END.as_bytes()
    {
        return None;
    }
    xml.truncate(end);
    for e in entries {
        xml.extend_from_slice(e);
    }
    xml.extend_from_slice(FEED_END.as_bytes());
    Some(xml)
}

/// How atom_syndication starts a standalone `<entry>`.
const ENTRY_XMLNS: &str = r#"<entry xmlns="http://www.w3.org/2005/Atom""#;

fn atom_feed(
    r: &Renderer<'_>,
    ids: &[EntryId],
    title: &str,
    self_path: &str,
    page_path: &str,
) -> Vec<u8> {
    let site = r.site;
    let parse = |s: &str| atom::FixedDateTime::parse_from_rfc3339(s).ok();
    let updated = ids
        .first()
        .and_then(|&id| parse(&timestamp(&site.entries[id])))
        .or_else(|| parse(&format!("{}T00:00:00+07:00", site.now.iso())))
        .unwrap_or_default();
    let mut feed = atom::Feed::default();
    feed.set_id(absolute(site, self_path));
    feed.set_title(atom::Text::plain(title));
    feed.set_updated(updated);
    feed.set_lang(Some(lang_code(site).to_string()));
    feed.set_generator(Some(atom::Generator {
        value: "sangtao".into(),
        uri: None,
        version: Some(env!("CARGO_PKG_VERSION").into()),
    }));
    feed.set_links(vec![
        atom::Link {
            href: absolute(site, self_path),
            rel: "self".into(),
            mime_type: Some("application/atom+xml".into()),
            ..Default::default()
        },
        atom::Link {
            href: absolute(site, page_path),
            rel: "alternate".into(),
            mime_type: Some("text/html".into()),
            ..Default::default()
        },
    ]);
    if let Some(owner) = site
        .config
        .owner
        .as_ref()
        .and_then(|o| site.unit_by_slug.get(o))
    {
        feed.set_authors(vec![atom::Person {
            name: site.units[*owner].name.clone(),
            email: None,
            uri: None,
            ..Default::default()
        }]);
    } else {
        feed.set_authors(vec![atom::Person {
            name: site.config.title.clone(),
            email: None,
            uri: None,
            ..Default::default()
        }]);
    }
    splice(&feed, ids.iter().map(|&id| atom_entry(r, id))).unwrap_or_else(|| {
        feed.set_entries(ids.iter().map(|&id| entry_of(r, id)).collect::<Vec<_>>());
        feed.write_to(Vec::new()).unwrap_or_default()
    })
}

const FEED_END: &str = "</feed>";

fn lang_code(site: &Site) -> &'static str {
    match site.config.language {
        crate::text::dates::Lang::Vi => "vi",
        crate::text::dates::Lang::En => "en",
    }
}

/// The title with the plan number in front, as officials cite plans.
fn full_title(e: &Entry) -> String {
    match e.number() {
        Some(n) => format!("{n}: {}", e.title),
        None => e.title.clone(),
    }
}

fn rfc2822(stamp: &str) -> String {
    time::OffsetDateTime::parse(stamp, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc2822)
                .ok()
        })
        .unwrap_or_default()
}

fn rss(r: &Renderer<'_>, ids: &[EntryId], title: &str, self_path: &str) -> Vec<u8> {
    let site = r.site;
    let items: Vec<rss::Item> = ids
        .iter()
        .map(|&id| {
            let e = &site.entries[id];
            let url = absolute(site, &site.urls[id]);
            let mut item = rss::Item::default();
            item.set_title(full_title(e));
            item.set_link(url.clone());
            item.set_guid(rss::Guid {
                value: url,
                permalink: true,
            });
            // RSS readers take `<description>` as HTML: the plain-text summary is escaped
            // once as HTML here (and once more as XML by the writer).
            let mut description = String::new();
            crate::render::numbers::escape_into(&mut description, &summary(r, id));
            item.set_description(description);
            item.set_pub_date(rfc2822(&timestamp(e)));
            if let Some(u) = main_unit(e) {
                item.set_author(None);
                item.set_dublin_core_ext(Some(rss::extension::dublincore::DublinCoreExtension {
                    creators: vec![unit_name_slug(site, u).0.to_string()],
                    ..Default::default()
                }));
            }
            item.set_categories(
                categories(r, e)
                    .into_iter()
                    .map(|(scheme, name)| rss::Category {
                        name,
                        domain: Some(absolute(site, &format!("#{scheme}"))),
                    })
                    .collect::<Vec<_>>(),
            );
            item
        })
        .collect();
    let mut channel = rss::Channel::default();
    channel.set_title(title);
    channel.set_link(absolute(site, ""));
    // Read as HTML by RSS readers, like an item's description.
    let mut description = String::new();
    crate::render::numbers::escape_into(
        &mut description,
        site.config.description.as_deref().unwrap_or(title),
    );
    channel.set_description(description);
    channel.set_language(Some(lang_code(site).to_string()));
    channel.set_generator(Some(format!("sangtao {}", env!("CARGO_PKG_VERSION"))));
    if let Some(&first) = ids.first() {
        channel.set_last_build_date(Some(rfc2822(&timestamp(&site.entries[first]))));
    }
    channel.set_namespaces(
        [
            (
                "atom".to_string(),
                "http://www.w3.org/2005/Atom".to_string(),
            ),
            (
                "dc".to_string(),
                "http://purl.org/dc/elements/1.1/".to_string(),
            ),
        ]
        .into_iter()
        .collect::<std::collections::BTreeMap<String, String>>(),
    );
    channel.set_atom_ext(Some(rss::extension::atom::AtomExtension {
        links: vec![rss::extension::atom::Link {
            href: absolute(site, self_path),
            rel: "self".into(),
            mime_type: Some("application/rss+xml".into()),
            ..Default::default()
        }],
    }));
    channel.set_items(items);
    channel.write_to(Vec::new()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splicing entries written once into a feed gives the bytes the crate writes for the feed
    /// with those entries (this would catch a change of the writer's format).
    #[test]
    fn spliced_entries_are_what_the_writer_gives() {
        let entry = |n: u32| {
            let mut e = atom::Entry::default();
            e.set_id(format!("https://example.edu.vn/tin-tuc/{n}/"));
            e.set_title(atom::Text::plain(format!("Tin <{n}> & \"đổi mới\"")));
            e.set_summary(Some(atom::Text::plain("Tóm tắt")));
            e.set_categories(vec![atom::Category {
                term: "STEM".into(),
                scheme: Some("https://example.edu.vn/#topic".into()),
                label: Some("STEM".into()),
            }]);
            e
        };
        let mut feed = atom::Feed::default();
        feed.set_id("https://example.edu.vn/atom.xml");
        feed.set_title(atom::Text::plain("Cổng"));
        feed.set_lang(Some("vi".to_string()));
        let entries = [entry(1), entry(2)];
        let bytes: Vec<Vec<u8>> = entries.iter().map(entry_bytes).collect();
        let spliced = splice(&feed, bytes.iter().map(Vec::as_slice)).expect("splices");
        feed.set_entries(entries.to_vec());
        assert_eq!(
            String::from_utf8(spliced).unwrap(),
            String::from_utf8(feed.write_to(Vec::new()).unwrap()).unwrap()
        );
        // A feed that already has entries is not spliced into.
        assert!(splice(&feed, std::iter::empty()).is_none());
    }
}
