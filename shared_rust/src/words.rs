//! `split`: the words of a text, as Python's `str.split()` finds them.

use std::iter::FusedIterator;
use std::ops::Range;

/// Whether `c` is whitespace as Python's `str.isspace()` says: Unicode's
/// `White_Space` (Rust's `char::is_whitespace`) and also U+001C to U+001F,
/// which CPython counts (its `Py_UNICODE_ISSPACE` follows the bidirectional
/// class B and S as well) and Rust does not.
///
/// ```
/// assert!(shared_rust::is_space('\u{1f}') && !'\u{1f}'.is_whitespace());
/// assert!(shared_rust::is_space('\u{3000}') && !shared_rust::is_space('\u{200b}'));
/// ```
#[must_use]
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// For each ASCII byte, whether it is whitespace: 9 to 13, 28 to 31 and 32
/// (the test below checks it against [`is_space`]). A table: most text is
/// ASCII, and one load per byte is the whole test.
const ASCII_SPACE: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(b, 9..=13 | 28..=32);
        b += 1;
    }
    table
};

/// The words of `text`, as `text.split()` gives them: each one borrowed from
/// `text`, in order.
///
/// ```
/// let words: Vec<&str> = shared_rust::split(" a\u{1f}b\u{3000}  crab\u{1f980} ").collect();
/// assert_eq!(words, ["a", "b", "crab\u{1f980}"]);
/// ```
#[must_use]
pub fn split(text: &str) -> Split<'_> {
    Split {
        spans: spans(text),
        text,
    }
}

/// Where the words of `text` are: the byte range of each in `text`, in order.
/// For callers that hand out offsets instead of strings (the C ABI).
///
/// ```
/// let spans: Vec<_> = shared_rust::spans("ab  é").collect();
/// assert_eq!(spans, [0..2, 4..6]);
/// ```
#[must_use]
pub fn spans(text: &str) -> Spans<'_> {
    #[cfg(hi_inject_bug = "panic")]
    crate::inject::panic_on(text.as_bytes());
    Spans {
        bytes: text.as_bytes(),
        at: 0,
    }
}

/// The iterator of [`spans`].
#[derive(Debug, Clone)]
pub struct Spans<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Spans<'_> {
    /// The length of the UTF-8 character that starts at `at`, and whether
    /// it is whitespace.
    fn step(&self, at: usize) -> (usize, bool) {
        let b = self.bytes[at];
        if b < 0x80 {
            return (1, ASCII_SPACE[usize::from(b)]);
        }
        // The bytes are a &str's and `at` a character boundary: a lead byte
        // says how long its character is.
        let len = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            _ => 4,
        };
        let c = std::str::from_utf8(&self.bytes[at..at + len])
            .ok()
            .and_then(|s| s.chars().next())
            .expect("a &str holds whole characters");
        (len, is_space(c))
    }
}

impl Iterator for Spans<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let end = self.bytes.len();
        let mut at = self.at;
        // Skip whitespace; the word starts at the first other character.
        let start = loop {
            if at >= end {
                self.at = end;
                return None;
            }
            let (len, space) = self.step(at);
            if !space {
                break at;
            }
            at += len;
        };
        while at < end {
            let (len, space) = self.step(at);
            if space {
                self.at = at + len;
                return Some(start..at);
            }
            at += len;
        }
        self.at = end;
        Some(start..end)
    }
}

impl FusedIterator for Spans<'_> {}

/// The iterator of [`split`].
#[derive(Debug, Clone)]
pub struct Split<'a> {
    spans: Spans<'a>,
    text: &'a str,
}

impl<'a> Iterator for Split<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.spans.next().map(|span| &self.text[span])
    }
}

impl FusedIterator for Split<'_> {}

/// Where the words of `text` are, counted in characters (Unicode scalar
/// values) rather than bytes: for callers whose strings index by character,
/// as Python's `str` does, so that `text[a:b]` there is the word.
///
/// ```
/// let spans: Vec<_> = shared_rust::char_spans("ab  é🦀 x").collect();
/// assert_eq!(spans, [0..2, 4..6, 7..8]);
/// ```
#[must_use]
pub fn char_spans(text: &str) -> CharSpans<'_> {
    CharSpans {
        spans: spans(text),
        bytes: text.as_bytes(),
        byte: 0,
        char: 0,
    }
}

/// The iterator of [`char_spans`].
#[derive(Debug, Clone)]
pub struct CharSpans<'a> {
    spans: Spans<'a>,
    bytes: &'a [u8],
    /// A byte offset already reached, and the characters before it.
    byte: usize,
    char: usize,
}

impl CharSpans<'_> {
    /// The character offset of the byte offset `to`, at or after `self.byte`.
    fn advance(&mut self, to: usize) -> usize {
        // Every byte but a UTF-8 continuation byte (0b10xx_xxxx) starts a character.
        let starts = self.bytes[self.byte..to]
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        self.byte = to;
        self.char += starts;
        self.char
    }
}

impl Iterator for CharSpans<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let span = self.spans.next()?;
        let start = self.advance(span.start);
        Some(start..self.advance(span.end))
    }
}

impl FusedIterator for CharSpans<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn space_is_pythons_isspace() {
        // Every code point str.isspace() is true for (CPython 3.11 to 3.15).
        let python: Vec<u32> = [
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000,
            0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028,
            0x2029, 0x202F, 0x205F, 0x3000,
        ]
        .into();
        let ours: Vec<u32> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_space(c))
            .map(u32::from)
            .collect();
        assert_eq!(ours, python);
    }

    #[test]
    fn the_ascii_table_is_is_space() {
        for b in 0..128_u8 {
            assert_eq!(
                ASCII_SPACE[usize::from(b)],
                is_space(char::from(b)),
                "byte {b}"
            );
        }
    }

    #[test]
    fn split_is_str_split() {
        for (text, words) in [
            ("", &[][..]),
            ("   ", &[]),
            ("a", &["a"]),
            (" a  b ", &["a", "b"]),
            ("a\u{1c}b\u{1d}c\u{1e}d\u{1f}e", &["a", "b", "c", "d", "e"]),
            ("\u{85}x\u{a0}y\u{3000}", &["x", "y"]),
            ("zero\u{200b}width", &["zero\u{200b}width"]),
            ("🦀 é\0x", &["🦀", "é\0x"]),
        ] {
            assert_eq!(split(text).collect::<Vec<_>>(), words, "text {text:?}");
        }
    }

    #[test]
    fn char_spans_index_characters() {
        for text in [
            "",
            " ",
            "a",
            " é  🦀x y\u{3000}z ",
            "\u{85}ü\u{a0}\u{10ffff}",
        ] {
            let chars: Vec<char> = text.chars().collect();
            let words: Vec<String> = char_spans(text)
                .map(|span| chars[span].iter().collect())
                .collect();
            assert_eq!(words, split(text).collect::<Vec<_>>(), "text {text:?}");
        }
    }

    #[test]
    fn spans_are_byte_ranges() {
        let text = "é  🦀x y";
        let spans: Vec<_> = spans(text).collect();
        assert_eq!(spans, [0..2, 4..9, 10..11]);
        assert_eq!(&text[4..9], "🦀x");
    }
}
