//! `review`: what a change publishes. The site as it was at a Git ref (checked out with the `git`
//! command into a temporary folder) and the working tree are both loaded and checked under the
//! same clock, then compared: entries added, changed (field by field), removed, held back as
//! drafts or scheduled; units added, changed, removed; the problems the change introduces.
//! Rendered as Markdown for a pull-request comment or as JSON (docs/review.md).

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::build::{check_site, Checked};
use crate::content::fields::{Located, UnitItem};
use crate::content::model::{PlanFields, SolutionFields};
use crate::content::{Details, Entry, Unit};
use crate::diagnostics::{tr, Diagnostic, Severity};
use crate::render::context::{absolute, unit_path};
use crate::site::Site;
use crate::text::dates::{Date, Lang};

/// Why there is no review. Messages are in the site's language (see [`ReviewError::message`]).
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("cannot run git: {0}")]
    GitMissing(#[source] std::io::Error),
    #[error("{root} is not inside a Git repository: {detail}")]
    NotARepository { root: PathBuf, detail: String },
    #[error("unknown Git ref `{reference}`")]
    UnknownRef { reference: String, detail: String },
    #[error("git {command} failed: {detail}")]
    Git { command: String, detail: String },
    #[error("temporary folder: {0}")]
    Io(#[from] std::io::Error),
}

impl ReviewError {
    /// The message for the user, in the site's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReviewError::GitMissing(e) => tr(
                lang,
                format!("không chạy được lệnh git ({e}); cài Git và thử lại"),
                format!("cannot run git ({e}); install Git and try again"),
            ),
            ReviewError::NotARepository { root, detail } => tr(
                lang,
                format!("{} không nằm trong kho Git: {detail}", root.display()),
                format!(
                    "{} is not inside a Git repository: {detail}",
                    root.display()
                ),
            ),
            ReviewError::UnknownRef { reference, detail } => {
                let detail = if detail.is_empty() {
                    String::new()
                } else {
                    format!(" ({detail})")
                };
                tr(
                    lang,
                    format!("không tìm thấy `{reference}` trong kho Git{detail}; với CI, lấy đủ lịch sử (fetch-depth: 0) và dùng origin/<nhánh>"),
                    format!("unknown Git ref `{reference}`{detail}; in CI, fetch the whole history (fetch-depth: 0) and use origin/<branch>"),
                )
            }
            ReviewError::Git { command, detail } => tr(
                lang,
                format!("lệnh `git {command}` thất bại: {detail}"),
                format!("`git {command}` failed: {detail}"),
            ),
            ReviewError::Io(e) => tr(
                lang,
                format!("không tạo được thư mục tạm: {e}"),
                format!("cannot create a temporary folder: {e}"),
            ),
        }
    }
}

/// An entry as the review shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewEntry {
    /// `plan`, `solution`, `news` or `page`.
    pub kind: &'static str,
    /// Path relative to the site root.
    pub source: String,
    pub title: String,
    pub number: Option<String>,
    /// Absolute URL (with `base_url`).
    pub url: String,
    pub date: Option<String>,
}

/// An entry published now that was not published at the ref.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AddedEntry {
    #[serde(flatten)]
    pub entry: ReviewEntry,
    /// `new` (no such file at the ref), `draft` or `scheduled`.
    pub previously: &'static str,
}

/// An entry published both at the ref and now, with what changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangedEntry {
    #[serde(flatten)]
    pub entry: ReviewEntry,
    /// The front-matter keys whose values changed, in file order (`url` when the URL moved).
    pub fields: Vec<&'static str>,
    pub body_changed: bool,
    /// The title at the ref, when the title changed.
    pub previous_title: Option<String>,
}

/// An entry not published now that was published at the ref, or that the change adds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeldEntry {
    #[serde(flatten)]
    pub entry: ReviewEntry,
    /// `draft` or `scheduled`.
    pub state: &'static str,
    /// The publication day of a scheduled entry.
    pub scheduled_for: Option<String>,
    /// `published` (it disappears from the site) or `new` (a new file, not published yet).
    pub previously: &'static str,
}

