//! What every call shares: its status, its guard against panics, the
//! per-thread slot for its error message, the caller's buffer for a text,
//! and the checks of the pointers it is given.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_char, c_int, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use shared_rust::GreetError;

// cbindgen writes this enum into hi_c_abi.h as `enum HiStatus`, each variant
// an HI_STATUS_* constant; tests/header.rs keeps the shipped copies in step.
/// What a call did. The text of a failed call is its error message.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HiStatus {
    /// Success: the text is the result.
    Ok = 0,
    /// The name was empty.
    EmptyName = 1,
    /// The name was not UTF-8.
    InvalidUtf8 = 2,
    /// A pointer was NULL where the call needs one: a text whose length is
    /// not 0, a counter, or where a result goes.
    NullPointer = 3,
    /// Rust panicked; the text is the panic message.
    Panic = 4,
    /// A `HiKeep` callback returned neither 0 nor 1: the add stopped, and
    /// nothing was counted.
    Stopped = 5,
    /// `hi_counter_add_mask`'s mask does not have one byte per word.
    MaskLength = 6,
    /// Not JSON, as json reads it: the message is json's `msg`, and
    /// `HiJson.pos` its position (Python: `json.JSONDecodeError`).
    JsonSyntax = 7,
    /// JSON bytes their encoding cannot decode: the message is the reason,
    /// `HiJson` says where (Python: `UnicodeDecodeError`).
    JsonDecode = 8,
    /// Nested deeper than `max_depth` (Python: `RecursionError`).
    JsonTooDeep = 9,
    /// A value or a key json cannot write (Python: `TypeError`).
    JsonType = 10,
    /// A container inside itself (Python: `ValueError`).
    JsonCircular = 11,
    /// An int with more digits than `max_int_digits`: the message is the
    /// int as written (Python raises `int()`'s `ValueError` on it).
    JsonIntDigits = 12,
    /// A flat buffer with a marshal code json has no value for (a set,
    /// bytes ...) or an int past `i64` as `l`: flatten the object again,
    /// with `D`, `?` and `!` (see `hi_json_dumps`).
    FlatUnsupported = 13,
    /// Not a flat buffer: the message says where and why.
    FlatMalformed = 14,
    /// A length past what the flat format carries (Python: `OverflowError`).
    TooLarge = 15,
    /// A dict whose `items()` gave something other than 2-tuples (Python:
    /// `ValueError`).
    JsonItems = 16,
}

/// Why a call failed, before the boundary turns it into a status and a message.
pub(crate) enum Failure {
    Greet(GreetError),
    /// A NULL pointer where the call needs one; with the length given for it.
    NullPointer {
        what: &'static str,
        len: Option<usize>,
    },
    /// A text (not a name: that is `GreetError`'s) that is not UTF-8.
    InvalidUtf8 {
        valid_up_to: usize,
    },
    /// A `HiKeep` returned something else than 0 or 1.
    Stopped(c_int),
    MaskLength {
        words: usize,
        mask: usize,
    },
    /// A status and its message, both decided by the call (json.rs).
    Status(HiStatus, String),
}

impl From<GreetError> for Failure {
    fn from(err: GreetError) -> Self {
        Self::Greet(err)
    }
}

impl Failure {
    /// The status and the message. The message of a `shared_rust` error is
    /// its `Display` text, as in the PyO3 bindings; the others are this
    /// boundary's own (Python callers never see them: the wrappers pass no
    /// NULL and no invalid UTF-8).
    pub(crate) fn describe(self) -> (HiStatus, String) {
        match self {
            Self::Greet(err @ GreetError::EmptyName) => (HiStatus::EmptyName, err.to_string()),
            Self::Greet(err @ GreetError::InvalidUtf8 { .. }) => {
                (HiStatus::InvalidUtf8, err.to_string())
            }
            Self::NullPointer { what, len: None } => {
                (HiStatus::NullPointer, format!("{what} is NULL"))
            }
            Self::NullPointer {
                what,
                len: Some(len),
            } => (
                HiStatus::NullPointer,
                format!("{what} is NULL but its length is {len}"),
            ),
            Self::InvalidUtf8 { valid_up_to } => (
                HiStatus::InvalidUtf8,
                format!("text is not valid UTF-8 (invalid byte at offset {valid_up_to})"),
            ),
            Self::Stopped(code) => (
                HiStatus::Stopped,
                format!("keep returned {code}: the add stopped, nothing was counted"),
            ),
            Self::MaskLength { words, mask } => (
                HiStatus::MaskLength,
                format!("the text has {words} words but the mask {mask} bytes"),
            ),
            Self::Status(status, message) => (status, message),
        }
    }
}

