//! Building the sharded search index from [`SearchDoc`]s: tokenise in parallel, merge, encode.

use super::encode::{encode_postings, encode_set};
use super::format::{
    self, doc_order, excerpt_source, json_escape, json_str, key_file, slugify, year_of,
    DOCS_PER_META,
};
use super::intern::{BytesMap, PairTable, U64Map};
use super::token::{is_one_word, scan_runs, split_run, word_forms, NumScanner, Piece};
use super::{SearchDoc, SearchOutput};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// A term's field accumulator for one doc is a `u32`: the body's term frequency (saturating)
/// in its low 8 bits, a bit for each other field it occurs in, and the stamp of the doc (see
/// [`ChunkBuilder::stamp`]) from [`STAMP_SHIFT`] up.
const TF_MASK: u32 = 0xff;
const F_SUMMARY: u32 = 1 << 8;
const F_TOPIC: u32 = 1 << 9;
const F_UNIT: u32 = 1 << 10;
const F_TITLE: u32 = 1 << 11;
const F_NUMBER: u32 = 1 << 12;
const STAMP_SHIFT: u32 = 13;
const BI: u32 = 1 << 31;

/// Field weights (see docs/search.md): number > title > unit > topic > summary > body.
const FIELD_WEIGHTS: [(u32, u32); 5] = [
    (F_SUMMARY, 3),
    (F_TOPIC, 4),
    (F_UNIT, 6),
    (F_TITLE, 8),
    (F_NUMBER, 16),
];

/// The summed weight of every combination of the field bits (`acc >> 8`).
const FIELD_SUMS: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut m = 0;
    while m < 32 {
        let mut k = 0;
        while k < 5 {
            if (m << 8) & FIELD_WEIGHTS[k].0 != 0 {
                t[m as usize] += FIELD_WEIGHTS[k].1;
            }
            k += 1;
        }
        m += 1;
    }
    t
};

/// A posting's impact from its field accumulator: the body's term frequency in five steps
/// (0, 1, 2-3, 4-7, 8 or more), plus the weights of the other fields it occurs in.
#[inline(always)]
fn impact(acc: u32) -> u8 {
    let tf = acc & TF_MASK;
    let s = (u32::BITS - tf.leading_zeros()).min(4) + FIELD_SUMS[(acc >> 8) as usize & 31];
    s.min(super::encode::MAX_IMPACT as u32) as u8
}

const NONE: u32 = u32::MAX;
/// The raw-spelling tables' value for a run of word bytes that is not one word.
const SPLIT: u32 = u32::MAX - 1;

/// What one worker produces for a contiguous run of docs: its terms (local ids) and, for every
/// local term (unigrams, then bigrams), the docs that hold it (as offsets from `first_doc`)
/// with their impacts: `posts[start[t]..start[t + 1]]`.
struct Chunk {
    first_doc: u32,
    /// Exact and folded forms of the local unigrams, in `text`: `(exact end, folded end)`
    /// offsets, each form starting where the previous one ends.
    text: String,
    uni: Vec<(u32, u32)>,
    bi: Vec<(u32, u32)>,
    start: Vec<u32>,
    /// A posting: the doc's offset (`u16`, little-endian) and the impact, in 3 bytes written
    /// together (the counting sort scatters them: one write, not two).
    posts: Vec<[u8; 3]>,
}

/// A posting's doc offset and impact.
#[inline(always)]
fn post(p: [u8; 3]) -> (u16, u8) {
    (u16::from_le_bytes([p[0], p[1]]), p[2])
}

impl Chunk {
    fn exact(&self, t: u32) -> &str {
        let s = if t == 0 {
            0
        } else {
            self.uni[t as usize - 1].1
        };
        &self.text[s as usize..self.uni[t as usize].0 as usize]
    }
    fn folded(&self, t: u32) -> &str {
        let (e, f) = self.uni[t as usize];
        &self.text[e as usize..f as usize]
    }
}

