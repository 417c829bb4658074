//! The flat encoding: one JSON value as one buffer of bytes, both ways, for
//! the routes that cannot hand Rust a Python object (the C ABI's, UniFFI's).
//!
//! `loads`: [`loads_flat_str`] / [`loads_flat_bytes`] parse the text with
//! the core's parser, driving a [`Builder`] that writes the value in this
//! format; the binding rebuilds its objects from it. `dumps`: the binding
//! flattens its object into this format, and [`dumps_flat`] drives the
//! core's [`Writer`] and [`Depth`] from it. So every JSON rule and message
//! stays in the core; this module only moves values.
//!
//! # The format
//!
//! A subset of CPython's `marshal` format (version 4), so that Python's own
//! C code does a Python binding's half (`marshal.loads` builds the dicts
//! and lists; `marshal.dumps(obj, 4)` flattens an object of the exact
//! builtin types), plus three codes of its own, which `marshal` does not
//! know. A buffer holds exactly one value. Numbers are little-endian; `u32`
//! lengths and counts stay at most `i32::MAX` where `marshal` must read them.
//!
//! | code | then | value |
//! |---|---|---|
//! | `N` `T` `F` | | null, true, false |
//! | `i` | `i32` | an int |
//! | `l` | `i32 n`, `abs(n)` × `u16` | an int in 15-bit digits, least significant first; its sign is `n`'s (marshal's long) |
//! | `D` | `u32 len`, ASCII | an int of any size as decimal text: `-`? and digits (this format's own) |
//! | `g` | `f64` | a float (NaN and infinities included) |
//! | `u` `t` | `u32 len`, WTF-8 | a str (`t`: marshal's interned str); lone surrogates as `surrogatepass` writes them |
//! | `a` `A` | `u32 len`, ASCII | a str (marshal's ASCII str, interned) |
//! | `z` `Z` | `u8 len`, ASCII | a str (marshal's short ASCII str, interned) |
//! | `[` | `u32 n`, n values | a list |
//! | `(` / `)` | `u32 n` / `u8 n`, n values | a tuple, written as a list (dumps only) |
//! | `{` | (key, value)…, `0` | a dict; a key is any of the codes above but lists, tuples and dicts |
//! | `r` | `u32 i` | the value remembered under index `i` again |
//! | `?` | `u32 len`, UTF-8 | dumps only: a value json cannot write (as a key: a key json cannot take), with its type's name (this format's own) |
//! | `!` | `u32 level` | dumps only: the container open at `level` (0: the outermost) again: a cycle (this format's own) |
//! | `%` | | dumps only, where a dict's key belongs: its `items()` gave something other than a 2-tuple (this format's own) |
//!
//! A code with bit `0x80` set ([`FLAG_REF`]) is remembered: the values so
//! flagged are numbered from 0 in the order their codes appear (a
//! container's number is taken at its code, before its items), and `r i`
//! stands for value `i` again (marshal's references). `loads` writes each
//! dict key the core's [`KeyCache`] keeps once, flagged, and refers to it
//! after, so `marshal.loads` makes one `str` for it, as json does.
//!
//! `loads` writes only `N T F i l D g z a u [ { 0 r`, and reports whether
//! it wrote `D` or a length past `i32::MAX` ([`Flat::extended`]: then
//! `marshal.loads` cannot read the buffer) and how deeply it nests
//! ([`Flat::depth`]). `dumps` reads every code above; any other marshal
//! code (a set, bytes, a complex ...) or an `l` past `i64` is
//! [`FlatDumpError::Unsupported`], on which a binding flattens its object
//! again, writing `D`, `?` and `!` where json would convert or refuse.

use std::fmt;

use super::{
    loads_bytes, loads_str, Builder, Depth, DumpError, Items, KeyCache, LoadError, LoadOptions,
    Pairs, Writer,
};

/// Bit 7 of a code: the value is remembered (see the module's docs).
pub const FLAG_REF: u8 = 0x80;

/// A value `loads` wrote in the flat format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flat {
    /// The buffer.
    pub bytes: Vec<u8>,
    /// How many lists and dicts nest at the deepest point (0 for a scalar).
    pub depth: usize,
    /// Whether the buffer holds what `marshal.loads` cannot read: a `D`
    /// (an int past `i64`) or a length past `i32::MAX`.
    pub extended: bool,
}