thread_local! {
    /// The message of this thread's latest failed call (`hi_last_error`).
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The boundary guard of every function without a `HiBuffer`: as
/// `hi_greet_into`'s guard (greet.rs), but the message goes to this thread's
/// [`hi_last_error`]. Nothing is stored on success: a successful call costs
/// no thread-local access.
pub(crate) fn run(body: impl FnOnce() -> Result<(), Failure>) -> HiStatus {
    // AssertUnwindSafe: `body` only borrows its inputs and writes results
    // through the caller's pointers, which a failed call leaves unspecified;
    // a `WordCounter` changes only under its lock, all at once.
    let (status, message) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return HiStatus::Ok,
        Ok(Err(failure)) => failure.describe(),
        Err(payload) => (HiStatus::Panic, panic_message(payload.as_ref())),
    };
    LAST_ERROR.with(|last| *last.borrow_mut() = message);
    status
}

/// The text a panic was raised with, as PyO3's `PanicException` shows it.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Rust panicked with a non-string payload".to_owned()
    }
}

/// `len` bytes at `ptr` as a slice; NULL is allowed only when `len` is 0.
/// `what` names the argument in the message of a NULL.
///
/// # Safety
///
/// Unless `len` is 0, `ptr` must point to `len` readable bytes that stay
/// unchanged while the slice lives.
pub(crate) unsafe fn bytes_at<'a, T>(
    ptr: *const T,
    len: usize,
    what: &'static str,
) -> Result<&'a [u8], Failure> {
    if len == 0 {
        Ok(&[])
    } else if ptr.is_null() {
        Err(Failure::NullPointer {
            what,
            len: Some(len),
        })
    } else {
        // SAFETY: `ptr` is not NULL, and the caller guarantees it points to
        // `len` readable bytes that do not change while the slice lives.
        Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
    }
}

/// `len` bytes of UTF-8 at `ptr` as a `&str`.
///
/// # Safety
///
/// As [`bytes_at`]'s.
pub(crate) unsafe fn text_at<'a>(
    ptr: *const c_char,
    len: usize,
    what: &'static str,
) -> Result<&'a str, Failure> {
    // SAFETY: the caller's guarantee, passed on.
    let bytes = unsafe { bytes_at(ptr, len, what) }?;
    std::str::from_utf8(bytes).map_err(|err| Failure::InvalidUtf8 {
        valid_up_to: err.valid_up_to(),
    })
}

/// Where a result goes: `ptr` as `&mut T`, or a failure if it is NULL.
///
/// # Safety
///
/// A non-NULL `ptr` must point to a `T` that nothing else uses during the call.
pub(crate) unsafe fn out_at<'a, T>(ptr: *mut T, what: &'static str) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller's guarantee: NULL, or a `T` that is ours for the call.
    unsafe { ptr.as_mut() }.ok_or(Failure::NullPointer { what, len: None })
}

/// `text` followed by one NUL byte; `N` must be `text.len() + 1`.
///
/// Static texts leave this library as C strings, built at compile time from
/// `shared_rust`'s `&str`s, which carry no terminator.
pub(crate) const fn nul_terminated<const N: usize>(text: &str) -> [u8; N] {
    let bytes = text.as_bytes();
    assert!(bytes.len() + 1 == N, "N must be the text's length plus one");
    let mut out = [0; N];
    let mut i = 0;
    while i < bytes.len() {
        out[i] = bytes[i];
        i += 1;
    }
    out
}