/// A unit as the review shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewUnit {
    pub slug: String,
    pub name: String,
    pub source: String,
    pub url: String,
    /// The keys that changed (only for changed units).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<&'static str>,
}

/// Units added, changed and removed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct UnitChanges {
    pub added: Vec<ReviewUnit>,
    pub changed: Vec<ReviewUnit>,
    pub removed: Vec<ReviewUnit>,
}

/// The counts of the review.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unpublished: usize,
    pub units_added: usize,
    pub units_changed: usize,
    pub units_removed: usize,
    /// Problems present in the working tree but not at the ref.
    pub new_errors: usize,
    pub new_warnings: usize,
    /// All problems of the working tree (the exit status follows `errors`).
    pub errors: usize,
    pub warnings: usize,
}

/// What a change publishes (the JSON schema of docs/review.md).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Review {
    pub version: u32,
    /// The ref as given.
    pub since: String,
    /// The commit it names.
    pub since_commit: String,
    pub summary: Summary,
    pub added: Vec<AddedEntry>,
    pub changed: Vec<ChangedEntry>,
    pub removed: Vec<ReviewEntry>,
    pub unpublished: Vec<HeldEntry>,
    pub units: UnitChanges,
    pub problems: Vec<Diagnostic>,
    #[serde(skip)]
    pub language: Lang,
}

/// Reviews the working tree of the site at `root` against the site at the Git ref `since`.
pub fn review(root: &Path, since: &str, now: Date) -> Result<Review, ReviewError> {
    let old = OldTree::checkout(root, since)?;
    let before = check_site(&old.site_root(), now, false);
    let after = check_site(root, now, false);
    let mut review = compare(&before, &after);
    review.since = since.to_string();
    review.since_commit = old.commit.clone();
    Ok(review)
}

/// Compares two checked sites (the one at the ref, the working tree).
pub fn compare(before: &Checked, after: &Checked) -> Review {
    let language = after
        .site
        .as_ref()
        .or(before.site.as_ref())
        .map_or(Lang::Vi, |s| s.config.language);
    let mut review = Review {
        version: 1,
        since: String::new(),
        since_commit: String::new(),
        summary: Summary::default(),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        unpublished: Vec::new(),
        units: UnitChanges::default(),
        problems: new_problems(&before.diagnostics, &after.diagnostics),
        language,
    };
    // Without a working-tree site there is nothing to compare: only its problems are reported.
    if let Some(new) = &after.site {
        compare_entries(before.site.as_ref(), new, &mut review);
        review.units = compare_units(before.site.as_ref(), new);
    }
    let count = |d: &[Diagnostic], s| d.iter().filter(|d| d.severity == s).count();
    review.summary = Summary {
        added: review.added.len(),
        changed: review.changed.len(),
        removed: review.removed.len(),
        unpublished: review.unpublished.len(),
        units_added: review.units.added.len(),
        units_changed: review.units.changed.len(),
        units_removed: review.units.removed.len(),
        new_errors: count(&review.problems, Severity::Error),
        new_warnings: count(&review.problems, Severity::Warning),
        errors: count(&after.diagnostics, Severity::Error),
        warnings: count(&after.diagnostics, Severity::Warning),
    };
    review
}

/// Errors and warnings of the working tree that the ref did not have, by (path, message).
fn new_problems(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    let old: HashSet<(&str, &str)> = before
        .iter()
        .map(|d| (d.path.as_str(), d.message.as_str()))
        .collect();
    after
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .filter(|d| !old.contains(&(d.path.as_str(), d.message.as_str())))
        .cloned()
        .collect()
}

/// Whether an entry is on the site, and if not, why.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Published,
    Draft,
    Scheduled(Option<Date>),
}

fn state(site: &Site, id: usize) -> State {
    let e = &site.entries[id];
    if site.published[id] {
        State::Published
    } else if e.draft {
        State::Draft
    } else {
        State::Scheduled(e.date)
    }
}

fn state_name(s: State) -> &'static str {
    match s {
        State::Published => "published",
        State::Draft => "draft",
        State::Scheduled(_) => "scheduled",
    }
}

