//! A rebuild takes unchanged pages from the previous build (see `src/rebuild.rs`); whatever it
//! takes, its output must be byte for byte the output of a clean build of the same content.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_same_tree, build, stderr, tree};

const NEWS_A: &str = "content/news/2023/thi-diem-diem-danh-ai-tieu-hoc-uoc-mo.md";
const NEWS_B: &str = "content/news/2023/smart-city-thcs-dong-song-dat-giai-nhi.md";

/// A copy of the example portal inside `tmp`.
fn example(tmp: &Path) -> PathBuf {
    common::example_portal(&tmp.join("site"))
}

/// How many files the build says it took from the previous build (0 when it says nothing).
fn reused(out: &std::process::Output) -> usize {
    assert!(out.status.success(), "build failed:\n{}", stderr(out));
    let text = stderr(out);
    text.split_once(" tệp lấy nguyên từ lần dựng trước")
        .map_or(0, |(before, _)| {
            before.rsplit(", ").next().unwrap().trim().parse().unwrap()
        })
}

/// Builds `root` into `out` (a rebuild when `out` holds an earlier build) and checks the result
/// against a clean build into a new folder; returns how many files the rebuild took as they were.
fn rebuild_matches_clean(root: &Path, out: &Path, what: &str) -> usize {
    let o = build(root, out);
    let n = reused(&o);
    let clean = out.with_file_name(format!(
        "clean-{}",
        out.file_name().unwrap().to_string_lossy()
    ));
    let _ = fs::remove_dir_all(&clean);
    let c = build(root, &clean);
    assert_eq!(reused(&c), 0, "{what}: a clean build renders everything");
    assert_same_tree(&tree(out), &tree(&clean), what);
    fs::remove_dir_all(&clean).unwrap();
    n
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(&str) -> String) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, f(&text)).unwrap();
}

fn page_of(out: &Path, news: &str) -> PathBuf {
    let slug = Path::new(news).file_stem().unwrap().to_string_lossy();
    let year = Path::new(news)
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    out.join(format!("tin-tuc/{year}/{slug}/index.html"))
}

#[test]
fn body_edits_reuse_the_other_pages_and_give_the_clean_output() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let out = tmp.path().join("out");
    assert_eq!(rebuild_matches_clean(&root, &out, "first build"), 0);
    // What a rebuild renders whatever changed: the search index and the copies of assets.
    let assets = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.path().to_string_lossy().ends_with(".md"))
        .filter(|e| !e.path().to_string_lossy().ends_with(".toml"))
        .count();
    let files = tree(&out)
        .keys()
        .filter(|k| !k.ends_with('/') && !k.starts_with("search/") && *k != ".sangtao-output")
        .count()
        - assets;

    // Nothing changed: every page is taken; only the search index is made again.
    assert_eq!(rebuild_matches_clean(&root, &out, "no change"), files);

    // A paragraph added at the end of a body: that page is rendered again, the rest taken.
    edit(&root, NEWS_A, |t| {
        format!("{t}\nĐoạn thêm thứ nhất về rô-bốt.\n")
    });
    // Only that page is rendered again.
    assert_eq!(rebuild_matches_clean(&root, &out, "body of A"), files - 1);
    let page = fs::read_to_string(page_of(&out, NEWS_A)).unwrap();
    assert!(
        page.contains("Đoạn thêm thứ nhất về rô-bốt."),
        "A's page shows the edit"
    );

    // Another entry's body: the staging folder now holds links to the previous output's files,
    // which must not be written through.
    let old_a = fs::read(page_of(&out, NEWS_A)).unwrap();
    edit(&root, NEWS_B, |t| format!("{t}\nĐoạn thêm về B.\n"));
    assert_eq!(rebuild_matches_clean(&root, &out, "body of B"), files - 1);
    let has_zebra = |out: &Path| {
        tree(out)
            .iter()
            .any(|(k, v)| k.starts_with("search/") && String::from_utf8_lossy(v).contains("zebra"))
    };
    assert!(!has_zebra(&out));
    edit(&root, NEWS_A, |t| {
        t.replace("Đoạn thêm thứ nhất", "Đoạn zêbra")
    });
    let live = fs::read(page_of(&out, NEWS_B)).unwrap();
    assert_eq!(
        rebuild_matches_clean(&root, &out, "body of A again"),
        files - 1
    );
    let staging = tmp.path().join(".out.sangtao-staging");
    assert!(
        fs::read(page_of(&staging, NEWS_B)).unwrap() == live,
        "the previous output's files are as they were"
    );
    assert!(
        fs::read(page_of(&staging, NEWS_A)).unwrap() == old_a,
        "a file rewritten in the staging folder was not written through a link"
    );
    // The search index has the new word at once.
    assert!(has_zebra(&out), "the index was made again");
}

