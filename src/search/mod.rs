//! The static Vietnamese search index: built at build time, queried by `search.js` (and by
//! [`query`] in Rust, identically). The format and its budgets are described in docs/search.md.

mod build;
mod classify;
mod encode;
mod format;
mod intern;
mod query;
mod token;

pub use query::{query_filtered, Filters, PAGE_SIZE};
pub use token::fold;

/// One searchable entry, built from the resolved site.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Root-relative with the base path, e.g. "/ke-hoach/2023/182-kh-gddt/".
    pub url: String,
    /// "plan" | "solution" | "news" | "page".
    pub kind: String,
    pub title: String,
    /// The plan number, or "" ("182/KH-GDĐT").
    pub number: String,
    pub summary: String,
    /// Plain text of the rendered body (no markup).
    pub body_text: String,
    /// The units the entry names (issuer, unit, units, ...).
    pub units: Vec<SearchUnit>,
    pub topics: Vec<String>,
    /// "YYYY-MM-DD".
    pub date: String,
}

/// A unit an entry names; `slug` is empty for free text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchUnit {
    pub slug: String,
    pub name: String,
}

/// One file of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchOutput {
    /// Relative to the output root, e.g. "search/t/ab.json".
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What a query finds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryResult {
    /// Doc URLs in rank order (all matches).
    pub urls: Vec<String>,
    /// Query words (or quoted phrases) that match no entry at all; when any, `urls` is empty.
    pub unmatched_words: Vec<String>,
    /// The files the browser downloads for this query, in order (with the metadata of the
    /// first [`PAGE_SIZE`] results only).
    pub shards_fetched: Vec<String>,
}

/// Builds every search file. Deterministic: same docs (same order) -> same bytes.
pub fn build_index(docs: &[SearchDoc]) -> Vec<SearchOutput> {
    build::build(docs.to_vec())
}

/// [`build_index`], taking the docs: each body's text is freed as soon as it is tokenised, so
/// the index is built in less memory. The same bytes.
pub fn build_index_owned(docs: Vec<SearchDoc>) -> Vec<SearchOutput> {
    build::build(docs)
}

/// The first half of [`build_index_owned`] for docs that are not complete yet: `fill(i, doc)`
/// completes the `i`-th of `docs` (its body text and summary, say) just before it is tokenised,
/// in parallel, and its text is freed right after, so that a build need never hold every
/// body's text at once. Which docs are tokenised together depends only on each doc's `kind`
/// and `date`, which must be set already. [`finish_index`] makes the files: the same bytes as
/// [`build_index_owned`] of the completed docs.
pub fn tokenise_filling(
    docs: Vec<SearchDoc>,
    fill: &(dyn Fn(usize, &mut SearchDoc) + Sync),
) -> Tokenised {
    build::tokenise(docs, fill)
}

/// The files of an index from [`tokenise_filling`].
pub fn finish_index(t: Tokenised) -> Vec<SearchOutput> {
    build::finish(t)
}

pub use build::Tokenised;

