//! The site kept in memory for `serve`: a full build once, then, when files change, only the
//! changed files are read again and only the outputs they can affect are rendered again. The
//! last good output stays available while the content has errors.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::content::load::Item;
use crate::content::{Content, Entry};
use crate::diagnostics::Diagnostic;
use crate::render::markdown::Rendered;
use crate::render::numbers::NumberLinker;
use crate::render::theme::Theme;
use crate::render::Renderer;
use crate::routes::{Feed, Output, Route};
use crate::site::{kind_index, EntryId, Site};
use crate::text::dates::{Date, Lang};

/// Every output file, by path relative to the output root (`ke-hoach/x/index.html`).
///
/// A persistent map: a snapshot handed to the server costs nothing to keep while the next
/// update changes a few entries.
pub type Files = imbl::HashMap<String, Arc<[u8]>>;

/// What an update did.
#[derive(Clone, Debug, Default)]
pub struct Update {
    /// True when the content had no errors and the output now reflects it.
    pub ok: bool,
    /// True when everything was rendered again.
    pub full: bool,
    /// Output paths whose bytes changed, were added or removed.
    pub changed: Vec<String>,
    /// The diagnostics of the current content (errors keep the previous output).
    pub diagnostics: Vec<Diagnostic>,
    /// True when the whole site was resolved again; false when nothing was rendered, or when
    /// the save changed nothing the site is resolved from and was applied in place.
    pub resolved: bool,
}

/// A render's result: the new good state and what changed, or the site back with the errors.
type RenderResult = Result<(Good, Update), Box<(Site, Vec<Diagnostic>)>>;

/// The last good build, kept to render again only what a change affects.
struct Good {
    /// The resolved site, while its content is not being changed (the search index needs it).
    site: Option<Site>,
    /// What the next change is compared with.
    info: OldInfo,
    theme: Theme,
    /// Rendered bodies, in the order of `info.sources`.
    bodies: Vec<Rendered>,
    /// The plan-number linker of the site (rebuilt only when the numbers or their URLs change).
    linker: NumberLinker,
    /// Every route of the site (reused while an update leaves the front matter alone).
    routes: Vec<Route>,
}

/// What a change is compared with: a small summary of the last good site.
struct OldInfo {
    /// Source path of each entry, in order.
    sources: Vec<String>,
    /// Whether each entry (by content path) was published.
    published: HashMap<String, bool>,
    /// Published plan numbers and their URLs (what bodies link).
    linker: Vec<(String, String)>,
}

impl OldInfo {
    fn of(site: &Site) -> OldInfo {
        OldInfo {
            sources: site.entries.iter().map(|e| e.source.clone()).collect(),
            published: site
                .entries
                .iter()
                .zip(&site.published)
                .map(|(e, p)| (e.content_path.clone(), *p))
                .collect(),
            linker: linker_targets(site),
        }
    }
}

fn linker_targets(s: &Site) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = s
        .by_number
        .iter()
        .filter(|(_, &id)| s.published[id])
        .map(|(n, &id)| (n.clone(), s.urls[id].clone()))
        .collect();
    v.sort();
    v
}

/// A site in memory.
pub struct Workspace {
    root: PathBuf,
    now: Date,
    drafts: bool,
    files: Arc<Files>,
    diagnostics: Vec<Diagnostic>,
    language: Lang,
    base_path: String,
    /// The content as it is now (possibly with errors).
    current: Option<Current>,
    /// The last build without errors.
    good: Option<Good>,
    /// For each content file changed since the last good build: its version in that build.
    pending: BTreeMap<String, Option<Item>>,
    /// The search index must be built again (`finish_deferred`).
    search_dirty: bool,
    search_files: Vec<String>,
    /// Counts search jobs handed out, and the job current when content last changed.
    search_generation: u64,
    applied_generation: u64,
}

/// Building the search index for a snapshot of the site, away from the workspace.
pub struct SearchJob {
    docs: Vec<crate::search::SearchDoc>,
    generation: u64,
}

