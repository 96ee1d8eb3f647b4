//! `sangtao new`: every kind is scaffolded at its URL-friendly path, passes `check` as written,
//! and is never overwritten.

use std::path::Path;
use std::process::{Command, Output};

use sangtao::text::dates::Date;
use sangtao::Severity;

const TODAY: &str = "2025-03-05";

/// A minimal site: settings and one unit.
fn site(language: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        format!("title = \"Cổng thử\"\nbase_url = \"https://dmst.example.edu.vn\"\nlanguage = \"{language}\"\n"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("content/units")).unwrap();
    std::fs::write(
        dir.path().join("content/units/phong-gddt-nha-be.toml"),
        "name = \"Phòng Giáo dục và Đào tạo huyện Nhà Bè\"\nkind = \"phong\"\n",
    )
    .unwrap();
    dir
}

fn new(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sangtao"))
        .arg("--root")
        .arg(root)
        .arg("--now")
        .arg(TODAY)
        .arg("new")
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Errors and warnings `check_site` finds in the site.
fn problems(root: &Path) -> Vec<String> {
    let checked = sangtao::check_site(root, Date::parse_iso(TODAY).unwrap(), false);
    checked
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Note)
        .map(|d| format!("{}:{}: {}", d.path, d.line, d.message))
        .collect()
}

const TITLE: &str = "Kế hoạch tổ chức Ngày hội STEM năm 2025";

const CASES: &[(&str, &str)] = &[
    (
        "plan",
        "content/plans/2025/ke-hoach-to-chuc-ngay-hoi-stem-nam-2025.md",
    ),
    (
        "solution",
        "content/solutions/2025/ke-hoach-to-chuc-ngay-hoi-stem-nam-2025.md",
    ),
    (
        "news",
        "content/news/2025/ke-hoach-to-chuc-ngay-hoi-stem-nam-2025.md",
    ),
    (
        "page",
        "content/pages/ke-hoach-to-chuc-ngay-hoi-stem-nam-2025.md",
    ),
    (
        "unit",
        "content/units/ke-hoach-to-chuc-ngay-hoi-stem-nam-2025.toml",
    ),
];

fn unit_args(kind: &str) -> Vec<&str> {
    if kind == "page" {
        vec![kind, TITLE]
    } else {
        vec![kind, TITLE, "--unit", "phong-gddt-nha-be"]
    }
}

#[test]
fn each_kind_is_written_at_its_url_friendly_path_and_passes_check() {
    for (kind, path) in CASES {
        let dir = site("vi");
        let out = new(dir.path(), &unit_args(kind));
        assert_eq!(out.status.code(), Some(0), "{kind}: {}", stderr(&out));
        assert_eq!(stdout(&out), format!("{path}\n"), "{kind}");
        let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
        assert!(
            problems(dir.path()).is_empty(),
            "{kind}: {:?}\n{text}",
            problems(dir.path())
        );
    }
}

#[test]
fn the_required_keys_are_filled_and_the_optional_ones_commented() {
    let dir = site("vi");
    for (kind, path) in CASES {
        new(dir.path(), &unit_args(kind));
        let text = std::fs::read_to_string(dir.path().join(path)).unwrap();
        let expected: &[&str] = match *kind {
            "plan" => &[
                "title = \"Kế hoạch tổ chức Ngày hội STEM năm 2025\"",
                "issuer = \"phong-gddt-nha-be\"",
                "date = 2025-03-05",
                "# number = \"182/KH-GDĐT\"",
                "# [[tasks]]",
            ],
            "solution" => &[
                "unit = \"phong-gddt-nha-be\"",
                "date = 2025-03-05",
                "[award]",
                "year = 2025",
                "# status = \"ap-dung\"",
            ],
            "news" => &[
                "units = [\"phong-gddt-nha-be\"]",
                "date = 2025-03-05",
                "# tags = ",
            ],
            "page" => &["title = \"Kế hoạch tổ chức", "# order = 1"],
            _ => &[
                "name = \"Kế hoạch tổ chức Ngày hội STEM năm 2025\"",
                "kind = \"truong\"",
                "parent = \"phong-gddt-nha-be\"",
                "# website = ",
            ],
        };
        for line in expected {
            assert!(text.contains(line), "{kind}: no `{line}` in\n{text}");
        }
    }
    // Every file of every kind together still passes.
    assert!(
        problems(dir.path()).is_empty(),
        "{:?}",
        problems(dir.path())
    );
}

