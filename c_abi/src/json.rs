//! `hi_json_loads_str`, `hi_json_loads_bytes`, `hi_json_dumps` and
//! `hi_json_free`: JSON text to a flat value and back (`shared_rust::json`).
//!
//! A C ABI cannot carry a nested object, so a value crosses as one buffer in
//! the flat format of `shared_rust::json::flat`, which this header repeats
//! (see [`hi_json_loads_str`]). Results are buffers the library owns until
//! the caller frees them with [`hi_json_free`].

use std::ffi::c_char;

use shared_rust::json::flat::{self, Flat, FlatDumpError, FlatError};
use shared_rust::json::{DumpError, LoadError, LoadOptions, NotText};

use crate::boundary::{bytes_at, out_at, run, Failure, HiStatus};

/// The result of a `hi_json_*` call: a struct the caller owns, pointing to
/// a buffer the library owns until `hi_json_free`.
///
/// Every call first sets every field to 0 (NULL), then on `HI_STATUS_OK`
/// sets `ptr` and `len`, and on a JSON error the fields its status names.
#[repr(C)]
#[derive(Debug)]
pub struct HiJson {
    /// On `HI_STATUS_OK`: the flat value (loads) or the JSON text (dumps:
    /// ASCII, no NUL terminator), `len` bytes, owned by the library: free it
    /// once with `hi_json_free`. NULL otherwise.
    pub ptr: *mut u8,
    /// How many bytes `ptr` points to.
    pub len: usize,
    /// loads, on `HI_STATUS_OK`: how many lists and dicts nest at the
    /// deepest point of the value (0 for a scalar).
    pub depth: usize,
    /// loads, on `HI_STATUS_OK`: 1 if the value holds a `D` (an int past
    /// `int64_t`) or a length past `INT32_MAX`, which Python's
    /// `marshal.loads` does not read; else 0.
    pub extended: u8,
    /// `HI_STATUS_JSON_SYNTAX`: the position json reports, in code points of
    /// the (decoded) text. `HI_STATUS_JSON_DECODE`: where the object of the
    /// `UnicodeDecodeError` starts in the input, in bytes.
    pub pos: usize,
    /// `HI_STATUS_JSON_DECODE`: the refused bytes are `start .. end` of that object.
    pub start: usize,
    /// See `start`.
    pub end: usize,
    /// `HI_STATUS_JSON_DECODE`: the codec's name (`"utf-8"`, `"utf-16-le"`
    /// ...), `encoding_len` bytes, static: never freed.
    pub encoding: *const c_char,
    /// Length of `encoding`.
    pub encoding_len: usize,
}

impl HiJson {
    const EMPTY: Self = Self {
        ptr: std::ptr::null_mut(),
        len: 0,
        depth: 0,
        extended: 0,
        pos: 0,
        start: 0,
        end: 0,
        encoding: std::ptr::null(),
        encoding_len: 0,
    };

    /// Hands `bytes` to the caller, until `hi_json_free`.
    fn own(&mut self, bytes: Vec<u8>) {
        let bytes = Box::into_raw(bytes.into_boxed_slice());
        self.len = bytes.len();
        self.ptr = bytes.cast();
    }
}

/// A loads error, with its fields set in `out`.
fn load_failure(out: &mut HiJson, err: LoadError<FlatError>) -> Failure {
    let message = err.to_string();
    let status = match err {
        LoadError::Syntax(err) => {
            out.pos = err.pos;
            HiStatus::JsonSyntax
        }
        LoadError::Decode(err) => {
            out.pos = err.object_start;
            out.start = err.start;
            out.end = err.end;
            out.encoding = err.encoding.as_ptr().cast();
            out.encoding_len = err.encoding.len();
            return Failure::Status(HiStatus::JsonDecode, err.reason.to_owned());
        }
        LoadError::TooDeep(_) => HiStatus::JsonTooDeep,
        LoadError::Builder(FlatError::IntDigits(decimal)) => {
            return Failure::Status(HiStatus::JsonIntDigits, decimal)
        }
        LoadError::Builder(FlatError::TooLarge { .. }) => HiStatus::TooLarge,
    };
    Failure::Status(status, message)
}

