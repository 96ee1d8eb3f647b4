//! URL paths to output files: percent-decode once, refuse every form of path traversal, strip
//! the site's base path, and map `/x/` to `x/index.html`. Only keys of the in-memory output are
//! ever produced, so nothing here can reach the disk; the refusals make that explicit anyway.

use percent_encoding::percent_decode_str;

use crate::incremental::Files;

/// Where a request path leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file, by its key in [`Files`].
    File(String),
    /// Redirect to this location (a folder without its trailing slash, or the base path).
    Redirect(String),
    /// Nothing in the site answers to this path.
    NotFound,
    /// The path is malformed or tries to leave the site (`..`, `\`, NUL, absolute paths).
    BadRequest,
}

/// Resolves a request target (path and optional query) against the output of a site served
/// under `base_path` (`/` or `/sub/`).
pub fn resolve(target: &str, base_path: &str, files: &Files) -> Target {
    let (raw_path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let raw_path = raw_path.split('#').next().unwrap_or_default();
    let Some(path) = decode(raw_path) else {
        return Target::BadRequest;
    };
    let with_query = |location: String| match query {
        Some(q) => format!("{location}?{q}"),
        None => location,
    };

    let base = if base_path.ends_with('/') {
        base_path.to_string()
    } else {
        format!("{base_path}/")
    };
    let Some(rest) = path.strip_prefix(base.as_str()) else {
        // `/sub` for a site under `/sub/`, and `/` for any site under a sub-path.
        if path == base.trim_end_matches('/') || path == "/" {
            return Target::Redirect(with_query(base));
        }
        return Target::NotFound;
    };

    if rest.is_empty() || rest.ends_with('/') {
        let key = format!("{rest}index.html");
        return if files.contains_key(&key) {
            Target::File(key)
        } else {
            Target::NotFound
        };
    }
    if files.contains_key(&format!("{rest}/index.html")) {
        return Target::Redirect(with_query(format!("{raw_path}/")));
    }
    if files.contains_key(rest) {
        Target::File(rest.to_string())
    } else {
        Target::NotFound
    }
}

/// Percent-decodes a request path once and checks every segment; `None` when it is malformed
/// or tries to leave the site.
fn decode(raw_path: &str) -> Option<String> {
    // `//host/x` is a network-path reference, never a path inside the site.
    if !raw_path.starts_with('/') || raw_path.starts_with("//") {
        return None;
    }
    let decoded = percent_decode_str(raw_path).decode_utf8().ok()?;
    // Checked again after decoding: `/%2fetc/passwd` is `//etc/passwd`.
    if decoded.starts_with("//") {
        return None;
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        let empty_inside = segment.is_empty() && i != last;
        if empty_inside || !is_plain_segment(segment) || (i == 0 && looks_like_drive(segment)) {
            return None;
        }
    }
    Some(decoded.into_owned())
}

/// A segment that names a file or folder: not `.` or `..`, no backslash (a separator on
/// Windows), no NUL or other control character.
fn is_plain_segment(segment: &str) -> bool {
    segment != "." && segment != ".." && !segment.chars().any(|c| c == '\\' || c.is_control())
}

/// `C:` and the like: an absolute path on Windows.
fn looks_like_drive(segment: &str) -> bool {
    let bytes = segment.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn site() -> Files {
        [
            "index.html",
            "ke-hoach/x/index.html",
            "style.css",
            "404.html",
            "atom.xml",
        ]
        .into_iter()
        .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
        .collect()
    }

    #[test]
    fn folders_map_to_their_index() {
        let files = site();
        assert_eq!(resolve("/", "/", &files), Target::File("index.html".into()));
        assert_eq!(
            resolve("/ke-hoach/x/", "/", &files),
            Target::File("ke-hoach/x/index.html".into())
        );
        assert_eq!(
            resolve("/ke-hoach/x/?q=1", "/", &files),
            Target::File("ke-hoach/x/index.html".into())
        );
    }

    #[test]
    fn a_folder_without_its_slash_redirects() {
        let files = site();
        assert_eq!(
            resolve("/ke-hoach/x", "/", &files),
            Target::Redirect("/ke-hoach/x/".into())
        );
        assert_eq!(
            resolve("/ke-hoach/x?a=b", "/", &files),
            Target::Redirect("/ke-hoach/x/?a=b".into())
        );
    }

    #[test]
    fn files_are_served_by_name() {
        let files = site();
        assert_eq!(
            resolve("/style.css", "/", &files),
            Target::File("style.css".into())
        );
        assert_eq!(resolve("/nope.css", "/", &files), Target::NotFound);
        assert_eq!(resolve("/ke-hoach/", "/", &files), Target::NotFound);
    }

    #[test]
    fn the_base_path_is_stripped() {
        let files = site();
        assert_eq!(
            resolve("/sub/", "/sub/", &files),
            Target::File("index.html".into())
        );
        assert_eq!(
            resolve("/sub/style.css", "/sub/", &files),
            Target::File("style.css".into())
        );
        assert_eq!(
            resolve("/sub", "/sub/", &files),
            Target::Redirect("/sub/".into())
        );
        assert_eq!(
            resolve("/", "/sub/", &files),
            Target::Redirect("/sub/".into())
        );
        assert_eq!(resolve("/style.css", "/sub/", &files), Target::NotFound);
    }

    #[test]
    fn every_form_of_traversal_is_refused() {
        let files = site();
        for bad in [
            "/../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/%2e%2e%2fsite.toml",
            "/..\\site.toml",
            "/%5c..%5csite.toml",
            "/ke-hoach/../../site.toml",
            "/./index.html",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/C:/Windows/win.ini",
            "/c:%5cwindows",
            "/a%00b",
            "/ke-hoach//x/",
            "relative",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(bad, "/", &files), Target::BadRequest, "{bad}");
        }
    }

    #[test]
    fn decoding_happens_once() {
        // `%252e%252e` is the literal name `%2e%2e`, which is no file of the site.
        assert_eq!(
            resolve("/%252e%252e/site.toml", "/", &site()),
            Target::NotFound
        );
    }

    #[test]
    fn sources_are_not_outputs() {
        let files = site();
        assert_eq!(resolve("/site.toml", "/", &files), Target::NotFound);
        assert_eq!(
            resolve("/content/plans/2023/182-kh-gddt-nha-be.md", "/", &files),
            Target::NotFound
        );
    }
}