/// A built search index, to hand back to `Workspace::finish_search`.
pub struct SearchDone {
    files: Vec<crate::search::SearchOutput>,
    generation: u64,
}

impl SearchJob {
    /// Builds the index (slow: run it on another thread).
    pub fn run(self) -> SearchDone {
        SearchDone {
            files: crate::search::build_index_owned(self.docs),
            generation: self.generation,
        }
    }
}

/// The content as loaded now, with the diagnostics of each file.
struct Current {
    config: Config,
    config_diags: Vec<Diagnostic>,
    theme: Option<Theme>,
    theme_diag: Option<Diagnostic>,
    /// Empty while `lent` (the content then lives in the good site).
    content: Content,
    lent: bool,
    file_diags: BTreeMap<String, Vec<Diagnostic>>,
}

impl Workspace {
    /// A workspace for the site at `root`; nothing is built until `rebuild`.
    pub fn open(root: PathBuf, now: Date, drafts: bool) -> Workspace {
        Workspace {
            root,
            now,
            drafts,
            files: Arc::new(Files::new()),
            diagnostics: Vec::new(),
            language: Lang::Vi,
            base_path: "/".into(),
            current: None,
            good: None,
            pending: BTreeMap::new(),
            search_dirty: false,
            search_files: Vec::new(),
            search_generation: 0,
            applied_generation: 0,
        }
    }

    fn fail(&mut self, diagnostics: Vec<Diagnostic>, full: bool) -> Update {
        self.diagnostics = diagnostics.clone();
        Update {
            ok: false,
            full,
            changed: Vec::new(),
            diagnostics,
            resolved: false,
        }
    }

    /// Loads and builds everything again.
    pub fn rebuild(&mut self) -> Update {
        let (config, config_diags) = crate::config::load(&self.root);
        let Some(config) = config else {
            self.current = None;
            return self.fail(config_diags, true);
        };
        self.language = config.language;
        self.base_path = config.base_path.clone();
        let (theme, theme_diag) = match Theme::open(&self.root, &config.theme, config.language) {
            Ok(t) => (Some(t), None),
            Err(d) => (None, Some(d)),
        };
        let (content, diags) = crate::content::load::load(&self.root, &config);
        let mut file_diags: BTreeMap<String, Vec<Diagnostic>> = BTreeMap::new();
        for d in diags {
            file_diags.entry(d.path.clone()).or_default().push(d);
        }
        self.current = Some(Current {
            config,
            config_diags,
            theme,
            theme_diag,
            content,
            lent: false,
            file_diags,
        });
        self.good = None;
        self.pending.clear();
        self.render_current()
    }