/// Tokenises a run of docs into a [`Chunk`]: interns every raw word once (most words repeat:
/// lowercasing and folding run only on the first sight of a spelling), counts each term's
/// fields per doc, and sorts the postings by term.
struct ChunkBuilder {
    scanner: NumScanner,
    /// Raw spelling -> local unigram id (or [`NONE`] for a word with an empty folded form):
    /// spellings of up to 8 bytes (most syllables) packed into a `u64`, longer ones by bytes.
    raw_short: U64Map,
    raw: BytesMap,
    /// Exact form -> local unigram id.
    exact: BytesMap,
    /// Pairs of unigram ids -> local bigram id, with each bigram's accumulator in its slot.
    pairs: PairTable,
    /// Per unigram, its accumulator.
    acc_uni: Vec<u32>,
    /// The unigrams (ids) and the bigrams (slots of `pairs`) the current doc holds, in order
    /// of first sight.
    touched_uni: Touched,
    touched_bi: Touched,
    /// The current doc's number in the run (from 1) shifted by [`STAMP_SHIFT`], as the
    /// accumulators hold it: a term whose accumulator has another stamp is new to the doc.
    stamp: u32,
    /// The last word of the field that may start a pair, or [`NONE`].
    prev: u32,
    /// The end of the last document number (no number starts inside another).
    num_end: usize,
    /// Postings in doc order: term ids (with [`BI`] for bigrams), impacts, end of each doc.
    ids: Vec<u32>,
    imps: Vec<u8>,
    doc_end: Vec<u32>,
    buf_exact: String,
    buf_folded: String,
    out: Chunk,
}

impl ChunkBuilder {
    fn new(first_doc: u32) -> Self {
        ChunkBuilder {
            scanner: NumScanner::default(),
            raw_short: U64Map::with_capacity(2048),
            raw: BytesMap::with_capacity(256),
            exact: BytesMap::with_capacity(2048),
            pairs: PairTable::with_capacity(1 << 13),
            acc_uni: Vec::new(),
            touched_uni: Touched::default(),
            touched_bi: Touched::default(),
            stamp: 0,
            prev: NONE,
            num_end: 0,
            ids: Vec::new(),
            imps: Vec::new(),
            doc_end: Vec::new(),
            buf_exact: String::new(),
            buf_folded: String::new(),
            out: Chunk {
                first_doc,
                text: String::new(),
                uni: Vec::new(),
                bi: Vec::new(),
                start: Vec::new(),
                posts: Vec::new(),
            },
        }
    }

    /// The local id of a unigram by its exact and folded forms.
    fn intern(u: &mut UniTables<'_>, exact: &str, folded: &str) -> u32 {
        u.exact.get_or_insert(exact.as_bytes(), || {
            let id = u.out.uni.len() as u32;
            u.out.text.push_str(exact);
            let e = u.out.text.len() as u32;
            u.out.text.push_str(folded);
            u.out.uni.push((e, u.out.text.len() as u32));
            u.acc.push(0);
            id
        })
    }

    /// The local unigram id of a spelling first seen in this run: [`NONE`] when it folds to
    /// nothing, [`SPLIT`] when the run of word bytes is not one word.
    #[cold]
    #[inline(never)]
    fn spelling(u: &mut UniTables<'_>, w: &str, exact: &mut String, folded: &mut String) -> u32 {
        if !is_one_word(w) {
            return SPLIT;
        }
        word_forms(w, exact, folded);
        if folded.is_empty() {
            NONE
        } else {
            Self::intern(u, exact, folded)
        }
    }

    /// The local id of a new bigram `(p, id)`.
    #[cold]
    #[inline(never)]
    fn new_pair(out: &mut Chunk, p: u32, id: u32) -> u32 {
        out.bi.push((p, id));
        out.bi.len() as u32 - 1
    }

    /// Counts an occurrence of term `k` (a unigram id or a slot of `pairs`) in `field` of the
    /// doc with stamp `now`, whose accumulator is `acc`. Without a branch on whether the doc
    /// has seen the term before: that is unpredictable (a third of a doc's words are new to it).
    #[inline(always)]
    fn add(acc: &mut u32, touched: &mut Touched, now: u32, k: u32, field: u32) {
        let a = *acc;
        let new = a >> STAMP_SHIFT != now >> STAMP_SHIFT;
        touched.push_if(k, new);
        let a = if new { now } else { a };
        *acc = if field == 0 {
            a + u32::from(a & TF_MASK != TF_MASK)
        } else {
            a | field
        };
    }

    /// Tokenises one field of the current doc (see [`super::token`] for the rule).
    fn field(&mut self, text: &str, field: u32) {
        self.prev = NONE;
        self.num_end = 0;
        scan_runs(
            text.as_bytes(),
            #[inline(always)]
            |start, end, hard| {
                if hard {
                    self.prev = NONE;
                }
                let id = self.spelling_id(text, start, end);
                if id == SPLIT {
                    self.split(text, start, end, field);
                } else {
                    self.word(text, start, id, field);
                }
            },
        );
    }

