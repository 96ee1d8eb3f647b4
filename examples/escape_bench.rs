//! Times the HTML escaping of template values on a portal's real strings: titles, summaries
//! and unit names (what pages print most), against the byte-by-byte escaper it replaced.
//!
//!   cargo run --release --example escape_bench -- SITE_DIR [ROUNDS]
//!
//! Both must write the same bytes; the example checks it before timing.
use std::time::Instant;

/// The escaper before it looked 16 bytes at a time (kept here as the reference).
fn escape_bytewise(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(rep);
        start = i + 1;
    }
    out.push_str(&text[start..]);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = std::path::PathBuf::from(args.next().expect("SITE_DIR"));
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let now = sangtao::text::dates::Date::new(2026, 11, 25).expect("date");
    let checked = sangtao::check_site(&root, now, false);
    let site = checked.site.expect("the site loads");
    let mut strings: Vec<String> = Vec::new();
    for e in &site.entries {
        strings.push(e.title.clone());
        if let Some(s) = &e.summary {
            strings.push(s.clone());
        }
    }
    for u in &site.units {
        strings.push(u.name.clone());
    }
    let bytes: usize = strings.iter().map(|s| s.len()).sum();
    println!(
        "{} strings, {} bytes (mean {:.0})",
        strings.len(),
        bytes,
        bytes as f64 / strings.len() as f64
    );
    let mut a = String::new();
    let mut b = String::new();
    for s in &strings {
        a.clear();
        b.clear();
        sangtao::render::numbers::escape_into(&mut a, s);
        escape_bytewise(&mut b, s);
        assert_eq!(a, b, "{s:?}");
    }
    let mut out = String::with_capacity(bytes * 2);
    for _ in 0..3 {
        let t = Instant::now();
        for _ in 0..rounds {
            out.clear();
            for s in &strings {
                sangtao::render::numbers::escape_into(&mut out, s);
            }
        }
        let new = t.elapsed().as_nanos() as f64 / (rounds * strings.len()) as f64;
        let t = Instant::now();
        for _ in 0..rounds {
            out.clear();
            for s in &strings {
                escape_bytewise(&mut out, s);
            }
        }
        let old = t.elapsed().as_nanos() as f64 / (rounds * strings.len()) as f64;
        println!("16 bytes at a time {new:.1} ns/string | byte by byte {old:.1} ns/string");
    }
}
