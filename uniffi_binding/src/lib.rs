//! `uniffi_binding`'s library: `shared_rust` exposed with UniFFI's
//! proc-macros, built by maturin (`bindings = "uniffi"`), which runs
//! `uniffi-bindgen` to write the Python module that loads it with ctypes.
//!
//! Glue only: every string and every rule comes from `shared_rust`. UniFFI
//! generates the `extern "C"` scaffolding: each exported function runs inside
//! `catch_unwind`, so a panic comes back to Python as a call status, never
//! across the boundary, and there is no `unsafe` block in this crate.

use std::fmt;

use shared_rust::json::flat::{self, Flat, FlatDumpError, FlatError};
use shared_rust::json::{DumpError, LoadError, LoadOptions};

uniffi::setup_scaffolding!();

/// `shared_rust::GreetError` as UniFFI carries it to Python.
///
/// Flat: only the variant and the error's `Display` text cross the boundary,
/// so the Python exception's message is `shared_rust`'s text, written once.
/// The package's `__init__.py` raises it as `ValueError`, in one place.
#[derive(Debug, uniffi::Error)]
#[uniffi(flat_error)]
pub enum GreetError {
    /// `shared_rust` refused the name; its `Display` says why.
    Refused(shared_rust::GreetError),
}

impl fmt::Display for GreetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(err) => err.fmt(f),
        }
    }
}

impl From<shared_rust::GreetError> for GreetError {
    fn from(err: shared_rust::GreetError) -> Self {
        Self::Refused(err)
    }
}

/// Return the greeting, "Hello from Rust!".
#[uniffi::export]
#[must_use]
pub fn hi() -> String {
    shared_rust::hi().to_owned()
}

/// Return "Hello, {name}!"; an empty name is a `GreetError`.
#[uniffi::export]
pub fn greet(name: &str) -> Result<String, GreetError> {
    Ok(shared_rust::greet(name)?)
}

/// The crate's version: maturin writes the same into the wheel's metadata.
#[uniffi::export]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// `shared_rust::TooLarge` as UniFFI carries it to Python: flat, as
/// [`GreetError`], so the message is `shared_rust`'s text. The package's
/// `__init__.py` raises it as `OverflowError`.
// The same shape as GreetError on purpose: UniFFI makes each error enum its
// own Python class, and one enum for both would let greet's signature claim
// a limit it never reaches (and split's a refused name).
#[derive(Debug, uniffi::Error)]
#[uniffi(flat_error)]
pub enum LimitError {
    /// A result past [`UNIFFI`]; the `Display` says which limit.
    TooLarge(shared_rust::TooLarge),
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge(err) => err.fmt(f),
        }
    }
}

impl From<shared_rust::TooLarge> for LimitError {
    fn from(err: shared_rust::TooLarge) -> Self {
        Self::TooLarge(err)
    }
}

/// What UniFFI 0.32 carries in a `Vec<String>`: it writes the list's length
/// and each string's length as an `i32` (and panics on `i32::try_from`
/// beyond it), so a result is checked against this before it is lowered.
/// A lone `String` crosses as a RustBuffer with a `u64` length: no limit.
// i32::MAX is positive: the cast keeps its value.
const UNIFFI: shared_rust::Limit = shared_rust::Limit {
    words: i32::MAX as usize,
    word_bytes: i32::MAX as usize,
};

/// The words of `text`, as `text.split()` gives them.
///
/// One RustBuffer holds them all (a length-prefixed UTF-8 string each), so
/// the call is one crossing however many words there are.
///
/// # Errors
///
/// [`LimitError`] if a word or their number is past what UniFFI carries
/// ([`UNIFFI`]): checked first, with nothing copied.
#[uniffi::export]
pub fn split(text: &str) -> Result<Vec<String>, LimitError> {
    UNIFFI.check(shared_rust::split(text))?;
    Ok(shared_rust::split(text).map(str::to_owned).collect())
}

/// `zlib.crc32(data, value)`: the CRC-32 of `data`, continuing from `value`.
///
/// UniFFI 0.32 passes a `&[u8]` argument by reference (the Python `bytes`
/// object's own memory) and a `u32` by value: no RustBuffer either way. The
/// generated code calls through ctypes, which releases the GIL for every
/// call, whatever its size. Its `ForeignBytes` carries an `i32` length, so
/// the package feeds a larger buffer in pieces, each continuing from `value`.
#[uniffi::export]
#[must_use]
pub fn checksum(data: &[u8], value: u32) -> u32 {
    shared_rust::checksum(data, value)
}

/// Why a [`Keep`] callback stopped an [`WordCounter::add_kept`].
#[derive(Debug, uniffi::Error)]
pub enum KeepError {
    /// The callback raised: the package kept the exception and raises it
    /// again once the call has returned (UniFFI would rebuild it otherwise).
    Raised,
    /// UniFFI's own callback machinery failed (a bug); the reason is its text.
    Unexpected {
        /// What UniFFI reported.
        reason: String,
    },
}

