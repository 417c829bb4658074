//! `WordCounter`: words counted in a Rust object, shared between threads.

use std::cmp::Reverse;
use std::sync::{Mutex, MutexGuard, PoisonError};

use indexmap::IndexMap;

use crate::split;

/// The counts, in the order the words were first counted (which orders the
/// ties of [`WordCounter::most_common`], as `collections.Counter`'s dict
/// order does). foldhash: the hash behind hashbrown, several times SipHash's
/// speed on short words; a counter is no place for untrusted keys to flood,
/// and its seed is still random per process.
type Counts = IndexMap<Box<str>, u64, foldhash::fast::RandomState>;

#[derive(Debug, Default)]
struct State {
    counts: Counts,
    total: u64,
}

impl State {
    fn count(&mut self, word: &str) {
        // A word already counted costs a lookup, no allocation.
        if let Some(n) = self.counts.get_mut(word) {
            *n += 1;
        } else {
            self.counts.insert(word.into(), 1);
        }
        self.total += 1;
    }
}

/// Counts words, as `collections.Counter(text.split())` does, from any
/// number of threads at once.
///
/// The state sits behind a lock that is held only by this type's own
/// methods, never while caller code runs: [`WordCounter::add_kept`] asks its
/// callback about every word first and takes the lock only to apply the
/// result. A callback may then call the same counter (it sees it as it was
/// before the `add`), and a callback that fails leaves nothing half done.
///
/// ```
/// let counter = shared_rust::WordCounter::new();
/// counter.add("b a b");
/// counter.add_kept("c a", |w| Ok::<_, ()>(w != "c")).unwrap();
/// // Ties in the order first counted, as collections.Counter has them.
/// assert_eq!(counter.most_common(None), [("b".into(), 2), ("a".into(), 2)]);
/// assert_eq!((counter.len(), counter.total(), counter.count("c")), (2, 4, 0));
/// ```
#[derive(Debug, Default)]
pub struct WordCounter {
    state: Mutex<State>,
}

impl WordCounter {
    /// An empty counter.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The state. A panic while it was held (none is known: counting cannot
    /// fail) would leave it consistent, so a poisoned lock is taken as is.
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts every word of `text` ([`split`]), all at once.
    pub fn add(&self, text: &str) {
        let words = split(text);
        let mut state = self.state();
        for word in words {
            state.count(word);
        }
    }

    /// Counts the words of `text` for which `keep` returns `Ok(true)`.
    ///
    /// `keep` is called once per word, in order, with no lock held. The
    /// first `Err` stops the call and is returned, and nothing is counted;
    /// else the kept words are counted all at once.
    ///
    /// # Errors
    ///
    /// The first error `keep` returns.
    pub fn add_kept<E>(
        &self,
        text: &str,
        mut keep: impl FnMut(&str) -> Result<bool, E>,
    ) -> Result<(), E> {
        let mut kept = Vec::new();
        for word in split(text) {
            if keep(word)? {
                kept.push(word);
            }
            // Test-only (tox -e panic): a panic between two callbacks.
            #[cfg(hi_inject_bug = "panic")]
            crate::inject::panic_on(word.as_bytes());
        }
        let mut state = self.state();
        for word in kept {
            state.count(word);
        }
        Ok(())
    }

    /// How many times `word` was counted: 0 if never.
    #[must_use]
    pub fn count(&self, word: &str) -> u64 {
        self.state().counts.get(word).copied().unwrap_or(0)
    }

    /// How many distinct words were counted.
    #[must_use]
    pub fn len(&self) -> usize {
        self.state().counts.len()
    }

    /// Whether no word was counted.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sum of the counts.
    #[must_use]
    pub fn total(&self) -> u64 {
        self.state().total
    }

    /// The `n` most common words and their counts (all of them for `None`),
    /// as `collections.Counter.most_common(n)` orders them: highest count
    /// first, ties in the order the words were first counted. A copy, made
    /// under the lock: the caller builds its own objects from it after.
    #[must_use]
    pub fn most_common(&self, n: Option<usize>) -> Vec<(String, u64)> {
        let state = self.state();
        let mut order: Vec<(Reverse<u64>, usize)> = state
            .counts
            .values()
            .enumerate()
            .map(|(i, &count)| (Reverse(count), i))
            .collect();
        let n = n.map_or(order.len(), |n| n.min(order.len()));
        // The key is unique (the index breaks ties), so an unstable sort
        // gives the one stable order; only the first n need sorting.
        if n < order.len() {
            if n == 0 {
                return Vec::new();
            }
            order.select_nth_unstable(n - 1);
            order.truncate(n);
        }
        order.sort_unstable();
        order
            .into_iter()
            .map(|(Reverse(count), i)| {
                let (word, _) = state.counts.get_index(i).expect("an index of the map");
                (word.to_string(), count)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(texts: &[&str]) -> WordCounter {
        let counter = WordCounter::new();
        texts.iter().for_each(|text| counter.add(text));
        counter
    }

    #[test]
    fn most_common_orders_ties_by_first_count() {
        let c = counter(&["d b c a", "a b", "c"]);
        let all = [("b", 2), ("c", 2), ("a", 2), ("d", 1)];
        let all: Vec<(String, u64)> = all.iter().map(|&(w, n)| (w.into(), n)).collect();
        assert_eq!(c.most_common(None), all);
        for n in 0..6 {
            assert_eq!(c.most_common(Some(n)), all[..n.min(4)], "n = {n}");
        }
        assert_eq!(
            (c.len(), c.total(), c.count("a"), c.count("z")),
            (4, 7, 2, 0)
        );
    }

    #[test]
    fn a_failed_add_counts_nothing() {
        let c = counter(&["a"]);
        let mut seen = Vec::new();
        let result = c.add_kept("x y z", |w| {
            seen.push(w.to_owned());
            if w == "y" {
                Err("no")
            } else {
                Ok(true)
            }
        });
        assert_eq!(result, Err("no"));
        assert_eq!(seen, ["x", "y"]);
        assert_eq!((c.len(), c.total()), (1, 1));
    }

    #[test]
    fn a_callback_may_use_the_counter() {
        let c = counter(&["a"]);
        c.add_kept("a b", |w| {
            // The add in progress is not visible yet; a nested one is applied.
            assert_eq!(c.total(), if w == "a" { 1 } else { 2 });
            if w == "a" {
                c.add("n");
            }
            Ok::<_, ()>(true)
        })
        .unwrap();
        assert_eq!(c.most_common(None)[0], ("a".into(), 2));
        assert_eq!(c.total(), 4);
    }

    #[test]
    fn threads_count_exactly() {
        let c = WordCounter::new();
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..1000).for_each(|_| c.add("x y")));
            }
        });
        assert_eq!((c.count("x"), c.total()), (4000, 8000));
    }
}
