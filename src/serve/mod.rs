//! `sangtao serve`: the site built into memory and served over HTTP on loopback, rebuilt when its
//! sources change, with live reload and an error overlay in open pages.
//!
//! Threads: one accepts connections and hands them to a fixed pool of workers (a full pool gets
//! 503, never a new thread); workers answer from the current [`snapshot::Snapshot`]; each open
//! page's event stream has a thread of its own (bounded in number); the watcher sends changed
//! files to one update thread, which owns the [`Workspace`] and publishes new snapshots.

mod events;
mod http;
mod lookup;
mod mime;
mod overlay;
mod rebuild;
mod respond;
mod snapshot;
mod watch;

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, TrySendError};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub use http::Limits;
pub use overlay::SCRIPT_TAG;
pub use rebuild::{Rebuilt, UpdateHook};

use crate::incremental::Workspace;
use crate::text::dates::Date;
use events::Hub;
use http::Response;
use rebuild::SharedSnapshot;
use snapshot::Snapshot;

/// How to serve a site.
#[derive(Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The build clock.
    pub now: Date,
    /// Include drafts and scheduled entries.
    pub drafts: bool,
    /// The address to listen on (loopback unless told otherwise).
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Quiet time before a burst of file events is reported.
    pub debounce: Duration,
    /// Threads answering requests.
    pub workers: usize,
    /// Connections waiting for a worker before new ones get 503.
    pub queue: usize,
    /// Open event streams at most (one per browser tab).
    pub max_event_streams: usize,
    /// Request bounds.
    pub limits: Limits,
    /// Told about every update, the first build included (the CLI prints from it).
    pub on_update: Option<UpdateHook>,
}

impl ServeOptions {
    /// Serving `root` on 127.0.0.1 with a free port and the usual bounds.
    pub fn new(root: PathBuf, now: Date) -> ServeOptions {
        ServeOptions {
            root,
            now,
            drafts: false,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            debounce: Duration::from_millis(10),
            workers: 8,
            queue: 64,
            max_event_streams: 64,
            limits: Limits::default(),
            on_update: None,
        }
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: io::Error },
    #[error("cannot watch {}: {source}", path.display())]
    Watch {
        path: PathBuf,
        source: notify::Error,
    },
    #[error("cannot start a server thread: {0}")]
    Thread(io::Error),
}

/// A running server; [`Server::stop`] (or dropping it) shuts it down.
pub struct Server {
    addr: SocketAddr,
    base_path: String,
    stopping: Arc<AtomicBool>,
    connections: Connections,
    hub: Arc<Hub>,
    watcher: Option<watch::Watcher>,
    changes: Option<Sender<Vec<PathBuf>>>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Builds the site into memory, starts watching it and listening. Returns once requests can
    /// be answered; content errors do not stop it (the overlay shows them).
    pub fn start(opts: ServeOptions) -> Result<Server, ServeError> {
        let requested = SocketAddr::new(opts.bind, opts.port);
        let listener = TcpListener::bind(requested).map_err(|source| ServeError::Bind {
            addr: requested,
            source,
        })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Bind {
            addr: requested,
            source,
        })?;

        // Watching starts before the first build so that no save is missed; saves made during
        // it wait in the channel.
        let (changes, changed) = channel::<Vec<PathBuf>>();
        let sender = changes.clone();
        let watcher = watch::watch(&opts.root, opts.debounce, move |paths| {
            let _ = sender.send(paths);
        })
        .map_err(|source| ServeError::Watch {
            path: opts.root.clone(),
            source,
        })?;

        let mut workspace = Workspace::open(opts.root.clone(), opts.now, opts.drafts);
        let start = Instant::now();
        let update = workspace.rebuild();
        let elapsed = start.elapsed();
        let site: SharedSnapshot = Arc::new(RwLock::new(Arc::new(Snapshot::of(&workspace))));
        let base_path = workspace.base_path().to_string();
        if let Some(hook) = &opts.on_update {
            hook(&Rebuilt {
                update,
                sources: Vec::new(),
                elapsed,
            });
        }

