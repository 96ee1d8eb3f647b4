//! The update loop: takes batches of changed source files from the watcher, lets the workspace
//! apply them, publishes the new snapshot, then tells open pages what happened (`reload` with the
//! changed outputs, `error` with the diagnostics and the overlay, `ok` once the errors are gone).

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use serde_json::json;

use super::events::{Event, Hub};
use super::overlay::overlay_html;
use super::snapshot::Snapshot;
use crate::incremental::{Update, Workspace};

/// Changed outputs listed in one `reload` event; the count says how many there were in all.
const LISTED_CHANGES: usize = 200;

/// One update of the site in memory, for whoever reports progress.
#[derive(Clone, Debug)]
pub struct Rebuilt {
    pub update: Update,
    /// The source files that triggered it (empty for the first build).
    pub sources: Vec<PathBuf>,
    /// Time spent in the workspace.
    pub elapsed: Duration,
}

/// Called after every update, the first build included.
pub type UpdateHook = Arc<dyn Fn(&Rebuilt) + Send + Sync>;

/// The shared, swappable view of the site.
pub type SharedSnapshot = Arc<RwLock<Arc<Snapshot>>>;

/// Reads the current snapshot (a poisoned lock still holds a whole snapshot).
pub fn current(site: &SharedSnapshot) -> Arc<Snapshot> {
    match site.read() {
        Ok(guard) => Arc::clone(&guard),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    }
}

fn publish(site: &SharedSnapshot, snapshot: Arc<Snapshot>) {
    match site.write() {
        Ok(mut guard) => *guard = snapshot,
        Err(poisoned) => *poisoned.into_inner() = snapshot,
    }
}

/// Runs until every sender of `changes` is gone.
pub fn run(
    mut workspace: Workspace,
    changes: Receiver<Vec<PathBuf>>,
    site: SharedSnapshot,
    hub: Arc<Hub>,
    on_update: Option<UpdateHook>,
) {
    let mut deferred_pending = false;
    // The search index is built on its own thread, so saves are applied meanwhile.
    let (search_tx, search_rx) = std::sync::mpsc::channel();
    let mut searching = false;
    loop {
        if searching {
            if let Ok(done) = search_rx.try_recv() {
                searching = false;
                let update = workspace.finish_search(done);
                if update.ok && !update.changed.is_empty() {
                    publish(&site, Arc::new(Snapshot::of(&workspace)));
                }
                // Content changed while it ran: build it again once things are quiet.
                deferred_pending = !update.ok;
            }
        }
        let wait = if searching {
            Some(SEARCH_POLL)
        } else if deferred_pending {
            Some(DEFERRED_AFTER)
        } else {
            None
        };
        let received = match wait {
            Some(wait) => changes.recv_timeout(wait),
            None => changes.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let mut sources = match received {
            Ok(sources) => sources,
            Err(RecvTimeoutError::Timeout) => {
                if deferred_pending && !searching {
                    // Quiet for a moment: now the work pages do not wait for (the search
                    // index), after the reload went out.
                    deferred_pending = false;
                    if let Some(job) = workspace.search_job() {
                        searching = true;
                        let tx = search_tx.clone();
                        std::thread::spawn(move || {
                            let _ = tx.send(job.run());
                        });
                    }
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        // Saves that arrived while the previous update ran are taken together.
        while let Ok(more) = changes.try_recv() {
            sources.extend(more);
        }
        sources.sort();
        sources.dedup();
        let had_errors = !current(&site).errors.is_empty();
        let start = Instant::now();
        let update = workspace.apply(&sources);
        let elapsed = start.elapsed();
        let snapshot = Arc::new(Snapshot::of(&workspace));
        publish(&site, Arc::clone(&snapshot));
        for event in events_for(&update, had_errors, &snapshot) {
            hub.broadcast(&event);
        }
        if let Some(hook) = &on_update {
            hook(&Rebuilt {
                update,
                sources,
                elapsed,
            });
        }
        deferred_pending = true;
    }
}

/// How often a running search build is checked for completion.
const SEARCH_POLL: std::time::Duration = std::time::Duration::from_millis(5);

/// How long the files must stay quiet before the deferred work (the search index) is done.
const DEFERRED_AFTER: std::time::Duration = std::time::Duration::from_millis(150);

/// The events an update sends to open pages.
pub fn events_for(update: &Update, had_errors: bool, site: &Snapshot) -> Vec<Event> {
    if !update.ok {
        return vec![error_event(site)];
    }
    let mut events = Vec::new();
    if had_errors {
        events.push(Event {
            name: "ok",
            data: "{}".into(),
        });
    }
    if !update.changed.is_empty() {
        let listed: Vec<&String> = update.changed.iter().take(LISTED_CHANGES).collect();
        events.push(Event {
            name: "reload",
            data: json!({ "changed": listed, "count": update.changed.len() }).to_string(),
        });
    }
    events
}

/// The `error` event: the diagnostics as data, and the overlay markup to show.
pub fn error_event(site: &Snapshot) -> Event {
    let diagnostics: Vec<_> = site
        .errors
        .iter()
        .map(|d| {
            json!({
                "file": d.path,
                "line": d.line,
                "column": d.column,
                "severity": d.severity,
                "message": d.message,
                "help": d.help,
                "source_line": d.source_line,
            })
        })
        .collect();
    Event {
        name: "error",
        data: json!({
            "diagnostics": diagnostics,
            "html": overlay_html(&site.errors, site.language),
        })
        .to_string(),
    }
}