fn review_entry(site: &Site, id: usize) -> ReviewEntry {
    let e = &site.entries[id];
    ReviewEntry {
        kind: e.kind.name(),
        source: e.source.clone(),
        title: e.title.clone(),
        number: e.number().map(str::to_string),
        url: absolute(site, &site.urls[id]),
        date: e.date.map(|d| d.iso()),
    }
}

fn compare_entries(old: Option<&Site>, new: &Site, review: &mut Review) {
    let old_ids: BTreeMap<&str, usize> = old
        .map(|s| {
            s.entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.source.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    for (id, e) in new.entries.iter().enumerate() {
        let now = state(new, id);
        let before = old
            .zip(old_ids.get(e.source.as_str()))
            .map(|(s, &i)| (s, i));
        let was = before.map(|(s, i)| state(s, i));
        match (before, was, now) {
            (Some((old_site, old_id)), Some(State::Published), State::Published) => {
                let old_e = &old_site.entries[old_id];
                let mut fields = changed_fields(old_e, e);
                let entry = review_entry(new, id);
                if absolute(old_site, &old_site.urls[old_id]) != entry.url {
                    fields.push("url");
                }
                let body_changed = old_e.body != e.body;
                if !fields.is_empty() || body_changed {
                    review.changed.push(ChangedEntry {
                        previous_title: (old_e.title != e.title).then(|| old_e.title.clone()),
                        entry,
                        fields,
                        body_changed,
                    });
                }
            }
            (_, was, State::Published) => review.added.push(AddedEntry {
                entry: review_entry(new, id),
                previously: was.map_or("new", state_name),
            }),
            (_, Some(State::Published) | None, held) => review.unpublished.push(HeldEntry {
                entry: review_entry(new, id),
                state: state_name(held),
                scheduled_for: match held {
                    State::Scheduled(d) => d.map(|d| d.iso()),
                    _ => None,
                },
                previously: if was.is_some() { "published" } else { "new" },
            }),
            // Held back before and now: nothing reaches the site.
            _ => {}
        }
    }
    if let Some(old) = old {
        let new_sources: HashSet<&str> = new.entries.iter().map(|e| e.source.as_str()).collect();
        for (id, e) in old.entries.iter().enumerate() {
            if old.published[id] && !new_sources.contains(e.source.as_str()) {
                review.removed.push(review_entry(old, id));
            }
        }
    }
}

/// A unit reference without its position.
fn unit_refs(items: &[UnitItem]) -> Vec<(&str, Option<&str>)> {
    items
        .iter()
        .map(|u| (u.target.as_str(), u.note.as_deref()))
        .collect()
}

fn values<T>(items: &[Located<T>]) -> Vec<&T> {
    items.iter().map(|l| &l.value).collect()
}

type TaskValues<'a> = (
    &'a str,
    Vec<(&'a str, Option<&'a str>)>,
    Vec<(&'a str, Option<&'a str>)>,
    Option<&'a str>,
    Option<&'a str>,
);

/// The tasks of a plan without positions.
fn tasks(p: &PlanFields) -> Vec<TaskValues<'_>> {
    p.tasks
        .iter()
        .map(|t| {
            (
                t.title.as_str(),
                unit_refs(&t.lead),
                unit_refs(&t.partners),
                t.timeline.as_deref(),
                t.description.as_deref(),
            )
        })
        .collect()
}

