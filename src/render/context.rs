//! The values templates receive (docs/theme.md), built once per entry and unit and shared by
//! every page that shows them.

use std::collections::BTreeMap;

use minijinja::Value;
use serde::Serialize;

use crate::content::fields::UnitItem;
use crate::content::{Details, Entry, Kind};
use crate::render::markdown::Rendered;
use crate::site::{EntryId, Site, UnitId};
use crate::text::dates::{format_long, format_short, Date};

/// Interface strings of the theme.
pub type Strings = BTreeMap<String, String>;

/// Looks up an interface string, falling back to the key itself.
pub fn t<'a>(strings: &'a Strings, key: &'a str) -> &'a str {
    strings.get(key).map_or(key, String::as_str)
}

// URLs are made for every page, card, feed entry and sitemap line: joined with `concat`, in one
// allocation, where `format!` and its formatting machinery cost them several times as much.

/// Root-relative URL of an output path (`ke-hoach/x/` -> `/base/ke-hoach/x/`).
pub fn link(site: &Site, path: &str) -> String {
    [&site.config.base_path, path.trim_start_matches('/')].concat()
}

/// Absolute URL of an output path, for feeds, the sitemap and canonical links.
pub fn absolute(site: &Site, path: &str) -> String {
    let origin_end = site
        .config
        .base_url
        .find("://")
        .map(|i| i + 3)
        .and_then(|s| site.config.base_url[s..].find('/').map(|j| s + j))
        .unwrap_or(site.config.base_url.len());
    [
        &site.config.base_url[..origin_end],
        &site.config.base_path,
        path.trim_start_matches('/'),
    ]
    .concat()
}

#[derive(Serialize, Clone, Debug)]
pub struct UnitRefV {
    pub slug: String,
    pub name: String,
    pub short_name: String,
    pub url: String,
    pub note: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct TagV {
    pub name: String,
    pub slug: String,
    pub url: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct AttachmentV {
    pub url: String,
    pub title: String,
    pub file_name: String,
    pub size: String,
}

#[derive(Serialize, Clone, Debug)]
pub struct ImageV {
    pub url: String,
    pub alt: String,
}

/// An entry as listings, related lists and unit pages show it.
#[derive(Serialize, Clone, Debug)]
pub struct CardV {
    pub kind: &'static str,
    pub kind_label: String,
    pub url: String,
    pub title: String,
    pub number: String,
    pub date: String,
    pub date_display: String,
    /// For plans: the issue date on the document (`YYYY-MM-DD`), or empty.
    pub issued: String,
    pub unit: Option<UnitRefV>,
    pub summary: String,
    pub award_level: String,
    pub published: bool,
}

#[derive(Serialize, Clone, Debug)]
struct SignerV {
    name: String,
    title: String,
    authority: String,
}

#[derive(Serialize, Clone, Debug)]
struct TaskV {
    title: String,
    lead: Vec<UnitRefV>,
    partners: Vec<UnitRefV>,
    timeline: String,
    description: String,
}

#[derive(Serialize, Clone, Debug)]
struct AwardV {
    name: String,
    year: i64,
    level: String,
    organizer: Option<UnitRefV>,
    decision: String,
}

/// Everything an entry page shows besides its card's fields (see [`entry_object`]).
#[derive(Serialize, Clone, Debug)]
struct EntryV {
    /// Safe HTML, made a template value once (serialising a string would copy it again).
    body: Value,
    draft: bool,
    tags: Vec<TagV>,
    attachments: Vec<AttachmentV>,
    /// Entry cards ([`crate::render::cards::CardObject`]s).
    related: Vec<Value>,
    image: Option<ImageV>,
    // plans
    issuer: Option<UnitRefV>,
    issued: String,
    place: String,
    place_date: String,
    signer: Option<SignerV>,
    basis: Vec<String>,
    recipients: Vec<UnitRefV>,
    tasks: Vec<TaskV>,
    // solutions
    authors: Vec<String>,
    award: Option<AwardV>,
    field: String,
    status: String,
    status_label: String,
    applied_in: Vec<UnitRefV>,
    // news
    units: Vec<UnitRefV>,
    time: String,
    // pages
    order: Option<i64>,
}

/// A unit reference as templates see it.
pub fn unit_ref(site: &Site, item: &UnitItem) -> UnitRefV {
    let note = item.note.clone().unwrap_or_default();
    match site.unit(item) {
        Some(u) => {
            let mut v = unit_ref_of(site, u);
            v.note = note;
            v
        }
        None => UnitRefV {
            slug: String::new(),
            name: item.target.clone(),
            short_name: item.target.clone(),
            url: String::new(),
            note,
        },
    }
}

/// The name and slug `unit_ref` gives a unit reference (the slug empty for free text), without
/// the rest of it: the search documents and the feeds' categories need only these.
pub fn unit_name_slug<'s>(site: &'s Site, item: &'s UnitItem) -> (&'s str, &'s str) {
    match site.unit(item) {
        Some(u) => (&site.units[u].name, &site.units[u].slug),
        None => (&item.target, ""),
    }
}

/// A unit, as a reference.
pub fn unit_ref_of(site: &Site, u: UnitId) -> UnitRefV {
    let unit = &site.units[u];
    UnitRefV {
        slug: unit.slug.clone(),
        name: unit.name.clone(),
        short_name: unit.short_name.clone().unwrap_or_else(|| unit.name.clone()),
        url: link(site, &unit_path(site, &unit.slug)),
        note: String::new(),
    }
}

/// Output path of a unit's page.
pub fn unit_path(site: &Site, slug: &str) -> String {
    [&site.config.paths.units, "/", slug, "/"].concat()
}

/// Output path of a topic's page.
pub fn topic_path(site: &Site, slug: &str) -> String {
    [&site.config.paths.topics, "/", slug, "/"].concat()
}

fn tag(site: &Site, name: &str) -> TagV {
    let slug = crate::text::slugify(name);
    TagV {
        name: name.to_string(),
        url: link(site, &topic_path(site, &slug)),
        slug,
    }
}

/// The main unit of an entry: issuer, solution unit, or first news unit.
pub fn main_unit(e: &Entry) -> Option<&UnitItem> {
    match &e.details {
        Details::Plan(p) => p.issuer.as_ref(),
        Details::Solution(s) => s.unit.as_ref(),
        Details::News(n) => n.units.first(),
        Details::Page { .. } => None,
    }
}

/// The key of a kind's label in the interface strings.
pub fn kind_label_key(kind: Kind) -> &'static str {
    match kind {
        Kind::Plan => "kind_plan",
        Kind::Solution => "kind_solution",
        Kind::News => "kind_news",
        Kind::Page => "kind_page",
    }
}

