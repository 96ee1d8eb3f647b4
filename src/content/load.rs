//! Walking `content/` and turning every file into a unit, an entry or an asset, in parallel.
//! Files are read once; every problem becomes a located diagnostic and the walk goes on.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::entry::FileInfo;
use crate::content::fields::SourceDoc;
use crate::content::frontmatter::{clean, split, SplitError};
use crate::content::model::{Asset, Content, Entry, Kind, Unit};
use crate::diagnostics::{tr, Diagnostic, Severity};
use crate::text::dates::Lang;

/// What one file under `content/` is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileRole {
    Unit(String),
    Entry(Kind),
    Asset,
}

/// One file found by the walk.
#[derive(Debug, Clone)]
struct Found {
    abs: PathBuf,
    /// Path under `content/` with `/` separators.
    rel: String,
    role: FileRole,
}

/// The result of reading one file.
enum Loaded {
    Unit(Box<Unit>),
    Entry(Box<Entry>),
    Asset(Asset),
    Nothing,
}

/// Loads everything under `root/content`. Never fails: problems are diagnostics.
pub fn load(root: &Path, config: &Config) -> (Content, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let mut diags = Vec::new();
    // Files are read and parsed on the other threads while the walk goes on: each found file is
    // a task, and the results are put back in the walk's order.
    let loaded = std::sync::Mutex::new(Vec::new());
    rayon::scope(|s| {
        let mut next = 0usize;
        walk(&content_dir, config.language, &mut diags, &mut |f| {
            let (i, loaded) = (next, &loaded);
            next += 1;
            s.spawn(move |_| {
                let r = load_file(&f, config);
                if let Ok(mut v) = loaded.lock() {
                    v.push((i, r));
                }
            });
        });
    });
    let mut results = loaded.into_inner().unwrap_or_default();
    results.sort_unstable_by_key(|r| r.0);
    let mut content = Content::default();
    for (_, (loaded, d)) in results {
        diags.extend(d);
        match loaded {
            Loaded::Unit(u) => content.units.push(*u),
            Loaded::Entry(e) => content.entries.push(*e),
            Loaded::Asset(a) => content.assets.push(a),
            Loaded::Nothing => {}
        }
    }
    content.units.sort_by(|a, b| a.slug.cmp(&b.slug));
    content.entries.sort_by(|a, b| a.source.cmp(&b.source));
    content
        .assets
        .sort_by(|a, b| a.content_path.cmp(&b.content_path));
    (content, diags)
}

/// The walk's order: walkdir's `sort_by_file_name` (the order of `OsStr`s), by [`name_bytes`].
fn by_file_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    name_bytes(a).cmp(name_bytes(b))
}

/// A walked entry's file name, as the bytes after the last separator of its path: what
/// `file_name()` gives, without parsing the path's components at every comparison (that
/// parsing was 1 % of a 1k build's instructions).
fn name_bytes(e: &walkdir::DirEntry) -> &[u8] {
    let path = e.path().as_os_str().as_encoded_bytes();
    #[cfg(windows)]
    let last = memchr::memrchr2(b'/', b'\\', path);
    #[cfg(not(windows))]
    let last = memchr::memrchr(b'/', path);
    &path[last.map_or(0, |i| i + 1)..]
}

