//! Incremental rebuilds in memory (`serve`) must end in exactly the output a clean build gives.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use sangtao::incremental::{Update, Workspace};
use sangtao::text::dates::Date;

fn now() -> Date {
    Date::new(2026, 11, 25).unwrap()
}

fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::example_portal(dir.path());
    dir
}

/// Applies one change incrementally and checks the output against a clean in-memory build.
fn step(ws: &mut Workspace, root: &Path, changed: &[&str], what: &str) -> Update {
    let paths: Vec<PathBuf> = changed.iter().map(|c| root.join(c)).collect();
    let update = ws.apply(&paths);
    assert!(update.ok, "{what}: {:?}", update.diagnostics);
    ws.finish_deferred();
    let mut clean = Workspace::open(root.to_path_buf(), now(), false);
    assert!(clean.rebuild().ok);
    let (inc, full) = (ws.files(), clean.files());
    let mut missing: Vec<&String> = full.keys().filter(|k| !inc.contains_key(*k)).collect();
    let mut extra: Vec<&String> = inc.keys().filter(|k| !full.contains_key(*k)).collect();
    let mut differ: Vec<&String> = full
        .iter()
        .filter(|(k, v)| inc.get(*k).is_some_and(|b| b != *v))
        .map(|(k, _)| k)
        .collect();
    missing.sort();
    extra.sort();
    differ.sort();
    assert!(
        missing.is_empty() && extra.is_empty() && differ.is_empty(),
        "{what}: missing {missing:?}, extra {extra:?}, differ {differ:?}"
    );
    update
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    fs::write(&p, f(text)).unwrap();
}

#[test]
fn incremental_updates_equal_a_clean_build() {
    let site = example_site();
    let root = site.path();
    let mut ws = Workspace::open(root.to_path_buf(), now(), false);
    assert!(ws.rebuild().ok);

    let news = "content/news/2023/cuoc-thi-robot-cuu-hoa-nha-be-2023.md";
    edit(root, news, |t| t + "\nMột đoạn mới về robot.\n");
    step(&mut ws, root, &[news], "body edit");

    edit(root, news, |t| {
        t.replacen("title = \"", "title = \"Mới: ", 1)
    });
    step(&mut ws, root, &[news], "title edit");

    edit(root, news, |t| {
        t.replacen("tags = [", "tags = [\"Chủ đề mới\", ", 1)
    });
    step(&mut ws, root, &[news], "tags edit");

    let added = "content/news/2024/tin-moi.md";
    fs::write(
        root.join(added),
        "+++\ntitle = \"Tin mới\"\ndate = 2026-01-02\nunits = [\"phong-gddt-nha-be\"]\nrelated = [\"182/KH-GDĐT\"]\n+++\n\nNội dung theo 182/KH-GDĐT.\n",
    )
    .unwrap();
    step(&mut ws, root, &[added], "add a news item");

    edit(root, added, |t| {
        t.replace("date = 2026-01-02", "date = 2026-01-02\ndraft = true")
    });
    step(&mut ws, root, &[added], "make it a draft");

    fs::remove_file(root.join(added)).unwrap();
    step(&mut ws, root, &[added], "remove it");

    let plan = "content/plans/2023/182-kh-gddt-nha-be.md";
    edit(root, plan, |t| {
        t.replace("Tổ chức tuyên truyền", "Tổ chức tuyên truyền mạnh mẽ")
    });
    step(&mut ws, root, &[plan], "plan body edit");

    // An error keeps the last good output; fixing it gives the clean build again.
    let good = fs::read_to_string(root.join(news)).unwrap();
    fs::write(root.join(news), "+++\ntitle = \"x\n+++\n").unwrap();
    let update = ws.apply(&[root.join(news)]);
    assert!(!update.ok);
    assert!(update
        .diagnostics
        .iter()
        .any(|d| d.path == news && d.line == 2));
    fs::write(root.join(news), good).unwrap();
    step(&mut ws, root, &[news], "error fixed");

    let unit = "content/units/phong-gddt-nha-be.toml";
    edit(root, unit, |t| t.replace("name = \"", "name = \"Tên mới "));
    step(&mut ws, root, &[unit], "unit renamed");
}

