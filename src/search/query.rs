//! Querying the built index in Rust, step for step as `search.js` does it.

use super::encode::{decode_postings, decode_set};
use super::format::{bigram_bucket, key_file, MANIFEST, TOPICS, UNITS};
use super::token::{nfc, Event, Tokenizer};
use super::{QueryResult, SearchOutput};
use serde_json::Value;
use std::collections::HashMap;

/// Results whose doc metadata the client fetches (the first page).
pub const PAGE_SIZE: usize = 20;
/// Completions of the last word considered, and how many of them may need their own file.
const MAX_COMPLETIONS: usize = 8;
const MAX_EXTERNAL_COMPLETIONS: usize = 2;
const MAX_KEY_CHARS: usize = 6;
/// Score factor of a completion relative to a whole-word match.
const WORD_FACTOR: f64 = 2.0;
const PREFIX_FACTOR: f64 = 1.0;
/// Weight of an adjacent-pair hit.
const PAIR_FACTOR: f64 = 3.0;

/// Facet filters, as in the page's URL parameters (`type`, `unit`, `year`, `topic`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub kind: Option<String>,
    pub unit: Option<String>,
    pub year: Option<String>,
    pub topic: Option<String>,
}

impl Filters {
    fn is_empty(&self) -> bool {
        self.kind.is_none() && self.unit.is_none() && self.year.is_none() && self.topic.is_none()
    }
}

/// A query word.
#[derive(Clone, Debug)]
pub(crate) struct QWord {
    pub exact: String,
    pub folded: String,
    pub quoted: bool,
    pub prefix: bool,
    pub display: String,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Parsed {
    pub words: Vec<QWord>,
    /// `(i, required)`: words `i` and `i + 1` form a pair; required inside quotes.
    pub pairs: Vec<(usize, bool)>,
    /// Display text of each quoted phrase, by the index of its first word.
    pub phrases: Vec<(usize, String)>,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

/// Splits a query into words, pairs and quoted phrases.
pub(crate) fn parse(q: &str) -> Parsed {
    let q = nfc(q);
    let q: &str = &q;
    let mut p = Parsed::default();
    let mut tok = Tokenizer::default();
    let mut quoted = false;
    let mut seg_start = 0;
    let mut segments: Vec<(usize, usize, bool)> = Vec::new();
    for (i, c) in q.char_indices() {
        if is_quote(c) {
            segments.push((seg_start, i, quoted));
            quoted = !quoted;
            seg_start = i + c.len_utf8();
        }
    }
    segments.push((seg_start, q.len(), quoted));
    for (s, e, quoted) in segments {
        let seg = &q[s..e];
        let first = p.words.len();
        let mut skip_until = 0;
        let mut prev_word: Option<usize> = None;
        tok.tokenize(seg, |ev| match ev {
            Event::Number {
                exact,
                folded,
                start,
                end,
                ..
            } => {
                p.words.push(QWord {
                    exact: exact.to_string(),
                    folded: folded.to_string(),
                    quoted,
                    prefix: false,
                    display: seg[start..end].to_string(),
                });
                skip_until = end;
                prev_word = None;
            }
            Event::Word {
                exact,
                folded,
                pair,
                start,
                end,
            } => {
                if start < skip_until {
                    return;
                }
                let i = p.words.len();
                if let (true, Some(j)) = (pair, prev_word) {
                    if j + 1 == i {
                        p.pairs.push((j, quoted));
                    }
                }
                p.words.push(QWord {
                    exact: exact.to_string(),
                    folded: folded.to_string(),
                    quoted,
                    prefix: false,
                    display: seg[start..end].to_string(),
                });
                prev_word = Some(i);
            }
        });
        if quoted && p.words.len() - first > 1 {
            p.phrases.push((first, format!("\"{}\"", seg.trim())));
        }
    }
    let ends_open = q
        .chars()
        .last()
        .is_some_and(|c| !c.is_whitespace() && !is_quote(c));
    if let Some(w) = p.words.last_mut() {
        if ends_open && !w.quoted && w.folded.chars().count() >= 2 {
            w.prefix = true;
        }
    }
    p
}

/// A term's entry: document frequency and exact variants with their postings.
struct Entry {
    df: u32,
    variants: Vec<(String, Vec<(u32, u8)>)>,
}

struct Reader<'a> {
    files: HashMap<&'a str, &'a [u8]>,
    cache: HashMap<String, Option<Value>>,
    fetched: Vec<String>,
    record: bool,
}

impl<'a> Reader<'a> {
    fn new(files: &'a [SearchOutput]) -> Self {
        Reader {
            files: files
                .iter()
                .map(|f| (f.path.as_str(), f.bytes.as_slice()))
                .collect(),
            cache: HashMap::new(),
            fetched: Vec::new(),
            record: true,
        }
    }

