//! Reading TOML tables with their spans: typed getters that report wrong types, missing keys and
//! unknown keys (with the closest known key) as located diagnostics, in the site's language.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned as TomlSpanned;

use crate::diagnostics::{closest, tr, Diagnostic, Severity};
use crate::text::dates::{Date, Lang};

/// A 1-based line and column in a content file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A value with the position it was written at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// One source file being read: its path for messages, its whole (NFC) text and where the TOML
/// starts in it, so that every position is the file's own line and column.
pub struct SourceDoc<'a> {
    pub path: &'a str,
    pub text: &'a str,
    /// Byte offset of the TOML text inside `text`.
    pub toml_offset: usize,
    pub lang: Lang,
    line_starts: Vec<usize>,
}

impl<'a> SourceDoc<'a> {
    pub fn new(path: &'a str, text: &'a str, toml_offset: usize, lang: Lang) -> SourceDoc<'a> {
        SourceDoc {
            path,
            text,
            toml_offset,
            lang,
            // With `memchr`, 32 bytes at a time (`match_indices` was 1 % of a build's
            // instructions).
            line_starts: std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
                .collect(),
        }
    }

    /// Position of a byte offset within the TOML text.
    pub fn pos(&self, toml_byte: usize) -> Pos {
        self.pos_in_file(self.toml_offset + toml_byte)
    }

    /// Position of a byte offset within the whole file.
    pub fn pos_in_file(&self, mut offset: usize) -> Pos {
        offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.text[start..offset].chars().count() + 1;
        Pos {
            line: line as u32,
            column: column as u32,
        }
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: u32) -> &str {
        let starts = &self.line_starts;
        let i = (line as usize).saturating_sub(1);
        let start = starts.get(i).copied().unwrap_or(self.text.len());
        let end = starts.get(i + 1).map_or(self.text.len(), |e| e - 1);
        self.text[start..end.max(start)].trim_end_matches('\r')
    }

    /// A diagnostic at a position of this file, with its source line.
    pub fn diag(&self, pos: Pos, severity: Severity, message: String) -> Diagnostic {
        Diagnostic {
            path: self.path.to_string(),
            line: pos.line as usize,
            column: pos.column as usize,
            severity,
            message,
            help: None,
            source_line: Some(self.line_text(pos.line).to_string()),
        }
    }

    pub fn tr(&self, vi: impl Into<String>, en: impl Into<String>) -> String {
        tr(self.lang, vi, en)
    }
}

/// A unit reference as written: a slug, or free text shown as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnitItem {
    /// The slug or the free text.
    pub target: String,
    /// True when `target` has the form of a slug and so must name a unit file.
    pub is_slug: bool,
    pub note: Option<String>,
    pub pos: Pos,
}

/// Reads one TOML table, remembering which keys were read so the rest can be reported.
pub struct Fields<'d, 'i> {
    doc: &'d SourceDoc<'d>,
    table: &'d DeTable<'i>,
    /// Where the table starts (for "missing key" messages).
    at: Pos,
    /// Name of the table for messages: "" for the top level, "award", "tasks", ...
    context: &'static str,
    known: &'static [&'static str],
    pub diags: Vec<Diagnostic>,
}

type Value<'i> = TomlSpanned<DeValue<'i>>;

