//! Running code in a context under limits: what context, script, module and reference calls
//! share ([`RunOptions`], entering a context, compile failures, copying the result out).

use std::time::Duration;

use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::Isolate;
use crate::isolate_state::{drain_jobs, interrupted, Interrupted, IsolateState, Limits, Tables};
use crate::js_error;
use crate::outcome::{JsError, Run};

/// Limits and result handling for one call into an isolate.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// CPU time limit (thread CPU clock); `None` uses the isolate's default.
    pub cpu_limit: Option<Duration>,
    /// Wall-clock limit; `None` means twice the CPU limit.
    pub wall_limit: Option<Duration>,
    /// Script name used in stack traces.
    pub filename: Option<String>,
    /// Copy the result out (`false` returns `undefined` and skips the copy).
    pub copy_result: bool,
    /// When the result is a promise, settle it within the same call and copy its value.
    pub await_promise: bool,
    /// Measure the heap after the call ([`crate::Run::heap_used_bytes`]; off by default, the
    /// figure is then 0). V8 walks every heap space for it: about 0.4 µs, a tenth of a `1 + 1`
    /// round trip, more with many isolates. [`crate::Isolate::heap_statistics`] measures on
    /// demand.
    pub heap_statistics: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            cpu_limit: None,
            wall_limit: None,
            filename: None,
            copy_result: true,
            await_promise: false,
            heap_statistics: false,
        }
    }
}

impl RunOptions {
    /// Options with a CPU limit and the default wall limit (twice it).
    pub fn with_cpu_limit(cpu: Duration) -> Self {
        RunOptions {
            cpu_limit: Some(cpu),
            ..RunOptions::default()
        }
    }

    pub(crate) fn limits(&self, defaults: Limits) -> Limits {
        match self.cpu_limit {
            Some(cpu) => Limits {
                cpu,
                wall: self.wall_limit.unwrap_or(cpu.saturating_mul(2)),
                measure_heap: self.heap_statistics,
            },
            None => Limits {
                cpu: defaults.cpu,
                wall: self.wall_limit.unwrap_or(defaults.wall),
                measure_heap: self.heap_statistics,
            },
        }
    }
}

/// Calls into a disposed isolate report `disposed` as an outcome, like every other way a call
/// can end; only host-side mistakes stay errors.
pub(crate) fn disposed_as_outcome<T>(r: Result<Run<T>>) -> Result<Run<T>> {
    match r {
        Err(Error::Disposed) | Err(Error::HomeThreadGone) => Ok(Run {
            outcome: crate::outcome::RunOutcome::Disposed,
            cpu_time: Duration::ZERO,
            wall_time: Duration::ZERO,
            heap_used_bytes: 0,
        }),
        other => other,
    }
}

/// Runs `f` inside context `ctx` under `limits`, with a TryCatch.
pub(crate) fn run_in_context<T>(
    state: &mut IsolateState,
    ctx: u32,
    limits: Limits,
    f: impl FnOnce(&mut v8::TryCatch<v8::HandleScope>, &mut Tables) -> Result<T, Interrupted>,
) -> Result<Run<T>> {
    if !state.tables.contexts.contains_key(&ctx) {
        return Err(Error::InvalidHandle("context released"));
    }
    state.limited(limits, |isolate, tables| {
        let settle = &mut crate::v8_locker::settled_scope(isolate);
        let scope = &mut v8::HandleScope::new(settle);
        let global = tables
            .contexts
            .get(&ctx)
            .ok_or(Interrupted::Host(Error::InvalidHandle("context released")))?;
        let context = v8::Local::new(scope, global);
        let scope = &mut v8::ContextScope::new(scope, context);
        let tc = &mut v8::TryCatch::new(scope);
        f(tc, tables)
    })
}

pub(crate) fn origin<'s>(
    scope: &mut v8::HandleScope<'s>,
    filename: Option<&str>,
) -> v8::ScriptOrigin<'s> {
    source_origin(scope, filename.unwrap_or("<eval>"), false)
}

