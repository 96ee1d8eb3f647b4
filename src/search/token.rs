//! Vietnamese tokenising and folding for the search index; `search.js` mirrors it rule for rule.
//!
//! The text is NFC; a token is a maximal run of letters, digits and combining marks, lowercased
//! (its *exact* form); its *folded* form drops tone and vowel marks (NFD, remove U+0300..U+036F,
//! NFC) and maps `đ` to `d`. A document number (`182/KH-GDĐT`, `27/KH- UBND`, `30/2020/NĐ-CP`)
//! is recognised as one token besides its parts. Separators other than spaces, tabs, `-` and `/`
//! break syllable pairs (a comma, a full stop, a newline).

use super::classify::{masks, BLOCK};
use std::borrow::Cow;
use std::sync::OnceLock;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// A token char: Alphabetic, Numeric or a combining mark (`[\p{Alphabetic}\p{N}\p{M}]` in JS).
pub(crate) fn is_token_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        // The General Punctuation block (dashes, curly quotes, the ellipsis, bullets): common
        // in Vietnamese text, and none of them a token char.
        '\u{2000}'..='\u{206f}' => false,
        // Latin and the Vietnamese letters: from the table of chars (the Unicode tables' own
        // lookup is a binary search, 0.7 % of a build's instructions for these chars).
        _ => match table_index(c as u32) {
            Some(i) => table().get(i).is_some_and(|info| info.token),
            None => is_token_char_by_rule(c),
        },
    }
}

/// [`is_token_char`] by the Unicode rule alone.
fn is_token_char_by_rule(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// A separator that keeps two syllables a pair ("đổi mới", "KH-GDĐT", "a/b").
pub(crate) fn is_soft_separator(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '-' | '/')
}

/// NFC of `s`, borrowed when it already is.
pub(crate) fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// The exact form of a token: NFC, lowercase, NFC.
pub(crate) fn exact_form(s: &str) -> String {
    let lower = nfc(s).to_lowercase();
    nfc(&lower).into_owned()
}

/// The folded form of an exact (lowercase NFC) form: NFD, strip U+0300..U+036F, `đ` -> `d`, NFC.
pub(crate) fn fold_exact(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let stripped: String = s
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect();
    stripped.nfc().collect()
}

/// Folds any text the way the index does: `fold_exact(exact_form(s))`.
pub fn fold(s: &str) -> String {
    fold_exact(&exact_form(s))
}

/// The chars [`table`] holds: Latin up to U+024F and the Vietnamese letters' block
/// (U+1E00..U+1EFF). Any other char sends its word to the general path (`complex`): building
/// the table for every char below U+2000 took about 15 M instructions, once per process,
/// while the first run of the tokeniser waited for it.
const LATIN_END: u32 = 0x250;
const EXTENDED: std::ops::Range<u32> = 0x1e00..0x1f00;
const REMOVED: char = '\0';

/// The index of `u` in [`table`], if it has one.
#[inline(always)]
fn table_index(u: u32) -> Option<usize> {
    if u < LATIN_END {
        Some(u as usize)
    } else if EXTENDED.contains(&u) {
        Some((LATIN_END + u - EXTENDED.start) as usize)
    } else {
        None
    }
}

#[derive(Clone, Copy)]
struct CharInfo {
    /// A token char, by [`is_token_char_by_rule`].
    token: bool,
    /// Needs the general (whole-token) path: multi-char lowercase or fold, or an unusual mark.
    complex: bool,
    lower: char,
    fold: char,
}

fn table() -> &'static [CharInfo] {
    static TABLE: OnceLock<Vec<CharInfo>> = OnceLock::new();
    TABLE.get_or_init(|| (0..LATIN_END).chain(EXTENDED).map(char_info).collect())
}

/// What [`table`] holds of a char.
fn char_info(u: u32) -> CharInfo {
    let Some(c) = char::from_u32(u) else {
        return CharInfo {
            token: false,
            complex: true,
            lower: '\0',
            fold: '\0',
        };
    };
    let token = is_token_char_by_rule(c);
    let lower: Vec<char> = c.to_lowercase().collect();
    if lower.len() != 1 {
        return CharInfo {
            token,
            complex: true,
            lower: c,
            fold: c,
        };
    }
    let l = lower[0];
    if ('\u{300}'..='\u{36f}').contains(&l) {
        // A mark outside NFC: the token takes the general path (NFC first).
        return CharInfo {
            token,
            complex: true,
            lower: l,
            fold: REMOVED,
        };
    }
    if is_combining_mark(l) {
        return CharInfo {
            token,
            complex: true,
            lower: l,
            fold: l,
        };
    }
    let f: Vec<char> = fold_exact(&l.to_string()).chars().collect();
    let nfc_same = l.to_string().nfc().eq(std::iter::once(l));
    match (f.len(), nfc_same) {
        (1, true) => CharInfo {
            token,
            complex: false,
            lower: l,
            fold: f[0],
        },
        _ => CharInfo {
            token,
            complex: true,
            lower: l,
            fold: l,
        },
    }
}

