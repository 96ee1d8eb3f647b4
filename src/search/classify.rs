//! Byte classes for the tokeniser's scanner: which bytes of a 64-byte block belong to token
//! chars and which to separators that break a syllable pair, as two bit masks.
//!
//! Word boundaries are unpredictable, so a scanner that tests each char with a branch pays a
//! mispredicted branch or two per word (simulated: about 2.5 per word, most of the scanner's
//! time). Here each byte is classified from two small tables without a branch: the class of the
//! byte alone (ASCII, continuation or lead byte), and for a lead byte the class of the chars that
//! start with it and the next byte. For a two-byte char that is exact; for a three-byte char it
//! is the class shared by all 64 chars of that prefix when they share one (the Vietnamese
//! letters `U+1EA0..U+1EF9` lie in two such prefixes, and general punctuation `U+2000..U+203F`
//! is one). A block holding a char whose class two bytes do not decide (four-byte chars, mixed
//! prefixes) is classified char by char.

use super::token::{is_soft_separator, is_token_char};
use std::sync::OnceLock;

/// Part of a token char.
const TOK: u8 = 1;
/// Part of a separator that breaks a syllable pair (anything but a token char or a soft one).
const HARD: u8 = 2;
/// A UTF-8 continuation byte: its char's class is its lead byte's.
const CONT: u8 = 4;
/// A UTF-8 lead byte: its class is in the lead table.
const LEAD: u8 = 8;
/// A lead byte whose char the first two bytes do not classify.
const UNSURE: u8 = 16;

/// Bytes in a block.
pub(crate) const BLOCK: usize = 64;

struct Tables {
    /// Per byte: [`TOK`], [`HARD`] or 0 (soft separator) for ASCII, else [`CONT`] or [`LEAD`].
    byte: [u8; 256],
    /// Per lead byte's low 6 bits and the next byte's low 6 bits: [`TOK`], [`HARD`], 0 or
    /// [`UNSURE`].
    lead: [u8; 4096],
}

fn char_class(c: char) -> u8 {
    if is_token_char(c) {
        TOK
    } else if is_soft_separator(c) {
        0
    } else {
        HARD
    }
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut byte = [0u8; 256];
        for (b, class) in byte.iter_mut().enumerate() {
            *class = match b {
                0..=0x7f => char_class(b as u8 as char),
                0x80..=0xbf => CONT,
                _ => LEAD,
            };
        }
        let mut lead = [UNSURE; 4096];
        for b in 0xc0..=0xffu32 {
            for n in 0..64u32 {
                let class = match b {
                    0xc2..=0xdf => char::from_u32((b & 0x1f) << 6 | n).map_or(UNSURE, char_class),
                    0xe0..=0xef => {
                        let mut classes = (0..64u32)
                            .filter_map(|x| char::from_u32((b & 0x0f) << 12 | n << 6 | x))
                            .map(char_class);
                        match classes.next() {
                            Some(first) if classes.all(|c| c == first) => first,
                            _ => UNSURE,
                        }
                    }
                    _ => UNSURE,
                };
                lead[((b & 0x3f) << 6 | n) as usize] = class;
            }
        }
        Tables { byte, lead }
    })
}

/// The classes of the bytes `base..base + BLOCK` of a text: bit `j` of `tok` is set when byte
/// `base + j` belongs to a token char, of `hard` when it belongs to a pair-breaking separator.
/// Bytes past the end are hard separators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) tok: u64,
    pub(crate) hard: u64,
}

/// Classifies the block at `base` (a multiple of [`BLOCK`]); `carry` is the block before it
/// (the class of its last byte is that of the continuation bytes this block starts with).
#[inline]
pub(crate) fn classify(text: &str, base: usize, carry: Block) -> Block {
    let bytes = text.as_bytes();
    let fast = match bytes.get(base..base + BLOCK + 1) {
        Some(b) => {
            let b = b.try_into().unwrap_or(&[0; BLOCK + 1]);
            classify_simple(b, carry).or_else(|| classify_bytes(b, carry))
        }
        None => {
            // The last block: padded with NUL bytes (hard separators).
            let mut buf = [0u8; BLOCK + 1];
            let tail = &bytes[base.min(bytes.len())..];
            buf[..tail.len()].copy_from_slice(tail);
            classify_simple(&buf, carry).or_else(|| classify_bytes(&buf, carry))
        }
    };
    fast.unwrap_or_else(|| classify_chars(text, base, carry))
}

