//! Bytes to text as `json.loads` decodes them: `json.detect_encoding`, then
//! `bytes.decode(encoding, "surrogatepass")`, into WTF-8.

use std::borrow::Cow;
use std::fmt;

/// The codec `json.detect_encoding` picks for a `bytes` document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `utf-8`: no BOM, and no zero byte where json looks for one.
    Utf8,
    /// `utf-8-sig`: starts with the UTF-8 BOM, which decoding drops.
    Utf8Sig,
    /// `utf-16`: starts with a UTF-16 BOM, which decoding drops.
    Utf16,
    /// `utf-16-le`, told by its zero bytes.
    Utf16Le,
    /// `utf-16-be`, told by its zero bytes.
    Utf16Be,
    /// `utf-32`: starts with a UTF-32 BOM, which decoding drops.
    Utf32,
    /// `utf-32-le`, told by its zero bytes.
    Utf32Le,
    /// `utf-32-be`, told by its zero bytes.
    Utf32Be,
}

impl Encoding {
    /// The codec's name as `json.detect_encoding` returns it, for
    /// `bytes.decode(name, "surrogatepass")`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "utf-8",
            Self::Utf8Sig => "utf-8-sig",
            Self::Utf16 => "utf-16",
            Self::Utf16Le => "utf-16-le",
            Self::Utf16Be => "utf-16-be",
            Self::Utf32 => "utf-32",
            Self::Utf32Le => "utf-32-le",
            Self::Utf32Be => "utf-32-be",
        }
    }
}

/// `json.detect_encoding(data)`.
#[must_use]
pub fn detect_encoding(data: &[u8]) -> Encoding {
    if data.starts_with(&[0, 0, 0xFE, 0xFF]) || data.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Encoding::Utf32;
    }
    if data.starts_with(&[0xFE, 0xFF]) || data.starts_with(&[0xFF, 0xFE]) {
        return Encoding::Utf16;
    }
    if data.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Encoding::Utf8Sig;
    }
    match *data {
        [0, b1, _, _, ..] => {
            if b1 != 0 {
                Encoding::Utf16Be
            } else {
                Encoding::Utf32Be
            }
        }
        [_, 0, b2, b3, ..] => {
            if b2 != 0 || b3 != 0 {
                Encoding::Utf16Le
            } else {
                Encoding::Utf32Le
            }
        }
        [0, _] => Encoding::Utf16Be,
        [_, 0] => Encoding::Utf16Le,
        _ => Encoding::Utf8,
    }
}

/// Bytes that json's codec refuses: the fields of the `UnicodeDecodeError`
/// Python raises, `UnicodeDecodeError(encoding, object, start, end,
/// reason)`, where `object` is the document from byte `object_start` on
/// (`utf-8-sig` decodes what follows its BOM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The codec Python names in the error (`utf-8`, `utf-16-le`, ...).
    pub encoding: &'static str,
    /// Where the error's `object` starts in the document.
    pub object_start: usize,
    /// The refused bytes are `object[start..end]`.
    pub start: usize,
    /// End of the refused bytes in `object`.
    pub end: usize,
    /// Python's reason ("invalid start byte", "truncated data", ...).
    pub reason: &'static str,
    /// The first refused byte, for `Display`.
    byte: u8,
    /// How many bytes are refused, for `Display`.
    bytes: usize,
}

impl fmt::Display for DecodeError {
    /// Python's own message for the error.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.bytes == 1 {
            write!(
                f,
                "'{}' codec can't decode byte {:#04x} in position {}: {}",
                self.encoding, self.byte, self.start, self.reason
            )
        } else {
            write!(
                f,
                "'{}' codec can't decode bytes in position {}-{}: {}",
                self.encoding,
                self.start,
                self.end - 1,
                self.reason
            )
        }
    }
}

impl std::error::Error for DecodeError {}

/// The document as WTF-8, and whether it is valid UTF-8.
pub(super) fn decode(data: &[u8]) -> Result<(Cow<'_, [u8]>, bool), DecodeError> {
    match detect_encoding(data) {
        Encoding::Utf8 => utf8(data, 0),
        Encoding::Utf8Sig => utf8(&data[3..], 3),
        Encoding::Utf16 => {
            let little = data[0] == 0xFF;
            let name = if little { "utf-16-le" } else { "utf-16-be" };
            utf16(data, 2, little, name)
        }
        Encoding::Utf16Le => utf16(data, 0, true, "utf-16-le"),
        Encoding::Utf16Be => utf16(data, 0, false, "utf-16-be"),
        Encoding::Utf32 => {
            let little = data[0] == 0xFF;
            let name = if little { "utf-32-le" } else { "utf-32-be" };
            utf32(data, 4, little, name)
        }
        Encoding::Utf32Le => utf32(data, 0, true, "utf-32-le"),
        Encoding::Utf32Be => utf32(data, 0, false, "utf-32-be"),
    }
}

