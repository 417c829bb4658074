//! `loads` and `dumps`: JSON text to nested values and back, held to
//! Python's `json` module with its default arguments.
//!
//! Every rule of the format lives here: the grammar json accepts (`NaN`,
//! `Infinity`, lone surrogates from `\ud800` escapes, integers of any size),
//! its error messages and positions, how `json.loads` tells UTF-8, UTF-16 and
//! UTF-32 bytes apart, and how `json.dumps` writes each value (separators,
//! `ensure_ascii` escaping, floats as `repr` writes them). A binding only
//! converts between its own values and these calls:
//!
//! - `loads`: the parser drives a [`Builder`], innermost value first, so a
//!   binding builds its own objects (Python dicts, a flat encoding) as the
//!   text is read;
//! - `dumps`: the binding walks its objects and drives a [`Writer`], with
//!   [`Depth`] and [`DumpError`] for json's rules on nesting, cycles and
//!   types.
//!
//! Text is WTF-8 throughout, as Python holds it: UTF-8 in which a lone
//! surrogate U+D800..U+DFFF may appear as its 3-byte sequence, exactly what
//! `str.encode("utf-8", "surrogatepass")` writes. A flag `utf8 == true`
//! promises that the bytes are valid UTF-8 (no surrogate).
//!
//! Nothing here recurses on the input's nesting: the parser keeps its own
//! stack, and a walker keeps its own with [`Depth`].

mod decode;
mod parse;
mod swar;
mod write;

use std::collections::{HashMap, HashSet};
use std::fmt;

pub use decode::{detect_encoding, DecodeError, Encoding};
pub use parse::{loads_bytes, loads_str, Builder, Items, LoadOptions, Pairs};
pub use write::{format_float, Writer};

/// Why [`loads_str`] or [`loads_bytes`] refused a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError<E> {
    /// Not JSON as json reads it: `json.JSONDecodeError(msg, doc, pos)`,
    /// `pos` in code points of the (decoded) text, as json counts.
    Syntax(SyntaxError),
    /// Bytes that json's chosen codec cannot decode: `UnicodeDecodeError`.
    Decode(DecodeError),
    /// Nested deeper than the limit: `RecursionError` with this text.
    TooDeep(TooDeep),
    /// The builder's own error (e.g. Python's `int()` past its digit
    /// limit), passed through unchanged.
    Builder(E),
}

/// A `json.JSONDecodeError`'s message and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyntaxError {
    /// json's own message, without the position json adds to it
    /// ("Expecting value", "Extra data", ...).
    pub msg: &'static str,
    /// Where, in code points of the decoded text, as json's `pos`.
    pub pos: usize,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.msg)
    }
}

/// Nesting past the limit a caller set (for Python, `sys.getrecursionlimit()`).
///
/// `Display` is the message of the `RecursionError` that json raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooDeep {
    what: &'static str,
}

impl TooDeep {
    const DECODE_OBJECT: Self = Self {
        what: "while decoding a JSON object from a unicode string",
    };
    const DECODE_ARRAY: Self = Self {
        what: "while decoding a JSON array from a unicode string",
    };
    const ENCODE: Self = Self {
        what: "while encoding a JSON object",
    };
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "maximum recursion depth exceeded {}", self.what)
    }
}

impl std::error::Error for TooDeep {}

impl<E: fmt::Display> fmt::Display for LoadError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(err) => err.fmt(f),
            Self::Decode(err) => err.fmt(f),
            Self::TooDeep(err) => err.fmt(f),
            Self::Builder(err) => err.fmt(f),
        }
    }
}

/// `loads` given something that is not a document: json's `TypeError`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText {
    /// The argument's type, as `type(s).__name__`.
    pub type_name: String,
}

impl fmt::Display for NotText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the JSON object must be str, bytes or bytearray, not {}",
            self.type_name
        )
    }
}

impl std::error::Error for NotText {}

/// Repeated dict keys made once per document, as json's C scanner memoizes
/// them and jiter caches them: a [`Builder`] keeps its made keys here.
///
/// Only short keys are kept, and at most [`KeyCache::CAPACITY`] of them, so a
/// document of many distinct keys costs bounded memory. (A direct-mapped
/// table, as jiter's, measured no faster here: two frequent keys that share
/// a slot evict each other at every record.)
#[derive(Debug)]
pub struct KeyCache<V> {
    keys: HashMap<Box<[u8]>, V, foldhash::fast::RandomState>,
}

impl<V> Default for KeyCache<V> {
    fn default() -> Self {
        Self {
            keys: HashMap::default(),
        }
    }
}

