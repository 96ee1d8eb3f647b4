//! Writing the output folder: the only stage that touches it. Files go into a staging folder
//! beside the output, which then replaces the output in one atomic exchange, so a failed or
//! killed build leaves the previous site as it was. A marker file says the folder is ours; a
//! non-empty folder without it is never cleared. Files whose bytes did not change since the
//! previous build are hard-linked from it instead of written again.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::render::{Data, OutFile};

/// The marker file in every output folder sangtao writes; it lists each file's hash and size.
pub const MARKER: &str = ".sangtao-output";

/// Why the output could not be written.
#[derive(Debug, Error)]
pub enum OutputError {
    #[error("refusing to write to {0}: it is the root, the home folder or the site folder itself")]
    Forbidden(PathBuf),
    #[error("refusing to replace {0}: it is not empty and was not created by sangtao (no {MARKER} file in it)")]
    NotOurs(PathBuf),
    #[error("cannot write {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks that `output` may be replaced: not `/`, not the home folder, not the site or one of
/// its parents, and either absent, empty, or marked as ours.
pub fn check_target(output: &Path, site_root: &Path) -> Result<(), OutputError> {
    let abs = absolute(output);
    let root = absolute(site_root);
    let home = std::env::var_os("HOME").map(|h| absolute(Path::new(&h)));
    if abs.parent().is_none() || home.as_deref() == Some(abs.as_path()) || root.starts_with(&abs) {
        return Err(OutputError::Forbidden(output.to_path_buf()));
    }
    if abs.join("content").is_dir() && abs.join("site.toml").is_file() {
        return Err(OutputError::Forbidden(output.to_path_buf()));
    }
    match fs::read_dir(&abs) {
        Ok(mut entries) => {
            if entries.next().is_some() && !abs.join(MARKER).is_file() {
                return Err(OutputError::NotOurs(output.to_path_buf()));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            Err(OutputError::NotOurs(output.to_path_buf()))
        }
        Err(e) => Err(io_err(output)(e)),
    }
}

/// An absolute, lexically normalised path (without touching the file system).
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let joined = fs::canonicalize(&joined).unwrap_or(joined);
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub(crate) fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let abs = absolute(output);
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    abs.with_file_name(format!(".{name}.{suffix}"))
}

/// A staging folder being filled with the new site.
///
/// The staging folder is the output of the build before the previous one, kept beside the
/// output after each swap: a file whose bytes did not change is left as it is, so a rebuild
/// writes only what changed and never deletes the whole old site (deleting tens of thousands of
/// files is slower on many file systems than building them). The marker inside it says whether
/// its manifest can be trusted; a staging folder left by a killed build is cleared first.
pub struct Staging {
    pub dir: PathBuf,
    output: PathBuf,
    previous: HashMap<String, (u64, u64)>,
    written: std::sync::Mutex<Vec<(String, u64, u64)>>,
    /// Folders made in a staging folder that started empty: a file whose folder is not here yet
    /// gets it first, rather than after a failed attempt to create the file (one system call
    /// per page saved).
    made: std::sync::Mutex<std::collections::HashSet<String>>,
}

/// The output folder of the previous build, as far as a rebuild may take files from it.
pub struct PreviousOutput {
    /// What it was built from (see [`crate::rebuild`]).
    pub inputs: crate::rebuild::Inputs,
    /// Each file's hash and size.
    pub manifest: HashMap<String, (u64, u64)>,
}

/// Hash of output bytes, for the marker's manifest.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

const COMPLETE: &str = "sangtao output; complete; do not edit";
const INCOMPLETE: &str = "sangtao output; incomplete";

impl Staging {
    /// Prepares the staging folder beside `output`.
    pub fn create(output: &Path) -> Result<Staging, OutputError> {
        let dir = sibling(output, "sangtao-staging");
        let marker = dir.join(MARKER);
        let previous = match fs::read_to_string(&marker) {
            Ok(text) if text.starts_with(COMPLETE) => parse_manifest(&text),
            _ => {
                if dir.exists() {
                    // Left by a killed build (or never ours to reuse): start afresh.
                    fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
                }
                HashMap::new()
            }
        };
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        // From here on the folder's content no longer matches any manifest.
        fs::write(&marker, format!("{INCOMPLETE}\n")).map_err(io_err(&marker))?;
        Ok(Staging {
            dir,
            output: absolute(output),
            previous,
            written: std::sync::Mutex::new(Vec::new()),
            made: Default::default(),
        })
    }

    /// The previous build's output with the record of its inputs, when the output is complete
    /// and the record is of it.
    pub fn previous_output(&self) -> Option<PreviousOutput> {
        let text = fs::read_to_string(self.output.join(MARKER)).ok()?;
        if !text.starts_with(COMPLETE) {
            return None;
        }
        let inputs = crate::rebuild::read(&self.output, hash(text.as_bytes()))?;
        Some(PreviousOutput {
            inputs,
            manifest: parse_manifest(&text),
        })
    }

