//! URL slugs (CONTENT.md): lowercase ASCII letters, digits and single hyphens, made from
//! Vietnamese titles and file names by folding away every diacritic.

use super::fold::fold_lower_char;

/// CONTENT.md slug rule: lowercase, every diacritic removed, đ to d, every run of other
/// characters (anything not a-z0-9 after folding) to one '-', no leading/trailing '-'.
/// "Kế hoạch 182 Nhà Bè" -> "ke-hoach-182-nha-be". Emoji and punctuation become separators.
/// May return an empty string (caller reports it).
///
/// One pass over the chars, each folded by [`fold_lower_char`] (what [`super::fold_lower`]
/// does to each): every heading of every body gets a slug (its `id`), and folding the whole
/// text into a string first, then walking that string, cost half as much again.
pub fn slugify(s: &str) -> String {
    let mut slug = String::with_capacity(s.len());
    let mut separator_pending = false;
    let mut push = |c: char| {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if separator_pending && !slug.is_empty() {
                slug.push('-');
            }
            separator_pending = false;
            slug.push(c);
        } else {
            separator_pending = true;
        }
    };
    for c in s.chars() {
        fold_lower_char(c, &mut push);
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

    /// The rule as CONTENT.md states it, written the plain way: fold the whole text, then keep
    /// the runs of a-z and 0-9 joined by single hyphens.
    fn slugify_plain(s: &str) -> String {
        let folded = crate::text::fold_lower(s);
        let mut slug = String::new();
        for run in folded
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
            .filter(|r| !r.is_empty())
        {
            if !slug.is_empty() {
                slug.push('-');
            }
            slug.push_str(run);
        }
        slug
    }

    #[test]
    fn the_one_pass_slug_is_the_plain_rule() {
        let pieces = [
            "Kế",
            "hoạch",
            "ĐỔI",
            "mới",
            "182/KH-GDĐT",
            " ",
            "  ",
            "–",
            "“",
            "”",
            "🎉",
            "🇻🇳",
            "e\u{301}",
            "\u{301}",
            "İ",
            "\u{212a}",
            "Å",
            "ß",
            "ǅ",
            "ﬁ",
            "Ω",
            "中文",
            "\u{a0}",
            "a_b",
            "-",
            "9",
            "Ấ",
            "ỹ",
            "ĀĂ",
            "ɐ",
            "ḁ",
            "\t",
            "\n",
            "x",
        ];
        let mut next = crate::testing::lcg(11);
        for _ in 0..3000 {
            let n = next() % 9;
            let text: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
            assert_eq!(slugify(&text), slugify_plain(&text), "{text:?}");
        }
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let text = format!("a{c}b{c}");
            assert_eq!(slugify(&text), slugify_plain(&text), "U+{:04X}", c as u32);
        }
    }
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
