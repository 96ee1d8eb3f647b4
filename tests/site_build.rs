//! Building fixture sites and checking the pages, unit index pages, feeds and sitemap produced.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

mod common;

use sangtao::text::dates::Date;
use sangtao::BuildOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Options to build `root` into `out` on the fixtures' date, without drafts.
fn options(root: &Path, out: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: out.to_path_buf(),
        now: Date::new(2026, 11, 25).unwrap(),
        drafts: false,
    }
}

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    match sangtao::build(&options(root, &out)) {
        Ok(_) => {}
        Err(sangtao::BuildError::Content(d)) => panic!(
            "{}",
            sangtao::diagnostics::render_human(&d, sangtao::text::dates::Lang::En, false)
        ),
        Err(e) => panic!("{e}"),
    }
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The HTML of the unit page's section with the given key.
fn section<'a>(html: &'a str, key: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"sec-{key}\""))
        .unwrap_or_else(|| panic!("no section {key}"));
    let rest = &html[start..];
    let end = rest[1..]
        .find("<section")
        .map(|i| i + 1)
        .or_else(|| rest.find("</main>"))
        .unwrap_or(rest.len());
    &rest[..end]
}

fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>");
    &html[start..end]
}

const TITLES: [&str; 9] = [
    "Kế hoạch do trường ban hành",
    "Kế hoạch trường chủ trì nhiệm vụ",
    "Kế hoạch trường phối hợp",
    "Kế hoạch gửi trường",
    "Kế hoạch không liên quan",
    "Giải pháp của trường",
    "Giải pháp áp dụng tại trường",
    "Tin về trường",
    "Tin nháp về trường",
];

#[test]
fn unit_page_lists_each_role_under_its_heading_and_nothing_else() {
    let (_d, out) = build(&fixture("roles"));
    let html = read(&out, "don-vi/truong/index.html");
    let expect: [(&str, &[&str]); 5] = [
        ("issued", &["Kế hoạch do trường ban hành"]),
        (
            "tasks",
            &[
                "Kế hoạch trường chủ trì nhiệm vụ",
                "Kế hoạch trường phối hợp",
            ],
        ),
        ("recipient", &["Kế hoạch gửi trường"]),
        (
            "solutions",
            &["Giải pháp của trường", "Giải pháp áp dụng tại trường"],
        ),
        ("news", &["Tin về trường"]),
    ];
    for (key, titles) in expect {
        let s = section(&html, key);
        for t in TITLES {
            assert_eq!(
                s.contains(t),
                titles.contains(&t),
                "section {key}, title {t}:\n{s}"
            );
        }
    }
    // The unit's main holds only its own entries.
    let main = main_of(&html);
    assert!(!main.contains("Kế hoạch không liên quan"));
    // A unit that nothing names still has its page and feed.
    assert!(out.join("don-vi/e1/index.html").is_file());
    assert!(out.join("don-vi/e1/atom.xml").is_file());
}

#[test]
fn drafts_and_scheduled_entries_are_absent_from_every_output() {
    let (_d, out) = build(&fixture("roles"));
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        let bytes = fs::read(e.path()).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for banned in [
            "Tin nháp về trường",
            "Tin hẹn giờ về trường",
            "tin-tuc/2024/draft",
            "tin-tuc/2024/scheduled",
        ] {
            assert!(
                !text.contains(banned),
                "{} contains {banned}",
                e.path().display()
            );
        }
    }
    assert!(!out.join("tin-tuc/2024/draft").exists());
    assert!(!out.join("tin-tuc/2024/scheduled").exists());
}