/// Why the flat builder stopped: the binding's error in [`LoadError::Builder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlatError {
    /// An int with more digits than the caller's limit (Python's
    /// `sys.get_int_max_str_digits()`), as written: Python raises json's
    /// `ValueError` by calling `int()` on it, where json would have.
    IntDigits(String),
    /// A str or a container too long for the format's `u32` lengths.
    TooLarge {
        /// What is too long: "a str of N bytes", "a list of N items".
        what: &'static str,
        /// Its length.
        len: usize,
    },
}

impl fmt::Display for FlatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IntDigits(decimal) => write!(
                f,
                "an int of {} digits is past the caller's digit limit",
                decimal.trim_start_matches('-').len()
            ),
            Self::TooLarge { what, len } => write!(
                f,
                "{what} of {len} is past the flat encoding's limit of {} (u32)",
                u32::MAX
            ),
        }
    }
}

impl std::error::Error for FlatError {}

/// `json.loads(s)` for a `str` given as WTF-8, as a [`Flat`] value.
/// `max_int_digits`: an int with more digits is [`FlatError::IntDigits`]
/// (0: no limit).
///
/// # Errors
///
/// As [`loads_str`], with [`FlatError`] as the builder's error.
pub fn loads_flat_str(
    wtf8: &[u8],
    opts: LoadOptions,
    max_int_digits: usize,
) -> Result<Flat, LoadError<FlatError>> {
    let mut builder = FlatBuilder::new(wtf8.len(), max_int_digits);
    // `utf8 = true`: the flag only tells a builder whether to check for
    // surrogates, and this one writes every str's bytes as they are.
    let root = loads_str(wtf8, true, opts, &mut builder)?;
    builder.finish(root).map_err(LoadError::Builder)
}

/// `json.loads(data)` for `bytes`, as a [`Flat`] value; as [`loads_flat_str`].
///
/// # Errors
///
/// As [`loads_bytes`], with [`FlatError`] as the builder's error.
pub fn loads_flat_bytes(
    data: &[u8],
    opts: LoadOptions,
    max_int_digits: usize,
) -> Result<Flat, LoadError<FlatError>> {
    let mut builder = FlatBuilder::new(data.len(), max_int_digits);
    let root = loads_bytes(data, opts, &mut builder)?;
    builder.finish(root).map_err(LoadError::Builder)
}

/// A value written by [`FlatBuilder`]: where its bytes start, how deep it nests.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    start: usize,
    depth: usize,
}

/// A container's code and count, to go in front of its items.
struct Header {
    /// Where its first item starts in `data`.
    at: usize,
    /// The order it was made in: of two headers at one place (a container
    /// whose first item is a container), the later made is the outer one,
    /// and goes first. An empty container has no header: it is written in
    /// place, so two headers at one place are always nested.
    made: usize,
    bytes: [u8; 5],
    len: u8,
}

/// The [`Builder`] of the flat format.
///
/// The parser hands values innermost first, but the format puts a list's
/// count before its items. The items' bytes are already in their final
/// order (a container's header is all that moves), so each header is noted
/// with the place it belongs, and [`FlatBuilder::finish`] merges them in
/// one pass: linear, however deep the nesting.
struct FlatBuilder {
    data: Vec<u8>,
    headers: Vec<Header>,
    /// Keys already written, and the number they are remembered under.
    keys: KeyCache<u32>,
    /// How many values are remembered so far.
    remembered: u32,
    extended: bool,
    max_int_digits: usize,
}

impl FlatBuilder {
    fn new(text_len: usize, max_int_digits: usize) -> Self {
        Self {
            data: Vec::with_capacity(text_len),
            headers: Vec::new(),
            keys: KeyCache::default(),
            remembered: 0,
            extended: false,
            max_int_digits,
        }
    }

    fn scalar(&self) -> Node {
        Node {
            start: self.data.len(),
            depth: 0,
        }
    }