/// `bytes` as a C string; fails the build if it holds a NUL before its end.
pub(crate) const fn c_str(bytes: &[u8]) -> &CStr {
    match CStr::from_bytes_with_nul(bytes) {
        Ok(text) => text,
        Err(_) => panic!("a static text holds a NUL byte"),
    }
}

/// A buffer the caller owns, described once and reused: `ptr` points to
/// `cap` writable bytes, and each call sets `len` to the length of its text.
///
/// One pointer to this struct stands for three arguments: a call from Python
/// pays to convert each argument it passes, and a caller that keeps its
/// buffer sets `ptr` and `cap` once (docs/c-abi.md).
#[repr(C)]
#[derive(Debug)]
pub struct HiBuffer {
    /// The caller's bytes; may be NULL when `cap` is 0.
    pub ptr: *mut c_char,
    /// How many bytes `ptr` points to.
    pub cap: usize,
    /// Set by every call: the length of its text, which was written to
    /// `ptr[0 .. len]` only if it fits (`len <= cap`).
    pub len: usize,
}

/// The library version, e.g. "0.1.0": a static NUL-terminated string that is
/// never freed.
#[no_mangle]
pub extern "C" fn hi_version() -> *const c_char {
    const VERSION_BYTES: [u8; env!("CARGO_PKG_VERSION").len() + 1] =
        nul_terminated(env!("CARGO_PKG_VERSION"));
    const VERSION: &CStr = c_str(&VERSION_BYTES);
    VERSION.as_ptr()
}

/// Copies the message of this thread's latest failed call into `out`, as
/// `hi_greet_into` does its text: `out->len` is always set to the message's
/// length, and the message is written to `out->ptr[0 .. out->len]` only if
/// it fits (`out->len <= out->cap`).
///
/// Every function but `hi_greet_into` (which writes its message into its
/// own `HiBuffer`) leaves its message here when it returns a status other
/// than `HI_STATUS_OK`. One message per thread, kept until the thread's next
/// failure: read it right after the failed call. Before any failure it is
/// empty. Returns `HI_STATUS_NULL_POINTER` for a NULL `out`, else `HI_STATUS_OK`.
///
/// # Safety
///
/// Unless `out` is NULL, it must point to a `HiBuffer` that nothing else
/// uses during the call, whose `ptr`, unless `cap` is 0, points to `cap`
/// writable bytes.
#[no_mangle]
pub unsafe extern "C" fn hi_last_error(out: *mut HiBuffer) -> HiStatus {
    // SAFETY: the caller guarantees a non-NULL `out` is a HiBuffer ours for the call.
    let Some(out) = (unsafe { out.as_mut() }) else {
        return HiStatus::NullPointer;
    };
    LAST_ERROR.with(|last| {
        let message = last.borrow();
        out.len = message.len();
        if message.len() <= out.cap && !out.ptr.is_null() {
            // SAFETY: `out.ptr` holds `cap` >= `message.len()` writable bytes,
            // and a message made here cannot overlap it.
            unsafe {
                std::ptr::copy_nonoverlapping(message.as_ptr(), out.ptr.cast(), message.len());
            }
        }
    });
    HiStatus::Ok
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// This thread's hi_last_error message.
    pub(crate) fn last_error() -> String {
        let mut buf = vec![0_u8; 256];
        let mut out = HiBuffer {
            ptr: buf.as_mut_ptr().cast(),
            cap: buf.len(),
            len: 0,
        };
        // SAFETY: a HiBuffer over a live buffer of `cap` bytes.
        assert_eq!(unsafe { hi_last_error(&mut out) }, HiStatus::Ok);
        buf.truncate(out.len);
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: hi_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(hi_version()) };
        assert_eq!(version.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    }
}
