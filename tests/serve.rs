//! `sangtao serve` over real HTTP on an ephemeral port, with a small HTTP/1.1 client written
//! here: pages carry the reload script; an edit reaches open pages through a `reload` event; an
//! error shows in the overlay over the last good page until it is fixed; no form of path
//! traversal leaves the site; requests are bounded; a load and 1,000 rapid saves are survived,
//! the latter ending byte for byte like a clean build.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use sangtao::serve::{Limits, ServeOptions, Server, SCRIPT_TAG};
use sangtao::text::dates::Date;

const PLAN_SOURCE: &str = "content/plans/2023/182-kh-gddt-nha-be.md";
const PLAN_PAGE: &str = "/ke-hoach/2023/182-kh-gddt-nha-be/";
const OVERLAY: &str = "__sangtao-overlay";

fn now() -> Date {
    Date::new(2026, 1, 1).unwrap()
}

/// The example portal (site.toml and content/) copied into a temporary folder.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(source.join("site.toml"), dir.path().join("site.toml")).unwrap();
    copy_dir(&source.join("content"), &dir.path().join("content"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn start(root: &Path) -> Server {
    start_with(root, |_| {})
}

fn start_with(root: &Path, adjust: impl FnOnce(&mut ServeOptions)) -> Server {
    let mut opts = ServeOptions::new(root.to_path_buf(), now());
    adjust(&mut opts);
    let server = Server::start(opts).unwrap();
    assert!(
        server.addr().ip().is_loopback(),
        "serve binds loopback by default"
    );
    server
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `head` as written (no normalisation of the path) and reads the whole response.
fn raw(addr: SocketAddr, head: &str) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

fn parse(bytes: &[u8]) -> Reply {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
    let head = std::str::from_utf8(&bytes[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: bytes[end + 4..].to_vec(),
    }
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    raw(
        addr,
        &format!("{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
    )
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

/// A page as the site has it: without the injected reload script.
fn without_script(body: &[u8]) -> Vec<u8> {
    String::from_utf8(body.to_vec())
        .unwrap()
        .replacen(SCRIPT_TAG, "", 1)
        .into_bytes()
}

/// An open event stream, read by a thread of its own.
struct Events {
    received: Receiver<(String, String)>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let stream = TcpStream::connect(addr).unwrap();
        (&stream)
            .write_all(b"GET /__sangtao/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 200"), "{status}");
        let mut content_type = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.to_ascii_lowercase().starts_with("content-type:") {
                content_type = line.clone();
            }
            if line == "\r\n" {
                break;
            }
        }
        assert!(content_type.contains("text/event-stream"), "{content_type}");
        let (send, received) = channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (String::new(), String::new());
            for line in reader.lines() {
                let Ok(line) = line else { return };
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if send.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        Events { received }
    }

    /// The data of the next event named `name`, skipping others.
    fn wait_for(&self, name: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.received.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => continue,
                Err(_) => panic!("no `{name}` event within {within:?}"),
            }
        }
    }
}

fn append(path: &Path, text: &str) {
    let mut file = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    file.write_all(text.as_bytes()).unwrap();
}

fn clean_build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    sangtao::build(&sangtao::BuildOptions {
        root: root.to_path_buf(),
        output,
        now: now(),
        drafts: false,
    })
    .unwrap_or_else(|e| panic!("clean build failed: {e:?}"));
    out
}

#[test]
fn pages_are_served_with_the_reload_script() {
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    for page in ["/", PLAN_PAGE] {
        let reply = get(addr, page);
        assert_eq!(reply.status, 200, "{page}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(
            reply.text().contains(&format!("{SCRIPT_TAG}</body>")),
            "{page}"
        );
        assert!(!reply.text().contains(OVERLAY));
    }
    let head = request(addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let script = get(addr, "/__sangtao/livereload.js");
    assert_eq!(script.status, 200);
    assert!(script.text().contains("EventSource(\"/__sangtao/events\")"));
    let css = get(addr, "/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        get(addr, "/atom.xml").header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );

    let folder = get(addr, PLAN_PAGE.trim_end_matches('/'));
    assert_eq!(folder.status, 302);
    assert_eq!(folder.header("location"), Some(PLAN_PAGE));
    let missing = get(addr, "/khong-co-trang-nay/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains(SCRIPT_TAG),
        "404.html is served, with the script"
    );
    server.stop();
}

#[test]
fn drafts_are_served_with_their_badge_only_when_asked() {
    const DRAFT: &str = "/tin-tuc/2025/ngay-hoi-stem-nha-be-2025/";
    let site = example_site();
    let server = start(site.path());
    assert_eq!(get(server.addr(), DRAFT).status, 404);
    server.stop();
    let server = start_with(site.path(), |o| o.drafts = true);
    let page = get(server.addr(), DRAFT);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Bản nháp"));
    server.stop();
}

#[test]
fn an_edit_reaches_open_pages() {
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    let events = Events::open(addr);
    append(
        &site.path().join(PLAN_SOURCE),
        "\n\nĐoạn mới với từ riêng xylophonique.\n",
    );
    let data = events.wait_for("reload", Duration::from_secs(15));
    assert!(
        data.contains("ke-hoach/2023/182-kh-gddt-nha-be/index.html"),
        "{data}"
    );
    let page = get(addr, PLAN_PAGE);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("xylophonique"));
    server.stop();
}

#[test]
fn an_error_shows_in_the_overlay_over_the_last_good_page_until_fixed() {
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    let before = get(addr, PLAN_PAGE).body;
    let events = Events::open(addr);

    let path = site.path().join(PLAN_SOURCE);
    let good = std::fs::read_to_string(&path).unwrap();
    let title_line = good
        .lines()
        .position(|l| l.starts_with("title = "))
        .unwrap()
        + 1;
    let broken: String = good
        .lines()
        .map(|l| {
            if l.starts_with("title = ") {
                "title = \"x"
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, broken).unwrap();

    let data = events.wait_for("error", Duration::from_secs(15));
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let first = diagnostics
        .iter()
        .find(|d| d["file"] == PLAN_SOURCE)
        .unwrap_or_else(|| panic!("no diagnostic for {PLAN_SOURCE}: {data}"));
    assert_eq!(first["file"], PLAN_SOURCE, "{data}");
    assert_eq!(first["line"], title_line, "{data}");
    assert!(json["html"].as_str().unwrap().contains(OVERLAY));

    let during = get(addr, PLAN_PAGE);
    assert_eq!(during.status, 200, "the last good page is still served");
    let text = during.text();
    assert!(text.contains(&format!("id=\"{OVERLAY}\" role=\"alert\"")));
    assert!(
        text.contains(&format!("{PLAN_SOURCE}:{title_line}:")),
        "overlay names file:line"
    );
    let overlay_start = text.find(&format!("<div id=\"{OVERLAY}\"")).unwrap();
    let body_end = text.rfind("</body>").unwrap();
    let page = format!("{}{}", &text[..overlay_start], &text[body_end..]);
    assert_eq!(
        page.as_bytes(),
        before,
        "under the overlay is the last good page"
    );

    std::fs::write(&path, &good).unwrap();
    events.wait_for("ok", Duration::from_secs(15));
    let after = get(addr, PLAN_PAGE);
    assert_eq!(after.status, 200);
    assert!(!after.text().contains(OVERLAY));
    assert_eq!(after.body, before);
    server.stop();
}

#[test]
fn path_traversal_never_leaves_the_site() {
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E/site.toml",
        "/..%2fsite.toml",
        "/%2e%2e%2fsite.toml",
        "/..\\site.toml",
        "/%5c..%5csite.toml",
        "/ke-hoach/../../site.toml",
        "/ke-hoach/%2e%2e/%2e%2e/site.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/C:/Windows/win.ini",
        "/site.toml",
        "/content/plans/2023/182-kh-gddt-nha-be.md",
        "/%252e%252e/site.toml",
        "/a%00/site.toml",
        "http://localhost/../site.toml",
        "*",
    ] {
        let reply = get(addr, target);
        assert!(
            reply.status == 400 || reply.status == 404,
            "{target}: {}",
            reply.status
        );
        let body = reply.text();
        assert!(!body.contains("base_url"), "{target} served site.toml");
        assert!(!body.contains("root:"), "{target} served /etc/passwd");
    }
    server.stop();
}

#[test]
fn a_symlink_pointing_out_of_the_site_is_never_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "bí-mật-ngoài-site").unwrap();
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    let events = Events::open(addr);
    let link = site.path().join("content/files/secret.txt");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
    // The build refuses the link; serving goes on with the last good site.
    let data = events.wait_for("error", Duration::from_secs(15));
    assert!(data.contains("content/files/secret.txt"), "{data}");
    assert!(
        !data.contains("bí-mật-ngoài-site"),
        "the overlay quotes the file outside: {data}"
    );
    for target in [
        "/files/secret.txt",
        "/secret.txt",
        "/content/files/secret.txt",
    ] {
        let reply = get(addr, target);
        assert_eq!(reply.status, 404, "{target}: {}", reply.text());
        assert!(!reply.text().contains("bí-mật-ngoài-site"), "{target}");
    }
    assert_eq!(get(addr, "/").status, 200);
    server.stop();
}

#[test]
fn requests_are_bounded() {
    let site = example_site();
    let server = start_with(site.path(), |o| {
        o.limits = Limits {
            head_timeout: Duration::from_millis(500),
            ..Limits::default()
        }
    });
    let addr = server.addr();

    let post = raw(
        addr,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    assert_eq!(request(addr, "DELETE", "/").status, 405);

    let long = format!("/{}", "a".repeat(3 * 1024));
    assert_eq!(get(addr, &long).status, 414);

    let big_head = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Padding: {}\r\n\r\n",
        "p".repeat(16 * 1024)
    );
    assert_eq!(raw(addr, &big_head).status, 431);

    // A declared body is never read nor allocated (tiny_http 0.12 aborts the process on this).
    let huge = raw(
        addr,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 900000000000\r\n\r\nabc",
    );
    assert_eq!(huge.status, 405);
    let get_with_body = raw(
        addr,
        "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 900000000000\r\n\r\nabc",
    );
    assert_eq!(get_with_body.status, 200);
    assert_eq!(get_with_body.header("connection"), Some("close"));

    // A head that never ends is cut off.
    let started = Instant::now();
    let slow = raw(addr, "GET / HTTP/1.1\r\nHost: x\r\n");
    assert_eq!(slow.status, 408);
    assert!(started.elapsed() < Duration::from_secs(5));

    assert_eq!(get(addr, "/").status, 200, "still serving");
    server.stop();
}

#[test]
fn a_bounded_load_is_served_completely() {
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    let pages = ["/", PLAN_PAGE, "/style.css", "/atom.xml", "/ke-hoach/"];
    let started = Instant::now();
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                for i in 0..200 {
                    let page = pages[(t + i) % pages.len()];
                    let reply = get(addr, page);
                    assert_eq!(reply.status, 200, "{page}");
                    assert!(!reply.body.is_empty());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < Duration::from_secs(60),
        "1,600 requests took {elapsed:?}"
    );
    server.stop();
}

#[test]
fn a_thousand_rapid_saves_end_like_a_clean_build() {
    let site = example_site();
    let server = start(site.path());
    let addr = server.addr();
    let path = site.path().join(PLAN_SOURCE);
    let original = std::fs::read_to_string(&path).unwrap();
    for i in 0..999 {
        std::fs::write(&path, format!("{original}\n\nLần lưu thứ {i}.\n")).unwrap();
    }
    std::fs::write(&path, format!("{original}\n\nBản cuối cùng: hoàn tất.\n")).unwrap();

    let expected = clean_build(site.path());
    let expected_plan = std::fs::read(
        expected
            .path()
            .join("public/ke-hoach/2023/182-kh-gddt-nha-be/index.html"),
    )
    .unwrap();
    let expected_home = std::fs::read(expected.path().join("public/index.html")).unwrap();
    assert!(String::from_utf8_lossy(&expected_plan).contains("Bản cuối cùng: hoàn tất."));

    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let plan = without_script(&get(addr, PLAN_PAGE).body);
        let home = without_script(&get(addr, "/").body);
        if plan == expected_plan && home == expected_home {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the served site never settled on the clean build's bytes"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();
}

#[test]
fn the_command_prints_its_address_and_stops_on_ctrl_c() {
    let site = example_site();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_sangtao"))
        .arg("--root")
        .arg(site.path())
        .args(["--now", "2026-01-01", "serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let child = &mut child.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let addr: SocketAddr = url.trim_end_matches('/').parse().unwrap();
    assert!(addr.ip().is_loopback());
    assert_eq!(get(addr, "/").status, 200);

    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(exit.code(), Some(0));
}

/// A child process that a failing test does not leave running.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
