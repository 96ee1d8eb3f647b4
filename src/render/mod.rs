//! Rendering: Markdown bodies once per entry, then every route through the theme's templates,
//! in parallel. The renderer holds what pages share (cards, the unit tree) as cheap values.

pub mod cards;
pub mod context;
pub mod env;
pub mod fragments;
pub mod markdown;
pub mod numbers;
pub mod pages;
pub mod theme;

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use minijinja::{Environment, Value};
use rayon::prelude::*;

use crate::content::Kind;
use crate::diagnostics::Diagnostic;
use crate::render::context::{card, link, Strings};
use crate::render::markdown::{LinkResolver, MarkdownOptions, Rendered};
use crate::render::numbers::NumberLinker;
use crate::render::theme::Theme;
use crate::routes::{Output, Route};
use crate::site::Site;

/// The bytes of one output file, or the file to copy them from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Data {
    Bytes(Vec<u8>),
    Copy(PathBuf),
}

/// One file of the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutFile {
    /// Relative to the output root, `/`-separated.
    pub path: String,
    pub data: Data,
}

/// Resolves Markdown links that point inside the site: `/ke-hoach/...` gets the base path,
/// relative links to assets and `.md` files become the URLs of what they name.
pub struct SiteLinks<'a> {
    pub site: &'a Site,
    pub content_path: &'a str,
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, dest: &str) -> Option<String> {
        if dest.is_empty()
            || dest.starts_with('#')
            || dest.starts_with("//")
            || dest.contains("://")
            || dest.starts_with("mailto:")
            || dest.starts_with("tel:")
        {
            return None;
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        // A path to a content file (relative, or `/`-rooted from content/).
        if let Some(rel) = crate::validate::resolve_content_file(self.content_path, path) {
            if let Some(stem) = rel.strip_suffix(".md") {
                if let Some(&id) = self.site.by_content_path.get(stem) {
                    return Some(format!(
                        "{}{fragment}",
                        link(self.site, &self.site.urls[id])
                    ));
                }
            }
            if let Some(asset) = self.site.asset(&rel) {
                return Some(format!("{}{fragment}", link(self.site, &asset.output_path)));
            }
        }
        if dest.starts_with('/') {
            return Some(link(self.site, dest));
        }
        None
    }
}

/// Renders every entry's Markdown body, in parallel.
pub fn render_bodies(site: &Site, linker: &NumberLinker) -> Vec<Rendered> {
    (0..site.entries.len())
        .into_par_iter()
        .map(|id| render_body(site, linker, id))
        .collect()
}

/// Renders one entry's Markdown body.
pub fn render_body(site: &Site, linker: &NumberLinker, id: usize) -> Rendered {
    render_source(site, linker, id, &site.entries[id].body)
}

/// Renders the Markdown body `source` of an entry (a build takes the sources out of the site).
pub fn render_source(site: &Site, linker: &NumberLinker, id: usize, source: &str) -> Rendered {
    let e = &site.entries[id];
    let links = SiteLinks {
        site,
        content_path: &e.content_path,
    };
    markdown::render(
        source,
        &MarkdownOptions {
            numbers: Some(linker),
            links: Some(&links),
            unsafe_html: site.config.unsafe_html,
            first_line: e.body_line,
        },
    )
}

/// The linker for every published plan number of the site.
pub fn number_linker(site: &Site) -> NumberLinker {
    let targets = site
        .by_number
        .iter()
        .filter(|(_, &id)| site.published[id])
        .map(|(n, &id)| (n.clone(), link(site, &site.urls[id])))
        .collect();
    NumberLinker::new(targets)
}

/// What every page render needs, built once.
pub struct Renderer<'s> {
    pub site: &'s Site,
    pub theme: Theme,
    pub root: PathBuf,
    pub strings: Strings,
    pub env: Environment<'static>,
    pub linker: NumberLinker,
    pub bodies: Cow<'s, [Rendered]>,
    /// The card of every entry, as a template value, made when first needed.
    cards: Vec<OnceLock<Value>>,
    /// The summary of every entry, made when first needed (cards, page descriptions, feeds).
    summaries: Vec<OnceLock<String>>,
    /// The Atom `<entry>` of every entry that is in a feed, written when first needed.
    pub(crate) feed_entries: Vec<OnceLock<Vec<u8>>>,
    /// The bodies' HTML when a build hands it over (see [`Renderer::hand_over_html`]).
    page_html: Option<Vec<std::sync::Mutex<String>>>,
    /// The unit tree, as a template value.
    pub units_tree: Value,
    pub static_files: Vec<(String, Vec<u8>)>,
    /// The environment's globals (`site`, `t`, `now`), which every page's context repeats.
    pub(crate) globals: Vec<(&'static str, Value)>,
    /// The cards' HTML behind the `card` template function.
    card_html: Arc<cards::CardHtml>,
    /// The URLs of the main menu's items (`site.nav`), for each page's `nav_current`.
    nav_urls: Vec<String>,
}