    /// Takes a file of the previous build as it is (thread-safe): hard-linked from the output
    /// folder (copied where the file system has no hard links) unless the staging folder already
    /// has these bytes.
    pub fn keep(&self, path: &str, (h, size): (u64, u64)) -> Result<(), OutputError> {
        let src = self.output.join(path);
        self.place(path, h, size, |dest| {
            fs::hard_link(&src, dest).or_else(|_| fs::copy(&src, dest).map(drop))
        })
    }

    /// Writes one file (thread-safe); leaves it alone when it already has these bytes.
    pub fn put(&self, file: &OutFile) -> Result<(), OutputError> {
        let owned;
        let bytes: &[u8] = match &file.data {
            Data::Bytes(b) => b,
            Data::Copy(src) => {
                owned = fs::read(src).map_err(io_err(src))?;
                &owned
            }
        };
        self.place(&file.path, hash(bytes), bytes.len() as u64, |dest| {
            fs::write(dest, bytes)
        })
    }

    /// Makes the file `path` with `make` unless the staging folder already has a file of this
    /// hash and size there, and records it for the manifest.
    fn place(
        &self,
        path: &str,
        h: u64,
        size: u64,
        make: impl Fn(&Path) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        if !safe_relative(path) || path == MARKER {
            return Err(OutputError::Forbidden(PathBuf::from(path)));
        }
        let before = self.previous.get(path);
        if before != Some(&(h, size)) {
            let dest = self.dir.join(path);
            if before.is_some() {
                // Never rewritten in place: the file may be a hard link to the output's (see
                // `keep`).
                let _ = fs::remove_file(&dest);
            }
            if self.previous.is_empty() {
                self.make_parent(path);
            }
            if let Err(e) = make(&dest) {
                let parent = dest.parent().unwrap_or(&self.dir);
                if e.kind() != io::ErrorKind::NotFound {
                    // A folder where a file must go, or the other way round.
                    remove_any(&dest);
                    if let Some(p) = dest.parent() {
                        remove_file_ancestors(&self.dir, p);
                    }
                }
                fs::create_dir_all(parent).map_err(io_err(parent))?;
                make(&dest).map_err(io_err(&dest))?;
            }
        }
        if let Ok(mut w) = self.written.lock() {
            w.push((path.to_string(), h, size));
        }
        Ok(())
    }

    /// Makes the folders of the files `paths` (relative, `/`-separated), in order, ahead of the
    /// files, until `stop` is set; only in a staging folder that started empty (a rebuild keeps
    /// its folders). Creating a folder makes the file system read the bitmaps and inode tables
    /// of the block group it goes in when they are not in memory: done while the build's other
    /// threads are busy with Markdown, those waits no longer leave cores idle when the pages are
    /// written (docs/performance.md, twelfth round). Every folder made here gets files later:
    /// `paths` are the build's own routes.
    pub fn make_folders(&self, paths: &[&str], stop: &std::sync::atomic::AtomicBool) {
        if !self.previous.is_empty() {
            return;
        }
        for p in paths {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            self.make_parent(p);
        }
    }

    /// Makes the folder of `path` (relative, `/`-separated) unless this build made it already.
    /// Errors are left to the attempt to create the file, which handles them.
    fn make_parent(&self, path: &str) {
        // By the relative path's text: comparing and hashing `Path`s goes component by
        // component (about 1 % of a build's instructions).
        let Some((parent, _)) = path.rsplit_once('/') else {
            return;
        };
        if self.made.lock().is_ok_and(|m| m.contains(parent)) {
            return;
        }
        if fs::create_dir_all(self.dir.join(parent)).is_ok() {
            if let Ok(mut m) = self.made.lock() {
                m.insert(parent.to_string());
            }
        }
    }