impl<V: Clone> KeyCache<V> {
    /// The longest key kept, in bytes.
    pub const MAX_LEN: usize = 64;
    /// The most keys kept.
    pub const CAPACITY: usize = 1024;

    /// The key made for `wtf8` before, else `make()`'s, kept when it may be.
    ///
    /// # Errors
    ///
    /// `make`'s.
    pub fn get_or_make<E>(
        &mut self,
        wtf8: &[u8],
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<V, E> {
        if wtf8.len() > Self::MAX_LEN {
            return make();
        }
        if let Some(key) = self.keys.get(wtf8) {
            return Ok(key.clone());
        }
        let key = make()?;
        if self.keys.len() < Self::CAPACITY {
            self.keys.insert(wtf8.into(), key.clone());
        }
        Ok(key)
    }
}

/// Why `dumps` refused an object. `Display` is json's message; a Python
/// binding raises `TypeError` for [`DumpError::NotSerializable`] and
/// [`DumpError::BadKey`], `ValueError` for [`DumpError::Circular`] and
/// [`DumpError::BadItems`], and `RecursionError` for [`DumpError::TooDeep`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DumpError {
    /// A value of a type json cannot write; `type_name` as
    /// `type(obj).__name__`.
    NotSerializable {
        /// The value's type, as `type(obj).__name__`.
        type_name: String,
    },
    /// A dict key that is not str, int, float, bool or None; `type_name` as
    /// the C type's `tp_name` (for a class defined in Python, its name).
    BadKey {
        /// The key's type, as json's C encoder names it.
        type_name: String,
    },
    /// A list or dict that contains itself.
    Circular,
    /// A dict subclass whose `items()` gave something other than pairs.
    BadItems,
    /// Nested deeper than the limit.
    TooDeep(TooDeep),
}

impl fmt::Display for DumpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotSerializable { type_name } => {
                write!(f, "Object of type {type_name} is not JSON serializable")
            }
            Self::BadKey { type_name } => {
                write!(
                    f,
                    "keys must be str, int, float, bool or None, not {type_name}"
                )
            }
            Self::Circular => f.write_str("Circular reference detected"),
            Self::BadItems => f.write_str("items must return 2-tuples"),
            Self::TooDeep(err) => err.fmt(f),
        }
    }
}

impl std::error::Error for DumpError {}

/// The nesting of a `dumps` walk, and json's rules on it: a limit (Python's
/// recursion limit) and no container inside itself.
///
/// A walker calls [`Depth::enter`] with a container's identity (for Python,
/// its address) before writing a non-empty list or dict, and
/// [`Depth::leave`] after it, as json's C encoder keeps its `markers`.
/// Empty containers need neither: json writes `[]` and `{}` before it
/// checks.
#[derive(Debug, Default)]
pub struct Depth {
    /// The open containers, outermost first.
    open: Vec<usize>,
    /// Those of `open` past the first [`Depth::SCAN`], for deep walks.
    deep: HashSet<usize, foldhash::fast::RandomState>,
    max_depth: usize,
}

impl Depth {
    /// How many open containers are compared one by one; past these a set
    /// keeps a deep walk linear in its depth.
    const SCAN: usize = 16;

    /// A walk that may nest at most `max_depth` containers.
    #[must_use]
    pub fn new(max_depth: usize) -> Self {
        Self {
            open: Vec::new(),
            deep: HashSet::default(),
            max_depth,
        }
    }

    /// Open the container `id`.
    ///
    /// # Errors
    ///
    /// [`DumpError::Circular`] if `id` is already open (a cycle),
    /// [`DumpError::TooDeep`] past the limit.
    pub fn enter(&mut self, id: usize) -> Result<(), DumpError> {
        if self.open.len() >= self.max_depth {
            return Err(DumpError::TooDeep(TooDeep::ENCODE));
        }
        // The open containers are the path from the root: a cycle is a
        // container already on it (json's `markers`).
        let shallow = &self.open[..self.open.len().min(Self::SCAN)];
        if shallow.contains(&id) || self.deep.contains(&id) {
            return Err(DumpError::Circular);
        }
        if self.open.len() >= Self::SCAN {
            self.deep.insert(id);
        }
        self.open.push(id);
        Ok(())
    }

    /// Close the innermost container.
    pub fn leave(&mut self) {
        if let Some(id) = self.open.pop() {
            if self.open.len() >= Self::SCAN {
                self.deep.remove(&id);
            }
        }
    }

    /// How many containers are open.
    #[must_use]
    pub fn len(&self) -> usize {
        self.open.len()
    }

    /// Whether no container is open.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.open.is_empty()
    }
}

#[cfg(test)]
mod tests;
