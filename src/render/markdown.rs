//! Markdown to HTML (pulldown-cmark): heading ids, plan numbers linked, site links resolved,
//! unsafe URLs dropped and raw HTML sanitised (ammonia); also the plain text for search and the
//! links and images that `check` verifies.

use std::collections::HashSet;
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::render::numbers::NumberLinker;

/// A link or image found in a body, with the line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRef {
    /// The destination as written.
    pub dest: String,
    pub line: usize,
    /// 1-based character column of the link's first character (`[` or `!`) on its line.
    pub column: usize,
    pub is_image: bool,
    /// For images: whether alt text is missing.
    pub missing_alt: bool,
}

/// A rendered Markdown body.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the body, for search and summaries.
    pub text: String,
    /// Plain text of the first paragraph.
    pub first_paragraph: String,
    pub links: Vec<LinkRef>,
    /// Ids of the headings, for `#anchor` checks.
    pub ids: Vec<String>,
}

/// How to rewrite link destinations that point inside the site.
pub trait LinkResolver {
    /// The root-relative URL (with base path) of a relative or `/`-rooted destination, or None to
    /// keep it as written.
    fn resolve(&self, dest: &str) -> Option<String>;
}

/// Options of one render.
pub struct MarkdownOptions<'a> {
    pub numbers: Option<&'a NumberLinker>,
    pub links: Option<&'a dyn LinkResolver>,
    pub unsafe_html: bool,
    /// 1-based line of the body's first line in its file.
    pub first_line: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// True for URLs that must never reach a page: script and data schemes.
pub fn is_unsafe_url(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|s| cleaned.starts_with(s))
}

