//! What the server shows at a moment: the last good output, the errors of the current content
//! (empty when it builds), and the site's language and base path. Replaced whole after every
//! update, so a request never sees half of one.

use std::path::Path;
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::incremental::{Files, Workspace};
use crate::text::dates::Lang;

/// One consistent view of the site.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The last good output.
    pub files: Arc<Files>,
    /// The errors of the current content; the overlay lists them.
    pub errors: Arc<[Diagnostic]>,
    pub language: Lang,
    /// `/`, or `/sub/` for a site under a sub-path.
    pub base_path: String,
}

impl Snapshot {
    /// The workspace's current state.
    pub fn of(workspace: &Workspace) -> Snapshot {
        let errors: Vec<Diagnostic> = workspace
            .diagnostics()
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .map(|d| without_outside_excerpt(workspace.root(), d))
            .collect();
        Snapshot {
            files: workspace.files(),
            errors: errors.into(),
            language: workspace.language(),
            base_path: workspace.base_path().to_string(),
        }
    }
}

/// Drops the excerpt of a diagnostic about a file that is not plainly inside the site (a symlink
/// pointing out, say): the excerpt would show a line of a file outside the site to anyone who
/// can load a page. (`build::fill_excerpts` reads excerpts through symlinks.)
fn without_outside_excerpt(root: &Path, mut d: Diagnostic) -> Diagnostic {
    if d.source_line.is_some() && !plainly_inside(root, &root.join(&d.path)) {
        d.source_line = None;
    }
    d
}

fn plainly_inside(root: &Path, path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if is_link {
        return false;
    }
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        // Built-in theme files and files since removed: nothing on disk to leak.
        _ => true,
    }
}
