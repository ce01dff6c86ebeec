//! Process-wide V8 initialisation: ICU data, flags, the platform. Runs once.

use std::sync::{Once, OnceLock};

static INIT: Once = Once::new();
static PLATFORM: OnceLock<v8::SharedRef<v8::Platform>> = OnceLock::new();

/// Largest WebAssembly memory, in 64 KiB pages, any isolate may grow to. Wasm memories do not
/// go through the ArrayBuffer allocator, so this flag is what caps a `WebAssembly.Memory` bomb.
pub const WASM_MAX_MEMORY_PAGES: u32 = 256;

/// Initialises V8 for this process. Idempotent; every entry point calls it.
pub fn init() {
    INIT.call_once(|| {
        // The prebuilt V8 carries no ICU data; without this `Intl` throws "Icu error".
        if let Err(code) = v8::icu::set_common_data_74(deno_core_icudata::ICU_DATA) {
            tracing::error!(code, "ICU data rejected; Intl will not work");
        }
        // Flags must be set before the platform initialises (they are frozen afterwards).
        // - wasm page cap: see WASM_MAX_MEMORY_PAGES.
        // - no lazy feedback allocation games: keep defaults otherwise.
        let flags = format!("--wasm-max-mem-pages={WASM_MAX_MEMORY_PAGES} --no-expose-async-hooks");
        v8::V8::set_flags_from_string(&flags);
        let platform = v8::new_default_platform(0, false).make_shared();
        v8::V8::initialize_platform(platform.clone());
        v8::V8::initialize();
        let _ = PLATFORM.set(platform);
    });
}

pub(crate) fn platform() -> &'static v8::SharedRef<v8::Platform> {
    init();
    PLATFORM.get().expect("platform initialised by init()")
}