    fn get(&mut self, path: &str) -> Option<&Value> {
        if self.record && !self.fetched.iter().any(|f| f == path) {
            self.fetched.push(path.to_string());
        }
        if !self.cache.contains_key(path) {
            let v = self
                .files
                .get(path)
                .and_then(|b| serde_json::from_slice(b).ok());
            self.cache.insert(path.to_string(), v);
        }
        self.cache.get(path).and_then(|v| v.as_ref())
    }

    fn entry(&mut self, v: &Value) -> Option<Entry> {
        let arr = v.as_array()?;
        let df = arr.first()?.as_u64()? as u32;
        let list: Vec<Value> = match arr.get(1)? {
            Value::Number(id) => {
                let path = format!("search/p/{id}.json");
                self.get(&path)?.as_array()?.clone()
            }
            _ => arr[1..].to_vec(),
        };
        let mut variants = Vec::new();
        for pair in list.chunks(2) {
            let exact = pair.first()?.as_str()?.to_string();
            let post = decode_postings(pair.get(1)?.as_str()?)?;
            variants.push((exact, post));
        }
        Some(Entry { df, variants })
    }
}

/// The unigram shard key of a folded term: the longest manifest key that is a prefix of it.
fn shard_key<'k>(keys: &'k [String], folded: &str) -> Option<&'k str> {
    let chars: Vec<usize> = folded
        .char_indices()
        .map(|(i, _)| i)
        .chain([folded.len()])
        .collect();
    let max = (chars.len() - 1).min(MAX_KEY_CHARS);
    (1..=max).rev().find_map(|n| {
        let pre = &folded[..chars[n]];
        keys.binary_search_by(|k| k.as_str().cmp(pre))
            .ok()
            .map(|i| keys[i].as_str())
    })
}

struct Manifest {
    n: usize,
    bb: u32,
    dm: usize,
    keys: Vec<String>,
    groups: Vec<(String, String, u32, u32)>,
}

fn manifest(r: &mut Reader<'_>) -> Option<Manifest> {
    let m = r.get(MANIFEST)?;
    let mut keys: Vec<String> = m["keys"]
        .as_array()?
        .iter()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect();
    keys.sort();
    let groups = m["groups"]
        .as_array()?
        .iter()
        .filter_map(|g| {
            Some((
                g[0].as_str()?.to_string(),
                g[1].as_str()?.to_string(),
                g[2].as_u64()? as u32,
                g[3].as_u64()? as u32,
            ))
        })
        .collect();
    Some(Manifest {
        n: m["n"].as_u64()? as usize,
        bb: m["bb"].as_u64()? as u32,
        dm: m["dm"].as_u64()?.max(1) as usize,
        keys,
        groups,
    })
}

fn lookup_uni(r: &mut Reader<'_>, m: &Manifest, folded: &str) -> Option<Entry> {
    let key = shard_key(&m.keys, folded)?;
    let path = format!("search/t/{}.json", key_file(key));
    let v = r.get(&path)?.get(folded)?.clone();
    r.entry(&v)
}

fn lookup_bi(r: &mut Reader<'_>, m: &Manifest, folded: &str) -> Option<Entry> {
    let path = format!("search/b/{}.json", bigram_bucket(folded, m.bb));
    let v = r.get(&path)?.get(folded)?.clone();
    r.entry(&v)
}

