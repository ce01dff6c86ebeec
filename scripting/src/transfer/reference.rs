//! `Reference`: a host-held handle to a value inside an isolate. Never handed to JavaScript.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::Transferable;
use crate::call::{
    disposed_as_outcome, finish, new_string, run_in_context, HomeCall, HomeWork, RunOptions,
};
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::Isolate;
use crate::isolate_state::{interrupted, Interrupted, IsolateState, Tables};
use crate::outcome::{JsError, Run};

struct ReferenceInner {
    isolate: Isolate,
    id: u32,
    context: u32,
    type_of: String,
}

impl Drop for ReferenceInner {
    fn drop(&mut self) {
        self.isolate
            .inner
            .shared
            .references
            .fetch_sub(1, Ordering::Relaxed);
        let id = self.id;
        self.isolate.exec_ignored(move |state| {
            state.tables.references.remove(&id);
            Ok(())
        });
    }
}

/// A handle to a value in an isolate, usable from any thread. Released when dropped.
#[derive(Clone)]
pub struct Reference {
    inner: Arc<ReferenceInner>,
}

impl std::fmt::Debug for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reference")
            .field("isolate", &self.inner.isolate.id())
            .field("typeof", &self.inner.type_of)
            .finish()
    }
}

impl Reference {
    /// Stores `value` in the isolate's table; returns its id and `typeof`.
    pub(crate) fn register(
        scope: &mut v8::HandleScope,
        tables: &mut Tables,
        value: v8::Local<v8::Value>,
        _context: u32,
    ) -> (u32, String) {
        let id = tables.next_id();
        let type_of = value.type_of(scope).to_rust_string_lossy(scope);
        tables.references.insert(id, v8::Global::new(scope, value));
        (id, type_of)
    }

    pub(crate) fn new(isolate: Isolate, id: u32, context: u32, type_of: String) -> Reference {
        isolate
            .inner
            .shared
            .references
            .fetch_add(1, Ordering::Relaxed);
        Reference {
            inner: Arc::new(ReferenceInner {
                isolate,
                id,
                context,
                type_of,
            }),
        }
    }

    pub(crate) fn id(&self) -> u32 {
        self.inner.id
    }

    /// The isolate holding the value.
    pub fn isolate(&self) -> &Isolate {
        &self.inner.isolate
    }

    /// `typeof` of the value (fixed for a value's lifetime, so answered without a round trip).
    pub fn type_of(&self) -> &str {
        &self.inner.type_of
    }

    /// For passing the referenced value itself into its own isolate.
    pub fn deref_into(&self) -> Transferable {
        Transferable::Deref(self.clone())
    }

