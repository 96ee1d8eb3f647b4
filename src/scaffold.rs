//! `new`: scaffolding a content file from a title. The file gets every required key filled (the
//! build clock's date, the unit, the slug of the title as its name) and every optional key as a
//! commented example, at the URL-friendly path of its kind. An existing file is never overwritten.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostics::{closest, tr};
use crate::text::dates::{Date, Lang};
use crate::text::{nfc, slugify};

/// What `new` can scaffold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Plan,
    Solution,
    News,
    Unit,
    Page,
}

impl NewKind {
    /// The front-matter key that names the entry's unit (`--unit`); for a unit, its parent.
    pub fn unit_key(self) -> Option<&'static str> {
        match self {
            NewKind::Plan => Some("issuer"),
            NewKind::Solution => Some("unit"),
            NewKind::News => Some("units"),
            NewKind::Unit => Some("parent"),
            NewKind::Page => None,
        }
    }

    /// Whether the kind needs a unit (an entry without one does not pass `check`).
    fn needs_unit(self) -> bool {
        matches!(self, NewKind::Plan | NewKind::Solution | NewKind::News)
    }
}

/// What to scaffold.
#[derive(Clone, Debug)]
pub struct NewRequest<'a> {
    /// The site root (holding `site.toml`).
    pub root: &'a Path,
    pub kind: NewKind,
    pub title: &'a str,
    /// A unit slug; defaults to the site's `owner` for entries.
    pub unit: Option<&'a str>,
    /// Today, by the build clock.
    pub today: Date,
}

/// Why nothing was written. Messages are in the site's language (see [`ScaffoldError::message`]).
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("cannot read site.toml in {0}")]
    NoSite(PathBuf),
    #[error("the title is empty")]
    EmptyTitle,
    #[error("the title `{0}` gives an empty file name")]
    EmptySlug(String),
    #[error("unknown unit `{slug}`")]
    UnknownUnit {
        slug: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    #[error("a {kind:?} needs a unit")]
    MissingUnit { kind: NewKind, known: Vec<String> },
    #[error("a page has no unit")]
    UnitNotAllowed,
    #[error("{0} already exists")]
    Exists(String),
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

impl ScaffoldError {
    /// The message for the user, in the site's language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ScaffoldError::NoSite(root) => tr(
                lang,
                format!(
                    "không đọc được {}/site.toml: chạy lệnh trong thư mục của trang, hoặc dùng --root THƯ_MỤC",
                    root.display()
                ),
                format!(
                    "cannot read {}/site.toml: run inside the site folder, or pass --root DIR",
                    root.display()
                ),
            ),
            ScaffoldError::EmptyTitle => tr(lang, "tiêu đề trống", "the title is empty"),
            ScaffoldError::EmptySlug(title) => tr(
                lang,
                format!("tiêu đề `{title}` không có chữ hay số nào để làm tên tệp"),
                format!("the title `{title}` has no letter or digit to make a file name from"),
            ),
            ScaffoldError::UnknownUnit {
                slug,
                suggestion,
                known,
            } => {
                let hint = match suggestion {
                    Some(s) => tr(lang, format!("; có phải `{s}`?"), format!("; did you mean `{s}`?")),
                    None => known_list(lang, known),
                };
                tr(
                    lang,
                    format!("không có đơn vị `{slug}` (không thấy content/units/{slug}.toml){hint}"),
                    format!("unknown unit `{slug}` (no content/units/{slug}.toml){hint}"),
                )
            }
            ScaffoldError::MissingUnit { kind, known } => {
                let key = kind.unit_key().unwrap_or("unit");
                tr(
                    lang,
                    format!(
                        "cần chỉ ra đơn vị cho khóa `{key}`: thêm --unit SLUG (hoặc đặt `owner` trong site.toml){}",
                        known_list(lang, known)
                    ),
                    format!(
                        "the `{key}` key needs a unit: pass --unit SLUG (or set `owner` in site.toml){}",
                        known_list(lang, known)
                    ),
                )
            }
            ScaffoldError::UnitNotAllowed => tr(
                lang,
                "trang tự do không có đơn vị: bỏ --unit",
                "a free page has no unit: leave out --unit",
            ),
            ScaffoldError::Exists(path) => tr(
                lang,
                format!("{path} đã có: không ghi đè. Đặt tiêu đề khác, hoặc sửa chính tệp đó"),
                format!("{path} already exists: not overwritten. Choose another title, or edit that file"),
            ),
            ScaffoldError::Io { path, source } => tr(
                lang,
                format!("không ghi được {path}: {source}"),
                format!("cannot write {path}: {source}"),
            ),
        }
    }

    /// True when the request itself was wrong (exit status 2), rather than the file system
    /// refusing it (exit status 1).
    pub fn is_usage(&self) -> bool {
        !matches!(self, ScaffoldError::Exists(_) | ScaffoldError::Io { .. })
    }
}

