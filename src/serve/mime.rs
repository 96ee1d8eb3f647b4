//! Content types of output files, by extension (feeds by their file name).

/// The `Content-Type` to send for an output path.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "atom.xml" {
        return "application/atom+xml; charset=utf-8";
    }
    if name == "rss.xml" {
        return "application/rss+xml; charset=utf-8";
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Whether the output is an HTML page (the ones that get the reload script).
pub fn is_html(path: &str) -> bool {
    content_type(path).starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_extension() {
        assert_eq!(
            content_type("ke-hoach/x/index.html"),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("search/index.json"), "application/json");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("files/A.PNG"), "image/png");
        assert_eq!(content_type("files/scan.pdf"), "application/pdf");
        assert_eq!(
            content_type("files/noextension"),
            "application/octet-stream"
        );
    }

    #[test]
    fn feeds_have_their_own_types() {
        assert_eq!(
            content_type("atom.xml"),
            "application/atom+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("tin-tuc/rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
    }
}
