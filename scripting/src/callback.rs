//! `Callback`: a Rust closure installed as a JavaScript function. Arguments reach the host as
//! copies and results reach JavaScript as copies; the function carries only an index into the
//! isolate's callback table, never a pointer or host object.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use futures::future::BoxFuture;

use crate::external_copy::ExternalCopy;
use crate::isolate::{Isolate, IsolateInner};
use crate::isolate_state::{drain_jobs, IsolateState};

/// What a sync or async host function returns: a value, or an error message thrown as `Error`.
pub type CallbackResult = Result<ExternalCopy, String>;

type SyncFn = dyn Fn(Vec<ExternalCopy>) -> CallbackResult + Send + Sync;
type FutureFn = dyn Fn(Vec<ExternalCopy>) -> BoxFuture<'static, CallbackResult> + Send + Sync;
type IgnoredFn = dyn Fn(Vec<ExternalCopy>) + Send + Sync;

/// A host function JavaScript can call.
#[derive(Clone)]
pub enum Callback {
    /// Runs on the isolate's thread while JavaScript waits; returns a copy.
    Sync(Arc<SyncFn>),
    /// JavaScript gets a Promise, settled on the isolate's thread when the future completes.
    Future(tokio::runtime::Handle, Arc<FutureFn>),
    /// JavaScript gets `undefined`; the host function runs inline, in call order. Keep it
    /// cheap (push to a queue): it runs inside the caller's CPU budget.
    Ignored(Arc<IgnoredFn>),
    /// isolated-vm's `applySyncPromise`: JavaScript calls it synchronously and gets the value
    /// of a host future driven on `runtime`; the isolate's thread waits (using no CPU) until
    /// it completes or the call's wall limit passes. Isolates on other threads run on; ones
    /// sharing this home thread wait too (give such isolates a dedicated thread).
    SyncPromise(tokio::runtime::Handle, Arc<FutureFn>),
}

impl Callback {
    /// A synchronous host function.
    pub fn sync(f: impl Fn(Vec<ExternalCopy>) -> CallbackResult + Send + Sync + 'static) -> Self {
        Callback::Sync(Arc::new(f))
    }

    /// An async host function driven on `runtime`.
    pub fn future(
        runtime: tokio::runtime::Handle,
        f: impl Fn(Vec<ExternalCopy>) -> BoxFuture<'static, CallbackResult> + Send + Sync + 'static,
    ) -> Self {
        Callback::Future(runtime, Arc::new(f))
    }

    /// A host future awaited by a synchronous-looking call (see [`Callback::SyncPromise`]).
    pub fn sync_promise(
        runtime: tokio::runtime::Handle,
        f: impl Fn(Vec<ExternalCopy>) -> BoxFuture<'static, CallbackResult> + Send + Sync + 'static,
    ) -> Self {
        Callback::SyncPromise(runtime, Arc::new(f))
    }

    /// A host function whose result JavaScript never sees.
    pub fn ignored(f: impl Fn(Vec<ExternalCopy>) + Send + Sync + 'static) -> Self {
        Callback::Ignored(Arc::new(f))
    }
}

/// How often a thread waiting in a sync-promise callback checks its call's limits.
const SYNC_PROMISE_POLL: std::time::Duration = std::time::Duration::from_millis(5);

/// Per-isolate callback table, stored in an isolate slot so the trampoline can reach it.
/// Drops the host functions (the isolate is going away).
pub(crate) fn teardown(isolate: &mut v8::OwnedIsolate) {
    let _ = isolate.remove_slot::<CallbackSlot>();
}

struct CallbackSlot {
    callbacks: Vec<Callback>,
    owner: Weak<IsolateInner>,
    resolvers: HashMap<u64, (v8::Global<v8::PromiseResolver>, v8::Global<v8::Context>)>,
    next_promise: u64,
}

pub(crate) fn register(
    isolate: &mut v8::OwnedIsolate,
    owner: Weak<IsolateInner>,
    cb: Callback,
) -> i32 {
    if isolate.get_slot::<CallbackSlot>().is_none() {
        isolate.set_slot(CallbackSlot {
            callbacks: Vec::new(),
            owner,
            resolvers: HashMap::new(),
            next_promise: 0,
        });
    }
    let slot = isolate
        .get_slot_mut::<CallbackSlot>()
        .expect("slot was just ensured");
    slot.callbacks.push(cb);
    slot.callbacks.len() as i32 - 1
}

pub(crate) fn function<'s>(
    scope: &mut v8::HandleScope<'s>,
    index: i32,
) -> Option<v8::Local<'s, v8::Function>> {
    let data = v8::Integer::new(scope, index);
    v8::Function::builder(trampoline)
        .data(data.into())
        .constructor_behavior(v8::ConstructorBehavior::Throw)
        .build(scope)
}

fn throw_error(scope: &mut v8::HandleScope, message: &str) {
    let message = v8::String::new(scope, message).unwrap_or_else(|| v8::String::empty(scope));
    let error = v8::Exception::error(scope, message);
    scope.throw_exception(error);
}