impl<'d, 'i> Fields<'d, 'i> {
    pub fn new(
        doc: &'d SourceDoc<'d>,
        table: &'d DeTable<'i>,
        at: Pos,
        context: &'static str,
        known: &'static [&'static str],
    ) -> Fields<'d, 'i> {
        Fields {
            doc,
            table,
            at,
            context,
            known,
            diags: Vec::new(),
        }
    }

    pub fn doc(&self) -> &'d SourceDoc<'d> {
        self.doc
    }

    /// Where the table starts.
    pub fn at(&self) -> Pos {
        self.at
    }

    fn get(&self, key: &str) -> Option<&'d Value<'i>> {
        debug_assert!(self.known.contains(&key), "{key} is not a known key");
        self.table.get(key)
    }

    fn pos_of(&self, span: Range<usize>) -> Pos {
        self.doc.pos(span.start)
    }

    /// The position of a key's value, or of the table when the key is absent.
    pub fn pos(&self, key: &str) -> Pos {
        self.get(key).map_or(self.at, |v| self.pos_of(v.span()))
    }

    fn key_name(&self, key: &str) -> String {
        if self.context.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.context)
        }
    }

    fn wrong_type(&mut self, key: &str, span: Range<usize>, vi_type: &str, en_type: &str) {
        let name = self.key_name(key);
        let found = self
            .get(key)
            .map(|v| type_name(v.get_ref(), self.doc.lang))
            .unwrap_or_default();
        let d = self
            .doc
            .diag(
                self.pos_of(span),
                Severity::Error,
                self.doc.tr(
                    format!("`{name}` phải là {vi_type}, không phải {found}"),
                    format!("`{name}` must be {en_type}, not {found}"),
                ),
            )
            .with_help(self.doc.tr(
                format!("viết `{key} = {}`", example_for(vi_type)),
                format!("write `{key} = {}`", example_for(vi_type)),
            ));
        self.diags.push(d);
    }

    /// Reports an item of a list that has the wrong type.
    fn wrong_item(
        &mut self,
        key: &str,
        pos: Pos,
        found: &DeValue<'_>,
        vi_what: &str,
        en_what: &str,
    ) {
        let name = self.key_name(key);
        let found = type_name(found, self.doc.lang);
        let d = self.doc.diag(
            pos,
            Severity::Error,
            self.doc.tr(
                format!("mỗi mục của `{name}` phải là {vi_what}, không phải {found}"),
                format!("every item of `{name}` must be {en_what}, not {found}"),
            ),
        );
        self.diags.push(d);
    }

    /// Reports a missing required key.
    pub fn missing(&mut self, key: &str, help_vi: &str, help_en: &str) {
        let name = self.key_name(key);
        let d = self
            .doc
            .diag(
                self.at,
                Severity::Error,
                self.doc.tr(
                    format!("thiếu khóa bắt buộc `{name}`"),
                    format!("missing required key `{name}`"),
                ),
            )
            .with_help(self.doc.tr(help_vi, help_en));
        self.diags.push(d);
    }

    /// An optional string.
    pub fn string(&mut self, key: &str) -> Option<Located<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.trim().to_string(),
                pos: self.pos_of(v.span()),
            }),
            _ => {
                self.wrong_type(key, v.span(), "chuỗi văn bản", "a string");
                None
            }
        }
    }

    /// A required, non-empty string.
    pub fn required_string(&mut self, key: &str, example: &str) -> Option<Located<String>> {
        if self.get(key).is_none() {
            self.missing(
                key,
                &format!("thêm dòng `{key} = \"{example}\"`"),
                &format!("add the line `{key} = \"{example}\"`"),
            );
            return None;
        }
        let s = self.string(key)?;
        if s.value.is_empty() {
            let name = self.key_name(key);
            let d = self.doc.diag(
                s.pos,
                Severity::Error,
                self.doc.tr(
                    format!("`{name}` không được để trống"),
                    format!("`{name}` must not be empty"),
                ),
            );
            self.diags.push(d);
            return None;
        }
        Some(s)
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(key, v.span(), "true hoặc false", "true or false");
                None
            }
        }
    }

    pub fn integer(&mut self, key: &str) -> Option<Located<i64>> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => {
                i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok()
            }
            _ => None,
        };
        match parsed {
            Some(n) => Some(Located {
                value: n,
                pos: self.pos_of(v.span()),
            }),
            None => {
                self.wrong_type(key, v.span(), "số nguyên", "an integer");
                None
            }
        }
    }

    /// A date: a TOML date (`2023-02-14`), a TOML date-time (its date is used), or a string in
    /// the form `"2023-02-14"`. Impossible dates are reported.
    pub fn date(&mut self, key: &str) -> Option<Located<Date>> {
        let v = self.get(key)?;
        let pos = self.pos_of(v.span());
        let found = match v.get_ref() {
            DeValue::Datetime(dt) => dt.date.map(|d| (d.year as i32, d.month, d.day)),
            DeValue::String(s) => parse_ymd(s.trim()),
            _ => None,
        };
        let Some((y, m, d)) = found else {
            self.wrong_type(key, v.span(), "ngày", "a date");
            return None;
        };
        match Date::new(y, m, d) {
            Some(date) => Some(Located { value: date, pos }),
            None => {
                let name = self.key_name(key);
                let diag = self
                    .doc
                    .diag(
                        pos,
                        Severity::Error,
                        self.doc.tr(
                            format!("`{name}`: ngày {y:04}-{m:02}-{d:02} không tồn tại"),
                            format!("`{name}`: the date {y:04}-{m:02}-{d:02} does not exist"),
                        ),
                    )
                    .with_help(self.doc.tr(
                        "viết ngày có thật theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-02-14",
                        "write a real date as YEAR-MONTH-DAY, e.g. 2023-02-14",
                    ));
                self.diags.push(diag);
                None
            }
        }
    }

    fn array(&mut self, key: &str, vi: &str, en: &str) -> Option<&'d [Value<'i>]> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Array(items) => Some(&items[..]),
            _ => {
                self.wrong_type(key, v.span(), vi, en);
                None
            }
        }
    }

    /// A list of strings.
    pub fn string_list(&mut self, key: &str) -> Vec<Located<String>> {
        let Some(items) = self.array(key, "danh sách chuỗi", "a list of strings") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(Located {
                    value: s.trim().to_string(),
                    pos: self.pos_of(item.span()),
                }),
                other => {
                    let pos = self.pos_of(item.span());
                    self.wrong_item(key, pos, other, "chuỗi văn bản", "a string");
                }
            }
        }
        out
    }

    /// One unit reference: a slug or free text.
    pub fn unit(&mut self, key: &str) -> Option<UnitItem> {
        let s = self.string(key)?;
        Some(unit_item(s.value, None, s.pos))
    }

    /// A required unit reference.
    pub fn required_unit(&mut self, key: &str) -> Option<UnitItem> {
        if self.get(key).is_none() {
            self.missing(
                key,
                &format!("thêm `{key} = \"slug-don-vi\"` (tên tệp trong content/units/)"),
                &format!("add `{key} = \"unit-slug\"` (a file name in content/units/)"),
            );
            return None;
        }
        self.unit(key)
    }

    /// A list of unit references: strings, or tables `{ unit = "...", note = "..." }`.
    pub fn unit_list(&mut self, key: &str) -> Vec<UnitItem> {
        let Some(items) = self.array(key, "danh sách đơn vị", "a list of units") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let pos = self.pos_of(item.span());
            match item.get_ref() {
                DeValue::String(s) => out.push(unit_item(s.trim().to_string(), None, pos)),
                DeValue::Table(t) => {
                    let mut f = Fields::new(self.doc, t, pos, "", &["unit", "note"]);
                    let unit = f.required_string("unit", "slug-don-vi");
                    let note = f.string("note").map(|n| n.value);
                    self.diags.extend(f.finish());
                    if let Some(u) = unit {
                        out.push(unit_item(u.value, note, u.pos));
                    }
                }
                other => {
                    self.wrong_item(
                        key,
                        pos,
                        other,
                        "chuỗi hoặc bảng { unit = \"...\", note = \"...\" }",
                        "a string or a table { unit = \"...\", note = \"...\" }",
                    );
                }
            }
        }
        out
    }

    /// A sub-table (`[award]`, `signer = { ... }`).
    pub fn table(
        &mut self,
        key: &str,
        context: &'static str,
        known: &'static [&'static str],
    ) -> Option<Fields<'d, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Fields::new(
                self.doc,
                t,
                self.pos_of(v.span()),
                context,
                known,
            )),
            _ => {
                self.wrong_type(key, v.span(), "bảng", "a table");
                None
            }
        }
    }

    /// An array of tables (`[[tasks]]`, `attachments = [{...}]`).
    pub fn tables(
        &mut self,
        key: &str,
        context: &'static str,
        known: &'static [&'static str],
    ) -> Vec<Fields<'d, 'i>> {
        let Some(items) = self.array(key, "danh sách bảng", "a list of tables") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let pos = self.pos_of(item.span());
            match item.get_ref() {
                DeValue::Table(t) => out.push(Fields::new(self.doc, t, pos, context, known)),
                other => {
                    self.wrong_item(key, pos, other, "bảng", "a table");
                }
            }
        }
        out
    }

    /// Reports every key that was not one of the known keys, with the closest known key, and
    /// returns all diagnostics of this table.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let known = self.known;
        for (key, _) in self.table.iter() {
            let name: &str = key.get_ref();
            if known.contains(&name) {
                continue;
            }
            let pos = self.pos_of(key.span());
            let full = self.key_name(name);
            let mut d = self.doc.diag(
                pos,
                Severity::Error,
                self.doc.tr(
                    format!("khóa không xác định `{full}`"),
                    format!("unknown key `{full}`"),
                ),
            );
            d = match closest(name, known.iter().copied()) {
                Some(best) => d.with_help(self.doc.tr(
                    format!("có phải bạn muốn viết `{best}`?"),
                    format!("did you mean `{best}`?"),
                )),
                None => d.with_help(self.doc.tr(
                    format!("các khóa được phép: {}", known.join(", ")),
                    format!("allowed keys: {}", known.join(", ")),
                )),
            };
            self.diags.push(d);
        }
        self.diags
    }
}

