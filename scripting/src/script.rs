//! `Script`: compiled, context-independent code with optional V8 code cache.

use crate::call::{
    compile_failure, finish, new_string, origin, run_in_context, HomeCall, HomeWork, RunOptions,
};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::Isolate;
use crate::isolate_state::{interrupted, Interrupted, IsolateState, Tables};
use crate::outcome::Run;
use crate::shared_source::SharedSource;

/// How a script is compiled.
#[derive(Debug, Clone, Default)]
pub struct ScriptOptions {
    /// Name shown in stack traces.
    pub filename: Option<String>,
    /// Produce V8 code cache after compiling (see [`Script::cached_data`]).
    pub produce_cached_data: bool,
    /// Code cache from an earlier compile of the same source by the same V8 build and flags.
    /// Never pass bytes that came from players: V8 checks the cache's header (magic, version,
    /// flags, source hash, length) but in release builds not its payload, so crafted bytes
    /// are executed as bytecode.
    pub cached_data: Option<Vec<u8>>,
}

impl Isolate {
    /// Compiles a script (context-independent), optionally producing or consuming code cache.
    ///
    /// # Errors
    /// [`Error::Syntax`] when it does not parse; limit errors while compiling.
    pub fn compile_script(&self, code: &str, options: ScriptOptions) -> Result<Script> {
        self.compile_script_call(code, options).wait()
    }

    /// Async [`Isolate::compile_script`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn compile_script_async(&self, code: &str, options: ScriptOptions) -> Result<Script> {
        self.compile_script_call(code, options).wait_async().await
    }

    /// Compiles a script from a [`SharedSource`]: the isolate keeps a pointer to the one
    /// copy of the text every isolate shares, not a copy of its own. Otherwise as
    /// [`Isolate::compile_script`].
    ///
    /// # Errors
    /// As for [`Isolate::compile_script`].
    pub fn compile_shared_script(
        &self,
        source: SharedSource,
        options: ScriptOptions,
    ) -> Result<Script> {
        let this = self.clone();
        HomeCall::new(self, move |state| {
            Script::compile_on_home(this, state, Text::Shared(source), options)
        })
        .wait()
    }

    fn compile_script_call(
        &self,
        code: &str,
        options: ScriptOptions,
    ) -> HomeCall<'_, impl HomeWork<Script>> {
        let (this, code) = (self.clone(), code.to_string());
        HomeCall::new(self, move |state| {
            Script::compile_on_home(this, state, Text::Owned(&code), options)
        })
    }
}

/// Where a script's text comes from.
#[derive(Clone, Copy)]
pub(crate) enum Text<'a> {
    /// Copied into the isolate's heap.
    Owned(&'a str),
    Shared(SharedSource),
}

impl Text<'_> {
    fn to_v8<'s>(
        self,
        scope: &mut v8::HandleScope<'s>,
    ) -> Result<v8::Local<'s, v8::String>, Interrupted> {
        match self {
            Text::Owned(code) => new_string(scope, code),
            Text::Shared(shared) => shared.to_v8(scope).ok_or_else(|| {
                Interrupted::Threw(crate::outcome::JsError::host(
                    "RangeError",
                    "source is longer than V8's string limit",
                ))
            }),
        }
    }
}

/// A compiled script. Lives until [`Script::release`] or disposal.
#[derive(Debug, Clone)]
pub struct Script {
    isolate: Isolate,
    id: u32,
    cached_data: Option<Vec<u8>>,
    cached_data_rejected: Option<bool>,
}

impl Script {
    pub(crate) fn compile_on_home(
        isolate: Isolate,
        state: &mut IsolateState,
        code: Text<'_>,
        options: ScriptOptions,
    ) -> Result<Script> {
        let run = compile_in_throwaway_context(state, |tc, tables| {
            let source = code.to_v8(tc)?;
            let origin = origin(tc, options.filename.as_deref());
            let consume = options.cached_data.is_some();
            let (mut source, compile_options) =
                cached_source(source, &origin, options.cached_data.as_deref());
            let unbound = v8::script_compiler::compile_unbound_script(
                tc,
                &mut source,
                compile_options,
                v8::script_compiler::NoCacheReason::NoReason,
            )
            .ok_or_else(|| compile_failure(tc))?;
            let rejected = cache_rejected(&source, consume);
            let produced = if options.produce_cached_data {
                unbound.create_code_cache().map(|c| c.to_vec())
            } else {
                None
            };
            let id = tables.next_id();
            tables.scripts.insert(id, v8::Global::new(tc, unbound));
            Ok((id, produced, rejected))
        })?;
        let (id, cached_data, cached_data_rejected) = run.outcome.into_result()?;
        Ok(Script {
            isolate,
            id,
            cached_data,
            cached_data_rejected,
        })
    }

    /// Code cache produced at compile time (with `produce_cached_data`).
    pub fn cached_data(&self) -> Option<&[u8]> {
        self.cached_data.as_deref()
    }