#[test]
fn feeds_validate_with_an_independent_parser() {
    let (_d, out) = build(&fixture("roles"));
    for (rel, count) in [
        ("atom.xml", 8),
        ("rss.xml", 8),
        ("ke-hoach/atom.xml", 5),
        ("tin-tuc/atom.xml", 1),
        ("don-vi/truong/atom.xml", 7),
    ] {
        let bytes = fs::read(out.join(rel)).unwrap();
        let feed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(feed.entries.len(), count, "{rel}");
        let mut ids = BTreeSet::new();
        let mut last = None;
        for e in &feed.entries {
            assert!(ids.insert(e.id.clone()), "{rel}: duplicate id {}", e.id);
            let link = &e.links[0].href;
            assert!(
                link.starts_with("https://example.edu.vn/cong/"),
                "{rel}: {link}"
            );
            assert!(e.id.starts_with("https://example.edu.vn/cong/"));
            let date = e.updated.or(e.published).expect("a date");
            if let Some(prev) = last {
                assert!(date <= prev, "{rel}: not newest first");
            }
            last = Some(date);
        }
    }
    let atom = feed_rs::parser::parse(&fs::read(out.join("atom.xml")).unwrap()[..]).unwrap();
    let news = atom
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == "Tin về trường")
        .unwrap();
    assert_eq!(
        news.links[0].href,
        "https://example.edu.vn/cong/tin-tuc/2024/about/"
    );
    let terms: Vec<&str> = news.categories.iter().map(|c| c.term.as_str()).collect();
    assert!(terms.contains(&"Trường Tiểu học Đồng Xanh"), "{terms:?}");
    assert!(terms.contains(&"STEM"));
    assert_eq!(news.authors[0].name, "Trường Tiểu học Đồng Xanh");
    let plan = atom
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content.starts_with("1/KH-TR"))
        .unwrap();
    assert_eq!(
        plan.title.as_ref().unwrap().content,
        "1/KH-TR: Kế hoạch do trường ban hành"
    );
}

#[test]
fn unit_directory_is_in_vietnamese_alphabetical_order() {
    let (_d, out) = build(&fixture("roles"));
    let html = read(&out, "don-vi/index.html");
    let pos = |name: &str| html.find(name).unwrap_or_else(|| panic!("{name} missing"));
    for (a, b) in [
        ("Dương Minh", "Đào Tạo"),
        ("Đào Tạo", "Em Bé"),
        ("Ô Mai", "Ơn Nghĩa"),
        ("Ông Già", "Ơn Nghĩa"),
        ("Uyên Bác", "Ước Mơ"),
        ("Ủy ban Ulan", "Ước Mơ"),
    ] {
        assert!(pos(a) < pos(b), "{a} should come before {b}");
    }
}

#[test]
fn plan_numbers_link_only_as_whole_tokens_under_the_base_path() {
    let (_d, out) = build(&fixture("roles"));
    let html = read(&out, "tin-tuc/2024/about/index.html");
    assert!(
        html.contains("<a class=\"plan-ref\" href=\"/cong/ke-hoach/2024/issued/\">1/KH-TR</a>"),
        "{html}"
    );
    assert!(html.contains("Không phải 11/KH-TR."));
    // The related plan is listed and linked.
    assert!(main_of(&html).contains("href=\"/cong/ke-hoach/2024/issued/\""));
    // Pages never use the absolute base_url for the site's own files (only the canonical link
    // and OpenGraph, which must be absolute, name it).
    let without_canonical: String = html
        .lines()
        .filter(|l| !l.contains("rel=\"canonical\""))
        .collect();
    for needle in [
        "href=\"https://example.edu.vn",
        "src=\"https://example.edu.vn",
    ] {
        assert!(!without_canonical.contains(needle), "{needle}");
    }
}

#[test]
fn sitemap_lists_exactly_the_published_pages() {
    let (_d, out) = build(&fixture("roles"));
    let sitemap = read(&out, "sitemap.xml");
    let locs: BTreeSet<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap().to_string())
        .collect();
    let mut pages = BTreeSet::new();
    for e in walkdir::WalkDir::new(&out) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(dir) = rel.strip_suffix("index.html") {
            pages.insert(format!("https://example.edu.vn/cong/{dir}"));
        }
    }
    assert_eq!(locs, pages);
    assert!(read(&out, "robots.txt").contains("Sitemap: https://example.edu.vn/cong/sitemap.xml"));
    assert!(out.join("404.html").is_file());
}

