//! `Context`: one global object inside an isolate, and the calls that run code in it.

use crate::call::{
    compile_failure, finish, new_string, origin, run_in_context, HomeCall, HomeWork, RunOptions,
};
use crate::callback::{self, Callback};
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::Isolate;
use crate::isolate_state::{interrupted, Interrupted, IsolateState};
use crate::outcome::{JsError, Run};
use crate::transfer::{Reference, Transferable};

/// How a context is created.
#[derive(Debug, Clone, Copy, Default)]
pub struct ContextOptions {
    /// For host code: accepts `reference`, `externalCopy` and `promise` transfers (see
    /// [`Transferable`]) and is never shown to inspector sessions. Never run untrusted code
    /// in a trusted context.
    pub trusted: bool,
}

impl Isolate {
    /// Creates a new context (a fresh global object).
    ///
    /// # Errors
    /// [`Error::Disposed`] after disposal.
    pub fn create_context(&self) -> Result<Context> {
        self.create_context_with(ContextOptions::default())
    }

    /// Creates a context with `options` (e.g. a trusted one for host code).
    ///
    /// # Errors
    /// [`Error::Disposed`] after disposal.
    pub fn create_context_with(&self, options: ContextOptions) -> Result<Context> {
        self.create_context_call(options).wait()
    }

    /// Async [`Isolate::create_context`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn create_context_async(&self) -> Result<Context> {
        self.create_context_call(ContextOptions::default())
            .wait_async()
            .await
    }

    fn create_context_call(&self, options: ContextOptions) -> HomeCall<'_, impl HomeWork<Context>> {
        let this = self.clone();
        HomeCall::new(self, move |state| {
            Context::create_on_home(this, state, options)
        })
    }
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
        let settle = &mut crate::v8_locker::settled_scope(iso);
        let scope = &mut v8::HandleScope::new(settle);
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
        self.eval_call(code, options.clone()).wait_run()
    }

    /// Async [`Context::eval`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn eval_async(&self, code: &str, options: &RunOptions) -> Result<Run<ExternalCopy>> {
        self.eval_call(code, options.clone()).wait_run_async().await
    }

    /// [`Context::eval`] without waiting for, or copying, the result. Calls run in order.
    pub fn eval_ignored(&self, code: &str, options: &RunOptions) {
        let options = RunOptions {
            copy_result: false,
            ..options.clone()
        };
        self.eval_call(code, options).queue();
    }

    fn eval_call(
        &self,
        code: &str,
        options: RunOptions,
    ) -> HomeCall<'_, impl HomeWork<Run<ExternalCopy>>> {
        let (ctx, code) = (self.id, code.to_string());
        HomeCall::new(&self.isolate, move |state| {
            eval_on_home(state, ctx, &code, &options)
        })
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
        self.eval_closure_call(code, args, options)?.wait_run()
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
        self.eval_closure_call(code, args, options)?
            .wait_run_async()
            .await
    }

    fn eval_closure_call(
        &self,
        code: &str,
        args: Vec<Transferable>,
        options: &RunOptions,
    ) -> Result<HomeCall<'_, impl HomeWork<Run<ExternalCopy>>>> {
        for a in &args {
            a.check_isolate(&self.isolate)?;
        }
        let (ctx, code, options) = (self.id, code.to_string(), options.clone());
        Ok(HomeCall::new(&self.isolate, move |state| {
            eval_closure_on_home(state, ctx, &code, &args, &options)
        }))
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
        HomeCall::new(&self.isolate, move |state| {
            call_on_home(state, ctx, &name, &args, &options)
        })
        .wait_run()
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