/// The classification of 64 bytes (and the byte after them) 16 at a time with SIMD compares, or
/// `None` when a char is not one whose lead byte and next byte alone make it a token char.
///
/// Vietnamese text is ASCII and letters whose UTF-8 starts with `C3` (Latin-1 letters, but for
/// `×` `C3 97` and `÷` `C3 B7`), `C4`..`C6` (`U+0100..U+01BF`, all letters) or `E1 B8`..`E1 BB`
/// (`U+1E00..U+1EFF`, all letters): then every byte from 0x80 up is part of a token char
/// (`every_char_of_the_tables_range` checks this against the plain rule for every char below
/// U+3000), and only ASCII needs classifying. Any other char (punctuation such as `“` or `–`,
/// a no-break space) sends the block to [`classify_bytes`].
#[inline(always)]
fn classify_simple(b: &[u8; BLOCK + 1], carry: Block) -> Option<Block> {
    use wide::u8x16;
    let s = u8x16::splat;
    let (mut tok, mut soft, mut high, mut cont, mut unsure) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for k in 0..BLOCK / 16 {
        let at = |o: usize| crate::text::bytes::load16(b, 16 * k + o);
        let (v, next) = (at(0), at(1));
        let bits = |m: u8x16| (m.move_mask() as u32 as u64) << (16 * k);
        let digit = v - s(b'0');
        let alpha = (v | s(0x20)) - s(b'a');
        tok |= bits(digit.min(s(9)).cmp_eq(digit) | alpha.min(s(25)).cmp_eq(alpha));
        soft |=
            bits(v.cmp_eq(s(b' ')) | v.cmp_eq(s(b'\t')) | v.cmp_eq(s(b'-')) | v.cmp_eq(s(b'/')));
        high |= bits(v);
        cont |= bits((v & s(0xc0)).cmp_eq(s(0x80)));
        let lead = (v & s(0xc0)).cmp_eq(s(0xc0));
        let latin1 = v.cmp_eq(s(0xc3)) & !(next.cmp_eq(s(0x97)) | next.cmp_eq(s(0xb7)));
        let extended = v.cmp_eq(s(0xc4)) | v.cmp_eq(s(0xc5)) | v.cmp_eq(s(0xc6));
        let additional = v.cmp_eq(s(0xe1)) & (next & s(0xfc)).cmp_eq(s(0xb8));
        unsure |= bits(lead & !(latin1 | extended | additional));
    }
    if unsure != 0 {
        return None;
    }
    // The continuation bytes the block starts with belong to the last char of the block before.
    let first = low_bits((!cont).trailing_zeros());
    let ascii = !high;
    let tok = (tok & ascii | high & !first) | first & 0u64.wrapping_sub(carry.tok >> 63);
    let hard = (ascii & !tok & !soft) | first & 0u64.wrapping_sub(carry.hard >> 63);
    Some(Block { tok, hard })
}

/// The low `n` bits (`n` ≤ 64).
#[inline(always)]
fn low_bits(n: u32) -> u64 {
    u64::MAX.checked_shr(64 - n).unwrap_or(0)
}