/// Walks `content/` in file name order, handing each file found to `found`.
fn walk(content_dir: &Path, lang: Lang, diags: &mut Vec<Diagnostic>, found: &mut dyn FnMut(Found)) {
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::file(
                "content",
                Severity::Error,
                tr(
                    lang,
                    "không tìm thấy thư mục content/",
                    "the folder content/ was not found",
                ),
            )
            .with_help(tr(
                lang,
                "tạo thư mục content/ với units/, plans/, solutions/, news/, pages/",
                "create content/ with units/, plans/, solutions/, news/, pages/",
            )),
        );
        return;
    }
    let canonical_root = std::fs::canonicalize(content_dir).unwrap_or(content_dir.to_path_buf());
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by(by_file_name)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !name_bytes(e).starts_with(b"."));
    for item in walker {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| site_rel(content_dir, p))
                    .unwrap_or_else(|| "content".into());
                diags.push(Diagnostic::file(
                    &path,
                    Severity::Error,
                    tr(
                        lang,
                        format!("không đọc được: {e}"),
                        format!("cannot read: {e}"),
                    ),
                ));
                continue;
            }
        };
        let rel_path = item.path().strip_prefix(content_dir).unwrap_or(item.path());
        let Some(rel) = rel_path.to_str().map(|s| s.replace('\\', "/")) else {
            diags.push(Diagnostic::file(
                &site_rel(content_dir, item.path()),
                Severity::Error,
                tr(
                    lang,
                    "tên tệp không phải UTF-8",
                    "the file name is not UTF-8",
                ),
            ));
            continue;
        };
        let mut abs = item.path().to_path_buf();
        if item.path_is_symlink() {
            match symlink_target(&canonical_root, item.path()) {
                Ok(target) if target.is_file() => abs = target,
                Ok(_) => {
                    diags.push(symlink_diag(&rel, lang, SymlinkProblem::Folder));
                    continue;
                }
                Err(problem) => {
                    diags.push(symlink_diag(&rel, lang, problem));
                    continue;
                }
            }
        } else if !item.file_type().is_file() {
            continue;
        }
        let role = classify(&rel);
        found(Found { abs, rel, role });
    }
}

enum SymlinkProblem {
    Loop,
    Outside,
    Folder,
}

fn symlink_target(canonical_root: &Path, link: &Path) -> Result<PathBuf, SymlinkProblem> {
    let target = std::fs::canonicalize(link).map_err(|_| SymlinkProblem::Loop)?;
    if !target.starts_with(canonical_root) {
        return Err(SymlinkProblem::Outside);
    }
    Ok(target)
}

fn symlink_diag(rel: &str, lang: Lang, problem: SymlinkProblem) -> Diagnostic {
    let path = format!("content/{rel}");
    let (vi, en) = match problem {
        SymlinkProblem::Loop => (
            "liên kết tượng trưng (symlink) hỏng hoặc tạo vòng lặp",
            "broken symbolic link or symbolic link loop",
        ),
        SymlinkProblem::Outside => (
            "liên kết tượng trưng (symlink) trỏ ra ngoài thư mục content/",
            "symbolic link points outside content/",
        ),
        SymlinkProblem::Folder => (
            "liên kết tượng trưng (symlink) tới thư mục không được hỗ trợ",
            "symbolic links to folders are not supported",
        ),
    };
    Diagnostic::file(&path, Severity::Error, tr(lang, vi, en)).with_help(tr(
        lang,
        "thay liên kết bằng chính tệp đó",
        "replace the link with the file itself",
    ))
}

/// One file loaded on its own (by `serve`, when it changed).
pub enum Item {
    Unit(Box<Unit>),
    Entry(Box<Entry>),
    Asset(Asset),
}

/// Loads the file at `rel` (a path under `content/`, `/`-separated). None when the file is gone
/// or is not part of the site (hidden files, folders).
pub fn load_one(root: &Path, config: &Config, rel: &str) -> (Option<Item>, Vec<Diagnostic>) {
    let content_dir = root.join("content");
    let lang = config.language;
    if rel
        .split('/')
        .any(|s| s.starts_with('.') || s.is_empty() || s == "..")
    {
        return (None, Vec::new());
    }
    let path = content_dir.join(rel);
    let Ok(meta) = std::fs::symlink_metadata(&path) else {
        return (None, Vec::new());
    };
    let mut abs = path.clone();
    if meta.file_type().is_symlink() {
        let canonical_root = std::fs::canonicalize(&content_dir).unwrap_or(content_dir.clone());
        match symlink_target(&canonical_root, &path) {
            Ok(target) if target.is_file() => abs = target,
            Ok(_) => return (None, vec![symlink_diag(rel, lang, SymlinkProblem::Folder)]),
            Err(p) => return (None, vec![symlink_diag(rel, lang, p)]),
        }
    } else if !meta.is_file() {
        return (None, Vec::new());
    }
    let found = Found {
        abs,
        rel: rel.to_string(),
        role: classify(rel),
    };
    let (loaded, diags) = load_file(&found, config);
    let item = match loaded {
        Loaded::Unit(u) => Some(Item::Unit(u)),
        Loaded::Entry(e) => Some(Item::Entry(e)),
        Loaded::Asset(a) => Some(Item::Asset(a)),
        Loaded::Nothing => None,
    };
    (item, diags)
}

