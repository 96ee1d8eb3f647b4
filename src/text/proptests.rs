//! Property tests: the text functions never panic and keep their invariants on any string.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use super::collate::{compare, sort_key};
use super::dates::Date;
use super::slug::is_slug;
use super::{fold, fold_lower, nfc, slugify};

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

/// Vietnamese-looking text: letters with every mark and tone, both cases, spaces, punctuation.
fn vietnamese() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđĐƠƯÂĂÊÔ\
     \u{300}\u{301}\u{303}\u{309}\u{323}.,/-]{0,24}"
}

proptest! {
    // Default 256 cases; failures are not persisted, so a run writes nothing outside the target dir.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn slugify_never_panics_and_gives_a_slug_or_nothing(s in any::<String>()) {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_slug(&slug), "{:?} -> {:?}", s, slug);
    }

    #[test]
    fn slugify_of_vietnamese_gives_a_slug_or_nothing(s in vietnamese()) {
        let slug = slugify(&s);
        prop_assert!(slug.is_empty() || is_slug(&slug), "{:?} -> {:?}", s, slug);
    }

    #[test]
    fn slugify_ignores_normalisation_form(s in any::<String>()) {
        prop_assert_eq!(slugify(&nfd(&s)), slugify(&s));
    }

    #[test]
    fn slugify_of_vietnamese_ignores_normalisation_form(s in vietnamese()) {
        prop_assert_eq!(slugify(&nfd(&s)), slugify(&s));
    }

    #[test]
    fn slugify_is_idempotent(s in any::<String>()) {
        let slug = slugify(&s);
        prop_assert_eq!(slugify(&slug), slug);
    }

    #[test]
    fn fold_is_idempotent(s in any::<String>()) {
        let folded = fold(&s);
        prop_assert_eq!(fold(&folded), folded.clone());
        let lowered = fold_lower(&s);
        prop_assert_eq!(fold_lower(&lowered), lowered);
    }

    #[test]
    fn fold_ignores_normalisation_form(s in any::<String>()) {
        prop_assert_eq!(fold(&nfd(&s)), fold(&s));
        prop_assert_eq!(fold(&nfc(&s)), fold(&s));
    }

    #[test]
    fn fold_of_vietnamese_leaves_no_marks(s in vietnamese()) {
        let folded = fold_lower(&s);
        prop_assert!(folded.is_ascii(), "{:?} -> {:?}", s, folded);
    }

    #[test]
    fn nfc_never_panics_and_is_idempotent(s in any::<String>()) {
        let once = nfc(&s).into_owned();
        let expected: String = s.nfc().collect();
        prop_assert_eq!(&once, &expected);
        prop_assert!(matches!(nfc(&once), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn compare_never_panics_and_is_a_total_order(a in any::<String>(), b in any::<String>()) {
        prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
        prop_assert_eq!(compare(&a, &a), std::cmp::Ordering::Equal);
        prop_assert_eq!(compare(&a, &b) == std::cmp::Ordering::Equal, a == b);
    }

    #[test]
    fn sort_key_agrees_with_compare(a in any::<String>(), b in any::<String>()) {
        prop_assert_eq!(sort_key(&a).cmp(&sort_key(&b)), compare(&a, &b));
    }

    #[test]
    fn sort_key_agrees_with_compare_on_vietnamese(a in vietnamese(), b in vietnamese()) {
        prop_assert_eq!(sort_key(&a).cmp(&sort_key(&b)), compare(&a, &b));
    }

    #[test]
    fn from_unix_seconds_never_panics_and_gives_a_valid_date(secs in any::<i64>()) {
        let d = Date::from_unix_seconds(secs);
        prop_assert!(Date::new(d.year, d.month, d.day).is_some(), "{:?}", d);
    }

    #[test]
    fn dates_round_trip_through_iso_and_days(days in -719_528i64..=2_932_896) {
        let d = Date::from_days_since_epoch(days);
        prop_assert_eq!(d.days_since_epoch(), days);
        prop_assert_eq!(Date::parse_iso(&d.iso()), Some(d));
    }

    #[test]
    fn parse_iso_never_panics(s in any::<String>()) {
        let _ = Date::parse_iso(&s);
    }
}
