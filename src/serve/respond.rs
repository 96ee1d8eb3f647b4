//! Answers a request from a snapshot of the site: the reload script and the event stream under
//! `/__sangtao/`, and otherwise the output file the path leads to, HTML pages with the script
//! (and, while the content has errors, the overlay) injected.

use std::sync::Arc;

use super::http::{Body, Reply, Request, Response};
use super::lookup::{resolve, Target};
use super::mime::{content_type, is_html};
use super::overlay::inject;
use super::snapshot::Snapshot;

/// The client side of live reload.
pub const LIVERELOAD_JS: &str = include_str!("livereload.js");
/// Where the script is served.
pub const LIVERELOAD_PATH: &str = "/__sangtao/livereload.js";
/// Where pages open their event stream.
pub const EVENTS_PATH: &str = "/__sangtao/events";

/// The reply to one request.
pub fn respond(request: &Request, site: &Snapshot) -> Reply {
    let path = request.path();
    if path == EVENTS_PATH && request.method == "GET" {
        return Reply::EventStream;
    }
    if path == LIVERELOAD_PATH {
        return Reply::Respond(Response::new(
            200,
            "text/javascript; charset=utf-8",
            Body::Owned(LIVERELOAD_JS.as_bytes().to_vec()),
        ));
    }
    if path.starts_with("/__sangtao/") {
        return Reply::Respond(not_found(site));
    }
    Reply::Respond(
        match resolve(&request.target, &site.base_path, &site.files) {
            Target::File(key) => match site.files.get(&key) {
                Some(bytes) => page(200, &key, bytes, site),
                None => not_found(site),
            },
            Target::Redirect(location) => {
                Response::text(302, &location).with_header("Location", location)
            }
            Target::NotFound => not_found(site),
            Target::BadRequest => Response::text(400, "Bad Request"),
        },
    )
}

/// The site's `404.html` with status 404, or a plain one when the site has none.
fn not_found(site: &Snapshot) -> Response {
    match site.files.get("404.html") {
        Some(bytes) => page(404, "404.html", bytes, site),
        // No good build yet: an empty page that carries the overlay.
        None if !site.errors.is_empty() => page(
            404,
            "404.html",
            &Arc::from(&b"<!doctype html><html><body></body></html>"[..]),
            site,
        ),
        None => Response::text(404, "Not Found"),
    }
}

fn page(status: u16, key: &str, bytes: &Arc<[u8]>, site: &Snapshot) -> Response {
    let body = if is_html(key) {
        Body::Owned(inject(bytes, &site.errors, site.language))
    } else {
        Body::Shared(bytes.clone())
    };
    Response::new(status, content_type(key), body)
}
