//! The parser: JSON text as json's C scanner (`_json.c`) reads it, driving a
//! [`Builder`], with its own stack instead of recursion.

use super::{decode, LoadError, SyntaxError, TooDeep};

/// What the parser hands a binding, innermost value first: each call makes
/// one value of the binding's own kind. A list or dict is made when its
/// closing bracket is read, from the values made for its items.
pub trait Builder {
    /// The binding's value (a Python object, a node of a flat encoding).
    type Value;
    /// The binding's own error, passed through as [`LoadError::Builder`].
    type Error;
    /// `null`.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn null(&mut self) -> Result<Self::Value, Self::Error>;
    /// `true` or `false`.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn bool(&mut self, v: bool) -> Result<Self::Value, Self::Error>;
    /// An integer that fits in `i64`.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn int(&mut self, v: i64) -> Result<Self::Value, Self::Error>;
    /// An integer past `i64`, as written: an optional `-` and digits, with
    /// no leading zero. Python makes it with `int(decimal)`, whose digit
    /// limit then applies as in json.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn big_int(&mut self, decimal: &str) -> Result<Self::Value, Self::Error>;
    /// A number with a fraction or an exponent (`1e400` is infinite), or
    /// `NaN`, `Infinity`, `-Infinity`.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn float(&mut self, v: f64) -> Result<Self::Value, Self::Error>;
    /// A string value, escapes decoded: WTF-8, valid UTF-8 if `utf8`.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn str(&mut self, wtf8: &[u8], utf8: bool) -> Result<Self::Value, Self::Error>;
    /// A dict key, as [`Builder::str`] (a binding may cache repeated keys).
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn key(&mut self, wtf8: &[u8], utf8: bool) -> Result<Self::Value, Self::Error>;
    /// An array of the values made for its items, in order.
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn list(&mut self, items: Items<'_, Self::Value>) -> Result<Self::Value, Self::Error>;
    /// An object of the keys and values made for its members, in the order
    /// written, duplicates included (json keeps the last value, at the
    /// first key's place, as a Python dict's inserts do).
    ///
    /// # Errors
    ///
    /// The builder's own.
    fn dict(&mut self, pairs: Pairs<'_, Self::Value>) -> Result<Self::Value, Self::Error>;
}

/// An array's items, taken from the parser's stack: an exact-size iterator,
/// so a list can be made at its length.
pub type Items<'a, V> = std::vec::Drain<'a, V>;

/// An object's members as `(key, value)`, taken from the parser's stack.
pub struct Pairs<'a, V> {
    values: std::vec::Drain<'a, V>,
}

impl<V> Iterator for Pairs<'_, V> {
    type Item = (V, V);

