//! `sangtao review` on a temporary Git repository: a first commit holds a small site; a second
//! commit and uncommitted changes add, change, remove, hold back entries, touch units and
//! introduce an error; the review lists each.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.email=a@b",
            "-c",
            "user.name=t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2025-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2025-01-01T00:00:00Z")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn review(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sangtao"))
        .arg("--root")
        .arg(root)
        .args(["--now", "2025-06-01", "review"])
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// The commit id depends on the Git version's object format defaults; the rest must not.
fn redact(markdown: &str, commit: &str) -> String {
    markdown
        .replace(commit, "COMMIT")
        .replace(&commit[..7], "COMMIT")
}

const SITE: &str = "title = \"Cổng thử\"\nbase_url = \"https://dmst.example.edu.vn/cong\"\n";

fn plan(title: &str, number: &str, extra: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nnumber = \"{number}\"\nissuer = \"phong-gddt-nha-be\"\ndate = 2024-02-14\n{extra}+++\n\n{body}\n")
}

fn news(title: &str, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2024-05-10\nunits = [\"phong-gddt-nha-be\"]\n{extra}+++\n\nNội dung tin.\n")
}

fn solution(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndate = 2023-06-12\nunit = \"truong-thcs-binh-minh\"\ntags = [\"STEM\"]\n\n[award]\nname = \"Hội thi Sáng tạo\"\nyear = 2023\n+++\n\n{body}\n")
}

/// A repository whose site lives in `portal/`, with the first commit's id.
fn repository() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    let site = repo.join("portal");
    write(&site, "site.toml", SITE);
    write(
        &site,
        "content/units/phong-gddt-nha-be.toml",
        "name = \"Phòng GDĐT Nhà Bè\"\nkind = \"phong\"\n",
    );
    write(
        &site,
        "content/units/truong-thcs-binh-minh.toml",
        "name = \"Trường THCS Bình Minh\"\nkind = \"truong\"\nparent = \"phong-gddt-nha-be\"\n",
    );
    write(
        &site,
        "content/units/truong-cu.toml",
        "name = \"Trường Cũ\"\nkind = \"truong\"\n",
    );
    write(
        &site,
        "content/plans/2024/ke-hoach-stem.md",
        &plan("Kế hoạch STEM", "12/KH-GDĐT", "", "Nội dung kế hoạch."),
    );
    write(
        &site,
        "content/plans/2024/ke-hoach-cu.md",
        &plan("Kế hoạch cũ", "7/KH-GDĐT", "", "Sẽ bị xóa."),
    );
    write(
        &site,
        "content/news/2024/tin-ngay-hoi.md",
        &news("Tin ngày hội", ""),
    );
    write(
        &site,
        "content/solutions/2023/robot.md",
        &solution("Robot cứu hỏa", "Mô tả ban đầu."),
    );
    write(repo, "README.md", "not part of the site\n");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "site"]);
    let first = git(repo, &["rev-parse", "HEAD"]);
    (dir, site, first)
}

/// Changes on top of the first commit: one more commit, then uncommitted edits.
fn change(site: &Path) {
    let repo = site.parent().unwrap();
    // Committed: a new news item, a solution retitled and rewritten, a plan removed.
    write(
        site,
        "content/news/2025/tin-moi.md",
        &news("Tin mới về Ngày hội STEM", ""),
    );
    write(
        site,
        "content/solutions/2023/robot.md",
        &solution("Robot cứu hỏa mini", "Mô tả mới."),
    );
    std::fs::remove_file(site.join("content/plans/2024/ke-hoach-cu.md")).unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "change"]);
    // Working tree: a published item turned into a draft, a new scheduled item, a unit added,
    // one changed, one removed, and an error (an unknown key).
    write(
        site,
        "content/news/2024/tin-ngay-hoi.md",
        &news("Tin ngày hội", "draft = true\n"),
    );
    write(
        site,
        "content/news/2025/tin-hen-dang.md",
        &news("Tin hẹn đăng", "").replace("2024-05-10", "2025-09-01"),
    );
    write(
        site,
        "content/units/truong-moi.toml",
        "name = \"Trường Mới\"\nkind = \"truong\"\n",
    );
    write(site, "content/units/truong-thcs-binh-minh.toml", "name = \"Trường THCS Bình Minh\"\nshort_name = \"THCS Bình Minh\"\nkind = \"truong\"\nparent = \"phong-gddt-nha-be\"\n");
    std::fs::remove_file(site.join("content/units/truong-cu.toml")).unwrap();
    write(
        site,
        "content/plans/2024/ke-hoach-stem.md",
        &plan(
            "Kế hoạch STEM",
            "12/KH-GDĐT",
            "tgas = [\"STEM\"]\n",
            "Nội dung kế hoạch.",
        ),
    );
}

#[test]
fn markdown_lists_what_the_change_publishes() {
    let (_dir, site, first) = repository();
    change(&site);
    let out = review(&site, &["--since", &first]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the working tree has an error: {}",
        stderr(&out)
    );
    insta::assert_snapshot!("review_markdown", redact(&stdout(&out), &first));
}

