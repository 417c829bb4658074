//! `hi_hi` and `hi_greet_into`: the greeting, written into the caller's buffer.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::boundary::{
    bytes_at, c_str, nul_terminated, panic_message, Failure, HiBuffer, HiStatus,
};

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

/// The text of a call: borrowed from the caller's buffer (the greeting,
/// written in place) or owned here (a message).
enum Text {
    /// `len` bytes already written into the caller's buffer.
    InBuffer(usize),
    /// `len` bytes were needed and did not fit the caller's buffer.
    TooLong(usize),
    /// A text made here.
    Owned(String),
}

/// The boundary guard of `hi_greet_into`: runs `body` and turns its error or
/// its panic into a status and a message, so no panic unwinds into C.
fn guard(body: impl FnOnce() -> Result<Text, Failure>) -> (HiStatus, Text) {
    // AssertUnwindSafe: `body` only borrows its inputs, and on a panic nothing
    // it touched is used again (a half-written buffer is reported as a panic).
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(text)) => (HiStatus::Ok, text),
        Ok(Err(failure)) => {
            let (status, message) = failure.describe();
            (status, Text::Owned(message))
        }
        Err(payload) => (
            HiStatus::Panic,
            Text::Owned(panic_message(payload.as_ref())),
        ),
    }
}

/// A name's bytes, for `hi_greet_into` (whose UTF-8 check is `shared_rust`'s).
///
/// # Safety
///
/// As [`bytes_at`]'s.
unsafe fn name_bytes<'a>(ptr: *const c_char, len: usize) -> Result<&'a [u8], Failure> {
    // SAFETY: the caller's guarantee, passed on.
    unsafe { bytes_at(ptr, len, "name") }
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

#[cfg(test)]
mod tests {
    use super::*;
    use shared_rust::GreetError;

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
}
