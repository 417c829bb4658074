//! `hi_checksum`: the CRC-32 of the caller's bytes, read in place.

use crate::boundary::{bytes_at, out_at, run, HiStatus};

/// The CRC-32 of `len` bytes at `data`, continuing from `value`, as
/// `zlib.crc32(data, value)` computes it: written to `*out`.
///
/// `data` may be NULL when `len` is 0. A NULL `out` returns
/// `HI_STATUS_NULL_POINTER`. The bytes are read in place; nothing is
/// allocated. Any thread may call at any time.
///
/// # Safety
///
/// Unless `len` is 0, `data` must point to `len` readable bytes that do not
/// change during the call; unless NULL, `out` must point to a writable `uint32_t`.
#[no_mangle]
pub unsafe extern "C" fn hi_checksum(
    data: *const u8,
    len: usize,
    value: u32,
    out: *mut u32,
) -> HiStatus {
    run(|| {
        // SAFETY: the caller guarantees `data` points to `len` readable bytes.
        let data = unsafe { bytes_at(data, len, "data") }?;
        // SAFETY: the caller guarantees a non-NULL `out` is a writable uint32_t.
        let out = unsafe { out_at(out, "out") }?;
        *out = shared_rust::checksum(data, value);
        Ok(())
    })
}

/// From this many bytes on, a caller that holds a lock while it calls
/// `hi_checksum` (Python's GIL) should release it for the call: below it,
/// releasing and taking it back costs more than the reading. A constant:
/// call it once.
#[no_mangle]
pub extern "C" fn hi_checksum_detach_from() -> usize {
    shared_rust::CHECKSUM_DETACH_FROM
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::tests::last_error;

    #[test]
    fn checksum_is_crc32_and_refuses_null() {
        let mut crc = 0;
        // SAFETY: live bytes of the length given, and a live out.
        let status = unsafe { hi_checksum(b"123456789".as_ptr(), 9, 0, &mut crc) };
        assert_eq!((status, crc), (HiStatus::Ok, 0xCBF4_3926));
        // SAFETY: NULL data is refused before anything is read.
        let status = unsafe { hi_checksum(std::ptr::null(), 2, 0, &mut crc) };
        assert_eq!(status, HiStatus::NullPointer);
        assert_eq!(last_error(), "data is NULL but its length is 2");
    }
}