/// The URLs of `site.nav`'s items, as the `site` global holds them.
fn nav_urls(globals: &[(&'static str, Value)]) -> Vec<String> {
    let nav = globals
        .iter()
        .find(|(k, _)| *k == "site")
        .and_then(|(_, site)| site.get_attr("nav").ok());
    nav.and_then(|n| n.try_iter().ok())
        .into_iter()
        .flatten()
        .filter_map(|item| item.get_attr("url").ok()?.as_str().map(str::to_string))
        .collect()
}

impl<'s> Renderer<'s> {
    /// Prepares rendering; `bodies` may be given when already rendered (serve), and `linker`
    /// when already made for this site (see [`number_linker`]).
    pub fn new(
        site: &'s Site,
        root: PathBuf,
        theme: Theme,
        bodies: Option<&'s [Rendered]>,
        linker: Option<NumberLinker>,
    ) -> Result<Renderer<'s>, Diagnostic> {
        let strings = theme.strings(site.config.language)?;
        let linker = linker.unwrap_or_else(|| number_linker(site));
        let bodies = match bodies {
            Some(b) => Cow::Borrowed(b),
            None => Cow::Owned(render_bodies(site, &linker)),
        };
        let cards = (0..site.entries.len()).map(|_| OnceLock::new()).collect();
        let units_tree = Value::from_serialize(pages::units_tree(site, &strings));
        let globals = vec![
            (
                "site",
                Value::from_serialize(pages::site_value(site, &strings)),
            ),
            ("t", env::strings_value(&strings)),
            ("now", Value::from(site.now.iso())),
        ];
        let mut env = env::environment(site, &theme, globals.clone());
        let card_html = cards::CardHtml::new(site.entries.len());
        env.add_function("card", card_html.function());
        env.add_function("fragment", fragments::Fragments::new().function());
        let nav_urls = nav_urls(&globals);
        let summaries = (0..site.entries.len()).map(|_| OnceLock::new()).collect();
        let feed_entries = (0..site.entries.len()).map(|_| OnceLock::new()).collect();
        let static_files = theme.static_files();
        Ok(Renderer {
            site,
            theme,
            root,
            strings,
            env,
            linker,
            bodies,
            cards,
            summaries,
            feed_entries,
            page_html: None,
            units_tree,
            static_files,
            globals,
            card_html,
            nav_urls,
        })
    }

    /// How many times the theme's `card.html` was rendered so far, and the time it took,
    /// summed over threads (each entry's card is rendered once per variant a page asks for).
    pub fn card_renders(&self) -> (u64, std::time::Duration) {
        self.card_html.renders()
    }

    /// Renders one route into its files.
    pub fn render(&self, route: &Route) -> Result<Vec<OutFile>, Diagnostic> {
        let bytes = |path: &str, b: Vec<u8>| {
            Ok(vec![OutFile {
                path: path.to_string(),
                data: Data::Bytes(b),
            }])
        };
        match &route.output {
            Output::Static(name) => {
                let b = self
                    .static_files
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, b)| b.clone())
                    .unwrap_or_default();
                bytes(&route.path, b)
            }
            Output::Asset(i) => Ok(vec![OutFile {
                path: route.path.clone(),
                data: Data::Copy(
                    self.root
                        .join("content")
                        .join(&self.site.assets[*i].content_path),
                ),
            }]),
            Output::Feed(feed) => bytes(&route.path, crate::feeds::render(self, feed)),
            Output::Sitemap => bytes(&route.path, crate::sitemap::sitemap(self.site).into_bytes()),
            Output::Robots => bytes(&route.path, crate::sitemap::robots(self.site).into_bytes()),
            Output::SearchIndex => Ok(crate::search_docs::index_files(self)),
            page => {
                let html = pages::render_page(self, page).map_err(|e| {
                    env::template_error(
                        &self.theme,
                        &e,
                        &pages::template_name(self.site, page),
                        self.site.config.language,
                    )
                })?;
                bytes(&route.path, html)
            }
        }
    }

    /// Every route of the site, with this theme's static files.
    pub fn routes(&self) -> Vec<Route> {
        let statics: Vec<String> = self.static_files.iter().map(|(n, _)| n.clone()).collect();
        crate::routes::routes(self.site, &statics)
    }

    /// The card of an entry, as a template value.
    pub fn card(&self, id: usize) -> Value {
        self.cards[id]
            .get_or_init(|| {
                let fields = card(self.site, &self.strings, id, self.summary(id));
                cards::CardObject::value(id, Value::from_serialize(fields))
            })
            .clone()
    }

    /// Hands over the HTML of every body (taken out of the bodies given to [`Renderer::new`],
    /// in entry order): each entry page then takes its own, which is freed once the page is
    /// rendered, instead of copying it. For a build, which renders each page once; without it
    /// (serve), pages copy the HTML from the bodies.
    pub fn hand_over_html(&mut self, html: Vec<String>) {
        self.page_html = Some(html.into_iter().map(std::sync::Mutex::new).collect());
    }

    /// Hands over every entry's summary (in entry order), made already by the caller.
    pub fn hand_over_summaries(&mut self, summaries: Vec<String>) {
        for (slot, s) in self.summaries.iter_mut().zip(summaries) {
            *slot = OnceLock::from(s);
        }
    }

    /// The HTML of an entry's body, for its page.
    pub fn body_html(&self, id: usize) -> String {
        match &self.page_html {
            Some(html) => html
                .get(id)
                .and_then(|m| m.lock().ok().map(|mut s| std::mem::take(&mut *s)))
                .unwrap_or_default(),
            None => self.bodies[id].html.clone(),
        }
    }

    /// The summary of an entry: its `summary`, else the start of its body's first paragraph.
    pub fn summary(&self, id: usize) -> &str {
        self.summaries[id].get_or_init(|| {
            crate::render::context::summary(&self.site.entries[id], &self.bodies[id])
        })
    }

    /// The published entries of a kind, newest first.
    pub fn of_kind(&self, kind: Kind) -> &[usize] {
        &self.site.by_kind[crate::site::kind_index(kind)]
    }
}