fn known_list(lang: Lang, known: &[String]) -> String {
    if known.is_empty() {
        return tr(
            lang,
            "; chưa có đơn vị nào: tạo trước bằng `sangtao new unit \"Tên đơn vị\"`",
            "; there is no unit yet: create one first with `sangtao new unit \"Unit name\"`",
        );
    }
    let shown: Vec<&str> = known.iter().take(12).map(String::as_str).collect();
    let more = if known.len() > shown.len() {
        ", ..."
    } else {
        ""
    };
    tr(
        lang,
        format!("; các đơn vị có: {}{more}", shown.join(", ")),
        format!("; known units: {}{more}", shown.join(", ")),
    )
}

/// Writes the scaffolded file and returns its path relative to the site root (with `/`).
pub fn scaffold(req: &NewRequest<'_>) -> Result<String, ScaffoldError> {
    let (config, _) = crate::config::load(req.root);
    let config = config.ok_or_else(|| ScaffoldError::NoSite(req.root.to_path_buf()))?;
    let title = nfc(req.title.trim()).into_owned();
    if title.is_empty() {
        return Err(ScaffoldError::EmptyTitle);
    }
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err(ScaffoldError::EmptySlug(title));
    }
    let unit = choose_unit(req, &config)?;
    let rel = target_path(req.kind, &slug, req.today);
    refuse_existing(req.root, &rel)?;
    let text = render(
        req.kind,
        &title,
        unit.as_deref(),
        req.today,
        config.language,
    );
    write_new(req.root, &rel, &text)?;
    Ok(rel)
}

/// The unit for the kind's unit key: `--unit` (which must name a unit file), else the site's
/// owner for entries.
fn choose_unit(req: &NewRequest<'_>, config: &Config) -> Result<Option<String>, ScaffoldError> {
    if req.kind == NewKind::Page {
        return match req.unit {
            Some(_) => Err(ScaffoldError::UnitNotAllowed),
            None => Ok(None),
        };
    }
    let known = unit_slugs(req.root);
    let wanted = req
        .unit
        .map(|u| u.trim().to_string())
        .or_else(|| config.owner.clone().filter(|_| req.kind.needs_unit()));
    match wanted {
        Some(slug) if known.contains(&slug) => Ok(Some(slug)),
        Some(slug) => Err(ScaffoldError::UnknownUnit {
            suggestion: closest(&slug, known.iter().map(String::as_str)).map(str::to_string),
            slug,
            known,
        }),
        None if req.kind.needs_unit() => Err(ScaffoldError::MissingUnit {
            kind: req.kind,
            known,
        }),
        None => Ok(None),
    }
}

/// The slugs of `content/units/*.toml`, sorted.
fn unit_slugs(root: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join("content/units"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".toml")?;
            (!stem.starts_with('.')).then(|| stem.to_string())
        })
        .collect();
    out.sort();
    out
}

/// `content/plans/2025/<slug>.md`, `content/pages/<slug>.md`, `content/units/<slug>.toml`.
fn target_path(kind: NewKind, slug: &str, today: Date) -> String {
    let year = today.year;
    match kind {
        NewKind::Plan => format!("content/plans/{year}/{slug}.md"),
        NewKind::Solution => format!("content/solutions/{year}/{slug}.md"),
        NewKind::News => format!("content/news/{year}/{slug}.md"),
        NewKind::Page => format!("content/pages/{slug}.md"),
        NewKind::Unit => format!("content/units/{slug}.toml"),
    }
}

