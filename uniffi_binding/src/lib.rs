//! `uniffi_binding`'s library: `shared_rust` exposed with UniFFI's
//! proc-macros, built by maturin (`bindings = "uniffi"`), which runs
//! `uniffi-bindgen` to write the Python module that loads it with ctypes.
//!
//! Glue only: every string and every rule comes from `shared_rust`. UniFFI
//! generates the `extern "C"` scaffolding: each exported function runs inside
//! `catch_unwind`, so a panic comes back to Python as a call status, never
//! across the boundary, and there is no `unsafe` block in this crate.

use std::fmt;

uniffi::setup_scaffolding!();

/// `shared_rust::GreetError` as UniFFI carries it to Python.
///
/// Flat: only the variant and the error's `Display` text cross the boundary,
/// so the Python exception's message is `shared_rust`'s text, written once.
/// The package's `__init__.py` raises it as `ValueError`, in one place.
#[derive(Debug, uniffi::Error)]
#[uniffi(flat_error)]
pub enum GreetError {
    /// `shared_rust` refused the name; its `Display` says why.
    Refused(shared_rust::GreetError),
}

impl fmt::Display for GreetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Refused(err) => err.fmt(f),
        }
    }
}

impl From<shared_rust::GreetError> for GreetError {
    fn from(err: shared_rust::GreetError) -> Self {
        Self::Refused(err)
    }
}

/// Return the greeting, "Hello from Rust!".
#[uniffi::export]
#[must_use]
pub fn hi() -> String {
    shared_rust::hi().to_owned()
}

/// Return "Hello, {name}!"; an empty name is a `GreetError`.
#[uniffi::export]
pub fn greet(name: &str) -> Result<String, GreetError> {
    Ok(shared_rust::greet(name)?)
}

/// The crate's version: maturin writes the same into the wheel's metadata.
#[uniffi::export]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
