//! Small open-addressing hash tables for the index builder: raw words (byte strings) and
//! pairs of term ids (`u64`) to `u32` ids. No per-key allocation: words of up to 16 bytes (all
//! Vietnamese syllables) are stored inline, longer ones in one byte arena.

const K1: u64 = 0x9e37_79b9_7f4a_7c15;
const K2: u64 = 0xc2b2_ae3d_27d4_eb4f;

#[inline(always)]
fn fold_mul(a: u64, b: u64) -> u64 {
    let m = (a as u128).wrapping_mul(b as u128);
    (m as u64) ^ ((m >> 64) as u64)
}

#[derive(Clone, Copy, Default)]
struct Slot {
    /// Up to 16 bytes of the key, little-endian, zero-padded; for a longer key, its hash and
    /// its offset in the arena.
    a: u64,
    b: u64,
    /// Key length in bytes; 0 for an empty slot (keys are never empty).
    len: u32,
    id: u32,
}

/// A map from non-empty byte strings to `u32`.
pub(crate) struct BytesMap {
    slots: Vec<Slot>,
    shift: u32,
    len: usize,
    arena: Vec<u8>,
}

impl Default for BytesMap {
    fn default() -> Self {
        Self::with_capacity(1024)
    }
}

#[inline(always)]
fn pack(key: &[u8]) -> (u64, u64) {
    let mut buf = [0u8; 16];
    buf[..key.len()].copy_from_slice(key);
    let (a, b) = buf.split_at(8);
    (
        u64::from_le_bytes(a.try_into().unwrap_or_default()),
        u64::from_le_bytes(b.try_into().unwrap_or_default()),
    )
}

#[inline(always)]
fn hash_short(a: u64, b: u64, len: usize) -> u64 {
    fold_mul(a ^ K1, b ^ K2 ^ (len as u64) << 56)
}

fn hash_long(key: &[u8]) -> u64 {
    let mut h = K2 ^ key.len() as u64;
    for c in key.chunks(16) {
        let (a, b) = pack(c);
        h = fold_mul(a ^ h, b ^ K1);
    }
    h
}

impl BytesMap {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let cap = (n * 2).next_power_of_two().max(16);
        BytesMap {
            slots: vec![Slot::default(); cap],
            shift: 64 - cap.trailing_zeros(),
            len: 0,
            arena: Vec::new(),
        }
    }

    #[inline(always)]
    fn start(&self, h: u64) -> usize {
        (h.wrapping_mul(K1) >> self.shift) as usize
    }

    /// The id of `key`, or the one `make` gives it (which is then stored).
    #[inline]
    pub(crate) fn get_or_insert(&mut self, key: &[u8], make: impl FnOnce() -> u32) -> u32 {
        let len = key.len();
        let (a, b, h) = if len <= 16 {
            let (a, b) = pack(key);
            (a, b, hash_short(a, b, len))
        } else {
            let h = hash_long(key);
            (h, 0, h)
        };
        let mask = self.slots.len() - 1;
        let mut i = self.start(h);
        loop {
            let s = self.slots[i];
            if s.len == 0 {
                break;
            }
            if s.len as usize == len && s.a == a {
                if len <= 16 {
                    if s.b == b {
                        return s.id;
                    }
                } else {
                    let off = s.b as usize;
                    if &self.arena[off..off + len] == key {
                        return s.id;
                    }
                }
            }
            i = (i + 1) & mask;
        }
        let id = make();
        let b = if len <= 16 {
            b
        } else {
            self.arena.extend_from_slice(key);
            (self.arena.len() - len) as u64
        };
        self.slots[i] = Slot {
            a,
            b,
            len: len as u32,
            id,
        };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let cap = old.len() * 2;
        self.slots = vec![Slot::default(); cap];
        self.shift = 64 - cap.trailing_zeros();
        let mask = cap - 1;
        for s in old.into_iter().filter(|s| s.len > 0) {
            let h = if s.len <= 16 {
                hash_short(s.a, s.b, s.len as usize)
            } else {
                s.a
            };
            let mut i = self.start(h);
            while self.slots[i].len != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }
}

/// A map from `u64` keys (never `u64::MAX`) to `u32`.
pub(crate) struct U64Map {
    slots: Vec<(u64, u32)>,
    shift: u32,
    len: usize,
}

const EMPTY: u64 = u64::MAX;

impl Default for U64Map {
    fn default() -> Self {
        Self::with_capacity(1024)
    }
}

impl U64Map {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let cap = (n * 2).next_power_of_two().max(16);
        U64Map {
            slots: vec![(EMPTY, 0); cap],
            shift: 64 - cap.trailing_zeros(),
            len: 0,
        }
    }

    #[inline(always)]
    fn start(&self, key: u64) -> usize {
        u64_start(key, self.shift)
    }

    /// The id of `key`, or the one `make` gives it (which is then stored).
    #[inline(always)]
    pub(crate) fn get_or_insert(&mut self, key: u64, make: impl FnOnce() -> u32) -> u32 {
        debug_assert_ne!(key, EMPTY);
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        loop {
            let (k, id) = self.slots[i];
            if k == key {
                return id;
            }
            if k == EMPTY {
                break;
            }
            i = (i + 1) & mask;
        }
        let id = make();
        self.slots[i] = (key, id);
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let old = std::mem::take(&mut self.slots);
        let cap = old.len() * 2;
        self.slots = vec![(EMPTY, 0); cap];
        self.shift = 64 - cap.trailing_zeros();
        let mask = cap - 1;
        for (k, id) in old {
            if k == EMPTY {
                continue;
            }
            let mut i = self.start(k);
            while self.slots[i].0 != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = (k, id);
        }
    }
}

