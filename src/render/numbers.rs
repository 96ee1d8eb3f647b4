//! Linking plan numbers ("182/KH-GDĐT") that appear as whole tokens in text to their plans.
//! One Aho-Corasick automaton over every published number serves the whole build.

use aho_corasick::{AhoCorasick, MatchKind};

/// Finds published plan numbers in text and turns them into links.
pub struct NumberLinker {
    automaton: Option<AhoCorasick>,
    /// For each pattern: the number and the URL of its plan.
    targets: Vec<(String, String)>,
}

/// True for characters that continue a number token: a number is found only when the characters
/// around it are none of these (`7/KH-X` is not in `17/KH-X` nor in `7/KH-XY`).
fn continues_token(c: char) -> bool {
    c.is_alphanumeric() || c == '/' || c == '-' || c == '_'
}

impl NumberLinker {
    /// `targets`: (number, root-relative URL of the plan).
    pub fn new(mut targets: Vec<(String, String)>) -> NumberLinker {
        targets.sort();
        targets.dedup_by(|a, b| a.0 == b.0);
        let automaton = if targets.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(targets.iter().map(|(n, _)| n.as_str()))
                .ok()
        };
        NumberLinker { automaton, targets }
    }

    /// The whole-token matches in `text`: (byte range, pattern index).
    pub fn find(&self, text: &str) -> Vec<(std::ops::Range<usize>, usize)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        ac.find_iter(text)
            .filter(|m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                !before.is_some_and(continues_token) && !after.is_some_and(continues_token)
            })
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }

    /// The text as escaped HTML with every number linked, or None when nothing matched.
    pub fn link_text(&self, text: &str) -> Option<String> {
        let found = self.find(text);
        if found.is_empty() {
            return None;
        }
        let mut html = String::with_capacity(text.len() + 64 * found.len());
        let mut last = 0;
        for (range, pattern) in found {
            escape_into(&mut html, &text[last..range.start]);
            let (number, url) = &self.targets[pattern];
            html.push_str("<a class=\"plan-ref\" href=\"");
            escape_into(&mut html, url);
            html.push_str("\">");
            escape_into(&mut html, number);
            html.push_str("</a>");
            last = range.end;
        }
        escape_into(&mut html, &text[last..]);
        Some(html)
    }

    /// Escaped HTML of `text` with numbers linked.
    pub fn link_or_escape(&self, text: &str) -> String {
        self.link_text(text).unwrap_or_else(|| {
            let mut s = String::new();
            escape_into(&mut s, text);
            s
        })
    }
}

/// Appends `text` to `out` with `& < > " '` escaped, copying the runs between them whole.
pub fn escape_into(out: &mut String, text: &str) {
    // Writing to a String cannot fail.
    let _ = escape_to(out, text);
}

/// [`escape_into`] for any writer: templates write a printed value straight into the page.
pub fn escape_to<W: std::fmt::Write + ?Sized>(out: &mut W, text: &str) -> std::fmt::Result {
    let bytes = text.as_bytes();
    let mut start = 0;
    while let Some(i) = next_special(bytes, start) {
        let rep = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        // Every escaped byte is ASCII, so `start..i` lies on char boundaries.
        out.write_str(&text[start..i])?;
        out.write_str(rep)?;
        start = i + 1;
    }
    out.write_str(&text[start..])
}

/// The position of the first byte from `from` on that HTML escapes (`&<>"'`), looked for 16
/// bytes at a time.
#[inline]
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let s = wide::u8x16::splat;
    crate::text::bytes::find(bytes, from, |v| {
        v.cmp_eq(s(b'&'))
            | v.cmp_eq(s(b'<'))
            | v.cmp_eq(s(b'>'))
            | v.cmp_eq(s(b'"'))
            | v.cmp_eq(s(b'\''))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker() -> NumberLinker {
        NumberLinker::new(vec![
            ("7/KH-X".into(), "/ke-hoach/7/".into()),
            ("182/KH-GDĐT".into(), "/ke-hoach/182/".into()),
        ])
    }

    #[test]
    fn escape_into_escapes_every_special_byte_wherever_it_falls() {
        let plain = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        };
        let pieces = ["a", "ế", "&", "<", ">", "\"", "'", " ", "Đổi mới", "ẫ"];
        let mut next = crate::testing::lcg(7);
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..next() % 60 {
                // Mostly plain text with a special char now and then, alone or in a run.
                // Two draws: with one, `k % 8 == 0` would leave only even `k % 10`.
                let any = next() % 8 == 0;
                let k = next();
                s.push_str(
                    pieces[if any {
                        k % pieces.len()
                    } else {
                        [0, 1, 7, 8, 9][k % 5]
                    }],
                );
            }
            let mut out = String::from("x");
            escape_into(&mut out, &s);
            assert_eq!(out[1..], plain(&s), "{s:?}");
        }
    }

    #[test]
    fn links_whole_tokens_only() {
        let l = linker();
        assert_eq!(l.find("theo 17/KH-X và 7/KH-XY").len(), 0);
        assert_eq!(l.find("theo 7/KH-X, và").len(), 1);
        assert_eq!(
            l.link_text("Kế hoạch số 182/KH-GDĐT.").unwrap(),
            "Kế hoạch số <a class=\"plan-ref\" href=\"/ke-hoach/182/\">182/KH-GDĐT</a>."
        );
    }

    #[test]
    fn escapes_text_around_links() {
        let l = linker();
        assert_eq!(
            l.link_or_escape("<b> 7/KH-X"),
            "&lt;b&gt; <a class=\"plan-ref\" href=\"/ke-hoach/7/\">7/KH-X</a>"
        );
    }
}