/// The body of both loads: `parse` on the input, the result in `out`.
///
/// # Safety
///
/// As [`hi_json_loads_str`]'s.
unsafe fn loads(
    input: *const u8,
    len: usize,
    out: *mut HiJson,
    parse: impl FnOnce(&[u8]) -> Result<Flat, LoadError<FlatError>>,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller guarantees a non-NULL `out` is a HiJson ours
        // for the call, and `input` `len` readable bytes.
        let (out, input) = unsafe { (out_at(out, "out")?, bytes_at(input, len, "text")?) };
        *out = HiJson::EMPTY;
        let value = parse(input).map_err(|err| load_failure(out, err))?;
        out.depth = value.depth;
        out.extended = u8::from(value.extended);
        out.own(value.bytes);
        Ok(())
    })
}

/// `json.loads(s)` of a `str`, as a flat value in `out` (free it with
/// `hi_json_free`).
///
/// `text` points to `len` bytes of WTF-8: UTF-8 in which a lone surrogate
/// may appear as its 3-byte sequence (what Python's
/// `s.encode("utf-8", "surrogatepass")` writes); NULL when `len` is 0.
/// `max_depth`: the deepest nesting of arrays and objects accepted (Python:
/// `sys.getrecursionlimit()`). `python_minor`: the messages of the json of
/// CPython 3.`python_minor`. `max_int_digits`: an int with more digits is
/// `HI_STATUS_JSON_INT_DIGITS` (Python: `sys.get_int_max_str_digits()`; 0:
/// no limit).
///
/// The flat value is one value in a subset of CPython's marshal format
/// (version 4), little-endian, plus one code of its own: `N` `T` `F`
/// (null, true, false); `i` + int32; `l` + int32 n + |n| uint16 digits of
/// 15 bits, least significant first, with n's sign; `D` + uint32 length +
/// ASCII decimal digits (an int past int64); `g` + double; `z` + uint8
/// length + ASCII, `a` + uint32 length + ASCII, `u` + uint32 length + WTF-8
/// (a string); `[` + uint32 n + n values (an array); `{` + key, value,
/// ..., `0` (an object, keys in the order written, duplicates kept); `r` +
/// uint32 i: value number i again. A code with bit 0x80 set is remembered:
/// numbered from 0 in the order of the codes so flagged (repeated short keys
/// are written once, flagged, then as `r`).
///
/// On failure, `out` holds no buffer, the message is in `hi_last_error`,
/// and the status says which error: `HI_STATUS_JSON_SYNTAX` (`out->pos`),
/// `HI_STATUS_JSON_TOO_DEEP`, `HI_STATUS_JSON_INT_DIGITS`,
/// `HI_STATUS_TOO_LARGE`, `HI_STATUS_NULL_POINTER`, `HI_STATUS_PANIC`.
///
/// # Safety
///
/// Unless `len` is 0, `text` points to `len` readable bytes, unchanged
/// during the call. Unless NULL, `out` points to a `HiJson` that nothing
/// else uses during the call; a buffer it held before is not freed (free it
/// first).
#[no_mangle]
pub unsafe extern "C" fn hi_json_loads_str(
    text: *const c_char,
    len: usize,
    max_depth: usize,
    python_minor: u32,
    max_int_digits: usize,
    out: *mut HiJson,
) -> HiStatus {
    let opts = LoadOptions::python(python_minor, max_depth);
    // SAFETY: the caller's guarantees, passed on.
    unsafe {
        loads(text.cast(), len, out, |wtf8| {
            flat::loads_flat_str(wtf8, opts, max_int_digits)
        })
    }
}

/// `json.loads(data)` of `bytes`: decoded as json decodes them (UTF-8,
/// UTF-16 or UTF-32, told apart as `json.detect_encoding` does), then as
/// `hi_json_loads_str`. Also `HI_STATUS_JSON_DECODE` for bytes the codec
/// refuses: `out->encoding`, `out->pos` (where the error's object starts),
/// `out->start` and `out->end` (the refused bytes, from there), and the
/// reason in `hi_last_error`.
///
/// # Safety
///
/// As `hi_json_loads_str`'s, for `data`.
// The same signature and body as hi_json_loads_str on purpose (duplicates
// pairs them): one entry point per kind of input, as Python's json has one
// path for a str and one for bytes, rather than a flag every caller passes.
#[no_mangle]
pub unsafe extern "C" fn hi_json_loads_bytes(
    data: *const u8,
    len: usize,
    max_depth: usize,
    python_minor: u32,
    max_int_digits: usize,
    out: *mut HiJson,
) -> HiStatus {
    let opts = LoadOptions::python(python_minor, max_depth);
    // SAFETY: the caller's guarantees, passed on.
    unsafe {
        loads(data, len, out, |data| {
            flat::loads_flat_bytes(data, opts, max_int_digits)
        })
    }
}

