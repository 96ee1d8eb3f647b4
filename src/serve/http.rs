//! A small HTTP/1.1 server core with hard bounds, enough for a development server: GET and HEAD
//! only, request heads of at most 8 KiB read within 10 s, targets of at most 2 KiB, request
//! bodies never read (the connection is closed after the response instead), writes with a
//! timeout, and a bounded number of requests per keep-alive connection.
//!
//! Not tiny_http: tiny_http 0.12 reads request heads without a size or time limit and, when a
//! request declaring a large `Content-Length` is dropped, allocates that many bytes at once; one
//! 80-byte request with `Content-Length: 900000000000` aborts the process, whatever the handler
//! does (tiny-http/tiny-http#252, the unmerged fix #290). A dev server must survive its peers.

use std::io::{self, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The bounds of one connection.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The request line and headers together.
    pub head_bytes: usize,
    /// The request target (path and query).
    pub target_bytes: usize,
    /// Time to receive a whole request head, from its first byte.
    pub head_timeout: Duration,
    /// Time a kept-alive connection may wait for its next request.
    pub idle_timeout: Duration,
    /// Time one write may block on a peer that does not read.
    pub write_timeout: Duration,
    /// Requests served on one connection before it is closed.
    pub requests_per_connection: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            head_bytes: 8 * 1024,
            target_bytes: 2 * 1024,
            head_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(2),
            write_timeout: Duration::from_secs(10),
            requests_per_connection: 100,
        }
    }
}

/// A request the server accepted: GET or HEAD, with its target as sent.
#[derive(Clone, Debug)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: String,
    /// Path and query, not decoded.
    pub target: String,
}

impl Request {
    /// The path part of the target.
    pub fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or_default()
    }
}

/// A response body: shared output bytes, or bytes made for this response.
#[derive(Clone, Debug)]
pub enum Body {
    Shared(Arc<[u8]>),
    Owned(Vec<u8>),
}

impl Body {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Body::Shared(b) => b,
            Body::Owned(b) => b,
        }
    }
}

/// A complete response.
#[derive(Clone, Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Body,
}

impl Response {
    /// A response with a body of the given type.
    pub fn new(status: u16, content_type: &str, body: Body) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// A short plain-text response (errors, redirects).
    pub fn text(status: u16, text: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            Body::Owned(format!("{text}\n").into_bytes()),
        )
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// What the application does with a request.
pub enum Reply {
    Respond(Response),
    /// Hand the connection over as an event stream (the caller gets the socket back).
    EventStream,
}

/// Serves requests on one connection until it closes, a bound is reached or the handler asks for
/// an event stream; returns the socket in that last case.
pub fn serve_connection(
    stream: TcpStream,
    limits: &Limits,
    handle: &dyn Fn(&Request) -> Reply,
) -> Option<TcpStream> {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(limits.write_timeout));
    let mut conn = Connection {
        stream,
        buffer: Vec::new(),
    };
    for served in 0..limits.requests_per_connection {
        let wait = if served == 0 {
            limits.head_timeout
        } else {
            limits.idle_timeout
        };
        let (request, keep_alive) = match conn.read_head(limits, wait) {
            Head::Closed => return None,
            Head::Reject(response) => {
                let _ = write_response(&mut conn.stream, &response, false, false);
                return None;
            }
            Head::Request {
                request,
                keep_alive,
            } => (request, keep_alive),
        };
        let keep_alive = keep_alive && served + 1 < limits.requests_per_connection;
        let head_only = request.method == "HEAD";
        match handle(&request) {
            Reply::Respond(response) => {
                if write_response(&mut conn.stream, &response, head_only, keep_alive).is_err()
                    || !keep_alive
                {
                    return None;
                }
            }
            Reply::EventStream => return Some(conn.stream),
        }
    }
    None
}

