//! Byte masks for the tokeniser's scanner: which bytes of a 64-byte block are *word bytes* and
//! which are pair-breaking separators, as two bit masks.
//!
//! Word boundaries are unpredictable, so a scanner that tests each char with a branch pays a
//! mispredicted branch or two per word (simulated: about 2.5 per word). Here 16 bytes at a time
//! are classified with SIMD compares and no branch, and only by their ASCII meaning: a word byte
//! is an ASCII letter or digit or any byte from 0x80 up (every byte of a non-ASCII char). So a
//! maximal run of word bytes is a run of whole chars; it is one word when all its chars are
//! token chars, which is true of every Vietnamese syllable. A run holding a non-ASCII char that
//! is not a token char (`“`, `–`, `…`, a no-break space) is split by the plain char rule, once
//! per spelling in the index builder ([`super::token::split_run`]).

use crate::text::bytes::load16;
use wide::u8x16;

/// Bytes in a block.
pub(crate) const BLOCK: usize = 64;

/// The masks of the bytes `base..base + BLOCK` of `bytes`: bit `j` of the first is set when byte
/// `base + j` is a word byte (an ASCII letter or digit, or a byte from 0x80 up), of the second
/// when it is an ASCII separator that breaks a syllable pair (anything but a word byte, a space,
/// a tab, `-` or `/`). Bytes past the end are pair-breaking separators.
#[inline(always)]
pub(crate) fn masks(bytes: &[u8], base: usize) -> (u64, u64) {
    match bytes.get(base..base + BLOCK) {
        Some(b) => masks_of(b),
        None => {
            let mut buf = [0u8; BLOCK];
            let tail = bytes.get(base..).unwrap_or_default();
            buf[..tail.len()].copy_from_slice(tail);
            masks_of(&buf)
        }
    }
}

/// [`masks`] of a whole block (`b` holds at least [`BLOCK`] bytes).
#[inline(always)]
fn masks_of(b: &[u8]) -> (u64, u64) {
    let s = u8x16::splat;
    let (mut word, mut keep) = (0u64, 0u64);
    for k in 0..BLOCK / 16 {
        let v = load16(b, 16 * k);
        let bits = |m: u8x16| (m.move_mask() as u32 as u64) << (16 * k);
        let digit = v - s(b'0');
        let alpha = (v | s(0x20)) - s(b'a');
        // A compare gives 0xff or 0; or-ed with the byte itself, the top bit also marks the
        // bytes from 0x80 up, which is all `move_mask` reads.
        let w = digit.min(s(9)).cmp_eq(digit) | alpha.min(s(25)).cmp_eq(alpha) | v;
        let soft = v.cmp_eq(s(b' ')) | v.cmp_eq(s(b'\t')) | v.cmp_eq(s(b'-')) | v.cmp_eq(s(b'/'));
        word |= bits(w);
        keep |= bits(w | soft);
    }
    (word, !keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The masks byte by byte, the plain rule.
    fn plain(bytes: &[u8], base: usize) -> (u64, u64) {
        let (mut word, mut hard) = (0u64, 0u64);
        for j in 0..BLOCK {
            match bytes.get(base + j) {
                Some(&b) if b.is_ascii_alphanumeric() || b >= 0x80 => word |= 1 << j,
                Some(b' ' | b'\t' | b'-' | b'/') => {}
                _ => hard |= 1 << j,
            }
        }
        (word, hard)
    }

    #[test]
    fn masks_follow_the_plain_rule_for_every_byte() {
        // Every byte value at every position of a block, and texts ending inside a block.
        let all: Vec<u8> = (0..=255u8).collect();
        for shift in 0..BLOCK {
            let mut bytes = vec![b'a'; shift];
            bytes.extend_from_slice(&all);
            let mut base = 0;
            while base < bytes.len() + BLOCK {
                assert_eq!(masks(&bytes, base), plain(&bytes, base), "{shift} {base}");
                base += BLOCK;
            }
        }
        let text = "Kế hoạch số 182/KH-GDĐT, “đổi mới” – năm\t2024…";
        for end in 0..text.len() {
            assert_eq!(
                masks(&text.as_bytes()[..end], 0),
                plain(&text.as_bytes()[..end], 0)
            );
        }
    }
}
