//! The theme: templates, static files and interface strings, from the site's `themes/<name>/`
//! with the built-in default theme underneath (a missing file falls back to the built-in one).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{tr, Diagnostic, Severity};
use crate::text::dates::Lang;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));
}

/// A theme folder over the built-in theme.
#[derive(Clone, Debug)]
pub struct Theme {
    pub name: String,
    /// The site's own theme folder, when it has one.
    pub dir: Option<PathBuf>,
}

fn builtin(path: &str) -> Option<&'static [u8]> {
    builtin::FILES
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .ok()
        .map(|i| builtin::FILES[i].1)
}

impl Theme {
    /// Finds the theme named in `site.toml`. `default` needs no folder; any other name must be a
    /// folder `themes/<name>/` of the site.
    pub fn open(root: &Path, name: &str, lang: Lang) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            return Ok(Theme {
                name: name.to_string(),
                dir: Some(dir),
            });
        }
        if name == "default" {
            return Ok(Theme {
                name: name.to_string(),
                dir: None,
            });
        }
        let text = std::fs::read_to_string(root.join("site.toml")).unwrap_or_default();
        let line = text
            .lines()
            .position(|l| l.trim_start().starts_with("theme"))
            .map_or(1, |i| i + 1);
        let column = text
            .lines()
            .nth(line - 1)
            .and_then(|l| l.find('"'))
            .map_or(1, |c| c + 1);
        Err(Diagnostic {
            path: "site.toml".into(),
            line,
            column,
            severity: Severity::Error,
            message: tr(
                lang,
                format!("không có giao diện `{name}`: thư mục themes/{name}/ không tồn tại"),
                format!("there is no theme `{name}`: the folder themes/{name}/ does not exist"),
            ),
            help: Some(tr(
                lang,
                "bỏ khóa `theme` để dùng giao diện mặc định, hoặc sao chép giao diện vào themes/<tên>/",
                "remove `theme` to use the default theme, or copy a theme into themes/<name>/",
            )),
            source_line: text.lines().nth(line - 1).map(str::to_string),
        })
    }

    /// Path of a theme file for messages.
    pub fn display_path(&self, rel: &str) -> String {
        match &self.dir {
            Some(_) if self.own_file(rel).is_some() => format!("themes/{}/{rel}", self.name),
            _ => crate::diagnostics::built_in_path(rel),
        }
    }

    fn own_file(&self, rel: &str) -> Option<PathBuf> {
        let p = self.dir.as_ref()?.join(rel);
        p.is_file().then_some(p)
    }

    /// A file of the theme: the site's own, else the built-in one.
    pub fn file(&self, rel: &str) -> Option<Vec<u8>> {
        if let Some(p) = self.own_file(rel) {
            if let Ok(b) = std::fs::read(p) {
                return Some(b);
            }
        }
        builtin(rel).map(<[u8]>::to_vec)
    }

    /// The source of a template by name (`base.html`).
    pub fn template(&self, name: &str) -> Option<String> {
        if name.contains("..") || name.starts_with('/') {
            return None;
        }
        self.file(&format!("templates/{name}"))
            .and_then(|b| String::from_utf8(b).ok())
    }

    /// Every static file, as (path relative to the output root, bytes), sorted.
    pub fn static_files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        for (path, bytes) in builtin::FILES {
            if let Some(rel) = path.strip_prefix("static/") {
                files.insert(rel.to_string(), bytes.to_vec());
            }
        }
        if let Some(dir) = &self.dir {
            let stat = dir.join("static");
            for e in walkdir::WalkDir::new(&stat)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if !e.file_type().is_file() {
                    continue;
                }
                if let (Ok(rel), Ok(bytes)) =
                    (e.path().strip_prefix(&stat), std::fs::read(e.path()))
                {
                    files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
                }
            }
        }
        files.into_iter().collect()
    }

    /// The interface strings for a language: the built-in ones, overridden by the site theme's.
    pub fn strings(&self, lang: Lang) -> Result<BTreeMap<String, String>, Diagnostic> {
        let rel = match lang {
            Lang::Vi => "i18n/vi.toml",
            Lang::En => "i18n/en.toml",
        };
        let mut out = BTreeMap::new();
        let mut sources = Vec::new();
        if let Some(b) = builtin(rel) {
            sources.push((crate::diagnostics::built_in_path(rel), b.to_vec()));
        }
        if let Some(p) = self.own_file(rel) {
            if let Ok(b) = std::fs::read(p) {
                sources.push((format!("themes/{}/{rel}", self.name), b));
            }
        }
        for (path, bytes) in sources {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let table: toml::Table = toml::from_str(&text).map_err(|e| {
                Diagnostic::file(&path, Severity::Error, format!("TOML: {}", e.message()))
            })?;
            for (k, v) in table {
                if let toml::Value::String(s) = v {
                    out.insert(k, s);
                }
            }
        }
        Ok(out)
    }
}
