//! Vietnamese text: NFC normalisation, slugs, tone-mark folding, collation and dates.
//!
//! Content may arrive in NFC or NFD (Word and macOS decompose tone marks); everything else in
//! the crate reads NFC, slugs and search terms read the folded form, and names sort in
//! Vietnamese alphabetical order.

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
/// test), so such text is NFC. A fast path before the table-driven check.
fn plainly_nfc(s: &str) -> bool {
    // On the UTF-8 bytes (valid, as `s` is a str), without decoding chars: each range is a
    // range of lead bytes, or one lead byte with ranges of the bytes that follow it.
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let step = match b[i] {
            0..=0x7F => 1,
            // U+0080..U+02FF
            0xC2..=0xCB => 2,
            // U+1E00..U+1EFF
            0xE1 if matches!(b.get(i + 1), Some(0xB8..=0xBB)) => 3,
            // U+2010..U+203E and U+20AB..U+20AC
            0xE2 => match (b.get(i + 1), b.get(i + 2)) {
                (Some(0x80), Some(0x90..=0xBE)) | (Some(0x82), Some(0xAB..=0xAC)) => 3,
                _ => return false,
            },
            _ => return false,
        };
        i += step;
    }
    true
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
        // Every char just outside the ranges, and a few far from them.
        for c in [
            0x300, 0x1DFF, 0x1F00, 0x200F, 0x203F, 0x20AA, 0x20AD, 0x3000, 0xAC00, 0x1F600,
        ] {
            let s = char::from_u32(c).unwrap().to_string();
            assert!(!plainly_nfc(&s), "U+{c:04X}");
            assert!(!plainly_nfc(&format!("abc{s}")), "U+{c:04X} after ASCII");
        }
        assert!(plainly_nfc("Kế hoạch 2021 – 2025 “Đổi mới”…"));
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
