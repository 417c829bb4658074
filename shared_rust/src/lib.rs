//! The one implementation of `hi()` and `greet()`.
//!
//! Every binding in this repository exposes exactly these functions, and all
//! text, validation and error messages live here, so the bindings only convert
//! types and errors. Nothing in this crate knows about Python or C.

use std::fmt;

/// The greeting returned by [`hi`].
///
/// A `const` so that bindings can cache it as an interned string at compile
/// time without writing the text again.
pub const HELLO: &str = "Hello from Rust!";

/// Returns the fixed greeting, [`HELLO`].
///
/// ```
/// assert_eq!(shared_rust::hi(), "Hello from Rust!");
/// ```
#[must_use]
pub const fn hi() -> &'static str {
    HELLO
}

/// Why [`greet`] or [`greet_utf8`] refused a name.
///
/// The `Display` text is the exception message every binding raises, so it
/// is written once, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GreetError {
    /// The name was the empty string.
    EmptyName,
    /// The bytes given to [`greet_utf8`] were not UTF-8. Python callers never
    /// see this (a `str` always encodes to valid UTF-8, or fails in Python
    /// first); C callers can.
    InvalidUtf8 {
        /// Length of the longest valid UTF-8 prefix.
        valid_up_to: usize,
    },
}

impl fmt::Display for GreetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName => f.write_str("name must not be empty"),
            Self::InvalidUtf8 { valid_up_to } => {
                write!(
                    f,
                    "name is not valid UTF-8 (invalid byte at offset {valid_up_to})"
                )
            }
        }
    }
}

impl std::error::Error for GreetError {}

/// Greets `name`: `"Hello, {name}!"`.
///
/// Any Unicode text is accepted, NUL characters included; only the empty name
/// is refused.
///
/// ```
/// assert_eq!(shared_rust::greet("world").unwrap(), "Hello, world!");
/// assert_eq!(
///     shared_rust::greet("").unwrap_err().to_string(),
///     "name must not be empty",
/// );
/// ```
///
/// # Errors
///
/// [`GreetError::EmptyName`] if `name` is empty.
pub fn greet(name: &str) -> Result<String, GreetError> {
    // Test-only, never in a release build: a build made with
    // RUSTFLAGS='--cfg hi_inject_bug="panic"' (tox -e panic) panics on this
    // name, to prove that every binding turns a Rust panic into a Python
    // exception instead of aborting.
    #[cfg(hi_inject_bug = "panic")]
    if name == "hi_inject_bug=panic" {
        panic!("injected panic");
    }
    if name.is_empty() {
        return Err(GreetError::EmptyName);
    }
    // Sized once up front: names may be many megabytes long.
    let mut out = String::with_capacity("Hello, !".len() + name.len());
    out.push_str("Hello, ");
    out.push_str(name);
    out.push('!');
    Ok(out)
}

/// [`greet`] for callers that hold bytes, such as the C ABI: the bytes must
/// be UTF-8.
///
/// ```
/// assert_eq!(shared_rust::greet_utf8(b"w\0rld").unwrap(), "Hello, w\0rld!");
/// assert!(shared_rust::greet_utf8(b"\xff").is_err());
/// ```
///
/// # Errors
///
/// [`GreetError::InvalidUtf8`] if `name` is not UTF-8, else as [`greet`].
pub fn greet_utf8(name: &[u8]) -> Result<String, GreetError> {
    let name = std::str::from_utf8(name).map_err(|e| GreetError::InvalidUtf8 {
        valid_up_to: e.valid_up_to(),
    })?;
    greet(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hi_is_the_greeting() {
        assert_eq!(hi(), "Hello from Rust!");
    }

    #[test]
    fn greet_wraps_any_text() {
        for (name, expected) in [
            ("world", "Hello, world!"),
            ("Zoë", "Hello, Zoë!"),
            ("世界", "Hello, 世界!"),
            ("🦀", "Hello, 🦀!"),
            ("a\0b", "Hello, a\0b!"),
            ("\0", "Hello, \0!"),
            (" ", "Hello,  !"),
        ] {
            assert_eq!(greet(name).as_deref(), Ok(expected), "name {name:?}");
        }
    }

    #[test]
    fn greet_refuses_the_empty_name() {
        assert_eq!(greet(""), Err(GreetError::EmptyName));
        assert_eq!(GreetError::EmptyName.to_string(), "name must not be empty");
    }

    #[test]
    fn greet_handles_large_names() {
        let name = "x".repeat(16 << 20);
        let out = greet(&name).unwrap();
        assert_eq!(out.len(), name.len() + "Hello, !".len());
        assert!(out.starts_with("Hello, xx") && out.ends_with("xx!"));
    }

    #[test]
    fn greet_utf8_validates() {
        assert_eq!(greet_utf8(b"ok").as_deref(), Ok("Hello, ok!"));
        assert_eq!(greet_utf8(b""), Err(GreetError::EmptyName));
        let err = greet_utf8(b"ab\xed\xa0\x80").unwrap_err();
        assert_eq!(err, GreetError::InvalidUtf8 { valid_up_to: 2 });
        assert_eq!(
            err.to_string(),
            "name is not valid UTF-8 (invalid byte at offset 2)"
        );
    }
}
