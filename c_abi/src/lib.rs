//! `shared_rust` behind a plain C ABI, written once for both C ABI routes.
//!
//! The functions here are `extern "C"` and described by a header that
//! cbindgen generates from this file (`hi_c_abi.h`), so C, ctypes and cffi can
//! all call them. This crate is an rlib: `cffi_binding` and `ctypes_binding`
//! are each a cdylib that links it and exports these functions as they are.
//!
//! Conventions, for every function:
//! - a name and a result's text cross as pointer + length, so NUL bytes
//!   survive;
//! - [`hi_greet_into`] writes its text into a buffer the caller owns: the
//!   greeting is built where it will live, and nothing is left to free;
//! - the constant texts ([`hi_hi`], [`hi_version`]) are static NUL-terminated
//!   C strings, never freed;
//! - a Rust panic is caught here, at the boundary, and returned as
//!   [`HiStatus::Panic`] with the panic message as text; it never unwinds into
//!   the caller.
//!
//! Why this shape: docs/c-abi.md has the four shapes that were timed, and
//! their figures. The three that lost stay here behind the `shapes` feature,
//! so `tools/c_abi_shapes.py` can time them again; no shipped build has them.

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
    /// A pointer was NULL where the call needs one: a name whose length is
    /// not 0, or the `HiBuffer`.
    NullPointer = 3,
    /// Rust panicked; the text is the panic message.
    Panic = 4,
}

/// How many bytes `hi_greet_into` adds to the name: the greeting of a name of
/// `len` bytes is exactly `len + hi_greet_extra()` bytes long, so a caller
/// can size its buffer before the call. A constant: call it once.
///
/// A function, not an exported `const` variable: cffi's ABI mode (what
/// maturin builds) cannot read a `const` variable from a library.
#[no_mangle]
pub extern "C" fn hi_greet_extra() -> usize {
    shared_rust::GREET_EXTRA
}

/// Maps each `shared_rust` error to its status. The message is the error's
/// `Display` text, as in the PyO3 bindings.
fn status_of(err: GreetError) -> HiStatus {
    match err {
        GreetError::EmptyName => HiStatus::EmptyName,
        GreetError::InvalidUtf8 { .. } => HiStatus::InvalidUtf8,
    }
}

/// A failure at the C boundary: a `shared_rust` error, a bad pointer or a
/// panic, as a status and its message.
fn failure(status: HiStatus, message: String) -> (HiStatus, Text) {
    (status, Text::Owned(message))
}

/// The text of a call: borrowed from the caller's buffer (the greeting,
/// written in place) or owned here (a message, or the shapes that return an
/// owned text).
enum Text {
    /// `len` bytes already written into the caller's buffer.
    InBuffer(usize),
    /// `len` bytes were needed and did not fit the caller's buffer.
    TooLong(usize),
    /// A text made here.
    Owned(String),
}

/// The boundary guard: runs `body` and turns its error or its panic into a
/// status and a message. Every exported function that can fail goes through
/// here, so no panic unwinds into C.
fn guard(body: impl FnOnce() -> Result<Text, Failure>) -> (HiStatus, Text) {
    // AssertUnwindSafe: `body` only borrows its inputs, and on a panic nothing
    // it touched is used again (a half-written buffer is reported as a panic).
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(text)) => (HiStatus::Ok, text),
        Ok(Err(Failure::Greet(err))) => failure(status_of(err), err.to_string()),
        Ok(Err(Failure::NullPointer { len })) => failure(
            HiStatus::NullPointer,
            format!("name is NULL but its length is {len}"),
        ),
        Err(payload) => failure(HiStatus::Panic, panic_message(payload.as_ref())),
    }
}

/// Why a call failed before it could make a text.
enum Failure {
    Greet(GreetError),
    NullPointer { len: usize },
}

