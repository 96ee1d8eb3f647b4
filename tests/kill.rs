//! A build killed with SIGKILL at any moment leaves the previous output complete and unchanged
//! (or, when the build had already finished, the new output complete): never a mix.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tree(dir: &Path) -> BTreeMap<String, u64> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(
                rel,
                xxhash_rust::xxh3::xxh3_64(&fs::read(e.path()).unwrap()),
            );
        }
    }
    out
}

fn copy_site(to: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    fs::copy(src.join("site.toml"), to.join("site.toml")).unwrap();
    for e in walkdir::WalkDir::new(src.join("content")) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(src).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sangtao"))
        .args(["build", "--now", "2026-11-25", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn sigkill_at_random_moments_never_leaves_a_broken_output() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    copy_site(&a);
    copy_site(&b);
    // Site b differs from a in one news item and one plan, so their outputs differ.
    let news = b.join("content/news/2023/cuoc-thi-robot-cuu-hoa-nha-be-2023.md");
    let text = fs::read_to_string(&news).unwrap();
    fs::write(
        &news,
        text.replacen("title = \"", "title = \"Phiên bản B: ", 1),
    )
    .unwrap();

    let out = dir.path().join("public");
    assert!(build(&a, &out).wait().unwrap().success());
    let tree_a = tree(&out);
    assert!(build(&b, &out).wait().unwrap().success());
    let tree_b = tree(&out);
    assert_ne!(tree_a, tree_b);

    // How long a whole build takes, to spread the kills over it.
    let start = Instant::now();
    assert!(build(&a, &out).wait().unwrap().success());
    let full = start.elapsed().max(Duration::from_millis(20));
    let mut expected = tree_a.clone();

    let mut seed: u64 = 0x5eed;
    let runs = 40;
    let mut killed_early = 0;
    for i in 0..runs {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((seed >> 33) % (full.as_micros() as u64 * 3 / 2 + 1));
        let site = if i % 2 == 0 { &b } else { &a };
        let mut child = build(site, &out);
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = tree(&out);
        let new = if i % 2 == 0 { &tree_b } else { &tree_a };
        if status.success() {
            // It finished before the kill: the new output, complete.
            expected = new.clone();
        } else {
            killed_early += 1;
            // Killed after its swap but before it exited: the new output, complete, is right
            // too. Anything else than the old or the new output is a mix.
            if now == *new {
                expected = new.clone();
            }
        }
        assert_eq!(
            now, expected,
            "run {i}: output changed by a killed build (delay {delay:?})"
        );
    }
    assert!(killed_early > 0, "no build was ever killed mid-way");
    // After all that, a build still succeeds and gives the right site.
    assert!(build(&a, &out).wait().unwrap().success());
    assert_eq!(tree(&out), tree_a);
}