    /// The value of the run `start..end` of word bytes in the raw-spelling tables.
    #[inline(always)]
    fn spelling_id(&mut self, text: &str, start: usize, end: usize) -> u32 {
        let bytes = text.as_bytes();
        let len = end - start;
        let mut u = UniTables {
            exact: &mut self.exact,
            out: &mut self.out,
            acc: &mut self.acc_uni,
        };
        let (e, f) = (&mut self.buf_exact, &mut self.buf_folded);
        let w = || text.get(start..end).unwrap_or_default();
        if len <= 8 {
            // The spelling's bytes, zero-padded (a word holds no NUL byte).
            let key = match bytes.get(start..start + 8) {
                Some(b) => {
                    // `len` is 1 to 8: keep its low `8 * len` bits.
                    u64::from_le_bytes(b.try_into().unwrap_or_default())
                        & u64::MAX >> (64 - 8 * len)
                }
                None => {
                    let mut buf = [0u8; 8];
                    buf[..len].copy_from_slice(bytes.get(start..end).unwrap_or_default());
                    u64::from_le_bytes(buf)
                }
            };
            self.raw_short
                .get_or_insert(key, || Self::spelling(&mut u, w(), e, f))
        } else {
            self.raw
                .get_or_insert(bytes.get(start..end).unwrap_or_default(), || {
                    Self::spelling(&mut u, w(), e, f)
                })
        }
    }

    /// Counts the word at `start` with its spelling's value `id`, after the document number
    /// it starts, if any.
    #[inline(always)]
    fn word(&mut self, text: &str, start: usize, id: u32, field: u32) {
        if text.as_bytes().get(start).is_some_and(u8::is_ascii_digit) {
            self.number(text, start, field);
        }
        if id >= SPLIT {
            // [`NONE`]: it folds to nothing, and neither ends nor breaks a pair.
            return;
        }
        let now = self.stamp;
        Self::add(
            &mut self.acc_uni[id as usize],
            &mut self.touched_uni,
            now,
            id,
            field,
        );
        let p = self.prev;
        if p != NONE {
            let out = &mut self.out;
            let i = self.pairs.slot(
                (p as u64) << 32 | id as u64,
                self.touched_bi.held_mut(),
                || Self::new_pair(out, p, id),
            );
            Self::add(
                &mut self.pairs.slots[i].acc,
                &mut self.touched_bi,
                now,
                i as u32,
                field,
            );
        }
        self.prev = id;
    }

    /// Counts the parts of the document number at `start`, if one starts there.
    #[inline(never)]
    fn number(&mut self, text: &str, start: usize, field: u32) {
        let now = self.stamp;
        let Some((ex, folded, cuts)) = self.scanner.number(text, start, &mut self.num_end) else {
            return;
        };
        let mut u = UniTables {
            exact: &mut self.exact,
            out: &mut self.out,
            acc: &mut self.acc_uni,
        };
        for &(ce, cf) in cuts {
            let id = Self::intern(&mut u, &ex[..ce], &folded[..cf]);
            Self::add(
                &mut u.acc[id as usize],
                &mut self.touched_uni,
                now,
                id,
                field,
            );
        }
    }

    /// Counts the words of a run of word bytes that is not one word (it holds punctuation
    /// such as `“` or `–`, or a no-break space), split by the plain char rule.
    #[cold]
    #[inline(never)]
    fn split(&mut self, text: &str, start: usize, end: usize, field: u32) {
        split_run(text, start, end, |p| match p {
            Piece::Word(s, e) => {
                let id = self.spelling_id(text, s, e);
                self.word(text, s, id, field);
            }
            Piece::Hard => self.prev = NONE,
        });
    }

    fn doc(&mut self, d: &SearchDoc) {
        // At most [`MAX_CHUNK_DOCS`] docs a run: the stamp fits above the fields.
        self.stamp += 1 << STAMP_SHIFT;
        self.field(&d.number, F_NUMBER);
        self.field(&d.title, F_TITLE);
        for u in &d.units {
            self.field(&u.name, F_UNIT);
        }
        for t in &d.topics {
            self.field(t, F_TOPIC);
        }
        self.field(&d.summary, F_SUMMARY);
        self.field(&d.body_text, 0);
        for &k in self.touched_uni.held() {
            self.ids.push(k);
            self.imps.push(impact(self.acc_uni[k as usize]));
        }
        for &i in self.touched_bi.held() {
            let s = self.pairs.slots[i as usize];
            self.ids.push(s.id | BI);
            self.imps.push(impact(s.acc));
        }
        self.touched_uni.clear();
        self.touched_bi.clear();
        self.doc_end.push(self.ids.len() as u32);
    }

