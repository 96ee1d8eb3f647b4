//! Watching the site's sources (`site.toml`, `content/`, `themes/`) with notify, debounced. The
//! watcher only reports which files changed to a callback; it knows nothing of builds or browsers.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// A running watch; dropping it stops watching (and its debounce thread).
pub struct Watcher {
    _watcher: RecommendedWatcher,
}

/// Watches the site at `root` and calls `on_change` with the changed source files (absolute,
/// sorted, without editor temporary files) once `debounce` has passed without a new change, or
/// at least every 10 × `debounce` while changes keep coming.
///
/// Debounced here rather than by notify-debouncer-mini 0.6: that one passes on every event
/// kind, and notify 8 watches `IN_OPEN`, so the build reading the sources would report them as
/// changed and rebuild forever.
pub fn watch(
    root: &Path,
    debounce: Duration,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Watcher, notify::Error> {
    let (events, received) = channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(events)?;
    // The root itself, not `site.toml`: editors that save by renaming a new file over the old
    // one would end a watch on the file.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for folder in ["content", "themes"] {
        let dir = root.join(folder);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("sangtao-watch".into())
        .spawn(move || debounce_loop(&root, &received, debounce, &on_change))
        .map_err(notify::Error::io)?;
    Ok(Watcher { _watcher: watcher })
}

/// Collects changed sources until things are quiet, then reports them; ends when the watcher
/// is dropped.
fn debounce_loop(
    root: &Path,
    received: &Receiver<notify::Result<Event>>,
    debounce: Duration,
    on_change: &dyn Fn(Vec<PathBuf>),
) {
    let mut pending: Vec<PathBuf> = Vec::new();
    let mut first_pending = Instant::now();
    loop {
        let wait = if pending.is_empty() {
            Duration::from_secs(3600)
        } else {
            debounce
        };
        match received.recv_timeout(wait) {
            Ok(Ok(event)) => {
                if is_change(&event.kind) {
                    if pending.is_empty() {
                        first_pending = Instant::now();
                    }
                    pending.extend(event.paths.into_iter().filter(|p| is_source(root, p)));
                }
                if pending.is_empty() || first_pending.elapsed() < debounce * 10 {
                    continue;
                }
            }
            // A lost event (queue overflow) may hide any change: report the whole site.
            Ok(Err(_)) => pending.push(root.join("site.toml")),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        if !pending.is_empty() {
            let mut paths = std::mem::take(&mut pending);
            paths.sort();
            paths.dedup();
            on_change(paths);
        }
    }
}

/// Events that change a file: not opening or reading it.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// `site.toml`, or a file under `content/` or `themes/`, and not an editor's temporary file.
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        // notify may report canonical paths when the root is given through a symlink.
        return root
            .canonicalize()
            .ok()
            .filter(|canonical| canonical != root)
            .is_some_and(|canonical| is_source(&canonical, path));
    };
    let mut parts = relative.components();
    let in_site = match parts.next().and_then(|c| c.as_os_str().to_str()) {
        Some("site.toml") => parts.next().is_none(),
        Some("content" | "themes") => true,
        _ => false,
    };
    in_site && !is_editor_temporary(path)
}

/// Swap, backup and lock files of common editors, and vim's `4913` write probe.
fn is_editor_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.starts_with(".#")
        || name == "4913"
        || [".swp", ".swo", ".swx", ".tmp"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_and_reading_are_not_changes() {
        use notify::event::{CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }

    #[test]
    fn sources_are_site_toml_content_and_themes() {
        let root = Path::new("/site");
        assert!(is_source(root, Path::new("/site/site.toml")));
        assert!(is_source(root, Path::new("/site/content/plans/x.md")));
        assert!(is_source(
            root,
            Path::new("/site/themes/t/templates/base.html")
        ));
        assert!(!is_source(root, Path::new("/site/public/index.html")));
        assert!(!is_source(root, Path::new("/site/README.md")));
    }

    #[test]
    fn editor_temporary_files_are_ignored() {
        let root = Path::new("/site");
        for temp in [
            "/site/content/plans/.x.md.swp",
            "/site/content/plans/x.md~",
            "/site/content/plans/.#x.md",
            "/site/content/plans/4913",
        ] {
            assert!(!is_source(root, Path::new(temp)), "{temp}");
        }
    }
}
