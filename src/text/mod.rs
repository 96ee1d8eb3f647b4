//! Vietnamese text: NFC normalisation, slugs, tone-mark folding, collation and dates.
//!
//! Content may arrive in NFC or NFD (Word and macOS decompose tone marks); everything else in
//! the crate reads NFC, slugs and search terms read the folded form, and names sort in
//! Vietnamese alphabetical order.

pub(crate) mod bytes;
pub mod collate;
pub mod dates;
pub mod fold;
pub mod slug;

#[cfg(test)]
mod proptests;

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use fold::{fold, fold_lower};
pub use slug::slugify;

/// NFC-normalise (returns Cow::Borrowed when already NFC; use unicode_normalization::is_nfc_quick for speed).
pub fn nfc(s: &str) -> Cow<'_, str> {
    if plainly_nfc(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return Cow::Borrowed(s);
    }
    // The quick check answers "maybe" for some NFC text; only allocate when it really changes.
    let normalized: String = s.nfc().collect();
    if normalized == s {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalized)
    }
}

/// True when every char of `s` is below U+0300, a precomposed Vietnamese letter (U+1E00 to
/// U+1EFF), punctuation Vietnamese text uses (dashes, curly quotes, bullets, the ellipsis, per
/// mille, primes: U+2010 to U+203E) or the đồng and euro signs (U+20AB, U+20AC). None of them
/// changes under NFC or combines with what precedes it (checked against the Unicode tables by a
/// test), so such text is NFC. Any other char passes when it is a starter that NFC keeps as it
/// is and that never composes with what precedes it (a symbol like ✓, a CJK letter): one
/// table lookup for that char instead of the table-driven check of the whole text. A fast path.
fn plainly_nfc(s: &str) -> bool {
    plain_check(s).is_some()
}

/// The UTF-8 length of the char at byte `i` of `s` when it is a starter (canonical combining
/// class 0) whose NFC quick check is Yes: NFC leaves it alone and nothing before it composes
/// with it (a char after it that would compose is itself not such a starter).
fn stable_starter(s: &str, i: usize) -> Option<usize> {
    let c = s.get(i..)?.chars().next()?;
    (unicode_normalization::char::canonical_combining_class(c) == 0
        && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
        .then(|| c.len_utf8())
}

/// `Some(())` when `s` passes the fast path of [`plainly_nfc`].
fn plain_check(s: &str) -> Option<()> {
    // On the UTF-8 bytes (valid, as `s` is a str), without decoding chars: each range is a
    // range of lead bytes, or one lead byte with ranges of the bytes that follow it.
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Most blocks of Vietnamese text hold only chars of the first two ranges: checked a
        // block at a time, without a branch per char.
        if let Some(block) = b.get(i..i + BLOCK + 1) {
            if plain_block(block) {
                i += BLOCK;
                // The block's last char may end after it; its lead byte was checked.
                while b.get(i).is_some_and(|&c| c & 0xC0 == 0x80) {
                    i += 1;
                }
                continue;
            }
        }
        let step = match b[i] {
            0..=0x7F => 1,
            // U+0080..U+02FF
            0xC2..=0xCB => 2,
            // U+1E00..U+1EFF
            0xE1 if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => 3,
            // U+2010..U+203E and U+20AB..U+20AC
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0x90..=0xBE)) | (Some(0x82), Some(0xAB..=0xAC)) => 3,
                _ => stable_starter(s, i)?,
            },
            _ => stable_starter(s, i)?,
        };
        i += step;
    }
    Some(())
}

/// The bytes [`plain_block`] checks at once.
const BLOCK: usize = 32;