/// The front-matter keys whose values differ, ignoring where they were written.
fn changed_fields(a: &Entry, b: &Entry) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |key: &'static str, differs: bool| {
        if differs {
            out.push(key);
        }
    };
    check("title", a.title != b.title);
    match (&a.details, &b.details) {
        (Details::Plan(x), Details::Plan(y)) => {
            let num = |p: &PlanFields| p.number.as_ref().map(|n| n.value.clone());
            check("number", num(x) != num(y));
            check(
                "issuer",
                unit_refs(x.issuer.as_slice()) != unit_refs(y.issuer.as_slice()),
            );
            check("issued", x.issued != y.issued);
            check("date", a.date != b.date);
            check("place", x.place != y.place);
            check("signer", x.signer != y.signer);
            check("basis", x.basis != y.basis);
            check(
                "recipients",
                unit_refs(&x.recipients) != unit_refs(&y.recipients),
            );
            check("tasks", tasks(x) != tasks(y));
        }
        (Details::Solution(x), Details::Solution(y)) => {
            check("date", a.date != b.date);
            check(
                "unit",
                unit_refs(x.unit.as_slice()) != unit_refs(y.unit.as_slice()),
            );
            check("authors", x.authors != y.authors);
            let award = |s: &SolutionFields| {
                let w = &s.award;
                (
                    w.name.clone(),
                    w.year,
                    w.level.clone(),
                    w.organizer
                        .as_ref()
                        .map(|o| (o.target.clone(), o.note.clone())),
                    w.decision.clone(),
                )
            };
            check("award", award(x) != award(y));
            check("field", x.field != y.field);
            check("status", x.status != y.status);
            check(
                "applied_in",
                unit_refs(&x.applied_in) != unit_refs(&y.applied_in),
            );
        }
        (Details::News(x), Details::News(y)) => {
            check("date", a.date != b.date || x.time != y.time);
            check("units", unit_refs(&x.units) != unit_refs(&y.units));
        }
        (Details::Page { order: x }, Details::Page { order: y }) => check("order", x != y),
        _ => check("kind", true),
    }
    check("related", values(&a.related) != values(&b.related));
    check("tags", values(&a.tags) != values(&b.tags));
    let attachments = |e: &Entry| {
        e.attachments
            .iter()
            .map(|t| (t.path.value.clone(), t.title.clone()))
            .collect::<Vec<_>>()
    };
    check("attachments", attachments(a) != attachments(b));
    check(
        "image",
        a.image.as_ref().map(|i| &i.value) != b.image.as_ref().map(|i| &i.value),
    );
    check("summary", a.summary != b.summary);
    out
}

fn review_unit(site: &Site, u: &Unit, fields: Vec<&'static str>) -> ReviewUnit {
    ReviewUnit {
        slug: u.slug.clone(),
        name: u.name.clone(),
        source: u.source.clone(),
        url: absolute(site, &unit_path(site, &u.slug)),
        fields,
    }
}

fn unit_fields(a: &Unit, b: &Unit) -> Vec<&'static str> {
    let pairs: [(&'static str, bool); 9] = [
        ("name", a.name != b.name),
        ("short_name", a.short_name != b.short_name),
        ("kind", a.kind != b.kind),
        (
            "parent",
            a.parent.as_ref().map(|p| &p.value) != b.parent.as_ref().map(|p| &p.value),
        ),
        ("website", a.website != b.website),
        ("email", a.email != b.email),
        ("phone", a.phone != b.phone),
        ("address", a.address != b.address),
        ("description", a.description != b.description),
    ];
    pairs
        .into_iter()
        .filter(|(_, d)| *d)
        .map(|(k, _)| k)
        .collect()
}

fn compare_units(old: Option<&Site>, new: &Site) -> UnitChanges {
    let mut out = UnitChanges::default();
    let old_units: BTreeMap<&str, &Unit> = old
        .map(|s| s.units.iter().map(|u| (u.slug.as_str(), u)).collect())
        .unwrap_or_default();
    for u in &new.units {
        match old_units.get(u.slug.as_str()) {
            None => out.added.push(review_unit(new, u, Vec::new())),
            Some(o) => {
                let fields = unit_fields(o, u);
                if !fields.is_empty() {
                    out.changed.push(review_unit(new, u, fields));
                }
            }
        }
    }
    if let Some(old) = old {
        for u in &old.units {
            if !new.unit_by_slug.contains_key(&u.slug) {
                out.removed.push(review_unit(old, u, Vec::new()));
            }
        }
    }
    out
}

/// JSON (docs/review.md), pretty-printed, with a final newline.
pub fn render_json(review: &Review) -> String {
    serde_json::to_string_pretty(review).unwrap_or_default() + "\n"
}

