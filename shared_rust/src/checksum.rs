//! `checksum`: the CRC-32 of a buffer, as `zlib.crc32` computes it.

/// The CRC-32 (ISO-HDLC, zlib's) of `data`, continuing from `value`: the
/// CRC-32 of `a + b` is `checksum(b, checksum(a, 0))`, as with `zlib.crc32`.
///
/// By crc32fast, which picks the CPU's carry-less multiply (PCLMULQDQ on
/// x86-64, PMULL on aarch64) at run time, and a portable table-driven loop
/// where the CPU has neither.
///
/// ```
/// assert_eq!(shared_rust::checksum(b"hello", 0), 0x3610_a686);
/// assert_eq!(shared_rust::checksum(b"lo", shared_rust::checksum(b"hel", 0)), 0x3610_a686);
/// ```
#[must_use]
pub fn checksum(data: &[u8], value: u32) -> u32 {
    #[cfg(hi_inject_bug = "panic")]
    crate::inject::panic_on(data);
    let mut hasher = crc32fast::Hasher::new_with_initial(value);
    hasher.update(data);
    hasher.finalize()
}

/// From this many bytes on, a binding releases the GIL (detaches from the
/// interpreter) while [`checksum`] reads the buffer, so other threads run;
/// below it, the release costs more than it frees.
///
/// Chosen by measurement (docs/pyo3.md, `checksum`): releasing and taking back the GIL
/// costs the same at any size, while the read grows with the buffer; from
/// this size on the release is a small part of the call, and a quarter of it
/// the release was still a sizeable part.
pub const CHECKSUM_DETACH_FROM: usize = 256 << 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // zlib.crc32 of each, as CPython computes it.
        assert_eq!(checksum(b"", 0), 0);
        assert_eq!(checksum(b"", 0xFFFF_FFFF), 0xFFFF_FFFF);
        assert_eq!(checksum(b"123456789", 0), 0xCBF4_3926);
        assert_eq!(checksum(&[0; 64], 0), 0x758D_6336);
    }

    #[test]
    fn continues_from_value() {
        let data: Vec<u8> = (0..=255).cycle().take(100_000).collect();
        let whole = checksum(&data, 7);
        let (a, b) = data.split_at(33_333);
        assert_eq!(checksum(b, checksum(a, 7)), whole);
    }
}
