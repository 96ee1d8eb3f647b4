//! Every output file of the site and what produces it: the route table that `render` walks and
//! that `serve` consults to re-render only what a change touches.

use crate::content::{Kind, Role};
use crate::site::{kind_index, EntryId, Site, UnitId};

/// The headings of a unit's page, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    Issued,
    Tasks,
    Recipient,
    Solutions,
    News,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Issued,
        Section::Tasks,
        Section::Recipient,
        Section::Solutions,
        Section::News,
    ];

    /// The key templates see.
    pub fn key(self) -> &'static str {
        match self {
            Section::Issued => "issued",
            Section::Tasks => "tasks",
            Section::Recipient => "recipient",
            Section::Solutions => "solutions",
            Section::News => "news",
        }
    }

    /// The URL folder of the section's own listing under the unit's page.
    pub fn folder(self) -> &'static str {
        match self {
            Section::Issued => "ban-hanh",
            Section::Tasks => "nhiem-vu",
            Section::Recipient => "noi-nhan",
            Section::Solutions => "giai-phap",
            Section::News => "tin-tuc",
        }
    }

    /// Whether an entry naming a unit in this role belongs under this heading.
    pub fn takes(self, role: Role) -> bool {
        matches!(
            (self, role),
            (Section::Issued, Role::Issuer)
                | (Section::Tasks, Role::TaskLead | Role::TaskPartner)
                | (Section::Recipient, Role::Recipient)
                | (Section::Solutions, Role::SolutionUnit | Role::AppliedIn)
                | (Section::News, Role::NewsUnit)
        )
    }
}

/// The entries under one heading of a unit's page, newest first, each once.
pub fn section_entries(site: &Site, unit: UnitId, section: Section) -> Vec<EntryId> {
    let mut out: Vec<EntryId> = Vec::new();
    // The refs are sorted by entry (newest first), so an entry's roles stand together and a
    // repeat can only be the last one taken (looking further back was quadratic).
    for (id, role) in &site.unit_refs[unit] {
        if section.takes(*role) && out.last() != Some(id) {
            out.push(*id);
        }
    }
    debug_assert!({
        let mut seen = std::collections::HashSet::new();
        out.iter().all(|id| seen.insert(*id))
    });
    out
}

/// Which feed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Feed {
    SiteAtom,
    SiteRss,
    Kind(Kind),
    Unit(UnitId),
}

/// What produces one output.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Output {
    Home,
    Entry(EntryId),
    Listing {
        kind: Kind,
        page: usize,
    },
    Units,
    Unit(UnitId),
    UnitSection {
        unit: UnitId,
        section: Section,
        page: usize,
    },
    Topics,
    Topic {
        slug: String,
        page: usize,
    },
    Search,
    NotFound,
    Feed(Feed),
    Sitemap,
    Robots,
    /// The search index (several files under `search/`).
    SearchIndex,
    /// A static file of the theme.
    Static(String),
    /// An asset from `content/` (index into `Site::assets`).
    Asset(usize),
}

/// One output and the path it is written to (relative to the output root).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// File path: `ke-hoach/2023/x/index.html`; for the search index, its folder `search/`.
    pub path: String,
    pub output: Output,
}

/// Number of pages for `n` items.
pub fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page.max(1)).max(1)
}

/// URL path of page `page` (1-based) of a paginated listing at `base` (`ke-hoach/`).
pub fn page_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}trang/{page}/")
    }
}

/// The folder of a kind's listing.
pub fn kind_folder(site: &Site, kind: Kind) -> &str {
    match kind {
        Kind::Plan => &site.config.paths.plans,
        Kind::Solution => &site.config.paths.solutions,
        Kind::News => &site.config.paths.news,
        Kind::Page => "",
    }
}

/// The URL path of an output page (ending in `/`), for pages; None for other outputs.
pub fn page_url(site: &Site, output: &Output) -> Option<String> {
    let p = &site.config.paths;
    Some(match output {
        Output::Home => String::new(),
        Output::Entry(id) => site.urls[*id].clone(),
        Output::Listing { kind, page } => {
            page_path(&format!("{}/", kind_folder(site, *kind)), *page)
        }
        Output::Units => format!("{}/", p.units),
        Output::Unit(u) => format!("{}/{}/", p.units, site.units[*u].slug),
        Output::UnitSection {
            unit,
            section,
            page,
        } => page_path(
            &format!(
                "{}/{}/{}/",
                p.units,
                site.units[*unit].slug,
                section.folder()
            ),
            *page,
        ),
        Output::Topics => format!("{}/", p.topics),
        Output::Topic { slug, page } => page_path(&format!("{}/{slug}/", p.topics), *page),
        Output::Search => format!("{}/", p.search),
        _ => return None,
    })
}

fn page_route(site: &Site, output: Output) -> Route {
    let url = page_url(site, &output).unwrap_or_default();
    Route {
        path: format!("{url}index.html"),
        output,
    }
}

/// Every output of the site, in a fixed order.
pub fn routes(site: &Site, static_files: &[String]) -> Vec<Route> {
    let per = site.config.per_page;
    let mut out = vec![page_route(site, Output::Home)];
    for (id, published) in site.published.iter().enumerate() {
        if *published {
            out.push(page_route(site, Output::Entry(id)));
        }
    }
    for kind in Kind::ENTRIES {
        let n = site.by_kind[kind_index(kind)].len();
        for page in 1..=page_count(n, per) {
            out.push(page_route(site, Output::Listing { kind, page }));
        }
        out.push(Route {
            path: format!("{}/atom.xml", kind_folder(site, kind)),
            output: Output::Feed(Feed::Kind(kind)),
        });
    }
    out.push(page_route(site, Output::Units));
    for u in 0..site.units.len() {
        out.push(page_route(site, Output::Unit(u)));
        out.push(Route {
            path: format!(
                "{}/{}/atom.xml",
                site.config.paths.units, site.units[u].slug
            ),
            output: Output::Feed(Feed::Unit(u)),
        });
        for section in Section::ALL {
            let n = section_entries(site, u, section).len();
            if n > per {
                for page in 1..=page_count(n, per) {
                    out.push(page_route(
                        site,
                        Output::UnitSection {
                            unit: u,
                            section,
                            page,
                        },
                    ));
                }
            }
        }
    }
    out.push(page_route(site, Output::Topics));
    for (slug, topic) in &site.topics {
        for page in 1..=page_count(topic.entries.len(), per) {
            out.push(page_route(
                site,
                Output::Topic {
                    slug: slug.clone(),
                    page,
                },
            ));
        }
    }
    out.push(page_route(site, Output::Search));
    out.push(Route {
        path: "404.html".into(),
        output: Output::NotFound,
    });
    out.push(Route {
        path: "atom.xml".into(),
        output: Output::Feed(Feed::SiteAtom),
    });
    out.push(Route {
        path: "rss.xml".into(),
        output: Output::Feed(Feed::SiteRss),
    });
    out.push(Route {
        path: "sitemap.xml".into(),
        output: Output::Sitemap,
    });
    out.push(Route {
        path: "robots.txt".into(),
        output: Output::Robots,
    });
    out.push(Route {
        path: "search/".into(),
        output: Output::SearchIndex,
    });
    for f in static_files {
        out.push(Route {
            path: f.clone(),
            output: Output::Static(f.clone()),
        });
    }
    for (i, a) in site.assets.iter().enumerate() {
        out.push(Route {
            path: a.output_path.clone(),
            output: Output::Asset(i),
        });
    }
    out
}
