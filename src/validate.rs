//! Checks across files: references to units and entries, the unit tree, unique URLs and plan
//! numbers, attachments and images. Each problem is a located diagnostic; nothing stops early.

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use rayon::prelude::*;

use crate::content::fields::{Pos, UnitItem};
use crate::diagnostics::{closest, tr, Diagnostic, Severity};
use crate::site::{on_cycle, EntryId, Site};
use crate::text::dates::Lang;

fn at(path: &str, pos: Pos, severity: Severity, message: String) -> Diagnostic {
    Diagnostic {
        path: path.to_string(),
        line: pos.line as usize,
        column: pos.column as usize,
        severity,
        message,
        help: None,
        source_line: None,
    }
}

/// Every cross-file problem of the site. `root` is the site folder (for attachments).
pub fn validate(site: &Site, root: &Path) -> Vec<Diagnostic> {
    let lang = site.config.language;
    let mut diags = Vec::new();
    check_owner(site, root, &mut diags);
    check_units(site, &mut diags);
    let slugs: Vec<&str> = site.units.iter().map(|u| u.slug.as_str()).collect();
    let per_entry: Vec<Vec<Diagnostic>> = site
        .entries
        .par_iter()
        .map(|e| {
            let mut diags = Vec::new();
            for (item, _) in e.unit_refs() {
                check_unit_ref(site, &e.source, item, &slugs, &mut diags);
            }
            check_related(site, e, &mut diags);
            check_files(site, e, root, &mut diags);
            check_slug_segments(e, lang, &mut diags);
            diags
        })
        .collect();
    diags.extend(per_entry.into_iter().flatten());
    check_duplicate_numbers(site, &mut diags);
    check_duplicate_urls(site, &mut diags);
    diags
}

/// Line and column of the value of a top-level key of `site.toml`.
fn site_toml_pos(root: &Path, key: &str) -> Option<(usize, usize)> {
    let raw = std::fs::read_to_string(root.join("site.toml")).ok()?;
    let text = crate::content::frontmatter::clean(&raw);
    let table = toml::de::DeTable::parse(&text).ok()?;
    let start = table.get_ref().get(key)?.span().start;
    let (line, column, _) = crate::diagnostics::locate(&text, start);
    Some((line, column))
}

fn check_owner(site: &Site, root: &Path, diags: &mut Vec<Diagnostic>) {
    let lang = site.config.language;
    if let Some(owner) = &site.config.owner {
        if !site.unit_by_slug.contains_key(owner) {
            let mut d = Diagnostic::file(
                "site.toml",
                Severity::Error,
                tr(
                    lang,
                    format!("`owner`: không có đơn vị `{owner}` trong content/units/"),
                    format!("`owner`: there is no unit `{owner}` in content/units/"),
                ),
            );
            if let Some((line, column)) = site_toml_pos(root, "owner") {
                (d.line, d.column) = (line, column);
            }
            if let Some(best) = closest(owner, site.units.iter().map(|u| u.slug.as_str())) {
                d = d.with_help(did_you_mean(lang, best));
            }
            diags.push(d);
        }
    }
}

fn did_you_mean(lang: Lang, best: &str) -> String {
    tr(
        lang,
        format!("có phải bạn muốn viết `{best}`?"),
        format!("did you mean `{best}`?"),
    )
}