/// The table-driven classification of 64 bytes (and the byte after them), or `None` when a
/// char needs [`classify_chars`].
#[inline(always)]
fn classify_bytes(b: &[u8; BLOCK + 1], carry: Block) -> Option<Block> {
    let t = tables();
    let mut class = [0u8; BLOCK];
    for (c, &byte) in class.iter_mut().zip(b) {
        *c = t.byte[byte as usize];
    }
    let (mut tok, mut hard, mut cont, mut lead) = (0u64, 0u64, 0u64, 0u64);
    for (k, w) in class.chunks_exact(8).enumerate() {
        let w = u64::from_le_bytes(w.try_into().unwrap_or_default());
        tok |= gather(w) << (8 * k);
        hard |= gather(w >> 1) << (8 * k);
        cont |= gather(w >> 2) << (8 * k);
        lead |= gather(w >> 3) << (8 * k);
    }
    // Lead bytes take their class from the lead table (about one byte in six in Vietnamese).
    while lead != 0 {
        let j = lead.trailing_zeros() as usize;
        let l = t.lead[((b[j] & 0x3f) as usize) << 6 | (b[j + 1] & 0x3f) as usize];
        if l == UNSURE {
            return None;
        }
        tok |= ((l & TOK) as u64) << j;
        hard |= ((l >> 1 & 1) as u64) << j;
        lead &= lead - 1;
    }
    // A char has at most three continuation bytes, each taking the class of the byte before it.
    for _ in 0..3 {
        tok |= (tok << 1 | carry.tok >> 63) & cont;
        hard |= (hard << 1 | carry.hard >> 63) & cont;
    }
    Some(Block { tok, hard })
}