    /// Takes changed files (absolute, or relative to the site root) into account, rendering
    /// again only the outputs they affect. The search index is left for `finish_deferred`.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Update {
        let mut rels = Vec::new();
        for p in changed {
            let rel = p.strip_prefix(&self.root).unwrap_or(p);
            let rel = rel.to_string_lossy().replace('\\', "/");
            let rel = rel.trim_start_matches("./").to_string();
            let Some(under) = rel.strip_prefix("content/") else {
                // site.toml, the theme, or anything else: everything again.
                return self.rebuild();
            };
            if self.root.join(&rel).is_dir() {
                return self.rebuild();
            }
            rels.push(under.to_string());
        }
        if self.current.is_none() {
            return self.rebuild();
        }
        if let Some(update) = self.apply_in_place(&rels) {
            return update;
        }
        self.reclaim_content();
        let Some(current) = self.current.as_mut() else {
            return self.rebuild();
        };
        for rel in rels {
            let source = format!("content/{rel}");
            let had_children = current
                .content
                .entries
                .iter()
                .any(|e| e.source.starts_with(&format!("{source}/")))
                || current
                    .content
                    .assets
                    .iter()
                    .any(|a| a.content_path.starts_with(&format!("{rel}/")));
            if had_children {
                return self.rebuild();
            }
            let old = take_item(&mut current.content, &source, &rel);
            self.pending.entry(source.clone()).or_insert(old);
            current.file_diags.remove(&source);
            let (item, diags) = crate::content::load::load_one(&self.root, &current.config, &rel);
            if !diags.is_empty() {
                current.file_diags.insert(source.clone(), diags);
            }
            if let Some(item) = item {
                put_item(&mut current.content, item);
            }
        }
        self.render_current()
    }

    /// The common saves while writing: existing entries edited so that nothing the site is
    /// resolved from changed. Either only their bodies changed (the front matter parses to
    /// exactly what it was), or also front matter that only the entries' own pages and cards
    /// show: the title, the summary, `related`, attachments (not the date, draft state, units,
    /// topics, number or type, see [`graph_eq`]). The good site is then updated in place
    /// without resolving it again, and its routes are kept (resolving and routing cost most of
    /// an update on a large site). A front-matter edit is validated again, on the updated site;
    /// when that finds an error, the site is put back as it was and the save takes the full
    /// path. None, with nothing changed, when the save is anything else.
    fn apply_in_place(&mut self, rels: &[String]) -> Option<Update> {
        let current = self.current.as_ref().filter(|c| c.lent)?;
        let good = self.good.as_mut()?;
        let site = good.site.as_mut()?;
        let mut edits = Vec::new();
        let mut front_matter = false;
        // A file named twice is read once (its old version must be the one in the site).
        let rels: BTreeSet<&String> = rels.iter().collect();
        for rel in rels {
            let source = format!("content/{rel}");
            let &id = site.by_content_path.get(rel.strip_suffix(".md")?)?;
            if current.file_diags.contains_key(&source) {
                return None;
            }
            let (item, diags) = crate::content::load::load_one(&self.root, &current.config, rel);
            let Some(Item::Entry(new)) = item else {
                return None;
            };
            let old = &site.entries[id];
            if !diags.is_empty() || old.source != source {
                return None;
            }
            if old.body_line != new.body_line || !metadata_eq(old, &new) {
                if !graph_eq(old, &new) {
                    return None;
                }
                front_matter = true;
            }
            edits.push((id, new));
        }
        // The good state is the current one (`lent`), so nothing is pending from before.
        self.pending.clear();
        let mut olds = Vec::new();
        for (id, new) in edits {
            olds.push((id, std::mem::replace(&mut site.entries[id], *new)));
        }
        let diags = if front_matter {
            // What `render_current` reports, on the updated site.
            let mut diags: Vec<Diagnostic> = current.config_diags.clone();
            diags.extend(current.theme_diag.clone());
            diags.extend(current.file_diags.values().flatten().cloned());
            diags.extend(crate::validate::validate(site, &self.root));
            if diags.iter().any(Diagnostic::is_error) {
                for (id, old) in olds {
                    site.entries[id] = old;
                }
                return None;
            }
            crate::build::fill_excerpts(&self.root, &mut diags);
            crate::diagnostics::sort(&mut diags);
            diags
        } else {
            self.diagnostics.clone()
        };
        for (_, old) in olds {
            self.pending
                .insert(old.source.clone(), Some(Item::Entry(Box::new(old))));
        }
        let mut good = self.good.take()?;
        let site = good.site.take()?;
        let theme = good.theme.clone();
        let result = self.render_changes(good, site, theme, true);
        Some(self.finish_render(result, diags))
    }

    /// Takes the content back from the good site it was lent to (when it was).
    fn reclaim_content(&mut self) {
        let lent = self.current.as_ref().is_some_and(|c| c.lent);
        if !lent {
            return;
        }
        if let (Some(current), Some(good)) = (self.current.as_mut(), self.good.as_mut()) {
            if let Some(site) = good.site.take() {
                current.content = into_content(site);
                current.lent = false;
            }
        }
    }

    /// Resolves and validates the current content and renders what changed since the last good
    /// build (everything when there is none).
    fn render_current(&mut self) -> Update {
        Update {
            resolved: true,
            ..self.resolve_and_render()
        }
    }

    fn resolve_and_render(&mut self) -> Update {
        let Some(current) = self.current.as_mut() else {
            return self.rebuild();
        };
        let mut diags: Vec<Diagnostic> = current.config_diags.clone();
        diags.extend(current.theme_diag.clone());
        diags.extend(current.file_diags.values().flatten().cloned());
        let content = std::mem::take(&mut current.content);
        let site = crate::site::resolve(current.config.clone(), content, self.now, self.drafts);
        diags.extend(crate::validate::validate(&site, &self.root));
        crate::build::fill_excerpts(&self.root, &mut diags);
        crate::diagnostics::sort(&mut diags);
        let theme = current.theme.clone();
        let has_errors = diags.iter().any(Diagnostic::is_error);
        if has_errors || theme.is_none() {
            current.content = into_content(site);
            return self.fail(diags, false);
        }
        let theme = theme.unwrap_or_else(|| Theme {
            name: "default".into(),
            dir: None,
        });
        let result = match self.good.take() {
            Some(good) if good.theme.dir == theme.dir => {
                self.render_changes(good, site, theme, false)
            }
            _ => self.render_all(site, theme),
        };
        self.finish_render(result, diags)
    }

    /// Keeps the result of a render: the new good state, or the content back with the errors.
    fn finish_render(&mut self, result: RenderResult, diags: Vec<Diagnostic>) -> Update {
        match result {
            Ok((good, update)) => {
                self.good = Some(good);
                if let Some(current) = self.current.as_mut() {
                    // The content now lives in the good site until the next change.
                    current.lent = true;
                }
                self.pending.clear();
                self.diagnostics = diags.clone();
                Update {
                    diagnostics: diags,
                    ..update
                }
            }
            Err(failed) => {
                let (site, d) = *failed;
                if let Some(current) = self.current.as_mut() {
                    current.content = into_content(site);
                    current.lent = false;
                }
                self.good = None;
                self.fail(d, false)
            }
        }
    }

    /// Renders everything (with the search index).
    fn render_all(&mut self, site: Site, theme: Theme) -> RenderResult {
        let linker = crate::render::number_linker(&site);
        let bodies = crate::render::render_bodies(&site, &linker);
        let outcome = {
            let renderer = match Renderer::new(
                &site,
                self.root.clone(),
                theme.clone(),
                Some(&bodies),
                Some(linker),
            ) {
                Ok(r) => r,
                Err(d) => return Err(Box::new((site, vec![d]))),
            };
            let routes = renderer.routes();
            render_to_map(&renderer, &routes).map(|files| (files, routes, renderer.linker))
        };
        let (files, routes, linker) = match outcome {
            Ok(f) => f,
            Err(d) => return Err(Box::new((site, d))),
        };
        self.search_files = files
            .keys()
            .filter(|p| p.starts_with("search/"))
            .cloned()
            .collect();
        self.search_dirty = false;
        self.applied_generation = self.search_generation + 1;
        let changed = diff(&self.files, &files);
        self.files = Arc::new(files);
        let good = Good {
            info: OldInfo::of(&site),
            site: Some(site),
            theme,
            bodies,
            linker,
            routes,
        };
        Ok((
            good,
            Update {
                ok: true,
                full: true,
                changed,
                diagnostics: Vec::new(),
                resolved: false,
            },
        ))
    }

    /// Renders only what the pending changes affect.
    ///
    /// `in_place`: the pending changes are edits of existing entries that change nothing the site
    /// is resolved from (see `apply_in_place`), so the site's routes and what the next change is
    /// compared with stay.
    fn render_changes(
        &mut self,
        good: Good,
        site: Site,
        theme: Theme,
        in_place: bool,
    ) -> RenderResult {
        let mut impact_cards_extra: BTreeSet<String> = BTreeSet::new();
        let Good {
            info: old,
            bodies: old_bodies,
            linker: old_linker,
            routes: old_routes,
            ..
        } = good;
        let impact = impact(&old, &site, &self.pending);
        if impact.full {
            return self.render_all(site, theme);
        }
        // Bodies: move the old ones to the new indices, render the changed ones again. The
        // linker is the same while the published numbers and their URLs are (else every body
        // is rendered again anyway).
        let linker = if impact.all_bodies {
            crate::render::number_linker(&site)
        } else {
            old_linker
        };
        let same_order = old.sources.len() == site.entries.len()
            && old
                .sources
                .iter()
                .zip(&site.entries)
                .all(|(s, e)| *s == e.source);
        let old_index: HashMap<&str, usize> = if same_order {
            HashMap::new()
        } else {
            old.sources
                .iter()
                .enumerate()
                .map(|(i, s)| (s.as_str(), i))
                .collect()
        };
        let mut old_bodies: Vec<Option<Rendered>> = old_bodies.into_iter().map(Some).collect();
        let rerender_all = impact.all_bodies;
        let mut bodies: Vec<Rendered> = Vec::with_capacity(site.entries.len());
        let mut body_changed: BTreeSet<EntryId> = BTreeSet::new();
        for (id, e) in site.entries.iter().enumerate() {
            let old = if same_order {
                old_bodies[id].take()
            } else {
                old_index
                    .get(e.source.as_str())
                    .and_then(|&i| old_bodies[i].take())
            };
            let must = rerender_all || self.pending.contains_key(&e.source) || old.is_none();
            let body = match old {
                Some(b) if !must => b,
                old => {
                    let b = crate::render::render_body(&site, &linker, id);
                    if old.as_ref() != Some(&b) {
                        body_changed.insert(id);
                    }
                    if impact.summary_from_body.contains(&e.source)
                        && old.as_ref().map(|o| &o.first_paragraph) != Some(&b.first_paragraph)
                    {
                        impact_cards_extra.insert(e.source.clone());
                    }
                    b
                }
            };
            bodies.push(body);
        }
        let outcome = {
            let renderer = match Renderer::new(
                &site,
                self.root.clone(),
                theme.clone(),
                Some(&bodies),
                Some(linker),
            ) {
                Ok(r) => r,
                Err(d) => return Err(Box::new((site, vec![d]))),
            };
            let all_routes = if in_place {
                old_routes
            } else {
                renderer.routes()
            };
            let mut entries: BTreeSet<EntryId> = body_changed.clone();
            for source in self.pending.keys() {
                if let Some(&id) = site.by_content_path.get(
                    source
                        .trim_start_matches("content/")
                        .trim_end_matches(".md"),
                ) {
                    entries.insert(id);
                }
            }
            entries.extend(referring(&site, &impact.touched_keys));
            let cards: BTreeSet<EntryId> = impact
                .cards
                .iter()
                .chain(&impact_cards_extra)
                .filter_map(|s| {
                    site.by_content_path
                        .get(s.trim_start_matches("content/").trim_end_matches(".md"))
                        .copied()
                })
                .collect();
            let selected: Vec<Route> = all_routes
                .iter()
                .filter(|r| wanted(&site, r, &impact, &cards, &entries, &self.pending))
                .cloned()
                .collect();
            // Outputs can only disappear when the set of routes changed.
            let removed: Vec<String> = if impact.structural {
                let produced: HashSet<&str> = all_routes.iter().map(|r| r.path.as_str()).collect();
                self.files
                    .keys()
                    .filter(|p| !p.starts_with("search/") && !produced.contains(p.as_str()))
                    .cloned()
                    .collect()
            } else {
                Vec::new()
            };
            render_to_map(&renderer, &selected)
                .map(|files| (files, removed, renderer.linker, all_routes))
        };
        let (files, removed, linker, routes) = match outcome {
            Ok(f) => f,
            Err(d) => return Err(Box::new((site, d))),
        };
        let mut all = (*self.files).clone();
        let mut changed = Vec::new();
        for p in removed {
            all.remove(&p);
            changed.push(p);
        }
        for (p, b) in files {
            if all.get(&p) != Some(&b) {
                changed.push(p.clone());
                all.insert(p, b);
            }
        }
        changed.sort();
        self.files = Arc::new(all);
        self.search_dirty = true;
        // A search job made before this change is out of date.
        self.applied_generation = self.search_generation + 1;
        let info = if in_place { old } else { OldInfo::of(&site) };
        let good = Good {
            info,
            site: Some(site),
            theme,
            bodies,
            linker,
            routes,
        };
        Ok((
            good,
            Update {
                ok: true,
                full: false,
                changed,
                diagnostics: Vec::new(),
                resolved: false,
            },
        ))
    }

    /// Does the work `apply` leaves for after the browser has reloaded: the search index.
    pub fn finish_deferred(&mut self) -> Update {
        match self.search_job() {
            Some(job) => {
                let files = job.run();
                self.finish_search(files)
            }
            None => Update {
                ok: !self.search_dirty,
                ..Update::default()
            },
        }
    }

    /// The search index work left by `apply`, to run on another thread (its documents are
    /// taken now, so the workspace can go on applying changes meanwhile). None when there is
    /// nothing to do or the content has errors.
    pub fn search_job(&mut self) -> Option<SearchJob> {
        if !self.search_dirty {
            return None;
        }
        let good = self.good.as_ref()?;
        let site = good.site.as_ref()?;
        self.search_generation += 1;
        Some(SearchJob {
            docs: crate::search_docs::documents(site, &good.bodies),
            generation: self.search_generation,
        })
    }

    /// Takes the finished index of a `search_job` into the output, unless content changed
    /// since the job was made (a newer job will follow).
    pub fn finish_search(&mut self, done: SearchDone) -> Update {
        if done.generation != self.search_generation || self.pending_since_search() {
            return Update::default();
        }
        let mut all = (*self.files).clone();
        let mut changed = Vec::new();
        for p in std::mem::take(&mut self.search_files) {
            all.remove(&p);
        }
        for f in done.files {
            let b: Arc<[u8]> = f.bytes.into();
            if all.get(&f.path) != Some(&b) {
                changed.push(f.path.clone());
            }
            self.search_files.push(f.path.clone());
            all.insert(f.path, b);
        }
        self.files = Arc::new(all);
        self.search_dirty = false;
        Update {
            ok: true,
            full: false,
            changed,
            diagnostics: self.diagnostics.clone(),
            resolved: false,
        }
    }

    /// True when content changed after the last search job was made.
    fn pending_since_search(&self) -> bool {
        self.applied_generation > self.search_generation
    }

    /// The current output (the last good one while the content has errors).
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// The diagnostics of the last update; errors mean `files` is the last good output.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The interface language of the site.
    pub fn language(&self) -> Lang {
        self.language
    }

    /// The path part of `base_url` (`/` or `/sub/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// What a set of changed files affects.