/// Markdown for a pull-request comment, in the site's language.
pub fn render_markdown(review: &Review) -> String {
    let lang = review.language;
    let t = |vi: &str, en: &str| tr(lang, vi, en);
    let s = &review.summary;
    let mut out = String::from("## sangtao review\n\n");
    let short: String = review.since_commit.chars().take(7).collect();
    let since = if review.since.is_empty() || review.since_commit.starts_with(&review.since) {
        format!("`{short}`")
    } else {
        format!("`{}` (`{short}`)", md_cell(&review.since))
    };
    let _ = writeln!(
        out,
        "{} {since}: {}\n",
        t("So với", "Compared with"),
        summary_line(s, lang)
    );
    if s.added == 0
        && s.changed == 0
        && s.removed == 0
        && s.unpublished == 0
        && s.units_added + s.units_changed + s.units_removed == 0
    {
        let _ = writeln!(
            out,
            "{}\n",
            t(
                "Không có thay đổi nào về nội dung được đăng.",
                "Nothing published changes."
            )
        );
    }
    if !review.added.is_empty() {
        let _ = writeln!(
            out,
            "### {} ({})\n",
            t("Mục mới được đăng", "Newly published"),
            s.added
        );
        table_head(&mut out, lang);
        for a in review.added.iter().take(MAX_ROWS) {
            let note = match a.previously {
                "draft" => t("trước là bản nháp", "was a draft"),
                "scheduled" => t("trước là hẹn đăng", "was scheduled"),
                _ => t("mới", "new"),
            };
            table_row(&mut out, &a.entry, lang, &[note]);
        }
        more_rows(&mut out, lang, review.added.len());
        out.push('\n');
    }
    if !review.changed.is_empty() {
        let _ = writeln!(
            out,
            "### {} ({})\n",
            t("Mục thay đổi", "Changed"),
            s.changed
        );
        table_head(&mut out, lang);
        for c in review.changed.iter().take(MAX_ROWS) {
            let mut what: Vec<String> = c.fields.iter().map(|f| format!("`{f}`")).collect();
            if c.body_changed {
                what.push(t("nội dung bài", "body"));
            }
            let mut note = what.join(", ");
            if let Some(old) = &c.previous_title {
                let _ = write!(note, "; {} “{}”", t("tiêu đề cũ:", "old title:"), old);
            }
            table_row(&mut out, &c.entry, lang, &[note]);
        }
        more_rows(&mut out, lang, review.changed.len());
        out.push('\n');
    }
    if !review.removed.is_empty() {
        let _ = writeln!(out, "### {} ({})\n", t("Mục bị gỡ", "Removed"), s.removed);
        table_head(&mut out, lang);
        for r in review.removed.iter().take(MAX_ROWS) {
            table_row(&mut out, r, lang, &[t("tệp đã xóa", "file deleted")]);
        }
        more_rows(&mut out, lang, review.removed.len());
        out.push('\n');
    }
    if !review.unpublished.is_empty() {
        let _ = writeln!(
            out,
            "### {} ({})\n",
            t(
                "Nháp và hẹn đăng: không xuất hiện trên trang",
                "Drafts and scheduled: not on the site"
            ),
            s.unpublished
        );
        table_head(&mut out, lang);
        for h in review.unpublished.iter().take(MAX_ROWS) {
            let state = match (h.state, &h.scheduled_for) {
                ("draft", _) => t("bản nháp", "draft"),
                (_, Some(d)) => tr(
                    lang,
                    format!("hẹn đăng ngày {d}"),
                    format!("scheduled for {d}"),
                ),
                _ => t("hẹn đăng", "scheduled"),
            };
            let was = if h.previously == "published" {
                t("trước đã đăng, nay bị ẩn", "was published, now hidden")
            } else {
                t("tệp mới", "new file")
            };
            table_row(&mut out, &h.entry, lang, &[format!("{state}; {was}")]);
        }
        more_rows(&mut out, lang, review.unpublished.len());
        out.push('\n');
    }
    let u = &review.units;
    if !(u.added.is_empty() && u.changed.is_empty() && u.removed.is_empty()) {
        let _ = writeln!(out, "### {}\n", t("Đơn vị", "Units"));
        for (label, list) in [
            (t("thêm", "added"), &u.added),
            (t("thay đổi", "changed"), &u.changed),
            (t("gỡ", "removed"), &u.removed),
        ] {
            for unit in list.iter().take(MAX_ROWS) {
                let fields = if unit.fields.is_empty() {
                    String::new()
                } else {
                    let f: Vec<String> = unit.fields.iter().map(|f| format!("`{f}`")).collect();
                    format!(" ({})", f.join(", "))
                };
                let _ = writeln!(
                    out,
                    "- {label}: **{}** (`{}`){fields} — {}",
                    md_cell(&unit.name),
                    unit.slug,
                    unit.url
                );
            }
            if list.len() > MAX_ROWS {
                let rest = list.len() - MAX_ROWS;
                let _ = writeln!(out, "- {label}: … +{rest}");
            }
        }
        out.push('\n');
    }
    if !review.problems.is_empty() {
        let _ = writeln!(
            out,
            "### {} ({})\n",
            t(
                "Vấn đề mới do thay đổi này",
                "Problems this change introduces"
            ),
            review.problems.len()
        );
        for d in &review.problems {
            let word = match (d.severity, lang) {
                (Severity::Error, Lang::Vi) => "❌ lỗi",
                (Severity::Error, Lang::En) => "❌ error",
                (_, Lang::Vi) => "⚠️ cảnh báo",
                (_, Lang::En) => "⚠️ warning",
            };
            let _ = write!(
                out,
                "- {word} `{}:{}:{}`: {}",
                d.path,
                d.line,
                d.column,
                md_line(&d.message)
            );
            if let Some(help) = &d.help {
                let _ = write!(out, " — {}", md_line(help));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    if s.errors > 0 {
        let _ = writeln!(
            out,
            "> ❌ {}",
            tr(
                lang,
                format!("Bản thay đổi còn {} lỗi: trang chưa thể xây dựng. Chạy `sangtao check` để xem chi tiết.", s.errors),
                format!("The change has {} error(s): the site cannot be built. Run `sangtao check` for details.", s.errors),
            )
        );
    } else {
        let _ = writeln!(
            out,
            "> ✅ {}",
            t(
                "Không có lỗi: trang xây dựng được.",
                "No errors: the site builds."
            )
        );
    }
    out
}

/// Rows shown per table: a pull-request comment holds at most 65,536 characters.
const MAX_ROWS: usize = 100;

/// The line after a table cut at `MAX_ROWS`.
fn more_rows(out: &mut String, lang: Lang, total: usize) {
    if total > MAX_ROWS {
        let rest = total - MAX_ROWS;
        let _ = writeln!(
            out,
            "\n{}",
            tr(
                lang,
                format!("… và {rest} mục khác (xem đầy đủ với `sangtao review --format json`)."),
                format!("… and {rest} more (see all with `sangtao review --format json`)."),
            )
        );
    }
}

/// "1 mục mới · 2 mục thay đổi · ..."
fn summary_line(s: &Summary, lang: Lang) -> String {
    let parts: [(usize, &str, &str); 7] = [
        (s.added, "mục mới", "added"),
        (s.changed, "thay đổi", "changed"),
        (s.removed, "bị gỡ", "removed"),
        (s.unpublished, "nháp hoặc hẹn đăng", "draft or scheduled"),
        (
            s.units_added + s.units_changed + s.units_removed,
            "đơn vị thay đổi",
            "units changed",
        ),
        (s.new_errors, "lỗi mới", "new errors"),
        (s.new_warnings, "cảnh báo mới", "new warnings"),
    ];
    parts
        .iter()
        .map(|(n, vi, en)| format!("{n} {}", tr(lang, *vi, *en)))
        .collect::<Vec<_>>()
        .join(" · ")
}

fn kind_label(kind: &str, lang: Lang) -> String {
    let (vi, en) = match kind {
        "plan" => ("Kế hoạch", "Plan"),
        "solution" => ("Giải pháp", "Solution"),
        "news" => ("Tin tức", "News"),
        _ => ("Trang", "Page"),
    };
    tr(lang, vi, en)
}

fn table_head(out: &mut String, lang: Lang) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        tr(lang, "Loại", "Type"),
        tr(lang, "Tiêu đề", "Title"),
        tr(lang, "Số, ký hiệu", "Number"),
        tr(lang, "Địa chỉ", "URL"),
        tr(lang, "Ghi chú", "Notes"),
    );
}

fn table_row(out: &mut String, e: &ReviewEntry, lang: Lang, notes: &[String]) {
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} |",
        kind_label(e.kind, lang),
        md_cell(&e.title),
        e.number.as_deref().map(md_cell).unwrap_or_default(),
        e.url,
        notes
            .iter()
            .map(|n| md_cell(n))
            .collect::<Vec<_>>()
            .join("; "),
    );
}