#[test]
fn unit_sections_past_per_page_get_their_own_paginated_listing() {
    // per_page = 2 and "phong" issued four plans.
    let (_d, out) = build(&fixture("roles"));
    let html = read(&out, "don-vi/phong/index.html");
    assert!(section(&html, "issued").contains("/cong/don-vi/phong/ban-hanh/"));
    assert!(out.join("don-vi/phong/ban-hanh/index.html").is_file());
    assert!(out
        .join("don-vi/phong/ban-hanh/trang/2/index.html")
        .is_file());
    assert!(!out
        .join("don-vi/phong/ban-hanh/trang/3/index.html")
        .exists());
}

#[test]
fn example_portal_plans_read_like_the_seed_documents() {
    let (_d, out) = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let html = read(&out, "ke-hoach/2023/182-kh-gddt-nha-be/index.html");
    for needle in [
        "182/KH-GDĐT",
        "Nhà Bè, ngày 14 tháng 02 năm 2023",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO HUYỆN NHÀ BÈ",
        "Căn cứ Kế hoạch số 27/KH- UBND",
        "Lê Thị Oanh",
        "href=\"/don-vi/ubnd-huyen-nha-be/\"",
        "(để báo cáo)",
        "182-KH-GDDT.pdf",
    ] {
        assert!(html.contains(needle), "plan 182 lacks {needle}");
    }
    let hp = read(
        &out,
        "ke-hoach/2024/chi-so-pii-nganh-gddt-hai-phong/index.html",
    );
    assert_eq!(hp.matches("<tr").count() - 1, 4, "seed 002 has four tasks");
    assert!(hp.contains("KT. GIÁM ĐỐC") || hp.contains("KT. Giám đốc"));
    // Every unit of the portal has its page and feed.
    for e in fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/units")).unwrap() {
        let slug = e
            .unwrap()
            .path()
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert!(
            out.join(format!("don-vi/{slug}/index.html")).is_file(),
            "{slug}"
        );
        let feed = fs::read(out.join(format!("don-vi/{slug}/atom.xml"))).unwrap();
        feed_rs::parser::parse(&feed[..]).unwrap();
    }
}

/// A site's own `card.html` renders every list of cards (listings, topics, unit pages, related
/// entries) with the level and kind flag each list asks for (each variant is cached apart), and
/// `card()` also renders a map that is not one of sangtao's cards (a theme's own).
#[test]
fn a_theme_card_template_renders_every_list_of_cards() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    common::copy_dir(&fixture("roles"), &root);
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    fs::write(root.join("site.toml"), format!("theme = \"rieng\"\n{toml}")).unwrap();
    let templates = root.join("themes/rieng/templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(
        templates.join("card.html"),
        "<li data-card=\"{{ level }}-{{ 'k' if show_kind else 'n' }}\">{{ item.title }}|{{ item.kind_label if show_kind }}</li>",
    )
    .unwrap();
    // A page template that hands `card()` a plain map besides a real card.
    fs::write(
        templates.join("topics.html"),
        "{% extends \"base.html\" %}{% block main %}\
         {{ card({\"title\": \"Bản đồ\", \"kind_label\": \"Riêng\"}, 5, true) }}\
         {% endblock %}",
    )
    .unwrap();
    let (_keep, out) = build(&root);

    let listing = read(&out, "tin-tuc/index.html");
    assert!(listing.contains("<li data-card=\"2-n\">"), "{listing}");
    assert!(
        !listing.contains("class=\"card "),
        "the built-in card is not used"
    );

    let news = fs::read_dir(out.join("tin-tuc/2024"))
        .unwrap()
        .map(|e| e.unwrap().path().join("index.html"))
        .find(|p| {
            fs::read_to_string(p)
                .unwrap()
                .contains("<h1>Tin về trường</h1>")
        })
        .expect("the news page");
    let news = fs::read_to_string(news).unwrap();
    let related = news
        .split("<li data-card=\"3-k\">")
        .nth(1)
        .expect("a related card, level 3 with its kind");
    assert!(related.starts_with("Kế hoạch "), "{related}");

    let topic = read(&out, "chu-de/stem/index.html");
    let card = topic
        .split("<li data-card=\"2-k\">")
        .nth(1)
        .and_then(|s| s.split("</li>").next())
        .expect("a topic card, level 2 with its kind");
    assert_eq!(card, "Tin về trường|Tin tức");

    let unit = read(&out, "don-vi/truong/index.html");
    assert!(
        unit.contains("<li data-card=\"3-n\">Tin về trường|</li>"),
        "{unit}"
    );

    let topics = read(&out, "chu-de/index.html");
    assert!(
        topics.contains("<li data-card=\"5-k\">Bản đồ|Riêng</li>"),
        "{topics}"
    );
}

