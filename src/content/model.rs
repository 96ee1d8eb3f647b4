//! The loaded content as plain data: units, entries (plans, solutions, news) and free pages,
//! each field keeping the position it was written at for later diagnostics.

use crate::content::fields::{Located, Pos, UnitItem};
use crate::text::dates::Date;

/// The type of a content file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Plan,
    Solution,
    News,
    Page,
}

impl Kind {
    /// Entries (not free pages), in listing order.
    pub const ENTRIES: [Kind; 3] = [Kind::Plan, Kind::Solution, Kind::News];

    /// Name used in templates, search and JSON: `plan`, `solution`, `news`, `page`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Plan => "plan",
            Kind::Solution => "solution",
            Kind::News => "news",
            Kind::Page => "page",
        }
    }

    /// The folder under `content/`.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Plan => "plans",
            Kind::Solution => "solutions",
            Kind::News => "news",
            Kind::Page => "pages",
        }
    }
}

/// An organisational unit (`content/units/<slug>.toml`).
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub slug: String,
    /// Path relative to the site root, for messages.
    pub source: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: String,
    pub parent: Option<Located<String>>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
}

/// A file attached to an entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Attachment {
    /// As written: relative to the entry's file, or to `content/` when it starts with `/`.
    pub path: Located<String>,
    pub title: Option<String>,
}

/// Who signed a plan.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Signer {
    pub name: Option<String>,
    pub title: Option<String>,
    pub authority: Option<String>,
}

/// One task of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub title: String,
    pub lead: Vec<UnitItem>,
    pub partners: Vec<UnitItem>,
    pub timeline: Option<String>,
    pub description: Option<String>,
}

/// The fields only plans have.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PlanFields {
    pub number: Option<Located<String>>,
    pub issuer: Option<UnitItem>,
    pub issued: Option<Date>,
    pub place: Option<String>,
    pub signer: Option<Signer>,
    pub basis: Vec<String>,
    pub recipients: Vec<UnitItem>,
    pub tasks: Vec<Task>,
}

/// An award of a solution.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Award {
    pub name: String,
    pub year: i64,
    pub level: Option<String>,
    pub organizer: Option<UnitItem>,
    pub decision: Option<String>,
}

/// The fields only solutions have.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SolutionFields {
    pub unit: Option<UnitItem>,
    pub authors: Vec<String>,
    pub award: Award,
    pub field: Option<String>,
    pub status: Option<String>,
    pub applied_in: Vec<UnitItem>,
}

/// The fields only news items have.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct NewsFields {
    pub units: Vec<UnitItem>,
    /// The time of day when `date` was a date-time ("08:30"), for feeds.
    pub time: Option<String>,
}

/// What is particular to each kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Details {
    Plan(PlanFields),
    Solution(SolutionFields),
    News(NewsFields),
    Page { order: Option<i64> },
}

/// A Markdown content file: a plan, a solution, a news item or a free page.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    /// Path relative to the site root: `content/plans/2023/x.md`.
    pub source: String,
    /// Path under `content/` without extension: `plans/2023/x` (what `related` names).
    pub content_path: String,
    /// URL path relative to the site root, ending in `/`: `ke-hoach/2023/x/` (set by `load`).
    pub url: String,
    pub title: String,
    /// Publication day (for plans, `date` or else `issued`); none only for free pages.
    pub date: Option<Date>,
    pub date_pos: Pos,
    pub summary: Option<String>,
    pub draft: bool,
    /// Where `draft` is written (the start of the front matter when it is not).
    pub draft_pos: Pos,
    pub tags: Vec<Located<String>>,
    /// The slug of each tag, in the same order (set by `load`).
    pub tag_slugs: Vec<String>,
    pub attachments: Vec<Attachment>,
    pub related: Vec<Located<String>>,
    pub image: Option<Located<String>>,
    /// The Markdown body.
    pub body: String,
    /// 1-based line of the body's first line.
    pub body_line: usize,
    pub details: Details,
    /// Hash of the file's text before the body (the front matter and its fences): a rebuild
    /// compares it to tell an edit of the body alone from one that changes what other pages show.
    pub front_hash: u64,
}

impl Entry {
    pub fn plan(&self) -> Option<&PlanFields> {
        match &self.details {
            Details::Plan(p) => Some(p),
            _ => None,
        }
    }

    pub fn number(&self) -> Option<&str> {
        self.plan()?.number.as_ref().map(|n| n.value.as_str())
    }

    /// Every unit reference the entry makes, with the role it plays.
    pub fn unit_refs(&self) -> Vec<(&UnitItem, Role)> {
        let mut out = Vec::new();
        match &self.details {
            Details::Plan(p) => {
                out.extend(p.issuer.iter().map(|u| (u, Role::Issuer)));
                for t in &p.tasks {
                    out.extend(t.lead.iter().map(|u| (u, Role::TaskLead)));
                    out.extend(t.partners.iter().map(|u| (u, Role::TaskPartner)));
                }
                out.extend(p.recipients.iter().map(|u| (u, Role::Recipient)));
            }
            Details::Solution(s) => {
                out.extend(s.unit.iter().map(|u| (u, Role::SolutionUnit)));
                out.extend(s.applied_in.iter().map(|u| (u, Role::AppliedIn)));
                out.extend(s.award.organizer.iter().map(|u| (u, Role::Organizer)));
            }
            Details::News(n) => out.extend(n.units.iter().map(|u| (u, Role::NewsUnit))),
            Details::Page { .. } => {}
        }
        out
    }
}

/// The role a unit plays in an entry; decides under which heading of the unit's page it appears.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Issuer,
    TaskLead,
    TaskPartner,
    Recipient,
    SolutionUnit,
    AppliedIn,
    Organizer,
    NewsUnit,
}

/// A non-Markdown file under `content/`, copied to the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// Path under `content/`: `plans/2023/182-KH-GDDT.pdf`.
    pub content_path: String,
    /// Output path: `ke-hoach/2023/182-KH-GDDT.pdf`.
    pub output_path: String,
    pub size: u64,
}

/// Everything loaded from `content/`, before references are resolved.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub units: Vec<Unit>,
    /// Sorted by source path.
    pub entries: Vec<Entry>,
    /// Sorted by content path.
    pub assets: Vec<Asset>,
}
