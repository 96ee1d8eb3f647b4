//! Property-based tests (issue 8): front-matter splitting, Markdown rendering, slugs, Vietnamese
//! folding, the search index and query, and whole-site builds never panic, and keep their
//! safety invariants, on arbitrary and adversarial input.
//!
//! Cases per run (each property runs this many generated inputs every `cargo test`; failures
//! are not persisted, so a run writes nothing outside the target and temp folders):
//!
//! | property                                                        | cases per run |
//! |-----------------------------------------------------------------|--------------:|
//! | frontmatter_clean_and_split_never_panic_on_any_string           |        10 000 |
//! | frontmatter_clean_and_split_never_panic_on_fence_soup           |        10 000 |
//! | markdown_render_is_safe_on_any_string                           |         5 000 |
//! | markdown_render_is_safe_on_markdown_soup                        |         5 000 |
//! | markdown_render_is_safe_on_nested_structures                    |         2 000 |
//! | markdown_render_inline_doc_is_safe                              |         2 000 |
//! | slugify_gives_a_slug_or_nothing                                 |        10 000 |
//! | slugify_of_vietnamese_soup_gives_a_slug_or_nothing              |        10 000 |
//! | fold_and_nfc_never_panic_and_are_idempotent                     |        10 000 |
//! | search_index_and_query_never_panic (1-3 queries per case)       |           300 |
//! | whole_site_build_never_panics_and_locates_its_errors            |           128 |
//! | total                                                           |        64 428 |
//!
//! The whole file takes 6 s in a debug build on an idle 2-core machine (15 s under a load of 7).
//!
//! (The crate's own unit tests in src/text/proptests.rs add their own 256 cases per property.)

use std::panic::{catch_unwind, AssertUnwindSafe};

use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use unicode_normalization::UnicodeNormalization;

use sangtao::content::frontmatter::{clean, split};
use sangtao::render::markdown::{render, render_inline_doc, MarkdownOptions};
use sangtao::search::{build_index, query, SearchDoc, SearchUnit};
use sangtao::text::dates::Date;
use sangtao::text::slug::is_slug;
use sangtao::text::{fold, nfc, slugify};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces that make front matter interesting: fences, line endings, a BOM, NFD marks, TOML.
fn fence_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("+++".to_string()),
            Just("+++ ".to_string()),
            Just("++".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just("\r\n".to_string()),
            Just("\u{feff}".to_string()),
            Just("e\u{302}\u{301}".to_string()),
            Just("\u{301}".to_string()),
            Just("\u{323}".to_string()),
            Just("title = \"Tiêu đề\"".to_string()),
            Just("date = 2024-01-01".to_string()),
            Just(" ".to_string()),
            any::<String>(),
        ],
        0..24,
    )
    .prop_map(|v| v.concat())
}

