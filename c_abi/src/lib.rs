//! `shared_rust` behind a plain C ABI, written once for both C ABI routes.
//!
//! The functions here are `extern "C"` and described by a header that
//! cbindgen generates from this file (`hi_c_abi.h`), so C, ctypes and cffi can
//! all call them. This crate is an rlib: `cffi_binding` and `ctypes_binding`
//! are each a cdylib that links it and exports these functions as they are.
//!
//! Conventions, for every function:
//! - text crosses as pointer + length of UTF-8, so NUL bytes survive; a
//!   pointer may be NULL when its length is 0;
//! - results are written where the caller says ([`HiBuffer`], [`HiSpans`],
//!   out-parameters), except two the library owns until the caller frees them
//!   with the function named beside them: a [`HiWordCounter`]
//!   ([`hi_counter_free`]) and a [`HiMostCommon`] ([`hi_most_common_free`]);
//! - the constant texts ([`hi_hi`], [`hi_version`]) are static NUL-terminated
//!   C strings, never freed;
//! - every function that can fail returns a [`HiStatus`]; a Rust panic is
//!   caught here, at the boundary, and returned as [`HiStatus::Panic`]; it
//!   never unwinds into the caller. `hi_greet_into` writes its error message
//!   into its `HiBuffer`; every other function leaves it for
//!   [`hi_last_error`], per thread.
//!
//! Why each shape: docs/c-abi.md has the shapes that were timed, and their
//! figures.

use std::any::Any;
use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use shared_rust::{GreetError, WordCounter};

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

/// Why a call failed, before the boundary turns it into a status and a message.
enum Failure {
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
    fn describe(self) -> (HiStatus, String) {
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
        }
    }
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

thread_local! {
    /// The message of this thread's latest failed call (`hi_last_error`).
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The boundary guard of every function without a `HiBuffer`: as [`guard`],
/// but the message goes to this thread's [`hi_last_error`]. Nothing is
/// stored on success: a successful call costs no thread-local access.
fn run(body: impl FnOnce() -> Result<(), Failure>) -> HiStatus {
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
/// `what` names the argument in the message of a NULL.
///
/// # Safety
///
/// Unless `len` is 0, `ptr` must point to `len` readable bytes that stay
/// unchanged while the slice lives.
unsafe fn bytes_at<'a, T>(
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

/// A name's bytes, for `hi_greet_into` (whose UTF-8 check is `shared_rust`'s).
///
/// # Safety
///
/// As [`bytes_at`]'s.
unsafe fn name_bytes<'a>(ptr: *const c_char, len: usize) -> Result<&'a [u8], Failure> {
    // SAFETY: the caller's guarantee, passed on.
    unsafe { bytes_at(ptr, len, "name") }
}

/// `len` bytes of UTF-8 at `ptr` as a `&str`.
///
/// # Safety
///
/// As [`bytes_at`]'s.
unsafe fn text_at<'a>(
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
unsafe fn out_at<'a, T>(ptr: *mut T, what: &'static str) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller's guarantee: NULL, or a `T` that is ours for the call.
    unsafe { ptr.as_mut() }.ok_or(Failure::NullPointer { what, len: None })
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

/// The CRC-32 of `len` bytes at `data`, continuing from `value`, as
/// `zlib.crc32(data, value)` computes it: written to `*out`.
///
/// `data` may be NULL when `len` is 0. A NULL `out` returns
/// `HI_STATUS_NULL_POINTER`. The bytes are read in place; nothing is
/// allocated. Any thread may call at any time.
///
/// # Safety
///
/// Unless `len` is 0, `data` must point to `len` readable bytes that do not
/// change during the call; unless NULL, `out` must point to a writable `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn hi_checksum(
    data: *const u8,
    len: usize,
    value: u32,
    out: *mut u32,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller guarantees `data` points to `len` readable bytes.
        let data = unsafe { bytes_at(data, len, "data") }?;
        // SAFETY: the caller guarantees a non-NULL `out` is a writable uint32_t.
        let out = unsafe { out_at(out, "out") }?;
        *out = shared_rust::checksum(data, value);
        Ok(())
    })
}

/// From this many bytes on, a caller that holds a lock while it calls
/// `hi_checksum` (Python's GIL) should release it for the call: below it,
/// releasing and taking it back costs more than the reading. A constant:
/// call it once.
#[no_mangle]
pub extern "C" fn hi_checksum_detach_from() -> usize {
    shared_rust::CHECKSUM_DETACH_FROM
}

