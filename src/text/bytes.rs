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
/// `is` says the same of one byte, for the last bytes, fewer than 16.
#[inline(always)]
pub(crate) fn find(
    b: &[u8],
    from: usize,
    hit: impl Fn(u8x16) -> u8x16,
    is: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut i = from;
    while i + 16 <= b.len() {
        let m = hit(load16(b, i)).move_mask();
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    b.get(i..)?.iter().position(|&c| is(c)).map(|p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    assert_eq!(
                        find(&b, from, hit, |c| c == b'<'),
                        want,
                        "{len} {at} {from}"
                    );
                }
            }
        }
    }
}