    fn with_value<T: Send + 'static>(
        &self,
        f: impl FnOnce(
                &mut v8::TryCatch<v8::HandleScope>,
                &mut Tables,
                v8::Local<v8::Value>,
            ) -> Result<T, Interrupted>
            + Send
            + 'static,
    ) -> Result<T> {
        let (id, ctx) = (self.inner.id, self.inner.context);
        self.inner.isolate.exec(move |state| {
            let limits = state.defaults;
            run_in_context(state, ctx, limits, move |tc, tables| {
                let value = lookup(tc, tables, id)?;
                f(tc, tables, value)
            })?
            .outcome
            .into_result()
        })
    }

    /// A structured-clone copy of the value.
    ///
    /// # Errors
    /// Outcome errors (getters run under the isolate's default limits), host errors.
    pub fn copy(&self) -> Result<ExternalCopy> {
        self.with_value(|tc, _, v| ExternalCopy::serialize(tc, v))
    }

    /// Moves the referenced ArrayBuffer (or typed array's buffer) out of its isolate without
    /// copying its memory: the buffer is detached there, and the copy can be materialised
    /// once, in any isolate.
    ///
    /// # Errors
    /// [`Error::NotTransferable`] for other values or buffers that cannot be detached.
    pub fn transfer_out(&self) -> Result<ExternalCopy> {
        self.with_value(|tc, _, v| ExternalCopy::transfer(tc, v))
    }

    /// A reference to property `key` of the value (getters run under the default limits).
    ///
    /// # Errors
    /// [`Error::Exception`] when the value is not an object or a getter throws, limit errors.
    pub fn get(&self, key: &str) -> Result<Reference> {
        let key = key.to_string();
        let ctx = self.inner.context;
        let (id, type_of) = self.with_value(move |tc, tables, v| {
            let obj = as_object(v)?;
            let k = new_string(tc, &key)?;
            let got = obj.get(tc, k.into()).ok_or_else(|| interrupted(tc))?;
            Ok(Reference::register(tc, tables, got, ctx))
        })?;
        Ok(Reference::new(self.inner.isolate.clone(), id, ctx, type_of))
    }

    /// Sets property `key` (setters run under the default limits).
    ///
    /// # Errors
    /// As for [`Reference::get`]; a Reference value from another isolate is rejected.
    pub fn set(&self, key: &str, value: impl Into<Transferable>) -> Result<()> {
        let value = value.into();
        value.check_isolate(&self.inner.isolate)?;
        let key = key.to_string();
        let ctx = self.inner.context;
        self.with_value(move |tc, tables, v| {
            let obj = as_object(v)?;
            let k = new_string(tc, &key)?;
            let val = value.materialize(tc, tables, ctx)?;
            obj.set(tc, k.into(), val).ok_or_else(|| interrupted(tc))?;
            Ok(())
        })
    }

    /// Deletes property `key`; returns whether it is gone.
    ///
    /// # Errors
    /// As for [`Reference::get`].
    pub fn delete(&self, key: &str) -> Result<bool> {
        let key = key.to_string();
        self.with_value(move |tc, _, v| {
            let obj = as_object(v)?;
            let k = new_string(tc, &key)?;
            obj.delete(tc, k.into()).ok_or_else(|| interrupted(tc))
        })
    }

    /// Calls the referenced function with `receiver` as `this`.
    ///
    /// # Errors
    /// Host errors only; what the call does is in the outcome.
    pub fn apply(
        &self,
        receiver: Option<Transferable>,
        args: Vec<Transferable>,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        self.apply_call(receiver, args, options.clone())?.wait_run()
    }

    /// Async [`Reference::apply`].
    ///
    /// # Errors
    /// As for the blocking variant.
    pub async fn apply_async(
        &self,
        receiver: Option<Transferable>,
        args: Vec<Transferable>,
        options: &RunOptions,
    ) -> Result<Run<ExternalCopy>> {
        self.apply_call(receiver, args, options.clone())?
            .wait_run_async()
            .await
    }

    /// [`Reference::apply`] without waiting; calls run in the order queued.
    ///
    /// # Errors
    /// A Reference argument from another isolate.
    pub fn apply_ignored(
        &self,
        receiver: Option<Transferable>,
        args: Vec<Transferable>,
        options: &RunOptions,
    ) -> Result<()> {
        let options = RunOptions {
            copy_result: false,
            ..options.clone()
        };
        self.apply_call(receiver, args, options)?.queue();
        Ok(())
    }

    fn apply_call(
        &self,
        receiver: Option<Transferable>,
        args: Vec<Transferable>,
        options: RunOptions,
    ) -> Result<HomeCall<'_, impl HomeWork<Run<ExternalCopy>>>> {
        self.check_args(&receiver, &args)?;
        let (id, ctx) = (self.inner.id, self.inner.context);
        Ok(HomeCall::new(&self.inner.isolate, move |state| {
            apply_on_home(state, ctx, id, receiver, args, &options)
        }))
    }

    /// Queues [`Reference::apply`] with `on_start` run on the home thread just before the call
    /// (returning false skips the call: `reply` gets [`Error::InvalidArgument`]) and `reply`
    /// just after it (see [`crate::CallBatch`]); the caller checked the arguments with
    /// [`Reference::check_args`]. `false` if the home thread is gone (both are dropped).
    pub(crate) fn queue_apply(
        &self,
        receiver: Option<Transferable>,
        args: Vec<Transferable>,
        options: &RunOptions,
        on_start: impl FnOnce() -> bool + Send + 'static,
        reply: impl FnOnce(Result<Run<ExternalCopy>>) + Send + 'static,
    ) -> bool {
        let (id, ctx, options) = (self.inner.id, self.inner.context, options.clone());
        self.inner.isolate.job(
            move |state| {
                if !on_start() {
                    return Err(Error::InvalidArgument(
                        "the call's start hook failed".into(),
                    ));
                }
                apply_on_home(state, ctx, id, receiver, args, &options)
            },
            move |r| reply(disposed_as_outcome(r)),
        )
    }

    pub(crate) fn check_args(
        &self,
        receiver: &Option<Transferable>,
        args: &[Transferable],
    ) -> Result<()> {
        for a in receiver.iter().chain(args.iter()) {
            a.check_isolate(&self.inner.isolate)?;
        }
        Ok(())
    }
}

fn lookup<'s>(
    tc: &mut v8::TryCatch<'s, v8::HandleScope>,
    tables: &Tables,
    id: u32,
) -> Result<v8::Local<'s, v8::Value>, Interrupted> {
    let g = tables
        .references
        .get(&id)
        .ok_or(Interrupted::Host(Error::InvalidHandle(
            "reference released",
        )))?;
    Ok(v8::Local::new(tc, g))
}

fn as_object(v: v8::Local<v8::Value>) -> Result<v8::Local<v8::Object>, Interrupted> {
    v8::Local::<v8::Object>::try_from(v)
        .map_err(|_| Interrupted::Threw(JsError::host("TypeError", "reference is not an object")))
}

fn apply_on_home(
    state: &mut IsolateState,
    ctx: u32,
    id: u32,
    receiver: Option<Transferable>,
    args: Vec<Transferable>,
    options: &RunOptions,
) -> Result<Run<ExternalCopy>> {
    let limits = options.limits(state.defaults);
    run_in_context(state, ctx, limits, |tc, tables| {
        let target = lookup(tc, tables, id)?;
        let Ok(function) = v8::Local::<v8::Function>::try_from(target) else {
            return Err(Interrupted::Threw(JsError::host(
                "TypeError",
                "reference is not a function",
            )));
        };
        let recv = match &receiver {
            Some(r) => r.materialize(tc, tables, ctx)?,
            None => v8::undefined(tc).into(),
        };
        let mut values = Vec::with_capacity(args.len());
        for a in &args {
            values.push(a.materialize(tc, tables, ctx)?);
        }
        let value = function
            .call(tc, recv, &values)
            .ok_or_else(|| interrupted(tc))?;
        finish(tc, value, options)
    })
}
