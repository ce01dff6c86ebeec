//! Process-wide V8 initialisation: ICU data, flags, the platform. Runs once.

use std::sync::{Once, OnceLock};

static INIT: Once = Once::new();
static PLATFORM: OnceLock<v8::SharedRef<v8::Platform>> = OnceLock::new();

/// Largest WebAssembly memory, in 64 KiB pages, any isolate may grow to. Wasm memories do not
/// go through the ArrayBuffer allocator, so this flag is what caps a `WebAssembly.Memory` bomb.
pub const WASM_MAX_MEMORY_PAGES: u32 = 256;

/// V8 flags for a process holding many small isolates (a runner: hundreds of players, each
/// with a heap of 1–3 MiB, all on two cores). Measured in BENCHMARKS.md ("Memory per player,
/// fourth pass": `cargo bench -p isoshard-player-api --bench tick_memory`); at 1 000 tutorial
/// players over 200 ticks they took a shard's resident memory from ~4.9 to ~2.8 MiB a player,
/// and its tick from ~255–295 to ~205–229 ms (p50).
///
/// - `--single-threaded`: V8 compiles and collects on the thread running the isolate, not on
///   its worker threads. The workers' compiler zones were freed into glibc arenas that glibc
///   kept (~2 MiB a player after 200 ticks even of a bot that does nothing), and with every
///   core busy running players the work on other threads saved no time either. A player's
///   compilation and collection now count in its CPU time, as they run during its call.
///   WebAssembly stays on its baseline compiler (no tier-up without a worker); players'
///   isolates refuse WebAssembly anyway (`IsolateOptions::allow_wasm_modules`).
/// - `--no-maglev`: every isolate compiles its own hot functions, so a compiler tier costs
///   once per player; the mid tier (Maglev) cost more CPU than it saved in the bench's bots
///   (a hot terrain loop too), and a player's isolate lives for days: TurboFan still
///   optimizes what stays hot.
/// - `--minor-gc-task-trigger=8`: a young-generation collection is queued once 8 % of the new
///   space (80 KiB of its 1 MiB) is used, and runs when the call drains its tasks, at the
///   tick's end. Without it an isolate filled both 1 MiB semi-spaces before its first
///   collection (~2 MiB resident per isolate, touched once and kept); now only what one tick
///   allocates is ever touched. Collecting a tick's garbage takes tens of microseconds: most
///   of it is dead by then.
/// - `--always-sparkplug`: a function gets baseline (Sparkplug) code when it is first
///   compiled, not after it has run many times in the interpreter. A player's tick runs each
///   of the prelude's functions a few times, so they stayed interpreted for hundreds of ticks
///   in every isolate. 3–8 % less CPU a player tick for the trivial and tutorial bots, 0.01
///   MiB more a player (BENCHMARKS.md, "Waking the shard once a tick").
pub(crate) const MANY_ISOLATES_FLAGS: &str =
    "--single-threaded --no-maglev --minor-gc-task-trigger=8 --always-sparkplug";

/// Initialises V8 for this process. Idempotent; every entry point calls it.
pub fn init() {
    INIT.call_once(|| {
        // The prebuilt V8 carries no ICU data; without this `Intl` throws "Icu error".
        if let Err(code) = v8::icu::set_common_data_74(deno_core_icudata::ICU_DATA) {
            tracing::error!(code, "ICU data rejected; Intl will not work");
        }
        // Flags must be set before the platform initialises (they are frozen afterwards).
        // - wasm page cap: see WASM_MAX_MEMORY_PAGES.
        // - MANY_ISOLATES_FLAGS: what keeps thousands of small isolates small (see there).
        // - ISOSHARD_V8_FLAGS: an operator's (or a benchmark's) extra V8 flags, appended, so
        //   they override the defaults (`--no-single-threaded`, say).
        let mut flags = format!(
            "--wasm-max-mem-pages={WASM_MAX_MEMORY_PAGES} --no-expose-async-hooks {MANY_ISOLATES_FLAGS}"
        );
        if let Ok(extra) = std::env::var("ISOSHARD_V8_FLAGS") {
            flags.push(' ');
            flags.push_str(&extra);
        }
        v8::V8::set_flags_from_string(&flags);
        let platform = v8::new_default_platform(0, false).make_shared();
        // Creating the platform allocates V8's memory protection key for this thread only.
        thread_access::remember_this_threads();
        v8::V8::initialize_platform(platform.clone());
        v8::V8::initialize();
        let _ = PLATFORM.set(platform);
    });
}

