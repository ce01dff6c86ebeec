//! How values cross into an isolate: isolated-vm's TransferOptions (`copy`, `externalCopy`,
//! `reference`, `promise`) as [`Transferable`] variants.
//!
//! Only a plain copy (or an isolate's own value handed back) can enter a context that was not
//! created as trusted: the other variants give JavaScript a function that reaches the host
//! (a handle's `copy()`/`apply()`, a promise the host settles), and untrusted code never gets
//! one. A player context refuses them with [`Error::UntrustedContext`] before anything runs.

use std::collections::HashMap;
use std::sync::{Arc, Weak};

use futures::future::BoxFuture;
use parking_lot::Mutex;
use v8::MapFnTo;

use crate::callback::CallbackResult;
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::{Isolate, IsolateInner};
use crate::isolate_state::{Interrupted, Tables};
use crate::reference::Reference;
use crate::RunOptions;

/// A value handed into an isolate.
pub enum Transferable {
    /// `copy`: materialised as a fresh structured clone. Allowed everywhere.
    Copy(ExternalCopy),
    /// The value a [`Reference`] points at (only into the isolate that holds it).
    Deref(Reference),
    /// `externalCopy`: JavaScript gets a handle `{ copy(), release() }` that materialises the
    /// copy on demand. Trusted contexts only.
    ExternalCopy(ExternalCopy),
    /// `reference`: JavaScript gets a handle `{ typeof, copy(), apply(thisArg, ...args),
    /// release() }` to a value in some isolate (calls block this isolate's thread until that
    /// one answers; same-thread calls throw instead of deadlocking). Trusted contexts only.
    Reference(Reference),
    /// `promise`: JavaScript gets a Promise settled with a copy of what the future yields.
    /// Trusted contexts only.
    Promise(PendingValue),
}

/// A host future whose value a promise will carry (see [`Transferable::promise`]).
pub struct PendingValue {
    runtime: tokio::runtime::Handle,
    future: Mutex<Option<BoxFuture<'static, CallbackResult>>>,
    owner: Mutex<Weak<IsolateInner>>,
}

impl From<ExternalCopy> for Transferable {
    fn from(c: ExternalCopy) -> Self {
        Transferable::Copy(c)
    }
}

impl Transferable {
    /// `promise`: a Promise in JavaScript, settled when `future` completes on `runtime`.
    pub fn promise(
        runtime: tokio::runtime::Handle,
        future: BoxFuture<'static, CallbackResult>,
    ) -> Transferable {
        Transferable::Promise(PendingValue {
            runtime,
            future: Mutex::new(Some(future)),
            owner: Mutex::new(Weak::new()),
        })
    }

    /// Whether the value gives JavaScript a way to reach the host.
    fn needs_trust(&self) -> Option<&'static str> {
        match self {
            Transferable::Copy(_) | Transferable::Deref(_) => None,
            Transferable::ExternalCopy(_) => Some("externalCopy"),
            Transferable::Reference(_) => Some("reference"),
            Transferable::Promise(_) => Some("promise"),
        }
    }

    /// Host-side checks before a call into `isolate` is queued.
    pub(crate) fn check_isolate(&self, isolate: &Isolate) -> Result<()> {
        match self {
            Transferable::Deref(r) if !r.isolate().same_isolate(isolate) => Err(
                Error::InvalidArgument("a Reference can only be dereferenced into its own isolate".into()),
            ),
            // A handle in an isolate's own slot would keep that isolate alive forever.
            Transferable::Reference(r) if r.isolate().same_isolate(isolate) => {
                Err(Error::InvalidArgument(
                    "a Reference handle into its own isolate: pass the value with Transferable::Deref"
                        .into(),
                ))
            }
            Transferable::Promise(p) => {
                *p.owner.lock() = Arc::downgrade(&isolate.inner);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The value as it enters context `ctx` (refused for untrusted contexts as documented).
    pub(crate) fn materialize<'s>(
        &self,
        tc: &mut v8::TryCatch<'s, v8::HandleScope>,
        tables: &Tables,
        ctx: u32,
    ) -> Result<v8::Local<'s, v8::Value>, Interrupted> {
        if let Some(option) = self.needs_trust() {
            if !tables.trusted_contexts.contains(&ctx) {
                return Err(Interrupted::Host(Error::UntrustedContext(option)));
            }
        }
        match self {
            Transferable::Copy(c) => c.deserialize(tc),
            Transferable::Deref(r) => {
                let g = tables.references.get(&r.id()).ok_or(Interrupted::Host(
                    Error::InvalidHandle("reference released"),
                ))?;
                Ok(v8::Local::new(tc, g))
            }
            Transferable::ExternalCopy(c) => handle(tc, HostHandle::Copy(c.clone()), None),
            Transferable::Reference(r) => {
                let type_of = r.type_of().to_string();
                handle(tc, HostHandle::Reference(r.clone()), Some(&type_of))
            }
            Transferable::Promise(p) => {
                let future =
                    p.future
                        .lock()
                        .take()
                        .ok_or(Interrupted::Host(Error::InvalidArgument(
                            "a promise Transferable can be used once".into(),
                        )))?;
                let owner = p.owner.lock().clone();
                crate::callback::promise_for_future(tc, owner, &p.runtime, future)
                    .map(Into::into)
                    .ok_or_else(|| crate::isolate_state::interrupted(tc))
            }
        }
    }
}