/// Pieces of Markdown and hostile HTML.
fn markdown_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("- ".to_string()),
            Just("1. ".to_string()),
            Just("> ".to_string()),
            Just("    ".to_string()),
            Just("```".to_string()),
            Just("*".to_string()),
            Just("_".to_string()),
            Just("`".to_string()),
            Just("# ".to_string()),
            Just("[".to_string()),
            Just("](".to_string()),
            Just(")".to_string()),
            Just("![".to_string()),
            Just("<".to_string()),
            Just(">".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("&".to_string()),
            Just("|".to_string()),
            Just("[^1]".to_string()),
            Just("[^1]: ".to_string()),
            Just("{#id}".to_string()),
            Just("javascript:alert(1)".to_string()),
            Just("JaVaScRiPt:alert(1)".to_string()),
            Just("&#106;avascript:".to_string()),
            Just("java\tscript:".to_string()),
            Just(" onerror=alert(1)".to_string()),
            Just("onload=".to_string()),
            Just("<script>".to_string()),
            Just("</script>".to_string()),
            Just("<img src=x".to_string()),
            Just("<a href=\"".to_string()),
            Just("<svg".to_string()),
            Just("<iframe".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("<![CDATA[".to_string()),
            Just("<style>".to_string()),
            Just("<div>".to_string()),
            Just("</div>".to_string()),
            Just("182/KH-GDĐT".to_string()),
            "[a-zA-Zàáạđê0-9 ]{0,8}",
            any::<String>(),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// Hostile raw HTML and link fragments, as leaves of nested structures.
fn hostile_leaf() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("chữ thường".to_string()),
        Just("<script>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<svg onload=alert(1)><circle/></svg>".to_string()),
        Just("<iframe src=\"https://evil.example\"></iframe>".to_string()),
        Just("<style>*{}</style>".to_string()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
        Just("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>".to_string()),
        Just("<p onmouseover='alert(1)'>x</p>".to_string()),
        Just("<b title=\"\"><img src=x onerror=alert(1)>\">x</b>".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("[x](JaVaScRiPt:alert(1))".to_string()),
        Just("[x](  javascript:alert(1))".to_string()),
        Just("[x](<javascript:alert(1)>)".to_string()),
        Just("![x](javascript:alert(1))".to_string()),
        Just("<javascript:alert(1)>".to_string()),
        Just("[x]\n\n[x]: javascript:alert(1)".to_string()),
        Just("`<script>`".to_string()),
        Just("</script><script>alert(1)</script>".to_string()),
        Just("<div\nonclick=alert(1)>x</div>".to_string()),
        Just("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>".to_string()),
        "[a-zA-Z ]{0,10}",
    ]
}

/// Deeply nested lists, quotes and emphasis around hostile leaves.
fn nested() -> impl Strategy<Value = String> {
    hostile_leaf().prop_recursive(12, 256, 6, |inner| {
        prop_oneof![
            inner
                .clone()
                .prop_map(|s| s.lines().map(|l| format!("> {l}\n")).collect::<String>()),
            inner.clone().prop_map(|s| s
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>()
                .replacen("  ", "- ", 1)),
            inner
                .clone()
                .prop_map(|s| format!("1. {}\n", s.replace('\n', "\n   "))),
            inner.clone().prop_map(|s| format!("*{s}*")),
            inner.clone().prop_map(|s| format!("**{s}**")),
            inner.clone().prop_map(|s| format!("~~{s}~~")),
            inner
                .clone()
                .prop_map(|s| format!("[{s}](https://example.edu.vn/)")),
            inner
                .clone()
                .prop_map(|s| format!("<div>\n\n{s}\n\n</div>")),
            inner.clone().prop_map(|s| format!(
                "| a | b |\n|---|---|\n| {} | x |\n",
                s.replace(['\n', '|'], " ")
            )),
            prop::collection::vec(inner, 1..4).prop_map(|v| v.join("\n\n")),
        ]
    })
}

/// A rough start-tag scanner: (tag name, attributes) of every tag, skipping comments and the
/// raw text of `<script>`/`<style>` (which must not exist anyway).
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        i = start + 1;
        if html[start..].starts_with("<!--") {
            i = html[start + 4..]
                .find("-->")
                .map_or(html.len(), |e| start + 4 + e + 3);
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
            let mut value = String::new();
            if j < b.len() && b[j] == b'=' {
                j += 1;
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
        i = (j + 1).min(html.len());
        out.push((name, attrs));
    }
    out
}

/// A URL attribute value as a browser reads its scheme: character references decoded,
/// whitespace and controls dropped, lowercased.
fn scheme_of(value: &str) -> String {
    let mut s = value.to_string();
    for (from, to) in [
        ("&#106;", "j"),
        ("&#x6a;", "j"),
        ("&#x09;", ""),
        ("&#9;", ""),
        ("&tab;", ""),
        ("&newline;", ""),
        ("&colon;", ":"),
        ("&#58;", ":"),
        ("&#x3a;", ":"),
    ] {
        s = s.to_ascii_lowercase().replace(from, to);
    }
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The safety invariants of sanitised HTML; `Err` describes the first violation.
fn safe_html(html: &str) -> Result<(), String> {
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<iframe", "<style", "<object", "<embed"] {
        if lower.contains(bad) {
            return Err(format!("contains {bad}"));
        }
    }
    for (name, attrs) in tags(html) {
        if ["svg", "math", "base", "meta", "link", "form"].contains(&name.as_str()) {
            return Err(format!("tag <{name}>"));
        }
        for (attr, value) in attrs {
            if attr.starts_with("on") {
                return Err(format!("<{name} {attr}=...>"));
            }
            if [
                "href",
                "src",
                "xlink:href",
                "action",
                "formaction",
                "srcset",
            ]
            .contains(&attr.as_str())
            {
                let v = scheme_of(&value);
                if v.starts_with("javascript:")
                    || v.starts_with("vbscript:")
                    || v.starts_with("data:")
                {
                    return Err(format!("<{name} {attr}={value:?}>"));
                }
            }
        }
    }
    Ok(())
}

fn render_safe(src: &str) -> Result<String, String> {
    let r = render(
        src,
        &MarkdownOptions {
            numbers: None,
            links: None,
            unsafe_html: false,
            first_line: 1,
        },
    );
    safe_html(&r.html).map_err(|e| format!("{e}\nsource: {src:?}\nhtml: {}", r.html))?;
    for l in &r.links {
        if l.line < 1 {
            return Err(format!("link line {} < 1", l.line));
        }
    }
    Ok(r.html)
}

proptest! {
    #![proptest_config(config(10_000))]

    #[test]
    fn frontmatter_clean_and_split_never_panic_on_any_string(s in any::<String>()) {
        check_split(&s)?;
    }

    #[test]
    fn frontmatter_clean_and_split_never_panic_on_fence_soup(s in fence_soup()) {
        check_split(&s)?;
    }

    #[test]
    fn slugify_gives_a_slug_or_nothing(s in any::<String>()) {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_slug(&slug), "{:?} -> {:?}", s, slug);
        prop_assert_eq!(slugify(&slug), slug);
    }

    #[test]
    fn slugify_of_vietnamese_soup_gives_a_slug_or_nothing(
        s in "[a-zA-Z0-9 àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐ\u{300}\u{301}\u{303}\u{309}\u{323}\u{302}\u{306}\u{31b}🎉._/-]{0,40}"
    ) {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_slug(&slug), "{:?} -> {:?}", s, slug);
        prop_assert!(slug.is_ascii());
        let nfd: String = unicode_nfd(&s);
        prop_assert_eq!(slugify(&nfd), slug);
    }

    #[test]
    fn fold_and_nfc_never_panic_and_are_idempotent(s in prop_oneof![any::<String>(), fence_soup()]) {
        let n = nfc(&s).into_owned();
        prop_assert_eq!(nfc(&n).into_owned(), n.clone());
        let f = fold(&s);
        prop_assert_eq!(fold(&f), f.clone());
        let sf = sangtao::search::fold(&s);
        prop_assert_eq!(sangtao::search::fold(&sf), sf);
    }
}