/// Where the words of a text are, in a buffer the caller owns: `ptr` points
/// to `cap` pairs of `size_t` (`2 * cap` of them), and each call sets `len`
/// to the number of words. Word `i` is the characters `ptr[2 * i]` up to (not
/// including) `ptr[2 * i + 1]` of the text, counted in Unicode characters
/// (code points), not bytes: what a Python `str` is indexed by.
#[repr(C)]
#[derive(Debug)]
pub struct HiSpans {
    /// The caller's `2 * cap` `size_t`s; may be NULL when `cap` is 0.
    pub ptr: *mut usize,
    /// How many words `ptr` has room for.
    pub cap: usize,
    /// Set by every successful call: how many words the text has; the first
    /// `min(len, cap)` were written.
    pub len: usize,
}

/// The words of `text`, as Python's `text.split()` finds them, as character
/// spans written into the caller's buffer (`HiSpans`). Nothing is allocated;
/// nothing is to be freed.
///
/// `text` points to `len` bytes of UTF-8 (NUL bytes allowed); it may be NULL
/// when `len` is 0. On `HI_STATUS_OK`, `out->len` is the number of words and
/// the first `min(out->len, out->cap)` spans are written; if `out->len >
/// out->cap` the caller may call again with room for `out->len`. A text of
/// `len` bytes has at most `(len + 1) / 2` words. On failure (`NULL` text of
/// nonzero length, not UTF-8, `NULL` out, panic) the message is in
/// `hi_last_error`.
///
/// # Safety
///
/// Unless `len` is 0, `text` must point to `len` readable bytes. Unless NULL,
/// `out` must point to a `HiSpans` that nothing else uses during the call,
/// whose `ptr`, unless `cap` is 0, points to `2 * cap` writable `size_t`s
/// that overlap neither `text` nor the `HiSpans`.
#[no_mangle]
pub unsafe extern "C" fn hi_split(text: *const c_char, len: usize, out: *mut HiSpans) -> HiStatus {
    run(|| {
        // SAFETY: the caller guarantees `text` points to `len` readable bytes.
        let text = unsafe { text_at(text, len, "text") }?;
        // SAFETY: the caller guarantees a non-NULL `out` is a HiSpans ours for the call.
        let out = unsafe { out_at(out, "out") }?;
        let room: &mut [usize] = if out.cap == 0 || out.ptr.is_null() {
            &mut []
        } else {
            // SAFETY: the caller guarantees `ptr` points to `2 * cap` writable
            // size_ts, overlapping neither the text nor the HiSpans.
            unsafe { std::slice::from_raw_parts_mut(out.ptr, out.cap.saturating_mul(2)) }
        };
        let mut words = 0;
        let mut room = room.chunks_exact_mut(2);
        for span in shared_rust::char_spans(text) {
            if let Some(pair) = room.next() {
                pair[0] = span.start;
                pair[1] = span.end;
            }
            words += 1;
        }
        out.len = words;
        Ok(())
    })
}

/// A word counter (`shared_rust::WordCounter`): opaque to C. Made by
/// `hi_counter_new`, freed once by `hi_counter_free`; any number of threads
/// may use one at once.
#[derive(Debug, Default)]
pub struct HiWordCounter(WordCounter);

/// Asked by `hi_counter_add_keep` about each word of its text, in order:
/// `word` points to `len` bytes of UTF-8 (not NUL-terminated), valid only
/// during the call. Return 1 to count the word, 0 to leave it out, anything
/// else to stop the add: nothing of it is counted then, and no later word is
/// asked about. No lock is held during the call: it may call the same counter.
pub type HiKeep =
    Option<unsafe extern "C" fn(ctx: *mut c_void, word: *const c_char, len: usize) -> c_int>;

/// A new, empty counter, owned by the caller, who frees it once with
/// `hi_counter_free`. NULL only if Rust panicked (a bug; the message is in
/// `hi_last_error`).
#[no_mangle]
pub extern "C" fn hi_counter_new() -> *mut HiWordCounter {
    let mut counter = std::ptr::null_mut();
    run(|| {
        counter = Box::into_raw(Box::default());
        Ok(())
    });
    counter
}

/// Frees a counter made by `hi_counter_new`; NULL does nothing.
///
/// # Safety
///
/// `counter` is NULL, or a counter from `hi_counter_new` not freed before and
/// that no other call uses, now or later.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_free(counter: *mut HiWordCounter) {
    if !counter.is_null() {
        // SAFETY: the caller guarantees it came from Box::into_raw in
        // hi_counter_new, once, and is not used again. Dropping a map of
        // strings cannot panic.
        drop(unsafe { Box::from_raw(counter) });
    }
}