fn unit_item(target: String, note: Option<String>, pos: Pos) -> UnitItem {
    let is_slug = crate::text::slug::is_slug(&target);
    UnitItem {
        target,
        is_slug,
        note,
        pos,
    }
}

fn parse_ymd(s: &str) -> Option<(i32, u8, u8)> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((
        s[0..4].parse().ok()?,
        s[5..7].parse().ok()?,
        s[8..10].parse().ok()?,
    ))
}

fn example_for(vi_type: &str) -> &'static str {
    match vi_type {
        "chuỗi văn bản" => "\"...\"",
        "true hoặc false" => "true",
        "số nguyên" => "1",
        "ngày" => "2023-02-14",
        "bảng" => "{ ... }",
        "danh sách bảng" => "[{ ... }]",
        _ => "[\"...\"]",
    }
}

/// The name of a TOML value's type, for messages.
pub fn type_name(v: &DeValue<'_>, lang: Lang) -> String {
    let (vi, en) = match v {
        DeValue::String(_) => ("chuỗi văn bản", "a string"),
        DeValue::Integer(_) => ("số nguyên", "an integer"),
        DeValue::Float(_) => ("số thực", "a float"),
        DeValue::Boolean(_) => ("giá trị đúng/sai", "a boolean"),
        DeValue::Datetime(_) => ("ngày giờ", "a date-time"),
        DeValue::Array(_) => ("danh sách", "a list"),
        DeValue::Table(_) => ("bảng", "a table"),
    };
    tr(lang, vi, en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_quoted_lines_match_an_index_of_every_line() {
        let text = "+++\ntitle = \"Kế hoạch\"\r\n\nsố = \"182/KH-GDĐT\"\n+++\nĐổi mới\r\nsáng tạo";
        let doc = SourceDoc::new("a.md", text, 4, Lang::Vi);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for offset in 0..=text.len() + 3 {
            let mut o = offset.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            let line = starts.partition_point(|&s| s <= o);
            let column = text[starts[line - 1]..o].chars().count() + 1;
            let want = Pos {
                line: line as u32,
                column: column as u32,
            };
            assert_eq!(doc.pos_in_file(offset), want, "offset {offset}");
        }
        assert_eq!(doc.line_text(2), "title = \"Kế hoạch\"");
        assert_eq!(doc.line_text(3), "");
        assert_eq!(doc.line_text(7), "sáng tạo");
        assert_eq!(doc.line_text(99), "");
        assert_eq!(doc.pos(0), Pos { line: 2, column: 1 });
    }
}
