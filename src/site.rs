//! The resolved site: content plus the graph between its parts (URLs, what names each unit,
//! plan numbers, topics, the unit tree) and which entries are published under the build's clock.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::fields::UnitItem;
use crate::content::{Asset, Content, Entry, Kind, Role, Unit};
use crate::text::dates::Date;

/// Index of an entry in `Site::entries`.
pub type EntryId = usize;
/// Index of a unit in `Site::units`.
pub type UnitId = usize;

/// A topic (tag) and the published entries that carry it, newest first.
#[derive(Clone, Debug, PartialEq)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    pub entries: Vec<EntryId>,
}

/// The whole site, resolved and ready for validation, routing and rendering.
///
/// The maps hash with FxHash (rustc-hash): keys are the site's own slugs, paths and numbers,
/// and resolving runs again on every front-matter save in `serve`.
#[derive(Clone, Debug)]
pub struct Site {
    pub config: Config,
    /// The build's clock: entries dated after it are scheduled.
    pub now: Date,
    /// Whether drafts and scheduled entries are shown (`--drafts`).
    pub drafts: bool,
    pub units: Vec<Unit>,
    pub unit_by_slug: HashMap<String, UnitId>,
    /// Parent of each unit, when it names an existing unit.
    pub parent: Vec<Option<UnitId>>,
    /// Children of each unit, in Vietnamese order of their names.
    pub children: Vec<Vec<UnitId>>,
    /// Units without a (resolvable) parent, in Vietnamese order.
    pub roots: Vec<UnitId>,
    /// Sorted by source path.
    pub entries: Vec<Entry>,
    /// URL path of each entry relative to the site root, ending in `/`: `ke-hoach/2023/x/`.
    pub urls: Vec<String>,
    pub published: Vec<bool>,
    /// Every plan by number (drafts too: `related` may name them, with a warning).
    pub by_number: HashMap<String, EntryId>,
    /// Every entry by content path (`solutions/2023/robot-cuu-hoa`).
    pub by_content_path: HashMap<String, EntryId>,
    /// For each unit, the published entries that name it and in which role, newest first.
    pub unit_refs: Vec<Vec<(EntryId, Role)>>,
    /// Topics by slug.
    pub topics: BTreeMap<String, Topic>,
    /// Published entries of each kind, newest first (index by `kind_index`).
    pub by_kind: [Vec<EntryId>; 4],
    /// All published entries (not pages), newest first.
    pub all_entries: Vec<EntryId>,
    /// Sorted by content path (see [`Site::asset`]).
    pub assets: Vec<Asset>,
}

/// Position of a kind in `Site::by_kind`.
pub fn kind_index(kind: Kind) -> usize {
    match kind {
        Kind::Plan => 0,
        Kind::Solution => 1,
        Kind::News => 2,
        Kind::Page => 3,
    }
}

impl Site {
    /// The asset (attachment, image) at a content path such as `"ke-hoach/2024/kh.pdf"`.
    pub fn asset(&self, content_path: &str) -> Option<&Asset> {
        self.assets
            .binary_search_by(|a| a.content_path.as_str().cmp(content_path))
            .ok()
            .map(|i| &self.assets[i])
    }

    /// The unit a reference names, when it is a slug of an existing unit.
    pub fn unit(&self, item: &UnitItem) -> Option<UnitId> {
        if item.is_slug {
            self.unit_by_slug.get(&item.target).copied()
        } else {
            None
        }
    }

    /// The published plan with this number, for linking.
    pub fn published_plan(&self, number: &str) -> Option<EntryId> {
        self.by_number
            .get(number)
            .copied()
            .filter(|&id| self.published[id])
    }

    /// Newest first: by date, then by the time of day, then by source path for a stable order.
    fn newest_first(&self, ids: &mut [EntryId]) {
        ids.sort_by(|&a, &b| {
            let (ea, eb) = (&self.entries[a], &self.entries[b]);
            eb.date
                .cmp(&ea.date)
                .then_with(|| time_of(eb).cmp(&time_of(ea)))
                .then_with(|| ea.source.cmp(&eb.source))
        });
    }
}

fn time_of(e: &Entry) -> Option<&str> {
    match &e.details {
        crate::content::Details::News(n) => n.time.as_deref(),
        _ => None,
    }
}

/// URL path of an entry: type folder, then each segment of its path turned into a slug.
pub fn entry_url(config: &Config, e: &Entry) -> String {
    let rest = e.content_path.split_once('/').map_or("", |(_, rest)| rest);
    let mut url = String::new();
    let folder = crate::content::load::url_folder(config, e.kind.folder());
    if !folder.is_empty() {
        url.push_str(&folder);
        url.push('/');
    }
    for seg in rest.split('/') {
        url.push_str(&crate::text::slugify(seg));
        url.push('/');
    }
    url
}

