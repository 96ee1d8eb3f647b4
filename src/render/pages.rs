//! The context of each kind of page and the template that renders it (docs/theme.md).

use minijinja::value::{Enumerator, Object, ObjectRepr};
use minijinja::Value;
use serde::Serialize;
use std::sync::Arc;

use crate::content::Kind;
use crate::render::context::{
    absolute, kind_label_key, link, t, unit_path, unit_ref_of, Strings, UnitRefV,
};
use crate::render::Renderer;
use crate::routes::{
    kind_folder, page_count, page_path, page_url, section_entries, Output, Section,
};
use crate::site::{EntryId, Site, UnitId};

#[derive(Serialize)]
struct MenuItem {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PathsV<'a> {
    plans: &'a str,
    solutions: &'a str,
    news: &'a str,
    units: &'a str,
    topics: &'a str,
    search: &'a str,
}

#[derive(Serialize)]
struct SiteV<'a> {
    title: &'a str,
    description: &'a str,
    language: &'static str,
    base_url: &'a str,
    base_path: &'a str,
    owner: Option<UnitRefV>,
    menu: Vec<MenuItem>,
    /// The main menu: the five sections, then `menu`.
    nav: Vec<NavItem>,
    paths: PathsV<'a>,
    feed_url: String,
    rss_url: String,
    search_url: String,
    units_url: String,
    topics_url: String,
    plans_url: String,
    solutions_url: String,
    news_url: String,
    drafts: bool,
}

/// The `site` global.
#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    /// `plan`, `solution`, `news`, `unit`, `topic`, or empty for a page of `menu`.
    kind: &'static str,
}

pub fn site_value<'a>(site: &'a Site, strings: &Strings) -> impl Serialize + 'a {
    let c = &site.config;
    let mut pages: Vec<(i64, &str, usize)> = site
        .entries
        .iter()
        .enumerate()
        .filter(|(id, _)| site.published[*id])
        .filter_map(|(id, e)| match e.details {
            crate::content::Details::Page { order: Some(o) } => Some((o, e.title.as_str(), id)),
            _ => None,
        })
        .collect();
    pages.sort();
    let owner = c
        .owner
        .as_ref()
        .and_then(|o| site.unit_by_slug.get(o))
        .map(|&u| unit_ref_of(site, u));
    let menu: Vec<MenuItem> = pages
        .into_iter()
        .map(|(_, title, id)| MenuItem {
            title: title.to_string(),
            url: link(site, &site.urls[id]),
        })
        .collect();
    let sections = [
        ("plans", &c.paths.plans, "plan"),
        ("solutions", &c.paths.solutions, "solution"),
        ("news", &c.paths.news, "news"),
        ("units", &c.paths.units, "unit"),
        ("topics", &c.paths.topics, "topic"),
    ];
    let nav = sections
        .into_iter()
        .map(|(key, path, kind)| NavItem {
            title: t(strings, key).to_string(),
            url: link(site, &format!("{path}/")),
            kind,
        })
        .chain(menu.iter().map(|m| NavItem {
            title: m.title.clone(),
            url: m.url.clone(),
            kind: "",
        }))
        .collect();
    SiteV {
        title: &c.title,
        description: c.description.as_deref().unwrap_or(""),
        language: match c.language {
            crate::text::dates::Lang::Vi => "vi",
            crate::text::dates::Lang::En => "en",
        },
        base_url: &c.base_url,
        base_path: &c.base_path,
        owner,
        menu,
        nav,
        paths: PathsV {
            plans: &c.paths.plans,
            solutions: &c.paths.solutions,
            news: &c.paths.news,
            units: &c.paths.units,
            topics: &c.paths.topics,
            search: &c.paths.search,
        },
        feed_url: link(site, "atom.xml"),
        rss_url: link(site, "rss.xml"),
        search_url: link(site, &format!("{}/", c.paths.search)),
        units_url: link(site, &format!("{}/", c.paths.units)),
        topics_url: link(site, &format!("{}/", c.paths.topics)),
        plans_url: link(site, &format!("{}/", c.paths.plans)),
        solutions_url: link(site, &format!("{}/", c.paths.solutions)),
        news_url: link(site, &format!("{}/", c.paths.news)),
        drafts: site.drafts,
    }
}

#[derive(Serialize)]
struct UnitNode {
    slug: String,
    name: String,
    short_name: String,
    kind_label: String,
    url: String,
    children: Vec<UnitNode>,
}

