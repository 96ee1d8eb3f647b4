//! Building the sharded search index from [`SearchDoc`]s: tokenise in parallel, merge, encode.

use super::encode::encode_postings;
use super::format::{
    self, bigram_bucket, doc_order, excerpt_source, json_str, key_file, slugify, year_of,
};
use super::token::{Event, Tokenizer};
use super::{SearchDoc, SearchOutput};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};

const BODY_MASK: u32 = 0xffff;
const F_SUMMARY: u32 = 1 << 16;
const F_TOPIC: u32 = 1 << 17;
const F_UNIT: u32 = 1 << 18;
const F_TITLE: u32 = 1 << 19;
const F_NUMBER: u32 = 1 << 20;
const BI: u32 = 1 << 31;

/// Field weights (see docs/search.md): number > title > unit > topic > summary > body.
fn impact(acc: u32) -> u8 {
    let tf = acc & BODY_MASK;
    let mut s: u32 = match tf {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=7 => 3,
        _ => 4,
    };
    for (bit, w) in [
        (F_SUMMARY, 3),
        (F_TOPIC, 4),
        (F_UNIT, 6),
        (F_TITLE, 8),
        (F_NUMBER, 16),
    ] {
        if acc & bit != 0 {
            s += w;
        }
    }
    s.min(super::encode::MAX_IMPACT as u32) as u8
}

