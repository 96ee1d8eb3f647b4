//! Reading one unit file (`content/units/<slug>.toml`).

use crate::content::fields::{Fields, SourceDoc};
use crate::content::model::Unit;
use crate::diagnostics::{Diagnostic, Severity};

/// The allowed values of a unit's `kind`.
pub const UNIT_KINDS: &[&str] = &[
    "bo",
    "ubnd",
    "so",
    "phong",
    "truong",
    "trung-tam",
    "bo-phan",
    "to-chuc",
];

const KEYS: &[&str] = &[
    "name",
    "short_name",
    "kind",
    "parent",
    "website",
    "email",
    "phone",
    "address",
    "description",
];

/// Reads a unit from the parsed TOML of its file.
pub fn read(
    doc: &SourceDoc<'_>,
    table: &toml::de::DeTable<'_>,
    slug: &str,
) -> (Option<Unit>, Vec<Diagnostic>) {
    let mut f = Fields::new(doc, table, doc.pos(0), "", KEYS);
    let mut diags = Vec::new();
    if !crate::text::slug::is_slug(slug) {
        diags.push(
            Diagnostic::file(
                doc.path,
                Severity::Error,
                doc.tr(
                    format!("tên tệp đơn vị `{slug}` không phải slug"),
                    format!("the unit file name `{slug}` is not a slug"),
                ),
            )
            .with_help(doc.tr(
                format!(
                    "đổi tên tệp thành `{}.toml` (chữ thường không dấu, số, gạch nối)",
                    crate::text::slugify(slug)
                ),
                format!(
                    "rename the file to `{}.toml` (lowercase ASCII, digits, hyphens)",
                    crate::text::slugify(slug)
                ),
            )),
        );
    }
    let name = f.required_string("name", "Phòng Giáo dục và Đào tạo huyện Nhà Bè");
    let kind = if f.pos("kind") == f.at() {
        f.missing(
            "kind",
            &format!(
                "thêm `kind = \"truong\"`; các giá trị: {}",
                UNIT_KINDS.join(", ")
            ),
            &format!(
                "add `kind = \"truong\"`; allowed values: {}",
                UNIT_KINDS.join(", ")
            ),
        );
        None
    } else {
        f.string("kind").and_then(|k| {
            if UNIT_KINDS.contains(&k.value.as_str()) {
                Some(k.value)
            } else {
                diags.push(
                    doc.diag(
                        k.pos,
                        Severity::Error,
                        doc.tr(
                            format!("`kind` không hợp lệ: `{}`", k.value),
                            format!("invalid `kind`: `{}`", k.value),
                        ),
                    )
                    .with_help(doc.tr(
                        format!("các giá trị được phép: {}", UNIT_KINDS.join(", ")),
                        format!("allowed values: {}", UNIT_KINDS.join(", ")),
                    )),
                );
                None
            }
        })
    };
    let unit = Unit {
        slug: slug.to_string(),
        source: doc.path.to_string(),
        name: name.map(|n| n.value).unwrap_or_default(),
        short_name: f.string("short_name").map(|v| v.value),
        kind: kind.unwrap_or_default(),
        parent: f.string("parent"),
        website: f.string("website").map(|v| v.value),
        email: f.string("email").map(|v| v.value),
        phone: f.string("phone").map(|v| v.value),
        address: f.string("address").map(|v| v.value),
        description: f.string("description").map(|v| v.value),
    };
    diags.extend(f.finish());
    (Some(unit), diags)
}