    /// Whether V8 rejected the supplied code cache (`None` when none was supplied).
    pub fn cached_data_rejected(&self) -> Option<bool> {
        self.cached_data_rejected
    }

    /// Runs the script in `context`; returns a copy of its completion value.
    ///
    /// # Errors
    /// Host errors only (a context from another isolate, released handles).
    pub fn run(&self, context: &Context, options: &RunOptions) -> Result<Run<ExternalCopy>> {
        self.run_call(context, options)?.wait_run()
    }

    /// Async [`Script::run`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn run_async(
        &self,
        context: &Context,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        self.run_call(context, options)?.wait_run_async().await
    }

    fn run_call(
        &self,
        context: &Context,
        options: &RunOptions,
    ) -> Result<HomeCall<'_, impl HomeWork<Run<ExternalCopy>>>> {
        if !context.isolate().same_isolate(&self.isolate) {
            return Err(Error::InvalidArgument(
                "context belongs to another isolate".into(),
            ));
        }
        let (id, ctx, options) = (self.id, context.id(), options.clone());
        Ok(HomeCall::new(&self.isolate, move |state| {
            run_on_home(state, id, ctx, &options)
        }))
    }

    /// Code cache of the script as it is now. Made after the script has run, it also holds
    /// the functions compiled while it ran (V8 compiles functions lazily, on first call), so
    /// an isolate that consumes it skips those compiles too.
    ///
    /// # Errors
    /// [`Error::Disposed`], a released script, or V8 declining to serialize.
    pub fn create_code_cache(&self) -> Result<Vec<u8>> {
        let id = self.id;
        self.isolate.exec(move |state| {
            let global = state
                .tables
                .scripts
                .get(&id)
                .cloned()
                .ok_or_else(|| Error::InvalidArgument("the script was released".into()))?;
            let scope = &mut v8::HandleScope::new(state.isolate());
            let unbound = v8::Local::new(scope, global);
            unbound
                .create_code_cache()
                .map(|c| c.to_vec())
                .ok_or_else(|| Error::InvalidArgument("V8 made no code cache".into()))
        })
    }

    /// Releases the compiled script.
    pub fn release(&self) {
        let id = self.id;
        self.isolate.exec_ignored(move |state| {
            state.tables.scripts.remove(&id);
            Ok(())
        });
    }
}

/// Runs a compile under the isolate's default limits. Compiling needs a context for error
/// reporting; a throwaway one is enough since compiled scripts and modules are
/// context-independent.
pub(crate) fn compile_in_throwaway_context<T>(
    state: &mut IsolateState,
    f: impl FnOnce(&mut v8::TryCatch<v8::HandleScope>, &mut Tables) -> Result<T, Interrupted>,
) -> Result<Run<T>> {
    let limits = state.defaults;
    state.limited(limits, |iso, tables| {
        let settle = &mut crate::v8_locker::settled_scope(iso);
        let scope = &mut v8::HandleScope::new(settle);
        let context = v8::Context::new(scope, Default::default());
        let scope = &mut v8::ContextScope::new(scope, context);
        let tc = &mut v8::TryCatch::new(scope);
        f(tc, tables)
    })
}

/// Whether V8 rejected the code cache `source` carried (`None` when none was supplied).
pub(crate) fn cache_rejected(source: &v8::script_compiler::Source, consumed: bool) -> Option<bool> {
    if consumed {
        source.get_cached_data().map(|c| c.rejected())
    } else {
        None
    }
}

/// A compile source, consuming `cached` code cache when given.
pub(crate) fn cached_source<'s>(
    source: v8::Local<'s, v8::String>,
    origin: &v8::ScriptOrigin<'s>,
    cached: Option<&[u8]>,
) -> (
    v8::script_compiler::Source,
    v8::script_compiler::CompileOptions,
) {
    match cached {
        Some(bytes) => (
            v8::script_compiler::Source::new_with_cached_data(
                source,
                Some(origin),
                v8::CachedData::new(bytes),
            ),
            v8::script_compiler::CompileOptions::ConsumeCodeCache,
        ),
        None => (
            v8::script_compiler::Source::new(source, Some(origin)),
            v8::script_compiler::CompileOptions::NoCompileOptions,
        ),
    }
}

fn run_on_home(
    state: &mut IsolateState,
    id: u32,
    ctx: u32,
    options: &RunOptions,
) -> Result<Run<ExternalCopy>> {
    if !state.tables.scripts.contains_key(&id) {
        return Err(Error::InvalidHandle("script released"));
    }
    let limits = options.limits(state.defaults);
    run_in_context(state, ctx, limits, |tc, tables| {
        let unbound = tables
            .scripts
            .get(&id)
            .ok_or(Interrupted::Host(Error::InvalidHandle("script released")))?;
        let unbound = v8::Local::new(tc, unbound);
        let script = unbound.bind_to_current_context(tc);
        let value = script.run(tc).ok_or_else(|| interrupted(tc))?;
        finish(tc, value, options)
    })
}
