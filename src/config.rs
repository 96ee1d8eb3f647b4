//! `site.toml`: the site's settings, read with spans so every mistake is located.

use std::path::Path;

use crate::content::fields::{Fields, SourceDoc};
use crate::content::frontmatter::clean;
use crate::diagnostics::{tr, Diagnostic, Severity};
use crate::text::dates::Lang;

/// URL folders of the site (CONTENT.md "URLs"), each a slug.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    pub plans: String,
    pub solutions: String,
    pub news: String,
    pub units: String,
    pub topics: String,
    pub search: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            plans: "ke-hoach".into(),
            solutions: "giai-phap".into(),
            news: "tin-tuc".into(),
            units: "don-vi".into(),
            topics: "chu-de".into(),
            search: "tim-kiem".into(),
        }
    }
}

/// The settings of `site.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub title: String,
    /// Absolute, without a trailing slash: `https://example.edu.vn/portal`.
    pub base_url: String,
    /// The path part of `base_url`, with slashes at both ends: `/` or `/portal/`.
    pub base_path: String,
    pub language: Lang,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub theme: String,
    pub per_page: usize,
    pub paths: Paths,
    pub feed_limit: usize,
    /// Keep raw HTML of Markdown as written (opt-out of sanitising).
    pub unsafe_html: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: String::new(),
            base_url: "http://localhost".into(),
            base_path: "/".into(),
            language: Lang::Vi,
            owner: None,
            description: None,
            theme: "default".into(),
            per_page: 20,
            paths: Paths::default(),
            feed_limit: 50,
            unsafe_html: false,
        }
    }
}

const KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "owner",
    "description",
    "theme",
    "per_page",
    "paths",
    "feeds",
    "unsafe_html",
];
const PATH_KEYS: &[&str] = &["plans", "solutions", "news", "units", "topics", "search"];

/// Reads `site.toml` from the site root. Problems are returned as diagnostics; the config is
/// returned whenever it could be read well enough to go on (the diagnostics still fail the build).
pub fn load(root: &Path) -> (Option<Config>, Vec<Diagnostic>) {
    let path = root.join("site.toml");
    let raw = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            return (
                None,
                vec![Diagnostic::file(
                    "site.toml",
                    Severity::Error,
                    format!("không đọc được site.toml / cannot read site.toml: {e}"),
                )
                .with_help(
                    "chạy lệnh trong thư mục của trang, hoặc dùng --root THƯ_MỤC / run inside the site folder, or pass --root DIR",
                )],
            )
        }
    };
    let text = match String::from_utf8(raw) {
        Ok(text) => text,
        Err(e) => {
            // Point at the first byte that is not UTF-8.
            let valid = String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]);
            let mut d = Diagnostic::file(
                "site.toml",
                Severity::Error,
                "site.toml không phải UTF-8 / site.toml is not UTF-8".into(),
            )
            .with_help("lưu lại tệp với bảng mã UTF-8 / save the file again as UTF-8");
            d.line = valid.matches('\n').count() + 1;
            d.column = valid.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            return (None, vec![d]);
        }
    };
    parse(&text)
}