fn unicode_nfd(s: &str) -> String {
    s.nfd().collect()
}

fn check_split(s: &str) -> Result<(), TestCaseError> {
    let cleaned = clean(s);
    prop_assert!(!cleaned.contains('\r'), "a CR survived: {:?}", cleaned);
    if !cleaned.starts_with('\u{feff}') {
        let again = clean(&cleaned).into_owned();
        prop_assert_eq!(again.as_str(), cleaned.as_ref(), "clean is not idempotent");
    }
    if let Ok(sp) = split(&cleaned) {
        prop_assert!(sp.toml_offset <= cleaned.len());
        prop_assert_eq!(
            &cleaned[sp.toml_offset..sp.toml_offset + sp.toml.len()],
            sp.toml
        );
        prop_assert!(cleaned.ends_with(sp.body));
        let body_start = cleaned.len() - sp.body.len();
        // The body's line number is right (when the body is not empty: an empty body after a
        // closing fence without a newline starts on the fence's line + 1 all the same).
        if !sp.body.is_empty() {
            prop_assert_eq!(
                sp.body_line,
                cleaned[..body_start].matches('\n').count() + 1
            );
        }
        prop_assert!(sp.body_line >= 3);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(5_000))]

    #[test]
    fn markdown_render_is_safe_on_any_string(s in any::<String>()) {
        render_safe(&s).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn markdown_render_is_safe_on_markdown_soup(s in markdown_soup()) {
        render_safe(&s).map_err(TestCaseError::fail)?;
    }
}

