//! Server-Sent Events for open pages: each browser tab holds one long-lived connection, written by
//! a thread of its own from a bounded channel. Events are broadcast to every live stream; a
//! stream that is closed, or too far behind, is dropped. A comment every 15 s keeps proxies and
//! browsers from timing the stream out and finds dead peers.

use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How often an idle stream gets a heartbeat comment.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// Events queued for one stream before it counts as stalled and is dropped.
const QUEUE: usize = 64;

/// One event: a name and a one-line payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub name: &'static str,
    pub data: String,
}

impl Event {
    /// The event in the `text/event-stream` format.
    fn encode(&self) -> String {
        let mut out = format!("event: {}\n", self.name);
        for line in self.data.lines() {
            out.push_str("data: ");
            out.push_str(line);
            out.push('\n');
        }
        if self.data.is_empty() {
            out.push_str("data:\n");
        }
        out.push('\n');
        out
    }
}

/// The open event streams.
pub struct Hub {
    senders: Mutex<Vec<SyncSender<Arc<str>>>>,
    live: Arc<AtomicUsize>,
    max_streams: usize,
}

impl Hub {
    /// A hub that holds at most `max_streams` streams at once.
    pub fn new(max_streams: usize) -> Hub {
        Hub {
            senders: Mutex::new(Vec::new()),
            live: Arc::new(AtomicUsize::new(0)),
            max_streams,
        }
    }

    /// Takes over a connection whose request asked for the event stream: sends the response
    /// head and `first` (if any), then the broadcast events. Gives the connection back when the
    /// hub is full.
    pub fn attach(&self, stream: TcpStream, first: Option<Event>) -> Result<(), TcpStream> {
        if self.live.load(Ordering::SeqCst) >= self.max_streams {
            return Err(stream);
        }
        let (sender, receiver) = sync_channel::<Arc<str>>(QUEUE);
        let live = Arc::clone(&self.live);
        live.fetch_add(1, Ordering::SeqCst);
        // Registered before the head is sent, so a client that has read the head gets every
        // later event.
        if let Ok(mut senders) = self.senders.lock() {
            senders.push(sender);
        }
        let spawned = std::thread::Builder::new()
            .name("sangtao-sse".into())
            .spawn(move || {
                stream_events(stream, receiver, first);
                live.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            self.live.fetch_sub(1, Ordering::SeqCst);
        }
        Ok(())
    }

    /// Sends an event to every stream; drops the ones that are gone or stalled.
    pub fn broadcast(&self, event: &Event) {
        let encoded: Arc<str> = event.encode().into();
        if let Ok(mut senders) = self.senders.lock() {
            senders.retain(|s| match s.try_send(Arc::clone(&encoded)) {
                Ok(()) => true,
                Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => false,
            });
        }
    }

    /// Ends every stream (their threads see the channel close and finish).
    pub fn close(&self) {
        if let Ok(mut senders) = self.senders.lock() {
            senders.clear();
        }
    }
}

fn stream_events(mut stream: TcpStream, events: Receiver<Arc<str>>, first: Option<Event>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\nretry: 1000\n: sangtao\n\n";
    let mut opening = head.to_string();
    if let Some(event) = first {
        opening.push_str(&event.encode());
    }
    if write(&mut stream, opening.as_bytes()).is_err() {
        return;
    }
    loop {
        let sent = match events.recv_timeout(HEARTBEAT) {
            Ok(event) => write(&mut stream, event.as_bytes()),
            Err(RecvTimeoutError::Timeout) => write(&mut stream, b": heartbeat\n\n"),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if sent.is_err() {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

fn write(stream: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
    stream.write_all(bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_encoded_one_data_line_per_line() {
        let e = Event {
            name: "reload",
            data: "{\"a\":1}".into(),
        };
        assert_eq!(e.encode(), "event: reload\ndata: {\"a\":1}\n\n");
        let e = Event {
            name: "ok",
            data: "a\nb".into(),
        };
        assert_eq!(e.encode(), "event: ok\ndata: a\ndata: b\n\n");
    }
}
