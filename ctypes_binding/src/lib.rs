//! `ctypes_binding`'s shared library: the C ABI of `hi_c_abi`, exported as is.
//!
//! The functions are written once, in `hi_c_abi`, for both C ABI routes;
//! this crate only makes them a cdylib that ctypes loads. Linking the rlib is
//! what exports them: a cdylib exports every `#[no_mangle]` item it links.

pub use hi_c_abi::*;