/// Completions of `folded` (other terms of its shard that start with it), most frequent first.
fn completions(r: &mut Reader<'_>, m: &Manifest, folded: &str) -> Vec<Entry> {
    let Some(key) = shard_key(&m.keys, folded) else {
        return Vec::new();
    };
    let path = format!("search/t/{}.json", key_file(key));
    let Some(Value::Object(shard)) = r.get(&path).cloned() else {
        return Vec::new();
    };
    let mut cands: Vec<(u64, &String, bool)> = shard
        .iter()
        .filter(|(t, _)| t.len() > folded.len() && t.starts_with(folded))
        .filter_map(|(t, v)| Some((v.get(0)?.as_u64()?, t, v.get(1)?.is_number())))
        .collect();
    cands.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out = Vec::new();
    let mut ext = 0;
    for (_, t, is_ext) in cands {
        if out.len() == MAX_COMPLETIONS {
            break;
        }
        if is_ext {
            if ext == MAX_EXTERNAL_COMPLETIONS {
                continue;
            }
            ext += 1;
        }
        if let Some(e) = r.entry(&shard[t.as_str()]) {
            out.push(e);
        }
    }
    out
}

fn idf(n: usize, df: u32) -> f64 {
    (1.0 + n as f64 / df.max(1) as f64).ln()
}

/// Runs a query with facet filters; see [`super::query`].
pub fn query_filtered(files: &[SearchOutput], q: &str, filters: &Filters) -> QueryResult {
    let mut r = Reader::new(files);
    let mut res = QueryResult {
        urls: Vec::new(),
        unmatched_words: Vec::new(),
        shards_fetched: Vec::new(),
    };
    let parsed = parse(q);
    if parsed.words.is_empty() && filters.is_empty() {
        return res;
    }
    let Some(m) = manifest(&mut r) else {
        return res;
    };
    let n = m.n;
    let nw = parsed.words.len();

    // Look every word and pair up; collect the words that match nothing.
    let mut word_entries: Vec<Vec<(Entry, f64, bool)>> = Vec::new();
    let mut word_idf = Vec::new();
    for w in &parsed.words {
        let mut es = Vec::new();
        let mut df = 0;
        if let Some(e) = lookup_uni(&mut r, &m, &w.folded) {
            df = e.df;
            es.push((e, WORD_FACTOR, false));
        }
        if w.prefix {
            for e in completions(&mut r, &m, &w.folded) {
                df = df.max(e.df);
                es.push((e, PREFIX_FACTOR, true));
            }
        }
        if es.is_empty() && !res.unmatched_words.contains(&w.display) {
            res.unmatched_words.push(w.display.clone());
        }
        word_entries.push(es);
        word_idf.push(idf(n, df));
    }
    let mut pair_entries: Vec<(usize, bool, Option<Entry>)> = Vec::new();
    for &(i, required) in &parsed.pairs {
        let (a, b) = (&parsed.words[i], &parsed.words[i + 1]);
        let e = lookup_bi(&mut r, &m, &format!("{} {}", a.folded, b.folded));
        if required && e.is_none() {
            let phrase = parsed.phrases.iter().rev().find(|(first, _)| *first <= i);
            if let Some((_, text)) = phrase {
                if !res.unmatched_words.contains(text) {
                    res.unmatched_words.push(text.clone());
                }
            }
        }
        pair_entries.push((i, required, e));
    }
    if !res.unmatched_words.is_empty() {
        res.shards_fetched = r.fetched;
        return res;
    }

    // Score.
    let mut score = vec![0f64; n];
    let mut hits = vec![0u32; n];
    let mut exact = vec![0u32; n];
    let mut best = vec![0f64; n];
    let mut best_ex = vec![false; n];
    let mut stamp = vec![u32::MAX; n];
    let mut touched: Vec<usize> = Vec::new();
    for (wi, es) in word_entries.iter().enumerate() {
        let w = &parsed.words[wi];
        let marked = w.exact != w.folded;
        touched.clear();
        for (e, factor, is_prefix) in es {
            for (ex, post) in &e.variants {
                let is_exact = marked
                    && if *is_prefix {
                        ex.starts_with(&w.exact)
                    } else {
                        *ex == w.exact
                    };
                for &(d, imp) in post {
                    let d = d as usize;
                    if d >= n {
                        continue;
                    }
                    let v = imp as f64 * factor;
                    if stamp[d] != wi as u32 {
                        stamp[d] = wi as u32;
                        best[d] = v;
                        best_ex[d] = is_exact;
                        touched.push(d);
                    } else {
                        if v > best[d] {
                            best[d] = v;
                        }
                        best_ex[d] |= is_exact;
                    }
                }
            }
        }
        for &d in &touched {
            score[d] += best[d] * word_idf[wi];
            hits[d] += 1;
            exact[d] += best_ex[d] as u32;
        }
    }
    let mut req = vec![0u32; n];
    let mut adjacent = vec![0u32; n];
    let nreq = pair_entries.iter().filter(|p| p.1).count() as u32;
    for (pi, (_, required, e)) in pair_entries.iter().enumerate() {
        let Some(e) = e else { continue };
        let pidf = idf(n, e.df);
        let tag = (nw + pi) as u32;
        touched.clear();
        for (_, post) in &e.variants {
            for &(d, imp) in post {
                let d = d as usize;
                if d >= n {
                    continue;
                }
                let v = imp as f64;
                if stamp[d] != tag {
                    stamp[d] = tag;
                    best[d] = v;
                    touched.push(d);
                } else if v > best[d] {
                    best[d] = v;
                }
            }
        }
        for &d in &touched {
            score[d] += PAIR_FACTOR * best[d] * pidf;
            adjacent[d] += 1;
            if *required {
                req[d] += 1;
            }
        }
    }

    // Filter.
    let allow = facet_filter(&mut r, &m, filters, n);
    let mut matched: Vec<usize> = (0..n)
        .filter(|&d| {
            hits[d] as usize == nw && req[d] == nreq && allow.as_ref().is_none_or(|a| a[d])
        })
        .collect();
    matched.sort_by(|&a, &b| {
        exact[b]
            .cmp(&exact[a])
            .then(adjacent[b].cmp(&adjacent[a]))
            .then_with(|| {
                score[b]
                    .partial_cmp(&score[a])
                    .unwrap_or(std::cmp::Ordering::Equal)
            })
            .then(a.cmp(&b))
    });

    // Urls: the client fetches metadata for the first page only.
    for (rank, &d) in matched.iter().enumerate() {
        r.record = rank < PAGE_SIZE;
        let path = format!("search/d/{}.json", d / m.dm);
        let url = r
            .get(&path)
            .and_then(|v| v.get(d % m.dm))
            .and_then(|v| v["u"].as_str())
            .unwrap_or_default()
            .to_string();
        res.urls.push(url);
    }
    res.shards_fetched = r.fetched;
    res
}

