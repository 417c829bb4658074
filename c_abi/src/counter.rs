//! `HiWordCounter`: a `shared_rust::WordCounter` that C owns, and the calls
//! that count, ask and free.

use std::ffi::{c_char, c_int, c_void};

use shared_rust::WordCounter;

use crate::boundary::{bytes_at, out_at, run, text_at, Failure, HiStatus};

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
    use crate::boundary::tests::last_error;

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
}
