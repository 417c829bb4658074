//! `shared_rust` behind a plain C ABI.
//!
//! The functions here are `extern "C"` and described by a header that
//! cbindgen generates from this file, so C, ctypes and cffi can all call them.
//! The Python package `cffi_binding` wraps them to look like the other two
//! bindings.
//!
//! Conventions, for every function:
//! - a name and a result's text cross as pointer + length, so NUL bytes
//!   survive;
//! - a returned [`HiResult`] owns its text, which the caller frees exactly once
//!   with [`hi_string_free`];
//! - the constant texts ([`hi_hi`], [`hi_version`]) are static NUL-terminated
//!   C strings, never freed;
//! - a Rust panic is caught here, at the boundary, and returned as
//!   [`HiStatus::Panic`] with the panic message as text; it never unwinds into
//!   the caller.

use std::any::Any;
use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use shared_rust::GreetError;

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
    /// The name pointer was NULL although its length was not 0.
    NullPointer = 3,
    /// Rust panicked; the text is the panic message.
    Panic = 4,
}

/// A status and a UTF-8 text owned by the caller.
///
/// `ptr` is never NULL in a result returned by this library; the text is not
/// NUL-terminated. Free it with `hi_string_free(ptr, len)`, once.
#[repr(C)]
#[derive(Debug)]
pub struct HiResult {
    /// What happened.
    pub status: HiStatus,
    /// The text: the result on success, else the error message.
    pub ptr: *mut c_char,
    /// Length of the text in bytes.
    pub len: usize,
}

impl HiResult {
    fn new(status: HiStatus, text: String) -> Self {
        let len = text.len();
        // into_boxed_str drops spare capacity, so `hi_string_free` can rebuild
        // the allocation from `ptr` and `len` alone.
        let ptr = Box::into_raw(text.into_boxed_str()).cast::<c_char>();
        Self { status, ptr, len }
    }
}

/// Maps each `shared_rust` error to its status. The message is the error's
/// `Display` text, as in the PyO3 bindings.
fn status_of(err: GreetError) -> HiStatus {
    match err {
        GreetError::EmptyName => HiStatus::EmptyName,
        GreetError::InvalidUtf8 { .. } => HiStatus::InvalidUtf8,
    }
}

/// A failure at the C boundary: a `shared_rust` error or a bad pointer.
enum Failure {
    Greet(GreetError),
    NullPointer { len: usize },
}

impl From<GreetError> for Failure {
    fn from(err: GreetError) -> Self {
        Self::Greet(err)
    }
}

/// The boundary guard: runs `body`, and turns its value, its error or its
/// panic into a [`HiResult`]. Every exported function that can fail goes
/// through here, so no panic unwinds into C.
fn guard(body: impl FnOnce() -> Result<String, Failure>) -> HiResult {
    // AssertUnwindSafe: `body` only borrows its inputs immutably, and on a
    // panic nothing it touched is used again.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(text)) => HiResult::new(HiStatus::Ok, text),
        Ok(Err(Failure::Greet(err))) => HiResult::new(status_of(err), err.to_string()),
        Ok(Err(Failure::NullPointer { len })) => HiResult::new(
            HiStatus::NullPointer,
            format!("name is NULL but its length is {len}"),
        ),
        Err(payload) => HiResult::new(HiStatus::Panic, panic_message(payload.as_ref())),
    }
}

/// The text a panic was raised with, as PyO3's `PanicException` shows it.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "Rust panicked with a non-string payload".to_owned()
    }
}

/// `text` followed by one NUL byte; `N` must be `text.len() + 1`.
///
/// Static texts leave this library as C strings, built at compile time from
/// `shared_rust`'s `&str`s, which carry no terminator.
const fn nul_terminated<const N: usize>(text: &str) -> [u8; N] {
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
const fn c_str(bytes: &[u8]) -> &CStr {
    match CStr::from_bytes_with_nul(bytes) {
        Ok(text) => text,
        Err(_) => panic!("a static text holds a NUL byte"),
    }
}

const HI_BYTES: [u8; shared_rust::hi().len() + 1] = nul_terminated(shared_rust::hi());
const HI: &CStr = c_str(&HI_BYTES);

/// The greeting, "Hello from Rust!", as a static NUL-terminated UTF-8 string:
/// do not free it.
///
/// A C string rather than pointer + length, because it is the cheapest shape
/// for every caller: C takes it as is, and cffi turns it into bytes with one
/// `ffi.string` call, where a pointer + length struct costs Python two more
/// attribute reads (the README's Speed section has the figures). The greeting
/// holds no NUL byte (checked at compile time), so nothing is lost. No
/// allocation and no guard: this returns a constant, and cannot fail or panic.
#[no_mangle]
pub extern "C" fn hi_hi() -> *const c_char {
    HI.as_ptr()
}

/// Greets `name`: "Hello, {name}!".
///
/// `name` points to `len` bytes of UTF-8 (NUL bytes allowed, no terminator
/// needed); it may be NULL when `len` is 0. Free the result's text with
/// `hi_string_free`.
///
/// # Safety
///
/// Unless `len` is 0, `name` must point to `len` readable bytes that stay
/// unchanged for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn hi_greet(name: *const c_char, len: usize) -> HiResult {
    guard(|| {
        let name: &[u8] = if len == 0 {
            &[]
        } else if name.is_null() {
            return Err(Failure::NullPointer { len });
        } else {
            // SAFETY: `name` is not NULL, and the caller guarantees it points
            // to `len` readable bytes that do not change during this call.
            unsafe { std::slice::from_raw_parts(name.cast::<u8>(), len) }
        };
        Ok(shared_rust::greet_utf8(name)?)
    })
}