fn error(
    encoding: &'static str,
    object: &[u8],
    object_start: usize,
    start: usize,
    end: usize,
    reason: &'static str,
) -> DecodeError {
    DecodeError {
        encoding,
        object_start,
        start,
        end,
        reason,
        byte: object[start],
        bytes: end - start,
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// UTF-8 with `surrogatepass`: valid UTF-8, or WTF-8 (surrogates encoded
/// as 3 bytes), borrowed; else CPython's UTF-8 decoder's error.
fn utf8(data: &[u8], object_start: usize) -> Result<(Cow<'_, [u8]>, bool), DecodeError> {
    let mut at = match std::str::from_utf8(data) {
        Ok(_) => return Ok((Cow::Borrowed(data), true)),
        Err(err) => err.valid_up_to(),
    };
    let fail = |start: usize, end: usize, reason| {
        Err(error("utf-8", data, object_start, start, end, reason))
    };
    let invalid = "invalid continuation byte";
    let short = "unexpected end of data";
    while at < data.len() {
        // Where std stops, CPython's decoder also stops (the same bytes
        // are invalid); its reason and range follow stringlib/codecs.h.
        // A surrogate (ED A0..BF 80..BF) is what surrogatepass lets through.
        let rest = &data[at..];
        let c = rest[0];
        let n = rest.len();
        match c {
            0x00..=0x7F => {
                at += 1;
                continue;
            }
            0xC2..=0xDF => {
                if n < 2 {
                    return fail(at, data.len(), short);
                }
                if !is_continuation(rest[1]) {
                    return fail(at, at + 1, invalid);
                }
                at += 2;
                continue;
            }
            0xE0..=0xEF => {
                let second_ok = |b: u8| {
                    is_continuation(b) && !(c == 0xE0 && b < 0xA0) && !(c == 0xED && b >= 0xA0)
                };
                if n < 3 {
                    if n < 2 {
                        return fail(at, data.len(), short);
                    }
                    if !second_ok(rest[1]) {
                        return fail(at, at + 1, invalid);
                    }
                    return fail(at, data.len(), short);
                }
                if c == 0xED
                    && rest[1] >= 0xA0
                    && is_continuation(rest[1])
                    && is_continuation(rest[2])
                {
                    // A surrogate: surrogatepass decodes it.
                    at += 3;
                    continue;
                }
                if !second_ok(rest[1]) {
                    return fail(at, at + 1, invalid);
                }
                if !is_continuation(rest[2]) {
                    return fail(at, at + 2, invalid);
                }
                at += 3;
                continue;
            }
            0xF0..=0xF4 => {
                let second_ok = |b: u8| {
                    is_continuation(b) && !(c == 0xF0 && b < 0x90) && !(c == 0xF4 && b >= 0x90)
                };
                if n < 4 {
                    if n < 2 {
                        return fail(at, data.len(), short);
                    }
                    if !second_ok(rest[1]) {
                        return fail(at, at + 1, invalid);
                    }
                    if n < 3 {
                        return fail(at, data.len(), short);
                    }
                    if !is_continuation(rest[2]) {
                        return fail(at, at + 2, invalid);
                    }
                    return fail(at, data.len(), short);
                }
                if !second_ok(rest[1]) {
                    return fail(at, at + 1, invalid);
                }
                if !is_continuation(rest[2]) {
                    return fail(at, at + 2, invalid);
                }
                if !is_continuation(rest[3]) {
                    return fail(at, at + 3, invalid);
                }
                at += 4;
                continue;
            }
            _ => return fail(at, at + 1, "invalid start byte"),
        }
    }
    // Valid WTF-8 with at least one surrogate: the bytes are already the
    // text.
    Ok((Cow::Borrowed(data), false))
}

/// UTF-16 with `surrogatepass` (every code unit decodes; an odd last byte
/// is "truncated data"), from byte `skip` (past a BOM) on.
fn utf16(
    data: &[u8],
    skip: usize,
    little: bool,
    name: &'static str,
) -> Result<(Cow<'static, [u8]>, bool), DecodeError> {
    if !data.len().is_multiple_of(2) {
        let start = data.len() - 1;
        return Err(error(name, data, 0, start, data.len(), "truncated data"));
    }
    let units = data[skip..].chunks_exact(2).map(|pair| {
        if little {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    let mut out = Vec::with_capacity(data.len() - skip);
    let mut utf8 = true;
    let mut units = units.peekable();
    while let Some(unit) = units.next() {
        let mut code = u32::from(unit);
        if (0xD800..0xDC00).contains(&unit) {
            if let Some(&low) = units.peek() {
                if (0xDC00..0xE000).contains(&low) {
                    units.next();
                    code = 0x1_0000 + ((code - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                }
            }
        }
        if (0xD800..0xE000).contains(&code) {
            utf8 = false;
        }
        super::parse::push_wtf8(&mut out, code);
    }
    Ok((Cow::Owned(out), utf8))
}

/// UTF-32 with `surrogatepass` (surrogates decode; past U+10FFFF does not;
/// a partial last unit is "truncated data"), from byte `skip` on.
fn utf32(
    data: &[u8],
    skip: usize,
    little: bool,
    name: &'static str,
) -> Result<(Cow<'static, [u8]>, bool), DecodeError> {
    let mut out = Vec::with_capacity(data.len() - skip);
    let mut utf8 = true;
    let mut at = skip;
    while at + 4 <= data.len() {
        let unit = [data[at], data[at + 1], data[at + 2], data[at + 3]];
        let code = if little {
            u32::from_le_bytes(unit)
        } else {
            u32::from_be_bytes(unit)
        };
        if code > 0x10_FFFF {
            return Err(error(
                name,
                data,
                0,
                at,
                at + 4,
                "code point not in range(0x110000)",
            ));
        }
        if (0xD800..0xE000).contains(&code) {
            utf8 = false;
        }
        super::parse::push_wtf8(&mut out, code);
        at += 4;
    }
    if at != data.len() {
        return Err(error(name, data, 0, at, data.len(), "truncated data"));
    }
    Ok((Cow::Owned(out), utf8))
}