fn trampoline(
    scope: &mut v8::HandleScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue,
) {
    let index = args.data().int32_value(scope).unwrap_or(-1);
    let callback = scope
        .get_slot::<CallbackSlot>()
        .and_then(|s| s.callbacks.get(usize::try_from(index).ok()?).cloned());
    let Some(callback) = callback else {
        throw_error(scope, "host function is gone");
        return;
    };
    let mut copies = Vec::with_capacity(args.length().max(0) as usize);
    for i in 0..args.length() {
        match ExternalCopy::serialize_in(scope, args.get(i)) {
            Ok(c) => copies.push(c),
            // An exception (or termination) is pending; returning rethrows it.
            Err(_) => return,
        }
    }
    match callback {
        Callback::Sync(f) => match f(copies) {
            Ok(value) => {
                if let Some(v) = value.deserialize_in(scope) {
                    rv.set(v);
                }
            }
            Err(message) => throw_error(scope, &message),
        },
        Callback::Ignored(f) => {
            f(copies);
            rv.set_undefined();
        }
        Callback::SyncPromise(runtime, f) => {
            let fired = scope
                .get_slot::<crate::isolate_state::SharedSlot>()
                .map(|b| b.0.clone());
            let (tx, rx) = crossbeam_channel::bounded(1);
            let future = f(copies);
            let task = runtime.spawn(async move {
                let _ = tx.send(future.await);
            });
            // Wait without spinning; look at the call's limits between waits.
            let result = loop {
                match rx.recv_timeout(SYNC_PROMISE_POLL) {
                    Ok(r) => break Some(r),
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break None,
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        let stop = fired.as_ref().is_some_and(|s| {
                            s.limit_fired.load(std::sync::atomic::Ordering::Acquire)
                                || s.disposed.load(std::sync::atomic::Ordering::Acquire)
                        });
                        if stop {
                            task.abort();
                            // The pending termination ends the call as soon as we return.
                            return;
                        }
                    }
                }
            };
            match result {
                Some(Ok(value)) => {
                    if let Some(v) = value.deserialize_in(scope) {
                        rv.set(v);
                    }
                }
                Some(Err(message)) => throw_error(scope, &message),
                None => throw_error(scope, "host future was dropped"),
            }
        }
        Callback::Future(runtime, f) => {
            let owner = match scope.get_slot::<CallbackSlot>() {
                Some(slot) => slot.owner.clone(),
                None => return,
            };
            if let Some(promise) = promise_for_future(scope, owner, &runtime, f(copies)) {
                rv.set(promise.into());
            }
        }
    }
}

/// A promise in the current context, settled (on the isolate's thread, under the default
/// limits) with what `future` yields on `runtime`.
pub(crate) fn promise_for_future<'s>(
    scope: &mut v8::HandleScope<'s>,
    owner: Weak<IsolateInner>,
    runtime: &tokio::runtime::Handle,
    future: BoxFuture<'static, CallbackResult>,
) -> Option<v8::Local<'s, v8::Promise>> {
    let resolver = v8::PromiseResolver::new(scope)?;
    let promise = resolver.get_promise(scope);
    let global = v8::Global::new(scope, resolver);
    let context = scope.get_current_context();
    let context = v8::Global::new(scope, context);
    if scope.get_slot::<CallbackSlot>().is_none() {
        scope.set_slot(CallbackSlot {
            callbacks: Vec::new(),
            owner: owner.clone(),
            resolvers: HashMap::new(),
            next_promise: 0,
        });
    }
    let slot = scope.get_slot_mut::<CallbackSlot>()?;
    let id = slot.next_promise;
    slot.next_promise += 1;
    slot.resolvers.insert(id, (global, context));
    runtime.spawn(async move {
        let result = future.await;
        if let Some(inner) = owner.upgrade() {
            let isolate = Isolate { inner };
            isolate.exec_ignored(move |state| settle(state, id, result));
        }
    });
    Some(promise)
}

/// Settles an async callback's promise; the reactions are player code, so this is limited.
fn settle(state: &mut IsolateState, id: u64, result: CallbackResult) -> crate::Result<()> {
    let limits = state.defaults;
    state.limited(limits, |isolate, _| {
        let resolver = isolate
            .get_slot_mut::<CallbackSlot>()
            .and_then(|s| s.resolvers.remove(&id));
        let Some((resolver, context)) = resolver else {
            return Ok(());
        };
        let settle = &mut crate::v8_locker::settled_scope(isolate);
        let scope = &mut v8::HandleScope::new(settle);
        let resolver = v8::Local::new(scope, resolver);
        let context = v8::Local::new(scope, context);
        let scope = &mut v8::ContextScope::new(scope, context);
        let tc = &mut v8::TryCatch::new(scope);
        match result {
            Ok(copy) => {
                let value = copy.deserialize(tc)?;
                resolver.resolve(tc, value);
            }
            Err(message) => {
                let m = v8::String::new(tc, &message).unwrap_or_else(|| v8::String::empty(tc));
                let error = v8::Exception::error(tc, m);
                resolver.reject(tc, error);
            }
        }
        drain_jobs(tc)
    })?;
    Ok(())
}