        let mut server = Server {
            addr,
            base_path,
            stopping: Arc::new(AtomicBool::new(false)),
            connections: Connections::default(),
            hub: Arc::new(Hub::new(opts.max_event_streams)),
            watcher: Some(watcher),
            changes: Some(changes),
            threads: Vec::new(),
        };
        server.spawn_threads(listener, workspace, changed, site, &opts)?;
        Ok(server)
    }

    fn spawn_threads(
        &mut self,
        listener: TcpListener,
        workspace: Workspace,
        changed: Receiver<Vec<PathBuf>>,
        site: SharedSnapshot,
        opts: &ServeOptions,
    ) -> Result<(), ServeError> {
        let hub = Arc::clone(&self.hub);
        let hook = opts.on_update.clone();
        let shared = Arc::clone(&site);
        self.spawn("sangtao-update", move || {
            rebuild::run(workspace, changed, shared, hub, hook)
        })?;

        let (queue, waiting) = sync_channel::<TcpStream>(opts.queue);
        let waiting = Arc::new(Mutex::new(waiting));
        for _ in 0..opts.workers.max(1) {
            let worker = Worker {
                waiting: Arc::clone(&waiting),
                site: Arc::clone(&site),
                hub: Arc::clone(&self.hub),
                limits: opts.limits.clone(),
                connections: self.connections.clone(),
            };
            self.spawn("sangtao-http", move || worker.run())?;
        }

        let stopping = Arc::clone(&self.stopping);
        self.spawn("sangtao-accept", move || accept(listener, queue, &stopping))
    }

    fn spawn(&mut self, name: &str, f: impl FnOnce() + Send + 'static) -> Result<(), ServeError> {
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(f)
            .map_err(ServeError::Thread)?;
        self.threads.push(handle);
        Ok(())
    }

    /// The address the server listens on (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The site's home page on this server.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.base_path)
    }

    /// Stops accepting, closes every connection and event stream, stops watching, and waits for
    /// the server's threads (an update in progress finishes first).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the accept loop with a connection of our own.
        let _ = TcpStream::connect_timeout(&wake_address(self.addr), Duration::from_secs(1));
        self.watcher = None;
        self.changes = None;
        self.hub.close();
        self.connections.close_all();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server").field("addr", &self.addr).finish()
    }
}

/// Where to connect to reach a listener bound to `addr` (loopback for the any-address).
fn wake_address(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn accept(
    listener: TcpListener,
    queue: std::sync::mpsc::SyncSender<TcpStream>,
    stopping: &AtomicBool,
) {
    for stream in listener.incoming() {
        if stopping.load(Ordering::SeqCst) {
            break;
        }
        match stream {
            Ok(stream) => match queue.try_send(stream) {
                Ok(()) => {}
                Err(TrySendError::Full(mut stream)) => {
                    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
                    let busy =
                        Response::text(503, "Service Unavailable").with_header("Retry-After", "1");
                    let _ = http::write_response(&mut stream, &busy, false, false);
                }
                Err(TrySendError::Disconnected(_)) => break,
            },
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// A thread answering requests on connections taken from the queue.
struct Worker {
    waiting: Arc<Mutex<Receiver<TcpStream>>>,
    site: SharedSnapshot,
    hub: Arc<Hub>,
    limits: Limits,
    connections: Connections,
}

impl Worker {
    fn run(self) {
        loop {
            let next = match self.waiting.lock() {
                Ok(waiting) => waiting.recv(),
                Err(_) => return,
            };
            let Ok(stream) = next else {
                return;
            };
            let Some(id) = self.connections.open(&stream) else {
                continue;
            };
            let handle = |request: &http::Request| {
                let site = rebuild::current(&self.site);
                respond::respond(request, &site)
            };
            let event_stream = http::serve_connection(stream, &self.limits, &handle);
            self.connections.closed(id);
            if let Some(stream) = event_stream {
                self.open_event_stream(stream);
            }
        }
    }

    fn open_event_stream(&self, stream: TcpStream) {
        let site = rebuild::current(&self.site);
        // A page opened while the content has errors learns them at once.
        let first = (!site.errors.is_empty()).then(|| rebuild::error_event(&site));
        if let Err(mut stream) = self.hub.attach(stream, first) {
            let busy = Response::text(503, "Service Unavailable").with_header("Retry-After", "5");
            let _ = http::write_response(&mut stream, &busy, false, false);
        }
    }
}

/// Connections being served, so that stopping can close them instead of waiting for them.
#[derive(Clone, Default)]
struct Connections {
    next: Arc<AtomicU64>,
    open: Arc<Mutex<HashMap<u64, TcpStream>>>,
}

impl Connections {
    fn open(&self, stream: &TcpStream) -> Option<u64> {
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let clone = stream.try_clone().ok()?;
        self.open.lock().ok()?.insert(id, clone);
        Some(id)
    }

    fn closed(&self, id: u64) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(&id);
        }
    }

    fn close_all(&self) {
        if let Ok(mut open) = self.open.lock() {
            for (_, stream) in open.drain() {
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        }
    }
}