/// The main menu: the five sections (under the base path), then the pages with an `order`; the
/// current section is marked for screen readers.
#[test]
fn main_menu_lists_the_sections_then_the_ordered_pages() {
    let (_keep, out) = build(&fixture("roles"));
    let html = read(&out, "tin-tuc/index.html");
    let start = html.find("<nav class=\"site-nav\"").expect("the menu");
    let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
    let links: Vec<&str> = nav
        .split("<li><a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "/cong/ke-hoach/",
            "/cong/giai-phap/",
            "/cong/tin-tuc/",
            "/cong/don-vi/",
            "/cong/chu-de/",
            "/cong/gioi-thieu/"
        ]
    );
    assert!(nav.contains("<a href=\"/cong/tin-tuc/\" aria-current=\"page\">Tin tức</a>"));
    assert_eq!(nav.matches("aria-current").count(), 1);
}

/// The header is rendered once per menu item it marks current (`fragment`), yet every page of
/// one build marks its own item, or none when it is not in the menu.
#[test]
fn every_page_marks_its_own_menu_item_and_only_that() {
    let (_keep, out) = build(&fixture("roles"));
    let current = |path: &str| -> Vec<String> {
        let html = read(&out, path);
        let start = html.find("<nav class=\"site-nav\"").expect("the menu");
        let nav = &html[start..start + html[start..].find("</nav>").unwrap()];
        nav.split("<li><a href=\"")
            .skip(1)
            .filter(|item| item.contains("aria-current"))
            .map(|item| item.split('"').next().unwrap().to_string())
            .collect()
    };
    let footers: std::collections::BTreeSet<String> = [
        "index.html",
        "ke-hoach/index.html",
        "tin-tuc/index.html",
        "gioi-thieu/index.html",
        "don-vi/index.html",
    ]
    .iter()
    .map(|p| {
        let html = read(&out, p);
        html[html.find("<footer").expect("a footer")..].to_string()
    })
    .collect();
    assert_eq!(footers.len(), 1, "one footer everywhere: {footers:?}");
    for (path, expected) in [
        ("ke-hoach/index.html", vec!["/cong/ke-hoach/"]),
        ("tin-tuc/index.html", vec!["/cong/tin-tuc/"]),
        ("ke-hoach/index.html", vec!["/cong/ke-hoach/"]),
        ("don-vi/index.html", vec!["/cong/don-vi/"]),
        ("chu-de/index.html", vec!["/cong/chu-de/"]),
        ("gioi-thieu/index.html", vec!["/cong/gioi-thieu/"]),
        ("index.html", vec![]),
        ("tim-kiem/index.html", vec![]),
    ] {
        assert_eq!(current(path), expected, "{path}");
    }
    // Entry pages are not in the menu.
    let entries: Vec<String> = common::tree(&out)
        .into_keys()
        .filter(|p| p.starts_with("ke-hoach/") && p.ends_with("/index.html"))
        .filter(|p| p != "ke-hoach/index.html" && !p.contains("/trang/"))
        .collect();
    assert!(!entries.is_empty());
    for p in entries {
        assert_eq!(current(&p), Vec::<String>::new(), "{p}");
    }
}

