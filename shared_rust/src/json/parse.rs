//! The parser: jiter reads JSON text, and this drives a [`Builder`] from it
//! with its own stack instead of recursion, holding to json's rules.

use jiter::{Jiter, JiterError, JiterErrorType, JsonErrorType, Peek};

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
/// offsets into the text until [`Parser::parse`] counts them).
enum Stop<E> {
    Syntax(&'static str, usize),
    TooDeep(TooDeep),
    Builder(E),
}

/// The parser: jiter reads the text (whitespace, punctuation, literals,
/// numbers' extent, strings and their escapes); this keeps the container
/// stack jiter leaves to its caller, and json's own rules where they are
/// not jiter's:
///
/// - a number's type (`int`, an `int` past `i64`, or `float`) from its text,
///   and json's grammar where jiter's is stricter (`1.` is `1` and then
///   more text; integers past 4300 digits go to Python's `int()`, whose
///   limit then applies);
/// - a string jiter refuses (a lone surrogate escape such as `\ud800`,
///   which json keeps, a surrogate already in WTF-8 input, or a real
///   error) is read by [`Parser::string`], json's `scanstring` rules,
///   which decodes it or gives json's message and position;
/// - json's message and position for each error, from jiter's error and
///   the parser's own state.
///
/// A string value without an escape is passed as the text holds it (the
/// text is UTF-8 already, or WTF-8 checked here), so jiter's UTF-8 check
/// is not made twice; keys come from jiter's `&str` API.
///
/// jiter reads a slice of the text from `base` on: after a string or
/// number read by the parser's own rules, a new jiter resumes past it.
struct Parser<'t> {
    text: &'t [u8],
    utf8: bool,
    opts: LoadOptions,
    jiter: Jiter<'t>,
    /// Where `jiter`'s slice starts in `text`.
    base: usize,
    /// The buffer jiter decodes a string value's escapes into, kept
    /// between strings.
    tape: Vec<u8>,
    /// Decoded escapes of a string read by [`Parser::string`].
    scratch: Vec<u8>,
}

/// Bytes that end a run of plain string bytes: `"`, `\` and control
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

/// Whether jiter refused a string (its escapes, characters or end) rather
/// than the text around it: the parser's own reading of the string then
/// decides.
fn in_string(err: &JiterError) -> bool {
    matches!(
        err.error_type,
        JiterErrorType::JsonError(
            JsonErrorType::EofWhileParsingString
                | JsonErrorType::InvalidEscape
                | JsonErrorType::InvalidUnicodeCodePoint
                | JsonErrorType::ControlCharacterWhileParsingString
                | JsonErrorType::LoneLeadingSurrogateInHexEscape
                | JsonErrorType::UnexpectedEndOfHexEscape
        )
    )
}

/// jiter's error kind (a wrong-type error, which the parser never asks
/// for, as none).
fn kind(err: &JiterError) -> Option<&JsonErrorType> {
    match &err.error_type {
        JiterErrorType::JsonError(kind) => Some(kind),
        JiterErrorType::WrongType { .. } => None,
    }
}

/// Where json's number starting at `start` ends, or `None` if none starts
/// there: the longest match of `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`,
/// as json's `_match_number_unicode` reads it. Only asked where jiter
/// refuses a number: its grammar is json's, but it refuses text that json
/// reads as a number followed by more text (`01`, `1.`, `1e+`), and
/// integers past 4300 digits (json hands those to Python's `int()`).
pub(super) fn number_end(text: &[u8], start: usize) -> Option<usize> {
    let digit = |i: usize| text.get(i).is_some_and(u8::is_ascii_digit);
    let digits_end = |mut i: usize| {
        while digit(i) {
            i += 1;
        }
        i
    };
    let mut i = start + usize::from(text.get(start) == Some(&b'-'));
    i = match text.get(i) {
        Some(b'0') => i + 1,
        Some(b'1'..=b'9') => digits_end(i + 1),
        _ => return None,
    };
    if text.get(i) == Some(&b'.') && digit(i + 1) {
        i = digits_end(i + 1);
    }
    if matches!(text.get(i), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(text.get(i + 1), Some(b'-' | b'+')));
        if digit(i + 1 + sign) {
            i = digits_end(i + 1 + sign);
        }
    }
    Some(i)
}