/// Parses the text of `site.toml`.
pub fn parse(text: &str) -> (Option<Config>, Vec<Diagnostic>) {
    let text = clean(text);
    // The language decides the language of every other message, so it is read first.
    let lang = sniff_language(&text);
    let doc = SourceDoc::new("site.toml", &text, 0, lang);
    let table = match toml::de::DeTable::parse(&text) {
        Ok(t) => t,
        Err(e) => return (None, vec![crate::content::load::toml_error(&doc, &e)]),
    };
    let mut f = Fields::new(&doc, table.get_ref(), doc.pos(0), "", KEYS);
    let mut config = Config::default();
    let mut diags = Vec::new();
    if let Some(t) = f.required_string("title", "Cổng Đổi mới sáng tạo") {
        config.title = t.value;
    }
    if let Some(u) = f.required_string("base_url", "https://dmst.example.edu.vn") {
        match split_base_url(&u.value) {
            Some((base, path)) => {
                config.base_url = base;
                config.base_path = path;
            }
            None => diags.push(
                doc.diag(
                    u.pos,
                    Severity::Error,
                    tr(
                        lang,
                        "`base_url` phải là địa chỉ tuyệt đối bắt đầu bằng http:// hoặc https://",
                        "`base_url` must be an absolute URL starting with http:// or https://",
                    ),
                )
                .with_help(tr(
                    lang,
                    "ví dụ: base_url = \"https://dmst.example.edu.vn\"",
                    "for example: base_url = \"https://dmst.example.edu.vn\"",
                )),
            ),
        }
    }
    if let Some(l) = f.string("language") {
        match l.value.as_str() {
            "vi" => config.language = Lang::Vi,
            "en" => config.language = Lang::En,
            other => diags.push(doc.diag(
                l.pos,
                Severity::Error,
                tr(
                    lang,
                    format!("ngôn ngữ `{other}` không được hỗ trợ; chọn một trong: vi, en"),
                    format!("language `{other}` is not supported; choose one of: vi, en"),
                ),
            )),
        }
    }
    config.owner = f.string("owner").map(|o| o.value);
    config.description = f.string("description").map(|d| d.value);
    if let Some(t) = f.string("theme") {
        config.theme = t.value;
    }
    if let Some(n) = f.integer("per_page") {
        if (1..=1000).contains(&n.value) {
            config.per_page = n.value as usize;
        } else {
            diags.push(doc.diag(
                n.pos,
                Severity::Error,
                tr(
                    lang,
                    "`per_page` phải từ 1 đến 1000",
                    "`per_page` must be between 1 and 1000",
                ),
            ));
        }
    }
    config.unsafe_html = f.bool("unsafe_html").unwrap_or(false);
    if let Some(mut p) = f.table("paths", "paths", PATH_KEYS) {
        let slots: [(&str, &mut String); 6] = [
            ("plans", &mut config.paths.plans),
            ("solutions", &mut config.paths.solutions),
            ("news", &mut config.paths.news),
            ("units", &mut config.paths.units),
            ("topics", &mut config.paths.topics),
            ("search", &mut config.paths.search),
        ];
        for (key, slot) in slots {
            if let Some(v) = p.string(key) {
                if crate::text::slug::is_slug(&v.value) {
                    *slot = v.value;
                } else {
                    diags.push(
                        doc.diag(
                            v.pos,
                            Severity::Error,
                            tr(
                                lang,
                                format!("`paths.{key}` phải là slug (chữ thường không dấu, số, gạch nối)"),
                                format!("`paths.{key}` must be a slug (lowercase ASCII, digits, hyphens)"),
                            ),
                        )
                        .with_help(format!("\"{}\"", crate::text::slugify(&v.value))),
                    );
                }
            }
        }
        diags.extend(p.finish());
    }
    if let Some(mut feeds) = f.table("feeds", "feeds", &["limit"]) {
        if let Some(n) = feeds.integer("limit") {
            if n.value >= 1 {
                config.feed_limit = n.value as usize;
            } else {
                diags.push(doc.diag(
                    n.pos,
                    Severity::Error,
                    tr(
                        lang,
                        "`feeds.limit` phải ≥ 1",
                        "`feeds.limit` must be at least 1",
                    ),
                ));
            }
        }
        diags.extend(feeds.finish());
    }
    diags.extend(f.finish());
    (Some(config), diags)
}

/// `https://host/sub/` -> (`https://host/sub`, `/sub/`).
fn split_base_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() || url.contains(char::is_whitespace) {
        return None;
    }
    let path = path.trim_matches('/');
    let base = url.trim_end_matches('/').to_string();
    let base_path = if path.is_empty() {
        "/".to_string()
    } else {
        format!("/{path}/")
    };
    Some((base, base_path))
}

fn sniff_language(text: &str) -> Lang {
    let english = text.lines().any(|l| {
        let l = l.trim().replace(' ', "");
        l == "language=\"en\"" || l == "language='en'"
    });
    if english {
        Lang::En
    } else {
        Lang::Vi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_sub_path() {
        assert_eq!(
            split_base_url("https://a.vn/cong/dmst/"),
            Some(("https://a.vn/cong/dmst".into(), "/cong/dmst/".into()))
        );
        assert_eq!(
            split_base_url("https://a.vn"),
            Some(("https://a.vn".into(), "/".into()))
        );
        assert_eq!(split_base_url("a.vn"), None);
    }

    #[test]
    fn reads_settings_and_defaults() {
        let (c, d) = parse("title = \"T\"\nbase_url = \"https://a.vn/x\"\nper_page = 5\n[paths]\nplans = \"plans\"\n");
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.per_page, 5);
        assert_eq!(c.paths.plans, "plans");
        assert_eq!(c.paths.news, "tin-tuc");
        assert_eq!(c.base_path, "/x/");
    }

    #[test]
    fn unknown_key_is_located() {
        let (_, d) = parse("title = \"T\"\nbase_url = \"https://a.vn\"\ntheem = \"x\"\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (3, 1));
        assert!(d[0].help.as_deref().unwrap().contains("theme"));
    }
}