fn check_units(site: &Site, diags: &mut Vec<Diagnostic>) {
    let lang = site.config.language;
    let slugs: Vec<&str> = site.units.iter().map(|u| u.slug.as_str()).collect();
    let original: Vec<Option<usize>> = site
        .units
        .iter()
        .map(|u| {
            u.parent
                .as_ref()
                .and_then(|p| site.unit_by_slug.get(&p.value).copied())
        })
        .collect();
    for (i, u) in site.units.iter().enumerate() {
        let Some(parent) = &u.parent else { continue };
        if !site.unit_by_slug.contains_key(&parent.value) {
            let mut d = at(
                &u.source,
                parent.pos,
                Severity::Error,
                tr(
                    lang,
                    format!("`parent`: không có đơn vị `{}`", parent.value),
                    format!("`parent`: there is no unit `{}`", parent.value),
                ),
            );
            if let Some(best) = closest(&parent.value, slugs.iter().copied()) {
                d = d.with_help(did_you_mean(lang, best));
            }
            diags.push(d);
        } else if on_cycle(&original, i) {
            let mut chain = vec![u.slug.clone()];
            let mut cur = original[i];
            while let Some(p) = cur {
                chain.push(site.units[p].slug.clone());
                if p == i {
                    break;
                }
                cur = original[p];
            }
            let chain = chain.join(" → ");
            diags.push(
                at(
                    &u.source,
                    parent.pos,
                    Severity::Error,
                    tr(
                        lang,
                        format!("các đơn vị cha tạo thành vòng lặp: {chain}"),
                        format!("unit parents form a cycle: {chain}"),
                    ),
                )
                .with_help(tr(
                    lang,
                    "mỗi đơn vị chỉ có một đơn vị cấp trên; bỏ `parent` ở một đơn vị trong vòng",
                    "each unit has one unit above it; remove `parent` from one unit of the cycle",
                )),
            );
        }
    }
}

fn check_unit_ref(
    site: &Site,
    source: &str,
    item: &UnitItem,
    slugs: &[&str],
    diags: &mut Vec<Diagnostic>,
) {
    if !item.is_slug || site.unit_by_slug.contains_key(&item.target) {
        return;
    }
    let lang = site.config.language;
    let mut d = at(
        source,
        item.pos,
        Severity::Error,
        tr(
            lang,
            format!("không có đơn vị `{}` trong content/units/", item.target),
            format!("there is no unit `{}` in content/units/", item.target),
        ),
    );
    d = match closest(&item.target, slugs.iter().copied()) {
        Some(best) => d.with_help(did_you_mean(lang, best)),
        None => d.with_help(tr(
            lang,
            format!(
                "tạo tệp content/units/{}.toml, hoặc viết tên đầy đủ có dấu nếu đây không phải đơn vị của trang",
                item.target
            ),
            format!(
                "create content/units/{}.toml, or write the full name if this is not a unit of the site",
                item.target
            ),
        )),
    };
    diags.push(d);
}

fn check_related(site: &Site, e: &crate::content::Entry, diags: &mut Vec<Diagnostic>) {
    let lang = site.config.language;
    for r in &e.related {
        let target = site
            .by_number
            .get(&r.value)
            .or_else(|| site.by_content_path.get(r.value.trim_matches('/')));
        match target {
            Some(&id) if !site.published[id] => diags.push(
                at(
                    &e.source,
                    r.pos,
                    Severity::Warning,
                    tr(
                        lang,
                        format!("`related`: `{}` là bản nháp hoặc chưa đến ngày đăng; sẽ hiện dạng chữ, không có liên kết", r.value),
                        format!("`related`: `{}` is a draft or scheduled; it is shown as plain text without a link", r.value),
                    ),
                ),
            ),
            Some(_) => {}
            None => {
                let candidates = site
                    .by_number
                    .keys()
                    .map(String::as_str)
                    .chain(site.entries.iter().map(|x| x.content_path.as_str()));
                let mut d = at(
                    &e.source,
                    r.pos,
                    Severity::Error,
                    tr(
                        lang,
                        format!("`related`: không tìm thấy `{}` (số kế hoạch hoặc đường dẫn nội dung)", r.value),
                        format!("`related`: `{}` was not found (a plan number or a content path)", r.value),
                    ),
                );
                d = match closest(&r.value, candidates) {
                    Some(best) => d.with_help(did_you_mean(lang, best)),
                    None => d.with_help(tr(
                        lang,
                        "viết số kế hoạch đúng như trong `number` (\"182/KH-GDĐT\") hoặc đường dẫn không có đuôi .md (\"solutions/2023/robot-cuu-hoa\")",
                        "write a plan number exactly as in its `number` (\"182/KH-GDĐT\") or a content path without .md (\"solutions/2023/robot-cuu-hoa\")",
                    )),
                };
                diags.push(d);
            }
        }
    }
}