    /// Counting sort of the postings by local term.
    fn finish(self) -> Chunk {
        let mut out = self.out;
        let nu = out.uni.len();
        let nt = nu + out.bi.len();
        // Unigrams first, then bigrams.
        let local = |id: u32| (id & !BI) as usize + (id >> 31) as usize * nu;
        let mut start = vec![0u32; nt + 1];
        for &id in &self.ids {
            start[local(id) + 1] += 1;
        }
        for i in 0..nt {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut posts = vec![[0u8; 3]; self.ids.len()];
        let mut k = 0usize;
        for (d, &end) in self.doc_end.iter().enumerate() {
            while k < end as usize {
                let t = local(self.ids[k]);
                let at = fill[t] as usize;
                let [lo, hi] = (d as u16).to_le_bytes();
                posts[at] = [lo, hi, self.imps[k]];
                fill[t] += 1;
                k += 1;
            }
        }
        out.start = start;
        out.posts = posts;
        out
    }
}

/// The tables a new unigram goes into.
struct UniTables<'a> {
    exact: &'a mut BytesMap,
    out: &'a mut Chunk,
    acc: &'a mut Vec<u32>,
}

/// The terms a doc holds, appended without a branch on whether they count: the next one is
/// written in any case, and the length moves on only if it counts.
#[derive(Default)]
struct Touched {
    buf: Vec<u32>,
    len: usize,
}

impl Touched {
    #[inline(always)]
    fn push_if(&mut self, k: u32, yes: bool) {
        if self.len == self.buf.len() {
            self.grow();
        }
        if let Some(slot) = self.buf.get_mut(self.len) {
            *slot = k;
        }
        self.len += usize::from(yes);
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        self.buf.resize((self.buf.len() * 2).max(1024), 0);
    }

    fn held(&self) -> &[u32] {
        &self.buf[..self.len]
    }

