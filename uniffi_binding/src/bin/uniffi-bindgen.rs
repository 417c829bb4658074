//! UniFFI's bindgen, built from this crate's own `uniffi` dependency: maturin
//! runs it to write the Python module over the library (see Cargo.toml).

fn main() {
    uniffi::uniffi_bindgen_main();
}