impl fmt::Display for KeepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Raised => f.write_str("the callback raised"),
            Self::Unexpected { reason } => f.write_str(reason),
        }
    }
}

impl std::error::Error for KeepError {}

/// Required of every error a callback may return: what UniFFI reports when
/// the foreign side broke the call's protocol.
impl From<uniffi::UnexpectedUniFFICallbackError> for KeepError {
    fn from(err: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Unexpected { reason: err.reason }
    }
}

/// The `keep` callback of [`WordCounter::add_kept`], implemented in Python.
#[uniffi::export(callback_interface)]
pub trait Keep: Send + Sync {
    /// Whether to count `word`; an error stops the add, and nothing is counted.
    ///
    /// # Errors
    ///
    /// [`KeepError::Raised`] when the Python callback raised.
    fn keep(&self, word: String) -> Result<bool, KeepError>;
}

/// [`shared_rust::WordCounter::most_common`]'s pairs, as two lists: one record
/// instead of one per word, which UniFFI's Python would build one by one.
#[derive(uniffi::Record)]
pub struct MostCommon {
    /// The words, most common first.
    pub words: Vec<String>,
    /// Their counts, in the same order.
    pub counts: Vec<u64>,
}

/// `shared_rust::WordCounter` as a UniFFI object: Python holds an `Arc` of it,
/// which the generated class releases once, when Python collects it.
#[derive(Debug, Default, uniffi::Object)]
pub struct WordCounter(shared_rust::WordCounter);

#[uniffi::export]
impl WordCounter {
    /// An empty counter.
    #[uniffi::constructor]
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts every word of `text`.
    pub fn add(&self, text: &str) {
        self.0.add(text);
    }

    /// Counts the words of `text` that `keep` keeps; the first error stops
    /// the call, and nothing is counted.
    ///
    /// # Errors
    ///
    /// The first error `keep` returned.
    pub fn add_kept(&self, text: &str, keep: Box<dyn Keep>) -> Result<(), KeepError> {
        self.0.add_kept(text, |word| keep.keep(word.to_owned()))
    }

    /// How many times `word` was counted.
    #[must_use]
    pub fn count(&self, word: &str) -> u64 {
        self.0.count(word)
    }

    /// How many distinct words were counted (Python's `len`, which has no
    /// `is_empty` to pair with).
    #[must_use]
    #[expect(clippy::len_without_is_empty, reason = "Python's len() is the API")]
    pub fn len(&self) -> u64 {
        // A usize always fits a u64 on the platforms Rust targets.
        self.0.len() as u64
    }

    /// The sum of the counts.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.0.total()
    }

    /// The `n` most common words (all for `None`), ordered by `shared_rust`.
    ///
    /// # Errors
    ///
    /// [`LimitError`] if a word or their number is past what UniFFI
    /// carries ([`UNIFFI`]).
    pub fn most_common(&self, n: Option<u64>) -> Result<MostCommon, LimitError> {
        // More than usize::MAX words cannot exist: saturate, it means "all".
        let n = n.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        let pairs = self.0.most_common(n);
        UNIFFI.check(pairs.iter().map(|(word, _)| word.as_str()))?;
        let (words, counts) = pairs.into_iter().unzip();
        Ok(MostCommon { words, counts })
    }
}

/// A value `json.loads` read, in the flat format of
/// `shared_rust::json::flat`: one record, so UniFFI copies one buffer
/// however many values it holds (the package rebuilds them with `marshal`).
#[derive(uniffi::Record)]
pub struct FlatValue {
    /// The flat buffer.
    pub data: Vec<u8>,
    /// How many lists and dicts nest at the deepest point.
    pub depth: u64,
    /// Whether `data` holds what `marshal.loads` cannot read
    /// ([`shared_rust::json::flat::Flat::extended`]).
    pub extended: bool,
}

/// Why a json call failed: one variant per exception the package raises,
/// with the fields that exception needs; each `msg` is `shared_rust`'s text.
#[derive(Debug, uniffi::Error)]
pub enum JsonError {
    /// `json.JSONDecodeError(msg, doc, pos)`.
    Syntax {
        /// json's message.
        msg: String,
        /// Where, in code points of the decoded text.
        pos: u64,
    },
    /// `UnicodeDecodeError(encoding, data[object_start:], start, end, reason)`.
    Decode {
        /// The codec's name.
        encoding: String,
        /// Where the error's object starts in the bytes.
        object_start: u64,
        /// The refused bytes are `start .. end` of the object.
        start: u64,
        /// See `start`.
        end: u64,
        /// Python's reason.
        reason: String,
    },
    /// `RecursionError`.
    TooDeep {
        /// json's message.
        msg: String,
    },
    /// `TypeError`: a value or key json cannot write.
    Type {
        /// json's message.
        msg: String,
    },
    /// `ValueError`: a circular reference, or a malformed flat buffer.
    Value {
        /// The message.
        msg: String,
    },
    /// An int past the caller's digit limit, as written: Python's `int()`
    /// raises json's `ValueError` on it.
    IntDigits {
        /// The int's decimal text.
        decimal: String,
    },
    /// The flat buffer holds what json has no value for: the package
    /// flattens its object again ([`shared_rust::json::flat::FlatDumpError::Unsupported`]).
    Unsupported {
        /// The message.
        msg: String,
    },
    /// `OverflowError`: a result past what UniFFI or the flat format carries.
    TooLarge {
        /// The message.
        msg: String,
    },
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { msg, .. }
            | Self::TooDeep { msg }
            | Self::Type { msg }
            | Self::Value { msg }
            | Self::Unsupported { msg }
            | Self::TooLarge { msg } => f.write_str(msg),
            Self::Decode { reason, .. } => f.write_str(reason),
            Self::IntDigits { decimal } => f.write_str(decimal),
        }
    }
}

