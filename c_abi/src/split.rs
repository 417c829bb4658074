//! `hi_split`: where the words of a text are, as character spans in the
//! caller's buffer.

use std::ffi::c_char;

use crate::boundary::{out_at, run, text_at, HiStatus};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