    fn held_mut(&mut self) -> &mut [u32] {
        &mut self.buf[..self.len]
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

fn tokenize_chunk(first_doc: u32, docs: &[SearchDoc]) -> Chunk {
    let mut b = ChunkBuilder::new(first_doc);
    for d in docs {
        b.doc(d);
    }
    b.finish()
}

/// Size limits; see docs/search.md.
const INLINE_MAX: usize = 300;
const UNI_SHARD_TARGET: usize = 12_000;
const BI_SHARD_TARGET: usize = 6_000;
const MAX_KEY_CHARS: usize = 6;
/// Docs per chunk of the tokenising stage (doc offsets in a chunk are `u16`).
const MAX_CHUNK_DOCS: usize = 8192;
// The stamp of a run's last doc fits above the fields in an accumulator.
const _: () = assert!(MAX_CHUNK_DOCS < 1 << (32 - STAMP_SHIFT));

/// One encoded group of terms (one folded form), before the `p/` files are numbered.
struct Encoded {
    /// `"folded":[df,` — the entry up to its postings.
    head: String,
    /// `[`, then the `[exact, postings]` pairs as JSON array items.
    variants: String,
    /// Unigram shard key material (the folded form) or bigram bucket.
    folded_len: usize,
    bucket: u32,
}

pub(crate) fn build(docs: Vec<SearchDoc>) -> Vec<SearchOutput> {
    finish(tokenise(docs, &|_, _| {}))
}

/// Docs tokenised, waiting for [`finish`]: the docs in index order (each body's text cut to
/// what an excerpt may need) and the runs' postings.
pub struct Tokenised {
    owned: Vec<SearchDoc>,
    chunks: Vec<Chunk>,
    /// Time spent tokenising, summed over threads (for `SANGTAO_TIMINGS`), in ns: the runs
    /// less the `fill` of their docs (`search_docs::index_with_bodies` adds the making of the
    /// docs).
    pub tokenising_ns: u64,
}

/// Step 1 of [`build`], where `fill(i, doc)` completes the `i`-th doc just before it is
/// tokenised (the order of docs only depends on their kind and date).
pub(crate) fn tokenise(
    docs: Vec<SearchDoc>,
    fill: &(dyn Fn(usize, &mut SearchDoc) + Sync),
) -> Tokenised {
    let order = doc_order(&docs);
    let mut slots: Vec<Option<SearchDoc>> = docs.into_iter().map(Some).collect();
    let mut owned: Vec<SearchDoc> = order
        .iter()
        .map(|&i| slots[i].take().unwrap_or_default())
        .collect();
    drop(slots);
    let n = owned.len();

    // 1. tokenise in parallel over contiguous runs of docs; sort each run's postings by term.
    //    A body's text is freed once tokenised (but for what an excerpt may need).
    let per = n
        .div_ceil(rayon::current_num_threads() * 8)
        .clamp(16, MAX_CHUNK_DOCS);
    let spent = AtomicU64::new(0);
    let chunks: Vec<Chunk> = owned
        .par_chunks_mut(per)
        .enumerate()
        .map(|(i, c)| {
            for (k, d) in c.iter_mut().enumerate() {
                fill(order[i * per + k], d);
            }
            let start = std::time::Instant::now();
            let chunk = tokenize_chunk((i * per) as u32, c);
            c.iter_mut().for_each(format::keep_excerpt_source);
            spent.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
            chunk
        })
        .collect();
    Tokenised {
        owned,
        chunks,
        tokenising_ns: spent.into_inner(),
    }
}

/// Steps 2 to 7 of [`build`]: merges the runs and writes every file.
pub(crate) fn finish(t: Tokenised) -> Vec<SearchOutput> {
    let Tokenised { owned, chunks, .. } = t;
    let sorted: Vec<&SearchDoc> = owned.iter().collect();
    let n_docs = sorted.len();

    // 2. global term ids: unigrams by exact form, bigrams by their pair of unigram ids.
    let mut uni_g = BytesMap::with_capacity(1 << 14);
    let mut uni_terms: Vec<(u32, u32)> = Vec::new(); // (chunk, local)
    let mut l2g: Vec<Vec<u32>> = Vec::with_capacity(chunks.len());
    for (ci, c) in chunks.iter().enumerate() {
        let mut m = Vec::with_capacity(c.uni.len() + c.bi.len());
        for t in 0..c.uni.len() as u32 {
            m.push(uni_g.get_or_insert(c.exact(t).as_bytes(), || {
                uni_terms.push((ci as u32, t));
                uni_terms.len() as u32 - 1
            }));
        }
        l2g.push(m);
    }
    let n_uni = uni_terms.len();
    let uni_exact = |g: u32| {
        let (c, t) = uni_terms[g as usize];
        chunks[c as usize].exact(t)
    };
    let uni_folded = |g: u32| {
        let (c, t) = uni_terms[g as usize];
        chunks[c as usize].folded(t)
    };
    let mut bi_g = U64Map::with_capacity(1 << 18);
    let mut bi_terms: Vec<(u32, u32)> = Vec::new();
    for (ci, c) in chunks.iter().enumerate() {
        let m = &mut l2g[ci];
        for &(a, b) in &c.bi {
            let (ga, gb) = (m[a as usize], m[b as usize]);
            let g = bi_g.get_or_insert((ga as u64) << 32 | gb as u64, || {
                bi_terms.push((ga, gb));
                bi_terms.len() as u32 - 1
            });
            m.push(g + n_uni as u32);
        }
    }
    drop(bi_g);
    drop(uni_g);
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
    drop(pfill);
    drop(l2g);
    // The postings of global term `g`: each part's chunk and its range of postings there.
    let spans = |g: usize| {
        parts[pstart[g] as usize..pstart[g + 1] as usize]
            .iter()
            .map(|&(ci, local)| {
                let c = &chunks[ci as usize];
                let l = local as usize;
                (c, c.start[l] as usize..c.start[l + 1] as usize)
            })
    };
    let postings = |g: usize, docs: &mut Vec<u32>, imps: &mut Vec<u8>| {
        docs.clear();
        imps.clear();
        for (c, r) in spans(g) {
            let posts = &c.posts[r];
            docs.extend(posts.iter().map(|&p| c.first_doc + post(p).0 as u32));
            imps.extend(posts.iter().map(|&p| post(p).1));
        }
    };

    // 4. order: unigrams by (folded, exact); bigrams by (folded a, folded b, exact a, exact b),
    //    which is the order of their "a b" strings (a space sorts before any token char).
    let mut uni_ids: Vec<u32> = (0..n_uni as u32).collect();
    uni_ids.par_sort_unstable_by(|&a, &b| {
        (uni_folded(a), uni_exact(a)).cmp(&(uni_folded(b), uni_exact(b)))
    });
    let mut fid = vec![0u32; n_uni];
    let mut next = 0;
    for (k, &g) in uni_ids.iter().enumerate() {
        if k > 0 && uni_folded(g) != uni_folded(uni_ids[k - 1]) {
            next += 1;
        }
        fid[g as usize] = next;
    }
    let mut by_exact: Vec<u32> = (0..n_uni as u32).collect();
    by_exact.par_sort_unstable_by(|&a, &b| uni_exact(a).cmp(uni_exact(b)));
    let mut eid = vec![0u32; n_uni];
    for (k, &g) in by_exact.iter().enumerate() {
        eid[g as usize] = k as u32;
    }
    drop(by_exact);
    let bi_key = |b: u32| -> u128 {
        let (x, y) = bi_terms[b as usize];
        let (x, y) = (x as usize, y as usize);
        (fid[x] as u128) << 96 | (fid[y] as u128) << 64 | (eid[x] as u128) << 32 | eid[y] as u128
    };
    let mut bi_ids: Vec<u32> = (0..bi_terms.len() as u32).collect();
    bi_ids.par_sort_unstable_by_key(|&b| bi_key(b));
    let runs = |ids: &[u32], key: &(dyn Fn(u32) -> u64 + Sync)| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < ids.len() {
            let k = key(ids[i]);
            let mut j = i + 1;
            while j < ids.len() && key(ids[j]) == k {
                j += 1;
            }
            out.push((i, j));
            i = j;
        }
        out
    };
    let uni_runs = runs(&uni_ids, &|g| fid[g as usize] as u64);
    let bi_runs = runs(&bi_ids, &|b| (bi_key(b) >> 64) as u64);

    // 5. encode every group (one folded form and its exact variants) in parallel.
    // A group's df counts the docs of all its variants once: `seen[d]` is the number of the
    // last group (on this thread) that counted doc `d` (sorting the variants' doc ids together
    // was 1.3 % of a 1k build's instructions).
    let encode_group = |bufs: &mut (Vec<u32>, Vec<u8>, Vec<u32>, u32), ids: &[u32], bi: bool| {
        let (docs, imps, seen, group) = bufs;
        *group += 1;
        let mut df = 0usize;
        // Room for what the group writes, so that its strings are not grown step by step (75,000
        // reallocations in a 1k build): the names, and at most two chars a posting in most lists.
        let postings_len = |g: usize| -> usize { spans(g).map(|(_, r)| r.len()).sum() };
        let room: usize = ids
            .iter()
            .map(|&g| {
                let (g, name) = if bi {
                    let (x, y) = bi_terms[g as usize];
                    (
                        n_uni + g as usize,
                        uni_exact(x).len() + 1 + uni_exact(y).len(),
                    )
                } else {
                    (g as usize, uni_exact(g).len())
                };
                name + 8 + 2 * postings_len(g)
            })
            .sum();
        let mut head = String::with_capacity(64);
        // `[` first, so that a long list is its `p/` file as it stands.
        let mut variants = String::with_capacity(room + 2);
        variants.push('[');
        let pair = |b: u32| bi_terms[b as usize];
        if bi {
            let (x, y) = pair(ids[0]);
            json_str_parts(&mut head, &[uni_folded(x), " ", uni_folded(y)]);
        } else {
            json_str(&mut head, uni_folded(ids[0]));
        }
        let folded_len = head.len() - 2;
        let bucket = if bi {
            let (x, y) = pair(ids[0]);
            bigram_bucket_parts(&[uni_folded(x), " ", uni_folded(y)])
        } else {
            0
        };
        for (k, &g) in ids.iter().enumerate() {
            if bi {
                let (x, y) = pair(g);
                postings(n_uni + g as usize, docs, imps);
                if k > 0 {
                    variants.push(',');
                }
                json_str_parts(&mut variants, &[uni_exact(x), " ", uni_exact(y)]);
            } else {
                postings(g as usize, docs, imps);
                if k > 0 {
                    variants.push(',');
                }
                json_str(&mut variants, uni_exact(g));
            }
            variants.push_str(",\"");
            encode_postings(&mut variants, docs, imps);
            variants.push('"');
            if ids.len() == 1 {
                df = docs.len();
            } else {
                if seen.is_empty() {
                    seen.resize(n_docs, 0);
                }
                for &d in docs.iter() {
                    let s = &mut seen[d as usize];
                    if *s != *group {
                        *s = *group;
                        df += 1;
                    }
                }
            }
        }
        // `write!` goes through the formatting machinery: about 400 instructions a number.
        head.push_str(":[");
        head.push_str(itoa::Buffer::new().format(df));
        head.push(',');
        Encoded {
            head,
            variants,
            folded_len,
            bucket,
        }
    };
    let init = || (Vec::new(), Vec::new(), Vec::new(), 0);
    let uni_enc: Vec<Encoded> = uni_runs
        .par_iter()
        .map_init(init, |b, &(i, j)| encode_group(b, &uni_ids[i..j], false))
        .collect();
    let bi_enc: Vec<Encoded> = bi_runs
        .par_iter()
        .map_init(init, |b, &(i, j)| encode_group(b, &bi_ids[i..j], true))
        .collect();
    drop(parts);
    chunks_guard(chunks);

    // 6. shards: a group's entry is inline, or points to its own `p/` file.
    let mut files: Vec<SearchOutput> = Vec::new();
    let mut next_ext = 0usize;
    let mut entry = |g: Encoded, files: &mut Vec<SearchOutput>| -> String {
        let mut s = g.head;
        let mut variants = g.variants;
        if variants.len() - 1 > INLINE_MAX {
            let _ = write!(s, "{next_ext}]");
            variants.push(']');
            files.push(SearchOutput {
                path: format!("search/p/{next_ext}.json"),
                bytes: variants.into_bytes(),
            });
            next_ext += 1;
        } else {
            s.push_str(&variants[1..]);
            s.push(']');
        }
        s
    };
    let uni_meta: Vec<usize> = uni_enc.iter().map(|g| g.folded_len).collect();
    let uni_entries: Vec<String> = uni_enc.into_iter().map(|g| entry(g, &mut files)).collect();
    let bi_buckets: Vec<u32> = bi_enc.iter().map(|g| g.bucket).collect();
    let bi_entries: Vec<String> = bi_enc.into_iter().map(|g| entry(g, &mut files)).collect();

    // The folded form of a unigram entry is its JSON key: `"…"` at the start, no escapes
    // (token chars only).
    let folded: Vec<&str> = uni_entries
        .iter()
        .zip(&uni_meta)
        .map(|(e, &l)| &e[1..1 + l])
        .collect();
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
        let size: usize = members.iter().map(|&m| uni_entries[m].len() + 1).sum();
        let mut s = String::with_capacity(size + 2);
        s.push('{');
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
    // A power of two: an edit that adds or removes a few pairs leaves the number of buckets,
    // and so every shard it does not touch, as it was (a rebuild rewrites only those shards,
    // and browsers and CDNs keep the rest cached). It changes only when the total doubles.
    let buckets = bi_total
        .div_ceil(BI_SHARD_TARGET)
        .max(1)
        .next_power_of_two() as u32;
    let mut bucket_files: Vec<String> = vec![String::from("{"); buckets as usize];
    for (&h, e) in bi_buckets.iter().zip(&bi_entries) {
        let s = &mut bucket_files[(h % buckets) as usize];
        if s.len() > 1 {
            s.push(',');
        }
        s.push_str(e);
    }
    drop(bi_entries);
    for (i, mut s) in bucket_files.into_iter().enumerate() {
        s.push('}');
        files.push(SearchOutput {
            path: format!("search/b/{i}.json"),
            bytes: s.into_bytes(),
        });
    }

    // 7. docs, facets, manifest
    let metas: Vec<SearchOutput> = sorted
        .par_chunks(DOCS_PER_META)
        .enumerate()
        .map(|(i, chunk)| {
            let mut s = String::from("[");
            for (k, d) in chunk.iter().enumerate() {
                if k > 0 {
                    s.push(',');
                }
                doc_meta(&mut s, d);
            }
            s.push(']');
            SearchOutput {
                path: format!("search/d/{i}.json"),
                bytes: s.into_bytes(),
            }
        })
        .collect();
    files.extend(metas);
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
    files.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Frees the chunks in parallel (a large deallocation is not free).
fn chunks_guard(chunks: Vec<Chunk>) {
    chunks.into_par_iter().for_each(drop);
}

/// [`json_str`] of the concatenation of `parts`.
fn json_str_parts(out: &mut String, parts: &[&str]) {
    out.push('"');
    for p in parts {
        json_escape(out, p);
    }
    out.push('"');
}

/// [`format::bigram_bucket`] of the concatenation of `parts`, before the modulo.
fn bigram_bucket_parts(parts: &[&str]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for p in parts {
        for &b in p.as_bytes() {
            h ^= b as u32;
            h = h.wrapping_mul(0x0100_0193);
        }
    }
    h
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
    // Topic names repeat: slugify each once.
    let mut slugs: HashMap<&str, String> = HashMap::new();
    for (id, d) in sorted.iter().enumerate() {
        for t in &d.topics {
            let slug = slugs.entry(t.as_str()).or_insert_with(|| slugify(t));
            if slug.is_empty() {
                continue;
            }
            let e = topics
                .entry(slug.clone())
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
            encode_set(&mut s, docs);
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
    use crate::search::token::Raw;

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

    /// The table-driven `impact` against the rule written out plainly.
    #[test]
    fn impact_matches_its_rule() {
        let plain = |acc: u32| {
            let mut s: u32 = match acc & TF_MASK {
                0 => 0,
                1 => 1,
                2..=3 => 2,
                4..=7 => 3,
                _ => 4,
            };
            for (bit, w) in FIELD_WEIGHTS {
                if acc & bit != 0 {
                    s += w;
                }
            }
            s.min(31) as u8
        };
        for fields in 0..32u32 {
            for tf in 0..=TF_MASK {
                let acc = fields << 8 | tf;
                assert_eq!(impact(acc), plain(acc), "fields {fields:05b}, tf {tf}");
            }
        }
    }

    /// The terms and impacts of one doc as the plain scanner finds them ([`NumScanner::scan`],
    /// itself tested against the char-by-char rule), counted with maps and strings.
    fn plain_terms(d: &SearchDoc) -> BTreeMap<String, u8> {
        let mut acc: BTreeMap<String, u32> = BTreeMap::new();
        let mut fields: Vec<(&str, u32)> = vec![(&d.number, F_NUMBER), (&d.title, F_TITLE)];
        fields.extend(d.units.iter().map(|u| (u.name.as_str(), F_UNIT)));
        fields.extend(d.topics.iter().map(|t| (t.as_str(), F_TOPIC)));
        fields.extend([(d.summary.as_str(), F_SUMMARY), (d.body_text.as_str(), 0)]);
        for (text, field) in fields {
            let mut add = |key: String| {
                let a = acc.entry(key).or_default();
                if field == 0 {
                    *a = (*a & !TF_MASK) | ((*a & TF_MASK) + 1).min(TF_MASK);
                } else {
                    *a |= field;
                }
            };
            let mut prev: Option<String> = None;
            let (mut e, mut f) = (String::new(), String::new());
            NumScanner::default().scan(text, |r| match r {
                Raw::Word { raw, pair, .. } => {
                    word_forms(raw, &mut e, &mut f);
                    if f.is_empty() {
                        return false;
                    }
                    add(format!("u {e} {f}"));
                    if let Some(p) = prev.as_ref().filter(|_| pair) {
                        add(format!("b {p} {e}"));
                    }
                    prev = Some(e.clone());
                    true
                }
                Raw::Number {
                    exact,
                    folded,
                    cuts,
                    ..
                } => {
                    for &(ce, cf) in cuts {
                        add(format!("u {} {}", &exact[..ce], &folded[..cf]));
                    }
                    false
                }
            });
        }
        acc.into_iter().map(|(k, a)| (k, impact(a))).collect()
    }

    /// The terms and impacts of doc `k` of a chunk, in the form of [`plain_terms`].
    fn chunk_terms(c: &Chunk, k: u16) -> BTreeMap<String, u8> {
        let nu = c.uni.len();
        let mut out = BTreeMap::new();
        for t in 0..nu + c.bi.len() {
            let (from, to) = (c.start[t] as usize, c.start[t + 1] as usize);
            let Some(i) = (from..to).find(|&i| post(c.posts[i]).0 == k) else {
                continue;
            };
            let key = if t < nu {
                format!("u {} {}", c.exact(t as u32), c.folded(t as u32))
            } else {
                let (p, q) = c.bi[t - nu];
                format!("b {} {}", c.exact(p), c.exact(q))
            };
            out.insert(key, post(c.posts[i]).1);
        }
        out
    }

    /// The builder scans runs of word bytes and splits the rare run that is not one word by the
    /// plain rule, once per spelling: its terms and impacts must be the plain scanner's, for
    /// punctuation glued to words, no-break spaces, numbers, marks and words across blocks.
    #[test]
    fn the_builder_counts_what_the_plain_scanner_finds() {
        let pieces: Vec<&str> = vec![
            "đổi",
            "mới",
            "Sáng",
            "TẠO",
            "a",
            "9",
            "2024",
            "KH",
            "GDĐT",
            "182/KH-GDĐT",
            "30/2020/NĐ-CP",
            " ",
            " ",
            "  ",
            "\t",
            "\n",
            "-",
            "/",
            ".",
            ", ",
            "“",
            "”",
            "–",
            "…",
            "\u{a0}",
            "\u{301}",
            "×",
            "😀",
            "漢",
            "e\u{302}\u{301}",
            "x",
            "ê",
        ];
        let mut next = crate::testing::lcg(0x9e37_79b9_7f4a_7c15);
        let mut docs = Vec::new();
        for len in 0..300 {
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(pieces[next() % pieces.len()]);
            }
            // A word longer than a block now and then, and the title from the same pieces.
            if len % 7 == 3 {
                text.push_str(&"ê".repeat(len % 50));
            }
            let title: String = (0..len % 9)
                .map(|_| pieces[next() % pieces.len()])
                .collect();
            docs.push(SearchDoc {
                title,
                number: if len % 5 == 0 {
                    "182/KH-GDĐT".into()
                } else {
                    String::new()
                },
                body_text: text,
                ..SearchDoc::default()
            });
        }
        // A doc with more distinct terms than the lists of a doc's terms first hold and than
        // the pair table holds at first: both grow while the doc is counted.
        docs.push(SearchDoc {
            body_text: (0..30_000).map(|i| format!("từ{} ", i % 20_000)).collect(),
            ..SearchDoc::default()
        });
        let c = tokenize_chunk(0, &docs);
        for (k, d) in docs.iter().enumerate() {
            assert_eq!(
                chunk_terms(&c, k as u16),
                plain_terms(d),
                "{:?}",
                d.body_text
            );
        }
    }
}