    /// A length or count as the format's `u32`.
    fn length(&mut self, len: usize, what: &'static str) -> Result<[u8; 4], FlatError> {
        let n = u32::try_from(len).map_err(|_| FlatError::TooLarge { what, len })?;
        if n > i32::MAX as u32 {
            self.extended = true;
        }
        Ok(n.to_le_bytes())
    }

    fn push_str(&mut self, wtf8: &[u8], flag: u8) -> Result<(), FlatError> {
        if wtf8.is_ascii() {
            if let Ok(len) = u8::try_from(wtf8.len()) {
                self.data.extend_from_slice(&[b'z' | flag, len]);
            } else {
                let len = self.length(wtf8.len(), "a str of N bytes")?;
                self.data.push(b'a' | flag);
                self.data.extend_from_slice(&len);
            }
        } else {
            let len = self.length(wtf8.len(), "a str of N bytes")?;
            self.data.push(b'u' | flag);
            self.data.extend_from_slice(&len);
        }
        self.data.extend_from_slice(wtf8);
        Ok(())
    }

    fn header(&mut self, at: usize, bytes: [u8; 5], len: u8) {
        let made = self.headers.len();
        self.headers.push(Header {
            at,
            made,
            bytes,
            len,
        });
    }

    /// The buffer: the items' bytes with every header in its place.
    fn finish(mut self, root: Node) -> Result<Flat, FlatError> {
        let headers = std::mem::take(&mut self.headers);
        if headers.is_empty() {
            return Ok(Flat {
                bytes: self.data,
                depth: root.depth,
                extended: self.extended,
            });
        }
        let mut order: Vec<&Header> = headers.iter().collect();
        order.sort_unstable_by(|a, b| a.at.cmp(&b.at).then(b.made.cmp(&a.made)));
        let extra: usize = headers.iter().map(|h| usize::from(h.len)).sum();
        let mut bytes = Vec::with_capacity(self.data.len() + extra);
        let mut copied = 0;
        for header in order {
            bytes.extend_from_slice(&self.data[copied..header.at]);
            copied = header.at;
            bytes.extend_from_slice(&header.bytes[..usize::from(header.len)]);
        }
        bytes.extend_from_slice(&self.data[copied..]);
        Ok(Flat {
            bytes,
            depth: root.depth,
            extended: self.extended,
        })
    }
}

impl Builder for FlatBuilder {
    type Value = Node;
    type Error = FlatError;

    fn null(&mut self) -> Result<Node, FlatError> {
        let node = self.scalar();
        self.data.push(b'N');
        Ok(node)
    }

    fn bool(&mut self, v: bool) -> Result<Node, FlatError> {
        let node = self.scalar();
        self.data.push(if v { b'T' } else { b'F' });
        Ok(node)
    }

    fn int(&mut self, v: i64) -> Result<Node, FlatError> {
        let node = self.scalar();
        if let Ok(small) = i32::try_from(v) {
            self.data.push(b'i');
            self.data.extend_from_slice(&small.to_le_bytes());
        } else {
            // marshal's long: 15-bit digits, least significant first.
            let mut magnitude = v.unsigned_abs();
            let mut digits = [0_u16; 5];
            let mut count = 0;
            while magnitude != 0 {
                // The mask keeps 15 bits: the cast loses nothing.
                digits[count] = (magnitude & 0x7FFF) as u16;
                magnitude >>= 15;
                count += 1;
            }
            // At most 5 digits: the cast loses nothing.
            let n = if v < 0 { -(count as i32) } else { count as i32 };
            self.data.push(b'l');
            self.data.extend_from_slice(&n.to_le_bytes());
            for digit in &digits[..count] {
                self.data.extend_from_slice(&digit.to_le_bytes());
            }
        }
        Ok(node)
    }

    fn big_int(&mut self, decimal: &str) -> Result<Node, FlatError> {
        // Python's int() refuses more digits than its limit (the sign not
        // counted); json raises that ValueError as it reads the number.
        let digits = decimal.trim_start_matches('-').len();
        if self.max_int_digits != 0 && digits > self.max_int_digits {
            return Err(FlatError::IntDigits(decimal.to_owned()));
        }
        let node = self.scalar();
        let len = self.length(decimal.len(), "an int of N digits")?;
        self.extended = true;
        self.data.push(b'D');
        self.data.extend_from_slice(&len);
        self.data.extend_from_slice(decimal.as_bytes());
        Ok(node)
    }