fn site_rel(content_dir: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(content_dir).unwrap_or(p);
    format!("content/{}", rel.to_string_lossy().replace('\\', "/"))
}

fn classify(rel: &str) -> FileRole {
    let (top, rest) = rel.split_once('/').unwrap_or(("", rel));
    if top == "units" && rest.ends_with(".toml") {
        let stem = rest.rsplit('/').next().unwrap_or(rest);
        return FileRole::Unit(stem.trim_end_matches(".toml").to_string());
    }
    if rest.ends_with(".md") {
        let kind = match top {
            "plans" => Some(Kind::Plan),
            "solutions" => Some(Kind::Solution),
            "news" => Some(Kind::News),
            "pages" => Some(Kind::Page),
            _ => None,
        };
        if let Some(k) = kind {
            return FileRole::Entry(k);
        }
    }
    FileRole::Asset
}

/// The URL folder of a top-level content folder.
pub fn url_folder<'a>(config: &'a Config, top: &'a str) -> std::borrow::Cow<'a, str> {
    match top {
        "plans" => config.paths.plans.as_str().into(),
        "solutions" => config.paths.solutions.as_str().into(),
        "news" => config.paths.news.as_str().into(),
        "pages" => "".into(),
        other => crate::text::slugify(other).into(),
    }
}

/// Output path of an asset: folders become slugs (type folders their URL folder), the file name
/// is kept.
pub fn asset_output_path(config: &Config, rel: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        if i + 1 == segments.len() {
            parts.push((*seg).to_string());
        } else if i == 0 {
            let f = url_folder(config, seg);
            if !f.is_empty() {
                parts.push(f.into_owned());
            }
        } else {
            parts.push(crate::text::slugify(seg));
        }
    }
    parts.join("/")
}

fn load_file(f: &Found, config: &Config) -> (Loaded, Vec<Diagnostic>) {
    let lang = config.language;
    let path = format!("content/{}", f.rel);
    if f.role == FileRole::Asset {
        let size = std::fs::metadata(&f.abs).map(|m| m.len()).unwrap_or(0);
        let asset = Asset {
            content_path: f.rel.clone(),
            output_path: asset_output_path(config, &f.rel),
            size,
        };
        return (Loaded::Asset(asset), Vec::new());
    }
    let bytes = match std::fs::read(&f.abs) {
        Ok(b) => b,
        Err(e) => {
            return (
                Loaded::Nothing,
                vec![Diagnostic::file(
                    &path,
                    Severity::Error,
                    tr(
                        lang,
                        format!("không đọc được tệp: {e}"),
                        format!("cannot read the file: {e}"),
                    ),
                )],
            )
        }
    };
    // simdutf8 checks Vietnamese text several times faster than std; everything below borrows
    // the text (what an entry keeps is copied out of it), so it need not become a `String`.
    let raw = match simdutf8::compat::from_utf8(&bytes) {
        Ok(s) => s,
        Err(e) => return (Loaded::Nothing, vec![not_utf8(&path, &bytes, e, lang)]),
    };
    let text = clean(raw);
    if text.trim().is_empty() {
        let help = match &f.role {
            FileRole::Unit(_) => tr(
                lang,
                "viết ít nhất `name = \"...\"` và `kind = \"...\"`",
                "write at least `name = \"...\"` and `kind = \"...\"`",
            ),
            _ => tr(
                lang,
                "tệp phải bắt đầu bằng phần đầu TOML giữa hai dòng +++, ví dụ:\n+++\ntitle = \"...\"\n+++",
                "the file must start with TOML front matter between two +++ lines, e.g.:\n+++\ntitle = \"...\"\n+++",
            ),
        };
        return (
            Loaded::Nothing,
            vec![
                Diagnostic::file(&path, Severity::Error, tr(lang, "tệp rỗng", "empty file"))
                    .with_help(help),
            ],
        );
    }
    match &f.role {
        FileRole::Unit(slug) => {
            let doc = SourceDoc::new(&path, &text, 0, lang);
            match toml::de::DeTable::parse(&text) {
                Ok(table) => {
                    let (unit, d) = crate::content::unit::read(&doc, table.get_ref(), slug);
                    (
                        unit.map_or(Loaded::Nothing, |u| Loaded::Unit(Box::new(u))),
                        d,
                    )
                }
                Err(e) => (Loaded::Nothing, vec![toml_error(&doc, &e)]),
            }
        }
        FileRole::Entry(kind) => {
            let (loaded, diags) = load_entry(&path, &f.rel, *kind, &text, lang);
            match loaded {
                Loaded::Entry(mut e) => {
                    e.url = crate::site::entry_url(config, &e);
                    (Loaded::Entry(e), diags)
                }
                other => (other, diags),
            }
        }
        FileRole::Asset => (Loaded::Nothing, Vec::new()),
    }
}