/// Text safe inside a Markdown table cell: no pipe, no line break, no raw HTML.
fn md_cell(s: &str) -> String {
    md_line(s).replace('|', "\\|")
}

/// Text on one Markdown line, without raw HTML.
fn md_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The site as it was at a ref, checked out into a temporary folder that is removed on drop.
struct OldTree {
    dir: TempDir,
    commit: String,
}

impl OldTree {
    fn checkout(root: &Path, reference: &str) -> Result<OldTree, ReviewError> {
        let toplevel = git(root, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
            ReviewError::Git { detail, .. } => ReviewError::NotARepository {
                root: root.to_path_buf(),
                detail,
            },
            e => e,
        })?;
        let toplevel = PathBuf::from(toplevel);
        let prefix = git(root, &["rev-parse", "--show-prefix"])?;
        let prefix = prefix.trim_end_matches('/');
        if reference.starts_with('-') || reference.is_empty() {
            return Err(ReviewError::UnknownRef {
                reference: reference.to_string(),
                detail: String::new(),
            });
        }
        let commit = git(
            root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{reference}^{{commit}}"),
            ],
        )
        .map_err(|e| match e {
            ReviewError::Git { detail, .. } => ReviewError::UnknownRef {
                reference: reference.to_string(),
                detail,
            },
            e => e,
        })?;
        let dir = TempDir::new()?;
        let tree = if prefix.is_empty() {
            commit.clone()
        } else {
            format!("{commit}:{prefix}")
        };
        // A site folder that did not exist at the ref is an empty old site.
        if git(&toplevel, &["cat-file", "-e", &tree]).is_ok() {
            // A private index, so the repository's own index and working tree are not touched.
            let index = dir.path.join("index");
            let out = format!("{}/", dir.path.join("tree").display());
            git_with_index(&toplevel, &index, &["read-tree", &tree])?;
            git_with_index(
                &toplevel,
                &index,
                &[
                    "checkout-index",
                    "--all",
                    "--force",
                    &format!("--prefix={out}"),
                ],
            )?;
        } else {
            std::fs::create_dir_all(dir.path.join("tree"))?;
        }
        Ok(OldTree { dir, commit })
    }

    fn site_root(&self) -> PathBuf {
        self.dir.path.join("tree")
    }
}

