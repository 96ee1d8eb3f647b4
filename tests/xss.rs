//! HTML safety (issue 8): XSS payloads in every front-matter string field of every type, and
//! hostile raw HTML and URLs in every Markdown body, never reach a reader as markup. Every output
//! file (pages, feeds, sitemap, search index) is walked and checked.
//!
//! The opt-out: `unsafe_html = true` in `site.toml` keeps the raw HTML of Markdown bodies as
//! written (for portals whose authors are all trusted), but front-matter values are still escaped
//! and `javascript:` links written in Markdown are still dropped.

use std::fs;
use std::path::{Path, PathBuf};

use sangtao::text::dates::Date;
use sangtao::BuildOptions;

/// One string carrying every payload of the brief; it goes into every front-matter string field.
const P: &str =
    "X <script>alert(1)</script> \"><img src=x onerror=alert(1)> 'onmouseover='alert(1) \
                 </script><script>alert(1)</script> ]]> <!-- javascript:alert(1) &amp; &lt;b&gt;";

/// The hostile Markdown body of every entry, page and unit description.
const BODY: &str = r#"Đoạn mở đầu an toàn.

[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](  javascript:alert(1)) [d](<javascript:alert(1)>)
[e](&#106;avascript:alert(1)) [f](java&#x09;script:alert(1)) ![g](javascript:alert(1))

<a href="javascript:alert(1)">raw link</a> <a href=" JAVASCRIPT:alert(1)">raw link 2</a>

<a href="data:text/html,<script>alert(1)</script>">data link</a>

<script>alert(1)</script>

<iframe src="https://evil.example/"></iframe>

<img src="x" onerror="alert(1)"> <img src=x onerror=alert(1)//>

<svg onload="alert(1)"><circle r="1"/></svg>

<style>body { background: url("javascript:alert(1)") }</style>

<p onmouseover='alert(1)' style="x">hover</p>

<div><object data="x.swf"></object><embed src="x.swf"><form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form></div>

</script><script>alert(1)</script>

<!-- a comment --> ]]> <![CDATA[ x ]]>

Văn bản `<script>alert(1)</script>` trong mã.
"#;