fn load_entry(
    path: &str,
    rel: &str,
    kind: Kind,
    text: &str,
    lang: Lang,
) -> (Loaded, Vec<Diagnostic>) {
    let split = match split(text) {
        Ok(s) => s,
        Err(SplitError::NoOpening) => {
            let doc = SourceDoc::new(path, text, 0, lang);
            let d = doc
                .diag(
                    doc.pos(0),
                    Severity::Error,
                    doc.tr(
                        "tệp không bắt đầu bằng dòng `+++` của phần đầu TOML",
                        "the file does not start with the `+++` line of TOML front matter",
                    ),
                )
                .with_help(doc.tr(
                    "dòng đầu tiên phải là +++, rồi các khóa TOML (title = \"...\"), rồi một dòng +++",
                    "the first line must be +++, then the TOML keys (title = \"...\"), then a +++ line",
                ));
            return (Loaded::Nothing, vec![d]);
        }
        Err(SplitError::Unclosed) => {
            let doc = SourceDoc::new(path, text, 0, lang);
            let d = doc
                .diag(
                    doc.pos(0),
                    Severity::Error,
                    doc.tr(
                        "phần đầu TOML mở bằng `+++` nhưng không có dòng `+++` đóng",
                        "the TOML front matter opened with `+++` is never closed by a `+++` line",
                    ),
                )
                .with_help(doc.tr(
                    "thêm một dòng chỉ có +++ sau khóa cuối cùng của phần đầu",
                    "add a line with only +++ after the last key of the front matter",
                ));
            return (Loaded::Nothing, vec![d]);
        }
    };
    let doc = SourceDoc::new(path, text, split.toml_offset, lang);
    let table = match toml::de::DeTable::parse(split.toml) {
        Ok(t) => t,
        Err(e) => return (Loaded::Nothing, vec![toml_error(&doc, &e)]),
    };
    let content_path = rel.trim_end_matches(".md");
    let info = FileInfo {
        kind,
        source: path,
        content_path,
        body: split.body,
        body_line: split.body_line,
        front_hash: crate::output::hash(&text.as_bytes()[..text.len() - split.body.len()]),
    };
    let (entry, d) = crate::content::entry::read(&doc, table.get_ref(), info);
    (
        entry.map_or(Loaded::Nothing, |e| Loaded::Entry(Box::new(e))),
        d,
    )
}

fn not_utf8(path: &str, bytes: &[u8], e: simdutf8::compat::Utf8Error, lang: Lang) -> Diagnostic {
    let good = e.valid_up_to();
    let prefix = String::from_utf8_lossy(&bytes[..good]);
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Diagnostic {
        path: path.to_string(),
        line,
        column,
        severity: Severity::Error,
        message: tr(
            lang,
            "tệp không phải văn bản UTF-8",
            "the file is not UTF-8 text",
        ),
        help: Some(tr(
            lang,
            "lưu lại tệp với bảng mã UTF-8 (trong trình soạn thảo: Save with Encoding → UTF-8)",
            "save the file again as UTF-8 (in your editor: Save with Encoding → UTF-8)",
        )),
        source_line: None,
    }
}

