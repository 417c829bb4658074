//! Limits of a boundary: what a binding checks before it hands Rust's words
//! to a carrier narrower than Rust's `usize`, so that a result that does not
//! fit is refused with one message, never cut short or turned into a panic.

use std::fmt;

/// The most a carrier takes: words a list, bytes of UTF-8 a word.
///
/// ```
/// let limit = shared_rust::Limit { words: 2, word_bytes: 3 };
/// assert!(limit.check(["ab", "c"]).is_ok());
/// assert_eq!(
///     limit.check(["abcd"]).unwrap_err().to_string(),
///     "a word of 4 bytes (UTF-8) is past this route's limit of 3 bytes a word",
/// );
/// assert_eq!(
///     limit.check(["a", "b", "c"]).unwrap_err().to_string(),
///     "3 words are past this route's limit of 2 words a list",
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// The most words a list may hold.
    pub words: usize,
    /// The most bytes of UTF-8 a word may have.
    pub word_bytes: usize,
}

impl Limit {
    /// Checks `words` against the limit, with no allocation. Past the limit
    /// on words, the rest are counted, so that the message gives them all.
    ///
    /// # Errors
    ///
    /// [`TooLarge`] for the first word too long, or for too many words.
    pub fn check<'a>(self, words: impl IntoIterator<Item = &'a str>) -> Result<(), TooLarge> {
        let mut count = 0_usize;
        for word in words {
            if word.len() > self.word_bytes {
                return Err(TooLarge::Word {
                    bytes: word.len(),
                    limit: self.word_bytes,
                });
            }
            count += 1;
        }
        if count > self.words {
            return Err(TooLarge::Words {
                count,
                limit: self.words,
            });
        }
        Ok(())
    }
}

/// A result that does not fit its binding's carrier ([`Limit`]). The
/// `Display` text, which names the limit, is the message of the exception
/// every binding raises for it (Python's `OverflowError`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooLarge {
    /// One word longer than the carrier takes.
    Word {
        /// Its length in bytes of UTF-8.
        bytes: usize,
        /// The most the carrier takes.
        limit: usize,
    },
    /// More words than the carrier takes in one list.
    Words {
        /// How many there are.
        count: usize,
        /// The most the carrier takes.
        limit: usize,
    },
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Word { bytes, limit } => write!(
                f,
                "a word of {bytes} bytes (UTF-8) is past this route's limit of {limit} bytes a word"
            ),
            Self::Words { count, limit } => write!(
                f,
                "{count} words are past this route's limit of {limit} words a list"
            ),
        }
    }
}

impl std::error::Error for TooLarge {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_itself_passes_and_one_past_it_fails() {
        let limit = Limit {
            words: 3,
            word_bytes: 2,
        };
        assert_eq!(limit.check(["ab", "é", "c"]), Ok(()));
        assert_eq!(limit.check([]), Ok(()));
        assert_eq!(
            limit.check(["a", "abc"]),
            Err(TooLarge::Word { bytes: 3, limit: 2 })
        );
        // "é" is 2 bytes, "€" 3: bytes of UTF-8, not characters.
        assert_eq!(
            limit.check(["€"]),
            Err(TooLarge::Word { bytes: 3, limit: 2 })
        );
        assert_eq!(
            limit.check(["a"; 4]),
            Err(TooLarge::Words { count: 4, limit: 3 })
        );
    }
}