#[derive(Debug, Default)]
struct Impact {
    /// Everything must be rendered again (units, free pages, menus changed).
    full: bool,
    /// Listings, unit and topic pages, feeds, home and sitemap must be rendered again.
    structural: bool,
    /// Every body must be rendered again (plan numbers or link targets changed).
    all_bodies: bool,
    /// Entries whose card changed (pages listing them must be rendered again).
    cards: BTreeSet<String>,
    /// Entries whose card changed only if their body's first paragraph did.
    summary_from_body: BTreeSet<String>,
    /// Numbers and content paths of changed entries (old and new), to find pages naming them.
    touched_keys: BTreeSet<String>,
}

fn metadata_eq(a: &Entry, b: &Entry) -> bool {
    let mut a = a.clone();
    a.body.clear();
    a.body_line = 0;
    a.front_hash = 0;
    let mut b = b.clone();
    b.body.clear();
    b.body_line = 0;
    b.front_hash = 0;
    a == b
}

fn placement_eq(a: &Entry, b: &Entry) -> bool {
    a.kind == b.kind
        && a.date == b.date
        && a.draft == b.draft
        // The topics as written, not where (a line added above them moves nothing).
        && a.tags.iter().map(|t| &t.value).eq(b.tags.iter().map(|t| &t.value))
        && a.unit_refs()
            .iter()
            .map(|(u, r)| (&u.target, *r))
            .eq(b.unit_refs().iter().map(|(u, r)| (&u.target, *r)))
        && std::mem::discriminant(&a.details) == std::mem::discriminant(&b.details)
        && time_eq(a, b)
}

