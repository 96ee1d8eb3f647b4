//! Looking through bytes 16 at a time with SIMD compares (the `wide` crate's `u8x16`: SSE2 on
//! x86-64, plain code elsewhere). The escapers and the scanners of text use it to skip the runs
//! of bytes that need nothing done.

use wide::u8x16;

/// The 16 bytes of `b` from `at` on (`at + 16 <= b.len()`).
#[inline(always)]
pub(crate) fn load16(b: &[u8], at: usize) -> u8x16 {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[at..at + 16]);
    u8x16::new(a)
}

/// The first position from `from` on whose byte `hit` marks (a lane of all ones), or `None`.
/// The last bytes, fewer than 16, are tested zero-padded, and marks on the padding dropped.
#[inline(always)]
pub(crate) fn find(b: &[u8], from: usize, hit: impl Fn(u8x16) -> u8x16) -> Option<usize> {
    let mut i = from;
    while i + 16 <= b.len() {
        let m = hit(load16(b, i)).move_mask();
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    let rest = b.get(i..).filter(|r| !r.is_empty())?;
    let mut a = [0u8; 16];
    a[..rest.len()].copy_from_slice(rest);
    let m = hit(u8x16::new(a)).move_mask() as u32 & ((1u32 << rest.len()) - 1);
    (m != 0).then(|| i + m.trailing_zeros() as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_drops_marks_on_the_padding_of_the_last_bytes() {
        let nul = |v: u8x16| v.cmp_eq(u8x16::splat(0));
        for len in 0..40 {
            assert_eq!(find(&vec![b'a'; len], 0, nul), None, "{len}");
        }
    }

    #[test]
    fn find_gives_the_first_marked_byte_at_every_position() {
        let hit = |v: u8x16| v.cmp_eq(u8x16::splat(b'<'));
        for len in 0..70 {
            for at in 0..=len {
                let mut b = vec![b'a'; len];
                if at < len {
                    b[at] = b'<';
                }
                for from in 0..=len {
                    let want = (at < len && at >= from).then_some(at);
                    assert_eq!(find(&b, from, hit), want, "{len} {at} {from}");
                }
            }
        }
    }
}