    /// Removes what the previous content of the staging folder had and this build did not
    /// write, writes the marker, and puts the staging folder in place of the output in one step.
    /// Returns the hash of the new output's marker.
    pub fn commit(self) -> Result<u64, OutputError> {
        let mut written = self.written.into_inner().unwrap_or_default();
        written.sort();
        let keep: std::collections::HashSet<&str> =
            written.iter().map(|(p, _, _)| p.as_str()).collect();
        let mut stale: Vec<&String> = self
            .previous
            .keys()
            .filter(|p| !keep.contains(p.as_str()))
            .collect();
        stale.sort();
        for p in stale {
            let path = self.dir.join(p);
            let _ = fs::remove_file(&path);
            let mut parent = path.parent();
            while let Some(dir) = parent {
                if dir == self.dir || fs::remove_dir(dir).is_err() {
                    break;
                }
                parent = dir.parent();
            }
        }
        let mut manifest = format!("{COMPLETE}\n");
        for (path, h, size) in &written {
            manifest.push_str(&format!("{h:016x} {size} {path}\n"));
        }
        let marker = self.dir.join(MARKER);
        fs::write(&marker, &manifest).map_err(io_err(&marker))?;
        let marker_hash = hash(manifest.as_bytes());
        let output = self.output;
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        if output.exists() {
            // Re-check just before replacing, in case the folder changed while rendering.
            if fs::read_dir(&output)
                .map(|mut d| d.next().is_some())
                .unwrap_or(false)
                && !output.join(MARKER).is_file()
            {
                return Err(OutputError::NotOurs(output));
            }
            // The previous output becomes the next build's staging folder.
            exchange(&self.dir, &output)?;
        } else {
            fs::rename(&self.dir, &output).map_err(io_err(&output))?;
        }
        Ok(marker_hash)
    }

    /// Gives up after a failed build; the output is untouched (the staging folder is left
    /// marked incomplete and cleared by the next build).
    pub fn abandon(self) {}
}

fn remove_any(p: &Path) {
    if p.is_dir() {
        let _ = fs::remove_dir_all(p);
    } else {
        let _ = fs::remove_file(p);
    }
}

/// Removes files standing where folders must be (`a` as a file when `a/b.html` is written).
fn remove_file_ancestors(root: &Path, dir: &Path) {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if d == root {
            break;
        }
        if d.is_file() {
            let _ = fs::remove_file(d);
        }
        cur = d.parent();
    }
}

/// Swaps two folders atomically (Linux `renameat2(RENAME_EXCHANGE)`); elsewhere, two renames.
fn exchange(a: &Path, b: &Path) -> Result<(), OutputError> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{renameat_with, RenameFlags, CWD};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(io_err(b)(e.into())),
        }
    }
    let old = b.with_extension("sangtao-old");
    fs::rename(b, &old).map_err(io_err(b))?;
    fs::rename(a, b).map_err(io_err(b))?;
    fs::rename(&old, a).map_err(io_err(a))?;
    Ok(())
}

fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|s| !s.is_empty() && s != ".." && s != ".")
}

fn parse_manifest(text: &str) -> HashMap<String, (u64, u64)> {
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut parts = l.splitn(3, ' ');
            let h = u64::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            Some((parts.next()?.to_string(), (h, size)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_targets() {
        assert!(matches!(
            check_target(Path::new("/"), Path::new("/tmp/x")),
            Err(OutputError::Forbidden(_))
        ));
        let site = tempfile::tempdir().unwrap();
        assert!(matches!(
            check_target(site.path(), site.path()),
            Err(OutputError::Forbidden(_))
        ));
    }

    #[test]
    fn refuses_foreign_non_empty_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("important.txt"), "x").unwrap();
        assert!(matches!(
            check_target(&out, &d.path().join("site")),
            Err(OutputError::NotOurs(_))
        ));
    }

    /// Folders made ahead of the files are those of the given files, in a staging folder that
    /// started empty, and no more once told to stop; the files then go in as usual.
    #[test]
    fn folders_are_made_ahead_only_in_a_fresh_staging_folder_until_stopped() {
        use std::sync::atomic::AtomicBool;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let paths = [
            "index.html",
            "tin-tuc/a/index.html",
            "don-vi/b/c/index.html",
        ];
        let write_all = |staging: &Staging| {
            for p in paths {
                let file = OutFile {
                    path: p.to_string(),
                    data: Data::Bytes(p.as_bytes().to_vec()),
                };
                staging.put(&file).unwrap();
            }
        };
        let staging = Staging::create(&out).unwrap();
        staging.make_folders(&paths[..2], &AtomicBool::new(false));
        assert!(staging.dir.join("tin-tuc/a").is_dir());
        staging.make_folders(&paths, &AtomicBool::new(true));
        assert!(
            !staging.dir.join("don-vi").exists(),
            "stopped before the first"
        );
        write_all(&staging);
        staging.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("don-vi/b/c/index.html")).unwrap(),
            paths[2]
        );
        // From the third build on, the staging folder holds the output before the previous
        // one, which it keeps: nothing is made ahead.
        let second = Staging::create(&out).unwrap();
        write_all(&second);
        second.commit().unwrap();
        let again = Staging::create(&out).unwrap();
        again.make_folders(&["x/index.html"], &AtomicBool::new(false));
        assert!(!again.dir.join("x").exists());
        again.abandon();
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(safe_relative("a/b.html"));
        assert!(!safe_relative("../a"));
        assert!(!safe_relative("/a"));
        assert!(!safe_relative("a//b"));
    }
}
