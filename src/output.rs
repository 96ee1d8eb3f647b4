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

fn sibling(output: &Path, suffix: &str) -> PathBuf {
    let abs = absolute(output);
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    abs.with_file_name(format!(".{name}.{suffix}"))
}

/// A staging folder being filled with the new site.
pub struct Staging {
    pub dir: PathBuf,
    output: PathBuf,
    previous: HashMap<String, (u64, u64)>,
    written: std::sync::Mutex<Vec<(String, u64, u64)>>,
}

/// Hash of output bytes, for the marker's manifest.
pub fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

impl Staging {
    /// Creates an empty staging folder beside `output` (removing a stale one of ours).
    pub fn create(output: &Path) -> Result<Staging, OutputError> {
        let dir = sibling(output, "sangtao-staging");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir_all(&dir).map_err(io_err(&dir))?;
        let previous = read_manifest(&absolute(output).join(MARKER));
        Ok(Staging {
            dir,
            output: absolute(output),
            previous,
            written: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// Writes one file (thread-safe).
    pub fn put(&self, file: &OutFile) -> Result<(), OutputError> {
        if !safe_relative(&file.path) {
            return Err(OutputError::Forbidden(PathBuf::from(&file.path)));
        }
        let dest = self.dir.join(&file.path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let (h, size) = match &file.data {
            Data::Bytes(b) => {
                let h = hash(b);
                let size = b.len() as u64;
                if !self.link_previous(&file.path, h, size, &dest) {
                    fs::write(&dest, b).map_err(io_err(&dest))?;
                }
                (h, size)
            }
            Data::Copy(src) => {
                let bytes = fs::read(src).map_err(io_err(src))?;
                let h = hash(&bytes);
                let size = bytes.len() as u64;
                if !self.link_previous(&file.path, h, size, &dest) {
                    fs::write(&dest, &bytes).map_err(io_err(&dest))?;
                }
                (h, size)
            }
        };
        if let Ok(mut w) = self.written.lock() {
            w.push((file.path.clone(), h, size));
        }
        Ok(())
    }

    /// Hard-links the previous build's file when its bytes are the same.
    fn link_previous(&self, rel: &str, h: u64, size: u64, dest: &Path) -> bool {
        if self.previous.get(rel) != Some(&(h, size)) {
            return false;
        }
        let old = self.output.join(rel);
        match fs::metadata(&old) {
            Ok(m) if m.len() == size => fs::hard_link(&old, dest).is_ok(),
            _ => false,
        }
    }

    /// Writes the marker and puts the staging folder in place of the output in one step.
    pub fn commit(self) -> Result<(), OutputError> {
        let mut written = self.written.into_inner().unwrap_or_default();
        written.sort();
        let mut manifest = String::from("sangtao output; do not edit\n");
        for (path, h, size) in &written {
            manifest.push_str(&format!("{h:016x} {size} {path}\n"));
        }
        let marker = self.dir.join(MARKER);
        fs::write(&marker, manifest).map_err(io_err(&marker))?;
        let output = self.output;
        if let Some(parent) = output.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        if output.exists() {
            // Re-check just before replacing, in case the folder changed while rendering.
            if fs::read_dir(&output).map(|mut d| d.next().is_some()).unwrap_or(false)
                && !output.join(MARKER).is_file()
            {
                let _ = fs::remove_dir_all(&self.dir);
                return Err(OutputError::NotOurs(output));
            }
            exchange(&self.dir, &output)?;
            // `self.dir` now holds the previous output.
            fs::remove_dir_all(&self.dir).map_err(io_err(&self.dir))?;
        } else {
            fs::rename(&self.dir, &output).map_err(io_err(&output))?;
        }
        Ok(())
    }

    /// Removes the staging folder (after a failed build).
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.dir);
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
        && path.split('/').all(|s| !s.is_empty() && s != ".." && s != ".")
}

fn read_manifest(path: &Path) -> HashMap<String, (u64, u64)> {
    let Ok(text) = fs::read_to_string(path) else {
        return HashMap::new();
    };
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
        assert!(matches!(check_target(Path::new("/"), Path::new("/tmp/x")), Err(OutputError::Forbidden(_))));
        let site = tempfile::tempdir().unwrap();
        assert!(matches!(check_target(site.path(), site.path()), Err(OutputError::Forbidden(_))));
    }

    #[test]
    fn refuses_foreign_non_empty_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("important.txt"), "x").unwrap();
        assert!(matches!(check_target(&out, &d.path().join("site")), Err(OutputError::NotOurs(_))));
    }

    #[test]
    fn paths_must_stay_inside() {
        assert!(safe_relative("a/b.html"));
        assert!(!safe_relative("../a"));
        assert!(!safe_relative("/a"));
        assert!(!safe_relative("a//b"));
    }
}