fn unit_kind_label(strings: &Strings, kind: &str) -> String {
    t(strings, &format!("unit_kind_{}", kind.replace('-', "_"))).to_string()
}

fn node(site: &Site, strings: &Strings, u: UnitId, depth: usize) -> UnitNode {
    let unit = &site.units[u];
    UnitNode {
        slug: unit.slug.clone(),
        name: unit.name.clone(),
        short_name: unit.short_name.clone().unwrap_or_else(|| unit.name.clone()),
        kind_label: unit_kind_label(strings, &unit.kind),
        url: link(site, &unit_path(site, &unit.slug)),
        children: if depth > 64 {
            Vec::new()
        } else {
            site.children[u]
                .iter()
                .map(|&c| node(site, strings, c, depth + 1))
                .collect()
        },
    }
}

/// The unit tree, roots first, in Vietnamese order.
pub fn units_tree(site: &Site, strings: &Strings) -> impl Serialize {
    site.roots
        .iter()
        .map(|&u| node(site, strings, u, 0))
        .collect::<Vec<_>>()
}

#[derive(Serialize)]
struct FeedLink {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageV {
    url: String,
    /// `url` if the main menu has an item of this URL (marked as the current page), else empty.
    nav_current: String,
    canonical: String,
    title: String,
    description: String,
    kind: &'static str,
    feeds: Vec<FeedLink>,
    image: Option<String>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev_url: String,
    next_url: String,
    pages: Vec<PageLink>,
}

/// How many pages on each side of the current one a pagination lists (the default theme shows
/// two and marks a gap at the third).
const PAGE_WINDOW: usize = 3;

/// The pages a pagination lists, in order: the first, the last, and those within
/// [`PAGE_WINDOW`] of the current one. Listing every page would make a section's listing pages
/// quadratic in its length (3,000 news pages at 100k entries, each naming all 3,000).
fn page_window(current: usize, total: usize) -> impl Iterator<Item = usize> {
    let near = current.saturating_sub(PAGE_WINDOW).max(1)..=(current + PAGE_WINDOW).min(total);
    let first = (*near.start() > 1).then_some(1);
    let last = (*near.end() < total).then_some(total);
    first.into_iter().chain(near).chain(last)
}

fn pagination(site: &Site, base: &str, current: usize, total: usize) -> Pagination {
    let url = |p: usize| link(site, &page_path(base, p));
    Pagination {
        current,
        total,
        prev_url: if current > 1 {
            url(current - 1)
        } else {
            String::new()
        },
        next_url: if current < total {
            url(current + 1)
        } else {
            String::new()
        },
        pages: page_window(current, total)
            .map(|n| PageLink {
                number: n,
                url: url(n),
                current: n == current,
            })
            .collect(),
    }
}

impl Renderer<'_> {
    fn page_v(
        &self,
        output: &Output,
        title: String,
        description: String,
        kind: &'static str,
    ) -> PageV {
        let site = self.site;
        let path = page_url(site, output).unwrap_or_default();
        let mut feeds = vec![FeedLink {
            title: site.config.title.clone(),
            url: link(site, "atom.xml"),
        }];
        if let Output::Unit(u) = output {
            feeds.push(FeedLink {
                title: site.units[*u].name.clone(),
                url: link(
                    site,
                    &format!("{}atom.xml", unit_path(site, &site.units[*u].slug)),
                ),
            });
        }
        let url = link(site, &path);
        PageV {
            nav_current: if self.nav_urls.contains(&url) {
                url.clone()
            } else {
                String::new()
            },
            url,
            canonical: absolute(site, &path),
            title,
            description: if description.is_empty() {
                site.config.description.clone().unwrap_or_default()
            } else {
                description
            },
            kind,
            feeds,
            image: None,
        }
    }

    fn cards(&self, ids: &[EntryId]) -> Vec<Value> {
        ids.iter().map(|&id| self.card(id)).collect()
    }

    fn t(&self, key: &str) -> String {
        t(&self.strings, key).to_string()
    }
}

fn slice(ids: &[EntryId], page: usize, per: usize) -> &[EntryId] {
    let start = ((page.max(1) - 1) * per).min(ids.len());
    &ids[start..(start + per).min(ids.len())]
}

