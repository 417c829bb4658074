//! The committed C headers are exactly what cbindgen generates from `src/`.
//!
//! Each C ABI package ships `hi_c_abi.h` next to its library, for C programs,
//! so no copy may drift from the Rust code. Set `HI_UPDATE_HEADER=1` to
//! rewrite them instead of checking them.

use std::path::Path;

/// Where the packages ship the header, relative to the workspace root.
const SHIPPED: [&str; 2] = [
    "cffi_binding/python/cffi_binding/hi_c_abi.h",
    "ctypes_binding/python/ctypes_binding/hi_c_abi.h",
];

#[test]
fn committed_headers_match_cbindgen() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::generate_with_config(crate_dir, config)
        .unwrap()
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();

    let root = crate_dir.parent().unwrap();
    for shipped in SHIPPED {
        let path = root.join(shipped);
        if std::env::var_os("HI_UPDATE_HEADER").is_some() {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{} is stale: rerun with HI_UPDATE_HEADER=1",
            path.display()
        );
    }
}
