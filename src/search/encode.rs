//! The compact text encoding of posting lists (doc ids with impacts), shared with `search.js`.
//!
//! A number is written in base 32, most significant digit first: every digit but the last from
//! `CONT`, the last from `TERM`, so numbers need no separators. A *sparse* list is the sequence
//! of `gap * 32 + impact` (gap = doc id - previous doc id, the first previous being -1). A
//! *dense* list is `~`, the first doc id as one number, then one `TERM` char per doc id from
//! there: the impact, `0` for absent. The encoder writes whichever is shorter.

pub(crate) const TERM: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";
pub(crate) const CONT: &[u8; 32] = b"WXYZabcdefghijklmnopqrstuvwxyz-_";
pub(crate) const MAX_IMPACT: u8 = 31;

/// ASCII bytes as a `str`, checked once, when compiling.
const fn ascii(b: &'static [u8]) -> &'static str {
    match std::str::from_utf8(b) {
        Ok(s) => s,
        Err(_) => panic!("the digits are ASCII"),
    }
}

/// Every two-digit number below 1024 (`CONT` digit, then `TERM` digit), as one string: a
/// number's last two digits are a slice of it. Numbers up to 1023 (most gaps and dense-list
/// starts) are then one slice, without checking a buffer's UTF-8 at every number, which was
/// 1.4 % of a 1k build's instructions.
const TWO: &str = ascii(&TWO_BYTES);
const TWO_BYTES: [u8; 2048] = {
    let mut b = [0u8; 2048];
    let mut i = 0;
    while i < 1024 {
        b[2 * i] = CONT[i >> 5];
        b[2 * i + 1] = TERM[i & 31];
        i += 1;
    }
    b
};
const ONE: &str = ascii(TERM);
const CONT_STR: &str = ascii(CONT);

pub(crate) fn push_num(out: &mut String, n: u64) {
    let i = n as usize;
    if n < 32 {
        out.push_str(&ONE[i..i + 1]);
        return;
    }
    if n >= 1024 {
        // The digits above the last two, most significant first.
        let high = n >> 10;
        for k in (0..num_len(high)).rev() {
            let d = ((high >> (5 * k)) & 31) as usize;
            out.push_str(&CONT_STR[d..d + 1]);
        }
    }
    let j = 2 * (i & 1023);
    out.push_str(&TWO[j..j + 2]);
}

fn num_len(n: u64) -> usize {
    let bits = 64 - n.leading_zeros() as usize;
    bits.div_ceil(5).max(1)
}

/// Encodes doc ids (strictly increasing) with impacts 1..=31.
pub(crate) fn encode_postings(out: &mut String, docs: &[u32], impacts: &[u8]) {
    debug_assert_eq!(docs.len(), impacts.len());
    if docs.is_empty() {
        return;
    }
    let first = docs[0];
    let span = (docs[docs.len() - 1] - first) as usize + 1;
    let mut sparse_len = 0;
    let mut prev: i64 = -1;
    for (&d, &imp) in docs.iter().zip(impacts) {
        sparse_len += num_len(((d as i64 - prev) as u64) * 32 + imp as u64);
        prev = d as i64;
    }
    let dense_len = 1 + num_len(first as u64) + span;
    if dense_len < sparse_len {
        out.push('~');
        push_num(out, first as u64);
        let mut dense = vec![b'0'; span];
        for (&d, &imp) in docs.iter().zip(impacts) {
            dense[(d - first) as usize] = TERM[imp.min(MAX_IMPACT) as usize];
        }
        // Only the new run is checked (every byte is from TERM), never what `out` held before.
        out.push_str(std::str::from_utf8(&dense).expect("ASCII"));
    } else {
        let mut prev: i64 = -1;
        for (&d, &imp) in docs.iter().zip(impacts) {
            push_num(
                out,
                ((d as i64 - prev) as u64) * 32 + imp.min(MAX_IMPACT) as u64,
            );
            prev = d as i64;
        }
    }
}

/// Encodes a set of doc ids (strictly increasing) as the numbers `gap` (from the previous id,
/// starting at -1): the facet files, where every impact would be 1.
pub(crate) fn encode_set(out: &mut String, docs: &[u32]) {
    let mut prev: i64 = -1;
    for &d in docs {
        push_num(out, (d as i64 - prev) as u64);
        prev = d as i64;
    }
}

/// Decodes [`encode_set`]; `None` if malformed.
pub(crate) fn decode_set(s: &str) -> Option<Vec<u32>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut prev: i64 = -1;
    while i < b.len() {
        let mut n = 0u64;
        loop {
            let (d, last) = digit(*b.get(i)?)?;
            i += 1;
            n = n.checked_mul(32)?.checked_add(d)?;
            if last {
                break;
            }
        }
        prev = prev.checked_add(i64::try_from(n).ok()?)?;
        out.push(u32::try_from(prev).ok()?);
    }
    Some(out)
}