/// The template that renders an output page.
pub fn template_name(site: &Site, output: &Output) -> String {
    match output {
        Output::Home => "home.html".into(),
        Output::Entry(id) => format!("{}.html", site.entries[*id].kind.name()),
        Output::Listing { .. } => "listing.html".into(),
        Output::Units => "units.html".into(),
        Output::Unit(_) => "unit.html".into(),
        Output::UnitSection { .. } => "unit_section.html".into(),
        Output::Topics => "topics.html".into(),
        Output::Topic { .. } => "topic.html".into(),
        Output::Search => "search.html".into(),
        _ => "404.html".into(),
    }
}

/// A page's template variables, made like `context!` (each value serialised): `vars! { page =>
/// page, entry => entry }`.
macro_rules! vars {
    ($($key:ident => $value:expr),* $(,)?) => {
        vec![$((stringify!($key), Value::from_serialize(&$value))),*]
    };
}

/// A page's context: its variables, then the site-wide globals (`site`, `t`, `now`) again.
/// Templates read `site` and `t` dozens of times a page; a name the context lacks is looked
/// up in the environment's map of globals and functions after the context, which made each
/// such read cost several string comparisons more (about 2 % of a build's instructions).
#[derive(Debug)]
struct PageContext {
    vars: Vec<(&'static str, Value)>,
}

impl Object for PageContext {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        ObjectRepr::Map
    }

    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        self.get_value_by_str(key.as_str()?)
    }

    fn get_value_by_str(self: &Arc<Self>, key: &str) -> Option<Value> {
        self.vars
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        Enumerator::Values(self.vars.iter().map(|(k, _)| Value::from(*k)).collect())
    }
}

