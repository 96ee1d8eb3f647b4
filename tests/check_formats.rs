//! `sangtao check` in its three formats (issue 5): snapshots of what the fixture site
//! tests/fixtures/check/ produces (one unknown unit, one image without alt text, a broken link,
//! a broken `#anchor`, a draft and a scheduled entry), the exit codes, and the JSON schema
//! documented in docs/check.md.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

fn fixture() -> PathBuf {
    common::manifest_dir().join("tests/fixtures/check")
}

fn check(root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    common::run(root, &all)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 stdout")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 stderr")
}

/// The fixture without its errors (the unknown unit, the broken link and anchor): only the
/// warning (image without alt text) and the two notes remain.
fn clean_variant(dir: &Path) -> PathBuf {
    let root = common::copy_site(&fixture(), dir, "site");
    fs::remove_file(root.join("content/plans/2024/sai-don-vi.md")).unwrap();
    let news = root.join("content/news/2024/ngay-hoi.md");
    let text = fs::read_to_string(&news).unwrap();
    let text = text
        .replace("/ke-hoach/khong-co/", "/ke-hoach/2024/ke-hoach/")
        .replace("#muc-tieu", "#ii-noi-dung");
    fs::write(&news, text).unwrap();
    root
}

#[test]
fn human_format() {
    let o = check(&fixture(), &["--format", "human"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stdout(&o), "", "human output goes to standard error");
    let err = stderr(&o);
    assert!(!err.contains('\x1b'), "NO_COLOR=1 must turn colours off");
    insta::assert_snapshot!("human", err);
}

#[test]
fn human_format_in_vietnamese() {
    // Messages follow the site's `language` (Vietnamese by default).
    let dir = tempfile::tempdir().unwrap();
    let root = common::copy_site(&fixture(), dir.path(), "site");
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(
        root.join("site.toml"),
        toml.replace("language = \"en\"\n", ""),
    )
    .unwrap();
    let o = check(&root, &["--format", "human"]);
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("human_vi", stderr(&o));
}

#[test]
fn human_is_the_default_format() {
    let o = check(&fixture(), &[]);
    let h = check(&fixture(), &["--format", "human"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), stderr(&h));
}

#[test]
fn json_format() {
    let o = check(&fixture(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let out = stdout(&o);
    insta::assert_snapshot!("json", out);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_schema(&v);
    assert_eq!(v["errors"], 3);
    assert_eq!(v["warnings"], 1);
}

#[test]
fn github_format() {
    // A copy outside any Git repository: paths stay relative to the site root.
    let dir = tempfile::tempdir().unwrap();
    let root = common::copy_site(&fixture(), dir.path(), "site");
    let o = check(&root, &["--format", "github"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let out = stdout(&o);
    insta::assert_snapshot!("github", out);
    for line in out.lines() {
        let rest = line
            .strip_prefix("::error file=")
            .or_else(|| line.strip_prefix("::warning file="))
            .or_else(|| line.strip_prefix("::notice file="))
            .unwrap_or_else(|| panic!("not a workflow command: {line}"));
        let (props, message) = rest.split_once("::").expect("`::` before the message");
        let parts: Vec<&str> = props.split(',').collect();
        assert_eq!(parts.len(), 3, "{line}");
        assert!(parts[1].starts_with("line=") && parts[2].starts_with("col="));
        assert!(!message.is_empty() && !message.contains('\n'));
    }
    assert_eq!(out.lines().filter(|l| l.starts_with("::error")).count(), 3);
    assert_eq!(
        out.lines().filter(|l| l.starts_with("::warning")).count(),
        1
    );
    assert_eq!(out.lines().filter(|l| l.starts_with("::notice")).count(), 2);
}

#[test]
fn every_problem_is_found_and_located() {
    let o = check(&fixture(), &["--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let found: Vec<(String, u64, u64, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("content/news/2024/ban-nhap.md", 5, 9, "note"), // draft = true
        ("content/news/2024/hen-gio.md", 3, 8, "note"),  // date in 2027
        ("content/news/2024/ngay-hoi.md", 8, 1, "warning"), // ![](/files/x.png)
        ("content/news/2024/ngay-hoi.md", 10, 5, "error"), // /ke-hoach/khong-co/
        ("content/news/2024/ngay-hoi.md", 10, 49, "error"), // #muc-tieu
        ("content/plans/2024/sai-don-vi.md", 6, 15, "error"), // truong-hoc
    ];
    let want: Vec<(String, u64, u64, String)> = want
        .iter()
        .map(|(p, l, c, s)| (p.to_string(), *l, *c, s.to_string()))
        .collect();
    assert_eq!(found, want);
    // Links that do resolve (an anchor that exists, an asset, a unit page) are not reported.
    let text = stdout(&o);
    assert!(!text.contains("#i-muc-dich`"), "{text}");
    assert!(!text.contains("/don-vi/so/"), "{text}");
    // The broken anchor's help names the anchors the page has.
    assert!(text.contains("#i-muc-dich, #ii-noi-dung"), "{text}");
    // check writes nothing.
    assert!(!fixture().join("public").exists());
}

#[test]
fn exit_codes_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let root = clean_variant(dir.path());
    for format in ["human", "json", "github"] {
        let o = check(&root, &["--format", format]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{format}: a warning alone passes\n{}{}",
            stdout(&o),
            stderr(&o)
        );
        let o = check(&root, &["--format", format, "--deny-warnings"]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{format}: --deny-warnings makes the warning fail"
        );
    }
    let o = check(&root, &["--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_schema(&v);
    assert_eq!(v["errors"], 0);
    assert_eq!(v["warnings"], 1);
    // Notes never fail a check, even with --deny-warnings.
    fs::write(
        root.join("content/news/2024/ngay-hoi.md"),
        "+++\ntitle = \"Ngày hội\"\ndate = 2024-05-10\nunits = [\"truong\"]\n+++\n![Ảnh](/files/x.png)\n",
    )
    .unwrap();
    let o = check(&root, &["--format", "json", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["warnings"], 0);
    assert_eq!(
        v["diagnostics"].as_array().unwrap().len(),
        2,
        "the two notes"
    );
}

/// GitHub places annotations by the path from the repository root: a site in a subfolder of
/// its repository gets that folder in front of its paths; at the repository's root, none.
#[test]
fn github_paths_are_from_the_repository_root() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join(".git")).unwrap();
    let root = common::copy_site(&fixture(), &repo.join("cong"), "dmst");
    let o = check(&root, &["--format", "github"]);
    let out = stdout(&o);
    assert!(
        out.contains("::error file=cong/dmst/content/plans/2024/sai-don-vi.md,line=6,col=15::"),
        "{out}"
    );
    assert!(out.lines().all(|l| l.contains(" file=cong/dmst/")), "{out}");
    // The same site at the root of its repository.
    fs::create_dir_all(root.join(".git")).unwrap();
    let o = check(&root, &["--format", "github"]);
    assert!(
        stdout(&o).contains("::error file=content/plans/2024/sai-don-vi.md,line=6,col=15::"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_clean_site_prints_an_empty_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = clean_variant(dir.path());
    for rel in [
        "content/news/2024/ban-nhap.md",
        "content/news/2024/hen-gio.md",
    ] {
        fs::remove_file(root.join(rel)).unwrap();
    }
    fs::write(
        root.join("content/news/2024/ngay-hoi.md"),
        "+++\ntitle = \"Ngày hội\"\ndate = 2024-05-10\nunits = [\"truong\"]\n+++\n![Ảnh](/files/x.png)\n",
    )
    .unwrap();
    let o = check(&root, &["--format", "json", "--deny-warnings"]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_schema(&v);
    assert_eq!(
        v,
        serde_json::json!({"version": 1, "errors": 0, "warnings": 0, "diagnostics": []})
    );
    let o = check(&root, &["--format", "github"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
    let o = check(&root, &["--format", "human"]);
    assert_eq!((o.status.code(), stderr(&o)), (Some(0), String::new()));
}

/// The stable JSON schema of docs/check.md, version 1.
fn assert_schema(v: &Value) {
    let top = v.as_object().expect("an object");
    let mut keys: Vec<&str> = top.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["diagnostics", "errors", "version", "warnings"]);
    assert_eq!(v["version"], 1);
    let diags = v["diagnostics"]
        .as_array()
        .expect("diagnostics is an array");
    let count = |s: &str| diags.iter().filter(|d| d["severity"] == s).count() as u64;
    assert_eq!(v["errors"].as_u64(), Some(count("error")));
    assert_eq!(v["warnings"].as_u64(), Some(count("warning")));
    let mut previous: Option<(String, u64, u64)> = None;
    for d in diags {
        let o = d.as_object().expect("a diagnostic is an object");
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["column", "help", "line", "message", "path", "severity"],
            "{d}"
        );
        let path = d["path"].as_str().expect("path is a string");
        assert!(
            !path.is_empty() && !path.starts_with('/') && !path.contains('\\'),
            "path relative to the site root with / separators: {path}"
        );
        let line = d["line"].as_u64().expect("line is an integer");
        let column = d["column"].as_u64().expect("column is an integer");
        assert!(line >= 1 && column >= 1, "{d}");
        assert!(
            ["error", "warning", "note"].contains(&d["severity"].as_str().unwrap_or("")),
            "{d}"
        );
        assert!(!d["message"].as_str().expect("message").is_empty());
        assert!(d["help"].is_null() || d["help"].is_string(), "{d}");
        let key = (path.to_string(), line, column);
        if let Some(prev) = &previous {
            assert!(prev <= &key, "sorted by path, line, column");
        }
        previous = Some(key);
    }
}