fn digit(c: u8) -> Option<(u64, bool)> {
    if let Some(p) = TERM.iter().position(|&x| x == c) {
        return Some((p as u64, true));
    }
    CONT.iter().position(|&x| x == c).map(|p| (p as u64, false))
}

/// Decodes a posting list into (doc id, impact) pairs; `None` if malformed.
pub(crate) fn decode_postings(s: &str) -> Option<Vec<(u32, u8)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let read = |i: &mut usize| -> Option<u64> {
        let mut n = 0u64;
        loop {
            let (d, last) = digit(*b.get(*i)?)?;
            *i += 1;
            n = n.checked_mul(32)?.checked_add(d)?;
            if last {
                return Some(n);
            }
        }
    };
    if b.first() == Some(&b'~') {
        i = 1;
        let first = read(&mut i)? as u32;
        for (k, &c) in b[i..].iter().enumerate() {
            let (imp, last) = digit(c)?;
            if !last {
                return None;
            }
            if imp > 0 {
                out.push((first + k as u32, imp as u8));
            }
        }
    } else {
        let mut prev: i64 = -1;
        while i < b.len() {
            let v = read(&mut i)?;
            let d = prev + (v / 32) as i64;
            out.push((u32::try_from(d).ok()?, (v % 32) as u8));
            prev = d;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_every_length_round_trip() {
        let mut ns: Vec<u64> = vec![0, 1, 31, u64::MAX];
        for bits in (5..64).step_by(5) {
            ns.extend([(1u64 << bits) - 1, 1u64 << bits]);
        }
        // Every number of one and two digits, and random ones of every length.
        ns.extend(0..1100);
        let mut next = crate::testing::lcg(7);
        for _ in 0..2000 {
            let bits = next() % 64;
            let wide = ((next() as u64) << 31) ^ next() as u64;
            ns.push(wide & ((1u64 << bits) - 1));
        }
        for n in ns {
            let mut s = String::from("~");
            push_num(&mut s, n);
            assert_eq!(s.len() - 1, num_len(n), "{n}");
            // Only the last digit is a TERM char.
            let (last, rest) = s.as_bytes()[1..].split_last().unwrap();
            assert!(
                TERM.contains(last) && rest.iter().all(|c| CONT.contains(c)),
                "{s}"
            );
            let back = rest.iter().chain([last]).fold(0u64, |acc, &c| {
                let d = digit(c).unwrap().0;
                acc.wrapping_mul(32).wrapping_add(d)
            });
            assert_eq!(back, n, "{s}");
        }
    }

    #[test]
    fn round_trip_sparse_and_dense() {
        let docs = [0u32, 3, 700, 70000];
        let imps = [1u8, 31, 4, 2];
        let mut s = String::new();
        encode_postings(&mut s, &docs, &imps);
        assert!(!s.starts_with('~'));
        let back = decode_postings(&s).unwrap();
        assert_eq!(back, vec![(0, 1), (3, 31), (700, 4), (70000, 2)]);
        let docs: Vec<u32> = (100..200).filter(|d| d % 3 != 0).collect();
        let imps: Vec<u8> = docs.iter().map(|d| (d % 5 + 1) as u8).collect();
        let mut s = String::new();
        encode_postings(&mut s, &docs, &imps);
        assert!(s.starts_with('~'));
        let back = decode_postings(&s).unwrap();
        let mut set = String::new();
        encode_set(&mut set, &docs);
        assert_eq!(decode_set(&set).unwrap(), docs);
        assert_eq!(
            back,
            docs.iter()
                .copied()
                .zip(imps.iter().copied())
                .collect::<Vec<_>>()
        );
    }
}