/// True when every lead byte among the first `BLOCK` bytes of `b` (which holds one more, to see
/// the byte after the last) starts a char below U+0300 or in U+1E00..U+1EFF. Continuation bytes
/// (0x80..0xBF) pass. Written as a fold over the whole block so that it compiles to vector
/// compares.
#[inline]
fn plain_block(b: &[u8]) -> bool {
    let (Some(this), Some(next)) = (b.get(..BLOCK), b.get(1..BLOCK + 1)) else {
        return false;
    };
    let bad = this.iter().zip(next).fold(0u8, |acc, (&c, &n)| {
        let other = c >= 0xCC;
        let vietnamese = c == 0xE1 && n & 0xFC == 0xB8;
        acc | u8::from(other & !vietnamese)
    });
    bad == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_borrows_text_that_is_already_nfc() {
        assert!(matches!(nfc("ke-hoach"), Cow::Borrowed("ke-hoach")));
        assert!(matches!(nfc("Kế hoạch"), Cow::Borrowed("Kế hoạch")));
        assert!(matches!(nfc(""), Cow::Borrowed("")));
    }

    /// The chars `plainly_nfc` accepts.
    const PLAIN: [std::ops::RangeInclusive<u32>; 4] =
        [0..=0x2FF, 0x1E00..=0x1EFF, 0x2010..=0x203E, 0x20AB..=0x20AC];

    #[test]
    fn plainly_nfc_agrees_with_the_unicode_tables_on_every_char_it_accepts() {
        use unicode_normalization::is_nfc;
        for c in PLAIN.iter().cloned().flatten().filter_map(char::from_u32) {
            let s = c.to_string();
            assert!(plainly_nfc(&s));
            assert!(is_nfc(&s), "U+{:04X} is not NFC", c as u32);
            // Nor does it compose with a letter before it.
            assert!(is_nfc(&format!("a{c}")), "a + U+{:04X}", c as u32);
        }
        assert!(!plainly_nfc("e\u{301}"));
        assert!(!plainly_nfc("\u{2126}"));
        assert!(!plainly_nfc("\u{2000}"));
        assert!(!plainly_nfc("abc\u{300}"));
        assert!(!plainly_nfc("\u{1100}\u{1161}"), "Hangul jamo that compose");
        assert!(
            !plainly_nfc("\u{AC00}\u{11A8}"),
            "a syllable and a final jamo"
        );
        // Outside the ranges, a char passes only as a stable starter, and then the text is NFC
        // on its own and after a letter.
        let mut passed = 0;
        for c in (0x300..0x3_0000).filter_map(char::from_u32) {
            for s in [c.to_string(), format!("abc{c}"), format!("ê{c}")] {
                if plainly_nfc(&s) {
                    passed += 1;
                    assert!(is_nfc(&s), "U+{:04X} in {s:?}", c as u32);
                }
            }
        }
        assert!(passed > 100_000, "{passed}");
        assert!(plainly_nfc("Đã làm ✓ 完成"));
        assert!(plainly_nfc("Kế hoạch 2021 – 2025 “Đổi mới”…"));
    }

    #[test]
    fn the_block_check_agrees_with_the_char_by_char_rule_wherever_a_char_falls() {
        // A char of every kind the blocks meet, at every offset of a block and across its end.
        let pieces = [
            "a",
            "ế",
            "ạ",
            "Đ",
            "đ",
            "ư",
            " ",
            "\n",
            "–",
            "“",
            "✓",
            "完",
            "e\u{301}",
            "\u{300}",
            "\u{1100}\u{1161}",
            "𝄞",
            "Ω",
            "\u{2126}",
            "ǻ",
            // Beside the Vietnamese letters: Greek extended, where U+1F71 is not NFC.
            "\u{1F71}",
            "\u{1F00}",
        ];
        let mut next = crate::testing::lcg(0x9E37_79B9);
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..next() % 90 {
                // Mostly plain Vietnamese, now and then anything.
                let k = next() % 256;
                s.push_str(pieces[if k < 200 { k % 7 } else { k % pieces.len() }]);
            }
            if plainly_nfc(&s) {
                assert!(unicode_normalization::is_nfc(&s), "{s:?}");
            }
            // Whatever the fast path says, the answer is NFC's.
            assert_eq!(nfc(&s), s.nfc().collect::<String>(), "{s:?}");
            if s.chars()
                .all(|c| PLAIN.iter().any(|r| r.contains(&(c as u32))))
            {
                assert!(plainly_nfc(&s), "{s:?}");
            }
        }
    }

    #[test]
    fn nfc_composes_decomposed_tone_marks() {
        let decomposed = "Ke\u{302}\u{301} hoa\u{323}ch";
        assert_eq!(nfc(decomposed), "Kế hoạch");
        assert!(matches!(nfc(decomposed), Cow::Owned(_)));
        // Marks in non-canonical order (dot below typed after the circumflex and acute).
        assert_eq!(nfc("e\u{323}\u{302}"), "ệ");
    }

    #[test]
    fn reexports_work() {
        assert_eq!(slugify("Đổi mới"), "doi-moi");
        assert_eq!(fold("Đổi mới"), "Doi moi");
        assert_eq!(fold_lower("Đổi mới"), "doi moi");
    }
}
