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
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_borrows_text_that_is_already_nfc() {
        assert!(matches!(nfc("ke-hoach"), Cow::Borrowed("ke-hoach")));
        assert!(matches!(nfc("Kế hoạch"), Cow::Borrowed("Kế hoạch")));
        assert!(matches!(nfc(""), Cow::Borrowed("")));
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