    fn float(&mut self, v: f64) -> Result<Node, FlatError> {
        let node = self.scalar();
        self.data.push(b'g');
        self.data.extend_from_slice(&v.to_le_bytes());
        Ok(node)
    }

    fn str(&mut self, wtf8: &[u8], _utf8: bool) -> Result<Node, FlatError> {
        let node = self.scalar();
        self.push_str(wtf8, 0)?;
        Ok(node)
    }

    fn key(&mut self, wtf8: &[u8], _utf8: bool) -> Result<Node, FlatError> {
        let node = self.scalar();
        // The core's key cache (as the PyO3 routes' builder keeps Python
        // strs): a key met before is its number, for `r`; a new one is
        // numbered here and written flagged.
        let next = self.remembered;
        let mut fresh = false;
        let index = self.keys.get_or_make(wtf8, || {
            fresh = true;
            Ok::<_, FlatError>(next)
        })?;
        if !fresh {
            self.data.push(b'r');
            self.data.extend_from_slice(&index.to_le_bytes());
        } else if let Some(after) = self.remembered.checked_add(1) {
            self.remembered = after;
            self.push_str(wtf8, FLAG_REF)?;
        } else {
            // u32::MAX keys numbered: the rest are written in full.
            self.push_str(wtf8, 0)?;
        }
        Ok(node)
    }

    fn list(&mut self, mut items: Items<'_, Node>) -> Result<Node, FlatError> {
        let [a, b, c, d] = self.length(items.len(), "a list of N items")?;
        let Some(first) = items.next() else {
            // Empty: written in place, as it has no items to go before.
            let node = self.scalar();
            self.data.extend_from_slice(&[b'[', a, b, c, d]);
            return Ok(Node { depth: 1, ..node });
        };
        let depth = items.fold(first.depth, |deepest, node| deepest.max(node.depth));
        let start = first.start;
        self.header(start, [b'[', a, b, c, d], 5);
        Ok(Node {
            start,
            depth: depth + 1,
        })
    }

    fn dict(&mut self, pairs: Pairs<'_, Node>) -> Result<Node, FlatError> {
        let mut start = None;
        let mut depth = 0;
        for (key, value) in pairs {
            start.get_or_insert(key.start);
            depth = depth.max(value.depth);
        }
        let Some(start) = start else {
            // Empty: written in place, as a list is.
            let node = self.scalar();
            self.data.extend_from_slice(b"{0");
            return Ok(Node { depth: 1, ..node });
        };
        self.header(start, [b'{', 0, 0, 0, 0], 1);
        self.data.push(b'0');
        Ok(Node {
            start,
            depth: depth + 1,
        })
    }
}

/// Why [`dumps_flat`] stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlatDumpError {
    /// json refuses the object: the core's error, with json's message.
    Dump(DumpError),
    /// A marshal code this reader does not take (a set, bytes, a complex
    /// ...) or an `l` past `i64`: flatten the object again, writing `D`,
    /// `?` and `!` where json converts or refuses.
    Unsupported {
        /// The code, without [`FLAG_REF`].
        code: u8,
        /// Where it is in the buffer.
        at: usize,
    },
    /// Not a buffer of this format.
    Malformed {
        /// What is wrong.
        what: &'static str,
        /// Where, in the buffer.
        at: usize,
    },
}

impl fmt::Display for FlatDumpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Dump(err) => err.fmt(f),
            Self::Unsupported { code, at } => write!(
                f,
                "the flat buffer holds code {code:#04x} at byte {at}, which only the walker's flattening replaces"
            ),
            Self::Malformed { what, at } => write!(f, "malformed flat buffer at byte {at}: {what}"),
        }
    }
}

impl std::error::Error for FlatDumpError {}

impl From<DumpError> for FlatDumpError {
    fn from(err: DumpError) -> Self {
        Self::Dump(err)
    }
}