/// Runs git in `dir` and returns its trimmed standard output.
fn git(dir: &Path, args: &[&str]) -> Result<String, ReviewError> {
    run_git(Command::new("git").arg("-C").arg(dir).args(args), args)
}

fn git_with_index(dir: &Path, index: &Path, args: &[&str]) -> Result<String, ReviewError> {
    run_git(
        Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("GIT_INDEX_FILE", index),
        args,
    )
}

fn run_git(cmd: &mut Command, args: &[&str]) -> Result<String, ReviewError> {
    let output = cmd
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(ReviewError::GitMissing)?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(ReviewError::Git {
            command: args.first().copied().unwrap_or_default().to_string(),
            detail: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        })
    }
}

/// A fresh folder under the system's temporary folder, removed with everything in it on drop
/// (it is ours: created here, never an existing folder).
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> std::io::Result<TempDir> {
        let base = std::env::temp_dir();
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        for attempt in 0..100u32 {
            let path = base.join(format!(
                "sangtao-review-{}-{seed:x}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "no free temporary folder name",
        ))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_cells_escape_pipes_and_html() {
        assert_eq!(md_cell("a | b <i>\nc"), "a \\| b &lt;i&gt; c");
    }

    #[test]
    fn kinds_have_labels_in_both_languages() {
        assert_eq!(kind_label("plan", Lang::Vi), "Kế hoạch");
        assert_eq!(
            kind_label(crate::content::Kind::News.name(), Lang::En),
            "News"
        );
    }
}