/// A token event from [`tokenize`].
pub(crate) enum Event<'a> {
    /// A syllable (or any word). `pair` is true when it forms a pair with the previous word.
    Word {
        exact: &'a str,
        folded: &'a str,
        pair: bool,
        start: usize,
        end: usize,
    },
    /// A document number: the whole normalised token.
    Number {
        exact: &'a str,
        folded: &'a str,
        start: usize,
        end: usize,
    },
}

/// A raw event from [`NumScanner::scan`]: a word as it stands in the text, or a number.
pub(crate) enum Raw<'a> {
    /// A run of token chars, not yet lowercased or folded. `pair` is true when it forms a pair
    /// with the previous word.
    Word {
        raw: &'a str,
        pair: bool,
        start: usize,
        end: usize,
    },
    /// A document number: the whole normalised token; `cuts` are (exact, folded) byte lengths of
    /// its prefixes at part boundaries ("182/kh", "182/kh-gddt"); the last cut is the whole.
    /// (The index builder takes the cuts from [`NumScanner::number`]; the tests read them here.)
    Number {
        exact: &'a str,
        folded: &'a str,
        #[cfg_attr(not(test), allow(dead_code))]
        cuts: &'a [(usize, usize)],
        start: usize,
        end: usize,
    },
}

/// Reusable buffers for [`Tokenizer::tokenize`].
#[derive(Default)]
pub(crate) struct Tokenizer {
    exact: String,
    folded: String,
    num: NumScanner,
}

/// The scanner proper, with the buffers of document numbers.
#[derive(Default)]
pub(crate) struct NumScanner {
    num_exact: String,
    num_folded: String,
    cuts: Vec<(usize, usize)>,
}

/// Lowercase and folded forms of a raw word (a run of token chars), into the buffers.
pub(crate) fn word_forms(raw: &str, exact: &mut String, folded: &mut String) {
    let table = table();
    exact.clear();
    folded.clear();
    let mut complex = false;
    for c in raw.chars() {
        if c.is_ascii() {
            let l = c.to_ascii_lowercase();
            exact.push(l);
            folded.push(l);
        } else if let Some(info) = table_index(c as u32).and_then(|i| table.get(i)) {
            complex |= info.complex;
            exact.push(info.lower);
            if info.fold != REMOVED {
                folded.push(info.fold);
            }
        } else {
            complex = true;
        }
    }
    if complex {
        *exact = exact_form(raw);
        *folded = fold_exact(exact);
    }
}

