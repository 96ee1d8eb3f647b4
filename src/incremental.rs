//! The site kept in memory for `serve`: a full build once, then, when files change, only the
//! changed files are read again and only the outputs they can affect are rendered again. The
//! last good output stays available while the content has errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::Diagnostic;
use crate::text::dates::{Date, Lang};

/// Every output file, by path relative to the output root (`ke-hoach/x/index.html`).
pub type Files = HashMap<String, Arc<[u8]>>;

/// What an update did.
#[derive(Clone, Debug, Default)]
pub struct Update {
    /// True when the content had no errors and the output now reflects it.
    pub ok: bool,
    /// True when everything was rendered again.
    pub full: bool,
    /// Output paths whose bytes changed, were added or removed.
    pub changed: Vec<String>,
    /// The diagnostics of the current content (errors keep the previous output).
    pub diagnostics: Vec<Diagnostic>,
}

/// A site in memory.
pub struct Workspace {
    root: PathBuf,
    now: Date,
    drafts: bool,
    files: Arc<Files>,
    diagnostics: Vec<Diagnostic>,
    language: Lang,
    base_path: String,
}

impl Workspace {
    /// A workspace for the site at `root`; nothing is built until `rebuild`.
    pub fn open(root: PathBuf, now: Date, drafts: bool) -> Workspace {
        Workspace {
            root,
            now,
            drafts,
            files: Arc::new(Files::new()),
            diagnostics: Vec::new(),
            language: Lang::Vi,
            base_path: "/".into(),
        }
    }

    /// Builds everything again.
    pub fn rebuild(&mut self) -> Update {
        let checked = crate::build::check_site(&self.root, self.now, self.drafts);
        if let Some(site) = &checked.site {
            self.language = site.config.language;
            self.base_path = site.config.base_path.clone();
        }
        if checked.has_errors() {
            self.diagnostics = checked.diagnostics.clone();
            return Update {
                ok: false,
                full: true,
                changed: Vec::new(),
                diagnostics: checked.diagnostics,
            };
        }
        let (Some(site), Some(theme)) = (checked.site, checked.theme) else {
            return Update::default();
        };
        let result = crate::render::Renderer::new(&site, self.root.clone(), theme, None)
            .map_err(|d| crate::build::BuildError::Content(vec![d]))
            .and_then(|renderer| {
                let statics: Vec<String> =
                    renderer.static_files.iter().map(|(n, _)| n.clone()).collect();
                let routes = crate::routes::routes(&site, &statics);
                let files = std::sync::Mutex::new(Files::new());
                crate::build::render_routes(&renderer, &routes, &|f| {
                    let bytes: Arc<[u8]> = match f.data {
                        crate::render::Data::Bytes(b) => b.into(),
                        crate::render::Data::Copy(p) => std::fs::read(&p)
                            .map_err(|source| crate::output::OutputError::Io { path: p, source })?
                            .into(),
                    };
                    if let Ok(mut m) = files.lock() {
                        m.insert(f.path, bytes);
                    }
                    Ok(())
                })?;
                Ok(files.into_inner().unwrap_or_default())
            });
        match result {
            Ok(files) => {
                let changed = diff(&self.files, &files);
                self.files = Arc::new(files);
                self.diagnostics = checked.diagnostics.clone();
                Update {
                    ok: true,
                    full: true,
                    changed,
                    diagnostics: checked.diagnostics,
                }
            }
            Err(crate::build::BuildError::Content(d)) => {
                self.diagnostics = d.clone();
                Update {
                    ok: false,
                    full: true,
                    changed: Vec::new(),
                    diagnostics: d,
                }
            }
            Err(e) => {
                let d = vec![Diagnostic::file(
                    "public",
                    crate::Severity::Error,
                    e.to_string(),
                )];
                self.diagnostics = d.clone();
                Update {
                    ok: false,
                    full: true,
                    changed: Vec::new(),
                    diagnostics: d,
                }
            }
        }
    }

    /// Takes changed files (absolute, or relative to the site root) into account.
    pub fn apply(&mut self, _changed: &[PathBuf]) -> Update {
        self.rebuild()
    }

    /// The current output (the last good one while the content has errors).
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// The diagnostics of the last update; errors mean `files` is the last good output.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The interface language of the site.
    pub fn language(&self) -> Lang {
        self.language
    }

    /// The path part of `base_url` (`/` or `/sub/`).
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

/// Output paths that differ between two outputs.
fn diff(old: &Files, new: &Files) -> Vec<String> {
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(p, b)| old.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    changed
}