/// Resolves an attachment or image path to a path under `content/`, refusing any escape.
pub fn resolve_content_file(entry_content_path: &str, written: &str) -> Option<String> {
    if written.contains('\\') || written.contains('\0') || written.contains(':') {
        return None;
    }
    let mut parts: Vec<&str> = if let Some(abs) = written.strip_prefix('/') {
        let _ = abs;
        Vec::new()
    } else {
        let mut dir: Vec<&str> = entry_content_path.split('/').collect();
        dir.pop();
        dir
    };
    for seg in written.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some(parts.join("/"))
}

fn check_files(site: &Site, e: &crate::content::Entry, root: &Path, diags: &mut Vec<Diagnostic>) {
    let lang = site.config.language;
    let written = e
        .attachments
        .iter()
        .map(|a| (&a.path, "attachments"))
        .chain(e.image.iter().map(|i| (i, "image")));
    for (path, key) in written {
        let Some(rel) = resolve_content_file(&e.content_path, &path.value) else {
            diags.push(
                at(
                    &e.source,
                    path.pos,
                    Severity::Error,
                    tr(
                        lang,
                        format!("`{key}`: đường dẫn `{}` ra ngoài thư mục content/", path.value),
                        format!("`{key}`: the path `{}` leaves the content/ folder", path.value),
                    ),
                )
                .with_help(tr(
                    lang,
                    "đặt tệp trong content/ và viết đường dẫn tương đối với bài viết, hoặc bắt đầu bằng / tính từ content/",
                    "put the file inside content/ and write a path relative to the entry, or starting with / from content/",
                )),
            );
            continue;
        };
        let exists = site.asset(&rel).is_some();
        if !exists {
            let file = root.join("content").join(&rel);
            let hint = if file.exists() {
                tr(
                    lang,
                    " (tệp là bài viết, không phải tệp đính kèm)",
                    " (it is an entry, not a file)",
                )
            } else {
                String::new()
            };
            let mut d = at(
                &e.source,
                path.pos,
                Severity::Error,
                tr(
                    lang,
                    format!("`{key}`: không tìm thấy tệp content/{rel}{hint}"),
                    format!("`{key}`: the file content/{rel} was not found{hint}"),
                ),
            );
            let names = site.assets.iter().map(|a| a.content_path.as_str());
            if let Some(best) = closest(&rel, names) {
                d = d.with_help(tr(
                    lang,
                    format!("có phải bạn muốn nói content/{best}?"),
                    format!("did you mean content/{best}?"),
                ));
            }
            diags.push(d);
        }
    }
}

fn check_slug_segments(e: &crate::content::Entry, lang: Lang, diags: &mut Vec<Diagnostic>) {
    // An empty slug shows as an empty URL segment; only then look for the culprit.
    if !e.url.contains("//") && !e.url.starts_with('/') {
        return;
    }
    for seg in e.content_path.split('/').skip(1) {
        if crate::text::slugify(seg).is_empty() {
            diags.push(
                Diagnostic::file(
                    &e.source,
                    Severity::Error,
                    tr(
                        lang,
                        format!("tên `{seg}` không tạo được địa chỉ (không có chữ hoặc số)"),
                        format!("the name `{seg}` gives no URL (it has no letters or digits)"),
                    ),
                )
                .with_help(tr(
                    lang,
                    "đổi tên tệp hoặc thư mục, dùng chữ và số",
                    "rename the file or folder using letters and digits",
                )),
            );
        }
    }
}