/// Gives the calling thread the access to V8's protected memory that the thread which
/// initialised V8 has. Every thread that runs V8 calls this first (home threads, the snapshot
/// thread).
///
/// Why: with Intel/AMD memory protection keys (PKU), V8 134 keeps its JS dispatch table
/// under a key that creating the platform allocates (`pkey_alloc`). Linux sets the new key's
/// rights in the allocating thread only; every other thread keeps the process default,
/// "no access" for keys 1–15, and passes it on to the threads it spawns. A home thread spawned
/// from such a thread crashes with SIGSEGV in `JSDispatchTable::AllocateAndInitializeEntry`
/// on its first `Isolate::New` (the parallel test runner hit this on every run on PKU
/// hardware; denoland/deno_core#1091 is the same crash). Copying the initialising thread's
/// rights keeps V8's write protection and grants the read access it expects.
pub(crate) fn adopt_v8_thread_access() {
    init();
    thread_access::adopt();
}

mod thread_access {
    #[cfg(target_arch = "x86_64")]
    mod imp {
        use std::arch::asm;
        use std::sync::atomic::{AtomicU64, Ordering};

        /// The initialising thread's PKRU, with bit 32 set once recorded.
        static RECORDED: AtomicU64 = AtomicU64::new(0);
        const SET: u64 = 1 << 32;

        /// Whether the OS enabled protection keys (CPUID.7.0:ECX.OSPKE).
        fn os_enabled() -> bool {
            let max = std::arch::x86_64::__cpuid(0).eax;
            max >= 7 && std::arch::x86_64::__cpuid_count(7, 0).ecx & (1 << 4) != 0
        }

        fn read() -> u32 {
            let pkru: u32;
            // SAFETY: RDPKRU with ECX = 0 only reads this thread's PKRU; OSPKE was checked.
            unsafe {
                asm!("rdpkru", in("ecx") 0u32, out("eax") pkru, out("edx") _,
                     options(nomem, nostack, preserves_flags));
            }
            pkru
        }

        pub fn remember_this_threads() {
            if os_enabled() {
                RECORDED.store(SET | u64::from(read()), Ordering::Release);
            }
        }

        pub fn adopt() {
            let recorded = RECORDED.load(Ordering::Acquire);
            if recorded & SET == 0 {
                return;
            }
            let pkru = recorded as u32;
            if read() != pkru {
                // SAFETY: WRPKRU with ECX = EDX = 0 sets this thread's key rights to ones
                // another thread of this process runs V8 with; it touches no memory.
                unsafe {
                    asm!("wrpkru", in("eax") pkru, in("ecx") 0u32, in("edx") 0u32,
                         options(nostack, preserves_flags));
                }
            }
        }
    }

    #[cfg(not(target_arch = "x86_64"))]
    mod imp {
        pub fn remember_this_threads() {}
        pub fn adopt() {}
    }

    pub use imp::{adopt, remember_this_threads};
}

pub(crate) fn platform() -> &'static v8::SharedRef<v8::Platform> {
    init();
    PLATFORM.get().expect("platform initialised by init()")
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use crate::{Isolate, IsolateOptions, RunOptions, RunOutcome};

    /// A thread whose key rights are the Linux default for keys V8 did not allocate in it
    /// ("no access" to keys 1–15) spawns an isolate's home thread, as a thread that existed
    /// before V8 was initialised would. Without `adopt_v8_thread_access` this is a SIGSEGV.
    /// Machines without OS-enabled protection keys have nothing to test.
    #[test]
    fn isolate_on_a_thread_spawned_with_default_key_rights_runs() {
        super::init();
        let max = std::arch::x86_64::__cpuid(0).eax;
        if max < 7 || std::arch::x86_64::__cpuid_count(7, 0).ecx & (1 << 4) == 0 {
            return;
        }
        // An isolate on a pool thread first, so V8's tables already have entries to hand out.
        let pooled = Isolate::new(IsolateOptions::default()).expect("pooled isolate");
        let pooled_ctx = pooled.create_context().expect("context");
        let result = std::thread::spawn(|| {
            const LINUX_DEFAULT_PKRU: u32 = 0x5555_5554;
            // SAFETY: only this thread's key rights change; it touches no V8 memory itself.
            unsafe {
                std::arch::asm!("wrpkru", in("eax") LINUX_DEFAULT_PKRU, in("ecx") 0u32,
                                in("edx") 0u32, options(nostack, preserves_flags));
            }
            let mut last = serde_json::Value::Null;
            for _ in 0..4 {
                let iso = Isolate::new(IsolateOptions {
                    dedicated_thread: true,
                    ..IsolateOptions::default()
                })
                .expect("isolate");
                let ctx = iso.create_context().expect("context");
                let run = ctx.eval("[1, 2, 3].map((x) => x * 2).join()", &RunOptions::default());
                last = match run.expect("eval").outcome {
                    RunOutcome::Ok(v) => v.to_json().expect("json"),
                    other => panic!("{:?}", other.kind()),
                };
            }
            last
        })
        .join()
        .expect("thread");
        assert_eq!(result, serde_json::json!("2,4,6"));
        drop(pooled_ctx);
    }
}