/// Renders a Markdown body.
pub fn render(src: &str, opts: &MarkdownOptions<'_>) -> Rendered {
    // Sized from the source up front: growing these on every body cost more than the parse.
    let mut out = Rendered {
        text: String::with_capacity(src.len()),
        ..Rendered::default()
    };
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut has_raw_html = false;
    let mut events: Vec<Event<'_>> = Vec::with_capacity(src.len() / 16 + 16);
    let mut link_depth = 0usize;
    let mut code_depth = 0usize;
    let mut paragraph_no = 0usize;
    let mut in_first_paragraph = false;
    let mut heading: Option<(usize, Vec<Event<'_>>, String)> = None;
    let mut image: Option<(usize, usize, String)> = None;
    let line_of =
        |offset: usize| opts.first_line + src[..offset.min(src.len())].matches('\n').count();
    let column_of = |offset: usize| {
        let before = src.get(..offset).unwrap_or(src);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        before[line_start..].chars().count() + 1
    };

    for (event, range) in Parser::new_ext(src, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some((
                    events.len(),
                    Vec::new(),
                    id.map(|i| i.to_string()).unwrap_or_default(),
                ));
                let _ = (classes, attrs);
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes: vec![],
                    attrs: vec![],
                }));
                continue;
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, inner, explicit)) = heading.take() {
                    let text: String = inner
                        .iter()
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                            _ => None,
                        })
                        .collect();
                    let base = if explicit.is_empty() {
                        crate::text::slugify(&text)
                    } else {
                        explicit
                    };
                    let id = unique_id(
                        if base.is_empty() { "muc".into() } else { base },
                        &mut used_ids,
                    );
                    out.ids.push(id.clone());
                    events[start] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id)),
                        classes: vec![],
                        attrs: vec![],
                    });
                    push_text_sep(&mut out.text);
                    out.text.push_str(&text);
                    push_text_sep(&mut out.text);
                    events.extend(inner);
                }
                events.push(Event::End(TagEnd::Heading(level)));
                continue;
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                link_depth += 1;
                out.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    line: line_of(range.start),
                    column: column_of(range.start),
                    is_image: false,
                    missing_alt: false,
                });
                let dest = rewrite_url(&dest_url, opts);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                Event::End(TagEnd::Link)
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                image = Some((
                    line_of(range.start),
                    column_of(range.start),
                    dest_url.to_string(),
                ));
                let dest = rewrite_url(&dest_url, opts);
                link_depth += 1;
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                link_depth = link_depth.saturating_sub(1);
                if let Some((line, column, dest)) = image.take() {
                    // The alt text is the text events since the image started.
                    let alt_empty = match events
                        .iter()
                        .rposition(|e| matches!(e, Event::Start(Tag::Image { .. })))
                    {
                        Some(i) => events[i + 1..].iter().all(|e| match e {
                            Event::Text(t) => t.trim().is_empty(),
                            _ => true,
                        }),
                        None => true,
                    };
                    out.links.push(LinkRef {
                        dest,
                        line,
                        column,
                        is_image: true,
                        missing_alt: alt_empty,
                    });
                }
                Event::End(TagEnd::Image)
            }
            Event::Start(Tag::CodeBlock(k)) => {
                code_depth += 1;
                Event::Start(Tag::CodeBlock(k))
            }
            Event::End(TagEnd::CodeBlock) => {
                code_depth = code_depth.saturating_sub(1);
                Event::End(TagEnd::CodeBlock)
            }
            Event::Start(Tag::Paragraph) => {
                paragraph_no += 1;
                in_first_paragraph = paragraph_no == 1 && heading.is_none();
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                in_first_paragraph = false;
                push_text_sep(&mut out.text);
                Event::End(TagEnd::Paragraph)
            }
            Event::Html(h) => {
                has_raw_html = true;
                Event::Html(h)
            }
            Event::InlineHtml(h) => {
                has_raw_html = true;
                Event::InlineHtml(h)
            }
            Event::SoftBreak | Event::HardBreak => {
                if in_first_paragraph {
                    out.first_paragraph.push(' ');
                }
                out.text.push(' ');
                event
            }
            Event::Text(t) => {
                if heading.is_none() {
                    out.text.push_str(&t);
                    if in_first_paragraph {
                        out.first_paragraph.push_str(&t);
                    }
                }
                let linked = if link_depth == 0 && code_depth == 0 {
                    opts.numbers.and_then(|n| n.link_text(&t))
                } else {
                    None
                };
                match linked {
                    Some(html) => Event::InlineHtml(CowStr::from(html)),
                    None => Event::Text(t),
                }
            }
            Event::Code(t) => {
                if heading.is_none() {
                    out.text.push_str(&t);
                    if in_first_paragraph {
                        out.first_paragraph.push_str(&t);
                    }
                }
                Event::Code(t)
            }
            other => other,
        };
        match &mut heading {
            Some((_, inner, _)) => inner.push(event),
            None => events.push(event),
        }
    }
    let mut html = String::with_capacity(src.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = if has_raw_html && !opts.unsafe_html {
        sanitizer().clean(&html).to_string()
    } else if html.capacity() - html.len() > html.len() / 8 {
        // The room above is for the largest bodies; a typical body's HTML is about its
        // source's size. A build keeps every body's HTML until its page renders, so it is kept
        // at its size, not the estimate's: the room left over was 24 of 83 MB on the 10k
        // corpus. (The sanitiser's output above is a string of its own already.)
        html.as_str().to_owned()
    } else {
        html
    };
    out.text = collapse_whitespace(&out.text);
    out.first_paragraph = out.first_paragraph.trim().to_string();
    out
}

