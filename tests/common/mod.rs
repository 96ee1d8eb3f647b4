//! Helpers shared by the integration tests: copy a fixture site into a temporary folder, run the
//! `sangtao` binary on it, and read an output tree to compare it byte for byte.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The clock every test build uses, so that outputs are reproducible.
pub const NOW: &str = "2026-11-25";

/// The `sangtao` binary built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_sangtao"))
}

/// The crate root (which is also the example portal's site folder).
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively. Symbolic links are copied as links (not followed).
pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap_or_else(|e| panic!("create {}: {e}", dst.display()));
    let mut entries: Vec<_> = fs::read_dir(src)
        .unwrap_or_else(|e| panic!("read {}: {e}", src.display()))
        .map(|e| e.unwrap())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let from = entry.path();
        let to = dst.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            let target = fs::read_link(&from).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(&target, &to).unwrap();
            #[cfg(not(unix))]
            let _ = target;
        } else if kind.is_dir() {
            copy_dir(&from, &to);
        } else {
            fs::copy(&from, &to)
                .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
        }
    }
}

/// Copies the example portal (`site.toml` and `content/`) into `dir`, which it makes.
pub fn example_portal(dir: &Path) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    fs::copy(manifest_dir().join("site.toml"), dir.join("site.toml")).unwrap();
    copy_dir(&manifest_dir().join("content"), &dir.join("content"));
    dir.to_path_buf()
}

/// Copies a fixture site into `dir/name` and returns that path.
pub fn copy_site(fixture: &Path, dir: &Path, name: &str) -> PathBuf {
    let dest = dir.join(name);
    copy_dir(fixture, &dest);
    dest
}

/// Runs `sangtao --root ROOT --now NOW <args>` without colours and returns what it did.
pub fn run(root: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--root")
        .arg(root)
        .arg("--now")
        .arg(NOW)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run the sangtao binary")
}

/// Runs `sangtao build --output OUT` on a site.
pub fn build(root: &Path, out: &Path) -> Output {
    run(
        root,
        &["build", "--output", out.to_str().expect("UTF-8 temp path")],
    )
}

/// Builds and panics with the diagnostics when the build does not succeed.
pub fn build_ok(root: &Path, out: &Path) {
    let o = build(root, out);
    assert!(
        o.status.success(),
        "build of {} failed ({:?}):\n{}",
        root.display(),
        o.status,
        stderr(&o)
    );
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file, folder and link under `dir`, by path relative to it (with `/`), with its bytes
/// (folders: empty; links: `-> target`). Two trees are byte-identical when these maps are equal.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.unwrap();
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let kind = entry.file_type().unwrap();
            if kind.is_symlink() {
                let target = fs::read_link(&path).unwrap();
                out.insert(rel, format!("-> {}", target.display()).into_bytes());
            } else if kind.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Asserts that two trees hold the same paths with the same bytes, naming the first difference.
pub fn assert_same_tree(
    left: &BTreeMap<String, Vec<u8>>,
    right: &BTreeMap<String, Vec<u8>>,
    what: &str,
) {
    let only_left: Vec<&String> = left.keys().filter(|k| !right.contains_key(*k)).collect();
    let only_right: Vec<&String> = right.keys().filter(|k| !left.contains_key(*k)).collect();
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "{what}: the trees hold different files\n  only in the first: {only_left:?}\n  only in the second: {only_right:?}"
    );
    for (path, bytes) in left {
        let other = &right[path];
        if bytes != other {
            let at = bytes
                .iter()
                .zip(other.iter())
                .position(|(a, b)| a != b)
                .unwrap_or(bytes.len().min(other.len()));
            let excerpt = |b: &[u8]| {
                let start = at.saturating_sub(80);
                String::from_utf8_lossy(&b[start..(at + 80).min(b.len())]).into_owned()
            };
            panic!(
                "{what}: {path} differs at byte {at} ({} vs {} bytes)\n  first:  …{}…\n  second: …{}…",
                bytes.len(),
                other.len(),
                excerpt(bytes),
                excerpt(other)
            );
        }
    }
}