#[test]
fn json_lists_what_the_change_publishes() {
    let (_dir, site, first) = repository();
    change(&site);
    let out = review(&site, &["--since", &first, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let base = "https://dmst.example.edu.vn/cong";

    assert_eq!(json["version"], 1);
    assert_eq!(json["since"], first.as_str());
    assert_eq!(json["since_commit"], first.as_str());

    let summary = &json["summary"];
    assert_eq!(summary["added"], 1);
    assert_eq!(summary["changed"], 1);
    assert_eq!(summary["removed"], 1);
    assert_eq!(summary["unpublished"], 2);
    assert_eq!(summary["units_added"], 1);
    assert_eq!(summary["units_changed"], 1);
    assert_eq!(summary["units_removed"], 1);
    assert_eq!(summary["new_errors"], 1);
    assert_eq!(summary["errors"], 1);

    let added = &json["added"][0];
    assert_eq!(added["kind"], "news");
    assert_eq!(added["source"], "content/news/2025/tin-moi.md");
    assert_eq!(added["title"], "Tin mới về Ngày hội STEM");
    assert_eq!(added["url"], format!("{base}/tin-tuc/2025/tin-moi/"));
    assert_eq!(added["previously"], "new");

    let changed = &json["changed"][0];
    assert_eq!(changed["kind"], "solution");
    assert_eq!(changed["title"], "Robot cứu hỏa mini");
    assert_eq!(changed["previous_title"], "Robot cứu hỏa");
    assert_eq!(changed["fields"], serde_json::json!(["title"]));
    assert_eq!(changed["body_changed"], true);
    assert_eq!(changed["url"], format!("{base}/giai-phap/2023/robot/"));

    let removed = &json["removed"][0];
    assert_eq!(removed["kind"], "plan");
    assert_eq!(removed["title"], "Kế hoạch cũ");
    assert_eq!(removed["number"], "7/KH-GDĐT");
    assert_eq!(removed["url"], format!("{base}/ke-hoach/2024/ke-hoach-cu/"));

    let held = json["unpublished"].as_array().unwrap();
    assert_eq!(held[0]["source"], "content/news/2024/tin-ngay-hoi.md");
    assert_eq!(held[0]["state"], "draft");
    assert_eq!(held[0]["previously"], "published");
    assert_eq!(held[1]["source"], "content/news/2025/tin-hen-dang.md");
    assert_eq!(held[1]["state"], "scheduled");
    assert_eq!(held[1]["scheduled_for"], "2025-09-01");
    assert_eq!(held[1]["previously"], "new");

    let units = &json["units"];
    assert_eq!(units["added"][0]["slug"], "truong-moi");
    assert_eq!(
        units["added"][0]["url"],
        format!("{base}/don-vi/truong-moi/")
    );
    assert_eq!(units["changed"][0]["slug"], "truong-thcs-binh-minh");
    assert_eq!(
        units["changed"][0]["fields"],
        serde_json::json!(["short_name"])
    );
    assert_eq!(units["removed"][0]["slug"], "truong-cu");

    let problems = json["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], "content/plans/2024/ke-hoach-stem.md");
    assert_eq!(problems[0]["severity"], "error");
    assert!(problems[0]["message"].as_str().unwrap().contains("tgas"));
    // The plan's published fields did not change: the unknown key is a problem, not a change.
    assert!(json["changed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["kind"] != "plan"));
}

#[test]
fn a_review_without_changes_says_so_and_succeeds() {
    let (_dir, site, first) = repository();
    let out = review(&site, &["--since", &first]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.starts_with("## sangtao review\n"), "{md}");
    assert!(
        md.contains("Không có thay đổi nào về nội dung được đăng."),
        "{md}"
    );
    assert!(md.contains("Không có lỗi"), "{md}");
}

#[test]
fn a_site_that_did_not_exist_at_the_ref_is_all_new() {
    let (_dir, site, _) = repository();
    let repo = site.parent().unwrap();
    write(repo, "other.txt", "x\n");
    git(repo, &["rm", "-q", "-r", "portal"]);
    git(repo, &["commit", "-q", "-m", "no site"]);
    let empty = git(repo, &["rev-parse", "HEAD"]);
    git(repo, &["revert", "--no-edit", "HEAD"]);
    let out = review(&site, &["--since", &empty, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["summary"]["added"], 4);
    assert_eq!(json["summary"]["units_added"], 3);
}

#[test]
fn an_unknown_ref_is_a_clear_error() {
    let (_dir, site, _) = repository();
    let out = review(&site, &["--since", "origin/khong-co"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("không tìm thấy `origin/khong-co`"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_folder_outside_git_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "site.toml", SITE);
    let out = Command::new(env!("CARGO_BIN_EXE_sangtao"))
        .arg("--root")
        .arg(dir.path())
        .args(["review", "--since", "main"])
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("không nằm trong kho Git"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_english_site_gets_english_labels() {
    let (_dir, site, _) = repository();
    let repo = site.parent().unwrap();
    write(&site, "site.toml", &format!("{SITE}language = \"en\"\n"));
    write(&site, "content/news/2025/tin-moi.md", &news("Tin mới", ""));
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "english"]);
    write(
        &site,
        "content/plans/2024/ke-hoach-stem.md",
        &plan("Kế hoạch STEM", "12/KH-GDĐT", "", "Nội dung mới."),
    );
    let out = review(&site, &["--since", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(md.contains("Compared with `HEAD~1` (`"), "{md}");
    assert!(md.contains("### Newly published (1)"), "{md}");
    assert!(md.contains("| News | Tin mới |"), "{md}");
    assert!(md.contains("### Changed (1)"), "{md}");
    assert!(md.contains("| Plan | Kế hoạch STEM | 12/KH-GDĐT | https://dmst.example.edu.vn/cong/ke-hoach/2024/ke-hoach-stem/ | body |"), "{md}");
    assert!(md.contains("No errors: the site builds."), "{md}");
}
