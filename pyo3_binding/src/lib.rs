//! `_native`: `shared_rust` exposed with PyO3, the glue of two routes.
//!
//! Glue only: every string and every rule comes from `shared_rust`. This one
//! text is both `pyo3_binding/src/lib.rs` (built by maturin) and
//! `setuptools_rust_binding/src/lib.rs` (built by setuptools-rust), as in
//! PyO3's maturin and setuptools-rust starters: the two routes differ only in
//! their build configuration, which is what the comparison is about. Two
//! copies, not one file that the other includes: each package's sdist carries
//! its own folder and the crates it depends on, nothing else, and must build
//! alone. tests/test_copies.py fails when the copies differ.

use pyo3::prelude::*;

// gil_used = false (PyO3's default since 0.28, written out because free
// threading depends on it): on a free-threaded CPython (3.13t and later) the
// module declares Py_mod_gil = Py_MOD_GIL_NOT_USED, so importing it does not
// turn the GIL back on. The functions hold no state (hi's interned str is
// created once under PyO3's PyOnceLock); a WordCounter is a frozen class whose
// one field, shared_rust::WordCounter, keeps its counts behind its own Mutex,
// which is never held while Python code runs.
#[pymodule(gil_used = false)]
mod _native {
    use std::ffi::c_ulong;
    use std::mem::MaybeUninit;
    use std::ops::Range;

    use pyo3::exceptions::{PyTypeError, PyValueError};
    use pyo3::ffi;
    use pyo3::intern;
    use pyo3::prelude::*;
    use pyo3::types::{PyInt, PyList, PyString, PyTuple};
    use shared_rust::Greeting;

    /// ASCII names shorter than this many bytes are greeted through one small
    /// Rust `String`; longer or non-ASCII ones by CPython's `str.join`. Where
    /// the two cost the same for ASCII (docs/pyo3.md: instructions a call, by
    /// size): below it the `String` is cheaper than the tuple that join needs,
    /// above it join pulls away as the name grows. For any non-ASCII name join
    /// is cheaper: no UTF-8 decode back into a `str`.
    const JOIN_FROM: usize = 192;

    /// From this many bytes of text on, `WordCounter.add` without `keep`
    /// counts with the GIL released (docs/pyo3.md, WordCounter): releasing
    /// and retaking it costs the same at any size, and from here on it is a
    /// small part of the call.
    const ADD_DETACH_FROM: usize = 4 << 10;

    /// Errors in one place: every `shared_rust` error is a `ValueError`
    /// carrying the error's `Display` text.
    fn to_pyerr(err: shared_rust::GreetError) -> PyErr {
        PyValueError::new_err(err.to_string())
    }

    /// The one argument check PyO3 cannot make from a Rust type: `keep` must
    /// be callable even when no word is offered to it.
    fn not_callable() -> PyErr {
        PyTypeError::new_err("keep must be None or callable")
    }

    /// Return the greeting, "Hello from Rust!".
    #[pyfunction]
    fn hi(py: Python<'_>) -> Bound<'_, PyString> {
        // Interned once, then shared: a call costs one reference count.
        intern!(py, shared_rust::hi()).clone()
    }

    /// Return "Hello, {name}!"; raise ValueError for an empty name.
    #[pyfunction]
    fn greet<'py>(name: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
        let py = name.py();
        // The str's UTF-8 form, borrowed: an ASCII str's own buffer, or the
        // UTF-8 copy CPython caches on the str the first time it is asked
        // for (the limited API has PyUnicode_AsUTF8AndSize). A lone surrogate
        // cannot be encoded: UnicodeEncodeError, before Rust sees the name.
        let text = name.to_str()?;
        let greeting = Greeting::new(text).map_err(to_pyerr)?;
        if text.len() < JOIN_FROM && text.is_ascii() {
            return Ok(PyString::new(py, &greeting.text()));
        }
        // The same parts, as Python strs: the constants interned once, and
        // the caller's own str in place of its UTF-8 view. No GIL release:
        // no Rust work here grows with the name (docs/pyo3.md, threads).
        debug_assert_eq!(greeting.parts(), [Greeting::PREFIX, text, Greeting::SUFFIX]);
        join(
            py,
            [
                intern!(py, Greeting::PREFIX),
                name,
                intern!(py, Greeting::SUFFIX),
            ],
        )
    }

