//! Eight bytes at a time: finding where a run of ordinary string bytes ends
//! (the writer's inner loop; jiter scans strings for the parser), with plain `u64`
//! arithmetic ("SWAR"), no `unsafe` and no platform intrinsics.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The word of the eight bytes at `at` (the caller checks they exist).
#[inline]
fn word(bytes: &[u8], at: usize) -> u64 {
    let mut eight = [0u8; 8];
    eight.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(eight)
}

/// The high bit of each byte of `w` below `n` (`n <= 0x80`). A borrow
/// can mark a byte above one below `n`, never one under it: the lowest
/// mark is always exact.
#[inline]
const fn below(w: u64, n: u8) -> u64 {
    w.wrapping_sub(ONES * n as u64) & !w & HIGH
}

/// The high bit of each byte of `w` equal to `b` (lowest mark exact).
#[inline]
const fn equal(w: u64, b: u8) -> u64 {
    below(w ^ (ONES * b as u64), 1)
}

/// The offset in its word of the byte the lowest mark of `mask` is on.
#[inline]
const fn first(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// Where the first byte of `bytes[at..]` that json's `ensure_ascii`
/// escapes (not in `' '..='~'`, or `"` or `\\`) lies, or `bytes.len()`.
#[inline]
pub(super) fn plain_end(bytes: &[u8], mut at: usize, plain: &[bool; 256]) -> usize {
    while at + 8 <= bytes.len() {
        let w = word(bytes, at);
        // A byte from 0x7F up: its own high bit, or that of its low seven
        // bits plus one (0x7F + 1); at most 0x80, so no carry crosses bytes.
        let high = (w | (w & !HIGH).wrapping_add(ONES)) & HIGH;
        let mask = high | below(w, 0x20) | equal(w, b'"') | equal(w, b'\\');
        if mask != 0 {
            return at + first(mask);
        }
        at += 8;
    }
    while at < bytes.len() && plain[usize::from(bytes[at])] {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> [bool; 256] {
        let mut plain = [false; 256];
        for b in 0..=255u8 {
            plain[usize::from(b)] = (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\';
        }
        plain
    }

    /// Words mixing the bytes near every boundary, against the byte table
    /// (a borrow or carry between bytes would show here).
    #[test]
    fn mixed_words_find_what_bytes_find() {
        let plain = table();
        let alphabet = [
            0x00, 0x01, 0x1F, 0x20, 0x21, b'"', 0x23, 0x5B, b'\\', 0x5D, 0x7E, 0x7F, 0x80, 0xC3,
            0xFE, 0xFF, b'a',
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            let mut bytes = [0u8; 19];
            for byte in &mut bytes {
                // xorshift64: reproducible, no dependency.
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *byte = alphabet[(state % alphabet.len() as u64) as usize];
            }
            let start = (state >> 40) as usize % 4;
            let by_byte = (start..19)
                .find(|&i| !plain[usize::from(bytes[i])])
                .unwrap_or(19);
            assert_eq!(plain_end(&bytes, start, &plain), by_byte, "{bytes:?}");
        }
    }

    /// Every byte value at every place of a word, against the byte table.
    #[test]
    fn words_find_what_bytes_find() {
        let plain = table();
        for fill in [b'a', 0xC3, 0xFF, b'~'] {
            for b in 0..=255u8 {
                for place in 0..20 {
                    let mut bytes = vec![fill; 20];
                    bytes[place] = b;
                    let by_byte = (0..20)
                        .find(|&i| !plain[usize::from(bytes[i])])
                        .unwrap_or(20);
                    assert_eq!(plain_end(&bytes, 0, &plain), by_byte, "{fill} {b} {place}");
                }
            }
        }
    }
}
