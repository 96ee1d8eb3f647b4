//! The bad-input corpus of `tests/bad_input/` (issue 8) and the diagnostics snapshots (issue 2).
//!
//! Every `err-*` case is a tiny complete site with exactly one problem, and a file `expect.txt`
//! naming where the diagnostic must point (`path:line:column`). The test builds a known-good site
//! (`_previous/`) into an output folder, then builds the case into the *same* folder and checks:
//! exit status 1 (not 0, not a panic), a diagnostic `path:line:column: lỗi: ` at the expected
//! place, the previous output byte-identical and nothing left beside it, and the whole of stderr
//! against its snapshot in `tests/snapshots/` (review them: each must show the file, line and
//! column of the actual mistake, and the suggestion).
//!
//! Every `ok-*` case holds `site/` and its plain twin `twin/`: both must build, into output trees
//! that are byte for byte the same. The cases too big or too repetitive for Git (a 10 MiB body,
//! 5,000 levels of nesting) hold only `site/`; the test adds the entry to a copy of it, builds
//! it, and checks the page (see each case's README.md).
//!
//! Also here: determinism of the example portal, atomicity, and output-folder safety.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_same_tree, build, build_ok, copy_site, manifest_dir, run, stderr, tree};

fn corpus() -> PathBuf {
    manifest_dir().join("tests/bad_input")
}

/// Things Git does not keep well, made at run time in the copy of a case.
fn setup(case: &str, site: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        let news = site.join("content/news");
        match case {
            "err-symlink-loop" => symlink("vong-lap.md", news.join("vong-lap.md")).unwrap(),
            "err-symlink-outside" => symlink("../../outside.md", news.join("ngoai.md")).unwrap(),
            "err-symlink-folder" => symlink("../pages", news.join("thu-muc")).unwrap(),
            _ => {}
        }
    }
    let _ = (case, site);
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Asserts that `dir` holds only `expected` and, perhaps, the staging folder and the record of
/// inputs that the output stage keeps beside `out` for the next build.
fn assert_nothing_beside(dir: &Path, expected: &[&str], what: &str) {
    let found: Vec<String> = names(dir)
        .into_iter()
        .filter(|n| {
            !(n.starts_with('.')
                && (n.ends_with(".sangtao-staging") || n.ends_with(".sangtao-inputs")))
        })
        .collect();
    assert_eq!(found, expected, "{what}: files left beside the output");
}

/// Builds the known-good site into `tmp/out` and returns the output folder.
fn previous_output(tmp: &Path) -> PathBuf {
    let prev = copy_site(&corpus().join("_previous"), tmp, "previous");
    let out = tmp.join("out");
    build_ok(&prev, &out);
    fs::remove_dir_all(&prev).unwrap();
    assert!(
        out.join(".sangtao-output").is_file(),
        "the output carries the marker"
    );
    out
}