/// `json.dumps(obj)` of an object flattened into `flat` (`len` bytes): the
/// JSON text in `out` (ASCII; free it with `hi_json_free`).
///
/// `flat` holds one value in the format `hi_json_loads_str` writes, and
/// more: `(` + uint32 n and `)` + uint8 n (a tuple, written as an array),
/// the interned strings `t`, `A`, `Z` (as `u`, `a`, `z`), and this format's
/// marks of what json refuses, at the place json would raise: `?` + uint32
/// length + UTF-8 (a value, or in a key's place a key, of the type so
/// named) and `!` + uint32 level (the container open at that level again,
/// 0 the outermost: a cycle). A reference `r` to a container still open is
/// a cycle too. So `marshal.dumps(obj, 4)` of builtin types is a flat value
/// as it is.
///
/// On failure, `out` holds no buffer and the message is in
/// `hi_last_error`: `HI_STATUS_JSON_TYPE`, `HI_STATUS_JSON_CIRCULAR`,
/// `HI_STATUS_JSON_TOO_DEEP` with json's messages;
/// `HI_STATUS_FLAT_UNSUPPORTED` for any other marshal code (a set, bytes,
/// ...) or an `l` past int64; `HI_STATUS_FLAT_MALFORMED`;
/// `HI_STATUS_NULL_POINTER`; `HI_STATUS_PANIC`.
///
/// # Safety
///
/// Unless `len` is 0, `flat` points to `len` readable bytes, unchanged
/// during the call. Unless NULL, `out` points to a `HiJson` that nothing
/// else uses during the call; a buffer it held before is not freed.
#[no_mangle]
pub unsafe extern "C" fn hi_json_dumps(
    flat: *const u8,
    len: usize,
    max_depth: usize,
    out: *mut HiJson,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller guarantees a non-NULL `out` is a HiJson ours
        // for the call, and `flat` `len` readable bytes.
        let (out, flat) = unsafe { (out_at(out, "out")?, bytes_at(flat, len, "flat")?) };
        *out = HiJson::EMPTY;
        let text = flat::dumps_flat(flat, max_depth).map_err(|err| {
            let status = match &err {
                FlatDumpError::Dump(
                    DumpError::NotSerializable { .. } | DumpError::BadKey { .. },
                ) => HiStatus::JsonType,
                FlatDumpError::Dump(DumpError::Circular) => HiStatus::JsonCircular,
                FlatDumpError::Dump(DumpError::BadItems) => HiStatus::JsonItems,
                FlatDumpError::Dump(DumpError::TooDeep(_)) => HiStatus::JsonTooDeep,
                FlatDumpError::Unsupported { .. } => HiStatus::FlatUnsupported,
                FlatDumpError::Malformed { .. } => HiStatus::FlatMalformed,
            };
            Failure::Status(status, err.to_string())
        })?;
        out.own(text.into_bytes());
        Ok(())
    })
}

/// json's `TypeError` message for a `loads` argument that is neither text nor
/// bytes, of the type named by `type_name` (`len` bytes of UTF-8, as Python's
/// `type(s).__name__`), left in `hi_last_error`: a caller that cannot pass
/// such an argument to `hi_json_loads_*` still raises the core's text.
/// Returns `HI_STATUS_JSON_TYPE` (or `HI_STATUS_NULL_POINTER`,
/// `HI_STATUS_PANIC`).
///
/// # Safety
///
/// Unless `len` is 0, `type_name` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn hi_json_not_text(type_name: *const c_char, len: usize) -> HiStatus {
    run(|| {
        // SAFETY: the caller guarantees `type_name` points to `len` readable bytes.
        let name = unsafe { bytes_at(type_name, len, "type_name") }?;
        let type_name = String::from_utf8_lossy(name).into_owned();
        Err(Failure::Status(
            HiStatus::JsonType,
            NotText { type_name }.to_string(),
        ))
    })
}

