//! Reading the front matter of an entry or a free page into an `Entry`, kind by kind.

use crate::content::fields::{Fields, Located, SourceDoc};
use crate::content::model::{
    Attachment, Award, Details, Entry, Kind, NewsFields, PlanFields, Signer, SolutionFields, Task,
};
use crate::diagnostics::{Diagnostic, Severity};

const PLAN_KEYS: &[&str] = &[
    "title",
    "number",
    "issuer",
    "issued",
    "date",
    "place",
    "signer",
    "basis",
    "recipients",
    "tasks",
    "tags",
    "attachments",
    "summary",
    "draft",
];
const SOLUTION_KEYS: &[&str] = &[
    "title",
    "date",
    "unit",
    "authors",
    "award",
    "field",
    "status",
    "applied_in",
    "related",
    "tags",
    "attachments",
    "summary",
    "draft",
    "image",
];
const NEWS_KEYS: &[&str] = &[
    "title",
    "date",
    "units",
    "related",
    "tags",
    "attachments",
    "summary",
    "draft",
    "image",
];
const PAGE_KEYS: &[&str] = &["title", "summary", "draft", "order"];

/// The allowed values of a solution's `status`.
pub const STATUSES: &[&str] = &["thi-diem", "ap-dung", "nhan-rong"];

/// What a content file is, besides its front matter.
pub struct FileInfo<'a> {
    pub kind: Kind,
    pub source: &'a str,
    pub content_path: &'a str,
    pub body: &'a str,
    pub body_line: usize,
    /// Hash of the text before the body.
    pub front_hash: u64,
}

/// Reads an entry from its parsed front matter.
pub fn read(
    doc: &SourceDoc<'_>,
    table: &toml::de::DeTable<'_>,
    info: FileInfo<'_>,
) -> (Option<Entry>, Vec<Diagnostic>) {
    let keys = match info.kind {
        Kind::Plan => PLAN_KEYS,
        Kind::Solution => SOLUTION_KEYS,
        Kind::News => NEWS_KEYS,
        Kind::Page => PAGE_KEYS,
    };
    let mut f = Fields::new(doc, table, doc.pos(0), "", keys);
    let mut diags = Vec::new();
    let title = f.required_string("title", "Tiêu đề");
    let summary = f.string("summary").map(|s| s.value);
    let draft = f.bool("draft").unwrap_or(false);
    let draft_pos = f.pos("draft");
    let mut date = None;
    let mut date_pos = f.at();
    let details = match info.kind {
        Kind::Plan => {
            let p = read_plan(&mut f, &mut diags);
            let d = f.date("date");
            date_pos = f.pos("date");
            if d.is_none() && p.issued.is_none() && f.pos("date") == f.at() {
                f.missing(
                    "date",
                    "thêm `date = 2023-02-14` (ngày đăng) hoặc `issued = 2023-02-14` (ngày ban hành)",
                    "add `date = 2023-02-14` (publication day) or `issued = 2023-02-14` (issue date)",
                );
            }
            date = d.map(|d| d.value).or(p.issued);
            if f.pos("date") == f.at() {
                date_pos = f.pos("issued");
            }
            Details::Plan(p)
        }
        Kind::Solution => {
            let s = read_solution(&mut f, &mut diags);
            date = required_date(&mut f);
            date_pos = f.pos("date");
            Details::Solution(s)
        }
        Kind::News => {
            let units = f.unit_list("units");
            if f.pos("units") == f.at() {
                f.missing(
                    "units",
                    "thêm `units = [\"slug-don-vi\"]` (ít nhất một đơn vị)",
                    "add `units = [\"unit-slug\"]` (at least one unit)",
                );
            } else if units.is_empty() && f.diags.is_empty() {
                diags.push(doc.diag(
                    f.pos("units"),
                    Severity::Error,
                    doc.tr(
                        "`units` phải có ít nhất một đơn vị",
                        "`units` must name at least one unit",
                    ),
                ));
            }
            date = required_date(&mut f);
            date_pos = f.pos("date");
            let time = news_time(table);
            Details::News(NewsFields { units, time })
        }
        Kind::Page => Details::Page {
            order: f.integer("order").map(|o| o.value),
        },
    };
    let (tags, attachments, related, image) = if info.kind == Kind::Page {
        (Vec::new(), Vec::new(), Vec::new(), None)
    } else {
        let tags = f
            .string_list("tags")
            .into_iter()
            .filter(|t| !t.value.is_empty())
            .collect();
        let attachments = read_attachments(&mut f, &mut diags);
        let related = if info.kind == Kind::Plan {
            Vec::new()
        } else {
            f.string_list("related")
        };
        let image = if info.kind == Kind::Plan {
            None
        } else {
            f.string("image")
        };
        (tags, attachments, related, image)
    };
    diags.extend(f.finish());
    let Some(title) = title else {
        return (None, diags);
    };
    let entry = Entry {
        kind: info.kind,
        source: info.source.to_string(),
        content_path: info.content_path.to_string(),
        url: String::new(),
        title: title.value,
        date,
        date_pos,
        summary,
        draft,
        draft_pos,
        tag_slugs: tags
            .iter()
            .map(|t| crate::text::slugify(&t.value))
            .collect(),
        tags,
        attachments,
        related,
        image,
        body: info.body.to_string(),
        body_line: info.body_line,
        details,
        front_hash: info.front_hash,
    };
    (Some(entry), diags)
}

