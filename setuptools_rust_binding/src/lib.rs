//! `setuptools_rust_binding._native`: `shared_rust` exposed with PyO3, built by
//! setuptools-rust.
//!
//! Glue only: every string and every rule comes from `shared_rust`. This file
//! is the same as `pyo3_binding/src/lib.rs` on purpose (as in
//! PyO3's maturin and setuptools-rust starters): the two routes differ only in
//! their build configuration, which is what the comparison is about.

use pyo3::prelude::*;

#[pymodule]
mod _native {
    use pyo3::exceptions::PyValueError;
    use pyo3::prelude::*;
    use pyo3::types::PyString;

    /// Errors in one place: every `shared_rust` error is a `ValueError`
    /// carrying the error's `Display` text.
    fn to_pyerr(err: shared_rust::GreetError) -> PyErr {
        PyValueError::new_err(err.to_string())
    }

    /// Return the greeting, "Hello from Rust!".
    #[pyfunction]
    fn hi(py: Python<'_>) -> Bound<'_, PyString> {
        // Interned once, then shared: a call costs one reference count.
        pyo3::intern!(py, shared_rust::hi()).clone()
    }

    /// Return "Hello, {name}!"; raise ValueError for an empty name.
    #[pyfunction]
    fn greet(name: &str) -> PyResult<String> {
        // `&str` borrows the str's cached UTF-8 form (no copy; abi3-py310 has
        // PyUnicode_AsUTF8AndSize). A lone surrogate cannot be encoded, so
        // extraction raises UnicodeEncodeError before Rust sees the name.
        shared_rust::greet(name).map_err(to_pyerr)
    }

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", env!("CARGO_PKG_VERSION"))
    }
}