/// A TOML basic string holding `s`.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The payload with a distinguishing prefix, so each entry's feed item can be found.
fn p(prefix: &str) -> String {
    format!("{prefix} {P}")
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Writes the hostile site into `root`.
fn hostile_site(root: &Path, unsafe_html: bool) {
    let mut site = format!(
        "title = {}\ndescription = {}\nbase_url = \"https://example.edu.vn/cong/\"\nowner = \"so\"\n",
        q(&p("Site")),
        q(&p("Mô tả")),
    );
    if unsafe_html {
        site.push_str("unsafe_html = true\n");
    }
    write(root, "site.toml", &site);

    write(
        root,
        "content/units/so.toml",
        &format!(
            "name = {}\nshort_name = {}\nkind = \"so\"\nwebsite = {}\nemail = {}\nphone = {}\naddress = {}\ndescription = {}\n",
            q(&p("Sở")),
            q(&p("SGD")),
            q("\"><img src=x onerror=alert(1)>"),
            q(&p("mail")),
            q(&p("phone")),
            q(&p("address")),
            q(&format!("{P}\n\n{BODY}")),
        ),
    );
    for (slug, website) in [
        ("truong", "javascript:alert(1)"),
        ("truong-2", "  JaVaScRiPt:alert(1)"),
        ("truong-3", "java\tscript:alert(1)"),
        ("truong-4", "data:text/html,<script>alert(1)</script>"),
    ] {
        write(
            root,
            &format!("content/units/{slug}.toml"),
            &format!(
                "name = {}\nshort_name = {}\nkind = \"truong\"\nparent = \"so\"\nwebsite = {}\nemail = {}\nphone = {}\naddress = {}\ndescription = {}\n",
                q(&p(&format!("Trường {slug}"))),
                q(&p(&format!("TH {slug}"))),
                q(website),
                q(P),
                q(P),
                q(P),
                q(&format!("{P}\n\n{BODY}")),
            ),
        );
    }

    write(root, "content/plans/2024/kh.pdf", "%PDF-1.4 x");
    write(
        root,
        "content/plans/2024/kh.md",
        &format!(
            r#"+++
title = {title}
number = "1/KH-SO"
issuer = "truong"
issued = 2024-01-10
place = {p}
signer = {{ name = {p}, title = {p}, authority = {p} }}
basis = [{p}, "Căn cứ 1/KH-SO của Sở"]
recipients = ["truong", {p}, {{ unit = "so", note = {p} }}, {{ unit = {p}, note = {p} }}]
tags = [{p}, "STEM"]
attachments = [{{ path = "kh.pdf", title = {p} }}]
summary = {p}

[[tasks]]
title = {p}
lead = ["truong", {p}]
partners = [{{ unit = {p}, note = {p} }}]
timeline = {p}
description = {desc}
+++
{BODY}"#,
            title = q(&p("Plan")),
            p = q(P),
            desc = q(&format!(
                "{P} [x](javascript:alert(1)) <script>alert(1)</script>"
            )),
        ),
    );
    // A second plan with a hostile number (the plan number is a front-matter string too).
    write(
        root,
        "content/plans/2024/kh-2.md",
        &format!(
            "+++\ntitle = {}\nnumber = {}\nissuer = \"so\"\nissued = 2024-02-10\n+++\n{BODY}",
            q(&p("Plan2")),
            q(&p("9/KH")),
        ),
    );

    write(root, "content/solutions/2024/anh.png", "png");
    write(
        root,
        "content/solutions/2024/gp.md",
        &format!(
            r#"+++
title = {title}
date = 2024-06-01
unit = "truong"
authors = [{p}, {p}]
field = {p}
status = "ap-dung"
applied_in = ["truong-2", {p}]
related = ["1/KH-SO", "plans/2024/kh-2"]
tags = [{p}]
attachments = [{{ path = "anh.png", title = {p} }}]
summary = {p}
image = "anh.png"

[award]
name = {p}
year = 2024
level = {p}
organizer = "so"
decision = {p}
+++
{BODY}"#,
            title = q(&p("Solution")),
            p = q(P),
        ),
    );

    write(
        root,
        "content/news/2024/tin.md",
        &format!(
            r#"+++
title = {title}
date = 2024-07-01
units = ["truong", {p}]
tags = [{p}, "STEM"]
related = ["1/KH-SO"]
summary = {p}
+++
{BODY}"#,
            title = q(&p("News")),
            p = q(P),
        ),
    );
    // A news item without a summary: the first paragraph (hostile) becomes the summary.
    write(
        root,
        "content/news/2024/tin-2.md",
        &format!(
            "+++\ntitle = {}\ndate = 2024-07-02\nunits = [\"truong-3\", \"truong-4\"]\n+++\n\
             <b onmouseover=alert(1)>Đậm</b> <script>alert(1)</script> [a](javascript:alert(1))\n\n{BODY}",
            q(&p("News2")),
        ),
    );

    write(
        root,
        "content/pages/gioi-thieu.md",
        &format!(
            "+++\ntitle = {}\nsummary = {}\norder = 1\n+++\n{BODY}",
            q(&p("Page")),
            q(P),
        ),
    );
}

/// Builds the site at `root` into `out`, panicking with the diagnostics on failure.
fn build(root: &Path, out: &Path) {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
        now: Date::new(2026, 11, 25).unwrap(),
        drafts: false,
    };
    match sangtao::build(&opts) {
        Ok(_) => {}
        Err(sangtao::BuildError::Content(d)) => panic!(
            "{}",
            sangtao::diagnostics::render_human(&d, sangtao::text::dates::Lang::En, false)
        ),
        Err(e) => panic!("{e}"),
    }
}

/// Writes the hostile site into a temporary folder and builds it; returns the folder (which
/// holds both) and the output.
fn build_hostile(unsafe_html: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    hostile_site(&root, unsafe_html);
    let out = dir.path().join("public");
    build(&root, &out);
    (dir, out)
}

