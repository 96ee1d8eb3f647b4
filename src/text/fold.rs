//! Diacritic folding: Vietnamese text without tone marks or vowel marks, `đ` as `d`, for slugs
//! and search matching ("Đào tạo" and "dao tao" fold to the same string).
//!
//! This runs over every word of every document, so it avoids Unicode decomposition wherever it
//! can: ASCII is copied as is, the 134 precomposed Vietnamese letters are looked up in a `match`,
//! and only other non-ASCII characters go through canonical decomposition. The output is the
//! canonical decomposition of the input with every combining mark removed, so NFC and NFD input
//! fold to the same string.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Remove every Vietnamese diacritic (tone marks and the marks of ă â ê ô ơ ư, and any other
/// combining mark), map đ->d and Đ->D. Case kept. Input may be NFC or NFD.
///
/// Characters outside Vietnamese are canonically decomposed and their marks dropped
/// ("é" -> "e", "Å" -> "A"); characters without marks are kept in decomposed form.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(c, &mut out);
    }
    out
}

/// fold + lowercase.
pub fn fold_lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_lower_into(s, &mut out);
    out
}

/// Append `fold_lower(s)` to `out`, for callers that fold many words into one reused buffer.
pub fn fold_lower_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    for c in s.chars() {
        fold_lower_char(c, &mut |f| out.push(f));
    }
}

/// Hands `out` the chars `c` lowercases and folds to: [`fold_lower`] of one char, as
/// `fold_lower` folds char by char.
#[inline]
pub(crate) fn fold_lower_char(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c.to_ascii_lowercase());
    } else if let Some(base) = vietnamese_base(c) {
        out(base.to_ascii_lowercase());
    } else {
        // Lowercase before folding: lowercasing may itself produce marks
        // ("İ" -> "i" + U+0307) or ASCII (Kelvin sign -> "k"), which folding then handles.
        for lower in c.to_lowercase() {
            folded_parts(lower, out);
        }
    }
}

/// Fold one character onto `out`.
fn push_folded(c: char, out: &mut String) {
    folded_parts(c, &mut |f| out.push(f));
}

/// Hands `out` the chars one character folds to.
fn folded_parts(c: char, out: &mut impl FnMut(char)) {
    if c.is_ascii() {
        out(c);
    } else if let Some(base) = vietnamese_base(c) {
        out(base);
    } else {
        decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out(part);
            }
        });
    }
}