fn required_date(f: &mut Fields<'_, '_>) -> Option<crate::text::dates::Date> {
    if f.pos("date") == f.at() {
        f.missing(
            "date",
            "thêm `date = 2023-02-14` (ngày đăng)",
            "add `date = 2023-02-14` (publication day)",
        );
        return None;
    }
    f.date("date").map(|d| d.value)
}

/// The time of a news item's date-time `date`, as "HH:MM".
fn news_time(table: &toml::de::DeTable<'_>) -> Option<String> {
    let v = table.get("date")?;
    let dt = v.get_ref().as_datetime()?;
    let t = dt.time?;
    Some(format!("{:02}:{:02}", t.hour, t.minute))
}

fn read_plan(f: &mut Fields<'_, '_>, diags: &mut Vec<Diagnostic>) -> PlanFields {
    let number = f.string("number").filter(|n| !n.value.is_empty());
    let issuer = f.required_unit("issuer");
    let issued = f.date("issued").map(|d| d.value);
    let place = f.string("place").map(|p| p.value);
    let signer = f
        .table("signer", "signer", &["name", "title", "authority"])
        .map(|mut s| {
            let signer = Signer {
                name: s.string("name").map(|v| v.value),
                title: s.string("title").map(|v| v.value),
                authority: s.string("authority").map(|v| v.value),
            };
            diags.extend(s.finish());
            signer
        });
    let basis = f
        .string_list("basis")
        .into_iter()
        .map(|b| b.value)
        .collect();
    let recipients = f.unit_list("recipients");
    let mut tasks = Vec::new();
    for mut t in f.tables(
        "tasks",
        "tasks",
        &["title", "lead", "partners", "timeline", "description"],
    ) {
        let title = t.required_string("title", "Nhiệm vụ");
        let task = Task {
            title: title.map(|v| v.value).unwrap_or_default(),
            lead: t.unit_list("lead"),
            partners: t.unit_list("partners"),
            timeline: t.string("timeline").map(|v| v.value),
            description: t.string("description").map(|v| v.value),
        };
        diags.extend(t.finish());
        tasks.push(task);
    }
    PlanFields {
        number,
        issuer,
        issued,
        place,
        signer,
        basis,
        recipients,
        tasks,
    }
}

fn read_solution(f: &mut Fields<'_, '_>, diags: &mut Vec<Diagnostic>) -> SolutionFields {
    let doc = f.doc();
    let unit = f.required_unit("unit");
    let authors = f
        .string_list("authors")
        .into_iter()
        .map(|a| a.value)
        .collect();
    let mut award = Award::default();
    if f.pos("award") == f.at() {
        f.missing(
            "award",
            "thêm bảng `[award]` với `name = \"...\"` và `year = 2023`",
            "add an `[award]` table with `name = \"...\"` and `year = 2023`",
        );
    } else if let Some(mut a) = f.table(
        "award",
        "award",
        &["name", "year", "level", "organizer", "decision"],
    ) {
        award.name = a
            .required_string("name", "Giải thưởng Sáng tạo")
            .map(|v| v.value)
            .unwrap_or_default();
        if a.pos("year") == a.at() {
            a.missing("year", "thêm `year = 2023`", "add `year = 2023`");
        } else if let Some(y) = a.integer("year") {
            if (1900..=2200).contains(&y.value) {
                award.year = y.value;
            } else {
                diags.push(doc.diag(
                    y.pos,
                    Severity::Error,
                    doc.tr(
                        format!("`award.year` không hợp lệ: {}", y.value),
                        format!("invalid `award.year`: {}", y.value),
                    ),
                ));
            }
        }
        award.level = a.string("level").map(|v| v.value);
        award.organizer = a.unit("organizer");
        award.decision = a.string("decision").map(|v| v.value);
        diags.extend(a.finish());
    }
    let status = f.string("status").and_then(|s| {
        if STATUSES.contains(&s.value.as_str()) {
            Some(s.value)
        } else {
            diags.push(
                doc.diag(
                    s.pos,
                    Severity::Error,
                    doc.tr(
                        format!("`status` không hợp lệ: `{}`", s.value),
                        format!("invalid `status`: `{}`", s.value),
                    ),
                )
                .with_help(doc.tr(
                    "các giá trị được phép: thi-diem (thí điểm), ap-dung (áp dụng), nhan-rong (nhân rộng)",
                    "allowed values: thi-diem (pilot), ap-dung (applied), nhan-rong (replicated)",
                )),
            );
            None
        }
    });
    SolutionFields {
        unit,
        authors,
        award,
        field: f.string("field").map(|v| v.value),
        status,
        applied_in: f.unit_list("applied_in"),
    }
}

fn read_attachments(f: &mut Fields<'_, '_>, diags: &mut Vec<Diagnostic>) -> Vec<Attachment> {
    let mut out = Vec::new();
    for mut a in f.tables("attachments", "attachments", &["path", "title"]) {
        let path = a.required_string("path", "182-KH-GDDT.pdf");
        let title = a.string("title").map(|v| v.value);
        diags.extend(a.finish());
        if let Some(path) = path {
            out.push(Attachment {
                path: Located {
                    value: path.value,
                    pos: path.pos,
                },
                title,
            });
        }
    }
    out
}