/// A number's value from its text, as json makes it: without a fraction
/// or an exponent an `int` (past `i64`, Python's `int()` of the text),
/// else `float()` of it, which Rust's `f64` parse rounds as Python's does
/// (`1e400` is infinite; `NaN`, `Infinity` and `-Infinity` as written).
fn number<B: Builder>(b: &mut B, text: &str) -> Result<B::Value, B::Error> {
    if let Ok(v) = text.parse::<i64>() {
        b.int(v)
    } else if text.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
        b.big_int(text)
    } else {
        // The text is a number json reads as a float, which Rust's parse
        // accepts, NaN and Infinity included.
        b.float(text.parse().unwrap_or(f64::NAN))
    }
}

impl<'t> Parser<'t> {
    fn new(text: &'t [u8], utf8: bool, opts: LoadOptions) -> Self {
        Self {
            text,
            utf8,
            opts,
            jiter: Jiter::new(text).with_allow_inf_nan(),
            base: 0,
            tape: Vec::new(),
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

    /// Where jiter is, in `text`.
    fn at(&self) -> usize {
        self.base + self.jiter.current_index()
    }

    /// Where jiter's error is, in `text`.
    fn at_error(&self, err: &JiterError) -> usize {
        self.base + err.index
    }

    /// jiter reads on from `at`.
    fn resume(&mut self, at: usize) {
        self.jiter = Jiter::new(&self.text[at..]).with_allow_inf_nan();
        self.base = at;
    }

    /// The string value whose `len` bytes jiter found, with valid escapes,
    /// from `start` (after the opening quote): the text's own bytes when it
    /// has no escape (the text is already UTF-8, or WTF-8 whose surrogates
    /// are checked here, so jiter need not validate it again); else decoded
    /// by jiter, or by [`Parser::string`] where it holds a surrogate jiter
    /// cannot decode.
    fn found<B: Builder>(
        &mut self,
        b: &mut B,
        start: usize,
        len: usize,
    ) -> Result<B::Value, Stop<B::Error>> {
        let text = self.text;
        let raw = &text[start..start + len];
        #[cfg(hi_inject_bug = "panic")]
        crate::inject::panic_on(raw);
        // Whether it has an escape: a fold without an early exit, which the
        // compiler turns into comparisons of many bytes at a time.
        let escapes = raw.iter().fold(0u8, |any, &c| any | u8::from(c == b'\\'));
        let made = if escapes != 0 {
            let quote = start - 1;
            let mut jiter =
                Jiter::with_tape(&text[quote..=start + len], std::mem::take(&mut self.tape));
            let made = jiter.known_str().ok().map(|s| b.str(s.as_bytes(), true));
            self.tape = jiter.into_tape();
            if let Some(made) = made {
                made
            } else {
                let (s, utf8, _) = self.string(quote)?;
                b.str(s, utf8)
            }
        } else {
            b.str(raw, self.utf8 || !has_surrogate(raw))
        };
        made.map_err(Stop::Builder)
    }

    /// Past JSON whitespace from `at`.
    fn skip_ws(&self, mut at: usize) -> usize {
        while self
            .text
            .get(at)
            .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
        {
            at += 1;
        }
        at
    }

    /// json.loads: a value after optional whitespace, then only whitespace.
    fn run<B: Builder>(&mut self, b: &mut B) -> Result<B::Value, Stop<B::Error>> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut values: Vec<B::Value> = Vec::new();
        let mut peek = self.peek()?;
        loop {
            // A value starts where jiter is, and `peek` is its first byte.
            let mut value = match peek {
                Peek::Array => {
                    if stack.len() >= self.opts.max_depth {
                        return Err(Stop::TooDeep(TooDeep::DECODE_ARRAY));
                    }
                    match self.jiter.known_array() {
                        Ok(None) => b.list(values.drain(values.len()..)),
                        Ok(Some(first)) => {
                            stack.push(Frame::List(values.len()));
                            peek = first;
                            continue;
                        }
                        // Only the end of the text after `[` can fail.
                        Err(err) => return Err(Stop::Syntax(EXPECTING_VALUE, self.at_error(&err))),
                    }
                }
                Peek::Object => {
                    if stack.len() >= self.opts.max_depth {
                        return Err(Stop::TooDeep(TooDeep::DECODE_OBJECT));
                    }
                    let brace = self.at();
                    match self.jiter.known_object() {
                        Ok(None) => b.dict(Pairs {
                            values: values.drain(values.len()..),
                        }),
                        Ok(Some(key)) => {
                            stack.push(Frame::Dict(values.len()));
                            values.push(b.key(key.as_bytes(), true).map_err(Stop::Builder)?);
                            peek = self.peek()?;
                            continue;
                        }
                        Err(err) => {
                            stack.push(Frame::Dict(values.len()));
                            let quote = self.skip_ws(brace + 1);
                            self.member_error(&err, quote, b, &mut values)?;
                            peek = self.peek()?;
                            continue;
                        }
                    }
                }
                Peek::String => {
                    let quote = self.at();
                    match self.jiter.known_bytes() {
                        Ok(s) => {
                            let len = s.len();
                            Ok(self.found(b, quote + 1, len)?)
                        }
                        // jiter refused the string: json's rules decide.
                        Err(_) => {
                            let (s, utf8, end) = self.string(quote)?;
                            let value = b.str(s, utf8);
                            self.resume(end);
                            value
                        }
                    }
                }
                Peek::Null => {
                    let start = self.at();
                    self.jiter
                        .known_null()
                        .map_err(|_| Stop::Syntax(EXPECTING_VALUE, start))?;
                    b.null()
                }
                Peek::True | Peek::False => {
                    let start = self.at();
                    let v = self
                        .jiter
                        .known_bool(peek)
                        .map_err(|_| Stop::Syntax(EXPECTING_VALUE, start))?;
                    b.bool(v)
                }
                _ if peek.is_num() => {
                    let start = self.at();
                    match self.jiter.known_number_bytes(peek) {
                        Ok(digits) => number(b, ascii(digits, start)?),
                        Err(_) => {
                            let end = number_end(self.text, start)
                                .ok_or(Stop::Syntax(EXPECTING_VALUE, start))?;
                            let value = number(b, ascii(&self.text[start..end], start)?);
                            self.resume(end);
                            value
                        }
                    }
                }
                _ => return Err(Stop::Syntax(EXPECTING_VALUE, self.at())),
            }
            .map_err(Stop::Builder)?;
            // A value is complete: close every container it completes.
            loop {
                let Some(&frame) = stack.last() else {
                    return match self.jiter.finish() {
                        Ok(()) => Ok(value),
                        Err(err) => Err(Stop::Syntax(EXTRA, self.at_error(&err))),
                    };
                };
                values.push(value);
                let after = self.at();
                match frame {
                    Frame::List(start) => match self.jiter.array_step() {
                        Ok(Some(next)) => {
                            peek = next;
                            break;
                        }
                        Ok(None) => {
                            stack.pop();
                            value = b.list(values.drain(start..)).map_err(Stop::Builder)?;
                        }
                        Err(err) => return Err(self.array_error(&err, after)),
                    },
                    Frame::Dict(start) => match self.jiter.next_key() {
                        Ok(Some(key)) => {
                            values.push(b.key(key.as_bytes(), true).map_err(Stop::Builder)?);
                            peek = self.peek()?;
                            break;
                        }
                        Ok(None) => {
                            stack.pop();
                            value = b
                                .dict(Pairs {
                                    values: values.drain(start..),
                                })
                                .map_err(Stop::Builder)?;
                        }
                        Err(err) => {
                            let comma = self.skip_ws(after);
                            self.next_member_error(&err, comma, b, &mut values)?;
                            peek = self.peek()?;
                            break;
                        }
                    },
                }
            }
        }
    }

    /// The first byte of the next value (a value must follow).
    fn peek<E>(&mut self) -> Result<Peek, Stop<E>> {
        self.jiter
            .peek()
            .map_err(|err| Stop::Syntax(EXPECTING_VALUE, self.at_error(&err)))
    }

    /// json's error where jiter refused what follows an array's item that
    /// ended at `after`.
    fn array_error<E>(&self, err: &JiterError, after: usize) -> Stop<E> {
        let at = self.at_error(err);
        match kind(err) {
            // `[1 2]`, `[1` (at the end of the text).
            Some(JsonErrorType::ExpectedListCommaOrEnd | JsonErrorType::EofWhileParsingList) => {
                Stop::Syntax(EXPECTING_COMMA, at)
            }
            // `[1,]`: json of 3.13 names the comma.
            Some(JsonErrorType::TrailingComma) if self.opts.trailing_comma_message => {
                Stop::Syntax(TRAILING_COMMA_ARRAY, self.skip_ws(after))
            }
            // `[1,]` before 3.13, `[1,` (at the end of the text).
            _ => Stop::Syntax(EXPECTING_VALUE, at),
        }
    }

    /// json's reading where jiter refused an object's next member, after
    /// the value that ended where `comma` (whitespace skipped) is. A key
    /// that jiter refused is read by the parser's own rules (and pushed).
    fn next_member_error<B: Builder>(
        &mut self,
        err: &JiterError,
        comma: usize,
        b: &mut B,
        values: &mut Vec<B::Value>,
    ) -> Result<(), Stop<B::Error>> {
        let at = self.at_error(err);
        match kind(err) {
            // `{"a":1 "b"}`.
            Some(JsonErrorType::ExpectedObjectCommaOrEnd) => Err(Stop::Syntax(EXPECTING_COMMA, at)),
            // The text ends before a comma: `{"a":1`.
            Some(JsonErrorType::EofWhileParsingObject) if comma == self.text.len() => {
                Err(Stop::Syntax(EXPECTING_COMMA, at))
            }
            // `{"a":1,}`: json of 3.13 names the comma.
            Some(JsonErrorType::TrailingComma) if self.opts.trailing_comma_message => {
                Err(Stop::Syntax(TRAILING_COMMA_OBJECT, comma))
            }
            // `{"a":1,` (at the end of the text): json expects a key.
            Some(JsonErrorType::EofWhileParsingValue) => Err(Stop::Syntax(EXPECTING_NAME, at)),
            _ => {
                let quote = self.skip_ws(comma + 1);
                self.member_error(err, quote, b, values)
            }
        }
    }

    /// json's reading where jiter refused an object member whose key
    /// starts at `quote` (if it is a string): a key jiter refused is read
    /// by [`Parser::string`] and pushed, and jiter resumes after its colon;
    /// else json's error.
    fn member_error<B: Builder>(
        &mut self,
        err: &JiterError,
        quote: usize,
        b: &mut B,
        values: &mut Vec<B::Value>,
    ) -> Result<(), Stop<B::Error>> {
        let at = self.at_error(err);
        if in_string(err) {
            let (s, utf8, end) = self.string(quote)?;
            values.push(b.key(s, utf8).map_err(Stop::Builder)?);
            // The colon jiter would have read after the key.
            let colon = self.skip_ws(end);
            if self.text.get(colon) != Some(&b':') {
                return Err(Stop::Syntax(EXPECTING_COLON, colon));
            }
            self.resume(colon + 1);
            return Ok(());
        }
        Err(match kind(err) {
            // `{"a" 1}`; `{"a"` (the text ends where the colon should be).
            Some(JsonErrorType::ExpectedColon) => Stop::Syntax(EXPECTING_COLON, at),
            Some(JsonErrorType::EofWhileParsingObject) if quote < self.text.len() => {
                Stop::Syntax(EXPECTING_COLON, at)
            }
            // `{1:2}`, `{`, `{"a":1,}` before 3.13.
            _ => Stop::Syntax(EXPECTING_NAME, at),
        })
    }

    /// The string whose opening quote is at `quote`, as json's
    /// `scanstring_unicode` reads it (strict: no control characters):
    /// borrowed from the text when it has no escape, whether it is UTF-8,
    /// and the position after its closing quote. Only for strings jiter
    /// refused: lone surrogates, which json keeps, and json's error texts
    /// and positions for the others.
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
            while text.get(at).is_some_and(|&c| !STRING_STOP[usize::from(c)]) {
                at += 1;
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
}

/// A number's text (jiter's, or [`number_end`]'s), which is ASCII: sign,
/// digits, point, exponent, or `NaN` / `Infinity`.
fn ascii<E>(number: &[u8], start: usize) -> Result<&str, Stop<E>> {
    if number.is_ascii() {
        // SAFETY: ASCII bytes are valid UTF-8 (checked just above, which
        // costs less than `str::from_utf8` on such short texts).
        Ok(unsafe { std::str::from_utf8_unchecked(number) })
    } else {
        Err(Stop::Syntax(EXPECTING_VALUE, start))
    }
}