/// Every entry's attachment and image links lead to that entry's own file when the portal has
/// many assets (they are looked up by content path in the sorted list, not scanned).
#[test]
fn attachments_and_images_resolve_among_many_assets() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::example_portal(&dir.path().join("portal"));
    let news = root.join("content/news/2030");
    fs::create_dir_all(&news).unwrap();
    for i in 0..60 {
        // Names that sort in another order than the entries (z-…, a-…), and files that are
        // no entry's, between them.
        fs::write(
            news.join(format!("z-{i:02}.pdf")),
            format!("PDF of entry {i}"),
        )
        .unwrap();
        fs::write(
            news.join(format!("a-{i:02}.png")),
            format!("PNG of entry {i}"),
        )
        .unwrap();
        fs::write(news.join(format!("m-{i:02}.docx")), "unused").unwrap();
        fs::write(
            news.join(format!("tin-{i:02}.md")),
            format!(
                "+++\ntitle = \"Tin đính kèm số {i}\"\ndate = 2025-01-{:02}\nunits = [\"truong-th-uom-mam\"]\n\
                 attachments = [{{ path = \"z-{i:02}.pdf\", title = \"Tệp {i}\" }}]\n\
                 image = \"a-{i:02}.png\"\n+++\n\nNội dung {i}.\n",
                i % 28 + 1
            ),
        )
        .unwrap();
    }
    let (_keep, out) = build(&root);
    let href_after = |html: &str, marker: &str| -> String {
        let at = html.find(marker).unwrap_or_else(|| panic!("no {marker}"));
        let rest = &html[at + marker.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let mut checked = 0;
    for page in walkdir::WalkDir::new(out.join("tin-tuc/2030")) {
        let page = page.unwrap();
        if page.file_name() != "index.html" {
            continue;
        }
        let html = fs::read_to_string(page.path()).unwrap();
        let Some(at) = html.find("Tin đính kèm số ") else {
            continue;
        };
        let n: usize = html[at + "Tin đính kèm số ".len()..]
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let main = main_of(&html);
        let pdf = href_after(
            &main[main.find("class=\"attachments\"").unwrap()..],
            "<a href=\"",
        );
        let png = href_after(main, "<img src=\"");
        assert_eq!(
            fs::read_to_string(out.join(pdf.trim_start_matches('/'))).unwrap(),
            format!("PDF of entry {n}")
        );
        assert_eq!(
            fs::read_to_string(out.join(png.trim_start_matches('/'))).unwrap(),
            format!("PNG of entry {n}")
        );
        checked += 1;
    }
    assert_eq!(checked, 60);
}

/// The whole build (loading while the walk goes on, Markdown beside the fingerprint, the search
/// index beside the pages) gives the same bytes whatever the number of threads, and the index's
/// files are all there whichever thread made them.
#[test]
fn the_build_is_the_same_bytes_on_one_two_or_four_threads() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::example_portal(&dir.path().join("site"));
    let trees: Vec<_> = [1, 2, 4]
        .into_iter()
        .map(|threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let out = dir.path().join(format!("out-{threads}"));
            let opts = options(&root, &out);
            pool.install(|| sangtao::build(&opts))
                .unwrap_or_else(|e| panic!("{threads} threads: {e}"));
            common::tree(&out)
        })
        .collect();
    assert!(trees[0].contains_key("search/index.json"));
    assert!(
        trees[0]
            .keys()
            .filter(|k| k.starts_with("search/d/"))
            .count()
            > 1
    );
    assert!(trees[0].contains_key("tin-tuc/index.html"));
    common::assert_same_tree(&trees[0], &trees[1], "1 and 2 threads");
    common::assert_same_tree(&trees[0], &trees[2], "1 and 4 threads");
}