#[test]
fn changes_other_pages_show_render_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let out = tmp.path().join("out");
    rebuild_matches_clean(&root, &out, "first build");

    // The card's summary comes from the first paragraph once `summary` is gone.
    edit(&root, NEWS_A, |t| {
        t.lines()
            .filter(|l| !l.starts_with("summary = "))
            .map(|l| format!("{l}\n"))
            .collect()
    });
    assert_eq!(rebuild_matches_clean(&root, &out, "front matter"), 0);
    assert!(rebuild_matches_clean(&root, &out, "unchanged") > 0);
    // The first paragraph is now on cards and in feeds elsewhere.
    edit(&root, NEWS_A, |t| {
        t.replacen("+++\n\n", "+++\n\nMột câu mở đầu mới cho thẻ tin. ", 1)
    });
    assert_eq!(rebuild_matches_clean(&root, &out, "first paragraph"), 0);
    // The last one is not.
    edit(&root, NEWS_A, |t| format!("{t}\nCâu cuối mới.\n"));
    assert!(rebuild_matches_clean(&root, &out, "last paragraph") > 0);

    // A title, a unit, site.toml.
    edit(&root, NEWS_B, |t| {
        t.replacen("title = \"", "title = \"Tin: ", 1)
    });
    assert_eq!(rebuild_matches_clean(&root, &out, "title"), 0);
    let unit = fs::read_dir(root.join("content/units"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .min()
        .unwrap();
    let text = fs::read_to_string(&unit).unwrap();
    fs::write(&unit, text.replacen("name = \"", "name = \"Đơn vị ", 1)).unwrap();
    assert_eq!(rebuild_matches_clean(&root, &out, "unit"), 0);
    edit(&root, "site.toml", |t| {
        t.replacen("title = \"", "title = \"Cổng thử · ", 1)
    });
    assert_eq!(rebuild_matches_clean(&root, &out, "site.toml"), 0);

    // A new entry, then the same again.
    fs::write(
        root.join("content/news/2024/tin-moi.md"),
        "+++\ntitle = \"Tin mới\"\ndate = 2024-05-02\nunits = [\"phong-gddt-nha-be\"]\n+++\n\nNội dung tin mới.\n",
    )
    .unwrap();
    assert_eq!(rebuild_matches_clean(&root, &out, "new entry"), 0);
    fs::remove_file(root.join("content/news/2024/tin-moi.md")).unwrap();
    assert_eq!(rebuild_matches_clean(&root, &out, "removed entry"), 0);

    // Another day may publish scheduled entries: nothing is taken.
    let other_day = common::run(
        &root,
        &["build", "--output", out.to_str().unwrap(), "--drafts"],
    );
    assert_eq!(reused(&other_day), 0, "--drafts");
}

#[test]
fn a_record_of_another_output_is_never_used() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example(tmp.path());
    let out = tmp.path().join("out");
    rebuild_matches_clean(&root, &out, "first build");
    let record = tmp.path().join(".out.sangtao-inputs");
    assert!(record.is_file(), "the record is beside the output");
    assert!(
        !tree(&out).keys().any(|k| k.contains("sangtao-inputs")),
        "the record is not published"
    );

    // The output changed behind sangtao's back (a file edited, the marker updated): the record
    // names the old marker and is not taken.
    let marker = out.join(".sangtao-output");
    let text = fs::read_to_string(&marker).unwrap();
    fs::write(
        &marker,
        text.replacen('\n', "\n0000000000000000 0 stray.txt\n", 1),
    )
    .unwrap();
    fs::write(out.join("stray.txt"), "").unwrap();
    assert_eq!(rebuild_matches_clean(&root, &out, "foreign marker"), 0);

    // No record: everything is rendered.
    fs::remove_file(&record).unwrap();
    assert_eq!(rebuild_matches_clean(&root, &out, "no record"), 0);
    assert!(rebuild_matches_clean(&root, &out, "record again") > 0);

    // A damaged record.
    fs::write(&record, "sangtao inputs v2 zz\n").unwrap();
    assert_eq!(rebuild_matches_clean(&root, &out, "damaged record"), 0);
}
