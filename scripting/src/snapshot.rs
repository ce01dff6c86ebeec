//! `Snapshot`: a V8 startup snapshot made from trusted setup scripts, so isolates start with
//! their globals already built instead of running the setup code again.
//!
//! What keeps it stable where isolated-vm's snapshots crash: nothing from the host is ever in
//! the snapshot. The creator isolate has no callbacks, no references and no external
//! references (so there is nothing to keep identical between making and loading), and WebAssembly
//! compilation is off. V8 does not install `WebAssembly` while serializing and installs the
//! real one into every context made from a snapshot (replacing anything setup code planted), so
//! setup code cannot keep the constructor that each new context wraps in the memory guard
//! (tests prove both). Snapshots live in memory only: loading bytes from disk would trust
//! whatever wrote them.

use std::sync::Arc;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::isolate_state::{interrupted, Interrupted};

/// How a snapshot is made.
#[derive(Debug, Clone)]
pub struct SnapshotOptions {
    /// Wall-clock limit for running the setup and warm-up scripts together.
    pub wall_limit: Duration,
}

impl Default for SnapshotOptions {
    fn default() -> Self {
        SnapshotOptions {
            wall_limit: Duration::from_secs(10),
        }
    }
}

/// A startup snapshot; cheap to clone (the bytes are shared). Pass it in
/// [`crate::IsolateOptions::snapshot`]; every context of such an isolate starts from the state
/// the setup scripts left.
#[derive(Clone)]
pub struct Snapshot {
    blob: Arc<[u8]>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("bytes", &self.blob.len())
            .finish()
    }
}

impl Snapshot {
    /// Runs `setup` scripts (`(filename, source)`, in order) in one context and snapshots it.
    /// With `warm_up`, that script then runs in a second, discarded context of the same
    /// isolate so the functions it calls are compiled, and the snapshot keeps their code.
    /// Setup code is trusted (the operator's, not a player's): it runs under a wall limit only.
    /// It must not create `Intl` objects (or call locale-sensitive methods that cache them):
    /// V8 then aborts the process while serializing ("CheckGlobalAndEternalHandles failed").
    /// Make snapshots at startup, before any player runs, so such a mistake is a deploy error.
    ///
    /// # Errors
    /// [`Error::Syntax`] / [`Error::Exception`] from the scripts, [`Error::WallLimit`].
    pub fn create(
        setup: &[(&str, &str)],
        warm_up: Option<&str>,
        options: &SnapshotOptions,
    ) -> Result<Snapshot> {
        crate::platform::init();
        let setup: Vec<(String, String)> = setup
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let warm_up = warm_up.map(str::to_string);
        let wall = options.wall_limit;
        // A thread of its own: the creator isolate is entered for its whole life.
        std::thread::Builder::new()
            .name("isoshard-snapshot".into())
            .spawn(move || {
                crate::platform::adopt_v8_thread_access();
                create_on_this_thread(&setup, warm_up.as_deref(), wall)
            })
            .map_err(|e| Error::InvalidOptions(format!("cannot start snapshot thread: {e}")))?
            .join()
            .map_err(|_| Error::InvalidOptions("snapshot creation panicked".into()))?
    }

    /// Size of the snapshot in bytes.
    pub fn len(&self) -> usize {
        self.blob.len()
    }

    /// Whether the snapshot is empty (never, for one that was created).
    pub fn is_empty(&self) -> bool {
        self.blob.is_empty()
    }

    pub(crate) fn blob(&self) -> Arc<[u8]> {
        self.blob.clone()
    }
}

fn to_error(i: Interrupted, fired: bool) -> Error {
    match i {
        Interrupted::Threw(e) => Error::Exception(e),
        Interrupted::Syntax(e) => Error::Syntax(e),
        Interrupted::NotTransferable(e) => Error::NotTransferable(e),
        Interrupted::Terminated if fired => Error::WallLimit,
        Interrupted::Terminated => Error::InvalidOptions("snapshot setup was terminated".into()),
        Interrupted::Host(e) => e,
    }
}

fn run_script(
    tc: &mut v8::TryCatch<v8::HandleScope>,
    name: &str,
    source: &str,
) -> Result<(), Interrupted> {
    let code = crate::call::new_string(tc, source)?;
    let origin = crate::call::origin(tc, Some(name));
    let script = v8::Script::compile(tc, code, Some(&origin))
        .ok_or_else(|| crate::call::compile_failure(tc))?;
    script.run(tc).ok_or_else(|| interrupted(tc))?;
    tc.perform_microtask_checkpoint();
    if tc.has_caught() || tc.has_terminated() {
        return Err(interrupted(tc));
    }
    Ok(())
}