    fn next(&mut self) -> Option<(V, V)> {
        let key = self.values.next()?;
        let value = self.values.next()?;
        Some((key, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.values.len() / 2;
        (n, Some(n))
    }
}

impl<V> ExactSizeIterator for Pairs<'_, V> {}

/// How json reads, where it depends on the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// The deepest nesting of arrays and objects accepted; deeper is
    /// [`LoadError::TooDeep`]. For Python, `sys.getrecursionlimit()`.
    pub max_depth: usize,
    /// json of CPython 3.13 and later says "Illegal trailing comma before
    /// end of object" (or "array") at the comma for `[1,]` and `{"a":1,}`;
    /// earlier versions "Expecting value" or "Expecting property name
    /// enclosed in double quotes" at the bracket.
    pub trailing_comma_message: bool,
}

impl LoadOptions {
    /// As `json.loads` of CPython 3.`minor` reads, nesting at most
    /// `max_depth` deep.
    #[must_use]
    pub const fn python(minor: u32, max_depth: usize) -> Self {
        Self {
            max_depth,
            trailing_comma_message: minor >= 13,
        }
    }
}

/// `json.loads(s)` for a `str` given as WTF-8 (`utf8` promises valid
/// UTF-8: no lone surrogate in it).
///
/// # Errors
///
/// [`LoadError::Syntax`] where json raises `JSONDecodeError` (a text that
/// starts with U+FEFF included: "Unexpected UTF-8 BOM (decode using
/// utf-8-sig)"), [`LoadError::TooDeep`] past `opts.max_depth`, and the
/// builder's own errors.
pub fn loads_str<B: Builder>(
    wtf8: &[u8],
    utf8: bool,
    opts: LoadOptions,
    b: &mut B,
) -> Result<B::Value, LoadError<B::Error>> {
    if wtf8.starts_with("\u{feff}".as_bytes()) {
        return Err(LoadError::Syntax(SyntaxError {
            msg: "Unexpected UTF-8 BOM (decode using utf-8-sig)",
            pos: 0,
        }));
    }
    Parser::new(wtf8, utf8, opts).parse(b)
}

/// `json.loads(data)` for `bytes` or `bytearray`: decoded as json decodes
/// them (`json.detect_encoding`, then the codec with `surrogatepass`), then
/// read as [`loads_str`] reads, without its BOM check (json makes it for
/// `str` only). Positions count code points of the decoded text.
///
/// # Errors
///
/// [`LoadError::Decode`] for bytes that the chosen codec refuses, else as
/// [`loads_str`].
pub fn loads_bytes<B: Builder>(
    data: &[u8],
    opts: LoadOptions,
    b: &mut B,
) -> Result<B::Value, LoadError<B::Error>> {
    let (text, utf8) = decode::decode(data).map_err(LoadError::Decode)?;
    Parser::new(&text, utf8, opts).parse(b)
}

/// One open array or object: where its values start on the value stack.
#[derive(Clone, Copy)]
enum Frame {
    List(usize),
    Dict(usize),
}

const EXPECTING_VALUE: &str = "Expecting value";
const EXPECTING_NAME: &str = "Expecting property name enclosed in double quotes";
const EXPECTING_COLON: &str = "Expecting ':' delimiter";
const EXPECTING_COMMA: &str = "Expecting ',' delimiter";
const UNTERMINATED: &str = "Unterminated string starting at";
const CONTROL: &str = "Invalid control character at";
const BAD_ESCAPE: &str = "Invalid \\escape";
const BAD_UNICODE_ESCAPE: &str = "Invalid \\uXXXX escape";
const EXTRA: &str = "Extra data";
const TRAILING_COMMA_OBJECT: &str = "Illegal trailing comma before end of object";
const TRAILING_COMMA_ARRAY: &str = "Illegal trailing comma before end of array";

/// Where json stops, before conversion to code points (positions are byte
/// offsets into the text until [`Parser::syntax`] counts them).
enum Stop<E> {
    Syntax(&'static str, usize),
    TooDeep(TooDeep),
    Builder(E),
}

struct Parser<'t> {
    text: &'t [u8],
    utf8: bool,
    opts: LoadOptions,
    /// Decoded escapes of the string being read, reused between strings.
    scratch: Vec<u8>,
}

/// json's whitespace: space, tab, newline, carriage return.
static WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

/// Bytes that end the fast scan of a string: `"`, `\` and control
/// characters.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        table[c] = true;
        c += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Each byte's value as a hex digit, or 0xFF.
static HEX_VALUE: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// The four hex digits `\uXXXX` gives (callers pass four bytes).
fn hex4(digits: &[u8]) -> Option<u32> {
    let mut code = 0;
    let mut invalid = 0;
    for &d in digits {
        let v = HEX_VALUE[usize::from(d)];
        invalid |= v;
        code = (code << 4) | u32::from(v & 0xF);
    }
    // A valid digit's value has no bit above the low four.
    (invalid & 0xF0 == 0).then_some(code)
}

/// Appends code point `c` (a surrogate included) as WTF-8.
pub(super) fn push_wtf8(out: &mut Vec<u8>, c: u32) {
    // Truncating casts: each byte is masked to its bits first.
    if c < 0x80 {
        out.push(c as u8);
    } else if c < 0x800 {
        out.extend_from_slice(&[0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]);
    } else if c < 0x1_0000 {
        out.extend_from_slice(&[
            0xE0 | (c >> 12) as u8,
            0x80 | ((c >> 6) & 0x3F) as u8,
            0x80 | (c & 0x3F) as u8,
        ]);
    } else {
        out.extend_from_slice(&[
            0xF0 | (c >> 18) as u8,
            0x80 | ((c >> 12) & 0x3F) as u8,
            0x80 | ((c >> 6) & 0x3F) as u8,
            0x80 | (c & 0x3F) as u8,
        ]);
    }
}

/// Whether WTF-8 `bytes` hold a surrogate (`ED A0..BF ..`).
fn has_surrogate(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .any(|pair| pair[0] == 0xED && pair[1] >= 0xA0)
}

/// How many code points the WTF-8 `bytes` hold.
pub(super) fn code_points(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl<'t> Parser<'t> {
    fn new(text: &'t [u8], utf8: bool, opts: LoadOptions) -> Self {
        Self {
            text,
            utf8,
            opts,
            scratch: Vec::new(),
        }
    }

    fn parse<B: Builder>(mut self, b: &mut B) -> Result<B::Value, LoadError<B::Error>> {
        match self.run(b) {
            Ok(value) => Ok(value),
            Err(Stop::Syntax(msg, at)) => Err(LoadError::Syntax(SyntaxError {
                msg,
                pos: code_points(&self.text[..at]),
            })),
            Err(Stop::TooDeep(err)) => Err(LoadError::TooDeep(err)),
            Err(Stop::Builder(err)) => Err(LoadError::Builder(err)),
        }
    }

    #[inline]
    fn skip_ws(&self, mut at: usize) -> usize {
        while let Some(&c) = self.text.get(at) {
            if !WHITESPACE[usize::from(c)] {
                break;
            }
            at += 1;
        }
        at
    }

    /// json.loads: a value after optional whitespace, then only whitespace.
    fn run<B: Builder>(&mut self, b: &mut B) -> Result<B::Value, Stop<B::Error>> {
        let text = self.text;
        let mut stack: Vec<Frame> = Vec::new();
        let mut values: Vec<B::Value> = Vec::new();
        let mut at = self.skip_ws(0);
        loop {
            // A value starts at `at` (whitespace skipped).
            let mut value = match text.get(at) {
                Some(b'{') => {
                    if stack.len() >= self.opts.max_depth {
                        return Err(Stop::TooDeep(TooDeep::DECODE_OBJECT));
                    }
                    at = self.skip_ws(at + 1);
                    if text.get(at) == Some(&b'}') {
                        at += 1;
                        b.dict(Pairs {
                            values: values.drain(values.len()..),
                        })
                        .map_err(Stop::Builder)?
                    } else {
                        stack.push(Frame::Dict(values.len()));
                        at = self.member_key(at, b, &mut values)?;
                        continue;
                    }
                }
                Some(b'[') => {
                    if stack.len() >= self.opts.max_depth {
                        return Err(Stop::TooDeep(TooDeep::DECODE_ARRAY));
                    }
                    at = self.skip_ws(at + 1);
                    if text.get(at) == Some(&b']') {
                        at += 1;
                        b.list(values.drain(values.len()..))
                            .map_err(Stop::Builder)?
                    } else {
                        stack.push(Frame::List(values.len()));
                        continue;
                    }
                }
                Some(b'"') => {
                    let value = if let Some(end) = self.plain_string(at) {
                        let raw = &text[at + 1..end];
                        let value = b.str(raw, self.utf8 || !has_surrogate(raw));
                        at = end + 1;
                        value
                    } else {
                        let (s, utf8, end) = self.string(at)?;
                        at = end;
                        b.str(s, utf8)
                    };
                    value.map_err(Stop::Builder)?
                }
                _ => {
                    let (value, end) = self.scalar(at, b)?;
                    at = end;
                    value
                }
            };
            // A value is complete: close every container it completes.
            loop {
                let Some(&frame) = stack.last() else {
                    let end = self.skip_ws(at);
                    if end != text.len() {
                        return Err(Stop::Syntax(EXTRA, end));
                    }
                    return Ok(value);
                };
                values.push(value);
                at = self.skip_ws(at);
                match (frame, text.get(at)) {
                    (Frame::List(start), Some(b']')) => {
                        at += 1;
                        stack.pop();
                        value = b.list(values.drain(start..)).map_err(Stop::Builder)?;
                    }
                    (Frame::Dict(start), Some(b'}')) => {
                        at += 1;
                        stack.pop();
                        value = b
                            .dict(Pairs {
                                values: values.drain(start..),
                            })
                            .map_err(Stop::Builder)?;
                    }
                    (frame, Some(b',')) => {
                        let comma = at;
                        at = self.skip_ws(at + 1);
                        match frame {
                            Frame::List(_) => {
                                if self.opts.trailing_comma_message && text.get(at) == Some(&b']') {
                                    return Err(Stop::Syntax(TRAILING_COMMA_ARRAY, comma));
                                }
                            }
                            Frame::Dict(_) => {
                                if self.opts.trailing_comma_message && text.get(at) == Some(&b'}') {
                                    return Err(Stop::Syntax(TRAILING_COMMA_OBJECT, comma));
                                }
                                at = self.member_key(at, b, &mut values)?;
                            }
                        }
                        break;
                    }
                    _ => return Err(Stop::Syntax(EXPECTING_COMMA, at)),
                }
            }
        }
    }

    /// An object member's key and colon at `at` (whitespace skipped): the
    /// key is pushed, and the position of its value returned.
    fn member_key<B: Builder>(
        &mut self,
        at: usize,
        b: &mut B,
        values: &mut Vec<B::Value>,
    ) -> Result<usize, Stop<B::Error>> {
        let text = self.text;
        if text.get(at) != Some(&b'"') {
            return Err(Stop::Syntax(EXPECTING_NAME, at));
        }
        let (key, end) = if let Some(end) = self.plain_string(at) {
            let raw = &text[at + 1..end];
            (b.key(raw, self.utf8 || !has_surrogate(raw)), end + 1)
        } else {
            let (s, utf8, end) = self.string(at)?;
            (b.key(s, utf8), end)
        };
        values.push(key.map_err(Stop::Builder)?);
        let at = self.skip_ws(end);
        if text.get(at) != Some(&b':') {
            return Err(Stop::Syntax(EXPECTING_COLON, at));
        }
        Ok(self.skip_ws(at + 1))
    }

    /// Where the string whose opening quote is at `quote` ends (its
    /// closing quote), when it holds no escape and no control character:
    /// the common string, read without [`Parser::string`]'s bookkeeping.
    #[inline]
    fn plain_string(&self, quote: usize) -> Option<usize> {
        let end = super::swar::string_end(self.text, quote + 1, &STRING_STOP);
        (self.text.get(end) == Some(&b'"')).then_some(end)
    }

    /// The string whose opening quote is at `quote`, as json's
    /// `scanstring_unicode` reads it (strict: no control characters):
    /// borrowed from the text when it has no escape, whether it is UTF-8,
    /// and the position after its closing quote.
    ///
    /// json works on code points and this on bytes; every bound it checks
    /// is on ASCII characters (`\`, `u`, hex digits), and where a non-ASCII
    /// character makes the two counts differ both give the same error at
    /// the same place.
    fn string<E>(&mut self, quote: usize) -> Result<(&[u8], bool, usize), Stop<E>> {
        let text = self.text;
        let len = text.len();
        let mut at = quote + 1;
        let mut chunk = at;
        let mut escaped = false;
        // Whether the decoded escapes so far hold no surrogate.
        let mut utf8 = true;
        loop {
            // Right after an escape the next byte is often another one.
            if !text.get(at).is_some_and(|&c| STRING_STOP[usize::from(c)]) {
                at = super::swar::string_end(text, at, &STRING_STOP);
            }
            let Some(&c) = text.get(at) else {
                return Err(Stop::Syntax(UNTERMINATED, quote));
            };
            if c == b'"' {
                if !escaped {
                    let raw = &text[chunk..at];
                    return Ok((raw, self.utf8 || !has_surrogate(raw), at + 1));
                }
                let raw = &text[chunk..at];
                utf8 &= self.utf8 || !has_surrogate(raw);
                self.scratch.extend_from_slice(raw);
                return Ok((&self.scratch, utf8, at + 1));
            }
            if c != b'\\' {
                return Err(Stop::Syntax(CONTROL, at));
            }
            if !escaped {
                escaped = true;
                self.scratch.clear();
            }
            let raw = &text[chunk..at];
            utf8 &= self.utf8 || !has_surrogate(raw);
            self.scratch.extend_from_slice(raw);
            // `at` is the backslash.
            let Some(&e) = text.get(at + 1) else {
                return Err(Stop::Syntax(UNTERMINATED, quote));
            };
            if e == b'u' {
                let digits = at + 2;
                let end = digits + 4;
                if end >= len {
                    return Err(Stop::Syntax(BAD_UNICODE_ESCAPE, digits - 1));
                }
                let mut code =
                    hex4(&text[digits..end]).ok_or(Stop::Syntax(BAD_UNICODE_ESCAPE, digits - 1))?;
                at = end;
                // A high surrogate joins a low one escaped right after it,
                // when json's bound (`end + 6 < len`) lets it look.
                if (0xD800..0xDC00).contains(&code)
                    && end + 6 < len
                    && text[end] == b'\\'
                    && text[end + 1] == b'u'
                {
                    let low = hex4(&text[end + 2..end + 6])
                        .ok_or(Stop::Syntax(BAD_UNICODE_ESCAPE, end + 1))?;
                    if (0xDC00..0xE000).contains(&low) {
                        code = 0x1_0000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        at = end + 6;
                    }
                }
                utf8 &= !(0xD800..0xE000).contains(&code);
                push_wtf8(&mut self.scratch, code);
            } else {
                let decoded = match e {
                    b'"' | b'\\' | b'/' => e,
                    b'b' => 0x08,
                    b'f' => 0x0C,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    _ => return Err(Stop::Syntax(BAD_ESCAPE, at)),
                };
                self.scratch.push(decoded);
                at += 2;
            }
            chunk = at;
        }
    }

    /// A constant or a number at `at`, as json's `scan_once_unicode` and
    /// `_match_number_unicode` read them.
    fn scalar<B: Builder>(
        &self,
        at: usize,
        b: &mut B,
    ) -> Result<(B::Value, usize), Stop<B::Error>> {
        let text = self.text;
        let rest = &text[at..];
        let constant = match rest.first() {
            Some(b'n') if rest.starts_with(b"null") => Some((4, b.null())),
            Some(b't') if rest.starts_with(b"true") => Some((4, b.bool(true))),
            Some(b'f') if rest.starts_with(b"false") => Some((5, b.bool(false))),
            Some(b'N') if rest.starts_with(b"NaN") => Some((3, b.float(f64::NAN))),
            Some(b'I') if rest.starts_with(b"Infinity") => Some((8, b.float(f64::INFINITY))),
            Some(b'-') if rest.starts_with(b"-Infinity") => Some((9, b.float(f64::NEG_INFINITY))),
            Some(_) => None,
            None => return Err(Stop::Syntax(EXPECTING_VALUE, at)),
        };
        if let Some((len, value)) = constant {
            return Ok((value.map_err(Stop::Builder)?, at + len));
        }
        let digit = |i: usize| text.get(i).is_some_and(u8::is_ascii_digit);
        let mut i = at;
        let negative = text[i] == b'-';
        if negative {
            i += 1;
        }
        // The digits' value is accumulated as they are read (wrapping past
        // 19 digits, where it is not used).
        let mut mantissa: u64 = 0;
        let mut push = |d: u8| {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
        };
        // Integer part: 0, or digits not starting with 0.
        let int_start = i;
        match text.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while digit(i) {
                    push(text[i]);
                    i += 1;
                }
            }
            _ => return Err(Stop::Syntax(EXPECTING_VALUE, at)),
        }
        let int_digits = i - int_start;
        let mut frac_digits = 0;
        let mut exp: i64 = 0;
        let mut is_float = false;
        // A fraction only with a digit after the point, an exponent only
        // with a digit in it: else json stops before them ("1." is 1 and
        // then "Extra data").
        if text.get(i) == Some(&b'.') && digit(i + 1) {
            is_float = true;
            i += 1;
            let frac_start = i;
            while digit(i) {
                push(text[i]);
                i += 1;
            }
            frac_digits = i - frac_start;
        }
        if matches!(text.get(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            let exp_negative = text.get(j) == Some(&b'-');
            if matches!(text.get(j), Some(b'-' | b'+')) {
                j += 1;
            }
            if digit(j) {
                is_float = true;
                while digit(j) {
                    // Saturates far past any exponent that matters.
                    exp = (exp * 10 + i64::from(text[j] - b'0')).min(1 << 40);
                    j += 1;
                }
                if exp_negative {
                    exp = -exp;
                }
                i = j;
            }
        }
        let value = if is_float {
            let exp = exp - i64::try_from(frac_digits).unwrap_or(i64::MAX);
            let digits = int_digits + frac_digits;
            b.float(float(&text[at..i], negative, mantissa, digits, exp))
        } else if int_digits <= 18 {
            // 18 digits always fit in i64.
            let magnitude = i64::try_from(mantissa).unwrap_or_default();
            b.int(if negative { -magnitude } else { magnitude })
        } else {
            // Up to i64's bounds, else Python's int() of the text.
            let small = if int_digits == 19 {
                if negative {
                    0i64.checked_sub_unsigned(mantissa)
                } else {
                    i64::try_from(mantissa).ok()
                }
            } else {
                None
            };
            match small {
                Some(v) => b.int(v),
                None => b.big_int(ascii(&text[at..i])),
            }
        };
        Ok((value.map_err(Stop::Builder)?, i))
    }
}

/// The text of a number, which the scan found to be ASCII (sign, digits,
/// point, exponent).
fn ascii(number: &[u8]) -> &str {
    debug_assert!(number.is_ascii());
    // SAFETY: every byte of a number's text was matched as an ASCII digit,
    // sign, point or exponent letter by the scan, so it is valid UTF-8.
    unsafe { std::str::from_utf8_unchecked(number) }
}

/// Exact powers of ten as f64 (10^22 is the largest).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A float's value, rounded correctly as Python's `float()` rounds it:
/// `mantissa` holds the `digits` digits read (all of them, when at most
/// 19) and the value is `mantissa * 10^exp`.
fn float(number: &[u8], negative: bool, mantissa: u64, digits: usize, exp: i64) -> f64 {
    // Clinger's fast path: a mantissa below 2^53 and a power of ten that
    // are both exact doubles give the correctly rounded value in one
    // operation.
    if digits <= 15 && (-22..=22).contains(&exp) {
        let m = mantissa as f64;
        let power = POW10[usize::try_from(exp.unsigned_abs()).unwrap_or_default()];
        let v = if exp >= 0 { m * power } else { m / power };
        return if negative { -v } else { v };
    }
    // Else Rust's parse, which also rounds correctly, and gives infinity
    // past f64's range (`1e400`). It cannot fail on the scanned grammar.
    ascii(number).parse().unwrap_or(f64::NAN)
}
