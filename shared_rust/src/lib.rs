//! The one implementation of `hi()`, `greet()`, `split()`, `checksum()`,
//! `WordCounter`, and `loads()` / `dumps()` ([`json`]).
//!
//! Every binding in this repository exposes exactly these, and all text,
//! validation, counting, ordering and error messages live here, so the
//! bindings only convert types and errors. Nothing in this crate knows about
//! Python or C.

use std::fmt;

mod checksum;
mod counter;
pub mod json;
mod limits;
mod words;

pub use checksum::{checksum, CHECKSUM_DETACH_FROM};
pub use counter::WordCounter;
pub use limits::{Limit, TooLarge};
pub use words::{char_spans, is_space, spans, split, CharSpans, Spans, Split};

/// Test-only, never in a release build: with `HI_INJECT_BUG=panic` in the
/// environment (tox -e panic; build.rs) every function panics on one input,
/// [`PANIC_PROBE`], to prove that every binding turns a Rust panic into a
/// Python exception instead of aborting.
#[cfg(hi_inject_bug = "panic")]
mod inject {
    /// Panics if `input` is the probe.
    pub fn panic_on(input: &[u8]) {
        if input == super::PANIC_PROBE.as_bytes() {
            panic!("injected panic");
        }
    }
}

/// The input on which a test-only build panics (see `inject`); in every
/// other build an ordinary text.
pub const PANIC_PROBE: &str = "hi_inject_bug=panic";

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
    Greeting::new(name).map(|greeting| greeting.text())
}

/// The text [`greet`] puts before the name.
pub const GREET_PREFIX: &str = "Hello, ";
/// The text [`greet`] puts after the name.
pub const GREET_SUFFIX: &str = "!";
/// How many bytes [`greet`] adds to the name: its result for a name of `n`
/// bytes is `n + GREET_EXTRA` bytes long.
pub const GREET_EXTRA: usize = GREET_PREFIX.len() + GREET_SUFFIX.len();

/// The length in bytes of [`greet`]'s result for a name of `name_len` bytes.
///
/// ```
/// assert_eq!(shared_rust::greet_len(5), "Hello, world!".len());
/// ```
#[must_use]
pub const fn greet_len(name_len: usize) -> usize {
    name_len.saturating_add(GREET_EXTRA)
}

/// Refuses what [`greet`] refuses; shared by every form of `greet`.
fn check(name: &str) -> Result<(), GreetError> {
    // Test-only, never in a release build: a build made with
    // HI_INJECT_BUG=panic in the environment (tox -e panic; build.rs) panics
    // on this name, to prove that every binding turns a Rust panic into a Python
    // exception instead of aborting.
    #[cfg(hi_inject_bug = "panic")]
    inject::panic_on(name.as_bytes());
    if name.is_empty() {
        return Err(GreetError::EmptyName);
    }
    Ok(())
}

/// [`greet_utf8`] writing into a buffer the caller owns, for callers that
/// allocate the result where it will live (the C ABI): no allocation here.
///
/// On success the greeting fills `out[..n]` and `n`, which is always
/// [`greet_len`]`(name.len())`, is returned.
///
/// ```
/// let mut out = [0u8; 13];
/// assert_eq!(shared_rust::greet_utf8_into(b"world", &mut out), Ok(Some(13)));
/// assert_eq!(&out, b"Hello, world!");
/// assert_eq!(shared_rust::greet_utf8_into(b"world", &mut out[..3]), Ok(None));
/// ```
///
/// # Errors
///
/// As [`greet_utf8`]. `Ok(None)` if `out` is shorter than the greeting:
/// nothing is written then.
pub fn greet_utf8_into(name: &[u8], out: &mut [u8]) -> Result<Option<usize>, GreetError> {
    let greeting = Greeting::new(utf8(name)?)?;
    let len = greet_len(greeting.name().len());
    let Some(mut out) = out.get_mut(..len) else {
        return Ok(None);
    };
    // The same parts, in the same order, as every other form of greet.
    for part in greeting.parts() {
        let (here, rest) = out.split_at_mut(part.len());
        here.copy_from_slice(part.as_bytes());
        out = rest;
    }
    Ok(Some(len))
}