/// Frees the buffer of a `HiJson` filled by a `hi_json_*` call, and sets
/// `ptr` to NULL and `len` to 0, so a second call does nothing. NULL, or a
/// `HiJson` without a buffer, does nothing.
///
/// # Safety
///
/// Unless NULL, `out` points to a `HiJson` whose `ptr` and `len` are NULL
/// and 0 or as a `hi_json_*` call of this library set them, and that
/// nothing else uses during the call.
#[no_mangle]
pub unsafe extern "C" fn hi_json_free(out: *mut HiJson) {
    // SAFETY: the caller guarantees a non-NULL `out` is a HiJson ours for the call.
    let Some(out) = (unsafe { out.as_mut() }) else {
        return;
    };
    if !out.ptr.is_null() {
        let bytes = std::ptr::slice_from_raw_parts_mut(out.ptr, out.len);
        // SAFETY: `ptr` and `len` are a Box<[u8]> that `HiJson::own` gave
        // away, not freed since (the caller's guarantee). Dropping bytes
        // cannot panic.
        drop(unsafe { Box::from_raw(bytes) });
    }
    out.ptr = std::ptr::null_mut();
    out.len = 0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::tests::last_error;

    fn loads_str(text: &[u8], out: &mut HiJson) -> HiStatus {
        // SAFETY: a live text of the length given, and a HiJson of ours.
        unsafe { hi_json_loads_str(text.as_ptr().cast(), text.len(), 100, 11, 4300, out) }
    }

    fn bytes(out: &HiJson) -> Vec<u8> {
        // SAFETY: on OK, `ptr` holds `len` bytes until hi_json_free.
        unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec()
    }

    #[test]
    fn loads_then_dumps_round_trips_and_frees_once() {
        let mut out = HiJson::EMPTY;
        assert_eq!(loads_str(b"[1, {\"a\": null}]", &mut out), HiStatus::Ok);
        assert_eq!(out.depth, 2);
        let value = bytes(&out);
        // SAFETY: the HiJson a call filled; freed twice, the second a no-op.
        unsafe {
            hi_json_free(&mut out);
            hi_json_free(&mut out);
        }
        assert!(out.ptr.is_null());
        let mut text = HiJson::EMPTY;
        // SAFETY: a live buffer, and a HiJson of ours.
        let status = unsafe { hi_json_dumps(value.as_ptr(), value.len(), 100, &mut text) };
        assert_eq!(status, HiStatus::Ok);
        assert_eq!(bytes(&text), b"[1, {\"a\": null}]");
        // SAFETY: as above.
        unsafe { hi_json_free(&mut text) };
    }

    #[test]
    fn errors_set_their_status_fields_and_message() {
        let mut out = HiJson::EMPTY;
        assert_eq!(loads_str(b"[1,", &mut out), HiStatus::JsonSyntax);
        assert_eq!((out.pos, out.ptr.is_null()), (3, true));
        assert_eq!(last_error(), "Expecting value");
        assert_eq!(
            loads_str(&b"[".repeat(101), &mut out),
            HiStatus::JsonTooDeep
        );
        assert_eq!(
            loads_str("1".repeat(4301).as_bytes(), &mut out),
            HiStatus::JsonIntDigits
        );
        // SAFETY: a live buffer, and a HiJson of ours.
        let status = unsafe { hi_json_loads_bytes(b"[\xff]".as_ptr(), 3, 100, 11, 0, &mut out) };
        assert_eq!(status, HiStatus::JsonDecode);
        // SAFETY: a static string of `encoding_len` bytes.
        let encoding =
            unsafe { std::slice::from_raw_parts(out.encoding.cast::<u8>(), out.encoding_len) };
        assert_eq!((encoding, out.start, out.end), (&b"utf-8"[..], 1, 2));
        assert_eq!(last_error(), "invalid start byte");
        for (flat, status) in [
            (&b"<\x00\x00\x00\x00"[..], HiStatus::FlatUnsupported),
            (b"?\x03\x00\x00\x00set", HiStatus::JsonType),
            (b"[\x01\0\0\0!\0\0\0\0", HiStatus::JsonCircular),
            (b"[", HiStatus::FlatMalformed),
        ] {
            // SAFETY: as above.
            let got = unsafe { hi_json_dumps(flat.as_ptr(), flat.len(), 100, &mut out) };
            assert_eq!(got, status, "{flat:?}");
        }
        assert_eq!(
            last_error(),
            "malformed flat buffer at byte 1: the buffer ends inside a value"
        );
        // SAFETY: NULL out is refused; a NULL input of length 0 is allowed.
        unsafe {
            assert_eq!(
                hi_json_dumps(std::ptr::null(), 0, 1, std::ptr::null_mut()),
                HiStatus::NullPointer
            );
            assert_eq!(
                hi_json_dumps(std::ptr::null(), 5, 1, &mut out),
                HiStatus::NullPointer
            );
        }
    }
}