/// The words of `s` joined by single spaces (what `split_whitespace` and `join(" ")` give).
/// Works on the bytes: a word is skipped over byte by byte with one table lookup each, and only
/// a byte that may start a Unicode space (U+0085, U+00A0, U+1680, U+2000-U+205F, U+3000) makes
/// a char be decoded; continuation bytes never can, so Vietnamese letters pass as plain bytes.
fn collapse_whitespace(s: &str) -> String {
    // 0: part of a word; 1: ASCII whitespace; 2: the first byte of a char that may be a space.
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        t[b'\t' as usize] = 1;
        t[b'\n' as usize] = 1;
        t[0x0b] = 1;
        t[0x0c] = 1;
        t[b'\r' as usize] = 1;
        t[b' ' as usize] = 1;
        t[0xc2] = 2;
        t[0xe1] = 2;
        t[0xe2] = 2;
        t[0xe3] = 2;
        t
    };
    let b = s.as_bytes();
    // The length of the whitespace char at `i`, if it is one: Unicode's White_Space set
    // (what `char::is_whitespace` says), told from the bytes.
    let space_at = |i: usize| -> Option<usize> {
        let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match CLASS[b[i] as usize] {
            1 => Some(1),
            2 => match (b[i], at(1), at(2)) {
                (0xc2, 0x85 | 0xa0, _) => Some(2),
                (0xe1, 0x9a, 0x80) | (0xe3, 0x80, 0x80) => Some(3),
                (0xe2, 0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf) | (0xe2, 0x81, 0x9f) => Some(3),
                _ => None,
            },
            _ => None,
        }
    };
    let n = b.len();
    let skip_spaces = |mut i: usize| {
        while i < n {
            match space_at(i) {
                Some(len) => i += len,
                None => break,
            }
        }
        i
    };
    // Text is mostly collapsed already: it is copied in runs, cut only where whitespace is
    // not a single space between two words.
    let mut out = String::with_capacity(n);
    let mut i = skip_spaces(0);
    let mut run = i;
    while i < n {
        i = skip_plain(b, i);
        if i >= n {
            break;
        }
        if CLASS[b[i] as usize] == 0 {
            i += 1;
            continue;
        }
        match space_at(i) {
            // The first byte of a char that is no space; its other bytes are class 0.
            None => i += 1,
            // One space after a word (runs of whitespace are skipped whole) and before another.
            Some(_) if b[i] == b' ' && i + 1 < n && space_at(i + 1).is_none() => i += 1,
            Some(len) => {
                out.push_str(&s[run..i]);
                i = skip_spaces(i + len);
                if i < n {
                    out.push(' ');
                }
                run = i;
            }
        }
    }
    out.push_str(&s[run..]);
    out
}