/// The summary of an entry: its `summary`, else the first paragraph of its body.
pub fn summary(e: &Entry, rendered: &Rendered) -> String {
    e.summary
        .clone()
        .unwrap_or_else(|| truncate(&rendered.first_paragraph, 300))
}

/// Cuts text at a word boundary near `max` characters.
pub fn truncate(s: &str, max: usize) -> String {
    let Some((end, _)) = s.char_indices().nth(max) else {
        return s.to_string();
    };
    let cut = &s[..end];
    let cut = cut.rsplit_once(' ').map_or(cut, |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// The card of an entry.
pub fn card(site: &Site, strings: &Strings, id: EntryId, summary: &str) -> CardV {
    let e = &site.entries[id];
    let date = e.date.map(|d| d.iso()).unwrap_or_default();
    let date_display = e
        .date
        .map(|d| format_long(d, site.config.language))
        .unwrap_or_default();
    let award_level = match &e.details {
        Details::Solution(s) => s.award.level.clone().unwrap_or_default(),
        _ => String::new(),
    };
    let issued = e
        .plan()
        .and_then(|p| p.issued)
        .map(|d| d.iso())
        .unwrap_or_default();
    CardV {
        issued,
        kind: e.kind.name(),
        kind_label: t(strings, kind_label_key(e.kind)).to_string(),
        url: link(site, &site.urls[id]),
        title: e.title.clone(),
        number: e.number().unwrap_or_default().to_string(),
        date,
        date_display,
        unit: main_unit(e).map(|u| unit_ref(site, u)),
        summary: summary.to_string(),
        award_level,
        published: site.published[id],
    }
}

/// "Nhà Bè, ngày 14 tháng 02 năm 2023" (or the English form).
pub fn place_date(site: &Site, place: Option<&str>, issued: Option<Date>) -> String {
    let date = issued.map(|d| format_long(d, site.config.language));
    match (place.filter(|p| !p.is_empty()), date) {
        (Some(p), Some(d)) => format!("{p}, {d}"),
        (Some(p), None) => p.to_string(),
        (None, Some(d)) => {
            let mut c = d.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
        (None, None) => String::new(),
    }
}

/// Human-readable file size: "245 KB".
pub fn file_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{} KB", b.div_ceil(1024)),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// Everything an entry's own page shows.
pub fn entry_value(r: &crate::render::Renderer<'_>, id: EntryId) -> Value {
    let (site, strings, linker) = (r.site, &r.strings, &r.linker);
    let e = &site.entries[id];
    let related = e
        .related
        .iter()
        .filter_map(|r| {
            site.by_number
                .get(&r.value)
                .or_else(|| site.by_content_path.get(r.value.trim_matches('/')))
        })
        .map(|&rid| r.card(rid))
        .collect();
    let attachments = e
        .attachments
        .iter()
        .filter_map(|a| {
            let rel = crate::validate::resolve_content_file(&e.content_path, &a.path.value)?;
            let asset = site.asset(&rel)?;
            let file_name = rel.rsplit('/').next().unwrap_or(&rel).to_string();
            Some(AttachmentV {
                url: link(site, &asset.output_path),
                title: a.title.clone().unwrap_or_else(|| file_name.clone()),
                file_name,
                size: file_size(asset.size),
            })
        })
        .collect();
    let image = e.image.as_ref().and_then(|i| {
        let rel = crate::validate::resolve_content_file(&e.content_path, &i.value)?;
        let asset = site.asset(&rel)?;
        Some(ImageV {
            url: link(site, &asset.output_path),
            alt: e.title.clone(),
        })
    });
    let refs = |items: &[UnitItem]| items.iter().map(|u| unit_ref(site, u)).collect::<Vec<_>>();
    let mut v = EntryV {
        body: Value::from_safe_string(r.body_html(id)),
        draft: e.draft || e.date.is_some_and(|d| d > site.now),
        tags: e.tags.iter().map(|t| tag(site, &t.value)).collect(),
        attachments,
        related,
        image,
        issuer: None,
        issued: String::new(),
        place: String::new(),
        place_date: String::new(),
        signer: None,
        basis: Vec::new(),
        recipients: Vec::new(),
        tasks: Vec::new(),
        authors: Vec::new(),
        award: None,
        field: String::new(),
        status: String::new(),
        status_label: String::new(),
        applied_in: Vec::new(),
        units: Vec::new(),
        time: String::new(),
        order: None,
    };
    match &e.details {
        Details::Plan(p) => {
            v.issuer = p.issuer.as_ref().map(|u| unit_ref(site, u));
            v.issued = p.issued.map(|d| d.iso()).unwrap_or_default();
            v.place = p.place.clone().unwrap_or_default();
            v.place_date = place_date(site, p.place.as_deref(), p.issued);
            v.signer = p.signer.as_ref().map(|s| SignerV {
                name: s.name.clone().unwrap_or_default(),
                title: s.title.clone().unwrap_or_default(),
                authority: s.authority.clone().unwrap_or_default(),
            });
            v.basis = p.basis.iter().map(|b| linker.link_or_escape(b)).collect();
            v.recipients = refs(&p.recipients);
            v.tasks = p
                .tasks
                .iter()
                .map(|task| TaskV {
                    title: task.title.clone(),
                    lead: refs(&task.lead),
                    partners: refs(&task.partners),
                    timeline: task.timeline.clone().unwrap_or_default(),
                    description: task
                        .description
                        .as_deref()
                        .map(|d| {
                            crate::render::markdown::render_inline_doc(d, site.config.unsafe_html)
                        })
                        .unwrap_or_default(),
                })
                .collect();
        }
        Details::Solution(s) => {
            v.authors = s.authors.clone();
            v.award = Some(AwardV {
                name: s.award.name.clone(),
                year: s.award.year,
                level: s.award.level.clone().unwrap_or_default(),
                organizer: s.award.organizer.as_ref().map(|u| unit_ref(site, u)),
                decision: s.award.decision.clone().unwrap_or_default(),
            });
            v.field = s.field.clone().unwrap_or_default();
            v.status = s.status.clone().unwrap_or_default();
            v.status_label = s
                .status
                .as_deref()
                .map(|st| t(strings, &format!("status_{}", st.replace('-', "_"))).to_string())
                .unwrap_or_default();
            v.applied_in = refs(&s.applied_in);
        }
        Details::News(n) => {
            v.units = refs(&n.units);
            v.time = n.time.clone().unwrap_or_default();
        }
        Details::Page { order } => v.order = *order,
    }
    entry_object(r.card(id), Value::from_serialize(&v))
}

/// An entry page's `entry`: the fields of [`EntryV`] (`rest`), then those of the entry's card
/// (made once per build and shared with every list that shows it) that `EntryV` does not have;
/// its keys enumerate sorted. minijinja's `merge_maps` looks up from the last map back. It was one
/// serialised map of both (`#[serde(flatten)]`): building that sorted map for every entry page
/// cost about 2 % of a build's instructions, and remade the card.
fn entry_object(card: Value, rest: Value) -> Value {
    minijinja::value::merge_maps([card, rest])
}

/// The date as "14/02/2023".
pub fn short_date(d: Date) -> String {
    format_short(d)
}

#[cfg(test)]
mod tests {
    use super::{entry_object, truncate};
    use minijinja::context;

    #[test]
    fn an_entry_reads_its_own_fields_before_its_cards_like_one_sorted_map() {
        let entry = entry_object(
            context! { title => "Kế hoạch", issued => "", kind => "plan" },
            context! { issued => "2024-03-01", signer => (), body => "x" },
        );
        let out = minijinja::Environment::new()
            .render_str(
                "{{ entry.title }}|{{ entry.issued }}|{{ entry['kind'] }}|{{ entry.signer is none }}|\
                 {{ entry.missing is undefined }}|{% for k in entry %}{{ k }},{% endfor %}|{{ entry | length }}",
                context! { entry },
            )
            .unwrap();
        assert_eq!(
            out,
            "Kế hoạch|2024-03-01|plan|True|True|body,issued,kind,signer,title,|5"
        );
    }

    #[test]
    fn truncate_counts_chars_and_cuts_at_a_word() {
        // Exactly `max` chars (multi-byte ones among them) stay whole.
        assert_eq!(truncate("đổi mới", 7), "đổi mới");
        assert_eq!(truncate("đổi mới sáng tạo", 11), "đổi mới…");
        assert_eq!(truncate("đổi mới, sáng tạo", 12), "đổi mới…");
        assert_eq!(truncate("", 3), "");
        assert_eq!(truncate("abcdef", 3), "abc…");
    }
}