/// Whether two versions of an entry (from the same file) give the same resolved site:
/// `site::resolve` and the routes read nothing of an entry but its placement (type,
/// publication, units and roles, topics as written, time of day; see [`placement_eq`]), its
/// plan number and its URL. Free pages are never equal here: they are in the menus.
fn graph_eq(a: &Entry, b: &Entry) -> bool {
    a.kind != crate::content::Kind::Page
        && placement_eq(a, b)
        && a.number() == b.number()
        && a.url == b.url
}

fn time_eq(a: &Entry, b: &Entry) -> bool {
    match (&a.details, &b.details) {
        (crate::content::Details::News(x), crate::content::Details::News(y)) => x.time == y.time,
        _ => true,
    }
}

fn impact(old: &OldInfo, new: &Site, pending: &BTreeMap<String, Option<Item>>) -> Impact {
    let mut imp = Impact::default();
    if old.linker != linker_targets(new) {
        imp.all_bodies = true;
        imp.structural = true;
    }
    for (source, before) in pending {
        let now = new.entries.iter().position(|e| &e.source == source);
        match (before, now) {
            (Some(Item::Unit(_)), _) => imp.full = true,
            (None, _) if source.starts_with("content/units/") => imp.full = true,
            (Some(Item::Asset(_)), _) | (None, None) => {
                imp.structural = true;
                imp.all_bodies = true;
            }
            (Some(Item::Entry(old_e)), Some(id)) => {
                let new_e = &new.entries[id];
                if old_e.kind == crate::content::Kind::Page
                    || new_e.kind == crate::content::Kind::Page
                {
                    if !metadata_eq(old_e, new_e) {
                        imp.full = true;
                    }
                    continue;
                }
                let was_published = old
                    .published
                    .get(&old_e.content_path)
                    .copied()
                    .unwrap_or(false);
                if was_published != new.published[id] || !placement_eq(old_e, new_e) {
                    imp.structural = true;
                }
                if !metadata_eq(old_e, new_e) {
                    imp.cards.insert(source.clone());
                } else if old_e.summary.is_none() {
                    // The card's summary is the body's first paragraph: decided once the body
                    // is rendered again.
                    imp.summary_from_body.insert(source.clone());
                }
                keys_of(old_e, &mut imp.touched_keys);
                keys_of(new_e, &mut imp.touched_keys);
            }
            (Some(Item::Entry(old_e)), None) => {
                imp.structural = true;
                imp.all_bodies = true;
                keys_of(old_e, &mut imp.touched_keys);
                if old_e.kind == crate::content::Kind::Page {
                    imp.full = true;
                }
            }
            (None, Some(id)) => {
                imp.structural = true;
                imp.all_bodies = true;
                keys_of(&new.entries[id], &mut imp.touched_keys);
                if new.entries[id].kind == crate::content::Kind::Page {
                    imp.full = true;
                }
            }
        }
    }
    imp
}