/// Reads a flat buffer, one field at a time.
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn malformed(&self, what: &'static str) -> FlatDumpError {
        FlatDumpError::Malformed { what, at: self.pos }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], FlatDumpError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.data.len())
            .ok_or_else(|| self.malformed("the buffer ends inside a value"))?;
        let bytes = &self.data[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], FlatDumpError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, FlatDumpError> {
        Ok(self.array::<1>()?[0])
    }

    fn u32(&mut self) -> Result<usize, FlatDumpError> {
        let n = u32::from_le_bytes(self.array()?);
        usize::try_from(n).map_err(|_| self.malformed("a length past this platform's usize"))
    }

    fn i32(&mut self) -> Result<i32, FlatDumpError> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    /// An `l`: marshal's long, if it fits `i64`.
    fn long(&mut self, at: usize) -> Result<i64, FlatDumpError> {
        let n = self.i32()?;
        let size = n.unsigned_abs() as usize;
        let unsupported = FlatDumpError::Unsupported { code: b'l', at };
        if size > 5 {
            return Err(unsupported);
        }
        let mut magnitude = 0_u128;
        for shift in 0..size {
            let digit = u16::from_le_bytes(self.array()?);
            if digit > 0x7FFF {
                return Err(self.malformed("a long's digit past 15 bits"));
            }
            magnitude |= u128::from(digit) << (15 * shift);
        }
        let value = if n < 0 {
            0_i128 - i128::try_from(magnitude).map_err(|_| unsupported.clone())?
        } else {
            i128::try_from(magnitude).map_err(|_| unsupported.clone())?
        };
        i64::try_from(value).map_err(|_| unsupported)
    }

    /// A `D`: an int's decimal text.
    fn decimal(&mut self) -> Result<&'a str, FlatDumpError> {
        let len = self.u32()?;
        let at = self.pos;
        let text = self.take(len)?;
        let digits = text.strip_prefix(b"-").unwrap_or(text);
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return Err(FlatDumpError::Malformed {
                what: "an int's text that is not decimal digits",
                at,
            });
        }
        // ASCII digits: valid UTF-8.
        std::str::from_utf8(text).map_err(|_| self.malformed("an int's text"))
    }

    /// A str's bytes, after its code.
    fn str(&mut self, code: u8) -> Result<&'a [u8], FlatDumpError> {
        let len = if matches!(code, b'z' | b'Z') {
            usize::from(self.byte()?)
        } else {
            self.u32()?
        };
        self.take(len)
    }

    fn name(&mut self) -> Result<String, FlatDumpError> {
        let len = self.u32()?;
        Ok(String::from_utf8_lossy(self.take(len)?).into_owned())
    }
}

/// A scalar the writer takes as a value or as a key.
enum Scalar<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Decimal(&'a str),
    Float(f64),
    Str(&'a [u8]),
}

/// The scalar of `code` (without its flag), read from `r`; `None` if the
/// code is not a scalar's.
fn scalar<'a>(
    code: u8,
    at: usize,
    r: &mut Reader<'a>,
) -> Result<Option<Scalar<'a>>, FlatDumpError> {
    Ok(Some(match code {
        b'N' => Scalar::Null,
        b'T' => Scalar::Bool(true),
        b'F' => Scalar::Bool(false),
        b'i' => Scalar::Int(i64::from(r.i32()?)),
        b'l' => Scalar::Int(r.long(at)?),
        b'D' => Scalar::Decimal(r.decimal()?),
        b'g' => Scalar::Float(f64::from_le_bytes(r.array()?)),
        b'u' | b't' | b'a' | b'A' | b'z' | b'Z' => Scalar::Str(r.str(code)?),
        _ => return Ok(None),
    }))
}

/// One open container, or a value read again from elsewhere (`r`).
enum Frame {
    /// A list or tuple with `left` items still to read; `start` is where its
    /// code is (its identity for [`Depth`]).
    List { left: usize, start: usize },
    /// A dict; the next field is a key or its end.
    Dict { start: usize },
    /// A value read again (`r`): when it ends, reading goes back to `pos`.
    Back { pos: usize },
}

