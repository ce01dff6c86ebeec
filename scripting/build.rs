//! Compiles `shim/locker.cc` (v8::Locker and Isolate::SetStackLimit, which the v8 crate does not
//! bind) against the V8 headers shipped in the v8 crate's own source directory.

use std::path::PathBuf;

/// The v8 crate this workspace pins (`Cargo.toml`: `v8 = "=134.5.0"`).
const V8_CRATE: &str = "v8-134.5.0";

fn v8_include() -> PathBuf {
    if let Some(dir) = std::env::var_os("ISOSHARD_V8_INCLUDE") {
        return PathBuf::from(dir);
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .expect("CARGO_HOME or HOME is set");
    let registry = cargo_home.join("registry").join("src");
    let found = std::fs::read_dir(&registry)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|index| index.path().join(V8_CRATE).join("v8").join("include"))
        .find(|p| p.join("v8-locker.h").exists());
    found.unwrap_or_else(|| {
        panic!(
            "cannot find {V8_CRATE}/v8/include under {}; set ISOSHARD_V8_INCLUDE",
            registry.display()
        )
    })
}

fn main() {
    let include = v8_include();
    println!("cargo:rerun-if-changed=shim/locker.cc");
    println!("cargo:rerun-if-env-changed=ISOSHARD_V8_INCLUDE");
    cc::Build::new()
        .cpp(true)
        .file("shim/locker.cc")
        .include(&include)
        .flag_if_supported("-std=c++20")
        .flag_if_supported("-fno-exceptions")
        .flag_if_supported("-fno-rtti")
        .warnings(false)
        .compile("isoshard_v8_shim");
}
