//! URL slugs (CONTENT.md): lowercase ASCII letters, digits and single hyphens, made from
//! Vietnamese titles and file names by folding away every diacritic.

use super::fold::fold_lower;

/// CONTENT.md slug rule: lowercase, every diacritic removed, đ to d, every run of other
/// characters (anything not a-z0-9 after folding) to one '-', no leading/trailing '-'.
/// "Kế hoạch 182 Nhà Bè" -> "ke-hoach-182-nha-be". Emoji and punctuation become separators.
/// May return an empty string (caller reports it).
pub fn slugify(s: &str) -> String {
    let folded = fold_lower(s);
    let mut slug = String::with_capacity(folded.len());
    let mut separator_pending = false;
    for c in folded.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if separator_pending && !slug.is_empty() {
                slug.push('-');
            }
            separator_pending = false;
            slug.push(c);
        } else {
            separator_pending = true;
        }
    }
    slug
}

/// True when s is already a slug: non-empty, only a-z, 0-9 and '-', no leading/trailing/double '-'.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn content_md_example() {
        assert_eq!(slugify("Kế hoạch 182 Nhà Bè"), "ke-hoach-182-nha-be");
        assert_eq!(slugify("Kế hoạch 182 Nhà Bè.md"), "ke-hoach-182-nha-be-md");
    }

    #[test]
    fn uppercase_d_with_stroke_becomes_d() {
        assert_eq!(slugify("ĐỔI MỚI"), "doi-moi");
        assert_eq!(slugify("Đổi mới sáng tạo"), "doi-moi-sang-tao");
    }

    #[test]
    fn nfd_input_gives_the_same_slug() {
        for title in [
            "Kế hoạch 182 Nhà Bè",
            "ĐỔI MỚI",
            "Trường học xanh",
            "Giải Khuyến khích",
        ] {
            let decomposed: String = title.nfd().collect();
            assert_ne!(decomposed, title);
            assert_eq!(slugify(&decomposed), slugify(title), "{title}");
        }
    }

    #[test]
    fn runs_of_spaces_and_punctuation_become_one_hyphen() {
        assert_eq!(slugify("  Tin   tức -- nổi bật!!  "), "tin-tuc-noi-bat");
        assert_eq!(slugify("182/KH-GDĐT"), "182-kh-gddt");
        assert_eq!(slugify("Q&A: hỏi – đáp (2024)"), "q-a-hoi-dap-2024");
        assert_eq!(slugify("a_b.c\td\ne"), "a-b-c-d-e");
    }

    #[test]
    fn emoji_are_separators() {
        assert_eq!(
            slugify("🎉Chào mừng🎉năm học mới 🇻🇳"),
            "chao-mung-nam-hoc-moi"
        );
        assert_eq!(slugify("STEM👩‍🔬robot"), "stem-robot");
    }

    #[test]
    fn nothing_sluggable_gives_empty() {
        assert_eq!(slugify(""), "");
        assert_eq!(slugify("   "), "");
        assert_eq!(slugify("🎉 — !!"), "");
        assert_eq!(slugify("日本語"), "");
    }

    #[test]
    fn slugs_are_stable() {
        for slug in ["ke-hoach-182-nha-be", "a", "2024", "phong-gddt"] {
            assert!(is_slug(slug));
            assert_eq!(slugify(slug), slug);
        }
    }

    #[test]
    fn is_slug_rejects_non_slugs() {
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "đ", "a_b", "a.b", "-"] {
            assert!(!is_slug(bad), "{bad:?}");
        }
    }
}