proptest! {
    #![proptest_config(config(2_000))]

    #[test]
    fn markdown_render_is_safe_on_nested_structures(s in nested()) {
        render_safe(&s).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn markdown_render_inline_doc_is_safe(s in prop_oneof![nested(), markdown_soup()]) {
        let html = render_inline_doc(&s, false);
        safe_html(&html).map_err(|e| TestCaseError::fail(format!("{e}\n{s:?}\n{html}")))?;
    }
}

fn search_doc() -> impl Strategy<Value = SearchDoc> {
    let text = || {
        prop_oneof![
            any::<String>(),
            "[a-zA-Zàáạđêơư0-9 /.-]{0,30}",
            markdown_soup()
        ]
    };
    (
        text(),
        text(),
        text(),
        text(),
        prop::collection::vec((("[a-z0-9-]{0,8}"), text()), 0..3),
        prop::collection::vec(text(), 0..3),
        prop_oneof![
            Just("2024-01-01".to_string()),
            Just(String::new()),
            "[0-9-]{0,12}",
            any::<String>()
        ],
        prop_oneof![
            Just("plan"),
            Just("solution"),
            Just("news"),
            Just("page"),
            Just("")
        ],
        0u32..1000,
    )
        .prop_map(
            |(title, number, summary, body_text, units, topics, date, kind, n)| SearchDoc {
                url: format!("/x/{n}/"),
                kind: kind.to_string(),
                title,
                number,
                summary,
                body_text,
                units: units
                    .into_iter()
                    .map(|(slug, name)| SearchUnit { slug, name })
                    .collect(),
                topics,
                date,
            },
        )
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn search_index_and_query_never_panic(
        docs in prop::collection::vec(search_doc(), 0..5),
        queries in prop::collection::vec(
            prop_oneof![any::<String>(), "[a-zA-Zàáạđêơư0-9 \"/.-]{0,20}", fence_soup()],
            1..4
        ),
    ) {
        // Distinct URLs, as a site has.
        let docs: Vec<SearchDoc> = docs
            .into_iter()
            .enumerate()
            .map(|(i, mut d)| {
                d.url = format!("/x/{i}/");
                d
            })
            .collect();
        let files = build_index(&docs);
        for f in &files {
            if f.path.ends_with(".json") {
                let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&f.bytes);
                prop_assert!(parsed.is_ok(), "{} is not JSON", f.path);
            }
        }
        for q in &queries {
            let r = query(&files, q);
            for u in &r.urls {
                prop_assert!(docs.iter().any(|d| &d.url == u), "unknown url {}", u);
            }
        }
        // A document's own title words find it (when it has any word at all).
        for d in &docs {
            let _ = query(&files, &d.title);
        }
    }
}

/// Optional front-matter lines of a news item (each key at most once), some of them wrong.
const KEY_LINES: &[&str] = &[
    "tags = [\"STEM\", \"Trường học xanh\", \"<b>x</b>\"]\n",
    "summary = \"<script>alert(1)</script> ]]> <!--\"\n",
    "draft = true\n",
    "related = [\"1/KH\"]\n",
    "attachments = [{ path = \"/x.png\", title = \"Ảnh\" }]\n",
    "image = \"/x.png\"\n",
    "tgas = [\"x\"]\n",
    "author = \"x\"\n",
    "draft = \"yes\"\n",
    "summary = 1\n",
];