impl From<GreetError> for Failure {
    fn from(err: GreetError) -> Self {
        Self::Greet(err)
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

/// `len` bytes at `ptr` as a slice; NULL is allowed only when `len` is 0.
///
/// # Safety
///
/// Unless `len` is 0, `ptr` must point to `len` readable bytes that stay
/// unchanged while the slice lives.
unsafe fn name_bytes<'a>(ptr: *const c_char, len: usize) -> Result<&'a [u8], Failure> {
    if len == 0 {
        Ok(&[])
    } else if ptr.is_null() {
        Err(Failure::NullPointer { len })
    } else {
        // SAFETY: `ptr` is not NULL, and the caller guarantees it points to
        // `len` readable bytes that do not change while the slice lives.
        Ok(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) })
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
/// A C string rather than pointer + length: C takes it as is, and Python
/// turns it into a `str` once, at import. The greeting holds no NUL byte
/// (checked at compile time), so nothing is lost. No allocation and no guard:
/// this returns a constant, and cannot fail or panic.
#[no_mangle]
pub extern "C" fn hi_hi() -> *const c_char {
    HI.as_ptr()
}

/// A buffer the caller owns, described once and reused: `ptr` points to
/// `cap` writable bytes, and each call sets `len` to the length of its text.
///
/// One pointer to this struct stands for three arguments: a call from Python
/// converts every argument (cffi about 60 ns each, ctypes up to 235 ns), and a
/// caller that keeps its buffer sets `ptr` and `cap` once (docs/c-abi.md).
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

/// Greets `name` into the caller's buffer: "Hello, {name}!".
///
/// `name` points to `len` bytes of UTF-8 (NUL bytes allowed, no terminator
/// needed); it may be NULL when `len` is 0. `out` describes a buffer that
/// the caller owns before, during and after the call. Nothing is allocated
/// for the caller and nothing is to be freed.
///
/// The call always sets `out->len` to the length of its text: the greeting
/// on `HI_STATUS_OK`, else the error message. The text is written to
/// `out->ptr[0 .. out->len]` only if it fits (`out->len <= out->cap`); else
/// nothing is written, and the caller may call again with a buffer of
/// `out->len` bytes. The greeting is exactly `len + hi_greet_extra()` bytes,
/// so a buffer of that size always holds it; an error message may need more.
/// A NULL `out` writes nothing and returns `HI_STATUS_NULL_POINTER`.
///
/// # Safety
///
/// Unless `len` is 0, `name` must point to `len` readable bytes. Unless
/// `out` is NULL, it must point to a `HiBuffer` that nothing else uses during
/// the call, whose `ptr`, unless `cap` is 0, points to `cap` writable bytes
/// that overlap neither `name` nor the `HiBuffer`. All must stay valid, and
/// `name` unchanged, for the duration of the call.
#[no_mangle]
pub unsafe extern "C" fn hi_greet_into(
    name: *const c_char,
    len: usize,
    out: *mut HiBuffer,
) -> HiStatus {
    // SAFETY: the caller guarantees that a non-NULL `out` points to a
    // HiBuffer that nothing else uses during this call.
    let Some(out) = (unsafe { out.as_mut() }) else {
        return HiStatus::NullPointer;
    };
    let (buf, cap) = (out.ptr, out.cap);
    let (status, text) = guard(|| {
        // SAFETY: the caller guarantees `name` points to `len` readable bytes.
        let name = unsafe { name_bytes(name, len) }?;
        let out: &mut [u8] = if cap == 0 || buf.is_null() {
            &mut []
        } else {
            // SAFETY: the caller guarantees `buf` points to `cap` writable
            // bytes, overlapping neither `name` nor the HiBuffer, that
            // nothing else uses during this call.
            unsafe { std::slice::from_raw_parts_mut(buf.cast::<u8>(), cap) }
        };
        Ok(match shared_rust::greet_utf8_into(name, out)? {
            Some(written) => Text::InBuffer(written),
            None => Text::TooLong(shared_rust::greet_len(len)),
        })
    });
    out.len = match text {
        Text::InBuffer(written) | Text::TooLong(written) => written,
        Text::Owned(message) => {
            if message.len() <= cap && !buf.is_null() {
                // SAFETY: `buf` holds `cap` >= `message.len()` writable bytes,
                // and a message made here cannot overlap it.
                unsafe {
                    std::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast(), message.len());
                }
            }
            let len = message.len();
            // Test-only, never in a release build: deliberately broken builds
            // that prove `tox -e memcheck` catches a leak or a double free.
            #[cfg(hi_inject_bug = "leak")]
            std::mem::forget(message);
            #[cfg(hi_inject_bug = "double_free")]
            {
                let mut message = std::mem::ManuallyDrop::new(message);
                // SAFETY: none, on purpose: the String is dropped here and
                // its buffer freed again below.
                unsafe { std::mem::ManuallyDrop::drop(&mut message) };
                // SAFETY: none, on purpose: this frees the buffer a second time.
                drop(unsafe { String::from_raw_parts(message.as_mut_ptr(), len, len) });
            }
            len
        }
    };
    status
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

/// The shapes that lost the measurement (docs/c-abi.md): an owned text that
/// the caller frees, returned in a struct or through out-parameters, and the
/// caller's buffer passed as three arguments instead of one `HiBuffer`. Built
/// only with the `shapes` feature, for `tools/c_abi_shapes.py`.
#[cfg(feature = "shapes")]
pub mod shapes {
    use super::{guard, hi_greet_into, name_bytes, HiBuffer, HiStatus, Text};
    use std::ffi::c_char;

    /// Shape "into": `hi_greet_into` with the buffer as three arguments
    /// (`buf`, `cap`, and `text_len`, which may be NULL), as it shipped before
    /// `HiBuffer`.
    ///
    /// # Safety
    ///
    /// As `hi_greet_into`'s, for a `HiBuffer` of `buf` and `cap`; a non-NULL
    /// `text_len` must point to a writable size_t.
    #[no_mangle]
    pub unsafe extern "C" fn hi_greet_into_args(
        name: *const c_char,
        len: usize,
        buf: *mut c_char,
        cap: usize,
        text_len: *mut usize,
    ) -> HiStatus {
        let mut out = HiBuffer {
            ptr: buf,
            cap,
            len: 0,
        };
        // SAFETY: the caller's guarantees, passed on; `out` is ours alone.
        let status = unsafe { hi_greet_into(name, len, &mut out) };
        if !text_len.is_null() {
            // SAFETY: the caller guarantees a non-NULL `text_len` is writable.
            unsafe { text_len.write(out.len) };
        }
        status
    }

    /// A status and a UTF-8 text owned by the caller, who frees it once with
    /// `hi_string_free(ptr, len)`.
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

    /// Greets `name` into a new owned text (`(status, ptr, len)`).
    ///
    /// # Safety
    ///
    /// Unless `len` is 0, `name` must point to `len` readable bytes.
    unsafe fn owned(name: *const c_char, len: usize) -> (HiStatus, *mut c_char, usize) {
        let (status, text) = guard(|| {
            // SAFETY: the caller guarantees `name` points to `len` readable bytes.
            let name = unsafe { name_bytes(name, len) }?;
            Ok(Text::Owned(shared_rust::greet_utf8(name)?))
        });
        let Text::Owned(text) = text else {
            unreachable!("the owned shapes make owned texts only")
        };
        let len = text.len();
        // into_boxed_str drops spare capacity, so `hi_string_free` can rebuild
        // the allocation from `ptr` and `len` alone.
        let ptr = Box::into_raw(text.into_boxed_str()).cast::<c_char>();
        (status, ptr, len)
    }

    /// Shape "struct": greets `name`; the result's text is freed with
    /// `hi_string_free`.
    ///
    /// # Safety
    ///
    /// Unless `len` is 0, `name` must point to `len` readable bytes.
    #[no_mangle]
    pub unsafe extern "C" fn hi_greet_struct(name: *const c_char, len: usize) -> HiResult {
        // SAFETY: the caller's guarantee, passed on.
        let (status, ptr, len) = unsafe { owned(name, len) };
        HiResult { status, ptr, len }
    }

    /// Shape "out-parameters": greets `name`; sets `*text` and `*text_len`
    /// to an owned text, freed with `hi_string_free`.
    ///
    /// # Safety
    ///
    /// Unless `len` is 0, `name` must point to `len` readable bytes; `text`
    /// and `text_len` must point to writable locations.
    #[no_mangle]
    pub unsafe extern "C" fn hi_greet_out(
        name: *const c_char,
        len: usize,
        text: *mut *mut c_char,
        text_len: *mut usize,
    ) -> HiStatus {
        // SAFETY: the caller's guarantee, passed on.
        let (status, ptr, len) = unsafe { owned(name, len) };
        // SAFETY: the caller guarantees both point to writable locations.
        unsafe {
            text.write(ptr);
            text_len.write(len);
        }
        status
    }

    /// Frees a text returned by `hi_greet_struct` or `hi_greet_out`. Freeing
    /// NULL does nothing.
    ///
    /// # Safety
    ///
    /// `ptr` and `len` must be exactly one text returned by this library, not
    /// freed before.
    #[no_mangle]
    pub unsafe extern "C" fn hi_string_free(ptr: *mut c_char, len: usize) {
        if ptr.is_null() {
            return;
        }
        let text = std::ptr::slice_from_raw_parts_mut(ptr.cast::<u8>(), len);
        // SAFETY: the caller guarantees `ptr`/`len` came from `owned`, i.e.
        // from `Box::into_raw` of a `Box<str>` of exactly `len` bytes (a
        // `Box<[u8]>` has the same layout), and that it was not freed before.
        drop(unsafe { Box::from_raw(text) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls `hi_greet_into` with a buffer of `cap` bytes, as a C caller would.
    fn greet_into(name: &[u8], cap: usize) -> (HiStatus, usize, Vec<u8>) {
        let mut buf = vec![0xAA_u8; cap];
        let mut out = HiBuffer {
            ptr: buf.as_mut_ptr().cast(),
            cap,
            len: usize::MAX,
        };
        // SAFETY: a live name of the length given, and a HiBuffer over a live
        // buffer of `cap` bytes.
        let status = unsafe { hi_greet_into(name.as_ptr().cast(), name.len(), &mut out) };
        (status, out.len, buf)
    }

    /// The text of a call that had room for it.
    fn greet(name: &[u8]) -> (HiStatus, String) {
        let (status, len, buf) = greet_into(name, 256);
        (status, String::from_utf8(buf[..len].to_vec()).unwrap())
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
    fn greet_fills_an_exact_buffer_and_nothing_past_it() {
        let (status, len, buf) = greet_into(b"world", 5 + hi_greet_extra() + 2);
        assert_eq!((status, len), (HiStatus::Ok, 13));
        assert_eq!(&buf[..13], b"Hello, world!");
        assert_eq!(&buf[13..], &[0xAA, 0xAA]);
    }

    #[test]
    fn a_text_that_does_not_fit_is_not_written() {
        let (status, len, buf) = greet_into(b"world", 12);
        assert_eq!((status, len), (HiStatus::Ok, 13));
        assert!(buf.iter().all(|&b| b == 0xAA));
        let (status, len, buf) = greet_into(b"", 8);
        assert_eq!(status, HiStatus::EmptyName);
        assert_eq!(len, GreetError::EmptyName.to_string().len());
        assert!(buf.iter().all(|&b| b == 0xAA));
    }

    #[test]
    fn errors_carry_the_shared_message() {
        let (status, text) = greet(b"");
        assert_eq!(status, HiStatus::EmptyName);
        assert_eq!(text, GreetError::EmptyName.to_string());
        assert_eq!(greet(b"\xff").0, HiStatus::InvalidUtf8);
    }

    #[test]
    fn null_pointers_are_refused_or_allowed_as_documented() {
        let mut out = HiBuffer {
            ptr: std::ptr::null_mut(),
            cap: 0,
            len: 0,
        };
        // SAFETY: a NULL name, and a NULL buffer of capacity 0, are allowed;
        // nothing is read or written through them.
        let status = unsafe { hi_greet_into(std::ptr::null(), 3, &mut out) };
        assert_eq!(status, HiStatus::NullPointer);
        assert_eq!(out.len, "name is NULL but its length is 3".len());
        // SAFETY: as above, with length 0.
        let status = unsafe { hi_greet_into(std::ptr::null(), 0, &mut out) };
        assert_eq!(status, HiStatus::EmptyName);
        // SAFETY: a NULL `out` is refused before anything is read.
        let status = unsafe { hi_greet_into(b"world".as_ptr().cast(), 5, std::ptr::null_mut()) };
        assert_eq!(status, HiStatus::NullPointer);
    }

    #[test]
    fn the_guard_turns_a_panic_into_a_status() {
        let message = |(status, text): (HiStatus, Text)| match text {
            Text::Owned(text) => (status, text),
            _ => panic!("a panic's text is owned"),
        };
        assert_eq!(
            message(guard(|| panic!("boom {}", 42))),
            (HiStatus::Panic, "boom 42".to_owned())
        );
        assert_eq!(
            message(guard(|| panic!("static boom"))),
            (HiStatus::Panic, "static boom".to_owned())
        );
        assert_eq!(
            message(guard(|| std::panic::panic_any(42_u8))),
            (
                HiStatus::Panic,
                "Rust panicked with a non-string payload".to_owned()
            )
        );
    }

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: hi_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(hi_version()) };
        assert_eq!(version.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    }
}