/// Frees a text returned in a [`HiResult`]. Freeing NULL does nothing.
///
/// # Safety
///
/// `ptr` and `len` must be exactly the `ptr` and `len` of one `HiResult`
/// returned by this library, and must not have been freed before.
#[no_mangle]
pub unsafe extern "C" fn hi_string_free(ptr: *mut c_char, len: usize) {
    if ptr.is_null() {
        return;
    }
    // Test-only, never in a release build: deliberately broken builds that
    // prove `tox -e memcheck` catches a leak or a double free (README).
    #[cfg(hi_inject_bug = "leak")]
    return;
    let text = std::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), len);
    // SAFETY: the caller guarantees `ptr`/`len` came from `HiResult::new`,
    // i.e. from `Box::into_raw` of a `Box<str>` of exactly `len` bytes (a
    // `Box<[u8]>` has the same layout), and that it was not freed before.
    drop(unsafe { Box::from_raw(text) });
    #[cfg(hi_inject_bug = "double_free")]
    // SAFETY: none, on purpose: this frees `text` a second time.
    drop(unsafe { Box::from_raw(text) });
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Takes a result's text and frees it, as a C caller would.
    fn take(result: HiResult) -> (HiStatus, String) {
        // SAFETY: `result` came from this library and is consumed here.
        let bytes = unsafe { std::slice::from_raw_parts(result.ptr.cast::<u8>(), result.len) };
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        // SAFETY: freed once, with the pointer and length it came with.
        unsafe { hi_string_free(result.ptr, result.len) };
        (result.status, text)
    }

    fn greet(name: &[u8]) -> (HiStatus, String) {
        // SAFETY: `name` is a live slice of `name.len()` bytes.
        take(unsafe { hi_greet(name.as_ptr().cast(), name.len()) })
    }

    #[test]
    fn hi_returns_the_shared_greeting() {
        // SAFETY: hi_hi returns a static NUL-terminated string.
        let text = unsafe { CStr::from_ptr(hi_hi()) };
        assert_eq!(text.to_str(), Ok(shared_rust::HELLO));
    }

    #[test]
    fn greet_round_trips_bytes_with_nul() {
        assert_eq!(greet(b"a\0b"), (HiStatus::Ok, "Hello, a\0b!".to_owned()));
    }

    #[test]
    fn errors_carry_the_shared_message() {
        let (status, text) = greet(b"");
        assert_eq!(status, HiStatus::EmptyName);
        assert_eq!(text, GreetError::EmptyName.to_string());
        assert_eq!(greet(b"\xff").0, HiStatus::InvalidUtf8);
    }

    #[test]
    fn null_name_is_refused_unless_empty() {
        // SAFETY: NULL is allowed; the function must not read through it.
        let (status, _) = take(unsafe { hi_greet(std::ptr::null(), 3) });
        assert_eq!(status, HiStatus::NullPointer);
        // SAFETY: as above, with length 0.
        let (status, _) = take(unsafe { hi_greet(std::ptr::null(), 0) });
        assert_eq!(status, HiStatus::EmptyName);
    }

    #[test]
    fn freeing_null_is_a_no_op() {
        // SAFETY: NULL is documented as a no-op.
        unsafe { hi_string_free(std::ptr::null_mut(), 0) };
    }

    #[test]
    fn the_guard_turns_a_panic_into_a_status() {
        let (status, text) = take(guard(|| panic!("boom {}", 42)));
        assert_eq!((status, text.as_str()), (HiStatus::Panic, "boom 42"));
        let (status, text) = take(guard(|| panic!("static boom")));
        assert_eq!((status, text.as_str()), (HiStatus::Panic, "static boom"));
        let (status, text) = take(guard(|| std::panic::panic_any(42_u8)));
        assert_eq!(
            (status, text.as_str()),
            (HiStatus::Panic, "Rust panicked with a non-string payload")
        );
    }

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: hi_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(hi_version()) };
        assert_eq!(version.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    }
}