/// Which docs pass the facet filters (`None`: all).
fn facet_filter(r: &mut Reader<'_>, m: &Manifest, f: &Filters, n: usize) -> Option<Vec<bool>> {
    if f.is_empty() {
        return None;
    }
    let mut allow = vec![true; n];
    if f.kind.is_some() || f.year.is_some() {
        let mut in_group = vec![false; n];
        for (k, y, s, e) in &m.groups {
            let ok =
                f.kind.as_ref().is_none_or(|x| x == k) && f.year.as_ref().is_none_or(|x| x == y);
            if ok {
                for slot in in_group
                    .iter_mut()
                    .take((*e as usize).min(n))
                    .skip(*s as usize)
                {
                    *slot = true;
                }
            }
        }
        for (a, g) in allow.iter_mut().zip(&in_group) {
            *a &= *g;
        }
    }
    for (file, want) in [(TOPICS, &f.topic), (UNITS, &f.unit)] {
        let Some(want) = want else { continue };
        let mut in_set = vec![false; n];
        let list = r.get(file).and_then(|v| v.as_array().cloned());
        for item in list.unwrap_or_default() {
            if item[0].as_str() == Some(want.as_str()) {
                for d in item[2].as_str().and_then(decode_set).unwrap_or_default() {
                    if let Some(slot) = in_set.get_mut(d as usize) {
                        *slot = true;
                    }
                }
            }
        }
        for (a, s) in allow.iter_mut().zip(&in_set) {
            *a &= *s;
        }
    }
    Some(allow)
}