/// Saves that change only bodies take a shorter path in `Workspace::apply` (the site is not
/// resolved again); they must end in the clean build's output all the same.
#[test]
fn body_only_edits_equal_a_clean_build() {
    let site = example_site();
    let root = site.path();
    let mut ws = Workspace::open(root.to_path_buf(), now(), false);
    assert!(ws.rebuild().ok);

    // Without a summary, the item's cards (listings, unit and topic pages, feeds) show the
    // body's first paragraph.
    let added = "content/news/2024/khong-tom-tat.md";
    fs::write(
        root.join(added),
        "+++\ntitle = \"Tin không có tóm tắt\"\ndate = 2026-01-03\nunits = [\"phong-gddt-nha-be\"]\ntags = [\"Robot\"]\n+++\n\nĐoạn đầu tiên.\n\nĐoạn thứ hai.\n",
    )
    .unwrap();
    step(&mut ws, root, &[added], "add an item without a summary");
    edit(root, added, |t| {
        t.replace("Đoạn đầu tiên.", "Đoạn đầu tiên, đã sửa.")
    });
    step(&mut ws, root, &[added], "first paragraph edited");
    edit(root, added, |t| t + "\nTheo Kế hoạch số 182/KH-GDĐT.\n");
    step(&mut ws, root, &[added], "the body now names a plan");

    let news = "content/news/2023/cuoc-thi-robot-cuu-hoa-nha-be-2023.md";
    let plan = "content/plans/2023/182-kh-gddt-nha-be.md";
    edit(root, news, |t| t + "\nThêm một đoạn.\n");
    edit(root, plan, |t| t + "\nThêm một đoạn vào kế hoạch.\n");
    step(&mut ws, root, &[news, plan], "two bodies in one save");

    let page = "content/pages/gioi-thieu.md";
    edit(root, page, |t| t + "\nMột đoạn cuối.\n");
    step(&mut ws, root, &[page], "a free page's body");

    // After an error, the fix is a body edit against the last good build.
    let good = fs::read_to_string(root.join(news)).unwrap();
    fs::write(root.join(news), "+++\ntitle = \"x\n+++\n").unwrap();
    assert!(!ws.apply(&[root.join(news)]).ok);
    fs::write(root.join(news), good + "\nSửa xong.\n").unwrap();
    step(&mut ws, root, &[news], "error fixed with a new body");

    // Front matter and body in one save: the full path.
    edit(root, news, |t| {
        t.replacen("title = \"", "title = \"Mới: ", 1) + "\nVà thân bài.\n"
    });
    step(&mut ws, root, &[news], "title and body");
    edit(root, news, |t| t + "\nLại thân bài.\n");
    step(&mut ws, root, &[news], "body after a title edit");
}

/// `build` renders each body just before its page (keeping only what other pages need), while
/// `serve` keeps every body: both must give the same bytes, for entries with and without a
/// summary (whose cards show the body's first paragraph) and drafts named as related.
#[test]
fn build_and_serve_give_the_same_files() {
    let site = example_site();
    let root = site.path();
    fs::write(
        root.join("content/news/2024/khong-tom-tat.md"),
        "+++\ntitle = \"Tin không có tóm tắt\"\ndate = 2026-01-03\nunits = [\"phong-gddt-nha-be\"]\ntags = [\"Robot\"]\nrelated = [\"news/2024/ban-nhap\"]\n+++\n\nĐoạn đầu tiên, theo Kế hoạch số 182/KH-GDĐT.\n\nĐoạn thứ hai.\n",
    )
    .unwrap();
    fs::write(
        root.join("content/news/2024/ban-nhap.md"),
        "+++\ntitle = \"Bản nháp\"\ndate = 2026-01-04\ndraft = true\nunits = [\"phong-gddt-nha-be\"]\n+++\n\nĐoạn đầu của bản nháp.\n",
    )
    .unwrap();
    let mut ws = Workspace::open(root.to_path_buf(), now(), false);
    let update = ws.rebuild();
    assert!(update.ok, "{:?}", update.diagnostics);
    ws.finish_deferred();
    let out = root.join("public");
    sangtao::build::build(&sangtao::build::BuildOptions {
        root: root.to_path_buf(),
        output: out.clone(),
        now: now(),
        drafts: false,
    })
    .unwrap_or_else(|e| panic!("build failed: {e:?}"));
    let served = ws.files();
    let built: Vec<(String, Vec<u8>)> = common::tree(&out)
        .into_iter()
        .filter(|(rel, _)| !rel.ends_with('/') && rel != sangtao::output::MARKER)
        .collect();
    for (rel, bytes) in &built {
        assert!(
            served.get(rel).is_some_and(|b| **b == **bytes),
            "{rel} differs between build and serve"
        );
    }
    assert_eq!(built.len(), served.len(), "the same files");
}

