//! The writer: values as `json.dumps` writes them with its default
//! arguments (separators `", "` and `": "`, `ensure_ascii`, floats as
//! `repr`).

/// JSON text, written value by value by a walker (see the module's docs).
///
/// The walker calls the value methods in document order; the writer puts
/// the separators between them. Output is ASCII (`ensure_ascii`).
#[derive(Debug, Default)]
pub struct Writer {
    out: Vec<u8>,
    /// Whether the next value or key is the first of its container (no
    /// `", "` before it).
    first: bool,
    /// Whether a key was just written (the value follows its `": "`).
    after_key: bool,
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// ASCII bytes json writes as they are (`S_CHAR` in `_json.c`): printable,
/// but not `"` or `\`. DEL (0x7F) is escaped.
static PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = b' ';
    while c <= b'~' {
        table[c as usize] = true;
        c += 1;
    }
    table[b'"' as usize] = false;
    table[b'\\' as usize] = false;
    table
};

impl Writer {
    /// An empty document.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty document with room for `capacity` bytes.
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            out: Vec::with_capacity(capacity),
            ..Self::default()
        }
    }

    /// The separator before a value or key.
    #[inline]
    fn sep(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else if self.first {
            self.first = false;
        } else if !self.out.is_empty() {
            self.out.extend_from_slice(b", ");
        }
    }

    /// `null`.
    pub fn null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"null");
    }

    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        self.sep();
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// An integer.
    pub fn int(&mut self, v: i64) {
        self.sep();
        self.out
            .extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// An integer given as its decimal text (`repr(int)`), written as is.
    pub fn int_decimal(&mut self, decimal: &str) {
        self.sep();
        self.out.extend_from_slice(decimal.as_bytes());
    }

    /// A float as json writes it: `repr(v)`, or `NaN`, `Infinity`,
    /// `-Infinity`.
    pub fn float(&mut self, v: f64) {
        self.sep();
        push_float(&mut self.out, v);
    }

    /// A string (WTF-8), quoted and escaped as json's `ensure_ascii`
    /// escapes: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, other characters
    /// outside `' '..='~'` as `\u00XX`, past U+FFFF as a surrogate pair,
    /// and a lone surrogate as itself.
    pub fn str(&mut self, wtf8: &[u8]) {
        #[cfg(hi_inject_bug = "panic")]
        crate::inject::panic_on(wtf8);
        self.sep();
        push_str(&mut self.out, wtf8);
    }

    /// `[`: the items follow, then [`Writer::end_list`].
    pub fn begin_list(&mut self) {
        self.sep();
        self.out.push(b'[');
        self.first = true;
    }

    /// `]`.
    pub fn end_list(&mut self) {
        self.out.push(b']');
        self.first = false;
    }

    /// `{`: keys and values follow, then [`Writer::end_dict`].
    pub fn begin_dict(&mut self) {
        self.sep();
        self.out.push(b'{');
        self.first = true;
    }

    /// `}`.
    pub fn end_dict(&mut self) {
        self.out.push(b'}');
        self.first = false;
    }

    /// Ends a key: its value follows.
    fn colon(&mut self) {
        self.out.extend_from_slice(b": ");
        self.after_key = true;
    }

    /// A str key.
    pub fn key_str(&mut self, wtf8: &[u8]) {
        self.sep();
        push_str(&mut self.out, wtf8);
        self.colon();
    }

    /// An int key, written as json converts it: `"1"`.
    pub fn key_int(&mut self, v: i64) {
        self.key_int_decimal(itoa::Buffer::new().format(v));
    }

    /// An int key given as its decimal text.
    pub fn key_int_decimal(&mut self, decimal: &str) {
        self.sep();
        self.out.push(b'"');
        self.out.extend_from_slice(decimal.as_bytes());
        self.out.push(b'"');
        self.colon();
    }

    /// A float key, written as json converts it: `"1.5"`, `"NaN"`.
    pub fn key_float(&mut self, v: f64) {
        self.sep();
        self.out.push(b'"');
        push_float(&mut self.out, v);
        self.out.push(b'"');
        self.colon();
    }

    /// A bool key: `"true"` or `"false"`.
    pub fn key_bool(&mut self, v: bool) {
        self.sep();
        self.out
            .extend_from_slice(if v { b"\"true\"" } else { b"\"false\"" });
        self.colon();
    }

    /// A None key: `"null"`.
    pub fn key_null(&mut self) {
        self.sep();
        self.out.extend_from_slice(b"\"null\"");
        self.colon();
    }

    /// The document so far, as bytes (ASCII).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// The document.
    #[must_use]
    pub fn finish(self) -> String {
        // Every byte written is ASCII: escapes, digits and the constants.
        String::from_utf8(self.out).unwrap_or_default()
    }
}