/// Writes a response with its length; `head_only` for HEAD requests.
pub fn write_response(
    stream: &mut TcpStream,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> io::Result<()> {
    let body = response.body.as_bytes();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        response.status,
        reason(response.status),
        body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    )
    .into_bytes();
    for (name, value) in &response.headers {
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    if !head_only {
        out.extend_from_slice(body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

enum Head {
    Request { request: Request, keep_alive: bool },
    Reject(Response),
    Closed,
}

struct Connection {
    stream: TcpStream,
    /// Bytes read past the previous request head (a pipelined request).
    buffer: Vec<u8>,
}

impl Connection {
    /// Reads one request head: `wait` for its first byte, then `limits.head_timeout` for the rest.
    fn read_head(&mut self, limits: &Limits, wait: Duration) -> Head {
        let mut deadline = Instant::now() + wait;
        let mut started = !self.buffer.is_empty();
        if started {
            deadline = Instant::now() + limits.head_timeout;
        }
        let mut chunk = [0u8; 4096];
        loop {
            if let Some(end) = find(&self.buffer, b"\r\n\r\n") {
                let head: Vec<u8> = self.buffer.drain(..end + 4).collect();
                return parse_head(&head[..end], limits);
            }
            if self.buffer.len() >= limits.head_bytes {
                let line_end = find(&self.buffer, b"\r\n").unwrap_or(self.buffer.len());
                return Head::Reject(if line_end > limits.target_bytes {
                    Response::text(414, "URI Too Long")
                } else {
                    Response::text(431, "Request Header Fields Too Large")
                });
            }
            let now = Instant::now();
            if now >= deadline {
                return self.timed_out(started);
            }
            if self.stream.set_read_timeout(Some(deadline - now)).is_err() {
                return Head::Closed;
            }
            let room = (limits.head_bytes - self.buffer.len()).min(chunk.len());
            match self.stream.read(&mut chunk[..room]) {
                Ok(0) => return Head::Closed,
                Ok(n) => {
                    self.buffer.extend_from_slice(&chunk[..n]);
                    if !started {
                        started = true;
                        deadline = Instant::now() + limits.head_timeout;
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return self.timed_out(started);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return Head::Closed,
            }
        }
    }

    fn timed_out(&self, started: bool) -> Head {
        if started {
            Head::Reject(Response::text(408, "Request Timeout"))
        } else {
            Head::Closed
        }
    }
}

fn parse_head(head: &[u8], limits: &Limits) -> Head {
    let bad = || Head::Reject(Response::text(400, "Bad Request"));
    let Ok(head) = std::str::from_utf8(head) else {
        return bad();
    };
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return bad();
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) || target.is_empty() {
        return bad();
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        v if v.starts_with("HTTP/") => {
            return Head::Reject(Response::text(505, "HTTP Version Not Supported"))
        }
        _ => return bad(),
    };
    if target.len() > limits.target_bytes {
        return Head::Reject(Response::text(414, "URI Too Long"));
    }

    let mut connection = String::new();
    let mut has_body = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return bad();
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || name.contains(' ') {
            return bad();
        }
        if name.eq_ignore_ascii_case("connection") {
            connection = value.to_ascii_lowercase();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            has_body = true;
        } else if name.eq_ignore_ascii_case("content-length") {
            match value.parse::<u64>() {
                Ok(0) => {}
                Ok(_) => has_body = true,
                Err(_) => return bad(),
            }
        }
    }
    // A body is never read, so after one the next request's start is unknown: close.
    let keep_alive = !has_body
        && if http10 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        };
    if method != "GET" && method != "HEAD" {
        return Head::Reject(
            Response::text(405, "Method Not Allowed").with_header("Allow", "GET, HEAD"),
        );
    }
    Head::Request {
        request: Request {
            method: method.to_string(),
            target: target.to_string(),
        },
        keep_alive,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(head: &str) -> Head {
        parse_head(head.as_bytes(), &Limits::default())
    }

    fn status(head: Head) -> u16 {
        match head {
            Head::Request { .. } => 200,
            Head::Reject(r) => r.status,
            Head::Closed => 0,
        }
    }

    #[test]
    fn get_and_head_are_accepted() {
        assert_eq!(status(parse("GET / HTTP/1.1\r\nHost: x")), 200);
        assert_eq!(status(parse("HEAD /a?b HTTP/1.0")), 200);
    }

    #[test]
    fn other_methods_are_refused() {
        assert_eq!(status(parse("POST / HTTP/1.1\r\nContent-Length: 5")), 405);
        assert_eq!(status(parse("DELETE / HTTP/1.1")), 405);
    }

    #[test]
    fn long_targets_and_bad_heads_are_refused() {
        let long = format!("GET /{} HTTP/1.1", "a".repeat(3000));
        assert_eq!(status(parse(&long)), 414);
        assert_eq!(status(parse("GET / HTTP/2.0")), 505);
        assert_eq!(status(parse("GET /")), 400);
        assert_eq!(status(parse("GET / HTTP/1.1\r\nno colon")), 400);
        assert_eq!(status(parse("GET / HTTP/1.1\r\nContent-Length: -1")), 400);
    }

    #[test]
    fn a_request_with_a_body_closes_the_connection() {
        let Head::Request { keep_alive, .. } =
            parse("GET / HTTP/1.1\r\nContent-Length: 900000000000")
        else {
            panic!("refused");
        };
        assert!(!keep_alive);
        let Head::Request { keep_alive, .. } = parse("GET / HTTP/1.1") else {
            panic!("refused");
        };
        assert!(keep_alive);
    }
}
