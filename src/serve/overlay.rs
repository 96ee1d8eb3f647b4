//! What `serve` adds to the pages it serves: the live-reload script before `</body>` and, while
//! the content has errors, an overlay listing them (escaped, in the site's language). The same
//! overlay markup travels in `error` events so open pages can show it without reloading.

use crate::diagnostics::{tr, Diagnostic};
use crate::text::dates::Lang;

/// The tag injected into every served HTML page. The `/__sangtao/` namespace is absolute and
/// never part of a site, whatever its base path.
pub const SCRIPT_TAG: &str = r#"<script src="/__sangtao/livereload.js" defer></script>"#;

/// The `id` of the overlay element (the script removes it on `ok`).
pub const OVERLAY_ID: &str = "__sangtao-overlay";

/// The page with the reload script and, when `errors` is not empty, the overlay, inserted
/// before the last `</body>` (or at the end when there is none).
pub fn inject(page: &[u8], errors: &[Diagnostic], lang: Lang) -> Vec<u8> {
    let mut addition = String::from(SCRIPT_TAG);
    if !errors.is_empty() {
        addition.push_str(&overlay_html(errors, lang));
    }
    let at = rfind_ascii_case_insensitive(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + addition.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(addition.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The overlay: a fixed box with `role="alert"` listing each error's `file:line:column`,
/// message, source line and help.
pub fn overlay_html(errors: &[Diagnostic], lang: Lang) -> String {
    let mut html = format!(
        concat!(
            r#"<div id="{id}" role="alert" lang="{lang}" style="position:fixed;left:1rem;right:1rem;bottom:1rem;"#,
            r#"max-height:60vh;overflow:auto;z-index:2147483647;background:#fff5f5;color:#1a1a1a;"#,
            r#"border:2px solid #c62828;border-radius:6px;padding:1rem 1.25rem;"#,
            r#"box-shadow:0 4px 24px rgba(0,0,0,.25);font:15px/1.5 system-ui,sans-serif">"#,
            r#"<button type="button" data-sangtao-dismiss style="float:right;font:inherit">{close}</button>"#,
            r#"<strong style="color:#c62828">{heading}</strong>"#,
        ),
        id = OVERLAY_ID,
        lang = match lang {
            Lang::Vi => "vi",
            Lang::En => "en",
        },
        close = tr(lang, "Đóng", "Close"),
        heading = escape(&tr(
            lang,
            format!(
                "{} lỗi trong nội dung — trang đang hiển thị bản tốt gần nhất",
                errors.len()
            ),
            format!(
                "{} error(s) in the content — showing the last good version",
                errors.len()
            ),
        )),
    );
    for d in errors {
        html.push_str(r#"<div style="margin-top:.75rem">"#);
        html.push_str(&format!(
            r#"<code style="font-weight:bold">{}:{}:{}</code> {}"#,
            escape(&d.path),
            d.line,
            d.column,
            escape(&d.message)
        ));
        if let Some(source) = &d.source_line {
            let caret = " ".repeat(d.column.saturating_sub(1).min(source.chars().count()));
            html.push_str(&format!(
                "<pre style=\"margin:.25rem 0;padding:.5rem;background:#fff;overflow:auto\">{}\n{caret}^</pre>",
                escape(source),
            ));
        }
        if let Some(help) = &d.help {
            html.push_str(&format!(
                "<div>{}: {}</div>",
                tr(lang, "Gợi ý", "Help"),
                escape(help)
            ));
        }
        html.push_str("</div>");
    }
    html.push_str("</div>");
    html
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn rfind_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    fn error() -> Diagnostic {
        Diagnostic {
            path: "content/plans/x.md".into(),
            line: 3,
            column: 9,
            severity: Severity::Error,
            message: "chuỗi chưa đóng <b>".into(),
            help: Some("thêm dấu \" ở cuối".into()),
            source_line: Some("title = \"x <script>".into()),
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>a</p></BODY></html>";
        let out = String::from_utf8(inject(page, &[], Lang::Vi)).unwrap();
        assert_eq!(
            out,
            format!("<html><body><p>a</p>{SCRIPT_TAG}</BODY></html>")
        );
    }

    #[test]
    fn a_page_without_body_end_gets_the_script_at_the_end() {
        let out = String::from_utf8(inject(b"<p>a</p>", &[], Lang::Vi)).unwrap();
        assert_eq!(out, format!("<p>a</p>{SCRIPT_TAG}"));
    }

    #[test]
    fn the_overlay_shows_location_message_source_and_help_escaped() {
        let html = overlay_html(&[error()], Lang::Vi);
        assert!(html.contains(r#"role="alert""#));
        assert!(html.contains("content/plans/x.md:3:9"));
        assert!(html.contains("chuỗi chưa đóng &lt;b&gt;"));
        assert!(html.contains("title = &quot;x &lt;script&gt;"));
        assert!(html.contains("Gợi ý: thêm dấu &quot; ở cuối"));
        assert!(!html.contains("<script"));
    }

    #[test]
    fn the_overlay_speaks_the_site_language() {
        assert!(overlay_html(&[error()], Lang::Vi).contains("1 lỗi trong nội dung"));
        assert!(overlay_html(&[error()], Lang::En).contains("1 error(s) in the content"));
    }
}