/// One refused case: see the module documentation.
fn refused(case: &str) {
    let src = corpus().join(case);
    let expect = fs::read_to_string(src.join("expect.txt"))
        .unwrap_or_else(|e| panic!("{case}/expect.txt: {e}"));
    let expect = expect.trim();
    let tmp = tempfile::tempdir().unwrap();
    let out = previous_output(tmp.path());
    let before = tree(&out);
    let site = copy_site(&src, tmp.path(), "site");
    setup(case, &site);

    let o = build(&site, &out);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{case}: exit status {:?}\n{err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{case}: panic\n{err}");
    let located = err.lines().any(|l| {
        l.strip_prefix(expect)
            .is_some_and(|rest| rest.starts_with(": lỗi: ") || rest.starts_with(": error: "))
    });
    assert!(located, "{case}: no diagnostic at `{expect}: lỗi: `\n{err}");
    for line in err
        .lines()
        .filter(|l| l.contains(": lỗi: ") || l.contains(": error: "))
    {
        assert!(
            is_located(line),
            "{case}: a diagnostic without path:line:column: {line}"
        );
    }
    assert_same_tree(&before, &tree(&out), &format!("{case}: previous output"));
    assert_nothing_beside(tmp.path(), &["out", "site"], case);

    let text = err
        .replace(&format!("{}/", site.display()), "")
        .replace(&out.display().to_string(), "[OUT]")
        .replace(&tmp.path().display().to_string(), "[TMP]");
    insta::assert_snapshot!(case, text);
}

/// `path:line:column: ` at the start of a line, with line and column at least 1.
fn is_located(line: &str) -> bool {
    let head = line
        .split(": lỗi: ")
        .next()
        .unwrap()
        .split(": error: ")
        .next()
        .unwrap();
    let mut parts = head.rsplitn(3, ':');
    let (Some(col), Some(ln), Some(path)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !path.is_empty()
        && !path.starts_with('/')
        && col.parse::<usize>().is_ok_and(|c| c >= 1)
        && ln.parse::<usize>().is_ok_and(|l| l >= 1)
}

macro_rules! refused_cases {
    ($($test:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $test() {
                refused($case);
            }
        )*
        const REFUSED: &[&str] = &[$($case),*];
    };
}

refused_cases! {
    err_attachment_absolute => "err-attachment-absolute",
    err_attachment_backslash => "err-attachment-backslash",
    err_attachment_dotdot => "err-attachment-dotdot",
    err_attachment_missing => "err-attachment-missing",
    err_attachment_root_dotdot => "err-attachment-root-dotdot",
    err_award_year_out_of_range => "err-award-year-out-of-range",
    err_base_url_invalid => "err-base-url-invalid",
    err_cycle_2 => "err-cycle-2",
    err_cycle_3 => "err-cycle-3",
    err_cycle_self => "err-cycle-self",
    err_date_feb_29_2021 => "err-date-feb-29-2021",
    err_date_feb_30 => "err-date-feb-30",
    err_date_month_13 => "err-date-month-13",
    err_date_string_impossible => "err-date-string-impossible",
    err_duplicate_asset_case => "err-duplicate-asset-case",
    err_duplicate_number => "err-duplicate-number",
    err_duplicate_url_case => "err-duplicate-url-case",
    err_duplicate_url_page_vs_listing => "err-duplicate-url-page-vs-listing",
    err_duplicate_url_tone => "err-duplicate-url-tone",
    err_empty_file => "err-empty-file",
    err_empty_title => "err-empty-title",
    err_empty_unit_file => "err-empty-unit-file",
    err_frontmatter_missing => "err-frontmatter-missing",
    err_frontmatter_opening_misspelt => "err-frontmatter-opening-misspelt",
    err_frontmatter_unclosed => "err-frontmatter-unclosed",
    err_image_escapes => "err-image-escapes",
    err_image_missing => "err-image-missing",
    err_language_fr => "err-language-fr",
    err_missing_news_date => "err-missing-news-date",
    err_missing_news_units => "err-missing-news-units",
    err_missing_page_title => "err-missing-page-title",
    err_missing_plan_date => "err-missing-plan-date",
    err_missing_plan_issuer => "err-missing-plan-issuer",
    err_missing_plan_title => "err-missing-plan-title",
    err_missing_site_base_url => "err-missing-site-base-url",
    err_missing_site_title => "err-missing-site-title",
    err_missing_solution_award => "err-missing-solution-award",
    err_missing_solution_award_name => "err-missing-solution-award-name",
    err_missing_solution_award_year => "err-missing-solution-award-year",
    err_missing_solution_date => "err-missing-solution-date",
    err_missing_solution_unit => "err-missing-solution-unit",
    err_missing_task_title => "err-missing-task-title",
    err_missing_unit_kind => "err-missing-unit-kind",
    err_missing_unit_name => "err-missing-unit-name",
    err_name_without_letters => "err-name-without-letters",
    err_news_units_empty => "err-news-units-empty",
    err_no_content_folder => "err-no-content-folder",
    err_no_site_toml => "err-no-site-toml",
    err_not_utf8 => "err-not-utf8",
    err_paths_not_slug => "err-paths-not-slug",
    err_per_page_zero => "err-per-page-zero",
    err_plan_date_wrong_type => "err-plan-date-wrong-type",
    err_related_number => "err-related-number",
    err_related_path => "err-related-path",
    err_site_not_utf8 => "err-site-not-utf8",
    err_solution_status_invalid => "err-solution-status-invalid",
    err_symlink_folder => "err-symlink-folder",
    err_symlink_loop => "err-symlink-loop",
    err_symlink_outside => "err-symlink-outside",
    err_template_card => "err-template-card",
    err_template_extends_missing => "err-template-extends-missing",
    err_template_include_missing => "err-template-include-missing",
    err_template_runtime => "err-template-runtime",
    err_template_syntax => "err-template-syntax",
    err_template_unclosed_block => "err-template-unclosed-block",
    err_theme_missing => "err-theme-missing",
    err_toml_bad_array => "err-toml-bad-array",
    err_toml_duplicate_key => "err-toml-duplicate-key",
    err_toml_missing_equals => "err-toml-missing-equals",
    err_toml_missing_quote => "err-toml-missing-quote",
    err_toml_site => "err-toml-site",
    err_toml_unclosed_array => "err-toml-unclosed-array",
    err_toml_unit_file => "err-toml-unit-file",
    err_type_award_not_table => "err-type-award-not-table",
    err_type_award_year_string => "err-type-award-year-string",
    err_type_date_garbage => "err-type-date-garbage",
    err_type_draft_string => "err-type-draft-string",
    err_type_order_string => "err-type-order-string",
    err_type_per_page_string => "err-type-per-page-string",
    err_type_tags_string => "err-type-tags-string",
    err_type_tasks_not_table => "err-type-tasks-not-table",
    err_type_title_number => "err-type-title-number",
    err_type_units_item_number => "err-type-units-item-number",
    err_unit_file_name_not_slug => "err-unit-file-name-not-slug",
    err_unit_item_table_without_unit => "err-unit-item-table-without-unit",
    err_unit_kind_invalid => "err-unit-kind-invalid",
    err_unknown_key_attachment => "err-unknown-key-attachment",
    err_unknown_key_award => "err-unknown-key-award",
    err_unknown_key_english => "err-unknown-key-english",
    err_unknown_key_page => "err-unknown-key-page",
    err_unknown_key_signer => "err-unknown-key-signer",
    err_unknown_key_site => "err-unknown-key-site",
    err_unknown_key_site_paths => "err-unknown-key-site-paths",
    err_unknown_key_tasks => "err-unknown-key-tasks",
    err_unknown_key_top => "err-unknown-key-top",
    err_unknown_key_unit_file => "err-unknown-key-unit-file",
    err_unknown_unit_applied_in => "err-unknown-unit-applied-in",
    err_unknown_unit_issuer => "err-unknown-unit-issuer",
    err_unknown_unit_lead => "err-unknown-unit-lead",
    err_unknown_unit_news_units => "err-unknown-unit-news-units",
    err_unknown_unit_organizer => "err-unknown-unit-organizer",
    err_unknown_unit_owner => "err-unknown-unit-owner",
    err_unknown_unit_parent => "err-unknown-unit-parent",
    err_unknown_unit_partners => "err-unknown-unit-partners",
    err_unknown_unit_recipients => "err-unknown-unit-recipients",
    err_unknown_unit_solution_unit => "err-unknown-unit-solution-unit",
    err_whitespace_only_file => "err-whitespace-only-file",
}

// ---------------------------------------------------------------------------------------------
// Accepted input: each case and its plain twin give byte-identical output.

/// Builds `case/site` and `case/twin` and returns both output folders (inside `tmp`).
fn build_pair(case: &str, tmp: &Path, prepare: impl Fn(&Path)) -> (PathBuf, PathBuf) {
    let src = corpus().join(case);
    let site = copy_site(&src.join("site"), tmp, "site");
    let twin = copy_site(&src.join("twin"), tmp, "twin");
    prepare(&site);
    prepare(&twin);
    let (out_site, out_twin) = (tmp.join("out-site"), tmp.join("out-twin"));
    build_ok(&site, &out_site);
    build_ok(&twin, &out_twin);
    (out_site, out_twin)
}

/// The case's input files differ from the twin's (so the fixture really tests something), and
/// the outputs are the same.
fn accepted(case: &str, input_check: impl Fn(&str, &[u8])) {
    let src = corpus().join(case);
    let (site_in, twin_in) = (tree(&src.join("site")), tree(&src.join("twin")));
    assert_ne!(site_in, twin_in, "{case}: the case is its own twin");
    for (path, bytes) in &site_in {
        if !path.ends_with('/') {
            input_check(path, bytes);
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = build_pair(case, tmp.path(), |_| {});
    assert_same_tree(
        &tree(&a),
        &tree(&b),
        &format!("{case}: output of site/ and twin/"),
    );
}

#[test]
fn ok_bom() {
    accepted("ok-bom", |path, bytes| {
        assert!(
            bytes.starts_with(b"\xef\xbb\xbf"),
            "ok-bom: {path} has no BOM (did Git rewrite it?)"
        );
    });
}

#[test]
fn ok_crlf() {
    accepted("ok-crlf", |path, bytes| {
        let lf = bytes.iter().filter(|&&b| b == b'\n').count();
        let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
        assert!(
            lf > 0 && lf == crlf,
            "ok-crlf: {path} is not CRLF throughout (did Git rewrite it?)"
        );
    });
}

fn has_combining_marks(bytes: &[u8]) -> bool {
    // U+0300..U+036F (combining diacritics) are encoded as CC 80..CD AF.
    bytes
        .windows(2)
        .any(|w| (w[0] == 0xCC && w[1] >= 0x80) || (w[0] == 0xCD && w[1] <= 0xAF))
}

#[test]
fn ok_nfd() {
    let files = tree(&corpus().join("ok-nfd/site"));
    let decomposed = files.values().filter(|b| has_combining_marks(b)).count();
    assert!(decomposed >= 5, "ok-nfd: the site should be written in NFD");
    accepted("ok-nfd", |_, _| {});
}

#[test]
fn ok_bom_crlf_nfd() {
    accepted("ok-bom-crlf-nfd", |path, bytes| {
        assert!(
            bytes.starts_with(b"\xef\xbb\xbf") && bytes.windows(2).any(|w| w == b"\r\n"),
            "{path}"
        );
    });
    let files = tree(&corpus().join("ok-bom-crlf-nfd/site"));
    assert!(files.values().any(|b| has_combining_marks(b)));
}

#[test]
fn ok_nfd_file_names() {
    let names = tree(&corpus().join("ok-nfd-file-names/site"));
    assert!(
        names.keys().any(|k| has_combining_marks(k.as_bytes())),
        "ok-nfd-file-names: a file name should be in NFD"
    );
    accepted("ok-nfd-file-names", |_, _| {});
}

/// Spaces, tone marks and emoji in file and folder names become slugs as CONTENT.md says (the
/// file name of an asset is kept), and the site is the same as one written with slug names.
#[test]
fn ok_names_spaces_tones_emoji() {
    let case = "ok-names-spaces-tones-emoji";
    let tmp = tempfile::tempdir().unwrap();
    let (out, twin) = build_pair(case, tmp.path(), |_| {});
    for url in [
        "tin-tuc/tin-tuc-2024/ngay-hoi-sang-tao/index.html",
        "giai-phap/giai-phap-2023/robot-cuu-hoa/index.html",
        "gioi-thieu-chung/index.html",
        "files/tai-lieu-2024/Báo cáo tổng kết.pdf",
    ] {
        assert!(out.join(url).is_file(), "{case}: /{url} was not written");
    }
    let news =
        fs::read_to_string(out.join("tin-tuc/tin-tuc-2024/ngay-hoi-sang-tao/index.html")).unwrap();
    assert!(
        news.contains("giai-phap/giai-phap-2023/robot-cuu-hoa/"),
        "{case}: `related` by a path with spaces and tone marks is linked"
    );
    assert_same_tree(
        &tree(&out),
        &tree(&twin),
        &format!("{case}: output of site/ and twin/"),
    );
}

/// Adds an entry to a copy of a case site and builds it; returns the output folder.
fn build_with_entry(case: &str, tmp: &Path, rel: &str, text: &str) -> PathBuf {
    let site = copy_site(&corpus().join(case).join("site"), tmp, "site");
    let path = site.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    let out = tmp.join("out");
    let o = build(&site, &out);
    assert!(
        o.status.success(),
        "{case}: build failed with {:?} (a signal means a stack overflow or crash)\n{}",
        o.status,
        stderr(&o).chars().take(4000).collect::<String>()
    );
    out
}

/// A body of exactly 10 MiB renders completely: every paragraph, in order.
#[test]
fn ok_big_body() {
    const BODY: usize = 10 * 1024 * 1024;
    let head =
        "+++\ntitle = \"Tin rất dài\"\ndate = 2024-05-01\nunits = [\"truong-th-hoa-sen\"]\n+++\n";
    let para = |i: usize| format!("Đoạn văn số {i:06} về đổi mới sáng tạo trong trường học.\n\n");
    let len = para(0).len();
    let count = BODY / len;
    let mut body = String::with_capacity(BODY);
    for i in 0..count {
        body.push_str(&para(i));
    }
    body.push_str(&"x".repeat(BODY - body.len()));
    assert_eq!(body.len(), BODY);
    let tmp = tempfile::tempdir().unwrap();
    let out = build_with_entry(
        "ok-big-body",
        tmp.path(),
        "content/news/dai.md",
        &format!("{head}{body}"),
    );
    let page = fs::read_to_string(out.join("tin-tuc/dai/index.html")).unwrap();
    assert_eq!(
        page.matches("<p>Đoạn văn số ").count(),
        count,
        "every paragraph is on the page"
    );
    let last = format!("<p>Đoạn văn số {:06} ", count - 1);
    assert!(page.contains(&last), "the last paragraph is on the page");
}

fn nested(case: &str, body: &str, check: impl Fn(&str)) {
    let text = format!("+++\ntitle = \"Lồng nhau\"\n+++\n\n{body}\n");
    let tmp = tempfile::tempdir().unwrap();
    let out = build_with_entry(case, tmp.path(), "content/pages/long-nhau.md", &text);
    let page = fs::read_to_string(out.join("long-nhau/index.html")).unwrap();
    assert!(
        page.contains("tận cùng"),
        "{case}: the innermost text is on the page"
    );
    check(&page);
}

#[test]
fn ok_nested_blockquotes() {
    nested(
        "ok-nested-blockquotes",
        &format!("{}tận cùng", "> ".repeat(5000)),
        |page| {
            assert!(page.matches("<blockquote>").count() >= 100);
        },
    );
}

#[test]
fn ok_nested_lists() {
    nested(
        "ok-nested-lists",
        &format!("{}tận cùng", "- ".repeat(5000)),
        |page| {
            assert!(page.matches("<ul>").count() >= 100);
        },
    );
}

#[test]
fn ok_nested_html() {
    let body = format!("{}tận cùng{}", "<div>".repeat(5000), "</div>".repeat(5000));
    nested("ok-nested-html", &body, |_| {});
}

const ACCEPTED: &[&str] = &[
    "ok-big-body",
    "ok-bom",
    "ok-bom-crlf-nfd",
    "ok-crlf",
    "ok-names-spaces-tones-emoji",
    "ok-nested-blockquotes",
    "ok-nested-html",
    "ok-nested-lists",
    "ok-nfd",
    "ok-nfd-file-names",
];

/// Every case folder has its test, and the corpus has at least 60 cases.
#[test]
fn corpus_is_complete() {
    let mut on_disk: Vec<String> = names(&corpus())
        .into_iter()
        .filter(|n| n.starts_with("err-") || n.starts_with("ok-"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = REFUSED
        .iter()
        .chain(ACCEPTED)
        .map(|s| s.to_string())
        .collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "a case folder without a test, or a test without its folder"
    );
    assert!(listed.len() >= 60, "the corpus has {} cases", listed.len());
    for case in REFUSED {
        assert!(
            corpus().join(case).join("expect.txt").is_file(),
            "{case}/expect.txt"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism, atomicity and output safety (issue 2).

/// Two builds of the example portal with the same clock are byte-identical.
#[test]
fn example_portal_builds_are_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_ok(&manifest_dir(), &a);
    build_ok(&manifest_dir(), &b);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 50, "the example portal has many files");
    assert_same_tree(&ta, &tb, "two builds of the example portal");
}

/// A build that fails leaves the previous output byte-identical, with nothing beside it; a build
/// that succeeds then replaces it.
#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let out = previous_output(tmp.path());
    let before = tree(&out);
    let site = copy_site(&corpus().join("err-toml-missing-quote"), tmp.path(), "site");
    for _ in 0..3 {
        let o = build(&site, &out);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert_same_tree(&before, &tree(&out), "output after a failed build");
        assert_nothing_beside(tmp.path(), &["out", "site"], "failed build");
    }
    // Fix the mistake and change a title: the next build replaces the output.
    let plan = site.join("content/plans/2023/ke-hoach-thi-dua.md");
    let text = fs::read_to_string(&plan)
        .unwrap()
        .replace("\"Nhà Bè\n", "\"Nhà Bè\"\n");
    fs::write(&plan, text.replace("năm 2023\"", "năm 2023 (sửa đổi)\"")).unwrap();
    build_ok(&site, &out);
    let after = tree(&out);
    assert!(before != after, "a successful build writes the new site");
    let page = &after["ke-hoach/2023/ke-hoach-thi-dua/index.html"];
    assert!(String::from_utf8_lossy(page).contains("(sửa đổi)"));
    assert_nothing_beside(tmp.path(), &["out", "site"], "successful build");
}

/// A non-empty folder without the marker is never cleared.
#[test]
fn foreign_folder_is_never_cleared() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_site(&corpus().join("_previous"), tmp.path(), "site");
    let out = tmp.path().join("tai-lieu");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("bao-cao.docx"), "quan trọng").unwrap();
    fs::create_dir(out.join("anh")).unwrap();
    fs::write(out.join("anh/a.png"), "png").unwrap();
    let before = tree(&out);
    let o = build(&site, &out);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(".sangtao-output"),
        "the message names the marker: {}",
        stderr(&o)
    );
    assert_same_tree(&before, &tree(&out), "a folder sangtao did not create");
    assert_nothing_beside(tmp.path(), &["site", "tai-lieu"], "foreign folder");
    // An output path that is a file is refused too, and the file is kept.
    let file = tmp.path().join("site/ghi-chu.txt");
    fs::write(&file, "x").unwrap();
    let o = build(&site, &file);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(fs::read(&file).unwrap(), b"x");
}

/// `--output /`, the home folder and the site folder itself are refused.
#[test]
fn dangerous_output_folders_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = copy_site(&corpus().join("_previous"), tmp.path(), "site");
    let o = build(&site, Path::new("/"));
    assert_eq!(o.status.code(), Some(1), "--output /: {}", stderr(&o));
    assert!(!Path::new("/.sangtao-output").exists());

    let home = tmp.path().join("home");
    fs::create_dir(&home).unwrap();
    let o = std::process::Command::new(common::bin())
        .args(["--now", common::NOW, "--root"])
        .arg(&site)
        .args(["build", "--output"])
        .arg(&home)
        .env("HOME", &home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "--output $HOME: {}", stderr(&o));
    assert!(
        names(&home).is_empty(),
        "nothing written into the home folder"
    );

    let before = tree(&site);
    let o = build(&site, &site);
    assert_eq!(o.status.code(), Some(1), "--output <site>: {}", stderr(&o));
    let o = run(&site, &["build", "--output", tmp.path().to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "--output <parent of the site>: {}",
        stderr(&o)
    );
    assert_same_tree(&before, &tree(&site), "the site folder");
}
