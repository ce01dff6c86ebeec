//! `Context`: one global object inside an isolate, and the calls that run code in it.

use std::time::Duration;

use crate::callback::{self, Callback};
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::Isolate;
use crate::isolate_state::{drain_jobs, interrupted, Interrupted, IsolateState, Limits, Tables};
use crate::js_error;
use crate::outcome::{JsError, Run};
use crate::reference::Reference;
pub use crate::transfer::Transferable;

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

/// How a context is created.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContextOptions {
    /// For host code: accepts `reference`, `externalCopy` and `promise` transfers (see
    /// [`Transferable`]) and is never shown to inspector sessions. Never run untrusted code
    /// in a trusted context.
    pub trusted: bool,
}

/// A context (global object) in an isolate. Lives until [`Context::release`] or disposal.
#[derive(Clone, Debug)]
pub struct Context {
    isolate: Isolate,
    id: u32,
}

impl Context {
    pub(crate) fn create_on_home(
        isolate: Isolate,
        state: &mut IsolateState,
        options: ContextOptions,
    ) -> Result<Context> {
        // Trusted contexts hold host code: never shown to the inspector.
        let inspector = match options.trusted {
            true => None,
            false => state.inspector_contexts(),
        };
        let (iso, tables) = state.split();
        let scope = &mut v8::HandleScope::new(iso);
        let context = v8::Context::new(scope, Default::default());
        {
            let scope = &mut v8::ContextScope::new(scope, context);
            if crate::wasm_memory_guard::install(scope).is_none() {
                return Err(Error::InvalidOptions(
                    "could not install the WebAssembly memory guard".into(),
                ));
            }
        }
        let id = tables.next_id();
        let global = v8::Global::new(scope, context);
        if let Some(inspector) = &inspector {
            inspector.context_created(context, id, global.clone());
        }
        tables.contexts.insert(id, global);
        if options.trusted {
            tables.trusted_contexts.insert(id);
        }
        Ok(Context { isolate, id })
    }

    /// The isolate this context belongs to.
    pub fn isolate(&self) -> &Isolate {
        &self.isolate
    }

    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// A reference to the global object.
    ///
    /// # Errors
    /// [`Error::Disposed`], [`Error::InvalidHandle`] after release.
    pub fn global(&self) -> Result<Reference> {
        let ctx = self.id;
        let isolate = self.isolate.clone();
        self.isolate.exec(move |state| {
            let limits = state.defaults;
            let run = run_in_context(state, ctx, limits, |tc, tables| {
                let global = tc.get_current_context().global(tc);
                Ok(Reference::register(tc, tables, global.into(), ctx))
            })?;
            let (id, type_of) = run.outcome.into_result()?;
            Ok(Reference::new(isolate, id, ctx, type_of))
        })
    }

    /// Compiles and runs `code` as a classic script; returns a copy of its completion value.
    ///
    /// # Errors
    /// Host errors only (released handle, deadlock); everything the code does, and disposal,
    /// is in the outcome.
    pub fn eval(&self, code: &str, options: &RunOptions) -> Result<Run<ExternalCopy>> {
        let (ctx, code, options) = (self.id, code.to_string(), options.clone());
        disposed_as_outcome(
            self.isolate
                .exec(move |state| eval_on_home(state, ctx, &code, &options)),
        )
    }