/// The origin of a classic script or (`is_module`) an ES module.
pub(crate) fn source_origin<'s>(
    scope: &mut v8::HandleScope<'s>,
    filename: &str,
    is_module: bool,
) -> v8::ScriptOrigin<'s> {
    let name = v8::String::new(scope, filename).unwrap_or_else(|| v8::String::empty(scope));
    v8::ScriptOrigin::new(
        scope,
        name.into(),
        0,
        0,
        false,
        0,
        None,
        false,
        false,
        is_module,
        None,
    )
}

/// A failed compile: the SyntaxError (or a termination) as an [`Interrupted`].
pub(crate) fn compile_failure(tc: &mut v8::TryCatch<v8::HandleScope>) -> Interrupted {
    match interrupted(tc) {
        Interrupted::Threw(e) => Interrupted::Syntax(e),
        other => other,
    }
}

pub(crate) fn new_string<'s>(
    scope: &mut v8::HandleScope<'s>,
    s: &str,
) -> Result<v8::Local<'s, v8::String>, Interrupted> {
    v8::String::new(scope, s).ok_or_else(|| {
        Interrupted::Threw(JsError::host(
            "RangeError",
            "source is longer than V8's string limit",
        ))
    })
}

/// After the main call: run jobs, settle a promise if asked, copy the result.
pub(crate) fn finish(
    tc: &mut v8::TryCatch<v8::HandleScope>,
    value: v8::Local<v8::Value>,
    options: &RunOptions,
) -> Result<ExternalCopy, Interrupted> {
    drain_jobs(tc)?;
    let mut value = value;
    if options.await_promise {
        if let Ok(promise) = v8::Local::<v8::Promise>::try_from(value) {
            match promise.state() {
                v8::PromiseState::Fulfilled => value = promise.result(tc),
                v8::PromiseState::Rejected => {
                    let reason = promise.result(tc);
                    return Err(Interrupted::Threw(js_error::from_exception(
                        tc, reason, None,
                    )));
                }
                v8::PromiseState::Pending => {
                    return Err(Interrupted::Threw(JsError::host(
                        "Error",
                        "promise did not settle within the call",
                    )))
                }
            }
        }
    }
    if options.copy_result {
        ExternalCopy::serialize(tc, value)
    } else {
        Ok(ExternalCopy::undefined())
    }
}

/// What a [`HomeCall`] carries: work on the isolate's home-thread state.
pub(crate) trait HomeWork<R>:
    FnOnce(&mut IsolateState) -> Result<R> + Send + 'static
{
}

impl<R, F: FnOnce(&mut IsolateState) -> Result<R> + Send + 'static> HomeWork<R> for F {}

/// Work for an isolate's home thread, checked and packed but not sent yet. A call's blocking
/// and async variants build it in one place and differ only in how they wait for it.
pub(crate) struct HomeCall<'i, F> {
    isolate: &'i Isolate,
    work: F,
}

impl<'i, R, F> HomeCall<'i, F>
where
    R: Send + 'static,
    F: FnOnce(&mut IsolateState) -> Result<R> + Send + 'static,
{
    pub(crate) fn new(isolate: &'i Isolate, work: F) -> Self {
        HomeCall { isolate, work }
    }

    /// Blocks until the home thread has done the work.
    pub(crate) fn wait(self) -> Result<R> {
        self.isolate.exec(self.work)
    }

    /// Completes when the home thread has done the work.
    pub(crate) async fn wait_async(self) -> Result<R> {
        self.isolate.exec_async(self.work).await
    }

    /// Queues the work without waiting for it; work for one isolate runs in the order queued.
    pub(crate) fn queue(self) {
        self.isolate.exec_ignored(self.work);
    }
}

impl<'i, T, F> HomeCall<'i, F>
where
    T: Send + 'static,
    F: FnOnce(&mut IsolateState) -> Result<Run<T>> + Send + 'static,
{
    /// [`HomeCall::wait`] for a call that runs code: disposal is an outcome.
    pub(crate) fn wait_run(self) -> Result<Run<T>> {
        disposed_as_outcome(self.wait())
    }

    /// [`HomeCall::wait_async`] for a call that runs code: disposal is an outcome.
    pub(crate) async fn wait_run_async(self) -> Result<Run<T>> {
        disposed_as_outcome(self.wait_async().await)
    }
}