/// Every output file, relative path and bytes.
fn files(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(out).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            v.push((rel, fs::read(e.path()).unwrap()));
        }
    }
    v
}

/// One start tag: its lowercased name and its attributes (lowercased names, raw values).
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
    /// The text of the tag as written, for messages.
    raw: String,
}

/// A rough HTML tokenizer that sees what a browser would: start tags with their attributes,
/// skipping comments and the raw text of `<script>`, `<style>`, `<textarea>` and `<title>`.
/// Returns the tags and the comments.
fn scan(html: &str) -> (Vec<Tag>, Vec<String>) {
    let b = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let mut tags = Vec::new();
    let mut comments = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        i = start + 1;
        if html[start..].starts_with("<!--") {
            let end = html[start + 4..]
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
            comments.push(html[start..end].to_string());
            i = end;
            continue;
        }
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let mut j = i;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
            j += 1;
        }
        let name = lower[i..j].to_string();
        let mut attrs = Vec::new();
        loop {
            while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let a = j;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'=' {
                j += 1;
            }
            let attr = lower[a..j].to_string();
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < b.len() && (b[j] == b'"' || b[j] == b'\'') {
                    let quote = b[j];
                    let v = j + 1;
                    j = v;
                    while j < b.len() && b[j] != quote {
                        j += 1;
                    }
                    value = html[v..j.min(b.len())].to_string();
                    j += 1;
                } else {
                    let v = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = html[v..j].to_string();
                }
            }
            attrs.push((attr, value));
        }
        let end = (j + 1).min(html.len());
        let raw = html[start..end].to_string();
        i = end;
        if ["script", "style", "textarea", "title", "xmp", "noscript"].contains(&name.as_str()) {
            let close = format!("</{name}");
            i = lower[i..].find(&close).map_or(html.len(), |e| i + e);
        }
        tags.push(Tag { name, attrs, raw });
    }
    (tags, comments)
}