/// Builds the site graph. Broken references are skipped here; `validate` reports them.
pub fn resolve(config: Config, content: Content, now: Date, drafts: bool) -> Site {
    let Content {
        units,
        entries,
        assets,
    } = content;
    let unit_by_slug: HashMap<String, UnitId> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.slug.clone(), i))
        .collect();
    let mut parent: Vec<Option<UnitId>> = units
        .iter()
        .map(|u| {
            u.parent
                .as_ref()
                .and_then(|p| unit_by_slug.get(&p.value).copied())
        })
        .collect();
    break_cycles(&mut parent);
    let name_keys: Vec<Vec<u8>> = units
        .par_iter()
        .map(|u| crate::text::collate::sort_key(&u.name))
        .collect();
    let by_name = |ids: &mut Vec<UnitId>| ids.sort_by(|&a, &b| name_keys[a].cmp(&name_keys[b]));
    let mut children = vec![Vec::new(); units.len()];
    let mut roots = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => children[*p].push(i),
            None => roots.push(i),
        }
    }
    children.iter_mut().for_each(by_name);
    by_name(&mut roots);

    let urls: Vec<String> = entries.iter().map(|e| e.url.clone()).collect();
    let published: Vec<bool> = entries
        .iter()
        .map(|e| drafts || (!e.draft && e.date.is_none_or(|d| d <= now)))
        .collect();
    let (by_number, by_content_path) = rayon::join(
        || {
            let mut by_number = HashMap::default();
            for (i, e) in entries.iter().enumerate() {
                if let Some(n) = e.number() {
                    by_number.entry(n.to_string()).or_insert(i);
                }
            }
            by_number
        },
        || {
            let mut by_content_path =
                HashMap::with_capacity_and_hasher(entries.len(), Default::default());
            for (i, e) in entries.iter().enumerate() {
                by_content_path.insert(e.content_path.clone(), i);
            }
            by_content_path
        },
    );

    let mut site = Site {
        config,
        now,
        drafts,
        units,
        unit_by_slug,
        parent,
        children,
        roots,
        entries,
        urls,
        published,
        by_number,
        by_content_path,
        unit_refs: Vec::new(),
        topics: BTreeMap::new(),
        by_kind: Default::default(),
        all_entries: Vec::new(),
        assets,
    };

    // One newest-first order of every published entry; every list is then sorted by rank.
    let mut order: Vec<EntryId> = (0..site.entries.len())
        .filter(|&id| site.published[id])
        .collect();
    site.newest_first(&mut order);
    let mut rank = vec![usize::MAX; site.entries.len()];
    for (r, &id) in order.iter().enumerate() {
        rank[id] = r;
    }
    let mut unit_refs: Vec<Vec<(EntryId, Role)>> = vec![Vec::new(); site.units.len()];
    let mut topic_index: HashMap<&str, usize> = HashMap::default();
    let mut topic_list: Vec<Topic> = Vec::new();
    // The topic's name is written as in the first entry (in source order) that carries it.
    let mut topic_named_by: Vec<EntryId> = Vec::new();
    let mut by_kind: [Vec<EntryId>; 4] = Default::default();
    for &id in &order {
        let e = &site.entries[id];
        by_kind[kind_index(e.kind)].push(id);
        for (item, role) in e.unit_refs() {
            if let Some(u) = site.unit(item) {
                // Entries come one at a time, so a repeat can only be at the end of the list
                // (looking further back made this quadratic for a unit named by thousands).
                let refs = &mut unit_refs[u];
                let repeat = refs
                    .iter()
                    .rev()
                    .take_while(|&&(other, _)| other == id)
                    .any(|&(_, r)| r == role);
                if !repeat {
                    refs.push((id, role));
                }
            }
        }
        for (tag, slug) in e.tags.iter().zip(&e.tag_slugs) {
            if slug.is_empty() {
                continue;
            }
            let i = *topic_index.entry(slug.as_str()).or_insert_with(|| {
                topic_list.push(Topic {
                    name: tag.value.clone(),
                    slug: slug.clone(),
                    entries: Vec::new(),
                });
                topic_named_by.push(id);
                topic_list.len() - 1
            });
            if id < topic_named_by[i] {
                topic_named_by[i] = id;
                topic_list[i].name = tag.value.clone();
            }
            let topic = &mut topic_list[i];
            if topic.entries.last() != Some(&id) {
                topic.entries.push(id);
            }
        }
    }
    drop(topic_index);
    // Lists were filled in newest-first order; within one entry, roles stay in order.
    for refs in &mut unit_refs {
        refs.sort_by_key(|&(id, role)| (rank[id], role));
    }
    let mut topics: BTreeMap<String, Topic> = BTreeMap::new();
    for t in topic_list {
        topics.insert(t.slug.clone(), t);
    }
    let all: Vec<EntryId> = order
        .iter()
        .copied()
        .filter(|&id| site.entries[id].kind != Kind::Page)
        .collect();
    site.unit_refs = unit_refs;
    site.topics = topics;
    site.by_kind = by_kind;
    site.all_entries = all;
    site
}

/// Removes the parent link of every unit on a cycle, so the tree stays a tree; `validate`
/// reports the cycle.
fn break_cycles(parent: &mut [Option<UnitId>]) {
    for start in 0..parent.len() {
        if on_cycle(parent, start) {
            parent[start] = None;
        }
    }
}

/// True when following parents from `start` comes back to `start`.
pub fn on_cycle(parent: &[Option<UnitId>], start: UnitId) -> bool {
    let mut seen = 0;
    let mut cur = parent[start];
    while let Some(p) = cur {
        if p == start {
            return true;
        }
        seen += 1;
        if seen > parent.len() {
            return false;
        }
        cur = parent[p];
    }
    false
}