/// Refuses the path when it exists, or when another file of its folder lands on the same URL
/// (`Kế hoạch A.md` next to a new `ke-hoach-a.md`).
fn refuse_existing(root: &Path, rel: &str) -> Result<(), ScaffoldError> {
    let abs = root.join(rel);
    if abs.exists() || abs.is_symlink() {
        return Err(ScaffoldError::Exists(rel.to_string()));
    }
    let (Some(dir), Some(stem), Some(ext)) = (
        abs.parent(),
        abs.file_stem().and_then(|s| s.to_str()),
        abs.extension().and_then(|s| s.to_str()),
    ) else {
        return Ok(());
    };
    let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
    for item in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = item.path();
        let same_ext = path.extension().and_then(|s| s.to_str()) == Some(ext);
        let other_stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if same_ext && slugify(other_stem) == stem {
            let name = item.file_name().to_string_lossy().into_owned();
            return Err(ScaffoldError::Exists(format!("{folder}/{name}")));
        }
    }
    Ok(())
}

/// Creates the file (and its folders) only if it does not exist yet: the check and the write
/// are one step, so a file that appears meanwhile is still not overwritten.
fn write_new(root: &Path, rel: &str, text: &str) -> Result<(), ScaffoldError> {
    let abs = root.join(rel);
    let io = |source| ScaffoldError::Io {
        path: rel.to_string(),
        source,
    };
    if let Some(dir) = abs.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&abs) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists(rel.to_string()))
        }
        Err(e) => return Err(io(e)),
    };
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of the new file.
fn render(kind: NewKind, title: &str, unit: Option<&str>, today: Date, lang: Lang) -> String {
    let t = |vi: &str, en: &str| tr(lang, vi, en);
    let date = today.iso();
    let year = today.year;
    let title = quote(title);
    let optional = t(
        "# Các khóa không bắt buộc: bỏ dấu # ở đầu dòng để dùng.",
        "# Optional keys: remove the # at the start of a line to use it.",
    );
    let body = t(
        "Viết nội dung ở đây, bằng Markdown. Đoạn đầu tiên là phần tóm tắt nếu không có `summary`.\n",
        "Write the text here, in Markdown. The first paragraph is the summary unless `summary` is set.\n",
    );
    let summary = t(
        "# summary = \"Một hai câu tóm tắt; mặc định là đoạn đầu của bài.\"",
        "# summary = \"One or two sentences; defaults to the first paragraph.\"",
    );
    let draft = t(
        "# draft = true        # bản nháp: chưa đăng",
        "# draft = true        # a draft: not published",
    );
    let unit = unit.map(quote);
    let mut out = String::new();
    let mut line = |s: &str| {
        out.push_str(s);
        out.push('\n');
    };
    match kind {
        NewKind::Plan => {
            line("+++");
            line(&format!("title = {title}"));
            line(&format!("issuer = {}", unit.unwrap_or_default()));
            line(&format!("date = {date}"));
            line("");
            line(&optional);
            line("# number = \"182/KH-GDĐT\"");
            line(&format!("# issued = {date}"));
            line("# place = \"Nhà Bè\"");
            line("# signer = { name = \"Đỗ Thị Hòa\", title = \"Phó Giám đốc\", authority = \"KT. Giám đốc\" }");
            line("# basis = [\"Kế hoạch số 1234/KH-SGDĐT ngày 10 tháng 01 năm 2023 của Sở Giáo dục và Đào tạo\"]");
            line("# recipients = [\"truong-thcs-binh-minh\", { unit = \"ubnd-huyen-nha-be\", note = \"để báo cáo\" }]");
            line("# tags = [\"STEM\", \"Chuyển đổi số\"]");
            line("# attachments = [{ path = \"182-KH-GDDT.pdf\", title = \"Bản có chữ ký\" }]");
            line(&summary);
            line(&draft);
            line("#");
            line("# [[tasks]]");
            line("# title = \"Tổ chức Ngày hội STEM cấp huyện\"");
            line("# lead = [\"phong-gddt-nha-be\"]");
            line("# partners = [\"truong-thcs-binh-minh\"]");
            line(&format!("# timeline = \"Tháng 4/{year}\""));
            line("# description = \"Mỗi trường tham gia ít nhất một sản phẩm.\"");
            line("+++");
            line("");
            line(&body);
        }
        NewKind::Solution => {
            line("+++");
            line(&format!("title = {title}"));
            line(&format!("date = {date}"));
            line(&format!("unit = {}", unit.unwrap_or_default()));
            line("");
            line(&optional);
            line("# authors = [\"Nguyễn Thị Thanh Tâm\", \"Đặng Hoàng Nam\"]");
            line("# field = \"Giáo dục STEM\"");
            line("# status = \"ap-dung\"   # thi-diem, ap-dung, nhan-rong");
            line("# applied_in = [\"truong-thcs-binh-minh\"]");
            line("# related = [\"182/KH-GDĐT\", \"solutions/2023/robot-cuu-hoa\"]");
            line("# tags = [\"STEM\", \"Robot\"]");
            line("# image = \"anh-san-pham.jpg\"");
            line("# attachments = [{ path = \"thuyet-minh.pdf\", title = \"Bản thuyết minh\" }]");
            line(&summary);
            line(&draft);
            line("");
            line("[award]");
            line(&t(
                "name = \"Hội thi Đổi mới sáng tạo\"   # sửa: tên cuộc thi hoặc giải thưởng",
                "name = \"Innovation contest\"   # edit: the contest or award's name",
            ));
            line(&format!("year = {year}"));
            line("# level = \"Giải Nhất\"");
            line("# organizer = \"phong-gddt-nha-be\"");
            line("# decision = \"1234/QĐ-UBND\"");
            line("+++");
            line("");
            line(&body);
        }
        NewKind::News => {
            line("+++");
            line(&format!("title = {title}"));
            line(&format!("date = {date}"));
            line(&format!("units = [{}]", unit.unwrap_or_default()));
            line("");
            line(&optional);
            line("# related = [\"182/KH-GDĐT\"]");
            line("# tags = [\"STEM\"]");
            line("# image = \"anh-dai-dien.jpg\"");
            line("# attachments = [{ path = \"thong-bao.pdf\", title = \"Thông báo\" }]");
            line(&summary);
            line(&draft);
            line("+++");
            line("");
            line(&body);
        }
        NewKind::Page => {
            line("+++");
            line(&format!("title = {title}"));
            line("");
            line(&optional);
            line(&t(
                "# order = 1           # vị trí trên thanh menu",
                "# order = 1           # position in the menu",
            ));
            line(&summary);
            line(&draft);
            line("+++");
            line("");
            line(&body);
        }
        NewKind::Unit => {
            line(&format!("name = {title}"));
            line(&t(
                "kind = \"truong\"   # bo, ubnd, so, phong, truong, trung-tam, bo-phan, to-chuc",
                "kind = \"truong\"   # bo, ubnd, so, phong, truong, trung-tam, bo-phan, to-chuc",
            ));
            if let Some(parent) = &unit {
                line(&format!("parent = {parent}"));
            }
            line("");
            line(&optional);
            line("# short_name = \"Trường THCS Bình Minh\"");
            if unit.is_none() {
                line("# parent = \"phong-gddt-nha-be\"");
            }
            line("# website = \"https://thcsbinhminh.example.edu.vn\"");
            line("# email = \"thcsbinhminh@example.edu.vn\"");
            line("# phone = \"028 3873 0000\"");
            line("# address = \"Ấp 3, xã Phước Kiển, huyện Nhà Bè\"");
            line(&t(
                "# description = \"Giới thiệu ngắn về đơn vị (Markdown).\"",
                "# description = \"A short introduction of the unit (Markdown).\"",
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_toml_strings() {
        assert_eq!(quote(r#"Kế hoạch "A" \ B"#), r#""Kế hoạch \"A\" \\ B""#);
    }

    #[test]
    fn paths_follow_the_kind_and_year() {
        let d = Date::new(2025, 3, 5).unwrap();
        assert_eq!(
            target_path(NewKind::Plan, "a", d),
            "content/plans/2025/a.md"
        );
        assert_eq!(target_path(NewKind::Page, "a", d), "content/pages/a.md");
        assert_eq!(target_path(NewKind::Unit, "a", d), "content/units/a.toml");
    }
}