/// The unmarked base letter of a precomposed Vietnamese letter (all 67 lowercase and 67
/// uppercase forms, `đ`/`Đ` included), or `None` for any other character.
pub fn vietnamese_base(c: char) -> Option<char> {
    let base = match c {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        'đ' => 'd',
        'À' | 'Á' | 'Ả' | 'Ã' | 'Ạ' | 'Ă' | 'Ằ' | 'Ắ' | 'Ẳ' | 'Ẵ' | 'Ặ' | 'Â' | 'Ầ' | 'Ấ' | 'Ẩ'
        | 'Ẫ' | 'Ậ' => 'A',
        'È' | 'É' | 'Ẻ' | 'Ẽ' | 'Ẹ' | 'Ê' | 'Ề' | 'Ế' | 'Ể' | 'Ễ' | 'Ệ' => 'E',
        'Ì' | 'Í' | 'Ỉ' | 'Ĩ' | 'Ị' => 'I',
        'Ò' | 'Ó' | 'Ỏ' | 'Õ' | 'Ọ' | 'Ô' | 'Ồ' | 'Ố' | 'Ổ' | 'Ỗ' | 'Ộ' | 'Ơ' | 'Ờ' | 'Ớ' | 'Ở'
        | 'Ỡ' | 'Ợ' => 'O',
        'Ù' | 'Ú' | 'Ủ' | 'Ũ' | 'Ụ' | 'Ư' | 'Ừ' | 'Ứ' | 'Ử' | 'Ữ' | 'Ự' => 'U',
        'Ỳ' | 'Ý' | 'Ỷ' | 'Ỹ' | 'Ỵ' => 'Y',
        'Đ' => 'D',
        _ => return None,
    };
    Some(base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Every precomposed Vietnamese letter, grouped by base letter, lowercase.
    const LETTERS: [(char, &str); 7] = [
        ('a', "àáảãạăằắẳẵặâầấẩẫậ"),
        ('e', "èéẻẽẹêềếểễệ"),
        ('i', "ìíỉĩị"),
        ('o', "òóỏõọôồốổỗộơờớởỡợ"),
        ('u', "ùúủũụưừứửữự"),
        ('y', "ỳýỷỹỵ"),
        ('d', "đ"),
    ];

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    #[test]
    fn table_covers_all_134_precomposed_letters() {
        let mut count = 0;
        for (base, letters) in LETTERS {
            for c in letters.chars() {
                assert_eq!(vietnamese_base(c), Some(base), "{c}");
                let upper = c.to_uppercase().next().unwrap_or(c);
                assert_eq!(
                    vietnamese_base(upper),
                    Some(base.to_ascii_uppercase()),
                    "{upper}"
                );
                count += 2;
            }
        }
        assert_eq!(count, 134);
    }

    #[test]
    fn table_agrees_with_decomposition() {
        for (_, letters) in LETTERS {
            for c in letters.chars().filter(|&c| c != 'đ') {
                for c in [c, c.to_uppercase().next().unwrap_or(c)] {
                    let mut via_nfd = String::new();
                    decompose_canonical(c, |p| {
                        if !is_combining_mark(p) {
                            via_nfd.push(p)
                        }
                    });
                    assert_eq!(vietnamese_base(c).map(String::from), Some(via_nfd), "{c}");
                }
            }
        }
    }

    #[test]
    fn marked_vowels_with_every_tone_fold_to_their_base() {
        // ă â ê ô ơ ư, each bare and with huyền, sắc, hỏi, ngã, nặng.
        let cases = [
            ("ă ằ ắ ẳ ẵ ặ", "a a a a a a"),
            ("â ầ ấ ẩ ẫ ậ", "a a a a a a"),
            ("ê ề ế ể ễ ệ", "e e e e e e"),
            ("ô ồ ố ổ ỗ ộ", "o o o o o o"),
            ("ơ ờ ớ ở ỡ ợ", "o o o o o o"),
            ("ư ừ ứ ử ữ ự", "u u u u u u"),
            ("Ă Ằ Ắ Ẳ Ẵ Ặ", "A A A A A A"),
            ("Â Ầ Ấ Ẩ Ẫ Ậ", "A A A A A A"),
            ("Ê Ề Ế Ể Ễ Ệ", "E E E E E E"),
            ("Ô Ồ Ố Ổ Ỗ Ộ", "O O O O O O"),
            ("Ơ Ờ Ớ Ở Ỡ Ợ", "O O O O O O"),
            ("Ư Ừ Ứ Ử Ữ Ự", "U U U U U U"),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected);
            assert_eq!(fold(&nfd(input)), expected);
        }
    }

    #[test]
    fn plain_vowels_with_every_tone_fold_to_their_base() {
        assert_eq!(fold("a à á ả ã ạ"), "a a a a a a");
        assert_eq!(fold("e è é ẻ ẽ ẹ"), "e e e e e e");
        assert_eq!(fold("i ì í ỉ ĩ ị"), "i i i i i i");
        assert_eq!(fold("o ò ó ỏ õ ọ"), "o o o o o o");
        assert_eq!(fold("u ù ú ủ ũ ụ"), "u u u u u u");
        assert_eq!(fold("y ỳ ý ỷ ỹ ỵ"), "y y y y y y");
    }

    #[test]
    fn d_with_stroke_folds_to_d_keeping_case() {
        assert_eq!(fold("đ"), "d");
        assert_eq!(fold("Đ"), "D");
        assert_eq!(fold("Đào tạo"), "Dao tao");
        assert_eq!(fold_lower("ĐÀO TẠO"), "dao tao");
    }

    #[test]
    fn nfd_input_folds_like_nfc() {
        let text = "Phòng Giáo dục và Đào tạo huyện Nhà Bè; Trường THCS Nguyễn Bỉnh Khiêm";
        assert_ne!(nfd(text), text);
        assert_eq!(fold(&nfd(text)), fold(text));
        assert_eq!(
            fold(text),
            "Phong Giao duc va Dao tao huyen Nha Be; Truong THCS Nguyen Binh Khiem"
        );
    }

    #[test]
    fn lone_and_stacked_combining_marks_are_removed() {
        assert_eq!(fold("\u{301}"), "");
        assert_eq!(fold("a\u{306}\u{301}"), "a");
        assert_eq!(fold("ê\u{323}"), "e");
    }

    #[test]
    fn other_scripts_lose_their_marks_too() {
        assert_eq!(
            fold("Crème brûlée, Ångström, naïve"),
            "Creme brulee, Angstrom, naive"
        );
        assert_eq!(fold_lower("İstanbul"), "istanbul");
        assert_eq!(fold_lower("\u{212A}elvin"), "kelvin");
        assert_eq!(fold("日本語 ß ø"), "日本語 ß ø");
    }

    #[test]
    fn ascii_is_unchanged_by_fold_and_lowered_by_fold_lower() {
        assert_eq!(fold("KH-GDDT 182/2023"), "KH-GDDT 182/2023");
        assert_eq!(fold_lower("KH-GDDT 182/2023"), "kh-gddt 182/2023");
    }

    #[test]
    fn fold_lower_into_appends() {
        let mut buffer = String::from("x ");
        fold_lower_into("Nhà Bè", &mut buffer);
        assert_eq!(buffer, "x nha be");
    }
}