#[test]
fn an_existing_file_is_never_overwritten() {
    for (kind, path) in CASES {
        let dir = site("vi");
        assert_eq!(new(dir.path(), &unit_args(kind)).status.code(), Some(0));
        let file = dir.path().join(path);
        std::fs::write(&file, "edited by hand\n").unwrap();
        let again = new(dir.path(), &unit_args(kind));
        assert_eq!(again.status.code(), Some(1), "{kind}");
        assert!(stderr(&again).contains(path), "{kind}: {}", stderr(&again));
        assert!(stdout(&again).is_empty());
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "edited by hand\n",
            "{kind}"
        );
    }
}

#[test]
fn a_file_that_lands_on_the_same_url_is_not_doubled() {
    let dir = site("vi");
    let existing = dir.path().join("content/news/2025/Ngày hội STEM.md");
    std::fs::create_dir_all(existing.parent().unwrap()).unwrap();
    std::fs::write(&existing, "kept\n").unwrap();
    let out = new(
        dir.path(),
        &["news", "Ngày hội STEM", "--unit", "phong-gddt-nha-be"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/news/2025/Ngày hội STEM.md"),
        "{}",
        stderr(&out)
    );
    assert!(!dir
        .path()
        .join("content/news/2025/ngay-hoi-stem.md")
        .exists());
}

#[test]
fn an_unknown_unit_is_refused_with_the_closest_slug() {
    let dir = site("vi");
    let out = new(dir.path(), &["plan", TITLE, "--unit", "phong-gddt-nhabe"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("phong-gddt-nhabe"), "{err}");
    assert!(err.contains("có phải `phong-gddt-nha-be`?"), "{err}");
    assert!(!dir.path().join("content/plans").exists());
}

#[test]
fn an_entry_without_a_unit_uses_the_site_owner_or_asks_for_one() {
    let dir = site("vi");
    let out = new(dir.path(), &["news", "Tin mới"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--unit"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("phong-gddt-nha-be"),
        "{}",
        stderr(&out)
    );

    let toml = dir.path().join("site.toml");
    let settings = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{settings}owner = \"phong-gddt-nha-be\"\n")).unwrap();
    let out = new(dir.path(), &["news", "Tin mới"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("content/news/2025/tin-moi.md")).unwrap();
    assert!(text.contains("units = [\"phong-gddt-nha-be\"]"), "{text}");
}

#[test]
fn the_date_comes_from_the_build_clock() {
    let dir = site("vi");
    let out = Command::new(env!("CARGO_BIN_EXE_sangtao"))
        .arg("--root")
        .arg(dir.path())
        .args(["new", "news", "Tin", "--unit", "phong-gddt-nha-be"])
        .env("SOURCE_DATE_EPOCH", "1700000000") // 2023-11-14
        .output()
        .unwrap();
    assert_eq!(
        stdout(&out),
        "content/news/2023/tin.md\n",
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(dir.path().join("content/news/2023/tin.md")).unwrap();
    assert!(text.contains("date = 2023-11-14"), "{text}");
}

#[test]
fn messages_follow_the_site_language() {
    let dir = site("en");
    let out = new(dir.path(), &["plan", TITLE, "--unit", "phong-gddt-nhabe"]);
    assert!(
        stderr(&out).contains("did you mean `phong-gddt-nha-be`?"),
        "{}",
        stderr(&out)
    );
    let out = new(dir.path(), &["page", "About"]);
    let text = std::fs::read_to_string(dir.path().join(stdout(&out).trim())).unwrap();
    assert!(text.contains("# Optional keys"), "{text}");
}

#[test]
fn titles_are_written_as_valid_toml() {
    let dir = site("vi");
    let out = new(dir.path(), &["page", "Trang \"đặc biệt\" \\ | <b>"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "content/pages/trang-dac-biet-b.md\n");
    assert!(
        problems(dir.path()).is_empty(),
        "{:?}",
        problems(dir.path())
    );
}

#[test]
fn a_title_without_letters_is_refused() {
    let dir = site("vi");
    let out = new(dir.path(), &["page", "!!!"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("content/pages").exists());
}