/// A TOML syntax error as a located diagnostic; impossible dates get a message of their own.
pub fn toml_error(doc: &SourceDoc<'_>, e: &toml::de::Error) -> Diagnostic {
    let start = e.span().map_or(0, |s| s.start);
    let pos = doc.pos(start);
    let raw = e.message().trim().to_string();
    let date_text = doc.text[doc.toml_offset..]
        .get(start.saturating_sub(8)..)
        .and_then(find_date_like);
    if raw.contains("day between") || raw.contains("month between") {
        if let Some(date) = date_text {
            return doc
                .diag(
                    pos,
                    Severity::Error,
                    doc.tr(
                        format!("ngày {date} không tồn tại"),
                        format!("the date {date} does not exist"),
                    ),
                )
                .with_help(doc.tr(
                    "viết ngày có thật theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-02-14",
                    "write a real date as YEAR-MONTH-DAY, e.g. 2023-02-14",
                ));
        }
    }
    doc.diag(
        pos,
        Severity::Error,
        doc.tr(
            format!("TOML không hợp lệ: {raw}"),
            format!("invalid TOML: {raw}"),
        ),
    )
    .with_help(doc.tr(
        "kiểm tra dấu ngoặc kép quanh chuỗi (title = \"...\"), dấu = giữa khóa và giá trị, và dấu ngoặc của danh sách [ ]",
        "check the quotes around strings (title = \"...\"), the = between key and value, and the brackets of lists [ ]",
    ))
}

fn find_date_like(s: &str) -> Option<String> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = s.get(i..i + 10)?;
        let wb = w.as_bytes();
        let ok = wb.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        ok.then(|| w.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk's order is walkdir's `sort_by_file_name` (the order of `OsStr`s, among the
    /// entries of each folder), on names that differ by case, marks, spaces and punctuation.
    #[test]
    fn names_sort_as_walkdir_sorts_file_names() {
        let tmp = tempfile::tempdir().unwrap();
        let names = [
            "a/x.md", "a-b/x.md", "a.b/y.md", "a b/z.md", "ab/x.md", "B/x.md", "á/x.md", "đ/x.md",
            "a/a-b.md", "a/a.md", "a/a b.md", "10.md", "9.md", "a/Z.md",
        ];
        for n in names {
            let p = tmp.path().join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let walk = |w: walkdir::WalkDir| -> Vec<PathBuf> {
            w.into_iter().map(|e| e.unwrap().into_path()).collect()
        };
        let ours = walk(walkdir::WalkDir::new(tmp.path()).sort_by(by_file_name));
        let theirs = walk(walkdir::WalkDir::new(tmp.path()).sort_by_file_name());
        assert_eq!(ours.len(), names.len() + 9, "{ours:?}");
        assert_eq!(ours, theirs);
        let a = ours.iter().position(|p| p.ends_with("a/x.md")).unwrap();
        let ab = ours.iter().position(|p| p.ends_with("a-b/x.md")).unwrap();
        assert!(a < ab);
        let names_of = |dir: &str| -> Vec<String> {
            ours.iter()
                .filter(|p| p.parent() == Some(&tmp.path().join(dir)))
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(names_of("a"), ["Z.md", "a b.md", "a-b.md", "a.md", "x.md"]);
    }

    /// Files and folders whose name starts with a dot are not part of the site, at any depth.
    #[test]
    fn the_walk_skips_hidden_files_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        for n in [
            "news/a.md",
            "news/.draft.md",
            ".git/config",
            "news/.cache/b.md",
            "plans/x.y/c.md",
        ] {
            let p = tmp.path().join(n);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let mut found = Vec::new();
        let mut diags = Vec::new();
        walk(tmp.path(), Lang::En, &mut diags, &mut |f| found.push(f.rel));
        assert!(diags.is_empty());
        assert_eq!(found, ["news/a.md", "plans/x.y/c.md"]);
    }
}