/// `json.dumps(obj)` of the object flattened into `flat`, nesting at most
/// `max_depth` lists and dicts.
///
/// # Errors
///
/// [`FlatDumpError::Dump`] where json refuses (a `?`, a `!`, a cycle through
/// `r`, nesting past `max_depth`), [`FlatDumpError::Unsupported`] for a
/// marshal code json has no value for, [`FlatDumpError::Malformed`] for
/// anything else.
pub fn dumps_flat(flat: &[u8], max_depth: usize) -> Result<String, FlatDumpError> {
    let mut w = Writer::with_capacity(flat.len() + flat.len() / 2);
    let mut depth = Depth::new(max_depth);
    let mut stack: Vec<Frame> = Vec::new();
    // Where each remembered value's code is, by its number.
    let mut remembered: Vec<usize> = Vec::new();
    // How many `r` are being read again: a flag read again was counted the
    // first time.
    let mut replaying = 0_usize;
    let mut r = Reader { data: flat, pos: 0 };
    'value: loop {
        let start = r.pos;
        let raw = r.byte()?;
        let code = raw & !FLAG_REF;
        if raw & FLAG_REF != 0 && replaying == 0 {
            remembered.push(start);
        }
        if let Some(value) = scalar(code, start, &mut r)? {
            match value {
                Scalar::Null => w.null(),
                Scalar::Bool(v) => w.bool(v),
                Scalar::Int(v) => w.int(v),
                Scalar::Decimal(text) => w.int_decimal(text),
                Scalar::Float(v) => w.float(v),
                Scalar::Str(wtf8) => w.str(wtf8),
            }
        } else {
            match code {
                b'[' | b'(' | b')' => {
                    let left = if code == b')' {
                        usize::from(r.byte()?)
                    } else {
                        r.u32()?
                    };
                    w.begin_list();
                    if left == 0 {
                        w.end_list();
                    } else {
                        // json writes an empty list before it checks.
                        depth.enter(start)?;
                        stack.push(Frame::List { left, start });
                    }
                }
                b'{' => {
                    w.begin_dict();
                    if r.data.get(r.pos) == Some(&b'0') {
                        r.pos += 1;
                        w.end_dict();
                    } else {
                        depth.enter(start)?;
                        stack.push(Frame::Dict { start });
                    }
                }
                b'r' => {
                    let target = *remembered
                        .get(r.u32()?)
                        .ok_or_else(|| r.malformed("a reference to no value"))?;
                    stack.push(Frame::Back { pos: r.pos });
                    r.pos = target;
                    replaying += 1;
                    continue 'value;
                }
                b'?' => {
                    let type_name = r.name()?;
                    return Err(DumpError::NotSerializable { type_name }.into());
                }
                b'!' => return Err(cycle(&mut r, &stack, &mut depth)),
                b'0' => return Err(r.malformed("a dict's end where a value belongs")),
                _ => return Err(FlatDumpError::Unsupported { code, at: start }),
            }
        }
        // The value is written: on to the next field of the innermost frame.
        loop {
            match stack.last_mut() {
                None => break 'value,
                Some(Frame::Back { pos }) => {
                    r.pos = *pos;
                    replaying -= 1;
                    stack.pop();
                }
                Some(Frame::List { left, .. }) => {
                    if *left > 0 {
                        *left -= 1;
                        continue 'value;
                    }
                    stack.pop();
                    w.end_list();
                    depth.leave();
                }
                Some(Frame::Dict { .. }) => {
                    if key(&mut r, &mut w, &mut remembered, replaying)? {
                        continue 'value;
                    }
                    stack.pop();
                    w.end_dict();
                    depth.leave();
                }
            }
        }
    }
    if r.pos != flat.len() {
        return Err(r.malformed("bytes after the value"));
    }
    Ok(w.finish())
}

/// A `!`: the core decides, as for a container met again (`Depth::enter`).
fn cycle(r: &mut Reader<'_>, stack: &[Frame], depth: &mut Depth) -> FlatDumpError {
    let at = r.pos;
    let Ok(level) = r.u32() else {
        return r.malformed("a cycle's level");
    };
    let open = stack.iter().filter_map(|frame| match frame {
        Frame::List { start, .. } | Frame::Dict { start } => Some(*start),
        Frame::Back { .. } => None,
    });
    match open.clone().nth(level).map(|start| depth.enter(start)) {
        Some(Err(err)) => err.into(),
        _ => FlatDumpError::Malformed {
            what: "a cycle to no open container",
            at,
        },
    }
}