fn check_duplicate_numbers(site: &Site, diags: &mut Vec<Diagnostic>) {
    let lang = site.config.language;
    let mut first: HashMap<&str, EntryId> = HashMap::default();
    for (id, e) in site.entries.iter().enumerate() {
        let Some(plan) = e.plan() else { continue };
        let Some(number) = &plan.number else { continue };
        match first.get(number.value.as_str()) {
            None => {
                first.insert(&number.value, id);
            }
            Some(&other) => diags.push(
                at(
                    &e.source,
                    number.pos,
                    Severity::Error,
                    tr(
                        lang,
                        format!(
                            "số kế hoạch `{}` đã dùng trong {}",
                            number.value, site.entries[other].source
                        ),
                        format!(
                            "the plan number `{}` is already used by {}",
                            number.value, site.entries[other].source
                        ),
                    ),
                )
                .with_help(tr(
                    lang,
                    "mỗi số, ký hiệu chỉ thuộc về một kế hoạch; sửa số ở một trong hai tệp",
                    "each number belongs to one plan; correct it in one of the two files",
                )),
            ),
        }
    }
}

fn check_duplicate_urls(site: &Site, diags: &mut Vec<Diagnostic>) {
    let lang = site.config.language;
    let mut first: HashMap<&str, &str> =
        HashMap::with_capacity_and_hasher(site.entries.len(), Default::default());
    let reserved = reserved_urls(site);
    for (id, e) in site.entries.iter().enumerate() {
        let url = site.urls[id].as_str();
        if let Some(what) = reserved.get(url) {
            diags.push(
                Diagnostic::file(
                    &e.source,
                    Severity::Error,
                    tr(
                        lang,
                        format!("địa chỉ /{url} trùng với {what} của trang"),
                        format!("the URL /{url} is the site's {what}"),
                    ),
                )
                .with_help(tr(lang, "đổi tên tệp", "rename the file")),
            );
            continue;
        }
        match first.get(url) {
            None => {
                first.insert(url, &e.source);
            }
            Some(other) => diags.push(
                Diagnostic::file(
                    &e.source,
                    Severity::Error,
                    tr(
                        lang,
                        format!("hai tệp cùng ra một địa chỉ /{url}: {other} và {}", e.source),
                        format!("two files land on one URL /{url}: {other} and {}", e.source),
                    ),
                )
                .with_help(tr(
                    lang,
                    "tên tệp chỉ khác nhau ở chữ hoa/thường hoặc dấu thanh cho cùng một địa chỉ; đổi tên một tệp",
                    "names that differ only by case or tone marks give the same URL; rename one of the files",
                )),
            ),
        }
    }
    let mut assets: HashMap<String, &str> = HashMap::default();
    for a in &site.assets {
        let key = a.output_path.to_lowercase();
        if let Some(other) = assets.get(&key) {
            diags.push(Diagnostic::file(
                &format!("content/{}", a.content_path),
                Severity::Error,
                tr(
                    lang,
                    format!(
                        "hai tệp cùng ra một địa chỉ /{}: content/{other}",
                        a.output_path
                    ),
                    format!(
                        "two files land on one URL /{}: content/{other}",
                        a.output_path
                    ),
                ),
            ));
        } else {
            assets.insert(key, &a.content_path);
        }
    }
}

/// URLs the generator itself produces, which an entry or page may not take.
fn reserved_urls(site: &Site) -> HashMap<String, String> {
    let p = &site.config.paths;
    let mut m = HashMap::default();
    let lang = site.config.language;
    for (folder, vi, en) in [
        (&p.plans, "danh sách kế hoạch", "plan listing"),
        (&p.solutions, "danh sách giải pháp", "solution listing"),
        (&p.news, "danh sách tin tức", "news listing"),
        (&p.units, "danh bạ đơn vị", "unit directory"),
        (&p.topics, "danh sách chủ đề", "topic index"),
        (&p.search, "trang tìm kiếm", "search page"),
    ] {
        m.insert(format!("{folder}/"), tr(lang, vi, en));
        m.insert(format!("{folder}/trang/"), tr(lang, vi, en));
    }
    m.insert(
        "search/".into(),
        tr(lang, "chỉ mục tìm kiếm", "search index"),
    );
    m
}