/// `name` as `&str`, or the error every binding reports for bytes that are
/// not UTF-8.
fn utf8(name: &[u8]) -> Result<&str, GreetError> {
    std::str::from_utf8(name).map_err(|e| GreetError::InvalidUtf8 {
        valid_up_to: e.valid_up_to(),
    })
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
    greet(utf8(name)?)
}

/// A name that [`greet`] accepts, and the text around it in its greeting.
///
/// For bindings whose own string type can join texts: the greeting is
/// [`GREET_PREFIX`], then the name unchanged, then [`GREET_SUFFIX`]
/// ([`Greeting::parts`]). A binding that holds the name as a native string
/// can join that string between the two constants, instead of copying the
/// name into a Rust `String` and the result out of it again; the validation
/// and the text stay here.
///
/// ```
/// use shared_rust::Greeting;
///
/// let greeting = Greeting::new("world").unwrap();
/// assert_eq!(greeting.parts(), ["Hello, ", "world", "!"]);
/// assert_eq!(greeting.to_string(), shared_rust::greet("world").unwrap());
/// assert!(Greeting::new("").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Greeting<'a> {
    name: &'a str,
}

impl<'a> Greeting<'a> {
    /// The text before the name ([`GREET_PREFIX`]).
    pub const PREFIX: &'static str = GREET_PREFIX;
    /// The text after the name ([`GREET_SUFFIX`]).
    pub const SUFFIX: &'static str = GREET_SUFFIX;

    /// Checks `name` as [`greet`] does.
    ///
    /// # Errors
    ///
    /// [`GreetError::EmptyName`] if `name` is empty.
    pub fn new(name: &'a str) -> Result<Self, GreetError> {
        check(name)?;
        Ok(Self { name })
    }

    /// The name, as given to [`Greeting::new`].
    #[must_use]
    pub const fn name(&self) -> &'a str {
        self.name
    }

    /// The greeting's text in order: prefix, the name unchanged, suffix.
    #[must_use]
    pub const fn parts(&self) -> [&'a str; 3] {
        [Self::PREFIX, self.name, Self::SUFFIX]
    }

    /// The greeting as one Rust `String`, allocated once at its full size
    /// (names may be many megabytes long).
    #[must_use]
    pub fn text(&self) -> String {
        self.parts().concat()
    }
}

impl fmt::Display for Greeting<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.parts().iter().try_for_each(|part| f.write_str(part))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting_parts_are_greet() {
        for name in ["world", "Zoë", "🦀", "a\0b", "x"] {
            let greeting = Greeting::new(name).unwrap();
            assert_eq!(greeting.name(), name);
            // The name part is the caller's text itself, not a copy of it.
            assert!(std::ptr::eq(greeting.parts()[1], name));
            assert_eq!(greeting.text(), greet(name).unwrap());
            assert_eq!(greeting.to_string(), greet(name).unwrap());
        }
        assert_eq!(Greeting::new(""), Err(GreetError::EmptyName));
    }
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
    fn greet_utf8_into_writes_what_greet_returns() {
        for name in ["world", "Zoë", "🦀", "a\0b"] {
            let expected = greet(name).unwrap();
            assert_eq!(expected.len(), greet_len(name.len()));
            let mut out = vec![0xAA; expected.len() + 3];
            let n = greet_utf8_into(name.as_bytes(), &mut out).unwrap();
            assert_eq!(n, Some(expected.len()));
            assert_eq!(&out[..expected.len()], expected.as_bytes());
            // Nothing written past the greeting, nor anywhere if it does not fit.
            assert_eq!(&out[expected.len()..], &[0xAA; 3]);
            let mut short = vec![0xAA; expected.len() - 1];
            assert_eq!(greet_utf8_into(name.as_bytes(), &mut short), Ok(None));
            assert!(short.iter().all(|&b| b == 0xAA));
        }
        assert_eq!(
            greet_utf8_into(b"", &mut [0; 8]),
            Err(GreetError::EmptyName)
        );
        assert_eq!(
            greet_utf8_into(b"\xff", &mut [0; 9]),
            Err(GreetError::InvalidUtf8 { valid_up_to: 0 })
        );
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
