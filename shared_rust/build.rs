//! Test-only: `HI_INJECT_BUG=panic` in the environment builds `greet` with a
//! panic on one name (`tox -e panic`), by setting the cfg
//! `hi_inject_bug="panic"`. A build script rather than RUSTFLAGS, because
//! RUSTFLAGS enter every crate's fingerprint: with them, cargo rebuilds the
//! whole graph (pyo3, UniFFI and its bindgen) and again on the next ordinary
//! build; this way only this crate and those above it rebuild.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=HI_INJECT_BUG");
    if std::env::var("HI_INJECT_BUG").as_deref() == Ok("panic") {
        println!("cargo::rustc-cfg=hi_inject_bug=\"panic\"");
    }
}