    /// Async [`Context::eval`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn eval_async(&self, code: &str, options: &RunOptions) -> Result<Run<ExternalCopy>> {
        let (ctx, code, options) = (self.id, code.to_string(), options.clone());
        disposed_as_outcome(
            self.isolate
                .exec_async(move |state| eval_on_home(state, ctx, &code, &options))
                .await,
        )
    }

    /// [`Context::eval`] without waiting for, or copying, the result. Calls run in order.
    pub fn eval_ignored(&self, code: &str, options: &RunOptions) {
        let (ctx, code, mut options) = (self.id, code.to_string(), options.clone());
        options.copy_result = false;
        self.isolate
            .exec_ignored(move |state| eval_on_home(state, ctx, &code, &options));
    }

    /// Runs `code` as a function body: arguments are `$0`, `$1`, …; `return` gives the result.
    ///
    /// # Errors
    /// Host errors only; a Reference argument from another isolate is [`Error::InvalidArgument`].
    pub fn eval_closure(
        &self,
        code: &str,
        args: Vec<Transferable>,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        for a in &args {
            a.check_isolate(&self.isolate)?;
        }
        let (ctx, code, options) = (self.id, code.to_string(), options.clone());
        disposed_as_outcome(
            self.isolate
                .exec(move |state| eval_closure_on_home(state, ctx, &code, &args, &options)),
        )
    }

    /// Async [`Context::eval_closure`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn eval_closure_async(
        &self,
        code: &str,
        args: Vec<Transferable>,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        for a in &args {
            a.check_isolate(&self.isolate)?;
        }
        let (ctx, code, options) = (self.id, code.to_string(), options.clone());
        disposed_as_outcome(
            self.isolate
                .exec_async(move |state| eval_closure_on_home(state, ctx, &code, &args, &options))
                .await,
        )
    }

    /// Calls the global function `name` with copied arguments.
    ///
    /// # Errors
    /// Host errors only; a missing function is an `exception` outcome.
    pub fn call(
        &self,
        name: &str,
        args: Vec<ExternalCopy>,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        let (ctx, name, options) = (self.id, name.to_string(), options.clone());
        disposed_as_outcome(
            self.isolate
                .exec(move |state| call_on_home(state, ctx, &name, &args, &options)),
        )
    }

    /// Installs `callback` as the global function `name`. JavaScript receives copies of the
    /// host's results and the host receives copies of JavaScript's arguments; nothing else.
    ///
    /// # Errors
    /// [`Error::Disposed`], [`Error::InvalidHandle`].
    pub fn set_callback(&self, name: &str, callback: Callback) -> Result<()> {
        let (ctx, name) = (self.id, name.to_string());
        let owner = std::sync::Arc::downgrade(&self.isolate.inner);
        self.isolate.exec(move |state| {
            let limits = state.defaults;
            let index = callback::register(state.isolate(), owner, callback);
            run_in_context(state, ctx, limits, |tc, _| {
                let function = callback::function(tc, index).ok_or_else(|| interrupted(tc))?;
                let key = v8::String::new(tc, &name).ok_or_else(|| {
                    Interrupted::Host(Error::InvalidArgument("name too long".into()))
                })?;
                let global = tc.get_current_context().global(tc);
                global
                    .create_data_property(tc, key.into(), function.into())
                    .ok_or_else(|| interrupted(tc))?;
                Ok(())
            })?
            .outcome
            .into_result()
        })
    }

    /// Sets global `name` to a copy of `value` (a data property; no setter runs).
    ///
    /// # Errors
    /// [`Error::Disposed`], [`Error::InvalidHandle`], limit errors.
    pub fn set_global(&self, name: &str, value: ExternalCopy) -> Result<()> {
        let (ctx, name) = (self.id, name.to_string());
        self.isolate.exec(move |state| {
            let limits = state.defaults;
            run_in_context(state, ctx, limits, |tc, _| {
                let v = value.deserialize(tc)?;
                let key = v8::String::new(tc, &name).ok_or_else(|| {
                    Interrupted::Host(Error::InvalidArgument("name too long".into()))
                })?;
                let global = tc.get_current_context().global(tc);
                global
                    .create_data_property(tc, key.into(), v)
                    .ok_or_else(|| interrupted(tc))?;
                Ok(())
            })?
            .outcome
            .into_result()
        })
    }

    /// Releases the context; its global object becomes garbage unless referenced.
    pub fn release(&self) {
        let ctx = self.id;
        self.isolate.exec_ignored(move |state| {
            state.inspector_context_destroyed(ctx);
            state.tables.contexts.remove(&ctx);
            state.tables.trusted_contexts.remove(&ctx);
            state.tables.evaluated.forget_context(ctx);
            Ok(())
        });
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
        let scope = &mut v8::HandleScope::new(isolate);
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

fn eval_on_home(
    state: &mut IsolateState,
    ctx: u32,
    code: &str,
    options: &RunOptions,
) -> Result<Run<ExternalCopy>> {
    let limits = options.limits(state.defaults);
    run_in_context(state, ctx, limits, |tc, tables| {
        let filename = options.filename.as_deref();
        let script = match tables.evaluated.get(tc, ctx, filename, code) {
            Some(script) => script,
            None => {
                let source = new_string(tc, code)?;
                let origin = origin(tc, filename);
                let script = v8::Script::compile(tc, source, Some(&origin))
                    .ok_or_else(|| compile_failure(tc))?;
                tables.evaluated.insert(tc, ctx, filename, code, script);
                script
            }
        };
        let value = script.run(tc).ok_or_else(|| interrupted(tc))?;
        finish(tc, value, options)
    })
}

fn eval_closure_on_home(
    state: &mut IsolateState,
    ctx: u32,
    code: &str,
    args: &[Transferable],
    options: &RunOptions,
) -> Result<Run<ExternalCopy>> {
    let limits = options.limits(state.defaults);
    run_in_context(state, ctx, limits, |tc, tables| {
        let source = new_string(tc, code)?;
        let origin = origin(tc, options.filename.as_deref());
        let mut source = v8::script_compiler::Source::new(source, Some(&origin));
        let mut names = Vec::with_capacity(args.len());
        for i in 0..args.len() {
            names.push(new_string(tc, &format!("${i}"))?);
        }
        let function = v8::script_compiler::compile_function(
            tc,
            &mut source,
            &names,
            &[],
            v8::script_compiler::CompileOptions::NoCompileOptions,
            v8::script_compiler::NoCacheReason::NoReason,
        )
        .ok_or_else(|| compile_failure(tc))?;
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(a.materialize(tc, tables, ctx)?);
        }
        let recv = v8::undefined(tc).into();
        let value = function
            .call(tc, recv, &values)
            .ok_or_else(|| interrupted(tc))?;
        finish(tc, value, options)
    })
}

fn call_on_home(
    state: &mut IsolateState,
    ctx: u32,
    name: &str,
    args: &[ExternalCopy],
    options: &RunOptions,
) -> Result<Run<ExternalCopy>> {
    let limits = options.limits(state.defaults);
    run_in_context(state, ctx, limits, |tc, _| {
        let key = new_string(tc, name)?;
        let global = tc.get_current_context().global(tc);
        let target = global.get(tc, key.into()).ok_or_else(|| interrupted(tc))?;
        let Ok(function) = v8::Local::<v8::Function>::try_from(target) else {
            return Err(Interrupted::Threw(JsError::host(
                "TypeError",
                format!("{name} is not a function"),
            )));
        };
        let mut values = Vec::with_capacity(args.len());
        for a in args {
            values.push(a.deserialize(tc)?);
        }
        let recv = v8::undefined(tc).into();
        let value = function
            .call(tc, recv, &values)
            .ok_or_else(|| interrupted(tc))?;
        finish(tc, value, options)
    })
}