    /// `"".join(parts)` by CPython: one allocation, the result's own, each
    /// part copied into it once in its own width (Latin-1, UCS-2 or UCS-4,
    /// as an f-string does), with no UTF-8 encoding or decoding.
    fn join<'py>(
        py: Python<'py>,
        parts: [&Bound<'py, PyString>; 3],
    ) -> PyResult<Bound<'py, PyString>> {
        let parts = PyTuple::new(py, parts)?;
        let separator = intern!(py, "");
        // SAFETY: both pointers are live objects that `separator` and
        // `parts` keep alive for the call, a str and a tuple of strs, as
        // PyUnicode_Join (limited API) requires; it returns a new reference
        // to a str, or NULL with an exception set, which
        // from_owned_ptr_or_err turns into Err.
        let joined = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyUnicode_Join(separator.as_ptr(), parts.as_ptr()),
            )
        }?;
        Ok(joined.cast_into::<PyString>()?)
    }

    /// Return text.split(): the words between runs of whitespace, as strs.
    #[pyfunction]
    fn split<'py>(text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyList>> {
        // Borrowed UTF-8, as in greet; a lone surrogate raises here.
        let words = shared_rust::char_spans(text.to_str()?)
            .map(|span| substring(text, span))
            .collect::<PyResult<Vec<_>>>()?;
        // A list made at its known length.
        PyList::new(text.py(), words)
    }

    /// `text[span]`, span in characters, cut by CPython from `text` itself
    /// in its own width, as str.split cuts: no UTF-8 decode, which measured
    /// slower than counting characters (docs/pyo3.md, split).
    fn substring<'py>(
        text: &Bound<'py, PyString>,
        span: Range<usize>,
    ) -> PyResult<Bound<'py, PyString>> {
        let (start, end) = (isize::try_from(span.start)?, isize::try_from(span.end)?);
        // SAFETY: `text` is a live str for the call; PyUnicode_Substring
        // (limited API) returns a new reference to a str, or NULL with an
        // exception set, which from_owned_ptr_or_err turns into Err.
        let word = unsafe {
            Bound::from_owned_ptr_or_err(
                text.py(),
                ffi::PyUnicode_Substring(text.as_ptr(), start, end),
            )
        }?;
        Ok(word.cast_into::<PyString>()?)
    }

    /// checksum's `value`: any int, or an object with `__index__`, taken
    /// modulo 2**32, as zlib.crc32 takes it (its "bitwise" converter).
    struct Crc(u32);

    impl<'a, 'py> FromPyObject<'a, 'py> for Crc {
        type Error = PyErr;

        fn extract(value: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
            // SAFETY: `value` is a live object for the call.
            // PyLong_AsUnsignedLongMask (limited API) calls __index__ on a
            // non-int and returns the value modulo 2**(bits of unsigned long),
            // or (unsigned long)-1 with an exception set (TypeError for a
            // float, None or str).
            let masked = unsafe { ffi::PyLong_AsUnsignedLongMask(value.as_ptr()) };
            if masked == c_ulong::MAX {
                if let Some(err) = PyErr::take(value.py()) {
                    return Err(err);
                }
            }
            // unsigned long has at least 32 bits: its low 32 are the modulo.
            Ok(Self(masked as u32))
        }
    }

    /// A buffer export, released (PyBuffer_Release) when this is dropped:
    /// on every path out of `checksum`, an error or a panic included, and
    /// with the thread attached (the drop runs after `detach` has returned).
    struct Export(*mut ffi::Py_buffer);

    impl Drop for Export {
        fn drop(&mut self) {
            // SAFETY: the pointer is a Py_buffer that PyObject_GetBuffer
            // filled and that stays in place (checksum's frame owns it, and
            // it is never moved) until this drop, which releases it once.
            unsafe { ffi::PyBuffer_Release(self.0) }
        }
    }

    /// Return zlib.crc32(data, value): the CRC-32 of any C-contiguous buffer,
    /// read in place, continuing from value.
    #[pyfunction]
    #[pyo3(signature = (data, value = Crc(0), /), text_signature = "(data, value=0, /)")]
    fn checksum(data: &Bound<'_, PyAny>, value: Crc) -> PyResult<u32> {
        let py = data.py();
        // Not PyO3's PyUntypedBuffer::get: it asks every exporter for
        // PyBUF_FULL_RO (strides and format) and boxes the Py_buffer.
        // PyBUF_SIMPLE is zlib.crc32's request: its bytes as one contiguous
        // run of any format, or the exporter refuses with its own error
        // (BufferError for a non-contiguous memoryview; TypeError, from
        // CPython, for an object with no buffer). The buffer protocol is in
        // the limited API from 3.11: hence abi3-py311 (Cargo.toml).
        let mut view = MaybeUninit::<ffi::Py_buffer>::uninit();
        let view = view.as_mut_ptr();
        // SAFETY: `data` is a live object; `view` is room for one
        // Py_buffer, which PyObject_GetBuffer fills and exports on success
        // (0), or leaves unexported with an exception set (-1).
        if unsafe { ffi::PyObject_GetBuffer(data.as_ptr(), view, ffi::PyBUF_SIMPLE) } != 0 {
            return Err(PyErr::fetch(py));
        }
        let export = Export(view);
        // SAFETY: filled by the successful PyObject_GetBuffer above.
        let (buf, len) = unsafe { ((*view).buf, (*view).len) };
        let len = usize::try_from(len).expect("a buffer's length is never negative");
        let bytes: &[u8] = if len == 0 {
            &[]
        } else {
            // SAFETY: a PyBUF_SIMPLE export is `len` contiguous bytes at
            // `buf`, kept alive and in place until `export` releases it,
            // after the last use of `bytes`. What this cannot promise:
            // that nothing writes to them meanwhile. Another thread (with
            // the GIL released here, or on a free-threaded build), or C code
            // holding a writable export of the same bytearray, mmap or numpy
            // array, may change them while Rust reads, which Rust's `&[u8]`
            // forbids. zlib.crc32 has the same race in C; the result is then
            // some CRC of bytes that were changing, and crc32fast only reads
            // them, never trusting them for memory safety. As with PyO3's own
            // buffer slices and cryptography's buf.rs, this is accepted.
            unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), len) }
        };
        let crc = if len >= shared_rust::CHECKSUM_DETACH_FROM {
            py.detach(|| shared_rust::checksum(bytes, value.0))
        } else {
            shared_rust::checksum(bytes, value.0)
        };
        drop(export);
        Ok(crc)
    }

    /// Counts words as collections.Counter(text.split()) does, from any
    /// number of threads.
    // frozen: no &mut access from Python, so PyO3 needs no borrow flag and
    // the class is Sync; the counts have their own lock, shared_rust's Mutex.
    #[pyclass(frozen)]
    struct WordCounter {
        counter: shared_rust::WordCounter,
    }

    #[pymethods]
    impl WordCounter {
        /// Make an empty counter.
        #[new]
        fn new() -> Self {
            Self {
                counter: shared_rust::WordCounter::new(),
            }
        }

        /// Count the words of text.split(); with keep, only those for which
        /// keep(word) is true. An exception from keep leaves the counter
        /// unchanged.
        #[pyo3(signature = (text, keep = None))]
        fn add(&self, text: &Bound<'_, PyString>, keep: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
            let py = text.py();
            let utf8 = text.to_str()?;
            let Some(keep) = keep else {
                // The text's UTF-8 stays borrowed from the caller's str, and
                // shared_rust's lock never needs the GIL: released, other
                // threads run Python meanwhile, and nothing can deadlock.
                if utf8.len() >= ADD_DETACH_FROM {
                    py.detach(|| self.counter.add(utf8));
                } else {
                    self.counter.add(utf8);
                }
                return Ok(());
            };
            if !keep.is_callable() {
                return Err(not_callable());
            }
            // No lock is held while keep runs (add_kept's promise). Its
            // exception is kept in the PyErr as the same object, with its
            // traceback, and raised again when add returns.
            self.counter.add_kept(utf8, |word| {
                keep.call1((PyString::new(py, word),))?.is_truthy()
            })
        }

        /// Return how many times word was counted (0 if never).
        fn count(&self, word: &Bound<'_, PyString>) -> PyResult<u64> {
            Ok(self.counter.count(word.to_str()?))
        }

        /// Return the number of distinct words counted.
        fn __len__(&self) -> usize {
            self.counter.len()
        }

        /// Return the sum of the counts.
        fn total(&self) -> u64 {
            self.counter.total()
        }

        /// Return the n most common words and their counts (all for None),
        /// highest first, ties in the order first counted.
        #[pyo3(signature = (n = None))]
        fn most_common<'py>(
            &self,
            py: Python<'py>,
            n: Option<&Bound<'py, PyInt>>,
        ) -> PyResult<Bound<'py, PyList>> {
            let n = match n {
                None => None,
                // As a slice bound: a negative n keeps none, one past
                // usize::MAX keeps all.
                Some(n) => Some(match n.extract::<usize>() {
                    Ok(n) => n,
                    Err(_) if n.lt(0)? => 0,
                    Err(_) => usize::MAX,
                }),
            };
            PyList::new(py, self.counter.most_common(n))
        }
    }

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        // PyO3 names the class's module "_native", the #[pymodule]'s name;
        // its full name comes from the crate's name here, so the two
        // crates' files stay one (`#[pymodule(module = ...)]` takes a literal).
        m.py().get_type::<WordCounter>().setattr(
            intern!(m.py(), "__module__"),
            concat!(env!("CARGO_PKG_NAME"), "._native"),
        )?;
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