/// Renders a page template into bytes. The buffer starts at a size most pages fit in: growing
/// a page's output from empty copied it several times.
fn render_to(
    r: &Renderer<'_>,
    template: minijinja::Template<'_, '_>,
    mut vars: Vec<(&'static str, Value)>,
) -> Result<Vec<u8>, minijinja::Error> {
    vars.extend(r.globals.iter().cloned());
    let ctx = Value::from_object(PageContext { vars });
    let mut out = Vec::with_capacity(PAGE_CAPACITY);
    template.render_captured_to(ctx, &mut out)?;
    Ok(out)
}

const PAGE_CAPACITY: usize = 32 * 1024;

/// Renders one HTML page.
pub fn render_page(r: &Renderer<'_>, output: &Output) -> Result<Vec<u8>, minijinja::Error> {
    let site = r.site;
    let per = site.config.per_page;
    let tpl = |name: &str| r.env.get_template(name);
    match output {
        Output::Home => {
            let page = r.page_v(output, site.config.title.clone(), String::new(), "home");
            let latest = |k: Kind, n: usize| {
                let ids = r.of_kind(k);
                r.cards(&ids[..ids.len().min(n)])
            };
            render_to(
                r,
                tpl("home.html")?,
                vars! {
                    page => page,
                    latest_news => latest(Kind::News, 6),
                    latest_plans => latest(Kind::Plan, 6),
                    solutions_by_award => solutions_by_award(r),
                    units_tree => r.units_tree.clone(),
                },
            )
        }
        Output::Entry(id) => {
            let e = &site.entries[*id];
            let summary = r.summary(*id).to_string();
            let mut page = r.page_v(
                output,
                e.title.clone(),
                summary,
                match e.kind {
                    Kind::Plan => "plan",
                    Kind::Solution => "solution",
                    Kind::News => "news",
                    Kind::Page => "page",
                },
            );
            let entry = crate::render::context::entry_value(r, *id);
            if let Ok(img) = entry.get_attr("image") {
                if let Ok(url) = img.get_attr("url") {
                    if let Some(u) = url.as_str() {
                        page.image = Some(format!("{}{}", origin(site), u));
                    }
                }
            }
            render_to(
                r,
                tpl(&format!("{}.html", page.kind))?,
                vars! { page => page, entry => entry },
            )
        }
        Output::Listing { kind, page: n } => {
            let ids = r.of_kind(*kind);
            let total = page_count(ids.len(), per);
            let title = r.t(match kind {
                Kind::Plan => "plans",
                Kind::Solution => "solutions",
                _ => "news",
            });
            let page = r.page_v(output, title, String::new(), "listing");
            let base = format!("{}/", kind_folder(site, *kind));
            render_to(
                r,
                tpl("listing.html")?,
                vars! {
                    page => page,
                    kind => kind.name(),
                    items => r.cards(slice(ids, *n, per)),
                    pagination => pagination(site, &base, *n, total),
                },
            )
        }
        Output::Units => {
            let page = r.page_v(output, r.t("units"), String::new(), "units");
            render_to(
                r,
                tpl("units.html")?,
                vars! { page => page, units_tree => r.units_tree.clone() },
            )
        }
        Output::Unit(u) => {
            let unit = unit_value(r, *u);
            let unit_v = &site.units[*u];
            let page = r.page_v(
                output,
                unit_v.name.clone(),
                unit_v.description.clone().unwrap_or_default(),
                "unit",
            );
            let sections: Vec<Value> = Section::ALL
                .iter()
                .map(|&s| section_value(r, *u, s, 1, false))
                .collect();
            render_to(
                r,
                tpl("unit.html")?,
                vars! { page => page, unit => unit, sections => sections },
            )
        }
        Output::UnitSection {
            unit: u,
            section,
            page: n,
        } => {
            let unit = unit_value(r, *u);
            let heading = r.t(&format!("section_{}", section.key()));
            let page = r.page_v(
                output,
                format!("{} — {}", heading, site.units[*u].name),
                String::new(),
                "unit_section",
            );
            let ids = section_entries(site, *u, *section);
            let base = format!(
                "{}{}/",
                unit_path(site, &site.units[*u].slug),
                section.folder()
            );
            render_to(
                r,
                tpl("unit_section.html")?,
                vars! {
                    page => page,
                    unit => unit,
                    section => section_value(r, *u, *section, *n, true),
                    pagination => pagination(site, &base, *n, page_count(ids.len(), per)),
                },
            )
        }
        Output::Topics => {
            let page = r.page_v(output, r.t("topics"), String::new(), "topics");
            let mut topics: Vec<TopicV> =
                site.topics.values().map(|tp| topic_v(site, tp)).collect();
            topics.sort_by_cached_key(|tp| crate::text::collate::sort_key(&tp.name));
            render_to(
                r,
                tpl("topics.html")?,
                vars! { page => page, topics => topics },
            )
        }
        Output::Topic { slug, page: n } => {
            let Some(topic) = site.topics.get(slug) else {
                return Ok(Vec::new());
            };
            let page = r.page_v(output, topic.name.clone(), String::new(), "topic");
            let base = format!("{}/{slug}/", site.config.paths.topics);
            render_to(
                r,
                tpl("topic.html")?,
                vars! {
                    page => page,
                    topic => topic_v(site, topic),
                    items => r.cards(slice(&topic.entries, *n, per)),
                    pagination => pagination(site, &base, *n, page_count(topic.entries.len(), per)),
                },
            )
        }
        Output::Search => {
            let page = r.page_v(output, r.t("search_title"), String::new(), "search");
            render_to(r, tpl("search.html")?, vars! { page => page })
        }
        Output::NotFound => {
            let mut page = r.page_v(output, r.t("not_found_title"), String::new(), "404");
            page.url = link(site, "404.html");
            page.canonical = absolute(site, "404.html");
            render_to(r, tpl("404.html")?, vars! { page => page })
        }
        _ => Ok(Vec::new()),
    }
}

fn origin(site: &Site) -> String {
    let abs = absolute(site, "");
    abs.strip_suffix(&site.config.base_path)
        .unwrap_or(&abs)
        .to_string()
}

#[derive(Serialize)]
struct TopicV {
    name: String,
    slug: String,
    url: String,
    count: usize,
}

fn topic_v(site: &Site, tp: &crate::site::Topic) -> TopicV {
    TopicV {
        name: tp.name.clone(),
        slug: tp.slug.clone(),
        url: link(site, &format!("{}/{}/", site.config.paths.topics, tp.slug)),
        count: tp.entries.len(),
    }
}

#[derive(Serialize)]
struct AwardGroup {
    level: String,
    items: Vec<Value>,
}

fn level_rank(level: &str) -> usize {
    let f = crate::text::fold_lower(level);
    ["nhat", "nhi", "ba", "khuyen khich"]
        .iter()
        .position(|w| f.ends_with(w))
        .unwrap_or(4)
}

fn solutions_by_award(r: &Renderer<'_>) -> Vec<AwardGroup> {
    let mut groups: Vec<AwardGroup> = Vec::new();
    let mut ids: Vec<EntryId> = r.of_kind(Kind::Solution).to_vec();
    let level = |id: EntryId| match &r.site.entries[id].details {
        crate::content::Details::Solution(s) => s.award.level.clone().unwrap_or_default(),
        _ => String::new(),
    };
    ids.sort_by_key(|&id| level_rank(&level(id)));
    for id in ids {
        let l = level(id);
        match groups.last_mut() {
            Some(g) if g.level == l => {
                if g.items.len() < 6 {
                    g.items.push(r.card(id))
                }
            }
            _ => groups.push(AwardGroup {
                level: l,
                items: vec![r.card(id)],
            }),
        }
    }
    groups
}

#[derive(Serialize)]
struct UnitV {
    slug: String,
    name: String,
    short_name: String,
    kind: String,
    kind_label: String,
    url: String,
    feed_url: String,
    parents: Vec<UnitRefV>,
    children: Vec<UnitRefV>,
    website: String,
    email: String,
    phone: String,
    address: String,
    description: String,
}

fn unit_value(r: &Renderer<'_>, u: UnitId) -> UnitV {
    let site = r.site;
    let unit = &site.units[u];
    let mut parents = Vec::new();
    let mut cur = site.parent[u];
    while let Some(p) = cur {
        if parents.len() > 64 {
            break;
        }
        parents.push(unit_ref_of(site, p));
        cur = site.parent[p];
    }
    parents.reverse();
    let path = unit_path(site, &unit.slug);
    UnitV {
        slug: unit.slug.clone(),
        name: unit.name.clone(),
        short_name: unit.short_name.clone().unwrap_or_else(|| unit.name.clone()),
        kind: unit.kind.clone(),
        kind_label: unit_kind_label(&r.strings, &unit.kind),
        url: link(site, &path),
        feed_url: link(site, &format!("{path}atom.xml")),
        parents,
        children: site.children[u]
            .iter()
            .map(|&c| unit_ref_of(site, c))
            .collect(),
        // A `javascript:`/`data:` website would be a live link in the unit page: dropped.
        website: unit
            .website
            .clone()
            .filter(|w| !crate::render::markdown::is_unsafe_url(w))
            .unwrap_or_default(),
        email: unit.email.clone().unwrap_or_default(),
        phone: unit.phone.clone().unwrap_or_default(),
        address: unit.address.clone().unwrap_or_default(),
        description: unit
            .description
            .as_deref()
            .map(|d| crate::render::markdown::render_inline_doc(d, site.config.unsafe_html))
            .unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct SectionV {
    key: &'static str,
    heading: String,
    count: usize,
    items: Vec<Value>,
    more_url: String,
}

fn section_value(
    r: &Renderer<'_>,
    u: UnitId,
    section: Section,
    page: usize,
    own_page: bool,
) -> Value {
    let site = r.site;
    let per = site.config.per_page;
    let ids = section_entries(site, u, section);
    let more_url = if !own_page && ids.len() > per {
        link(
            site,
            &format!(
                "{}{}/",
                unit_path(site, &site.units[u].slug),
                section.folder()
            ),
        )
    } else {
        String::new()
    };
    Value::from_serialize(SectionV {
        key: section.key(),
        heading: r.t(&format!("section_{}", section.key())),
        count: ids.len(),
        items: r.cards(slice(&ids, page, per)),
        more_url,
    })
}

/// The interface label of a kind.
pub fn kind_label(strings: &Strings, kind: Kind) -> String {
    t(strings, kind_label_key(kind)).to_string()
}

#[cfg(test)]
mod tests {
    use super::page_window;

    fn window(current: usize, total: usize) -> Vec<usize> {
        page_window(current, total).collect()
    }

    #[test]
    fn the_window_lists_first_last_and_neighbours() {
        assert_eq!(window(1, 1), [1]);
        assert_eq!(window(1, 2), [1, 2]);
        assert_eq!(window(1, 10), [1, 2, 3, 4, 10]);
        assert_eq!(window(5, 10), [1, 2, 3, 4, 5, 6, 7, 8, 10]);
        assert_eq!(window(10, 10), [1, 7, 8, 9, 10]);
        assert_eq!(
            window(1500, 3000),
            [1, 1497, 1498, 1499, 1500, 1501, 1502, 1503, 3000]
        );
    }

    /// Every page the default theme shows (the first, the last, two on each side) or marks as a
    /// gap (the third) is listed, each once and in order, and no more than that: a listing
    /// page's size no longer grows with the number of pages.
    #[test]
    fn the_window_is_what_the_theme_needs_and_bounded() {
        for total in 1..40usize {
            for current in 1..=total {
                let expected: Vec<usize> = (1..=total)
                    .filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 3)
                    .collect();
                assert_eq!(
                    window(current, total),
                    expected,
                    "page {current} of {total}"
                );
            }
        }
        assert!(window(50_000, 100_000).len() <= 9);
    }
}