impl From<LoadError<FlatError>> for JsonError {
    fn from(err: LoadError<FlatError>) -> Self {
        let msg = err.to_string();
        match err {
            LoadError::Syntax(err) => Self::Syntax {
                msg,
                pos: err.pos as u64,
            },
            LoadError::Decode(err) => Self::Decode {
                encoding: err.encoding.to_owned(),
                object_start: err.object_start as u64,
                start: err.start as u64,
                end: err.end as u64,
                reason: err.reason.to_owned(),
            },
            LoadError::TooDeep(_) => Self::TooDeep { msg },
            LoadError::Builder(FlatError::IntDigits(decimal)) => Self::IntDigits { decimal },
            LoadError::Builder(FlatError::TooLarge { .. }) => Self::TooLarge { msg },
        }
    }
}

impl From<FlatDumpError> for JsonError {
    fn from(err: FlatDumpError) -> Self {
        let msg = err.to_string();
        match err {
            FlatDumpError::Dump(DumpError::NotSerializable { .. } | DumpError::BadKey { .. }) => {
                Self::Type { msg }
            }
            FlatDumpError::Dump(DumpError::TooDeep(_)) => Self::TooDeep { msg },
            FlatDumpError::Dump(DumpError::Circular | DumpError::BadItems)
            | FlatDumpError::Malformed { .. } => Self::Value { msg },
            FlatDumpError::Unsupported { .. } => Self::Unsupported { msg },
        }
    }
}

/// A `u64` from Python as a `usize`: past it means "no limit" anyway.
fn saturate(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A flat value as UniFFI carries it, checked against its `i32` length of a
/// `Vec<u8>` first (lowering a longer one would panic).
fn flat_value(flat: Flat) -> Result<FlatValue, JsonError> {
    // i32::MAX is positive: the cast keeps its value.
    const MOST: usize = i32::MAX as usize;
    if flat.bytes.len() > MOST {
        return Err(JsonError::TooLarge {
            msg: format!(
                "a flat value of {} bytes is past this route's limit of {MOST} bytes",
                flat.bytes.len()
            ),
        });
    }
    Ok(FlatValue {
        data: flat.bytes,
        depth: flat.depth as u64,
        extended: flat.extended,
    })
}

/// `json.loads(s)` of a `str` given as WTF-8 (`s.encode("utf-8",
/// "surrogatepass")`), as a flat value; `max_depth`, `python_minor` and
/// `max_int_digits` as `hi_json_loads_str` takes them.
///
/// # Errors
///
/// [`JsonError`], one variant per exception json raises.
#[uniffi::export]
pub fn json_loads_str(
    text: &[u8],
    max_depth: u64,
    python_minor: u32,
    max_int_digits: u64,
) -> Result<FlatValue, JsonError> {
    let opts = LoadOptions::python(python_minor, saturate(max_depth));
    flat_value(flat::loads_flat_str(text, opts, saturate(max_int_digits))?)
}

/// `json.loads(data)` of `bytes`, as [`json_loads_str`].
///
/// # Errors
///
/// [`JsonError`], one variant per exception json raises.
#[uniffi::export]
pub fn json_loads_bytes(
    data: &[u8],
    max_depth: u64,
    python_minor: u32,
    max_int_digits: u64,
) -> Result<FlatValue, JsonError> {
    let opts = LoadOptions::python(python_minor, saturate(max_depth));
    flat_value(flat::loads_flat_bytes(
        data,
        opts,
        saturate(max_int_digits),
    )?)
}

/// `json.dumps(obj)` of the object flattened into `flat`. A lone `String`
/// crosses with a `u64` length: no limit on the text.
///
/// # Errors
///
/// [`JsonError`]: `Type`, `Value`, `TooDeep` as json raises them,
/// `Unsupported` to flatten again.
#[uniffi::export]
pub fn json_dumps(flat: &[u8], max_depth: u64) -> Result<String, JsonError> {
    Ok(flat::dumps_flat(flat, saturate(max_depth))?)
}

/// json's `TypeError` message for a `loads` argument of type `type_name`
/// that is neither str nor bytes (the package checks the type; the text is
/// the core's).
#[uniffi::export]
#[must_use]
pub fn json_not_text(type_name: String) -> String {
    shared_rust::json::NotText { type_name }.to_string()
}