/// FxHash: a fast, deterministic hasher for the interning maps.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);
const FX_K: u64 = 0x517c_c1b7_2722_0a95;
impl Hasher for Fx {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX_K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(FX_K);
        }
    }
    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(FX_K);
    }
    #[inline]
    fn write_u64(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(FX_K);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // hashbrown picks the bucket from the low bits, which in a bare multiplicative hash
        // depend only on the key's low bits: bigram keys `prev << 32 | id` that share `id` all
        // collided (a 10 MB body took minutes). Rotating brings the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}
type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// What one worker produces for a contiguous run of docs.
#[derive(Default)]
struct Chunk {
    uni: Vec<(Box<str>, Box<str>)>,
    bi: Vec<(u32, u32)>,
    doc_end: Vec<u32>,
    ids: Vec<u32>,
    imps: Vec<u8>,
    /// After [`Chunk::sort`]: postings of local term `t` (unigrams, then bigrams) are
    /// `docs[start[t]..start[t + 1]]`, with global doc ids.
    start: Vec<u32>,
    docs: Vec<u32>,
}

impl Chunk {
    /// Counting sort of the chunk's postings by local term.
    fn sort(&mut self, first_doc: u32) {
        let nu = self.uni.len();
        let nt = nu + self.bi.len();
        let local = |id: u32| {
            if id & BI != 0 {
                nu + (id & !BI) as usize
            } else {
                id as usize
            }
        };
        let mut start = vec![0u32; nt + 1];
        for &id in &self.ids {
            start[local(id) + 1] += 1;
        }
        for i in 0..nt {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut docs = vec![0u32; self.ids.len()];
        let mut imps = vec![0u8; self.ids.len()];
        let mut k = 0usize;
        for (d, &end) in self.doc_end.iter().enumerate() {
            while k < end as usize {
                let t = local(self.ids[k]);
                let at = fill[t] as usize;
                docs[at] = first_doc + d as u32;
                imps[at] = self.imps[k];
                fill[t] += 1;
                k += 1;
            }
        }
        self.start = start;
        self.docs = docs;
        self.imps = imps;
        self.ids = Vec::new();
    }
}

#[derive(Default)]
struct State {
    uni_map: FxMap<Box<str>, u32>,
    bi_map: FxMap<u64, u32>,
    acc_uni: Vec<u32>,
    stamp_uni: Vec<u32>,
    acc_bi: Vec<u32>,
    stamp_bi: Vec<u32>,
    touched: Vec<u32>,
    stamp: u32,
    prev: Option<u32>,
    out: Chunk,
}

impl State {
    #[inline]
    fn uni(&mut self, exact: &str, folded: &str) -> u32 {
        if let Some(&id) = self.uni_map.get(exact) {
            return id;
        }
        let id = self.out.uni.len() as u32;
        self.uni_map.insert(exact.into(), id);
        self.out.uni.push((exact.into(), folded.into()));
        self.acc_uni.push(0);
        self.stamp_uni.push(0);
        id
    }

    #[inline]
    fn add(&mut self, id: u32, field: u32) {
        let (acc, stamp) = if id & BI != 0 {
            (&mut self.acc_bi, &mut self.stamp_bi)
        } else {
            (&mut self.acc_uni, &mut self.stamp_uni)
        };
        let k = (id & !BI) as usize;
        if stamp[k] != self.stamp {
            stamp[k] = self.stamp;
            acc[k] = 0;
            self.touched.push(id);
        }
        if field == 0 {
            if acc[k] & BODY_MASK < BODY_MASK {
                acc[k] += 1;
            }
        } else {
            acc[k] |= field;
        }
    }

    fn event(&mut self, e: Event<'_>, field: u32) {
        match e {
            Event::Word {
                exact,
                folded,
                pair,
                ..
            } => {
                let id = self.uni(exact, folded);
                self.add(id, field);
                if let (true, Some(p)) = (pair, self.prev) {
                    let key = (p as u64) << 32 | id as u64;
                    let bid = match self.bi_map.get(&key) {
                        Some(&b) => b,
                        None => {
                            let b = self.out.bi.len() as u32;
                            self.bi_map.insert(key, b);
                            self.out.bi.push((p, id));
                            self.acc_bi.push(0);
                            self.stamp_bi.push(0);
                            b
                        }
                    };
                    self.add(bid | BI, field);
                }
                self.prev = Some(id);
            }
            Event::Number {
                exact,
                folded,
                cuts,
                ..
            } => {
                for &(ce, cf) in cuts {
                    let id = self.uni(&exact[..ce], &folded[..cf]);
                    self.add(id, field);
                }
            }
        }
    }

    fn finish_doc(&mut self) {
        for &id in &self.touched {
            let k = (id & !BI) as usize;
            let acc = if id & BI != 0 {
                self.acc_bi[k]
            } else {
                self.acc_uni[k]
            };
            self.out.ids.push(id);
            self.out.imps.push(impact(acc));
        }
        self.touched.clear();
        self.out.doc_end.push(self.out.ids.len() as u32);
    }
}

fn tokenize_chunk(first_doc: u32, docs: &[&SearchDoc]) -> Chunk {
    let mut tok = Tokenizer::default();
    let mut st = State::default();
    for d in docs {
        st.stamp += 1;
        let mut field = |st: &mut State, text: &str, f: u32| {
            st.prev = None;
            tok.tokenize(text, |e| st.event(e, f));
        };
        field(&mut st, &d.number, F_NUMBER);
        field(&mut st, &d.title, F_TITLE);
        for u in &d.units {
            field(&mut st, &u.name, F_UNIT);
        }
        for t in &d.topics {
            field(&mut st, t, F_TOPIC);
        }
        field(&mut st, &d.summary, F_SUMMARY);
        field(&mut st, &d.body_text, 0);
        st.finish_doc();
    }
    st.out.sort(first_doc);
    st.out
}

/// One folded term with its exact variants' postings, encoded.
struct Group {
    folded: String,
    df: u32,
    /// `[exact, postings]` pairs as JSON array items (without brackets), e.g. `"đào","G5"`.
    variants: String,
}

/// Size limits; see docs/search.md.
const INLINE_MAX: usize = 300;
const UNI_SHARD_TARGET: usize = 12_000;
const BI_SHARD_TARGET: usize = 6_000;
const MAX_KEY_CHARS: usize = 6;
pub(crate) const DOCS_PER_META: usize = 1;

pub(crate) fn build(docs: &[SearchDoc]) -> Vec<SearchOutput> {
    let order = doc_order(docs);
    let sorted: Vec<&SearchDoc> = order.iter().map(|&i| &docs[i]).collect();
    let n = sorted.len();

    // 1. tokenise in parallel over contiguous runs of docs; sort each run's postings by term.
    let per = n.div_ceil(rayon::current_num_threads() * 4).max(16);
    let chunks: Vec<Chunk> = sorted
        .par_chunks(per)
        .enumerate()
        .map(|(i, c)| tokenize_chunk((i * per) as u32, c))
        .collect();

    // 2. global term ids
    let mut uni_g: FxMap<&str, u32> = FxMap::default();
    let mut uni_terms: Vec<(&str, &str)> = Vec::new();
    let mut l2g: Vec<Vec<u32>> = Vec::with_capacity(chunks.len());
    for c in &chunks {
        let mut m = Vec::with_capacity(c.uni.len() + c.bi.len());
        for (e, f) in &c.uni {
            let g = *uni_g.entry(&**e).or_insert_with(|| {
                uni_terms.push((&**e, &**f));
                uni_terms.len() as u32 - 1
            });
            m.push(g);
        }
        l2g.push(m);
    }
    let n_uni = uni_terms.len();
    let mut bi_g: FxMap<u64, u32> = FxMap::default();
    let mut bi_terms: Vec<(u32, u32)> = Vec::new();
    for (ci, c) in chunks.iter().enumerate() {
        for &(a, b) in &c.bi {
            let (ga, gb) = (l2g[ci][a as usize], l2g[ci][b as usize]);
            let key = (ga as u64) << 32 | gb as u64;
            let g = *bi_g.entry(key).or_insert_with(|| {
                bi_terms.push((ga, gb));
                bi_terms.len() as u32 - 1
            });
            l2g[ci].push(g + n_uni as u32);
        }
    }
    let n_terms = n_uni + bi_terms.len();

    // 3. for every global term, its (chunk, local term) parts in chunk (= doc id) order.
    let mut pstart = vec![0u32; n_terms + 1];
    for m in &l2g {
        for &g in m {
            pstart[g as usize + 1] += 1;
        }
    }
    for i in 0..n_terms {
        pstart[i + 1] += pstart[i];
    }
    let mut pfill = pstart.clone();
    let mut parts = vec![(0u32, 0u32); pstart[n_terms] as usize];
    for (ci, m) in l2g.iter().enumerate() {
        for (local, &g) in m.iter().enumerate() {
            parts[pfill[g as usize] as usize] = (ci as u32, local as u32);
            pfill[g as usize] += 1;
        }
    }
    let term_parts = |g: usize| &parts[pstart[g] as usize..pstart[g + 1] as usize];
    let postings = |g: usize, docs: &mut Vec<u32>, imps: &mut Vec<u8>| {
        docs.clear();
        imps.clear();
        for &(ci, local) in term_parts(g) {
            let c = &chunks[ci as usize];
            let (s, e) = (
                c.start[local as usize] as usize,
                c.start[local as usize + 1] as usize,
            );
            docs.extend_from_slice(&c.docs[s..e]);
            imps.extend_from_slice(&c.imps[s..e]);
        }
    };

    // 4. group terms by folded form, sorted; encode each group.
    let bi_strings: Vec<(String, String)> = bi_terms
        .iter()
        .map(|&(a, b)| {
            let (ea, fa) = uni_terms[a as usize];
            let (eb, fb) = uni_terms[b as usize];
            (format!("{ea} {eb}"), format!("{fa} {fb}"))
        })
        .collect();
    let term = |g: usize| -> (&str, &str) {
        if g < n_uni {
            uni_terms[g]
        } else {
            let (e, f) = &bi_strings[g - n_uni];
            (e.as_str(), f.as_str())
        }
    };
    let mut uni_ids: Vec<usize> = (0..n_uni).collect();
    uni_ids.par_sort_unstable_by(|&a, &b| (term(a).1, term(a).0).cmp(&(term(b).1, term(b).0)));
    let mut bi_ids: Vec<usize> = (n_uni..n_terms).collect();
    bi_ids.par_sort_unstable_by(|&a, &b| (term(a).1, term(a).0).cmp(&(term(b).1, term(b).0)));
    let runs = |ids: &[usize]| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ids.len() {
            let mut j = i + 1;
            while j < ids.len() && term(ids[j]).1 == term(ids[i]).1 {
                j += 1;
            }
            out.push((i, j));
            i = j;
        }
        out
    };
    let encode_group = |ids: &[usize]| -> Group {
        let mut variants = String::new();
        let mut all: Vec<u32> = Vec::new();
        let (mut docs, mut imps) = (Vec::new(), Vec::new());
        for (k, &g) in ids.iter().enumerate() {
            postings(g, &mut docs, &mut imps);
            if k > 0 {
                variants.push(',');
            }
            json_str(&mut variants, term(g).0);
            variants.push_str(",\"");
            encode_postings(&mut variants, &docs, &imps);
            variants.push('"');
            all.extend_from_slice(&docs);
        }
        if ids.len() > 1 {
            all.sort_unstable();
            all.dedup();
        }
        let df = all.len() as u32;
        Group {
            folded: term(ids[0]).1.to_string(),
            df,
            variants,
        }
    };
    let uni_runs = runs(&uni_ids);
    let bi_runs = runs(&bi_ids);
    let uni_groups: Vec<Group> = uni_runs
        .par_iter()
        .map(|&(i, j)| encode_group(&uni_ids[i..j]))
        .collect();
    let bi_groups: Vec<Group> = bi_runs
        .par_iter()
        .map(|&(i, j)| encode_group(&bi_ids[i..j]))
        .collect();

    // 5. shards
    let mut files: Vec<SearchOutput> = Vec::new();
    let mut next_ext = 0usize;
    let mut entry = |g: &Group, files: &mut Vec<SearchOutput>| -> String {
        let mut s = String::with_capacity(g.folded.len() + g.variants.len() + 16);
        json_str(&mut s, &g.folded);
        let _ = write!(s, ":[{}", g.df);
        if g.variants.len() > INLINE_MAX {
            let _ = write!(s, ",{next_ext}]");
            files.push(SearchOutput {
                path: format!("search/p/{next_ext}.json"),
                bytes: format!("[{}]", g.variants).into_bytes(),
            });
            next_ext += 1;
        } else {
            s.push(',');
            s.push_str(&g.variants);
            s.push(']');
        }
        s
    };
    let uni_entries: Vec<String> = uni_groups.iter().map(|g| entry(g, &mut files)).collect();
    let bi_entries: Vec<String> = bi_groups.iter().map(|g| entry(g, &mut files)).collect();

    let folded: Vec<&str> = uni_groups.iter().map(|g| g.folded.as_str()).collect();
    let mut keys: Vec<(String, Vec<usize>)> = Vec::new();
    split_keys(
        &folded,
        &uni_entries,
        &(0..folded.len()).collect::<Vec<_>>(),
        0,
        &mut keys,
    );
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    for (key, members) in &keys {
        let mut s = String::from("{");
        for (k, &m) in members.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            s.push_str(&uni_entries[m]);
        }
        s.push('}');
        files.push(SearchOutput {
            path: format!("search/t/{}.json", key_file(key)),
            bytes: s.into_bytes(),
        });
    }

    let bi_total: usize = bi_entries.iter().map(|e| e.len() + 1).sum();
    let buckets = bi_total.div_ceil(BI_SHARD_TARGET).max(1) as u32;
    let mut bucket_files: Vec<String> = vec![String::from("{"); buckets as usize];
    for (g, e) in bi_groups.iter().zip(&bi_entries) {
        let s = &mut bucket_files[bigram_bucket(&g.folded, buckets) as usize];
        if s.len() > 1 {
            s.push(',');
        }
        s.push_str(e);
    }
    for (i, mut s) in bucket_files.into_iter().enumerate() {
        s.push('}');
        files.push(SearchOutput {
            path: format!("search/b/{i}.json"),
            bytes: s.into_bytes(),
        });
    }

    // 6. docs, facets, manifest
    for (i, chunk) in sorted.chunks(DOCS_PER_META).enumerate() {
        let mut s = String::from("[");
        for (k, d) in chunk.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            doc_meta(&mut s, d);
        }
        s.push(']');
        files.push(SearchOutput {
            path: format!("search/d/{i}.json"),
            bytes: s.into_bytes(),
        });
    }
    let (topics, units) = facets(&sorted);
    files.push(SearchOutput {
        path: format::TOPICS.into(),
        bytes: topics,
    });
    files.push(SearchOutput {
        path: format::UNITS.into(),
        bytes: units,
    });
    let key_names: Vec<&str> = keys.iter().map(|k| k.0.as_str()).collect();
    files.push(SearchOutput {
        path: format::MANIFEST.into(),
        bytes: manifest(&sorted, &key_names, buckets),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Assigns unigram entries to shard keys: the first two chars, split by one more char while a
/// shard is over the target. `members` is sorted by folded term, so prefixes are contiguous.
fn split_keys(
    folded: &[&str],
    entries: &[String],
    members: &[usize],
    depth: usize,
    out: &mut Vec<(String, Vec<usize>)>,
) {
    let len_chars =
        |s: &str, n: usize| -> usize { s.char_indices().nth(n).map_or(s.len(), |(i, _)| i) };
    let klen = if depth == 0 { 2 } else { depth + 1 };
    let mut i = 0;
    while i < members.len() {
        let f = folded[members[i]];
        let key = &f[..len_chars(f, klen)];
        let mut j = i + 1;
        while j < members.len() && folded[members[j]][..len_chars(folded[members[j]], klen)] == *key
        {
            j += 1;
        }
        let group = &members[i..j];
        let size: usize = group.iter().map(|&m| entries[m].len() + 1).sum();
        let key_chars = key.chars().count();
        if size > UNI_SHARD_TARGET && key_chars == klen && klen < MAX_KEY_CHARS && group.len() > 1 {
            let (stay, deeper): (Vec<usize>, Vec<usize>) = group
                .iter()
                .partition(|&&m| folded[m].chars().count() <= klen);
            if !stay.is_empty() {
                out.push((key.to_string(), stay));
            }
            split_keys(folded, entries, &deeper, klen, out);
        } else {
            out.push((key.to_string(), group.to_vec()));
        }
        i = j;
    }
}

fn doc_meta(s: &mut String, d: &SearchDoc) {
    s.push_str("{\"u\":");
    json_str(s, &d.url);
    s.push_str(",\"k\":");
    json_str(s, &d.kind);
    s.push_str(",\"t\":");
    json_str(s, &d.title);
    if !d.number.is_empty() {
        s.push_str(",\"n\":");
        json_str(s, &d.number);
    }
    s.push_str(",\"d\":");
    json_str(s, &d.date);
    s.push_str(",\"s\":[");
    for (k, u) in d.units.iter().take(3).enumerate() {
        if k > 0 {
            s.push(',');
        }
        json_str(s, &u.name);
    }
    s.push_str("],\"x\":");
    json_str(s, &excerpt_source(d));
    s.push('}');
}

/// Facet files: `[[slug, name, docs], ...]` for topics and for units (free-text units skipped).
fn facets(sorted: &[&SearchDoc]) -> (Vec<u8>, Vec<u8>) {
    // slug -> (name, docs)
    let mut topics: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
    let mut units: BTreeMap<String, (String, Vec<u32>)> = BTreeMap::new();
    for (id, d) in sorted.iter().enumerate() {
        for t in &d.topics {
            let slug = slugify(t);
            if slug.is_empty() {
                continue;
            }
            let e = topics
                .entry(slug)
                .or_insert_with(|| (t.clone(), Vec::new()));
            if e.1.last() != Some(&(id as u32)) {
                e.1.push(id as u32);
            }
        }
        for u in &d.units {
            if u.slug.is_empty() {
                continue;
            }
            let e = units
                .entry(u.slug.clone())
                .or_insert_with(|| (u.name.clone(), Vec::new()));
            if e.1.last() != Some(&(id as u32)) {
                e.1.push(id as u32);
            }
        }
    }
    let write = |map: &BTreeMap<String, (String, Vec<u32>)>| -> Vec<u8> {
        let mut s = String::from("[");
        for (i, (slug, (label, docs))) in map.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            s.push('[');
            json_str(&mut s, slug);
            s.push(',');
            json_str(&mut s, label);
            s.push_str(",\"");
            encode_postings(&mut s, docs, &vec![1u8; docs.len()]);
            s.push_str("\"]");
        }
        s.push(']');
        s.into_bytes()
    };
    (write(&topics), write(&units))
}

fn manifest(sorted: &[&SearchDoc], keys: &[&str], buckets: u32) -> Vec<u8> {
    let mut s = String::new();
    let _ = write!(
        s,
        "{{\"v\":{},\"n\":{},\"bb\":{},\"dm\":{},\"groups\":[",
        format::VERSION,
        sorted.len(),
        buckets,
        DOCS_PER_META
    );
    let mut i = 0;
    let mut first = true;
    while i < sorted.len() {
        let (k, y) = (&sorted[i].kind, year_of(&sorted[i].date));
        let mut j = i + 1;
        while j < sorted.len() && sorted[j].kind == *k && year_of(&sorted[j].date) == y {
            j += 1;
        }
        if !first {
            s.push(',');
        }
        first = false;
        s.push('[');
        json_str(&mut s, k);
        s.push(',');
        json_str(&mut s, y);
        let _ = write!(s, ",{i},{j}]");
        i = j;
    }
    s.push_str("],\"keys\":[");
    for (k, key) in keys.iter().enumerate() {
        if k > 0 {
            s.push(',');
        }
        json_str(&mut s, key);
    }
    s.push_str("]}");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impacts_follow_field_weights() {
        assert!(impact(F_NUMBER) > impact(F_TITLE));
        assert!(impact(F_TITLE) > impact(F_UNIT));
        assert!(impact(F_UNIT) > impact(F_TOPIC));
        assert!(impact(F_TOPIC) > impact(F_SUMMARY));
        assert!(impact(F_SUMMARY) > impact(3));
        assert!(impact(3) > impact(1));
        assert_eq!(impact(u32::MAX), 31);
    }
}