impl Tokenizer {
    /// Tokenises NFC text, calling `f` for every number and word, in text order (a number comes
    /// before the words it consists of).
    pub(crate) fn tokenize(&mut self, text: &str, mut f: impl FnMut(Event<'_>)) {
        let (exact, folded) = (&mut self.exact, &mut self.folded);
        self.num.scan(text, |e| match e {
            Raw::Word {
                raw,
                pair,
                start,
                end,
            } => {
                word_forms(raw, exact, folded);
                if folded.is_empty() {
                    return false;
                }
                f(Event::Word {
                    exact,
                    folded,
                    pair,
                    start,
                    end,
                });
                true
            }
            Raw::Number {
                exact,
                folded,
                start,
                end,
                ..
            } => {
                f(Event::Number {
                    exact,
                    folded,
                    start,
                    end,
                });
                false
            }
        });
    }
}

impl NumScanner {
    /// Splits NFC text into raw words and numbers, in text order (a number comes before the
    /// words it consists of). `f` returns, for a word, whether it counts as a word (a non-empty
    /// folded form), which makes it the first of a pair with the next one.
    ///
    /// Words are the runs of word bytes of [`scan_runs`], split by [`split_run`] (a run that is
    /// one word gives that word).
    #[inline]
    pub(crate) fn scan(&mut self, text: &str, mut f: impl FnMut(Raw<'_>) -> bool) {
        let mut pair = false;
        // No number starts inside another ("2020/NĐ-CP" inside "30/2020/NĐ-CP").
        let mut num_end = 0;
        scan_runs(text.as_bytes(), |start, end, hard| {
            if hard {
                pair = false;
            }
            split_run(text, start, end, |p| match p {
                Piece::Word(s, e) => self.word(text, s, e, &mut pair, &mut num_end, &mut f),
                Piece::Hard => pair = false,
            });
        });
    }

    /// Gives `f` the word `start..end`, after the number it starts, if any; when it counts as a
    /// word, it is the first of a pair with the next one.
    #[inline(always)]
    fn word(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        pair: &mut bool,
        num_end: &mut usize,
        f: &mut impl FnMut(Raw<'_>) -> bool,
    ) {
        if text.as_bytes().get(start).is_some_and(u8::is_ascii_digit) {
            self.number_at(text, start, num_end, f);
        }
        if f(Raw::Word {
            raw: text.get(start..end).unwrap_or_default(),
            pair: *pair,
            start,
            end,
        }) {
            *pair = true;
        }
    }

    /// The document number at `start` (a word starting with an ASCII digit), if there is one
    /// and it does not start inside the number before it, ending at `num_end`: its exact and
    /// folded forms and its cuts (see [`Raw::Number`]).
    #[inline]
    #[allow(clippy::type_complexity)]
    pub(crate) fn number(
        &mut self,
        text: &str,
        start: usize,
        num_end: &mut usize,
    ) -> Option<(&str, &str, &[(usize, usize)])> {
        if start < *num_end {
            return None;
        }
        let end = self.scan_number(text, start)?;
        *num_end = end;
        Some((&self.num_exact, &self.num_folded, &self.cuts))
    }

    /// Gives `f` the document number at `start` (a word starting with an ASCII digit), if there
    /// is one and it does not start inside the number before it, ending at `num_end` ("2020/NĐ-CP"
    /// inside "30/2020/NĐ-CP").
    #[inline(always)]
    fn number_at(
        &mut self,
        text: &str,
        start: usize,
        num_end: &mut usize,
        f: &mut impl FnMut(Raw<'_>) -> bool,
    ) {
        if let Some((exact, folded, cuts)) = self.number(text, start, num_end) {
            f(Raw::Number {
                exact,
                folded,
                cuts,
                start,
                end: *num_end,
            });
        }
    }

    /// Scans a document number at `start` (an ASCII digit not preceded by a token char):
    /// `\d+( ?/ ?P((-|- | -)P)*)+` with `P` a run of token chars. Fills the number buffers.
    fn scan_number(&mut self, text: &str, start: usize) -> Option<usize> {
        let b = text.as_bytes();
        let at = |k: usize| b.get(k).copied();
        let tok_at = |k: usize| k < b.len() && is_token_char(next_char(text, k));
        let mut i = start;
        while at(i).is_some_and(|x| x.is_ascii_digit()) {
            i += 1;
        }
        // Digits followed by letters ("12a") are no number.
        if tok_at(i) {
            return None;
        }
        self.num_exact.clear();
        self.num_exact.push_str(&text[start..i]);
        self.cuts.clear();
        let mut groups = 0;
        loop {
            // slash group
            let mut j = i;
            if at(j) == Some(b' ') && at(j + 1) == Some(b'/') {
                j += 1;
            }
            if at(j) != Some(b'/') {
                break;
            }
            j += 1;
            if !tok_at(j) && at(j) == Some(b' ') && tok_at(j + 1) {
                j += 1;
            }
            if !tok_at(j) {
                break;
            }
            self.num_exact.push('/');
            i = self.push_part(text, j);
            groups += 1;
            self.cuts.push((self.num_exact.len(), 0));
            // dash groups
            loop {
                let spaced = (at(i) == Some(b'-') && at(i + 1) == Some(b' '))
                    || (at(i) == Some(b' ') && at(i + 1) == Some(b'-'));
                let k = if at(i) == Some(b'-') && tok_at(i + 1) {
                    i + 1
                } else if spaced && tok_at(i + 2) {
                    i + 2
                } else {
                    break;
                };
                self.num_exact.push('-');
                i = self.push_part(text, k);
                self.cuts.push((self.num_exact.len(), 0));
            }
        }
        if groups == 0 {
            return None;
        }
        if !self.num_exact.is_ascii() {
            let e = exact_form(&self.num_exact);
            self.num_exact = e;
        }
        self.num_folded = fold_exact(&self.num_exact);
        // Cut positions: each cut ends at a '/' or '-' boundary or the end; map by counting
        // separators, which survive normalisation and folding unchanged.
        let seps_e: Vec<usize> = sep_positions(&self.num_exact);
        let seps_f: Vec<usize> = sep_positions(&self.num_folded);
        let n = self.cuts.len();
        for (k, cut) in self.cuts.iter_mut().enumerate() {
            if k + 1 == n {
                *cut = (self.num_exact.len(), self.num_folded.len());
            } else {
                *cut = (seps_e[k + 1], seps_f[k + 1]);
            }
        }
        Some(i)
    }

    fn push_part(&mut self, text: &str, mut j: usize) -> usize {
        while j < text.len() {
            let c = next_char(text, j);
            if !is_token_char(c) {
                break;
            }
            for l in c.to_lowercase() {
                self.num_exact.push(l);
            }
            j += c.len_utf8();
        }
        j
    }
}

fn sep_positions(s: &str) -> Vec<usize> {
    s.char_indices()
        .filter(|&(_, c)| c == '/' || c == '-')
        .map(|(i, _)| i)
        .collect()
}

/// Calls `run(start, end, hard)` for every maximal run of word bytes of `bytes` (see
/// [`masks`]: ASCII letters and digits, and every byte from 0x80 up), in order; `hard` is true
/// when a pair-breaking ASCII separator lies between the run and the one before it (or the
/// text's start). A run is whole chars.
///
/// The runs are found from each block's masks of their first bytes and of the bytes just after
/// them with `trailing_zeros`, so a boundary costs no mispredicted branch.
#[inline(always)]
pub(crate) fn scan_runs(bytes: &[u8], mut run: impl FnMut(usize, usize, bool)) {
    // A run that goes on into the next block: its start, and whether it follows a hard break.
    let mut open: Option<(usize, bool)> = None;
    // The word mask of the block before (its top bit: the block ended inside a run).
    let mut carry = 0u64;
    // A hard separator since the last run, in the blocks before.
    let mut hard_before = false;
    let mut base = 0;
    while base < bytes.len() {
        let (word, hard) = masks(bytes, base);
        let before = word << 1 | carry >> 63;
        let mut starts = word & !before;
        let mut ends = !word & before;
        // Where the gap before the next run starts in this block.
        let mut gap_from = 0;
        if let Some((start, h)) = open {
            if ends == 0 {
                // The run goes on through this block.
                carry = word;
                base += BLOCK;
                continue;
            }
            let e = ends.trailing_zeros();
            ends &= ends - 1;
            run(start, base + e as usize, h);
            open = None;
            gap_from = e;
        }
        while starts != 0 {
            let s = starts.trailing_zeros();
            starts &= starts - 1;
            // The bits `gap_from..s` (both below 64, `gap_from` ≤ `s`).
            let h = hard_before || hard & ((1u64 << s) - (1u64 << gap_from)) != 0;
            hard_before = false;
            if ends == 0 {
                open = Some((base + s as usize, h));
                break;
            }
            let e = ends.trailing_zeros();
            ends &= ends - 1;
            run(base + s as usize, base + e as usize, h);
            gap_from = e;
        }
        if open.is_none() && hard >> gap_from != 0 {
            hard_before = true;
        }
        carry = word;
        base += BLOCK;
    }
    if let Some((start, h)) = open {
        run(start, bytes.len(), h);
    }
}

/// Whether a run of word bytes is one word: all its chars are token chars (true of every
/// Vietnamese syllable).
#[inline]
pub(crate) fn is_one_word(run: &str) -> bool {
    run.is_ascii() || run.chars().all(is_token_char)
}

/// A piece of a run of word bytes, by the plain char rule ([`split_run`]).
pub(crate) enum Piece {
    /// A word: a maximal run of token chars, `start..end` in the text.
    Word(usize, usize),
    /// A separator that breaks a syllable pair.
    Hard,
}

/// Splits the run `start..end` of `text` into words and the pair-breaking separators between
/// them, in order (soft separators, such as a no-break space, are left out).
pub(crate) fn split_run(text: &str, start: usize, end: usize, mut f: impl FnMut(Piece)) {
    let mut word: Option<usize> = None;
    for (i, c) in text.get(start..end).unwrap_or_default().char_indices() {
        if is_token_char(c) {
            word.get_or_insert(start + i);
            continue;
        }
        if let Some(s) = word.take() {
            f(Piece::Word(s, start + i));
        }
        if !is_soft_separator(c) {
            f(Piece::Hard);
        }
    }
    if let Some(s) = word {
        f(Piece::Word(s, end));
    }
}

#[inline]
fn next_char(text: &str, i: usize) -> char {
    // `i` is always a char boundary here.
    text[i..].chars().next().unwrap_or('\0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_chars_by_table_agree_with_the_unicode_rule() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            assert_eq!(
                is_token_char(c),
                is_token_char_by_rule(c),
                "U+{:04X}",
                c as u32
            );
        }
    }

    impl NumScanner {
        /// The scanner as a plain loop over chars: the rule [`NumScanner::scan`] follows.
        fn scan_reference(&mut self, text: &str, mut f: impl FnMut(Raw<'_>) -> bool) {
            let mut i = 0;
            let mut pair = false;
            let mut num_end = 0;
            while i < text.len() {
                let c = next_char(text, i);
                if !is_token_char(c) {
                    if !is_soft_separator(c) {
                        pair = false;
                    }
                    i += c.len_utf8();
                    continue;
                }
                let start = i;
                if c.is_ascii_digit() {
                    self.number_at(text, start, &mut num_end, &mut f);
                }
                while i < text.len() && is_token_char(next_char(text, i)) {
                    i += next_char(text, i).len_utf8();
                }
                if f(Raw::Word {
                    raw: &text[start..i],
                    pair,
                    start,
                    end: i,
                }) {
                    pair = true;
                }
            }
        }
    }

    /// The events of a scan, as text; a word counts (makes a pair with the next) unless it is
    /// a lone combining mark, as in the index.
    fn scan_events(s: &str, reference: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut f = |e: Raw<'_>| match e {
            Raw::Word {
                raw,
                pair,
                start,
                end,
            } => {
                out.push(format!("w {raw} {pair} {start} {end}"));
                !raw.chars().all(is_combining_mark)
            }
            Raw::Number {
                exact,
                folded,
                cuts,
                start,
                end,
            } => {
                out.push(format!("n {exact} {folded} {cuts:?} {start} {end}"));
                false
            }
        };
        let mut scanner = NumScanner::default();
        if reference {
            scanner.scan_reference(s, &mut f);
        } else {
            scanner.scan(s, &mut f);
        }
        out
    }

    #[test]
    fn the_block_scanner_follows_the_plain_rule() {
        let samples = [
            "Kế hoạch số 182/KH-GDĐT ngày 15/3/2024 của Phòng GDĐT huyện Nhà Bè về “đổi mới \
             sáng tạo” – năm học 2024–2025… Căn cứ Nghị định 30/2020/NĐ-CP; 27/KH- UBND, 5 / KH.",
            "Tie\u{302}\u{301}ng Vie\u{323}\u{302}t\u{a0}mới \u{301}\u{301} a\tb-c/d 3×4÷2 𝒜𝒷 漢字 😀 12a 8182/KH",
        ];
        let pieces: Vec<char> = "aăâđêôơưáàảãạếềểễệ AĐ09 \t\n-/.,;:“”–…\u{a0}\u{301}×😀漢"
            .chars()
            .collect();
        // A word longer than a block (it goes on through a whole block), between pairs.
        let long = format!("đổi mới {} sáng tạo, {}", "ê".repeat(70), "ab".repeat(80));
        let mut texts: Vec<String> = Vec::new();
        for t in samples.iter().copied().chain([long.as_str()]) {
            for pad in 0..70 {
                texts.push(format!(
                    "{}{t}",
                    "x ".repeat(pad / 2) + &"y".repeat(pad % 2)
                ));
            }
        }
        // Pseudo-random strings of the pieces (a fixed LCG: the same strings every run).
        let mut next = crate::testing::lcg(0x2545_f491_4f6c_dd1d);
        for len in 0..400 {
            let mut s = String::new();
            for _ in 0..len {
                s.push(pieces[next() % pieces.len()]);
            }
            texts.push(s);
        }
        for t in &texts {
            assert_eq!(scan_events(t, false), scan_events(t, true), "{t:?}");
        }
    }

    fn words(s: &str) -> Vec<(String, String, bool)> {
        let mut out = Vec::new();
        Tokenizer::default().tokenize(s, |e| {
            if let Event::Word {
                exact,
                folded,
                pair,
                ..
            } = e
            {
                out.push((exact.to_string(), folded.to_string(), pair));
            }
        });
        out
    }

    fn numbers(s: &str) -> Vec<(String, Vec<String>)> {
        let mut out = Vec::new();
        NumScanner::default().scan(s, |e| {
            if let Raw::Number {
                folded,
                cuts,
                exact,
                ..
            } = e
            {
                out.push((
                    exact.to_string(),
                    cuts.iter().map(|&(_, f)| folded[..f].to_string()).collect(),
                ));
            }
            true
        });
        out
    }

    /// The table's fast path gives every word the forms of the general one, for every char
    /// below U+3000 and some beyond, alone and inside a word (lowercase and upper).
    #[test]
    fn word_forms_agree_with_the_general_rule() {
        let (mut e, mut f) = (String::new(), String::new());
        for u in (0x20..0x3000u32)
            .chain(0xa000..0xa100)
            .chain(0x1f600..0x1f640)
        {
            let Some(c) = char::from_u32(u) else {
                continue;
            };
            for w in [
                c.to_string(),
                format!("a{c}"),
                format!("Đ{c}x"),
                format!("{c}ếT"),
            ] {
                word_forms(&w, &mut e, &mut f);
                let exact = exact_form(&w);
                assert_eq!(
                    (e.as_str(), f.as_str()),
                    (exact.as_str(), fold_exact(&exact).as_str()),
                    "{w:?}"
                );
            }
        }
    }

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Đổi mới sáng tạo"), "doi moi sang tao");
        assert_eq!(fold("ĐÀO TẠO"), "dao tao");
        assert_eq!(fold("đường"), "duong");
        assert_eq!(fold("Trường học xanh"), "truong hoc xanh");
        // NFD input (as Word and macOS produce it)
        let nfd: String = "Đào tạo Nhà Bè".nfd().collect();
        assert_eq!(fold(&nfd), "dao tao nha be");
        assert_eq!(exact_form(&nfd), "đào tạo nhà bè");
        assert_eq!(fold("GDĐT"), "gddt");
    }