/// The counter behind `counter`, or a failure for NULL.
///
/// # Safety
///
/// A non-NULL `counter` must come from `hi_counter_new` and not be freed
/// during the call.
unsafe fn counter_at<'a>(counter: *const HiWordCounter) -> Result<&'a WordCounter, Failure> {
    // SAFETY: the caller's guarantee: NULL, or a live counter. WordCounter is
    // Sync: shared references from many threads at once are sound.
    unsafe { counter.as_ref() }
        .map(|counter| &counter.0)
        .ok_or(Failure::NullPointer {
            what: "counter",
            len: None,
        })
}

/// Counts the words of `text` (`len` bytes of UTF-8), all at once.
/// Failures (NULL, not UTF-8, panic): message in `hi_last_error`, nothing counted.
///
/// # Safety
///
/// `counter` is NULL or live (from `hi_counter_new`, not freed during the
/// call); unless `len` is 0, `text` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_add(
    counter: *const HiWordCounter,
    text: *const c_char,
    len: usize,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, text) = unsafe { (counter_at(counter)?, text_at(text, len, "text")?) };
        counter.add(text);
        Ok(())
    })
}

/// Counts the words of `text` for which `keep(ctx, word, word_len)` returns
/// 1 (see `HiKeep`), all at once after the last call of `keep`. A `keep`
/// that returns anything but 0 or 1 stops the add: `HI_STATUS_STOPPED`,
/// nothing counted. A NULL `keep` keeps every word. `ctx` is passed to `keep`
/// as is. Failures: message in `hi_last_error`, nothing counted.
///
/// # Safety
///
/// As `hi_counter_add`'s; `keep`, unless NULL, must be safe to call with
/// `ctx` and a word, from this thread, during the call.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_add_keep(
    counter: *const HiWordCounter,
    text: *const c_char,
    len: usize,
    keep: HiKeep,
    ctx: *mut c_void,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, text) = unsafe { (counter_at(counter)?, text_at(text, len, "text")?) };
        let Some(keep) = keep else {
            counter.add(text);
            return Ok(());
        };
        counter.add_kept(text, |word| {
            // SAFETY: the caller guarantees `keep` may be called with `ctx`;
            // `word` is a live &str for the duration of the call.
            match unsafe { keep(ctx, word.as_ptr().cast(), word.len()) } {
                0 => Ok(false),
                1 => Ok(true),
                code => Err(Failure::Stopped(code)),
            }
        })
    })
}

/// Counts the words of `text` whose byte in `keep` is not 0: `keep[i]` is
/// for word `i` of `text`, and `mask_len` must be the number of words (else
/// `HI_STATUS_MASK_LENGTH`, nothing counted). All at once. For callers that
/// decide about the words themselves, from `hi_split`'s spans, before the
/// call (the Python packages: docs/c-abi.md says why).
///
/// # Safety
///
/// As `hi_counter_add`'s; unless `mask_len` is 0, `keep` points to
/// `mask_len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_add_mask(
    counter: *const HiWordCounter,
    text: *const c_char,
    len: usize,
    keep: *const u8,
    mask_len: usize,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, text, mask) = unsafe {
            (
                counter_at(counter)?,
                text_at(text, len, "text")?,
                bytes_at(keep, mask_len, "keep")?,
            )
        };
        let words = shared_rust::spans(text).count();
        if words != mask.len() {
            return Err(Failure::MaskLength {
                words,
                mask: mask.len(),
            });
        }
        let mut mask = mask.iter();
        counter.add_kept(text, |_| Ok(mask.next().is_some_and(|&b| b != 0)))
    })
}

/// How many times `word` (`len` bytes of UTF-8) was counted: written to
/// `*out`, 0 for a word never counted.
///
/// # Safety
///
/// As `hi_counter_add`'s, for `word`; unless NULL, `out` points to a
/// writable `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_count(
    counter: *const HiWordCounter,
    word: *const c_char,
    len: usize,
    out: *mut u64,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, word, out) = unsafe {
            (
                counter_at(counter)?,
                text_at(word, len, "word")?,
                out_at(out, "out")?,
            )
        };
        *out = counter.count(word);
        Ok(())
    })
}

/// How many distinct words were counted: written to `*out`.
///
/// # Safety
///
/// `counter` is NULL or live; unless NULL, `out` points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_len(
    counter: *const HiWordCounter,
    out: *mut usize,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, out) = unsafe { (counter_at(counter)?, out_at(out, "out")?) };
        *out = counter.len();
        Ok(())
    })
}