/// A snapshot creator may only be dropped through `create_blob`; on failure, serialize an
/// empty context and throw the bytes away.
fn discard(mut creator: v8::OwnedIsolate) {
    creator.cancel_terminate_execution();
    {
        let scope = &mut v8::HandleScope::new(&mut creator);
        let context = v8::Context::new(scope, Default::default());
        scope.set_default_context(context);
    }
    drop(creator.create_blob(v8::FunctionCodeHandling::Clear));
}

fn create_on_this_thread(
    setup: &[(String, String)],
    warm_up: Option<&str>,
    wall: Duration,
) -> Result<Snapshot> {
    let mut creator = v8::Isolate::snapshot_creator(None, None);
    creator.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
    creator.set_allow_wasm_code_generation_callback(
        crate::wasm_memory_guard::deny_wasm_code_generation,
    );
    let started = std::time::Instant::now();
    let timer = WallTimer::arm(creator.thread_safe_handle(), wall);
    let result = (|| -> Result<(), Interrupted> {
        let scope = &mut v8::HandleScope::new(&mut creator);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let tc = &mut v8::TryCatch::new(scope);
        for (name, source) in setup {
            run_script(tc, name, source)?;
        }
        tc.set_default_context(context);
        Ok(())
    })();
    let fired = timer.finish();
    creator.cancel_terminate_execution();
    if let Err(e) = result {
        discard(creator);
        return Err(to_error(e, fired));
    }
    if fired {
        discard(creator);
        return Err(Error::WallLimit);
    }
    let cold = creator
        .create_blob(v8::FunctionCodeHandling::Keep)
        .ok_or_else(|| Error::InvalidOptions("V8 could not serialize the snapshot".into()))?
        .to_vec();
    let Some(code) = warm_up else {
        return Ok(Snapshot {
            blob: Arc::from(cold),
        });
    };
    // V8's own recipe (WarmUpSnapshotDataBlob): a creator from the cold blob runs the warm-up
    // in a context that is thrown away, then snapshots a fresh context; compiled code is
    // shared, state is not.
    let mut creator = v8::Isolate::snapshot_creator_from_existing_snapshot(cold, None, None);
    creator.set_microtasks_policy(v8::MicrotasksPolicy::Explicit);
    creator.set_allow_wasm_code_generation_callback(
        crate::wasm_memory_guard::deny_wasm_code_generation,
    );
    let timer = WallTimer::arm(
        creator.thread_safe_handle(),
        wall.saturating_sub(started.elapsed()),
    );
    let warmed = {
        let scope = &mut v8::HandleScope::new(&mut creator);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let tc = &mut v8::TryCatch::new(scope);
        run_script(tc, "<warm-up>", code)
    };
    let fired = timer.finish();
    creator.cancel_terminate_execution();
    if let Err(e) = warmed {
        discard(creator);
        return Err(to_error(e, fired));
    }
    if fired {
        discard(creator);
        return Err(Error::WallLimit);
    }
    {
        let scope = &mut v8::HandleScope::new(&mut creator);
        let context = v8::Context::new(scope, Default::default());
        scope.set_default_context(context);
    }
    let blob = creator
        .create_blob(v8::FunctionCodeHandling::Keep)
        .ok_or_else(|| Error::InvalidOptions("V8 could not serialize the snapshot".into()))?;
    Ok(Snapshot {
        blob: Arc::from(&blob[..]),
    })
}

/// Terminates an isolate when the wall limit passes, unless finished first.
struct WallTimer {
    done: crossbeam_channel::Sender<()>,
    thread: std::thread::JoinHandle<bool>,
}

impl WallTimer {
    fn arm(terminator: v8::IsolateHandle, limit: Duration) -> WallTimer {
        let (done, done_rx) = crossbeam_channel::bounded::<()>(1);
        let thread = std::thread::spawn(move || {
            if done_rx.recv_timeout(limit).is_err() {
                terminator.terminate_execution();
                true
            } else {
                false
            }
        });
        WallTimer { done, thread }
    }

    /// Stops the timer; whether it fired.
    fn finish(self) -> bool {
        let _ = self.done.send(());
        self.thread.join().unwrap_or(false)
    }
}
