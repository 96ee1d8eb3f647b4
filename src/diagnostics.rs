//! Content problems as data: one `Diagnostic` type, collected by every stage, sorted by file and
//! line, and rendered at the edge for humans, as JSON, or as GitHub workflow annotations.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::text::dates::Lang;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built.
    Error,
    /// The site builds, but something is probably not what the author meant.
    Warning,
    /// Worth knowing (drafts and scheduled entries in `check`).
    Note,
}

/// One problem in one file, located by 1-based line and column (columns count characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The source line the problem is on, for excerpts (not part of the JSON schema's identity).
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error located at a byte offset of `source` (the whole file's text).
    pub fn at(
        path: &str,
        source: &str,
        offset: usize,
        severity: Severity,
        message: String,
    ) -> Diagnostic {
        let (line, column, text) = locate(source, offset);
        Diagnostic {
            path: path.to_string(),
            line,
            column,
            severity,
            message,
            help: None,
            source_line: Some(text.to_string()),
        }
    }

    /// A problem with a whole file (line 1, column 1, no excerpt).
    pub fn file(path: &str, severity: Severity, message: String) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            line: 1,
            column: 1,
            severity,
            message,
            help: None,
            source_line: None,
        }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and character column of a byte offset, and the text of that line.
pub fn locate(source: &str, offset: usize) -> (usize, usize, &str) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let line = source[..line_start].matches('\n').count() + 1;
    let column = source[line_start..offset].chars().count() + 1;
    let text = source[line_start..line_end].trim_end_matches('\r');
    (line, column, text)
}

/// Sorts diagnostics by file, line, column, then severity and message, and drops exact repeats.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
    diags.dedup();
}

/// Chooses the Vietnamese or the English text of a message.
pub fn tr(lang: Lang, vi: impl Into<String>, en: impl Into<String>) -> String {
    match lang {
        Lang::Vi => vi.into(),
        Lang::En => en.into(),
    }
}

/// The word for a severity in the site's language.
fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    match (severity, lang) {
        (Severity::Error, Lang::Vi) => "lỗi",
        (Severity::Warning, Lang::Vi) => "cảnh báo",
        (Severity::Note, Lang::Vi) => "ghi chú",
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Note, Lang::En) => "note",
    }
}

/// Human format: `path:line:column: error: message`, the source line with a caret, the help.
pub fn render_human(diags: &[Diagnostic], lang: Lang, color: bool) -> String {
    let mut out = String::new();
    for d in diags {
        let (on, off) = if color {
            match d.severity {
                Severity::Error => ("\x1b[1;31m", "\x1b[0m"),
                Severity::Warning => ("\x1b[1;33m", "\x1b[0m"),
                Severity::Note => ("\x1b[1;36m", "\x1b[0m"),
            }
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            "{}:{}:{}: {on}{}{off}: {}",
            d.path,
            d.line,
            d.column,
            severity_word(d.severity, lang),
            d.message
        );
        if let Some(src) = &d.source_line {
            let gutter = d.line.to_string();
            let pad = " ".repeat(gutter.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{gutter} | {src}");
            let caret_pad: String = src
                .chars()
                .take(d.column.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{pad} | {caret_pad}{on}^{off}");
        }
        if let Some(help) = &d.help {
            let word = if lang == Lang::Vi { "gợi ý" } else { "help" };
            // Later lines of a help line up under its first.
            let help = help.replace('\n', &format!("\n{}", " ".repeat(word.chars().count() + 6)));
            let _ = writeln!(out, "  = {word}: {help}");
        }
        out.push('\n');
    }
    out
}

/// JSON format: `{"version":1,"errors":N,"warnings":N,"diagnostics":[...]}` (docs/check.md).
pub fn render_json(diags: &[Diagnostic]) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        errors: usize,
        warnings: usize,
        diagnostics: &'a [Diagnostic],
    }
    let report = Report {
        version: 1,
        errors: count(diags, Severity::Error),
        warnings: count(diags, Severity::Warning),
        diagnostics: diags,
    };
    serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
}

/// GitHub Actions workflow commands: `::error file=..,line=..,col=..::message`.
pub fn render_github(diags: &[Diagnostic]) -> String {
    render_github_in(diags, "")
}

/// [`render_github`] for a site in the folder `prefix` of its repository (`"portal/"`, or
/// `""` at the root): GitHub places an annotation by the file's path from the repository root.
/// Paths of the built-in theme, which is no file of the repository, are left as they are.
pub fn render_github_in(diags: &[Diagnostic], prefix: &str) -> String {
    let mut out = String::new();
    for d in diags {
        let kind = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str(" — ");
            message.push_str(help);
        }
        let _ = writeln!(
            out,
            "::{kind} file={},line={},col={}::{}",
            escape_property(&if is_built_in(&d.path) {
                d.path.clone()
            } else {
                format!("{prefix}{}", d.path)
            }),
            d.line,
            d.column,
            escape_data(&message)
        );
    }
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// How many diagnostics have the given severity.
pub fn count(diags: &[Diagnostic], severity: Severity) -> usize {
    diags.iter().filter(|d| d.severity == severity).count()
}

/// The path messages give a file of the built-in theme, which is no file of the site's
/// repository (`rel` is its path inside the theme).
pub fn built_in_path(rel: &str) -> String {
    format!("themes/default/{rel}{BUILT_IN}")
}

/// Whether a message's path names a file of the built-in theme ([`built_in_path`]).
pub fn is_built_in(path: &str) -> bool {
    path.ends_with(BUILT_IN)
}

const BUILT_IN: &str = " (built-in)";

/// A path relative to the site root with `/` separators, for messages.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel: PathBuf = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

/// The closest candidate to `wanted` by edit distance, when it is close enough to be a likely typo.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted_folded = crate::text::fold_lower(wanted);
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wanted_folded, &crate::text::fold_lower(c));
        if best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.7).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters() {
        let src = "a = 1\ntên = \"x\"\n";
        let off = src.find('"').unwrap();
        assert_eq!(locate(src, off), (2, 7, "tên = \"x\""));
    }

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("tgas", ["tags", "title", "date"]), Some("tags"));
        assert_eq!(closest("zzzzzz", ["tags", "title"]), None);
    }

    #[test]
    fn github_format_escapes() {
        let d = Diagnostic::file("a,b.md", Severity::Error, "x\ny".into());
        assert_eq!(
            render_github(&[d]),
            "::error file=a%2Cb.md,line=1,col=1::x%0Ay\n"
        );
    }
}