/// `repr(v)` for a finite float, and json's words for the others, as one
/// `String` (for tests and callers that format one float).
#[must_use]
pub fn format_float(v: f64) -> String {
    let mut out = Vec::new();
    push_float(&mut out, v);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `repr(v)` (or `NaN`, `Infinity`, `-Infinity`).
///
/// ryu finds the shortest digits that read back as `v`, as Python's repr
/// does, and lays them out almost as repr does: positional from 1e-5 up
/// to 1e16 (exclusive), with at least one digit after the point, else
/// `d.ddde±X`. repr differs in two points, mended here: the exponent has
/// a sign and at least two digits (`1e+16`, `1.5e-07`), and from 1e-5
/// (inclusive) to 1e-4 it is already scientific (`1.5e-05`, where ryu
/// writes `0.000015`).
fn push_float(out: &mut Vec<u8>, v: f64) {
    if !v.is_finite() {
        out.extend_from_slice(if v.is_nan() {
            b"NaN"
        } else if v > 0.0 {
            b"Infinity"
        } else {
            b"-Infinity"
        });
        return;
    }
    let mut buffer = ryu::Buffer::new();
    let text = buffer.format_finite(v).as_bytes();
    if let Some(e) = text.iter().position(|&c| c == b'e') {
        out.extend_from_slice(&text[..=e]);
        let (sign, digits) = match text[e + 1..].split_first() {
            Some((b'-', digits)) => (b'-', digits),
            _ => (b'+', &text[e + 1..]),
        };
        out.push(sign);
        if digits.len() < 2 {
            out.push(b'0');
        }
        out.extend_from_slice(digits);
        return;
    }
    let (sign, unsigned) = match text.split_first() {
        Some((b'-', rest)) => (&text[..1], rest),
        _ => (&text[..0], text),
    };
    // 0.0000ddd: ryu's only positional form that repr writes as d.dde-05.
    if let Some(digits) = unsigned.strip_prefix(b"0.0000") {
        if let Some((first, rest)) = digits.split_first() {
            out.extend_from_slice(sign);
            out.push(*first);
            if !rest.is_empty() {
                out.push(b'.');
                out.extend_from_slice(rest);
            }
            out.extend_from_slice(b"e-05");
            return;
        }
    }
    out.extend_from_slice(text);
}

/// Appends `wtf8` as a JSON string with json's `ensure_ascii` escapes.
fn push_str(out: &mut Vec<u8>, wtf8: &[u8]) {
    out.reserve(wtf8.len() + 2);
    out.push(b'"');
    let mut at = 0;
    while at < wtf8.len() {
        // Plain ASCII runs are copied at once.
        let start = at;
        at = super::swar::plain_end(wtf8, at, &PLAIN);
        out.extend_from_slice(&wtf8[start..at]);
        let Some(&c) = wtf8.get(at) else { break };
        match c {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            0x00..=0x7F => push_u(out, u32::from(c)),
            _ => {
                // A multi-byte sequence of WTF-8 (the caller's promise;
                // a stray byte is written as its own code point).
                let (code, len) = decode_wtf8(&wtf8[at..]);
                if code >= 0x1_0000 {
                    let v = code - 0x1_0000;
                    push_u(out, 0xD800 | (v >> 10));
                    push_u(out, 0xDC00 | (v & 0x3FF));
                } else {
                    push_u(out, code);
                }
                at += len;
                continue;
            }
        }
        at += 1;
    }
    out.push(b'"');
}

fn push_u(out: &mut Vec<u8>, code: u32) {
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[(code >> 12) as usize & 0xF],
        HEX[(code >> 8) as usize & 0xF],
        HEX[(code >> 4) as usize & 0xF],
        HEX[code as usize & 0xF],
    ]);
}

/// The code point at the start of `bytes` (a non-ASCII lead byte) and its
/// length.
fn decode_wtf8(bytes: &[u8]) -> (u32, usize) {
    let lead = u32::from(bytes[0]);
    let (len, init) = match bytes[0] {
        0xC0..=0xDF => (2, lead & 0x1F),
        0xE0..=0xEF => (3, lead & 0x0F),
        0xF0..=0xF7 => (4, lead & 0x07),
        _ => return (lead, 1),
    };
    if bytes.len() < len || !bytes[1..len].iter().all(|&b| b & 0xC0 == 0x80) {
        return (lead, 1);
    }
    let code = bytes[1..len]
        .iter()
        .fold(init, |acc, &b| (acc << 6) | u32::from(b & 0x3F));
    (code, len)
}