/// The next key of a dict, written; `false` at the dict's end.
fn key(
    r: &mut Reader<'_>,
    w: &mut Writer,
    remembered: &mut Vec<usize>,
    replaying: usize,
) -> Result<bool, FlatDumpError> {
    let start = r.pos;
    let raw = r.byte()?;
    if raw == b'0' {
        return Ok(false);
    }
    let mut code = raw & !FLAG_REF;
    if raw & FLAG_REF != 0 && replaying == 0 {
        remembered.push(start);
    }
    let value = if code == b'r' {
        // A key read again: a scalar, read where it is.
        let target = *remembered
            .get(r.u32()?)
            .ok_or_else(|| r.malformed("a reference to no value"))?;
        let mut again = Reader {
            data: r.data,
            pos: target,
        };
        code = again.byte()? & !FLAG_REF;
        scalar(code, target, &mut again)?
    } else {
        scalar(code, start, r)?
    };
    match value {
        Some(Scalar::Null) => w.key_null(),
        Some(Scalar::Bool(v)) => w.key_bool(v),
        Some(Scalar::Int(v)) => w.key_int(v),
        Some(Scalar::Decimal(text)) => w.key_int_decimal(text),
        Some(Scalar::Float(v)) => w.key_float(v),
        Some(Scalar::Str(wtf8)) => w.key_str(wtf8),
        None if code == b'?' => {
            let type_name = r.name()?;
            return Err(DumpError::BadKey { type_name }.into());
        }
        None if code == b'%' => return Err(DumpError::BadItems.into()),
        None => return Err(FlatDumpError::Unsupported { code, at: start }),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> LoadOptions {
        LoadOptions::python(11, 1000)
    }

    fn flat(text: &str) -> Flat {
        loads_flat_str(text.as_bytes(), opts(), 4300).unwrap()
    }

    /// loads, then dumps of what loads wrote: json's own round trip.
    fn round_trip(text: &str) -> String {
        dumps_flat(&flat(text).bytes, 1000).unwrap()
    }

    #[test]
    fn headers_go_before_their_items_at_any_nesting() {
        assert_eq!(flat("[]").bytes, b"[\0\0\0\0");
        assert_eq!(
            flat("[[1], {}]").bytes,
            b"[\x02\0\0\0[\x01\0\0\0i\x01\0\0\0{0"
        );
        assert_eq!(flat("[[[]]]").depth, 3);
        for text in [
            "[1, [2, [3, []], {}], {\"a\": [{}], \"b\": {\"c\": null}}]",
            "{\"a\": 1, \"a\": 2, \"b\": [true, false, 1.5, \"x\"]}",
            "[[[[[\"deep\"]]]], []]",
        ] {
            // Duplicate keys cross as written: the binding's dict keeps the last.
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn repeated_keys_are_written_once_and_referred_to() {
        let value = flat("[{\"key\": 1}, {\"key\": 2}]");
        assert_eq!(
            value.bytes,
            b"[\x02\0\0\0{\xfa\x03keyi\x01\0\0\x000{r\0\0\0\0i\x02\0\0\x000"
        );
        assert_eq!(
            round_trip("[{\"key\": 1}, {\"key\": 2}]"),
            "[{\"key\": 1}, {\"key\": 2}]"
        );
    }

    #[test]
    fn ints_take_the_smallest_code_and_big_ones_their_text() {
        assert_eq!(flat("-5").bytes, b"i\xfb\xff\xff\xff");
        // 2**40, as marshal.dumps(2**40) writes it.
        assert_eq!(
            flat("1099511627776").bytes,
            b"l\x03\0\0\0\0\0\0\0\x00\x04".as_slice()
        );
        let big = flat("123456789012345678901234567890");
        assert!(big.extended);
        assert_eq!(round_trip("-9223372036854775808"), "-9223372036854775808");
        assert_eq!(
            round_trip("[123456789012345678901234567890]"),
            "[123456789012345678901234567890]"
        );
        let digits = "9".repeat(4301);
        assert_eq!(
            loads_flat_str(digits.as_bytes(), opts(), 4300),
            Err(LoadError::Builder(FlatError::IntDigits(digits.clone())))
        );
        assert!(loads_flat_str(digits.as_bytes(), opts(), 0).is_ok());
    }

    #[test]
    fn strs_keep_surrogates_and_non_ascii() {
        let wtf8 = b"[\"\\ud800\", \"\xc3\xa9\"]";
        let value = loads_flat_str(wtf8, opts(), 0).unwrap();
        assert_eq!(
            value.bytes,
            b"[\x02\0\0\0u\x03\0\0\0\xed\xa0\x80u\x02\0\0\0\xc3\xa9"
        );
        assert_eq!(
            dumps_flat(&value.bytes, 10).unwrap(),
            "[\"\\ud800\", \"\\u00e9\"]"
        );
    }

    #[test]
    fn marshal_output_is_read_with_its_references() {
        // marshal.dumps([1, "a", {"k": 1.5, 2: None}], 4)
        let data = b"[\x03\x00\x00\x00\xe9\x01\x00\x00\x00\xda\x01a{\xda\x01k\xe7\x00\x00\x00\x00\x00\x00\xf8?\xe9\x02\x00\x00\x00N0";
        assert_eq!(
            dumps_flat(data, 10).unwrap(),
            "[1, \"a\", {\"k\": 1.5, \"2\": null}]"
        );
        // x = "key"; marshal.dumps([x, x], 4)
        assert_eq!(
            dumps_flat(b"[\x02\x00\x00\x00\xda\x03keyr\x00\x00\x00\x00", 10).unwrap(),
            "[\"key\", \"key\"]"
        );
        // a = []; a.append(a); marshal.dumps(a, 4)
        assert_eq!(
            dumps_flat(b"\xdb\x01\x00\x00\x00r\x00\x00\x00\x00", 10),
            Err(FlatDumpError::Dump(DumpError::Circular))
        );
        // marshal.dumps({1}, 4): a set, which only the walker names.
        assert_eq!(
            dumps_flat(b"<\x01\x00\x00\x00\xe9\x01\x00\x00\x00", 10),
            Err(FlatDumpError::Unsupported { code: b'<', at: 0 })
        );
    }

    #[test]
    fn the_walkers_marks_raise_the_cores_errors() {
        assert_eq!(
            dumps_flat(b"[\x01\0\0\0?\x03\0\0\0set", 10)
                .unwrap_err()
                .to_string(),
            "Object of type set is not JSON serializable"
        );
        assert_eq!(
            dumps_flat(b"{?\x05\0\0\0tuple", 10)
                .unwrap_err()
                .to_string(),
            "keys must be str, int, float, bool or None, not tuple"
        );
        assert_eq!(
            dumps_flat(b"[\x01\0\0\0[\x01\0\0\0!\0\0\0\0", 10),
            Err(FlatDumpError::Dump(DumpError::Circular))
        );
        assert!(matches!(
            dumps_flat(b"[\x01\0\0\0[\x01\0\0\0[\0\0\0\0", 1),
            Err(FlatDumpError::Dump(DumpError::TooDeep(_)))
        ));
    }

    #[test]
    fn malformed_buffers_are_refused_not_trusted() {
        for data in [
            &b""[..],
            b"[\x02\0\0\0N",
            b"r\0\0\0\0",
            b"z\x05ab",
            b"NN",
            b"D\x02\0\0\0-x",
            b"0",
            b"{N",
            b"!\0\0\0\0",
        ] {
            assert!(
                matches!(dumps_flat(data, 10), Err(FlatDumpError::Malformed { .. })),
                "{data:?}"
            );
        }
    }

    #[test]
    fn no_recursion_at_any_depth() {
        let depth = 100_000;
        let text = "[".repeat(depth) + &"]".repeat(depth);
        let value = loads_flat_str(text.as_bytes(), LoadOptions::python(11, depth), 0).unwrap();
        assert_eq!(value.depth, depth);
        assert_eq!(dumps_flat(&value.bytes, depth).unwrap(), text);
    }
}
