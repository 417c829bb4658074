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
    use std::ffi::{c_int, c_ulong, CString};
    use std::mem::MaybeUninit;
    use std::ops::Range;
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

    use pyo3::exceptions::{PyRecursionError, PyTypeError, PyUnicodeDecodeError, PyValueError};
    use pyo3::ffi;
    use pyo3::intern;
    use pyo3::prelude::*;
    use pyo3::sync::PyOnceLock;
    use pyo3::types::{PyByteArray, PyBytes, PyDict, PyInt, PyList, PyString, PyTuple, PyType};
    use shared_rust::json::{self, DumpError, Items, KeyCache, LoadError, LoadOptions, Pairs};
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

    /// CPython's minor version, read once: json's messages depend on it
    /// (LoadOptions::python).
    static PYTHON_MINOR: AtomicU32 = AtomicU32::new(0);

    /// Whether this interpreter may run Python threads in parallel (a
    /// free-threaded build with the GIL off), read once at import: there a
    /// list or dict that `dumps` reads may change under it, so it reads them
    /// only through calls that take their lock; with a GIL, nothing runs
    /// between the C calls below that read a container and take references.
    static FREE_THREADED: AtomicBool = AtomicBool::new(false);

    /// Owns a new reference returned by a C call, or the exception set.
    fn owned<'py>(py: Python<'py>, ptr: *mut ffi::PyObject) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: every caller passes what a C API call that returns a new
        // reference (or NULL with an exception set) just returned.
        unsafe { Bound::from_owned_ptr_or_err(py, ptr) }
    }

    /// `loads`' builder: Python objects, made as the text is read.
    struct PyBuilder<'py> {
        py: Python<'py>,
        keys: KeyCache<Bound<'py, PyAny>>,
    }

    /// A str from the core's WTF-8 (surrogates through surrogatepass).
    fn text<'py>(py: Python<'py>, wtf8: &[u8], utf8: bool) -> PyResult<Bound<'py, PyAny>> {
        let len = isize::try_from(wtf8.len())?;
        let errors = if utf8 {
            std::ptr::null()
        } else {
            c"surrogatepass".as_ptr()
        };
        // SAFETY: `wtf8` is `len` readable bytes; PyUnicode_DecodeUTF8
        // copies them into a new str (checking them as it decodes) or
        // returns NULL with an exception set.
        owned(py, unsafe {
            ffi::PyUnicode_DecodeUTF8(wtf8.as_ptr().cast(), len, errors)
        })
    }

    impl<'py> json::Builder for PyBuilder<'py> {
        type Value = Bound<'py, PyAny>;
        type Error = PyErr;

        fn null(&mut self) -> PyResult<Self::Value> {
            Ok(self.py.None().into_bound(self.py))
        }

        fn bool(&mut self, v: bool) -> PyResult<Self::Value> {
            Ok(pyo3::types::PyBool::new(self.py, v).to_owned().into_any())
        }

        fn int(&mut self, v: i64) -> PyResult<Self::Value> {
            // SAFETY: PyLong_FromLongLong returns a new int or NULL with an
            // exception set.
            owned(self.py, unsafe { ffi::PyLong_FromLongLong(v) })
        }

        fn big_int(&mut self, decimal: &str) -> PyResult<Self::Value> {
            // Python's int(): its digit limit raises ValueError, as in json.
            let decimal = CString::new(decimal)?;
            // SAFETY: a NUL-terminated decimal; PyLong_FromString returns a
            // new int or NULL with an exception set.
            owned(self.py, unsafe {
                ffi::PyLong_FromString(decimal.as_ptr(), std::ptr::null_mut(), 10)
            })
        }

        fn float(&mut self, v: f64) -> PyResult<Self::Value> {
            // SAFETY: PyFloat_FromDouble returns a new float or NULL with an
            // exception set.
            owned(self.py, unsafe { ffi::PyFloat_FromDouble(v) })
        }

        fn str(&mut self, wtf8: &[u8], utf8: bool) -> PyResult<Self::Value> {
            text(self.py, wtf8, utf8)
        }

        fn key(&mut self, wtf8: &[u8], utf8: bool) -> PyResult<Self::Value> {
            let py = self.py;
            self.keys.get_or_make(wtf8, || text(py, wtf8, utf8))
        }

        fn list(&mut self, items: Items<'_, Self::Value>) -> PyResult<Self::Value> {
            // A list made at its length, each item moved into its slot.
            let len = isize::try_from(items.len())?;
            // SAFETY: PyList_New returns a new list of `len` empty slots, or
            // NULL with an exception set.
            let list = owned(self.py, unsafe { ffi::PyList_New(len) })?;
            for (i, item) in (0..len).zip(items) {
                // SAFETY: `list` is a new list of `len` slots, `i < len`;
                // PyList_SetItem steals the item's reference (into_ptr).
                if unsafe { ffi::PyList_SetItem(list.as_ptr(), i, item.into_ptr()) } != 0 {
                    return Err(PyErr::fetch(self.py));
                }
            }
            Ok(list)
        }

        fn dict(&mut self, pairs: Pairs<'_, Self::Value>) -> PyResult<Self::Value> {
            // PyDict_SetItem in order: a repeated key keeps its first place
            // and takes its last value, as json's dicts do.
            let dict = PyDict::new(self.py);
            for (key, value) in pairs {
                // SAFETY: live objects; PyDict_SetItem takes its own references.
                if unsafe { ffi::PyDict_SetItem(dict.as_ptr(), key.as_ptr(), value.as_ptr()) } != 0
                {
                    return Err(PyErr::fetch(self.py));
                }
            }
            Ok(dict.into_any())
        }
    }

    /// json.JSONDecodeError, imported once.
    fn json_decode_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
        static TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        TYPE.import(py, "json", "JSONDecodeError")
    }

    /// The core's error as the exception json raises; `doc` makes the str
    /// that JSONDecodeError quotes (the decoded text, for bytes), `data` is
    /// the document's bytes (for UnicodeDecodeError).
    fn load_error<'py>(
        py: Python<'py>,
        err: LoadError<PyErr>,
        doc: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
        data: &[u8],
    ) -> PyErr {
        match err {
            LoadError::Syntax(err) => {
                match doc().and_then(|doc| json_decode_error(py)?.call1((err.msg, doc, err.pos))) {
                    Ok(exc) => PyErr::from_value(exc),
                    Err(e) => e,
                }
            }
            LoadError::Decode(err) => {
                let make = || -> PyResult<PyErr> {
                    let object = PyBytes::new(py, data.get(err.object_start..).unwrap_or_default());
                    let exc = py.get_type::<PyUnicodeDecodeError>().call1((
                        err.encoding,
                        object,
                        err.start,
                        err.end,
                        err.reason,
                    ))?;
                    Ok(PyErr::from_value(exc))
                };
                make().unwrap_or_else(|e| e)
            }
            LoadError::TooDeep(err) => PyRecursionError::new_err(err.to_string()),
            LoadError::Builder(err) => err,
        }
    }

    /// What json reads by on this interpreter: its version's messages, and
    /// nesting up to the recursion limit.
    fn load_options() -> LoadOptions {
        // SAFETY: the thread is attached (a pyfunction runs with it);
        // Py_GetRecursionLimit only reads the interpreter's setting.
        let limit = unsafe { ffi::Py_GetRecursionLimit() };
        LoadOptions::python(
            PYTHON_MINOR.load(Ordering::Relaxed),
            usize::try_from(limit).unwrap_or(0),
        )
    }

    /// Return json.loads(s): the value of the JSON document s (str, bytes
    /// or bytearray).
    #[pyfunction]
    fn loads<'py>(s: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = s.py();
        let opts = load_options();
        let mut builder = PyBuilder {
            py,
            keys: KeyCache::default(),
        };
        if let Ok(text) = s.cast::<PyString>() {
            let result = match text.to_str() {
                // The str's own UTF-8 (cached on it by CPython).
                Ok(utf8) => json::loads_str(utf8.as_bytes(), true, opts, &mut builder),
                Err(_) => {
                    // Lone surrogates: its WTF-8, as the core reads it.
                    let wtf8 =
                        text.call_method1(intern!(py, "encode"), ("utf-8", "surrogatepass"))?;
                    let wtf8 = wtf8.cast::<PyBytes>()?;
                    json::loads_str(wtf8.as_bytes(), false, opts, &mut builder)
                }
            };
            return result.map_err(|err| load_error(py, err, || Ok(text.clone().into_any()), &[]));
        }
        let (bytes, owner): (&[u8], Option<Vec<u8>>) = if let Ok(b) = s.cast::<PyBytes>() {
            (b.as_bytes(), None)
        } else if let Ok(b) = s.cast::<PyByteArray>() {
            // A copy: a bytearray may change while Python objects are made
            // (a finalizer the garbage collector runs, another thread).
            (&[], Some(b.to_vec()))
        } else {
            let type_name = s.get_type().name()?.to_string();
            return Err(PyTypeError::new_err(
                json::NotText { type_name }.to_string(),
            ));
        };
        let data = owner.as_deref().unwrap_or(bytes);
        json::loads_bytes(data, opts, &mut builder).map_err(|err| {
            load_error(
                py,
                err,
                || {
                    let name = json::detect_encoding(data).name();
                    PyBytes::new(py, data)
                        .call_method1(intern!(py, "decode"), (name, "surrogatepass"))
                },
                data,
            )
        })
    }

    /// The core's refusal as the exception json raises.
    fn dump_error(err: DumpError) -> PyErr {
        match err {
            DumpError::NotSerializable { .. } | DumpError::BadKey { .. } => {
                PyTypeError::new_err(err.to_string())
            }
            DumpError::Circular | DumpError::BadItems => PyValueError::new_err(err.to_string()),
            DumpError::TooDeep(_) => PyRecursionError::new_err(err.to_string()),
        }
    }

    /// A str's text as the core reads it: its UTF-8, or with lone
    /// surrogates its WTF-8 (surrogatepass). Neither runs Python code.
    fn with_text<R>(s: Borrowed<'_, '_, PyAny>, f: impl FnOnce(&[u8]) -> R) -> PyResult<R> {
        let py = s.py();
        let mut len: ffi::Py_ssize_t = 0;
        // SAFETY: `s` is a live str (Kind::Str); the UTF-8 returned is
        // owned by it (cached on it) and read before `s` can be released.
        let utf8 = unsafe { ffi::PyUnicode_AsUTF8AndSize(s.as_ptr(), &mut len) };
        if utf8.is_null() {
            // A lone surrogate: UnicodeEncodeError, dropped for its WTF-8.
            drop(PyErr::take(py));
            // SAFETY: a live str and two C strings; a new bytes object or
            // NULL with an exception set.
            let wtf8 = owned(py, unsafe {
                ffi::PyUnicode_AsEncodedString(
                    s.as_ptr(),
                    c"utf-8".as_ptr(),
                    c"surrogatepass".as_ptr(),
                )
            })?;
            return Ok(f(wtf8.cast::<PyBytes>()?.as_bytes()));
        }
        let len = usize::try_from(len)?;
        // SAFETY: PyUnicode_AsUTF8AndSize returned `len` bytes at `utf8`.
        Ok(f(unsafe {
            std::slice::from_raw_parts(utf8.cast::<u8>(), len)
        }))
    }

    /// An int as json writes it, its value as `int.__repr__` gives it (an
    /// IntEnum writes its number): an i64, or past it the decimal text.
    /// Neither runs Python code (no __index__, __int__ or __repr__).
    fn int_value<'py>(n: Borrowed<'_, 'py, PyAny>) -> PyResult<Result<i64, Bound<'py, PyString>>> {
        let py = n.py();
        let mut overflow: c_int = 0;
        // SAFETY: `n` is a live int (Kind::Int): its value is read directly.
        let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(n.as_ptr(), &mut overflow) };
        if overflow == 0 {
            if v == -1 {
                if let Some(err) = PyErr::take(py) {
                    return Err(err);
                }
            }
            return Ok(Ok(v));
        }
        // int.__repr__, as json calls it: the value of a subclass too, and
        // the digit limit's ValueError (PyPy's PyNumber_ToBase has none).
        let decimal = py
            .get_type::<PyInt>()
            .getattr(intern!(py, "__repr__"))?
            .call1((n,))?;
        Ok(Err(decimal.cast_into::<PyString>()?))
    }

    /// A key json cannot write: TypeError naming the type as the C
    /// encoder's `tp_name` does (`module.Name` for a static type of an
    /// extension, the name alone for builtins and classes).
    fn bad_key(key: &Bound<'_, PyAny>) -> PyErr {
        let py = key.py();
        let make = || -> PyResult<String> {
            let tp = key.get_type();
            let name = tp.name()?.to_string();
            // SAFETY: a live type object; PyType_GetFlags reads its flags.
            let flags = unsafe { ffi::PyType_GetFlags(tp.as_type_ptr()) };
            // json shows tp_name: a class made by a `class` statement (a
            // mutable heap type) has its bare name there; a type made in C
            // (static, or a heap type from a spec, as _decimal's are from
            // 3.14), which is immutable, has "module.Name".
            if flags & ffi::Py_TPFLAGS_IMMUTABLETYPE == 0 {
                return Ok(name);
            }
            let module = tp.getattr(intern!(py, "__module__"))?.to_string();
            Ok(if module == "builtins" {
                name
            } else {
                format!("{module}.{name}")
            })
        };
        match make() {
            Ok(type_name) => dump_error(DumpError::BadKey { type_name }),
            Err(e) => e,
        }
    }

    /// What json's C encoder sees in an object, in its order: None, True,
    /// False, str, int, float, list or tuple, dict (subclasses as their
    /// base), else nothing it can write.
    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Kind {
        None,
        True,
        False,
        Str,
        Int,
        Float,
        List,
        Tuple,
        Dict,
        Other,
    }

    fn kind(obj: &Borrowed<'_, '_, PyAny>) -> Kind {
        let ptr = obj.as_ptr();
        // SAFETY: `ptr` is a live object for the call; these read its
        // identity and its type only. The exact types are tried first, as
        // pointer comparisons; subclasses then by json's own checks.
        unsafe {
            let tp = ffi::Py_TYPE(ptr);
            if tp == &raw mut ffi::PyUnicode_Type {
                Kind::Str
            } else if tp == &raw mut ffi::PyLong_Type {
                Kind::Int
            } else if tp == &raw mut ffi::PyFloat_Type {
                Kind::Float
            } else if tp == &raw mut ffi::PyDict_Type {
                Kind::Dict
            } else if tp == &raw mut ffi::PyList_Type {
                Kind::List
            } else if ptr == ffi::Py_None() {
                Kind::None
            } else if ptr == ffi::Py_True() {
                Kind::True
            } else if ptr == ffi::Py_False() {
                Kind::False
            } else if tp == &raw mut ffi::PyTuple_Type {
                Kind::Tuple
            } else if ffi::PyUnicode_Check(ptr) != 0 {
                Kind::Str
            } else if ffi::PyLong_Check(ptr) != 0 {
                Kind::Int
            } else if ffi::PyFloat_Check(ptr) != 0 {
                Kind::Float
            } else if ffi::PyList_Check(ptr) != 0 {
                Kind::List
            } else if ffi::PyTuple_Check(ptr) != 0 {
                Kind::Tuple
            } else if ffi::PyDict_Check(ptr) != 0 {
                Kind::Dict
            } else {
                Kind::Other
            }
        }
    }

    /// A float's value, read directly (a subclass's __float__ or __repr__
    /// is not called, as in json).
    fn float_value(obj: Borrowed<'_, '_, PyAny>) -> f64 {
        // SAFETY: `obj` is a live float (Kind::Float): PyFloat_AsDouble reads
        // its value and cannot fail.
        unsafe { ffi::PyFloat_AsDouble(obj.as_ptr()) }
    }

    /// A list, tuple or dict being written, holding its own reference.
    enum Open<'py> {
        /// A list or tuple, read by index (a list's length read again at
        /// each step); on a free-threaded build a private copy of a list.
        Seq {
            seq: Bound<'py, PyAny>,
            tuple: bool,
            next: ffi::Py_ssize_t,
        },
        /// A dict, read by PyDict_Next (builds with a GIL).
        Dict {
            dict: Bound<'py, PyAny>,
            pos: ffi::Py_ssize_t,
        },
        /// A private list of a dict's (key, value) tuples: a dict
        /// subclass's items() (as json reads it), or on free-threaded builds
        /// any dict's, which PyDict_Items copies under the dict's lock.
        Items {
            items: Bound<'py, PyAny>,
            next: ffi::Py_ssize_t,
        },
    }

    /// Write one value: a scalar at once, a non-empty container opened.
    fn write_value<'py>(
        obj: Borrowed<'_, 'py, PyAny>,
        w: &mut json::Writer,
        depth: &mut json::Depth,
        open: &mut Vec<Open<'py>>,
    ) -> PyResult<()> {
        let py = obj.py();
        let kind = kind(&obj);
        let ptr = obj.as_ptr();
        match kind {
            Kind::None => w.null(),
            Kind::True => w.bool(true),
            Kind::False => w.bool(false),
            Kind::Str => with_text(obj, |t| w.str(t))?,
            Kind::Int => match int_value(obj)? {
                Ok(v) => w.int(v),
                Err(decimal) => w.int_decimal(decimal.to_str()?),
            },
            Kind::Float => w.float(float_value(obj)),
            Kind::List | Kind::Tuple | Kind::Dict => {
                // A list or tuple subclass is read through its own __iter__
                // into a new list, as json's C encoder reads it
                // (PySequence_Fast); the object is held first, since that
                // runs Python code.
                // SAFETY: a live object; these read its type only.
                let exact = unsafe {
                    ffi::PyList_CheckExact(ptr) != 0 || ffi::PyTuple_CheckExact(ptr) != 0
                };
                let copied = if kind != Kind::Dict && !exact {
                    let held = obj.to_owned();
                    // SAFETY: a live object; a new list or NULL with an
                    // exception set.
                    Some(owned(py, unsafe { ffi::PySequence_List(held.as_ptr()) })?)
                } else {
                    None
                };
                // SAFETY: `ptr` is a live object of the kind named, and
                // `copied` a live list.
                let size = unsafe {
                    match (&copied, kind) {
                        (Some(list), _) => ffi::PyList_Size(list.as_ptr()),
                        (None, Kind::List) => ffi::PyList_Size(ptr),
                        (None, Kind::Tuple) => ffi::PyTuple_Size(ptr),
                        (None, _) => ffi::PyDict_Size(ptr),
                    }
                };
                // An empty one is written before json checks for a cycle.
                if size == 0 {
                    if kind == Kind::Dict {
                        w.begin_dict();
                        w.end_dict();
                    } else {
                        w.begin_list();
                        w.end_list();
                    }
                    return Ok(());
                }
                depth.enter(ptr as usize).map_err(dump_error)?;
                let free_threaded = FREE_THREADED.load(Ordering::Relaxed);
                // SAFETY: a live object.
                let exact_dict = unsafe { ffi::PyDict_CheckExact(ptr) } != 0;
                // The new list is private: no other code reaches it.
                let frame = if let Some(seq) = copied {
                    Open::Seq {
                        seq,
                        tuple: false,
                        next: 0,
                    }
                } else {
                    match kind {
                        Kind::Dict if !exact_dict => {
                            // A subclass's own items(), as json's C encoder
                            // calls it (PyMapping_Items): Python code, which
                            // may change any container, so the dict is held
                            // first; the list it returns is private.
                            let dict = obj.to_owned();
                            // SAFETY: a live object; a new list or NULL with
                            // an exception set.
                            let items = owned(py, unsafe { ffi::PyMapping_Items(dict.as_ptr()) })?;
                            Open::Items { items, next: 0 }
                        }
                        Kind::Dict if free_threaded => Open::Items {
                            // SAFETY: a live dict; a new list or NULL with an
                            // exception set.
                            items: owned(py, unsafe { ffi::PyDict_Items(ptr) })?,
                            next: 0,
                        },
                        Kind::Dict => Open::Dict {
                            dict: obj.to_owned(),
                            pos: 0,
                        },
                        Kind::List if free_threaded => Open::Seq {
                            // SAFETY: a live list; a new list of its items,
                            // copied under its lock, or NULL with an exception.
                            seq: owned(py, unsafe { ffi::PyList_GetSlice(ptr, 0, isize::MAX) })?,
                            tuple: false,
                            next: 0,
                        },
                        _ => Open::Seq {
                            seq: obj.to_owned(),
                            tuple: kind == Kind::Tuple,
                            next: 0,
                        },
                    }
                };
                if kind == Kind::Dict {
                    w.begin_dict();
                } else {
                    w.begin_list();
                }
                open.push(frame);
            }
            Kind::Other => {
                // As JSONEncoder.default: o.__class__.__name__.
                let obj = obj.to_owned();
                let class = obj.getattr(intern!(py, "__class__"))?;
                let type_name = class.getattr(intern!(py, "__name__"))?.to_string();
                return Err(dump_error(DumpError::NotSerializable { type_name }));
            }
        }
        Ok(())
    }

    /// Write a dict key as json converts it.
    fn write_key(key: Borrowed<'_, '_, PyAny>, w: &mut json::Writer) -> PyResult<()> {
        // json's order for keys: str, float, True/False/None, int.
        match kind(&key) {
            Kind::Str => with_text(key, |t| w.key_str(t))?,
            Kind::Float => w.key_float(float_value(key)),
            Kind::True => w.key_bool(true),
            Kind::False => w.key_bool(false),
            Kind::None => w.key_null(),
            Kind::Int => match int_value(key)? {
                Ok(v) => w.key_int(v),
                Err(decimal) => w.key_int_decimal(decimal.to_str()?),
            },
            _ => return Err(bad_key(&key.to_owned())),
        }
        Ok(())
    }

    /// The next value of the innermost open container (its key written
    /// first, for a dict), as a borrowed pointer; NULL once it is done.
    fn next_value(
        py: Python<'_>,
        top: &mut Open<'_>,
        w: &mut json::Writer,
    ) -> PyResult<*mut ffi::PyObject> {
        // Each container below is live (its frame holds a reference) and
        // of the type named; the items returned are borrowed from it (see
        // `dumps`).
        match top {
            Open::Seq { seq, tuple, next } => {
                let ptr = seq.as_ptr();
                // SAFETY: a live tuple or list, read within its length.
                let item = unsafe {
                    if *tuple {
                        if *next >= ffi::PyTuple_Size(ptr) {
                            return Ok(std::ptr::null_mut());
                        }
                        ffi::PyTuple_GetItem(ptr, *next)
                    } else {
                        if *next >= ffi::PyList_Size(ptr) {
                            return Ok(std::ptr::null_mut());
                        }
                        ffi::PyList_GetItem(ptr, *next)
                    }
                };
                *next += 1;
                if item.is_null() {
                    return Err(PyErr::fetch(py));
                }
                Ok(item)
            }
            Open::Dict { dict, pos } => {
                let mut key = std::ptr::null_mut();
                let mut value = std::ptr::null_mut();
                // SAFETY: a live dict; PyDict_Next lends its next entry.
                if unsafe { ffi::PyDict_Next(dict.as_ptr(), pos, &mut key, &mut value) } == 0 {
                    return Ok(std::ptr::null_mut());
                }
                // SAFETY: a borrowed key PyDict_Next just returned.
                write_key(unsafe { Borrowed::from_ptr(py, key) }, w)?;
                Ok(value)
            }
            Open::Items { items, next } => {
                let ptr = items.as_ptr();
                // SAFETY: a live list.
                if *next >= unsafe { ffi::PyList_Size(ptr) } {
                    return Ok(std::ptr::null_mut());
                }
                // SAFETY: a live list, read within its length.
                let pair = unsafe { ffi::PyList_GetItem(ptr, *next) };
                *next += 1;
                if pair.is_null() {
                    return Err(PyErr::fetch(py));
                }
                // A subclass's items() may give anything: json wants pairs.
                // SAFETY: a live object the private list holds.
                if unsafe { ffi::PyTuple_Check(pair) == 0 || ffi::PyTuple_Size(pair) != 2 } {
                    return Err(dump_error(DumpError::BadItems));
                }
                // SAFETY: a live 2-tuple that the private list holds.
                let key = unsafe { ffi::PyTuple_GetItem(pair, 0) };
                // SAFETY: as above.
                let value = unsafe { ffi::PyTuple_GetItem(pair, 1) };
                if key.is_null() || value.is_null() {
                    return Err(PyErr::fetch(py));
                }
                // SAFETY: a borrowed key the private items hold.
                write_key(unsafe { Borrowed::from_ptr(py, key) }, w)?;
                Ok(value)
            }
        }
    }

    /// Return json.dumps(obj): obj as JSON text, with json's default
    /// separators, ensure_ascii, and floats as repr writes them.
    #[pyfunction]
    fn dumps<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        // Items are read as borrowed references, none taken for a scalar.
        // This holds because nothing here runs Python code before the walk
        // ends or fails: no __repr__, __index__ or __float__ is called (json
        // calls none either), and no object the garbage collector tracks is
        // made (a collection could run a finalizer that changes a
        // container). So with a GIL no code anywhere changes or frees the
        // containers being read: a dict read by PyDict_Next is then the
        // snapshot json takes with PyMapping_Items. On a free-threaded build
        // other threads run meanwhile: there every list and dict is first
        // copied under its lock (PyList_GetSlice, PyDict_Items, which do
        // make tracked objects) and the copies, which no other code can
        // reach, are read instead; tuples never change.
        let py = obj.py();
        let mut w = json::Writer::new();
        // SAFETY: attached thread; reads the interpreter's setting.
        let limit = unsafe { ffi::Py_GetRecursionLimit() };
        let mut depth = json::Depth::new(usize::try_from(limit).unwrap_or(0));
        // The walk's own stack: no recursion on the object's nesting.
        let mut open: Vec<Open<'py>> = Vec::new();
        write_value(obj.as_borrowed(), &mut w, &mut depth, &mut open)?;
        while let Some(top) = open.last_mut() {
            let value = next_value(py, top, &mut w)?;
            if value.is_null() {
                match open.pop() {
                    Some(Open::Seq { .. }) => w.end_list(),
                    _ => w.end_dict(),
                }
                depth.leave();
            } else {
                // SAFETY: a borrowed item of the container on top of
                // `open`, which keeps its reference while the item is
                // written.
                let value = unsafe { Borrowed::from_ptr(py, value) };
                write_value(value, &mut w, &mut depth, &mut open)?;
            }
        }
        // The text is ASCII: one copy into a new str.
        Ok(PyString::new(py, &w.finish()))
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
        let py = m.py();
        PYTHON_MINOR.store(u32::from(py.version_info().minor), Ordering::Relaxed);
        let sys = py.import("sys")?;
        let abiflags = match sys.getattr("abiflags") {
            Ok(flags) => flags.to_string(),
            Err(_) => String::new(),
        };
        let gil_off = match sys.getattr("_is_gil_enabled") {
            Ok(enabled) => !enabled.call0()?.is_truthy()?,
            Err(_) => false,
        };
        FREE_THREADED.store(abiflags.contains('t') || gil_off, Ordering::Relaxed);
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