/// Queries the index in Rust exactly as search.js does: doc urls in rank order, plus the words
/// that matched nothing.
pub fn query(files: &[SearchOutput], q: &str) -> QueryResult {
    query_filtered(files, q, &Filters::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(url: &str, kind: &str, title: &str, body: &str) -> SearchDoc {
        SearchDoc {
            url: url.into(),
            kind: kind.into(),
            title: title.into(),
            body_text: body.into(),
            date: "2023-02-14".into(),
            ..Default::default()
        }
    }

    /// Filling docs just before they are tokenised gives the same files as complete docs, for
    /// enough docs of mixed kinds and years that they are tokenised in several runs.
    #[test]
    fn filling_docs_gives_the_same_index() {
        let kinds = ["plan", "solution", "news", "page"];
        let complete: Vec<SearchDoc> = (0..300)
            .map(|i| {
                let mut d = doc(
                    &format!("/{i}/"),
                    kinds[i % 4],
                    &format!("Kế hoạch số {i}"),
                    &format!(
                        "Đổi mới sáng tạo {i} trong dạy và học, năm {}",
                        2000 + i % 7
                    ),
                );
                d.date = format!("{}-01-0{}", 2000 + i % 7, 1 + i % 9);
                d.summary = if i % 3 == 0 {
                    format!("Tóm tắt {i}")
                } else {
                    String::new()
                };
                d
            })
            .collect();
        let bare: Vec<SearchDoc> = complete
            .iter()
            .map(|d| SearchDoc {
                body_text: String::new(),
                summary: String::new(),
                ..d.clone()
            })
            .collect();
        let filled = finish_index(tokenise_filling(bare, &|i, d| {
            assert!(d.body_text.is_empty());
            d.body_text = complete[i].body_text.clone();
            d.summary = complete[i].summary.clone();
        }));
        assert_eq!(filled, build_index(&complete));
    }

    /// A folded term's df counts each doc once, however many of its spellings the doc has.
    #[test]
    fn a_folded_terms_df_counts_each_doc_once() {
        let files = build_index(&[
            doc("/a/", "news", "Đào tạo", "đạo đức và đào tạo"),
            doc("/b/", "news", "Dao kéo", "dao"),
            doc("/c/", "news", "Khác", "đào"),
            doc("/d/", "news", "Khác nữa", "không có"),
        ]);
        let shard = files
            .iter()
            .filter(|f| f.path.starts_with("search/t/"))
            .find_map(|f| {
                let v: serde_json::Value = serde_json::from_slice(&f.bytes).ok()?;
                v.get("dao").cloned()
            })
            .expect("a shard holds \"dao\"");
        // [df, exact, postings, ...]: đào (a, c), đạo (a), dao (b).
        assert_eq!(shard[0], 3, "{shard}");
        assert_eq!(shard.as_array().map(|a| a.len()), Some(7), "{shard}");
    }

    fn urls(files: &[SearchOutput], q: &str) -> Vec<String> {
        query(files, q).urls
    }

    #[test]
    fn exact_diacritics_rank_above_folded() {
        let files = build_index(&[
            doc(
                "/a/",
                "news",
                "Trồng cây xanh",
                "Cây dương liễu bên bờ sông.",
            ),
            doc("/b/", "news", "Trồng cây xanh", "Con đường đến trường."),
        ]);
        assert_eq!(urls(&files, "đường"), vec!["/b/", "/a/"]);
        assert_eq!(urls(&files, "dương"), vec!["/a/", "/b/"]);
        assert_eq!(urls(&files, "duong").len(), 2);
    }

    #[test]
    fn title_ranks_above_body() {
        let files = build_index(&[
            doc(
                "/body/",
                "news",
                "Tin hoạt động",
                "Cuộc thi robot cứu hỏa của học sinh.",
            ),
            doc(
                "/title/",
                "news",
                "Robot cứu hỏa",
                "Học sinh trình bày sản phẩm.",
            ),
        ]);
        assert_eq!(urls(&files, "robot"), vec!["/title/", "/body/"]);
        assert_eq!(urls(&files, "cuu hoa"), vec!["/title/", "/body/"]);
    }

    #[test]
    fn adjacent_pair_ranks_above_scattered() {
        let files = build_index(&[
            doc(
                "/apart/",
                "news",
                "Tin",
                "Sáng nay trường tổ chức ngày hội, tạo không khí vui.",
            ),
            doc(
                "/pair/",
                "news",
                "Tin",
                "Học sinh sáng tạo mô hình mới trong ngày hội.",
            ),
        ]);
        assert_eq!(urls(&files, "sáng tạo"), vec!["/pair/", "/apart/"]);
        assert_eq!(urls(&files, "sang tao"), vec!["/pair/", "/apart/"]);
        // quoted: the pair is required
        assert_eq!(urls(&files, "\"sáng tạo\""), vec!["/pair/"]);
    }

    #[test]
    fn every_word_must_match_and_unmatched_words_are_named() {
        let files = build_index(&[
            doc("/a/", "plan", "Kế hoạch đổi mới sáng tạo", "Nội dung."),
            doc("/b/", "news", "Tin đổi mới", "Nội dung."),
        ]);
        assert_eq!(urls(&files, "doi moi sang tao"), vec!["/a/"]);
        let r = query(&files, "đổi mới xyzzyq ");
        assert!(r.urls.is_empty());
        assert_eq!(r.unmatched_words, vec!["xyzzyq"]);
        // all words exist, but no doc has both: no results, nothing unmatched
        let r = query(&files, "tin kế ");
        assert!(r.urls.is_empty() && r.unmatched_words.is_empty());
        let r = query(&files, "\"mới đổi\"");
        assert_eq!(r.unmatched_words, vec!["\"mới đổi\""]);
    }

    #[test]
    fn document_numbers() {
        let mut a = doc("/182/", "plan", "Kế hoạch khoa học", "Nội dung.");
        a.number = "182/KH-GDĐT".into();
        let b = doc(
            "/news/",
            "news",
            "Triển khai",
            "Thực hiện Kế hoạch 182/KH-GDĐT của Phòng.",
        );
        let mut c = doc("/1820/", "plan", "Kế hoạch khác", "Nội dung.");
        c.number = "1820/KH-GDĐT".into();
        let files = build_index(&[a, b, c]);
        assert_eq!(urls(&files, "182/KH-GDĐT"), vec!["/182/", "/news/"]);
        assert_eq!(urls(&files, "182/kh-gddt"), vec!["/182/", "/news/"]);
        assert_eq!(urls(&files, "182/KH")[..2], ["/182/", "/news/"]);
        assert_eq!(urls(&files, "1820/KH-GDĐT "), vec!["/1820/"]);
        assert_eq!(urls(&files, "182 ")[0], "/182/");
    }

    #[test]
    fn prefix_on_the_last_word() {
        let files = build_index(&[
            doc("/a/", "news", "Robot cứu hỏa", "Nội dung."),
            doc("/b/", "news", "Trường học xanh", "Nội dung."),
        ]);
        assert_eq!(urls(&files, "rob"), vec!["/a/"]);
        assert_eq!(urls(&files, "truong ho"), vec!["/b/"]);
        // a trailing space ends the word: no prefix
        assert!(urls(&files, "rob ").is_empty());
    }

    #[test]
    fn facets_filter() {
        let mut a = doc("/a/", "plan", "Sáng tạo", "x");
        a.units = vec![SearchUnit {
            slug: "phong-gddt-nha-be".into(),
            name: "Phòng GDĐT Nhà Bè".into(),
        }];
        a.topics = vec!["STEM".into()];
        let mut b = doc("/b/", "news", "Sáng tạo", "x");
        b.date = "2024-01-01".into();
        let files = build_index(&[a, b]);
        let f =
            |kind: Option<&str>, year: Option<&str>, unit: Option<&str>, topic: Option<&str>| {
                let f = Filters {
                    kind: kind.map(Into::into),
                    year: year.map(Into::into),
                    unit: unit.map(Into::into),
                    topic: topic.map(Into::into),
                };
                query_filtered(&files, "sang tao", &f).urls
            };
        assert_eq!(f(Some("news"), None, None, None), vec!["/b/"]);
        assert_eq!(f(None, Some("2023"), None, None), vec!["/a/"]);
        assert_eq!(f(None, None, Some("phong-gddt-nha-be"), None), vec!["/a/"]);
        assert_eq!(f(None, None, None, Some("stem")), vec!["/a/"]);
        assert!(f(Some("news"), Some("2023"), None, None).is_empty());
        assert_eq!(urls(&files, "nha be"), vec!["/a/"]);
    }

    /// Bigram shards by file name and bytes, and the bucket count of the manifest.
    fn bigram_shards(files: &[SearchOutput]) -> (u64, std::collections::BTreeMap<&str, &[u8]>) {
        let manifest = files
            .iter()
            .find(|f| f.path == "search/index.json")
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&manifest.bytes).unwrap();
        let shards = files
            .iter()
            .filter(|f| f.path.starts_with("search/b/"))
            .map(|f| (f.path.as_str(), f.bytes.as_slice()))
            .collect();
        (v["bb"].as_u64().unwrap(), shards)
    }

    #[test]
    fn an_edit_rewrites_only_the_bigram_shards_it_touches() {
        // Syllables drawn by a fixed generator: many distinct pairs, so many bigram shards.
        let syllables: Vec<String> = ["b", "c", "d", "đ", "g", "h", "l", "m", "n", "t"]
            .iter()
            .flat_map(|a| ["a", "ơ", "ê", "i", "u", "ư"].map(|v| format!("{a}{v}")))
            .collect();
        let mut x: u64 = 7;
        let mut text = |words: usize| {
            (0..words)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    syllables[(x >> 33) as usize % syllables.len()].as_str()
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let docs: Vec<SearchDoc> = (0..200)
            .map(|i| doc(&format!("/d{i}/"), "news", &format!("Tin {i}"), &text(120)))
            .collect();
        let base = build_index(&docs);
        let (bb, before) = bigram_shards(&base);
        assert!(
            bb >= 8,
            "{bb} shards: too few for the test to mean anything"
        );
        // Edits of one doc that append new words, so new pairs: the largest adds more than a
        // shard's target size (6,000 bytes) of pairs, so with buckets counted as
        // `ceil(total / target)` it changed the count, and then every shard.
        let mut most_rewritten = 0;
        for words in [1, 10, 100, 400] {
            let mut edited = docs.clone();
            let added: Vec<String> = (0..words).map(|k| format!("x{k}")).collect();
            edited[17].body_text = format!("{} {}", edited[17].body_text, added.join(" "));
            let files = build_index(&edited);
            let (bb2, after) = bigram_shards(&files);
            assert_eq!(bb2, bb, "{words} words");
            // Only the shards of the new pairs (one per word) change.
            let rewritten = after
                .iter()
                .filter(|(p, b)| before.get(*p) != Some(*b))
                .count();
            assert!(
                rewritten <= words,
                "{words} words: {rewritten} shards rewritten"
            );
            most_rewritten = most_rewritten.max(rewritten);
        }
        assert!(most_rewritten > 0);
    }

    #[test]
    fn deterministic() {
        let docs: Vec<SearchDoc> = (0..300)
            .map(|i| {
                doc(
                    &format!("/d{i}/"),
                    ["plan", "news", "solution"][i % 3],
                    &format!("Tiêu đề {i} đổi mới"),
                    &"Phòng Giáo dục và Đào tạo tổ chức hoạt động sáng tạo. ".repeat(i % 7 + 1),
                )
            })
            .collect();
        let a = build_index(&docs);
        let b = build_index(&docs);
        assert_eq!(a, b);
        // The bytes do not depend on how the docs are split between threads.
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            assert_eq!(pool.install(|| build_index(&docs)), a, "{threads} threads");
        }
        assert!(a.iter().any(|f| f.path == "search/index.json"));
        assert_eq!(query(&a, "dao tao").urls.len(), 300);
        // an empty site still gets a valid, empty index
        let empty = build_index(&[]);
        assert!(empty.iter().any(|f| f.path == "search/index.json"));
        assert_eq!(query(&empty, "dao tao").unmatched_words, vec!["dao", "tao"]);
    }
}