fn keys_of(e: &Entry, keys: &mut BTreeSet<String>) {
    keys.insert(e.content_path.clone());
    if let Some(n) = e.number() {
        keys.insert(n.to_string());
    }
}

/// Entries whose page names one of the keys in `related`.
fn referring(site: &Site, keys: &BTreeSet<String>) -> Vec<EntryId> {
    site.entries
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.related
                .iter()
                .any(|r| keys.contains(r.value.trim_matches('/')))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Whether a route must be rendered again.
fn wanted(
    site: &Site,
    route: &Route,
    imp: &Impact,
    cards: &BTreeSet<EntryId>,
    entries: &BTreeSet<EntryId>,
    pending: &BTreeMap<String, Option<Item>>,
) -> bool {
    let shows = |ids: &[EntryId]| ids.iter().any(|i| cards.contains(i));
    let per = site.config.per_page;
    let page_of = |ids: &[EntryId], page: usize| -> bool {
        let start = ((page.max(1) - 1) * per).min(ids.len());
        shows(&ids[start..(start + per).min(ids.len())])
    };
    let limit = site.config.feed_limit;
    match &route.output {
        Output::Entry(id) => entries.contains(id),
        Output::Static(_) | Output::Search | Output::NotFound | Output::SearchIndex => false,
        Output::Asset(i) => {
            pending.contains_key(&format!("content/{}", site.assets[*i].content_path))
        }
        _ if imp.structural => true,
        Output::Listing { kind, page } => page_of(&site.by_kind[kind_index(*kind)], *page),
        Output::Unit(u) | Output::UnitSection { unit: u, .. } => {
            site.unit_refs[*u].iter().any(|(i, _)| cards.contains(i))
        }
        Output::Topic { slug, page } => site
            .topics
            .get(slug)
            .is_some_and(|t| page_of(&t.entries, *page)),
        Output::Feed(Feed::SiteAtom | Feed::SiteRss) => {
            shows(&site.all_entries[..site.all_entries.len().min(limit)])
        }
        Output::Feed(Feed::Kind(k)) => {
            let ids = &site.by_kind[kind_index(*k)];
            shows(&ids[..ids.len().min(limit)])
        }
        Output::Feed(Feed::Unit(u)) => site.unit_refs[*u].iter().any(|(i, _)| cards.contains(i)),
        Output::Home => !cards.is_empty(),
        Output::Units | Output::Topics | Output::Sitemap | Output::Robots => false,
    }
}

fn render_to_map(renderer: &Renderer<'_>, routes: &[Route]) -> Result<Files, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Files::new());
    let result = crate::build::render_routes(
        renderer,
        routes,
        &|f| {
            let bytes: Arc<[u8]> = match f.data {
                crate::render::Data::Bytes(b) => b.into(),
                crate::render::Data::Copy(p) => std::fs::read(&p)
                    .map_err(|source| crate::output::OutputError::Io { path: p, source })?
                    .into(),
            };
            if let Ok(mut m) = files.lock() {
                m.insert(f.path, bytes);
            }
            Ok(())
        },
        None,
    );
    match result {
        Ok(()) => Ok(files.into_inner().unwrap_or_default()),
        Err(crate::build::BuildError::Content(d)) => Err(d),
        Err(e) => Err(vec![Diagnostic::file(
            "content",
            crate::Severity::Error,
            e.to_string(),
        )]),
    }
}

fn into_content(site: Site) -> Content {
    Content {
        units: site.units,
        entries: site.entries,
        assets: site.assets,
    }
}

/// Removes the item loaded from a file, returning it.
fn take_item(content: &mut Content, source: &str, rel: &str) -> Option<Item> {
    if let Some(i) = content.entries.iter().position(|e| e.source == source) {
        return Some(Item::Entry(Box::new(content.entries.remove(i))));
    }
    if let Some(i) = content.units.iter().position(|u| u.source == source) {
        return Some(Item::Unit(Box::new(content.units.remove(i))));
    }
    if let Some(i) = content.assets.iter().position(|a| a.content_path == rel) {
        return Some(Item::Asset(content.assets.remove(i)));
    }
    None
}

/// Inserts a loaded item at its sorted place.
fn put_item(content: &mut Content, item: Item) {
    match item {
        Item::Entry(e) => {
            let i = content.entries.partition_point(|x| x.source < e.source);
            content.entries.insert(i, *e);
        }
        Item::Unit(u) => {
            let i = content.units.partition_point(|x| x.slug < u.slug);
            content.units.insert(i, *u);
        }
        Item::Asset(a) => {
            let i = content
                .assets
                .partition_point(|x| x.content_path < a.content_path);
            content.assets.insert(i, a);
        }
    }
}

/// Output paths that differ between two outputs.
fn diff(old: &Files, new: &Files) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(p, b)| old.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}