/// The first position from `i` on where [`collapse_whitespace`] must look at the bytes one by
/// one, found 16 bytes at a time: a byte that may start whitespace other than a space, or a
/// space that whitespace may follow. Every other byte is part of a word or a single space
/// between two words, which is copied as it is. Near the end of `b` it returns `i`.
#[inline]
fn skip_plain(b: &[u8], mut i: usize) -> usize {
    use crate::text::bytes::load16;
    use wide::u8x16;
    let s = u8x16::splat;
    let at = |k: usize| load16(b, k);
    // A byte that may start whitespace: `\t` to `\r`, and the first bytes of U+0085, U+00A0
    // (`C2`), U+1680 (`E1 9A`), U+2000..U+205F (`E2`) and U+3000 (`E3`).
    let special = |x: u8x16, next: u8x16| {
        let ctrl = x - s(b'\t');
        ctrl.min(s(4)).cmp_eq(ctrl)
            | x.cmp_eq(s(0xc2))
            | x.cmp_eq(s(0xe1)) & next.cmp_eq(s(0x9a))
            | x.cmp_eq(s(0xe2))
            | x.cmp_eq(s(0xe3))
    };
    while i + 18 <= b.len() {
        let (v, n1, n2) = (at(i), at(i + 1), at(i + 2));
        let stop = special(v, n1) | v.cmp_eq(s(b' ')) & (n1.cmp_eq(s(b' ')) | special(n1, n2));
        let m = stop.move_mask();
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    i
}

fn push_text_sep(s: &mut String) {
    if !s.is_empty() && !s.ends_with(' ') {
        s.push(' ');
    }
}

fn unique_id(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !used.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

fn rewrite_url<'a>(dest: &CowStr<'a>, opts: &MarkdownOptions<'_>) -> CowStr<'a> {
    if is_unsafe_url(dest) {
        return CowStr::from("#");
    }
    if let Some(r) = opts.links.and_then(|l| l.resolve(dest)) {
        return CowStr::from(r);
    }
    dest.clone()
}

/// The sanitiser for raw HTML: ammonia's safe defaults, plus `id` attributes for anchors.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static B: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    B.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.add_generic_attributes(["id"]);
        b.add_tag_attributes("td", ["style"]);
        b.rm_tag_attributes("td", ["style"]);
        b.link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Sanitises an HTML fragment written by an author (used for front-matter Markdown too).
pub fn sanitize(html: &str) -> String {
    sanitizer().clean(html).to_string()
}

/// Renders a short Markdown string (unit descriptions, task descriptions).
pub fn render_inline_doc(src: &str, unsafe_html: bool) -> String {
    render(
        src,
        &MarkdownOptions {
            numbers: None,
            links: None,
            unsafe_html,
            first_line: 1,
        },
    )
    .html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_whitespace_is_split_whitespace_joined() {
        // Every White_Space char, and chars that share their first bytes but are not spaces.
        let pieces: Vec<char> = "\t\n\u{b}\u{c}\r \u{85}\u{a0}\u{1680}\u{2000}\u{2005}\u{200a}\
             \u{2028}\u{2029}\u{202f}\u{205f}\u{3000}\u{80}\u{a9}\u{1681}\u{200b}\u{20ac}\
             \u{3001}ẫđĐaZ9\u{10348}\u{1ea0}"
            .chars()
            .collect();
        let mut next = crate::testing::lcg(12345);
        for _ in 0..2000 {
            let mut s = String::new();
            // The top four bits of the state: up to 15 pieces.
            for _ in 0..(next() >> 27) {
                s.push(pieces[next() % pieces.len()]);
            }
            let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(&s), expected, "{s:?}");
        }
    }

    fn plain(src: &str) -> Rendered {
        render(
            src,
            &MarkdownOptions {
                numbers: None,
                links: None,
                unsafe_html: false,
                first_line: 1,
            },
        )
    }

    #[test]
    fn headings_get_unique_slug_ids() {
        let r = plain("## I. Mục đích\n\n## I. Mục đích\n");
        assert!(
            r.html.contains("<h2 id=\"i-muc-dich\">I. Mục đích</h2>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"i-muc-dich-2\""));
        assert_eq!(r.ids, vec!["i-muc-dich", "i-muc-dich-2"]);
    }

    #[test]
    fn raw_html_is_sanitised() {
        let r = plain(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi</p>\n\n[a](javascript:alert(1))",
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
    }

    #[test]
    fn first_paragraph_and_text() {
        let r = plain("# Tiêu đề\n\nĐoạn *một*\ndòng hai.\n\nĐoạn hai.");
        assert_eq!(r.first_paragraph, "Đoạn một dòng hai.");
        assert_eq!(r.text, "Tiêu đề Đoạn một dòng hai. Đoạn hai.");
    }

    #[test]
    fn links_have_their_line_and_column() {
        let r = plain("a\n\nXem [một](/a/) và [hai](/b/).\n\n- Ảnh ![x](y.png)");
        let at: Vec<_> = r.links.iter().map(|l| (l.line, l.column)).collect();
        assert_eq!(at, vec![(3, 5), (3, 19), (5, 7)]);
    }

    #[test]
    fn images_without_alt_are_found() {
        let r = plain("a\n\n![](x.png)\n\n![Ảnh](y.png)");
        let imgs: Vec<_> = r.links.iter().filter(|l| l.is_image).collect();
        assert_eq!(imgs.len(), 2);
        assert!(imgs[0].missing_alt);
        assert_eq!(imgs[0].line, 3);
        assert_eq!(imgs[0].column, 1);
        assert!(!imgs[1].missing_alt);
    }

    /// A build holds every body's HTML until its page renders: it keeps no more room than a
    /// small share of its length (it kept the estimate's room, half the source's length again).
    #[test]
    fn the_html_keeps_little_room() {
        let src = "Đoạn văn bản thứ nhất, khá dài, để thấy phần thừa.\n\n".repeat(200);
        let r = plain(&src);
        assert!(r.html.len() > src.len() / 2);
        assert!(
            r.html.capacity() <= r.html.len() + r.html.len() / 8,
            "{} of {}",
            r.html.len(),
            r.html.capacity()
        );
    }
}
