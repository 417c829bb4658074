//! `shared_rust` behind a plain C ABI, written once for both C ABI routes.
//!
//! The functions here are `extern "C"` and described by a header that
//! cbindgen generates from these files (`hi_c_abi.h`), so C, ctypes and cffi can
//! all call them. This crate is an rlib: `cffi_binding` and `ctypes_binding`
//! are each a cdylib that links it and exports these functions as they are.
//!
//! Conventions, for every function:
//! - text crosses as pointer + length of UTF-8, so NUL bytes survive; a
//!   pointer may be NULL when its length is 0;
//! - results are written where the caller says ([`HiBuffer`], [`HiSpans`],
//!   out-parameters), except two the library owns until the caller frees them
//!   with the function named beside them: a [`HiWordCounter`]
//!   ([`hi_counter_free`]), a [`HiMostCommon`] ([`hi_most_common_free`])
//!   and a [`HiJson`]'s buffer ([`hi_json_free`]);
//! - the constant texts ([`hi_hi`], [`hi_version`]) are static NUL-terminated
//!   C strings, never freed;
//! - every function that can fail returns a [`HiStatus`]; a Rust panic is
//!   caught here, at the boundary, and returned as [`HiStatus::Panic`]; it
//!   never unwinds into the caller. `hi_greet_into` writes its error message
//!   into its `HiBuffer`; every other function leaves it for
//!   [`hi_last_error`], per thread.
//!
//! One module a shape, as in `shared_rust`: `boundary` is what every call
//! shares (the statuses, the panic guard, the per-thread error message, the
//! caller's buffer and the pointer checks); then one module for each of
//! greet, checksum, split, the counter and json (loads and dumps, through
//! a flat encoding). Why each shape is as it is:
//! docs/c-abi.md.

// In this order, which is the header's: cbindgen follows the modules as
// they are declared.
// What every call shares: HiStatus, HiBuffer, hi_version, hi_last_error.
mod boundary;
// hi_hi, hi_greet_extra, hi_greet_into.
mod greet;
// hi_checksum, hi_checksum_detach_from.
mod checksum;
// HiSpans, hi_split.
mod split;
// HiWordCounter and its calls, HiMostCommon.
mod counter;
// HiJson, hi_json_loads_str, hi_json_loads_bytes, hi_json_dumps, hi_json_not_text, hi_json_free.
mod json;

pub use boundary::{hi_last_error, hi_version, HiBuffer, HiStatus};
pub use checksum::{hi_checksum, hi_checksum_detach_from};
pub use counter::{
    hi_counter_add, hi_counter_add_keep, hi_counter_add_mask, hi_counter_count, hi_counter_free,
    hi_counter_len, hi_counter_most_common, hi_counter_new, hi_counter_total, hi_most_common_free,
    HiKeep, HiMostCommon, HiWordCounter,
};
pub use greet::{hi_greet_extra, hi_greet_into, hi_hi};
pub use json::{
    hi_json_dumps, hi_json_free, hi_json_loads_bytes, hi_json_loads_str, hi_json_not_text, HiJson,
};
pub use split::{hi_split, HiSpans};