/// The sum of the counts: written to `*out`.
///
/// # Safety
///
/// `counter` is NULL or live; unless NULL, `out` points to a writable `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn hi_counter_total(
    counter: *const HiWordCounter,
    out: *mut u64,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, out) = unsafe { (counter_at(counter)?, out_at(out, "out")?) };
        *out = counter.total();
        Ok(())
    })
}

/// The result of `hi_counter_most_common`: a struct the caller owns, pointing
/// to two arrays the library owns until `hi_most_common_free`.
///
/// `words` holds `words_len` bytes of UTF-8: the `len` words joined by one
/// `'\n'` (a word never holds whitespace), no terminator. `counts[i]` is the
/// count of word `i`.
#[repr(C)]
#[derive(Debug)]
pub struct HiMostCommon {
    /// The words, joined by `'\n'`; NULL when `len` is 0.
    pub words: *mut c_char,
    /// Length of `words` in bytes.
    pub words_len: usize,
    /// One count per word; NULL when `len` is 0.
    pub counts: *mut u64,
    /// How many words.
    pub len: usize,
}

/// The `n` most common words and their counts, highest first, ties in the
/// order first counted (as Python's `collections.Counter.most_common`);
/// `n = SIZE_MAX` (or any `n` over the number of words) gives all. A
/// snapshot, taken all at once.
///
/// On `HI_STATUS_OK`, `*out` is filled and owns its arrays: free them once
/// with `hi_most_common_free(out)`. On failure `*out` is left empty (NULL
/// arrays, 0 lengths: freeing it is harmless) and the message is in
/// `hi_last_error`.
///
/// # Safety
///
/// `counter` is NULL or live; unless NULL, `out` points to a writable
/// `HiMostCommon` whose arrays, if any, were freed or never set (they are
/// overwritten, not freed).
#[no_mangle]
pub unsafe extern "C" fn hi_counter_most_common(
    counter: *const HiWordCounter,
    n: usize,
    out: *mut HiMostCommon,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller's guarantees, passed on.
        let (counter, out) = unsafe { (counter_at(counter)?, out_at(out, "out")?) };
        *out = HiMostCommon {
            words: std::ptr::null_mut(),
            words_len: 0,
            counts: std::ptr::null_mut(),
            len: 0,
        };
        let top = counter.most_common(Some(n));
        if top.is_empty() {
            return Ok(());
        }
        let mut words = String::with_capacity(top.iter().map(|(w, _)| w.len() + 1).sum());
        let mut counts = Vec::with_capacity(top.len());
        for (i, (word, count)) in top.iter().enumerate() {
            if i > 0 {
                words.push('\n');
            }
            words.push_str(word);
            counts.push(*count);
        }
        // Boxed slices: no spare capacity, so `hi_most_common_free` rebuilds
        // each allocation from its pointer and length alone.
        let (words_len, len) = (words.len(), counts.len());
        *out = HiMostCommon {
            words: Box::into_raw(words.into_boxed_str()).cast(),
            words_len,
            counts: Box::into_raw(counts.into_boxed_slice()).cast(),
            len,
        };
        Ok(())
    })
}