/// `SANGTAO_TIMINGS`'s account of the pages: each kind of route counted as often as the build
/// rendered it, and a rebuild counting only what it rendered again.
#[test]
fn the_build_reports_what_it_rendered_by_kind_of_route() {
    let tmp = tempfile::tempdir().unwrap();
    let root = common::example_portal(&tmp.path().join("site"));
    let out = tmp.path().join("public");
    let opts = options(&root, &out);
    let report = sangtao::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    let count = |kind: &str| {
        report
            .routes
            .iter()
            .find(|r| r.kind == kind)
            .map_or(0, |r| r.count)
    };
    // What the output holds, kind by kind.
    let files: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(&out).unwrap();
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    let segments = |f: &str| f.split('/').count();
    let is_listing = |f: &str| f.contains("/trang/") || segments(f) == 2;
    // Plans, solutions and news, and the free pages of `content/pages/` (at the top level).
    let free_pages = fs::read_dir(root.join("content/pages")).unwrap().count() as u64;
    let entries = files
        .iter()
        .filter(|f| {
            ["ke-hoach/", "giai-phap/", "tin-tuc/"]
                .iter()
                .any(|p| f.starts_with(p))
                && f.ends_with("/index.html")
                && !is_listing(f)
        })
        .count() as u64
        + free_pages;
    assert!(free_pages > 0);
    for page in ["gioi-thieu", "lien-he"] {
        assert!(files.contains(&format!("{page}/index.html")), "{page}");
    }
    let unit_pages = files
        .iter()
        .filter(|f| f.starts_with("don-vi/") && f.ends_with("/index.html") && segments(f) == 3)
        .count() as u64;
    let feeds = files
        .iter()
        .filter(|f| f.ends_with("atom.xml") || f.ends_with("rss.xml"))
        .count() as u64;
    assert!(entries > 10 && unit_pages > 5, "{entries} {unit_pages}");
    assert_eq!(count("entry pages"), entries);
    assert_eq!(count("unit pages"), unit_pages);
    assert_eq!(count("feeds"), feeds);
    // Every file but the search index's and the marker came from one counted route (a route
    // may give several files: none does in this portal).
    let counted: u64 = report.routes.iter().map(|r| r.count).sum();
    let index = files.iter().filter(|f| f.starts_with("search/")).count();
    assert_eq!(counted as usize, files.len() - index - 1);
    let (cards, card_time) = report.card_renders;
    assert!(cards > 0 && card_time > std::time::Duration::ZERO);

    // One body changed: only its page (and the assets, always copied) is rendered again.
    let news = walkdir::WalkDir::new(root.join("content/news"))
        .into_iter()
        .map(Result::unwrap)
        .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        .unwrap()
        .into_path();
    let text = fs::read_to_string(&news).unwrap();
    fs::write(&news, format!("{text}\nMột câu mới ở cuối bài.\n")).unwrap();
    let again = sangtao::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.reused > 0);
    let kinds: Vec<(&str, u64)> = again.routes.iter().map(|r| (r.kind, r.count)).collect();
    assert_eq!(kinds.first(), Some(&("entry pages", 1)), "{kinds:?}");
    assert!(
        kinds.iter().skip(1).all(|&(k, _)| k == "other files"),
        "{kinds:?}"
    );
}

/// `sangtao build` runs one thread more than the machine has cores (a thread waiting for the
/// disk while files are created leaves its core to the spare one), unless rayon's
/// `RAYON_NUM_THREADS` says otherwise; `SANGTAO_TIMINGS` reports the number.
#[test]
fn the_build_runs_one_thread_more_than_cores_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::example_portal(&dir.path().join("portal"));
    let threads = |env: Option<&str>| -> usize {
        let mut cmd = std::process::Command::new(common::bin());
        cmd.arg("--root")
            .arg(&root)
            .args(["build", "--output"])
            .arg(dir.path().join("out"))
            .env("SANGTAO_TIMINGS", "1")
            .env_remove("RAYON_NUM_THREADS");
        if let Some(n) = env {
            cmd.env("RAYON_NUM_THREADS", n);
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "{}", common::stderr(&o));
        let err = common::stderr(&o);
        let line = err
            .lines()
            .find(|l| l.trim_start().starts_with("(threads):"))
            .unwrap_or_else(|| panic!("no thread count in:\n{err}"));
        line.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let cores = std::thread::available_parallelism().unwrap().get();
    assert_eq!(threads(None), cores + 1);
    assert_eq!(threads(Some("1")), 1);
    assert_eq!(threads(Some("3")), 3);
}
