//! `setuptools_rust_binding._native`: `shared_rust` exposed with PyO3, built by
//! setuptools-rust.
//!
//! Glue only: every string and every rule comes from `shared_rust`. This file
//! is the same as `pyo3_binding/src/lib.rs` on purpose (as in
//! PyO3's maturin and setuptools-rust starters): the two routes differ only in
//! their build configuration, which is what the comparison is about.

use pyo3::prelude::*;

// gil_used = false (PyO3's default since 0.28, written out because free
// threading depends on it): on a free-threaded CPython (3.13t and later) the
// module declares Py_mod_gil = Py_MOD_GIL_NOT_USED, so importing it does not
// turn the GIL back on. It holds no state: hi's interned str is created once
// under PyO3's PyOnceLock, and greet touches only its arguments.
#[pymodule(gil_used = false)]
mod _native {
    use pyo3::exceptions::PyValueError;
    use pyo3::ffi;
    use pyo3::intern;
    use pyo3::prelude::*;
    use pyo3::types::{PyString, PyTuple};
    use shared_rust::Greeting;

    /// ASCII names shorter than this many bytes are greeted through one small
    /// Rust `String`; longer or non-ASCII ones by CPython's `str.join`. Where
    /// the two cost the same for ASCII (docs/pyo3.md: instructions a call, by
    /// size): below it the `String` is cheaper than the tuple that join needs,
    /// above it join pulls away (4 KiB: a third of the instructions). For any
    /// non-ASCII name join is cheaper: no UTF-8 decode back into a `str`.
    const JOIN_FROM: usize = 192;

    /// Errors in one place: every `shared_rust` error is a `ValueError`
    /// carrying the error's `Display` text.
    fn to_pyerr(err: shared_rust::GreetError) -> PyErr {
        PyValueError::new_err(err.to_string())
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
        // for (abi3-py310 has PyUnicode_AsUTF8AndSize). A lone surrogate
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

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
