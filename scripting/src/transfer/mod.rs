//! How values cross into an isolate: isolated-vm's TransferOptions (`copy`, `externalCopy`,
//! `reference`, `promise`) as [`Transferable`] variants.
//!
//! Only a plain copy (or an isolate's own value handed back) can enter a context that was not
//! created as trusted: the other variants give JavaScript a function that reaches the host
//! (a handle's `copy()`/`apply()`, a promise the host settles), and untrusted code never gets
//! one. A player context refuses them with [`Error::UntrustedContext`] before anything runs.

//!
//! [`Reference`] lives here because the two are one graph: a Reference's calls take
//! Transferables, and a Transferable can carry a Reference. `host_handles.rs` builds the
//! JavaScript objects a trusted context gets for `externalCopy` and `reference`.

mod host_handles;
mod reference;

use std::sync::{Arc, Weak};

use futures::future::BoxFuture;
use parking_lot::Mutex;

use crate::callback::CallbackResult;
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate::{Isolate, IsolateInner};
use crate::isolate_state::{Interrupted, Tables};
pub(crate) use host_handles::teardown;
use host_handles::{handle, HostHandle};
pub use reference::Reference;

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