/// A pair of term ids (`u64`, never `u64::MAX`) with its local id and the field accumulator of
/// the doc being counted, in one slot: a word's pair costs one random access.
#[derive(Clone, Copy)]
pub(crate) struct PairSlot {
    pub(crate) key: u64,
    pub(crate) id: u32,
    pub(crate) acc: u32,
}

const EMPTY_PAIR: PairSlot = PairSlot {
    key: EMPTY,
    id: 0,
    acc: 0,
};

/// The syllable pairs of a run of docs: an open-addressing table of [`PairSlot`]s, filled to at
/// most three quarters (filled to half, it was no faster on the 10k corpus).
pub(crate) struct PairTable {
    pub(crate) slots: Vec<PairSlot>,
    shift: u32,
    len: usize,
}

/// Where the probe for a `u64` key starts in a table of `1 << (64 - shift)` slots ([`U64Map`],
/// [`PairTable`]).
#[inline(always)]
fn u64_start(key: u64, shift: u32) -> usize {
    (fold_mul(key, K1).wrapping_mul(K2) >> shift) as usize
}

impl PairTable {
    pub(crate) fn with_capacity(n: usize) -> Self {
        let cap = (n * 4 / 3 + 1).next_power_of_two().max(16);
        PairTable {
            slots: vec![EMPTY_PAIR; cap],
            shift: 64 - cap.trailing_zeros(),
            len: 0,
        }
    }

    /// The index of `key`'s slot; a new key gets the id `make` gives it and an accumulator of
    /// 0. Growing moves slots: `held` are slot indices the caller keeps, moved with them.
    #[inline(always)]
    pub(crate) fn slot(&mut self, key: u64, held: &mut [u32], make: impl FnOnce() -> u32) -> usize {
        debug_assert_ne!(key, EMPTY);
        let mask = self.slots.len() - 1;
        let mut i = u64_start(key, self.shift);
        loop {
            let k = self.slots[i].key;
            if k == key {
                return i;
            }
            if k == EMPTY {
                break;
            }
            i = (i + 1) & mask;
        }
        self.insert(i, key, held, make())
    }

    #[cold]
    #[inline(never)]
    fn insert(&mut self, i: usize, key: u64, held: &mut [u32], id: u32) -> usize {
        self.slots[i] = PairSlot { key, id, acc: 0 };
        self.len += 1;
        if self.len * 4 <= self.slots.len() * 3 {
            return i;
        }
        let cap = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![EMPTY_PAIR; cap]);
        self.shift -= 1;
        for s in old.iter().filter(|s| s.key != EMPTY) {
            let j = self.probe(s.key);
            self.slots[j] = *s;
        }
        for h in held.iter_mut() {
            *h = self.probe(old[*h as usize].key) as u32;
        }
        self.probe(key)
    }

    /// The slot holding `key`, or the empty one where it would go.
    fn probe(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut j = u64_start(key, self.shift);
        while self.slots[j].key != key && self.slots[j].key != EMPTY {
            j = (j + 1) & mask;
        }
        j
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_map_short_and_long_keys() {
        let mut m = BytesMap::with_capacity(1);
        let words: Vec<String> = (0..5000)
            .map(|i| {
                if i % 3 == 0 {
                    format!("một-từ-rất-dài-hơn-mười-sáu-byte-{i}")
                } else {
                    format!("đ{i}")
                }
            })
            .collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(m.get_or_insert(w.as_bytes(), || i as u32), i as u32);
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(m.get_or_insert(w.as_bytes(), || u32::MAX), i as u32);
        }
        // a prefix padded with zero bytes is another key
        assert_eq!(m.get_or_insert(b"a", || 1), 1);
        assert_eq!(m.get_or_insert(b"a\0", || 2), 2);
        assert_eq!(m.get_or_insert(b"a", || 3), 1);
    }

    #[test]
    fn pair_table_keeps_held_slots_through_growth() {
        let mut t = PairTable::with_capacity(1);
        let mut held: Vec<u32> = Vec::new();
        for k in 0..10_000u64 {
            let key = k << 32 | (k * 7);
            let i = t.slot(key, &mut held, || k as u32);
            t.slots[i].acc = k as u32 + 1;
            if k % 3 == 0 {
                held.push(i as u32);
            }
        }
        for (n, &h) in held.iter().enumerate() {
            let k = 3 * n as u64;
            let s = t.slots[h as usize];
            assert_eq!(
                (s.key, s.id, s.acc),
                (k << 32 | (k * 7), k as u32, k as u32 + 1)
            );
        }
        for k in 0..10_000u64 {
            let i = t.slot(k << 32 | (k * 7), &mut held, || u32::MAX);
            assert_eq!(t.slots[i].id, k as u32);
        }
    }

    #[test]
    fn u64_map() {
        let mut m = U64Map::with_capacity(1);
        for k in 0..10_000u64 {
            assert_eq!(m.get_or_insert(k << 32 | (k * 7), || k as u32), k as u32);
        }
        for k in 0..10_000u64 {
            assert_eq!(m.get_or_insert(k << 32 | (k * 7), || u32::MAX), k as u32);
        }
    }
}