/// Decodes the character references a browser decodes in an attribute value (enough of them to
/// see through `&#106;avascript:`), then drops whitespace and control characters, lowercased.
fn normalised_url(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = if let Some(hex) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = ent.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match ent {
                    "colon" => Some(':'),
                    "tab" => Some('\t'),
                    "newline" => Some('\n'),
                    "amp" => Some('&'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    _ => None,
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "srcset",
];

/// The theme's own scripts (by `src` file name); nothing else may be a `<script>`.
const THEME_SCRIPTS: &[&str] = &["search.js", "print.js"];

/// The theme's own inline event handlers (attribute, value): none (the print button is wired by
/// print.js), so no `on*` attribute may appear at all.
const THEME_HANDLERS: &[(&str, &str)] = &[];

/// Problems found in one HTML file.
fn html_problems(rel: &str, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let lower = html.to_ascii_lowercase();
    if lower.contains("<script>alert") {
        problems.push(format!("{rel}: contains <script>alert"));
    }
    let (tags, comments) = scan(html);
    for c in comments {
        if c.contains("alert") {
            problems.push(format!("{rel}: a comment swallowed content: {c}"));
        }
    }
    for t in &tags {
        match t.name.as_str() {
            "iframe" | "frame" | "frameset" | "object" | "embed" | "svg" | "math" | "style"
            | "base" => {
                problems.push(format!("{rel}: forbidden tag {}", t.raw));
            }
            "meta" if t.attrs.iter().any(|(n, _)| n == "http-equiv") => {
                problems.push(format!("{rel}: meta http-equiv {}", t.raw));
            }
            "script" => {
                let src = t
                    .attrs
                    .iter()
                    .find(|(n, _)| n == "src")
                    .map(|(_, v)| v.as_str());
                let ok = src.is_some_and(|s| {
                    THEME_SCRIPTS
                        .iter()
                        .any(|w| s.rsplit('/').next() == Some(*w))
                });
                if !ok {
                    problems.push(format!(
                        "{rel}: a script that is not the theme's: {}",
                        t.raw
                    ));
                }
            }
            _ => {}
        }
        for (name, value) in &t.attrs {
            if name.starts_with("on") && !THEME_HANDLERS.contains(&(name.as_str(), value.as_str()))
            {
                problems.push(format!("{rel}: event handler attribute in {}", t.raw));
            }
            if name == "style" && value.to_ascii_lowercase().contains("javascript") {
                problems.push(format!("{rel}: style with javascript in {}", t.raw));
            }
            if URL_ATTRS.contains(&name.as_str()) {
                let url = normalised_url(value);
                let script = ["javascript:", "vbscript:"]
                    .iter()
                    .any(|s| url.starts_with(s) || url.contains(&format!(",{s}")));
                // `data:` URLs: only the theme's empty favicon (`data:,`) is allowed.
                let data = url.starts_with("data:") && url != "data:,";
                if script || data {
                    problems.push(format!("{rel}: unsafe URL in {}", t.raw));
                }
            }
            // An attribute name holding payload text means the value broke out of its quotes.
            if name.contains("alert") || name.contains('<') || name.contains('"') {
                problems.push(format!("{rel}: attribute break-out in {}", t.raw));
            }
        }
        if t.name.contains("alert") {
            problems.push(format!("{rel}: tag name from payload {}", t.raw));
        }
    }
    // Whitespace-tolerant, case-insensitive textual checks too (text escapes `<` and `"`, so
    // these never appear legitimately).
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    for bad in [
        "href=\"javascript:",
        "src=\"javascript:",
        "href='javascript:",
        "href=javascript:",
        "<iframe",
    ] {
        if squeezed.contains(bad) {
            problems.push(format!("{rel}: contains {bad}"));
        }
    }
    problems
}

fn assert_html_safe(out: &Path) -> usize {
    let mut problems = Vec::new();
    let mut n = 0;
    for (rel, bytes) in files(out) {
        if rel.ends_with(".html") {
            n += 1;
            let html = String::from_utf8(bytes).unwrap();
            problems.extend(html_problems(&rel, &html));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    n
}

#[test]
fn no_payload_survives_as_markup_in_any_html_page() {
    let (_d, out) = build_hostile(false);
    let n = assert_html_safe(&out);
    assert!(n >= 15, "only {n} HTML files");
    // The payload is there, as text.
    let html = fs::read_to_string(out.join("tin-tuc/2024/tin/index.html")).unwrap();
    assert!(
        html.contains("News X &lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is not shown as escaped text"
    );
    // Every field reached its page, as escaped text (lower bounds: the theme shows most fields
    // more than once).
    for (rel, at_least) in [
        ("ke-hoach/2024/kh/index.html", 20),
        ("ke-hoach/2024/kh-2/index.html", 3),
        ("giai-phap/2024/gp/index.html", 20),
        ("tin-tuc/2024/tin/index.html", 10),
        ("gioi-thieu/index.html", 5),
        ("don-vi/so/index.html", 20),
        ("don-vi/truong/index.html", 20),
        ("index.html", 10),
    ] {
        let html = fs::read_to_string(out.join(rel)).unwrap();
        let n = html
            .matches("X &lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror")
            .count();
        assert!(n >= at_least, "{rel}: the payload shows {n} times");
    }
    // The theme's own search script is still there.
    let search = fs::read_to_string(out.join("tim-kiem/index.html")).unwrap();
    assert!(search.contains("search.js"));
}

#[test]
fn the_scanner_catches_what_it_should() {
    // The checks themselves, on markup that must fail them.
    for bad in [
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">",
        "<a href=\" JaVaScRiPt:alert(1)\">",
        "<a href=\"&#106;avascript:alert(1)\">",
        "<a href=\"java&#x09;script:alert(1)\">",
        "<script>alert(1)</script>",
        "<script src=\"https://evil/x.js\"></script>",
        "<iframe src=x></iframe>",
        "<svg onload=alert(1)>",
        "<p title=\"\"><img src=x onerror=alert(1)>\">",
        "<p title='x' onmouseover='alert(1)'>",
        "<a href=\"data:text/html,x\">",
        "<!-- <p>alert</p>",
    ] {
        assert!(!html_problems("t", bad).is_empty(), "not caught: {bad}");
    }
    for good in [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &quot;&gt;&lt;img src=x onerror=alert(1)&gt;</p>",
        "<p title=\"&#39;onmouseover=&#39;alert(1)\">x</p>",
        "<script src=\"/cong/search.js\" defer></script>",
        "<link rel=\"icon\" href=\"data:,\">",
        "<a href=\"#\">a</a><a href=\"https://example.edu.vn/\">b</a>",
    ] {
        assert!(
            html_problems("t", good).is_empty(),
            "false alarm on {good}: {:?}",
            html_problems("t", good)
        );
    }
}

/// Text-level checks of one feed's bytes, then an independent parse.
fn check_feed(rel: &str, bytes: &[u8], problems: &mut Vec<String>) -> Option<feed_rs::model::Feed> {
    let text = String::from_utf8_lossy(bytes);
    let lower = text.to_ascii_lowercase();
    if lower.contains("<script") || lower.contains("<img") || lower.contains("<iframe") {
        problems.push(format!("{rel}: raw markup in the XML"));
    }
    match feed_rs::parser::parse(bytes) {
        Ok(feed) => {
            // Every HTML payload a reader would render (content, summary) is itself safe HTML.
            for e in &feed.entries {
                let mut htmls = Vec::new();
                if let Some(c) = e.content.as_ref().and_then(|c| c.body.clone()) {
                    htmls.push(c);
                }
                if let Some(s) = &e.summary {
                    if s.content_type.essence().to_string().contains("html") {
                        htmls.push(s.content.clone());
                    }
                }
                for h in htmls {
                    for p in html_problems(&format!("{rel} ({})", e.id), &h) {
                        problems.push(p);
                    }
                }
            }
            Some(feed)
        }
        Err(e) => {
            problems.push(format!("{rel}: does not parse: {e}"));
            None
        }
    }
}

#[test]
fn feeds_parse_and_carry_the_payload_as_text() {
    let (_d, out) = build_hostile(false);
    let mut problems = Vec::new();
    let mut feeds = 0;
    for (rel, bytes) in files(&out) {
        if !(rel.ends_with("atom.xml") || rel.ends_with("rss.xml")) {
            continue;
        }
        feeds += 1;
        let Some(feed) = check_feed(&rel, &bytes, &mut problems) else {
            continue;
        };
        // The channel description is HTML for RSS readers: safe HTML.
        if let Some(d) = &feed.description {
            if d.content_type.essence().to_string().contains("html") {
                problems.extend(html_problems(&format!("{rel} (description)"), &d.content));
            }
        }
        // The feed's own title comes from site.toml (or a unit's name): text, intact.
        let title = feed
            .title
            .as_ref()
            .map(|t| t.content.clone())
            .unwrap_or_default();
        if !title.contains(P) {
            problems.push(format!("{rel}: feed title {title:?} lost the payload"));
        }
        for e in &feed.entries {
            let t = e
                .title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default();
            if !t.contains(P) {
                problems.push(format!("{rel}: entry title {t:?} lost the payload"));
            }
        }
    }
    assert!(feeds >= 9, "only {feeds} feeds");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The site feed has the four entries, each title exactly the payload (as text).
    let atom = feed_rs::parser::parse(&fs::read(out.join("atom.xml")).unwrap()[..]).unwrap();
    let titles: Vec<String> = atom
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    for want in [
        format!("1/KH-SO: Plan {P}"),
        format!("Solution {P}"),
        format!("News {P}"),
        format!("News2 {P}"),
    ] {
        assert!(titles.contains(&want), "{want:?} not in {titles:?}");
    }
    let rss = feed_rs::parser::parse(&fs::read(out.join("rss.xml")).unwrap()[..]).unwrap();
    assert!(rss
        .entries
        .iter()
        .any(|e| e.title.as_ref().unwrap().content == format!("News {P}")));
    // Categories (tags, units) are text too.
    let news = atom
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == format!("News {P}"))
        .unwrap();
    assert!(
        news.categories.iter().any(|c| c.term == P),
        "{:?}",
        news.categories
    );
}

#[test]
fn sitemap_is_plain_urls() {
    let (_d, out) = build_hostile(false);
    let text = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let (tags, comments) = scan(&text);
    assert!(comments.is_empty(), "{comments:?}");
    for t in tags {
        assert!(
            ["?xml", "urlset", "url", "loc", "lastmod"].contains(&t.name.as_str()),
            "unexpected tag in the sitemap: {}",
            t.raw
        );
    }
    // Every URL is the base URL and slugs (the hostile tag became a harmless slug).
    for line in text.lines().filter(|l| l.contains("<loc>")) {
        let loc = &line[line.find("<loc>").unwrap() + 5..line.find("</loc>").unwrap()];
        let path = loc
            .strip_prefix("https://example.edu.vn/cong/")
            .unwrap_or_else(|| panic!("{loc}"));
        assert!(
            path.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '/'),
            "{loc}"
        );
    }
    assert!(text.contains("/chu-de/x-script-alert-1-script-img-src-x-onerror"));
}

#[test]
fn search_index_parses_and_has_no_script_break_out() {
    let (_d, out) = build_hostile(false);
    let mut n = 0;
    let mut found_payload = false;
    let mut problems = Vec::new();
    for (rel, bytes) in files(&out) {
        if !rel.starts_with("search/") {
            continue;
        }
        n += 1;
        let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{rel}: not UTF-8"));
        if rel.ends_with(".json") {
            let v: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            found_payload |= v.to_string().contains("<script>alert(1)</script>");
        }
        let lower = text.to_ascii_lowercase();
        for bad in ["</script", "<script", "<!--"] {
            if lower.contains(bad) {
                problems.push(format!("{rel}: contains raw {bad}"));
            }
        }
    }
    assert!(n > 0, "no search files");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(
        found_payload,
        "the payload is not in the index as (escaped) text"
    );
}

#[test]
fn unsafe_html_keeps_raw_body_html_but_still_escapes_front_matter() {
    let (_d, out) = build_hostile(true);
    let html = fs::read_to_string(out.join("tin-tuc/2024/tin/index.html")).unwrap();
    // The opt-out keeps the author's raw HTML as written.
    assert!(html.contains("<iframe src=\"https://evil.example/\"></iframe>"));
    assert!(html.contains("<svg onload=\"alert(1)\">"));
    // Front-matter values are still escaped: the title is text.
    assert!(html.contains("News X &lt;script&gt;alert(1)&lt;/script&gt;"));
    let main = &html[html.find("<main").unwrap()..];
    let head = &html[..html.find("<main").unwrap()];
    assert!(
        html_problems("head", head).is_empty(),
        "{:?}",
        html_problems("head", head)
    );
    // Markdown links with script URLs are still dropped.
    for bad in [
        "](javascript",
        "href=\"javascript:alert(1)\">a<",
        "href=\"  javascript",
    ] {
        assert!(!main.contains(bad), "{bad}");
    }
    // Feeds still parse and keep titles as text.
    let atom = feed_rs::parser::parse(&fs::read(out.join("atom.xml")).unwrap()[..]).unwrap();
    assert!(atom
        .entries
        .iter()
        .any(|e| e.title.as_ref().unwrap().content == format!("News {P}")));
    // Pages whose only hostile content is front matter stay clean: listings, the unit
    // directory, topics, search, home and feeds of titles.
    for rel in [
        "index.html",
        "tin-tuc/index.html",
        "ke-hoach/index.html",
        "giai-phap/index.html",
        "don-vi/index.html",
        "chu-de/index.html",
        "tim-kiem/index.html",
    ] {
        let html = fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let problems = html_problems(rel, &html);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
