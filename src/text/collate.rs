//! Vietnamese alphabetical order for names and titles, by the ICU4X collator with the CLDR `vi`
//! tailoring (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y).
//!
//! Strength is tertiary: letters first (case- and tone-insensitive), then tones, then case;
//! strings that are still equal (for example NFC and NFD spellings of one name) are ordered by
//! their raw bytes, so sorting is total and deterministic.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::locale;

use super::fold::fold_lower;

/// Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y,
/// case-insensitive first, tones as tie-breakers, then case, then a deterministic final
/// tie-break on the raw string.
///
/// Tones follow the ICU/CLDR `vi` order: ngang, huyền, hỏi, ngã, sắc, nặng
/// ("ma" < "mà" < "mả" < "mã" < "má" < "mạ").
pub fn compare(a: &str, b: &str) -> Ordering {
    match collator() {
        Some(collator) => collator.compare(a, b),
        None => fold_lower(a).cmp(&fold_lower(b)),
    }
    .then_with(|| a.cmp(b))
}

/// Sort key usable with sort_by_cached_key, giving the same order as `compare`.
///
/// The key is the collator's sort key, escaped so that no key is a prefix of another
/// (`0x00` becomes `0x00 0x01`, then a `0x00 0x00` terminator), followed by the raw string.
/// Keys are for sorting within one build only; they change with ICU4X and CLDR versions.
pub fn sort_key(s: &str) -> Vec<u8> {
    let mut collation_key = Vec::with_capacity(s.len() * 3);
    match collator() {
        Some(collator) => {
            // Writing to a Vec cannot fail (the error type is Infallible).
            collator
                .write_sort_key_to(s, &mut collation_key)
                .unwrap_or_else(|never| match never {});
        }
        None => collation_key.extend_from_slice(fold_lower(s).as_bytes()),
    }
    let mut key = Vec::with_capacity(collation_key.len() + s.len() + 4);
    for byte in collation_key {
        key.push(byte);
        if byte == 0 {
            key.push(1);
        }
    }
    key.extend_from_slice(&[0, 0]);
    key.extend_from_slice(s.as_bytes());
    key
}

/// The `vi` collator, built once from the data compiled into the binary. Construction cannot
/// fail with compiled data for a locale ICU4X ships (a test checks it); should it ever fail,
/// `compare` and `sort_key` fall back to folded byte order instead of panicking.
fn collator() -> Option<&'static CollatorBorrowed<'static>> {
    static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();
    COLLATOR
        .get_or_init(|| {
            let mut options = CollatorOptions::default();
            options.strength = Some(Strength::Tertiary);
            Collator::try_new(locale!("vi").into(), options).ok()
        })
        .as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn assert_ascending(words: &[&str]) {
        for pair in words.windows(2) {
            assert_eq!(compare(pair[0], pair[1]), Ordering::Less, "{pair:?}");
            assert_eq!(compare(pair[1], pair[0]), Ordering::Greater, "{pair:?}");
            assert!(sort_key(pair[0]) < sort_key(pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn collator_loads_from_compiled_data() {
        assert!(collator().is_some());
    }

    #[test]
    fn d_with_stroke_sorts_between_d_and_e() {
        assert_ascending(&["D", "Dương", "Đ", "Đà Nẵng", "E", "Em"]);
        assert_ascending(&["dz", "đa"]);
    }

    #[test]
    fn marked_letters_follow_their_base_letter() {
        assert_ascending(&["A", "Ă", "Â", "B"]);
        assert_ascending(&["az", "ăa", "âa", "ba"]);
        assert_ascending(&["E", "Ê", "G"]);
        assert_ascending(&["O", "Ô", "Ơ", "P"]);
        assert_ascending(&["oz", "ôa", "ơa", "pa"]);
        assert_ascending(&["U", "Ư", "V"]);
        assert_ascending(&["uz", "ưa", "va"]);
    }

    #[test]
    fn case_is_ignored_before_tones() {
        assert_ascending(&[
            "truong",
            "Truong",
            "trường",
            "Trường",
            "TRƯỜNG",
            "trưởng",
            "Trượt",
        ]);
        assert_ascending(&["an", "AN", "ăn"]);
        assert_ascending(&["ma", "Ma", "mà"]);
    }

    #[test]
    fn tones_break_ties_in_icu_vi_order() {
        // ngang, huyền, hỏi, ngã, sắc, nặng: the CLDR `vi` tailoring.
        assert_ascending(&["ma", "mà", "mả", "mã", "má", "mạ", "mb"]);
    }

    #[test]
    fn nfc_and_nfd_spellings_are_ordered_but_adjacent() {
        let nfc = "Nguyễn";
        let nfd: String = nfc.nfd().collect();
        assert_ne!(compare(nfc, &nfd), Ordering::Equal);
        assert_eq!(compare(nfc, &nfd), nfc.cmp(nfd.as_str()));
        assert_ascending(&["Nguyen", "Nguyễn", "Nguyệt"]);
        assert_ascending(&["Nguyen", &nfd, "Nguyệt"]);
    }

    #[test]
    fn equal_strings_compare_equal() {
        assert_eq!(compare("Đà Nẵng", "Đà Nẵng"), Ordering::Equal);
        assert_eq!(compare("", ""), Ordering::Equal);
        assert_eq!(sort_key("Đà Nẵng"), sort_key("Đà Nẵng"));
    }

    /// Names in Vietnamese alphabetical order.
    const SORTED_NAMES: [&str; 32] = [
        "An",
        "Anh",
        "Ánh",
        "Ăn",
        "Ân",
        "Bảo",
        "Bình",
        "Chi",
        "Cường",
        "Dũng",
        "Duy",
        "Dương",
        "Đà Nẵng",
        "Đạt",
        "Đức",
        "Em",
        "Giang",
        "Hà",
        "Hải",
        "Hạnh",
        "Hoa",
        "Hòa",
        "Hùng",
        "Huy",
        "Hưng",
        "Ôn",
        "Ơn",
        "Truong",
        "Trường",
        "Uyên",
        "Ưng",
        "Yến",
    ];

    #[test]
    fn sort_key_agrees_with_compare_on_names() {
        // A fixed shuffle: stride 13 through 32 names visits each once.
        let shuffled: Vec<&str> = (0..SORTED_NAMES.len())
            .map(|i| SORTED_NAMES[(i * 13 + 5) % SORTED_NAMES.len()])
            .collect();
        assert_ne!(shuffled, SORTED_NAMES);

        let mut by_compare = shuffled.clone();
        by_compare.sort_by(|a, b| compare(a, b));
        assert_eq!(by_compare, SORTED_NAMES);

        let mut by_key = shuffled.clone();
        by_key.sort_by_cached_key(|s| sort_key(s));
        assert_eq!(by_key, SORTED_NAMES);

        for a in SORTED_NAMES {
            for b in SORTED_NAMES {
                assert_eq!(sort_key(a).cmp(&sort_key(b)), compare(a, b), "{a} {b}");
            }
        }
    }
}