/// Front-matter saves that change nothing the site is resolved from (a title, a summary,
/// `related`) are applied to the resolved site in place; they must end in the clean build's
/// output all the same, and every other front-matter save must still resolve the site again.
#[test]
fn front_matter_edits_applied_in_place_equal_a_clean_build() {
    let site = example_site();
    let root = site.path();
    let mut ws = Workspace::open(root.to_path_buf(), now(), false);
    assert!(ws.rebuild().resolved);
    let news = "content/news/2023/cuoc-thi-robot-cuu-hoa-nha-be-2023.md";
    let plan = "content/plans/2023/182-kh-gddt-nha-be.md";
    let in_place = |ws: &mut Workspace, changed: &[&str], what: &str| {
        let update = step(ws, root, changed, what);
        assert!(!update.resolved, "{what}: resolved again");
    };
    let resolved = |ws: &mut Workspace, changed: &[&str], what: &str| {
        let update = step(ws, root, changed, what);
        assert!(update.resolved, "{what}: applied in place");
    };

    in_place(&mut ws, &[news], "a save that changes nothing");
    edit(root, news, |t| {
        t.replacen("title = \"", "title = \"Mới: ", 1)
    });
    in_place(&mut ws, &[news], "title edit");
    edit(root, news, |t| {
        t.replacen("summary = \"", "summary = \"Tóm tắt mới. ", 1)
    });
    in_place(&mut ws, &[news, news], "summary edit, the file named twice");
    edit(root, news, |t| {
        t.replacen("summary = ", "# ghi chú\nsummary = ", 1)
    });
    in_place(
        &mut ws,
        &[news],
        "a line added: the body starts a line later",
    );
    edit(root, news, |t| {
        t.replacen(
            "related = [\"182/KH-GDĐT\", ",
            "related = [\"182/KH-GDĐT\", \"news/2023/ngay-hoi-khcn-dmst-nha-be-2023\", ",
            1,
        )
    });
    in_place(&mut ws, &[news], "related edit");
    edit(root, plan, |t| {
        t.replacen("title = \"", "title = \"(Sửa) ", 1)
    });
    edit(root, news, |t| {
        t.replacen("title = \"Mới: ", "title = \"", 1)
    });
    in_place(&mut ws, &[news, plan], "two titles in one save");

    // An error found by validation keeps the last good output, with the error at its line.
    let good = fs::read_to_string(root.join(news)).unwrap();
    edit(root, news, |t| {
        t.replacen("related = [", "related = [\"khong/co/bai/nay\", ", 1)
    });
    let update = ws.apply(&[root.join(news)]);
    assert!(!update.ok);
    let line = good.lines().position(|l| l.starts_with("related")).unwrap() + 1;
    assert!(
        update
            .diagnostics
            .iter()
            .any(|d| d.path == news && d.line == line && d.message.contains("khong/co/bai/nay")),
        "{:?}",
        update.diagnostics
    );
    fs::write(root.join(news), &good).unwrap();
    step(&mut ws, root, &[news], "error fixed");
    edit(root, news, |t| {
        t.replacen("title = \"", "title = \"Lần nữa: ", 1)
    });
    in_place(&mut ws, &[news], "title edit after the fix");

    // What the site is resolved from takes the full path; the rest stays in place.
    let pii = "content/plans/2024/chi-so-pii-nganh-gddt-hai-phong.md";
    let steps = [
        (
            news,
            "tags = [",
            "# chủ đề\ntags = [",
            true,
            "a line added above the topics",
        ),
        (
            news,
            "date = 2023-04-22",
            "date = 2023-04-23",
            false,
            "date edit",
        ),
        (
            news,
            "tags = [\"Robot\", ",
            "tags = [\"robot\", ",
            false,
            "a topic written differently",
        ),
        (
            news,
            "units = [\"phong-gddt-nha-be\", ",
            "units = [",
            false,
            "units edit",
        ),
        (
            pii,
            "issuer = ",
            "number = \"99/KH-GDĐT\"\nissuer = ",
            false,
            "a number given",
        ),
        (plan, "(Sửa) ", "", true, "a plan's title"),
        (
            news,
            "\"182/KH-GDĐT\", ",
            "\"99/KH-GDĐT\", ",
            true,
            "related names the new number",
        ),
        (
            news,
            "date = 2023-04-23",
            "date = 2023-04-23\ndraft = true",
            false,
            "made a draft",
        ),
    ];
    for (file, from, to, stays_in_place, what) in steps {
        edit(root, file, |t| t.replacen(from, to, 1));
        if stays_in_place {
            in_place(&mut ws, &[file], what);
        } else {
            resolved(&mut ws, &[file], what);
        }
    }
}