/// What a JavaScript handle object stands for.
#[derive(Clone)]
enum HostHandle {
    Copy(ExternalCopy),
    Reference(Reference),
}

/// Handles given to trusted contexts, by id, until released (or the isolate goes).
#[derive(Default)]
struct HostHandles {
    live: HashMap<u32, HostHandle>,
    next: u32,
}

fn host_handle(scope: &mut v8::HandleScope, data: v8::Local<v8::Value>) -> Option<HostHandle> {
    let id = data.uint32_value(scope)?;
    scope
        .get_slot::<HostHandles>()
        .and_then(|h| h.live.get(&id).cloned())
}

fn throw(scope: &mut v8::HandleScope, message: &str) {
    let message = v8::String::new(scope, message).unwrap_or_else(|| v8::String::empty(scope));
    let error = v8::Exception::error(scope, message);
    scope.throw_exception(error);
}

/// Builds `{ typeof?, copy, apply?, release }` for a new handle.
fn handle<'s>(
    tc: &mut v8::TryCatch<'s, v8::HandleScope>,
    value: HostHandle,
    type_of: Option<&str>,
) -> Result<v8::Local<'s, v8::Value>, Interrupted> {
    if tc.get_slot::<HostHandles>().is_none() {
        tc.set_slot(HostHandles::default());
    }
    let is_reference = matches!(value, HostHandle::Reference(_));
    let id = {
        let handles = tc
            .get_slot_mut::<HostHandles>()
            .ok_or(Interrupted::Host(Error::HomeThreadGone))?;
        handles.next = handles.next.wrapping_add(1);
        let id = handles.next;
        handles.live.insert(id, value);
        id
    };
    let fail = |tc: &mut v8::TryCatch<'s, v8::HandleScope>| crate::isolate_state::interrupted(tc);
    let object = v8::Object::new(tc);
    let data: v8::Local<v8::Value> = v8::Integer::new_from_unsigned(tc, id).into();
    let mut methods: Vec<(&str, v8::FunctionCallback)> = vec![
        ("copy", handle_copy.map_fn_to()),
        ("release", handle_release.map_fn_to()),
    ];
    if is_reference {
        methods.push(("apply", handle_apply.map_fn_to()));
    }
    for (name, callback) in methods {
        let function = v8::Function::builder_raw(callback)
            .data(data)
            .constructor_behavior(v8::ConstructorBehavior::Throw)
            .build(tc)
            .ok_or_else(|| fail(tc))?;
        let key = v8::String::new(tc, name).ok_or_else(|| fail(tc))?;
        object.set(tc, key.into(), function.into());
    }
    if let Some(t) = type_of {
        let key = v8::String::new(tc, "typeof").ok_or_else(|| fail(tc))?;
        let value = v8::String::new(tc, t).ok_or_else(|| fail(tc))?;
        object.set(tc, key.into(), value.into());
    }
    object.set_integrity_level(tc, v8::IntegrityLevel::Frozen);
    Ok(object.into())
}

fn handle_copy(
    scope: &mut v8::HandleScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue,
) {
    let copy = match host_handle(scope, args.data()) {
        None => return throw(scope, "handle released"),
        Some(HostHandle::Copy(c)) => c,
        Some(HostHandle::Reference(r)) => match r.copy() {
            Ok(c) => c,
            Err(e) => return throw(scope, &e.to_string()),
        },
    };
    if let Some(v) = copy.deserialize_in(scope) {
        rv.set(v);
    }
}

fn handle_apply(
    scope: &mut v8::HandleScope,
    args: v8::FunctionCallbackArguments,
    mut rv: v8::ReturnValue,
) {
    let Some(HostHandle::Reference(r)) = host_handle(scope, args.data()) else {
        return throw(scope, "handle released");
    };
    let mut copies = Vec::with_capacity(args.length().max(0) as usize);
    for i in 1..args.length() {
        match ExternalCopy::serialize_in(scope, args.get(i)) {
            Ok(c) => copies.push(Transferable::Copy(c)),
            Err(_) => return,
        }
    }
    let receiver = match args.get(0) {
        v if v.is_null_or_undefined() => None,
        v => match ExternalCopy::serialize_in(scope, v) {
            Ok(c) => Some(Transferable::Copy(c)),
            Err(_) => return,
        },
    };
    match r.apply(receiver, copies, &RunOptions::default()) {
        Ok(run) => match run.outcome.into_result() {
            Ok(copy) => {
                if let Some(v) = copy.deserialize_in(scope) {
                    rv.set(v);
                }
            }
            Err(e) => throw(scope, &e.to_string()),
        },
        Err(e) => throw(scope, &e.to_string()),
    }
}

fn handle_release(
    scope: &mut v8::HandleScope,
    args: v8::FunctionCallbackArguments,
    _rv: v8::ReturnValue,
) {
    let Some(id) = args.data().uint32_value(scope) else {
        return;
    };
    if let Some(h) = scope.get_slot_mut::<HostHandles>() {
        h.live.remove(&id);
    }
}

/// Drops every handle (the isolate is going away).
pub(crate) fn release_all(isolate: &mut v8::OwnedIsolate) {
    let _ = isolate.remove_slot::<HostHandles>();
}
