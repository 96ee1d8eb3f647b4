//! File layout and small rules shared by the builder, the Rust query and `search.js`.

use super::token::fold;
use super::SearchDoc;
use std::fmt::Write as _;

pub(crate) const VERSION: u32 = 2;
pub(crate) const MANIFEST: &str = "search/index.json";
/// Topic facet data, fetched with the first results (counts for every matching doc).
pub(crate) const TOPICS: &str = "search/f/topics.json";
/// Unit facet data, fetched only when the unit facet is opened or filters.
pub(crate) const UNITS: &str = "search/f/units.json";
/// Characters of the excerpt source stored per doc.
pub(crate) const EXCERPT_CHARS: usize = 160;
/// Docs per metadata file `d/<n>.json` (docs `n * DOCS_PER_META ..`).
pub(crate) const DOCS_PER_META: usize = 6;

/// Kinds in doc-id order.
const KINDS: [&str; 4] = ["plan", "solution", "news", "page"];

pub(crate) fn year_of(date: &str) -> &str {
    match date.get(..4) {
        Some(y) if y.bytes().all(|b| b.is_ascii_digit()) => y,
        _ => "",
    }
}

/// Doc ids: docs sorted by kind, then year (newest first), then build order. Kind and year
/// of any doc follow from the id ranges in the manifest, so they cost no bytes per doc.
pub(crate) fn doc_order(docs: &[SearchDoc]) -> Vec<usize> {
    let rank = |k: &str| KINDS.iter().position(|&x| x == k).unwrap_or(KINDS.len());
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| {
        let (da, db) = (&docs[a], &docs[b]);
        (rank(&da.kind), &da.kind)
            .cmp(&(rank(&db.kind), &db.kind))
            .then_with(|| year_of(&db.date).cmp(year_of(&da.date)))
            .then(a.cmp(&b))
    });
    order
}

/// FNV-1a (32 bit) of the UTF-8 bytes, modulo the bucket count: the bigram shard.
pub(crate) fn bigram_bucket(folded: &str, buckets: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in folded.as_bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h % buckets.max(1)
}

/// File name of a unigram shard key: the key itself when `[a-z0-9]+`, else `_` + UTF-8 hex.
pub(crate) fn key_file(key: &str) -> String {
    if key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        key.to_string()
    } else {
        let mut s = String::from("_");
        for b in key.bytes() {
            s.push_str(&format!("{b:02x}"));
        }
        s
    }
}

/// A URL slug for a topic name: folded, runs of other chars to one `-`.
pub(crate) fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The text a result's excerpt is cut from: the summary, else the start of the body, with
/// whitespace collapsed, cut at a word boundary.
pub(crate) fn excerpt_source(d: &SearchDoc) -> String {
    let src = if d.summary.trim().is_empty() {
        &d.body_text
    } else {
        &d.summary
    };
    let mut out = String::new();
    let mut chars = 0;
    for w in src.split_whitespace() {
        let wc = w.chars().count();
        if chars > 0 && chars + 1 + wc > EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        out.push_str(w);
        chars += wc;
    }
    out
}

/// Frees what [`excerpt_source`] will not read of a doc's body text: all of it when the doc
/// has a summary, else what follows the word that crosses [`EXCERPT_CHARS`].
pub(crate) fn keep_excerpt_source(d: &mut SearchDoc) {
    if !d.summary.trim().is_empty() {
        d.body_text = String::new();
        return;
    }
    // Past EXCERPT_CHARS + 1 chars, the end of the first word that goes on from there.
    let Some((start, _)) = d.body_text.char_indices().nth(EXCERPT_CHARS + 1) else {
        return;
    };
    let end = d.body_text[start..]
        .find(char::is_whitespace)
        .map_or(d.body_text.len(), |k| start + k);
    d.body_text.truncate(end);
    d.body_text.shrink_to_fit();
}

/// Appends `s` as a JSON string literal.
pub(crate) fn json_str(out: &mut String, s: &str) {
    out.push('"');
    json_escape(out, s);
    out.push('"');
}

