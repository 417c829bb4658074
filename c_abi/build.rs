//! Test-only: `HI_INJECT_BUG=leak` or `double_free` in the environment builds
//! `hi_greet_into` broken on purpose, to prove `tox -e memcheck` catches it
//! (sets the cfg `hi_inject_bug`). A build script rather than RUSTFLAGS, for
//! the reason shared_rust's build.rs gives: only the crates above this one
//! rebuild, not the whole graph.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=HI_INJECT_BUG");
    if let Ok(bug @ ("leak" | "double_free")) = std::env::var("HI_INJECT_BUG").as_deref() {
        println!("cargo::rustc-cfg=hi_inject_bug=\"{bug}\"");
    }
}
