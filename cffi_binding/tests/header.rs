//! The committed C header is exactly what cbindgen generates from `src/lib.rs`.
//!
//! C programs include `python/cffi_binding/hi_cffi.h` (also shipped in the
//! wheel), so it must never drift from the Rust code. Set `HI_UPDATE_HEADER=1`
//! to rewrite it instead of checking it.

use std::path::Path;

#[test]
fn committed_header_matches_cbindgen() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::generate_with_config(crate_dir, config)
        .unwrap()
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();

    let committed_path = crate_dir.join("python/cffi_binding/hi_cffi.h");
    if std::env::var_os("HI_UPDATE_HEADER").is_some() {
        std::fs::write(&committed_path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} is stale: rerun with HI_UPDATE_HEADER=1",
        committed_path.display()
    );
}
