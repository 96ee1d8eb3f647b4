//! What a rebuild may take from the previous build without rendering it again.
//!
//! Each build leaves beside its output folder a record of what it was built from: a
//! fingerprint of everything but the entries' Markdown bodies (the program, the options,
//! `site.toml`, the theme's folder, the units, the assets' list, each entry's front matter and
//! whether it is published), and for each entry the hash of its body and of its summary. An
//! entry's body shows on its own page, and on other pages only through its summary (cards,
//! feeds). So when the next build finds the same fingerprint and the same summaries, only the
//! pages of the entries whose body changed can differ: every other page is the previous build's
//! file, taken as it is. The search index is always made again. Anything else (a title, a date,
//! a unit, the theme, a first paragraph) renders every page, as a first build does.
//!
//! The record is a file beside the output (`.public.sangtao-inputs` for `public/`), not in it:
//! the output stays a function of what it shows (two sites that differ only in file names give
//! the same bytes) and tells nothing of drafts. It names the hash of the output's marker, which
//! lists every file's hash, so a record left from another build is never taken for this one's.

use std::collections::HashSet;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use crate::render::theme::Theme;
use crate::site::Site;

/// The suffix of the record's name: `.<output folder's name>.sangtao-inputs`.
pub const SUFFIX: &str = "sangtao-inputs";

const HEADER: &str = "sangtao inputs v2";

/// What a build was made from.
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    /// Everything but the entries' bodies.
    pub global: u64,
    /// For each published entry, in the site's order: hash of the body, hash of the summary.
    pub entries: Vec<(u64, u64)>,
}

impl Inputs {
    /// The record of the output whose marker has hash `marker`.
    fn to_text(&self, marker: u64) -> String {
        let mut s = format!("{HEADER} {marker:016x} {:016x}\n", self.global);
        for (body, summary) in &self.entries {
            s.push_str(&format!("{body:016x} {summary:016x}\n"));
        }
        s
    }

    /// Reads a record of the output whose marker has hash `marker`; None when it is another's,
    /// or no record (an older or damaged file).
    fn parse(text: &str, marker: u64) -> Option<Inputs> {
        let mut lines = text.lines();
        let mut head = lines.next()?.strip_prefix(HEADER)?.split_whitespace();
        if u64::from_str_radix(head.next()?, 16).ok()? != marker {
            return None;
        }
        let global = u64::from_str_radix(head.next()?, 16).ok()?;
        let entries = lines
            .map(|l| {
                let (body, summary) = l.split_once(' ')?;
                Some((
                    u64::from_str_radix(body, 16).ok()?,
                    u64::from_str_radix(summary, 16).ok()?,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Inputs { global, entries })
    }

    /// The published entries (by index among them) whose body changed since `previous`, when
    /// nothing else that pages show did; None when pages other than theirs may differ.
    pub fn changed_bodies(&self, previous: &Inputs) -> Option<HashSet<usize>> {
        if self.global != previous.global || self.entries.len() != previous.entries.len() {
            return None;
        }
        let mut changed = HashSet::new();
        for (i, (now, before)) in self.entries.iter().zip(&previous.entries).enumerate() {
            if now.1 != before.1 {
                return None;
            }
            if now.0 != before.0 {
                changed.insert(i);
            }
        }
        Some(changed)
    }
}

/// The record beside `output`, when it is of the output whose marker has hash `marker`.
pub fn read(output: &Path, marker: u64) -> Option<Inputs> {
    let text = std::fs::read_to_string(crate::output::sibling(output, SUFFIX)).ok()?;
    Inputs::parse(&text, marker)
}

/// Writes the record of the output whose marker has hash `marker` beside it (atomically: a
/// build killed meanwhile leaves the old record, which names another marker).
pub fn write(output: &Path, marker: u64, inputs: &Inputs) -> std::io::Result<()> {
    let path = crate::output::sibling(output, SUFFIX);
    let tmp = crate::output::sibling(output, &format!("{SUFFIX}.tmp"));
    std::fs::write(&tmp, inputs.to_text(marker))?;
    std::fs::rename(&tmp, &path)
}

/// The fingerprint of everything a build reads but the entries' bodies.
pub fn global(site: &Site, theme: &Theme) -> u64 {
    let mut h = Xxh3::new();
    let mut field = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    // The program: another sangtao may render the same content differently. Its bytes, not
    // its path or time, so that the record is the same wherever the same program runs.
    field(env!("CARGO_PKG_VERSION").as_bytes());
    let exe = std::env::current_exe()
        .and_then(std::fs::read)
        .map_or(0, |b| xxhash_rust::xxh3::xxh3_64(&b));
    field(&exe.to_le_bytes());
    field(site.now.iso().as_bytes());
    field(&[u8::from(site.drafts)]);
    field(format!("{:?}", site.config).as_bytes());
    field(format!("{:?}", site.units).as_bytes());
    field(format!("{:?}", site.assets).as_bytes());
    match &theme.dir {
        Some(dir) => {
            let files = walkdir::WalkDir::new(dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path());
            for f in files {
                let rel = f.strip_prefix(dir).unwrap_or(&f);
                field(rel.to_string_lossy().as_bytes());
                // An unreadable file makes the fingerprint differ from any readable one.
                field(&std::fs::read(&f).unwrap_or_else(|_| vec![0xff; 3]));
            }
        }
        None => field(b"built-in theme"),
    }
    field(theme.name.as_bytes());
    for (e, published) in site.entries.iter().zip(&site.published) {
        // The URL and the normalised content path, not the file name as the file system spells
        // it (NFD on some systems): the same site gives the same record wherever it is.
        field(e.url.as_bytes());
        field(crate::text::nfc(&e.content_path).as_bytes());
        field(&e.front_hash.to_le_bytes());
        field(&[u8::from(*published)]);
    }
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(entries: &[(u64, u64)]) -> Inputs {
        Inputs {
            global: 7,
            entries: entries.to_vec(),
        }
    }

    #[test]
    fn a_record_reads_back_only_for_its_own_marker() {
        let a = inputs(&[(1, 2), (3, 4)]);
        let text = a.to_text(0xabc);
        assert_eq!(Inputs::parse(&text, 0xabc), Some(a));
        assert_eq!(Inputs::parse(&text, 0xabd), None, "another output's record");
        assert_eq!(Inputs::parse("sangtao inputs v1 0abc 7\n", 0xabc), None);
        assert_eq!(Inputs::parse(&format!("{text}zz 1\n"), 0xabc), None);
        assert_eq!(Inputs::parse("", 0xabc), None);
    }

    #[test]
    fn only_body_changes_that_leave_summaries_alone_are_taken() {
        let before = inputs(&[(1, 2), (3, 4), (5, 6)]);
        let none: HashSet<usize> = HashSet::new();
        assert_eq!(before.changed_bodies(&before), Some(none));
        let body = inputs(&[(1, 2), (9, 4), (5, 6)]);
        assert_eq!(body.changed_bodies(&before), Some(HashSet::from([1])));
        let summary = inputs(&[(1, 2), (9, 8), (5, 6)]);
        assert_eq!(summary.changed_bodies(&before), None);
        let added = inputs(&[(1, 2), (3, 4), (5, 6), (7, 8)]);
        assert_eq!(added.changed_bodies(&before), None);
        let mut other = before.clone();
        other.global = 8;
        assert_eq!(other.changed_bodies(&before), None);
    }
}