/// Appends `s` escaped for the inside of a JSON string literal. `<` is written `\u003c` so no
/// index file can ever hold `</script>` or `<!--`, wherever it is embedded.
pub(crate) fn json_escape(out: &mut String, s: &str) {
    let b = s.as_bytes();
    // The text not yet copied starts at `run`.
    let mut run = 0;
    let mut from = 0;
    while let Some(i) = next_json_special(b, from) {
        let (rep, len): (&str, usize) = match b[i] {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            b'<' => ("\\u003c", 1),
            0xe2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0xa8)) => ("\\u2028", 3),
                (Some(0x80), Some(0xa9)) => ("\\u2029", 3),
                // Another char of U+2000..U+2FFF (“ ” – …): copied as it is.
                _ => {
                    from = i + 1;
                    continue;
                }
            },
            c => {
                out.push_str(&s[run..i]);
                let _ = write!(out, "\\u{:04x}", c);
                run = i + 1;
                from = run;
                continue;
            }
        };
        out.push_str(&s[run..i]);
        out.push_str(rep);
        run = i + len;
        from = run;
    }
    out.push_str(&s[run..]);
}

/// The first byte from `from` on that [`json_escape`] must look at: a control char, `"`, `\\`,
/// `<`, or `E2` (the first byte of U+2028 and U+2029), looked for 16 bytes at a time.
#[inline]
fn next_json_special(b: &[u8], from: usize) -> Option<usize> {
    let s = wide::u8x16::splat;
    crate::text::bytes::find(b, from, |v| {
        v.min(s(0x1f)).cmp_eq(v)
            | v.cmp_eq(s(b'"'))
            | v.cmp_eq(s(b'\\'))
            | v.cmp_eq(s(b'<'))
            | v.cmp_eq(s(0xe2))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_rules() {
        assert_eq!(slugify("Trường học xanh"), "truong-hoc-xanh");
        assert_eq!(slugify("  STEM / Robot "), "stem-robot");
        assert_eq!(key_file("th"), "th");
        assert_eq!(key_file("日本"), "_e697a5e69cac");
        assert_eq!(year_of("2023-02-14"), "2023");
        assert_eq!(year_of(""), "");
        let mut s = String::new();
        json_str(&mut s, "a\"b\\c\u{1}");
        assert_eq!(s, r#""a\"b\\c\u0001""#);
        // FNV-1a test vector
        assert_eq!(bigram_bucket("a", 0x7fff_ffff), 0xe40c_292c % 0x7fff_ffff);
    }

    #[test]
    fn json_escape_follows_the_char_rule_wherever_a_special_char_falls() {
        // The rule char by char: what `json_escape` wrote before it looked 16 bytes at a time.
        let plain = |s: &str| {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    '<' => out.push_str("\\u003c"),
                    c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                        out.push_str(&format!("\\u{:04x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out
        };
        let pieces = [
            "a",
            "ế",
            "Đổi mới",
            " ",
            "\"",
            "\\",
            "\n",
            "\r",
            "\t",
            "<",
            "\u{1}",
            "\u{1f}",
            "\u{2028}",
            "\u{2029}",
            "“",
            "”",
            "–",
            "…",
            "\u{2027}",
            "\u{202a}",
        ];
        let mut next = crate::testing::lcg(11);
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..next() % 50 {
                // Mostly text, now and then any piece (two draws: `k % 6` would tie the
                // choice to `k`'s parity).
                let any = next() % 6 == 0;
                let k = next();
                s.push_str(pieces[if any { k % pieces.len() } else { k % 4 }]);
            }
            let mut out = String::from("x");
            json_escape(&mut out, &s);
            assert_eq!(out[1..], plain(&s), "{s:?}");
            let parsed: String = serde_json::from_str(&format!("\"{}\"", &out[1..])).unwrap();
            assert_eq!(parsed, s);
        }
    }

    #[test]
    fn freeing_the_body_text_keeps_the_excerpt() {
        let words = [
            "đổi",
            "mới",
            "sáng",
            "tạo",
            "a",
            "Kếhoạchrấtdàikhôngcódấucách",
            "x",
        ];
        let mut seed = 7u64;
        for len in 0..400 {
            let mut text = String::new();
            for _ in 0..len {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                text.push_str(words[(seed >> 33) as usize % words.len()]);
                text.push(if (seed >> 20) % 5 == 0 { '\n' } else { ' ' });
            }
            for summary in ["", "  ", "Tóm tắt."] {
                let mut d = SearchDoc {
                    summary: summary.into(),
                    body_text: text.clone(),
                    ..SearchDoc::default()
                };
                let before = excerpt_source(&d);
                keep_excerpt_source(&mut d);
                assert_eq!(
                    excerpt_source(&d),
                    before,
                    "{len} words, summary {summary:?}"
                );
                assert!(d.body_text.chars().count() <= EXCERPT_CHARS + 2 + 30);
            }
        }
    }
}