/// Byte fragments of a news file: a valid skeleton's lines, fences, BOMs, CRs, NFD marks,
/// invalid UTF-8 and arbitrary bytes.
fn news_bytes() -> impl Strategy<Value = Vec<u8>> {
    let text = |s: &str| Just(s.as_bytes().to_vec());
    let piece = prop_oneof![
        8 => text("+++\n"),
        2 => text("+++\r\n"),
        4 => text("title = \"Tin\"\n"),
        4 => text("title = \"Tin tức mới\"\n"),
        4 => text("date = 2024-05-01\n"),
        2 => text("date = 2099-05-01\n"),
        2 => text("date = 2024-02-30\n"),
        4 => text("units = [\"u\"]\n"),
        2 => text("units = [\"khong-co\"]\n"),
        1 => text("units = []\n"),
        2 => text("tags = [\"STEM\", 1]\n"),
        2 => text("tags = [\"Trường học xanh\"]\n"),
        2 => text("draft = true\n"),
        2 => text("tgas = [\"x\"]\n"),
        2 => text("related = [\"1/KH\"]\n"),
        2 => text("summary = \"<script>alert(1)</script>\"\n"),
        2 => text("attachments = [{ path = \"../../etc/passwd\" }]\n"),
        2 => text("attachments = [{ path = \"/x.png\", title = \"Ảnh\" }]\n"),
        2 => text("image = \"/x.png\"\n"),
        1 => text("[award]\n"),
        2 => text("\u{feff}"),
        2 => text("\r"),
        6 => text("\n"),
        2 => text("e\u{302}\u{301}"),
        2 => text("\""),
        4 => text("[x](/ke-hoach/khong-co/) ![](/x.png) <script>alert(1)</script>\n"),
        4 => text("# H\n\n[a](#h) [b](#khong) [c](/tin-tuc/)\n"),
        4 => text("- a\n  - b\n    > c *d **e***\n"),
        4 => any::<String>().prop_map(String::into_bytes),
        1 => Just(b"\xff\xfe".to_vec()),
        1 => Just(b"\xc3".to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..32),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn whole_site_build_never_panics_and_locates_its_errors(
        news in prop_oneof![
            2 => news_bytes(),
            // Valid UTF-8 with a closed front matter: gets past the splitter into TOML, the
            // content model, validation, rendering and writing.
            5 => (prop::sample::subsequence(KEY_LINES, 0..KEY_LINES.len()), news_bytes())
                .prop_map(|(front, body)| {
                let mut v = b"+++\ntitle = \"T\"\ndate = 2024-05-01\nunits = [\"u\"]\n".to_vec();
                v.extend(front.concat().into_bytes());
                v.extend(b"\n+++\n");
                v.extend(String::from_utf8_lossy(&body).into_owned().into_bytes());
                v
            }),
            2 => news_bytes().prop_map(|b| {
                let mut v = b"+++\ntitle = \"T\"\ndate = 2024-05-01\nunits = [\"u\"]\n".to_vec();
                v.extend(b);
                v
            }),
            1 => prop::collection::vec(any::<u8>(), 0..256),
        ],
        file_name in prop_oneof![
            Just("tin.md".to_string()),
            Just("Tin mới 🎉.md".to_string()),
            Just("a b.md".to_string()),
        ],
    ) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let write = |rel: &str, bytes: &[u8]| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        };
        write("site.toml", b"title = \"T\"\nbase_url = \"https://example.edu.vn/\"\n");
        write("content/units/u.toml", b"name = \"U\"\nkind = \"truong\"\n");
        write("content/x.png", b"png");
        write(&format!("content/news/{file_name}"), &news);
        let now = Date::new(2026, 11, 25).unwrap();
        let out = dir.path().join("public");

        let checked = catch_unwind(AssertUnwindSafe(|| sangtao::check::check(&root, now, false)));
        prop_assert!(checked.is_ok(), "check panicked on {:?}", String::from_utf8_lossy(&news));
        for d in &checked.unwrap().diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1, "{:?}", d);
        }
        let built = catch_unwind(AssertUnwindSafe(|| {
            sangtao::build(&sangtao::BuildOptions {
                root: root.clone(),
                output: out.clone(),
                now,
                drafts: false,
            })
        }));
        prop_assert!(built.is_ok(), "build panicked on {:?}", String::from_utf8_lossy(&news));
        match built.unwrap() {
            Ok(report) => {
                prop_assert!(out.join("index.html").is_file());
                for d in &report.diagnostics {
                    prop_assert!(d.line >= 1, "{:?}", d);
                }
            }
            Err(sangtao::BuildError::Content(diags)) => {
                prop_assert!(!diags.is_empty(), "a failed build without a diagnostic");
                prop_assert!(diags.iter().any(|d| d.is_error()), "{:?}", diags);
                for d in &diags {
                    prop_assert!(d.line >= 1 && d.column >= 1, "{:?}", d);
                    prop_assert!(!d.path.is_empty(), "{:?}", d);
                }
                prop_assert!(!out.exists(), "a failed build wrote output");
            }
            Err(e) => prop_assert!(false, "output error: {}", e),
        }
    }
}