    #[test]
    fn syllables_and_pairs() {
        let w = words("Đổi mới, sáng tạo-STEM\nRobot");
        let got: Vec<(&str, &str, bool)> = w
            .iter()
            .map(|(e, f, p)| (e.as_str(), f.as_str(), *p))
            .collect();
        assert_eq!(
            got,
            vec![
                ("đổi", "doi", false),
                ("mới", "moi", true),
                ("sáng", "sang", false),
                ("tạo", "tao", true),
                ("stem", "stem", true),
                ("robot", "robot", false),
            ]
        );
    }

    #[test]
    fn nfd_words_fold_like_nfc() {
        let nfd: String = "Phòng Giáo dục và Đào tạo".nfd().collect();
        let nfc_text: String = nfd.nfc().collect();
        assert_eq!(words(&nfc_text), words(&nfc(&nfd)));
        assert_eq!(words(&nfc_text), words(&nfd));
        assert_eq!(words(&nfc_text)[4].1, "dao");
    }

    #[test]
    fn document_numbers_whole_and_parts() {
        let n = numbers("Căn cứ Kế hoạch số 182/KH-GDĐT ngày 14.");
        assert_eq!(
            n,
            vec![(
                "182/kh-gdđt".into(),
                vec!["182/kh".into(), "182/kh-gddt".into()]
            )]
        );
        let n = numbers("theo 27/KH- UBND và 30/2020/NĐ-CP, 1234 /QĐ-UBND");
        assert_eq!(n[0].0, "27/kh-ubnd");
        assert_eq!(n[1].1, vec!["30/2020", "30/2020/nd", "30/2020/nd-cp"]);
        assert_eq!(n[2].0, "1234/qđ-ubnd");
        // parts are words too
        let w: Vec<String> = words("182/KH-GDĐT").into_iter().map(|x| x.1).collect();
        assert_eq!(w, vec!["182", "kh", "gddt"]);
        // not numbers
        assert!(numbers("năm 2023, 12a/b, lớp 5 - 6, 182/ ").is_empty());
        // a spaced dash on both sides ends the number
        assert_eq!(numbers("182/KH-GDĐT - Phòng")[0].0, "182/kh-gdđt");
    }
}