/// The lowest bit of each of the 8 bytes of `w`, as 8 bits (byte `i` to bit `i`): every
/// product term lands on its own bit, so the multiplication carries nothing.
#[inline(always)]
fn gather(w: u64) -> u64 {
    ((w & 0x0101_0101_0101_0101).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Classifies the block at `base` char by char (the general path).
fn classify_chars(text: &str, base: usize, carry: Block) -> Block {
    let bytes = text.as_bytes();
    let (mut tok, mut hard) = (0u64, 0u64);
    let mut j = 0;
    // The continuation bytes of a char that began in the block before.
    while j < BLOCK && bytes.get(base + j).is_some_and(|&b| b & 0xc0 == 0x80) {
        tok |= (carry.tok >> 63) << j;
        hard |= (carry.hard >> 63) << j;
        j += 1;
    }
    while j < BLOCK {
        let Some(c) = text.get(base + j..).and_then(|s| s.chars().next()) else {
            hard |= !0u64 << j;
            break;
        };
        let len = c.len_utf8();
        let bits = ((1u64 << len) - 1) << j;
        match char_class(c) {
            TOK => tok |= bits,
            HARD => hard |= bits,
            _ => {}
        }
        j += len;
    }
    Block { tok, hard }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classes char by char, the plain rule.
    fn reference(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        for c in text.chars() {
            out.extend(std::iter::repeat_n(char_class(c), c.len_utf8()));
        }
        out
    }

    fn by_blocks(text: &str, chars_only: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let mut carry = Block { tok: 0, hard: 0 };
        let mut base = 0;
        while base < text.len() {
            let b = if chars_only {
                classify_chars(text, base, carry)
            } else {
                classify(text, base, carry)
            };
            for j in 0..BLOCK.min(text.len() - base) {
                out.push(if b.tok >> j & 1 == 1 {
                    TOK
                } else if b.hard >> j & 1 == 1 {
                    HARD
                } else {
                    0
                });
            }
            carry = b;
            base += BLOCK;
        }
        out
    }

    #[test]
    fn blocks_agree_with_the_plain_rule() {
        let texts = [
            "Kế hoạch số 182/KH-GDĐT ngày 15/3/2024 của Phòng Giáo dục và Đào tạo huyện Nhà Bè \
             về việc “đổi mới sáng tạo” – năm học 2024–2025… Trường THCS Nguyễn Văn Quỳ.",
            "Tiếng Việt có dấu: à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ đ è é ẻ ẽ ẹ ê ề ế ể ễ ệ ì í ỉ ĩ ị \
             ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ ù ú ủ ũ ụ ư ừ ứ ử ữ ự ỳ ý ỷ ỹ ỵ",
            // NFD marks, NBSP (soft), × and ÷ (not letters), a four-byte char, CJK, emoji.
            "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t\u{a0}mới 3×4÷2 𝒜𝒷 漢字 😀 ½ ² µ ª",
            "",
            "a",
        ];
        for t in texts {
            // Every alignment of the text against the blocks.
            for pad in 0..70 {
                let s = format!("{}{t}", "x".repeat(pad));
                assert_eq!(by_blocks(&s, false), reference(&s), "{s:?}");
                assert_eq!(by_blocks(&s, true), reference(&s), "{s:?}");
            }
        }
    }

    /// The 65 bytes of the block at `base` and the block before it, as [`classify`] sees them.
    fn block_at(s: &str, base: usize) -> ([u8; BLOCK + 1], Block) {
        let mut b = [0u8; BLOCK + 1];
        let tail = &s.as_bytes()[base..];
        let n = tail.len().min(BLOCK + 1);
        b[..n].copy_from_slice(&tail[..n]);
        let carry = if base == 0 {
            Block { tok: 0, hard: 0 }
        } else {
            classify_chars(s, base - BLOCK, Block { tok: 0, hard: 0 })
        };
        (b, carry)
    }

    #[test]
    fn the_simd_path_answers_for_vietnamese_letters_and_agrees() {
        // Every char the SIMD path takes as a letter: U+00C0..U+00FF but × and ÷,
        // U+0100..U+01BF, U+1E00..U+1EFF; each at every position of a block and straddling
        // the block's start.
        let letters = (0xc0..0x1c0u32)
            .filter(|&u| u != 0xd7 && u != 0xf7)
            .chain(0x1e00..0x1f00)
            .filter_map(char::from_u32);
        for c in letters {
            for pad in 0..BLOCK + 3 {
                let s = format!("{}{c}-{c}/{c}\t{c} 9{}", "Z".repeat(pad), " x".repeat(70));
                for base in [0, BLOCK] {
                    let (b, carry) = block_at(&s, base);
                    let got = classify_simple(&b, carry);
                    assert_eq!(
                        got,
                        Some(classify_chars(&s, base, carry)),
                        "{c:?} {pad} {base}"
                    );
                }
            }
        }
        // Plain Vietnamese text takes the SIMD path in every block.
        let text = "Kế hoạch số 182/KH-GDĐT của Phòng Giáo dục và Đào tạo huyện Nhà Bè về \
                    đổi mới sáng tạo trong năm học 2024-2025 của trường THCS Nguyễn Văn Quỳ. \
                    Tiếng Việt: ă â đ ê ô ơ ư ằ ắ ẳ ẵ ặ ầ ấ ẩ ẫ ậ ề ế ể ễ ệ ồ ố ổ ỗ ộ ờ ớ ở ỡ ợ ừ ứ ử ữ ự";
        let mut base = 0;
        while base < text.len() {
            let (b, carry) = block_at(text, base);
            assert!(classify_simple(&b, carry).is_some(), "block at {base}");
            base += BLOCK;
        }
    }

    #[test]
    fn the_simd_path_leaves_other_chars_to_the_tables() {
        // Punctuation, a no-break space, × and ÷, and chars beyond the Vietnamese blocks.
        for c in [
            '“', '–', '…', '\u{a0}', '×', '÷', '½', 'ǅ', 'Ω', 'ж', '\u{1f00}', '漢', '😀',
        ] {
            let s = format!("ab{c}cd{}", " x".repeat(40));
            let (b, carry) = block_at(&s, 0);
            assert_eq!(classify_simple(&b, carry), None, "{c:?}");
        }
    }

    #[test]
    fn every_char_of_the_tables_range() {
        // All chars below U+3000 and some above, each between two letters and in a run.
        let mut s = String::new();
        for u in (0x20..0x3000u32)
            .chain(0xa000..0xa100)
            .chain(0x1f600..0x1f640)
        {
            if let Some(c) = char::from_u32(u) {
                s.push('a');
                s.push(c);
                s.push(c);
            }
        }
        assert_eq!(by_blocks(&s, false), reference(&s));
        assert_eq!(by_blocks(&s, true), reference(&s));
    }
}