/// Frees the arrays of a `HiMostCommon` filled by `hi_counter_most_common`
/// and empties it (NULL arrays, 0 lengths), so a second free does nothing.
/// The struct itself is the caller's. NULL, or an empty one, does nothing.
///
/// # Safety
///
/// `result` is NULL, or points to a `HiMostCommon` that
/// `hi_counter_most_common` filled (or emptied), unchanged since, and that
/// nothing else uses during the call.
#[no_mangle]
pub unsafe extern "C" fn hi_most_common_free(result: *mut HiMostCommon) {
    // SAFETY: the caller guarantees NULL or a HiMostCommon ours for the call.
    let Some(result) = (unsafe { result.as_mut() }) else {
        return;
    };
    if !result.words.is_null() {
        let words = std::ptr::slice_from_raw_parts_mut(result.words.cast::<u8>(), result.words_len);
        // SAFETY: from Box::into_raw of a Box<str> of `words_len` bytes (the
        // layout of a Box<[u8]>), not freed before: it is set to NULL below.
        drop(unsafe { Box::from_raw(words) });
    }
    if !result.counts.is_null() {
        let counts = std::ptr::slice_from_raw_parts_mut(result.counts, result.len);
        // SAFETY: from Box::into_raw of a Box<[u64]> of `len` counts, not
        // freed before: it is set to NULL below.
        drop(unsafe { Box::from_raw(counts) });
    }
    *result = HiMostCommon {
        words: std::ptr::null_mut(),
        words_len: 0,
        counts: std::ptr::null_mut(),
        len: 0,
    };
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

    /// This thread's hi_last_error message.
    fn last_error() -> String {
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
    fn checksum_is_crc32_and_refuses_null() {
        let mut crc = 0;
        // SAFETY: live bytes of the length given, and a live out.
        let status = unsafe { hi_checksum(b"123456789".as_ptr(), 9, 0, &mut crc) };
        assert_eq!((status, crc), (HiStatus::Ok, 0xCBF4_3926));
        // SAFETY: NULL data is refused before anything is read.
        let status = unsafe { hi_checksum(std::ptr::null(), 2, 0, &mut crc) };
        assert_eq!(status, HiStatus::NullPointer);
        assert_eq!(last_error(), "data is NULL but its length is 2");
    }

    #[test]
    fn split_writes_char_spans_and_counts_past_its_room() {
        let text = "é  🦀x y";
        let mut spans = [0_usize; 4];
        let mut out = HiSpans {
            ptr: spans.as_mut_ptr(),
            cap: 2,
            len: 0,
        };
        // SAFETY: live text, and room for 2 spans.
        let status = unsafe { hi_split(text.as_ptr().cast(), text.len(), &mut out) };
        assert_eq!((status, out.len, spans), (HiStatus::Ok, 3, [0, 1, 3, 5]));
        // SAFETY: as above; invalid UTF-8 is refused.
        let status = unsafe { hi_split(b"\xff".as_ptr().cast(), 1, &mut out) };
        assert_eq!(status, HiStatus::InvalidUtf8);
    }

    /// A HiKeep that keeps words of two bytes or more and stops at "stop".
    unsafe extern "C" fn keep(calls: *mut c_void, word: *const c_char, len: usize) -> c_int {
        // SAFETY: the tests pass a live usize as ctx, and the word as given.
        let (calls, word) = unsafe {
            (
                &mut *calls.cast::<usize>(),
                std::slice::from_raw_parts(word.cast::<u8>(), len),
            )
        };
        *calls += 1;
        match word {
            b"stop" => -1,
            _ => c_int::from(len > 1),
        }
    }

    #[test]
    fn counter_counts_keeps_stops_and_frees() {
        let counter = hi_counter_new();
        let mut calls = 0_usize;
        let ctx = std::ptr::addr_of_mut!(calls).cast();
        let (mut total, mut len) = (0_u64, 0_usize);
        // SAFETY: a live counter, live texts, a live ctx for `keep`, and
        // live outs; the counter is freed once, at the end.
        unsafe {
            assert_eq!(
                hi_counter_add(counter, b"b a b".as_ptr().cast(), 5),
                HiStatus::Ok
            );
            let text = b"cc d stop e";
            let status = hi_counter_add_keep(counter, text.as_ptr().cast(), 4, Some(keep), ctx);
            assert_eq!((status, calls), (HiStatus::Ok, 2));
            let status =
                hi_counter_add_keep(counter, text.as_ptr().cast(), text.len(), Some(keep), ctx);
            assert_eq!((status, calls), (HiStatus::Stopped, 5));
            let mask = hi_counter_add_mask(counter, b"x y".as_ptr().cast(), 3, b"\x01".as_ptr(), 1);
            assert_eq!(mask, HiStatus::MaskLength);
            assert_eq!(hi_counter_total(counter, &mut total), HiStatus::Ok);
            assert_eq!(hi_counter_len(counter, &mut len), HiStatus::Ok);
            assert_eq!((total, len), (4, 3));
            let mut top = HiMostCommon {
                words: std::ptr::null_mut(),
                words_len: 0,
                counts: std::ptr::null_mut(),
                len: 0,
            };
            assert_eq!(
                hi_counter_most_common(counter, usize::MAX, &mut top),
                HiStatus::Ok
            );
            let words = std::slice::from_raw_parts(top.words.cast::<u8>(), top.words_len);
            let counts = std::slice::from_raw_parts(top.counts, top.len);
            assert_eq!((words, counts), (&b"b\na\ncc"[..], &[2, 1, 1][..]));
            hi_most_common_free(&mut top);
            assert!(top.words.is_null() && top.counts.is_null());
            assert_eq!(
                hi_counter_len(std::ptr::null(), &mut len),
                HiStatus::NullPointer
            );
            assert_eq!(last_error(), "counter is NULL");
            hi_counter_free(counter);
            hi_counter_free(std::ptr::null_mut());
        }
    }

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: hi_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(hi_version()) };
        assert_eq!(version.to_str(), Ok(env!("CARGO_PKG_VERSION")));
    }
}
