//! The JavaScript objects a trusted context gets for `externalCopy` and `reference`
//! transfers: `{ typeof?, copy(), apply()?, release() }`, frozen, backed by an isolate slot.

use std::collections::HashMap;

use v8::MapFnTo;

use super::{Reference, Transferable};
use crate::call::RunOptions;
use crate::error::{Error, Result};
use crate::external_copy::ExternalCopy;
use crate::isolate_state::Interrupted;

/// What a JavaScript handle object stands for.
#[derive(Clone)]
pub(super) enum HostHandle {
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
pub(super) fn handle<'s>(
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
pub(crate) fn teardown(isolate: &mut v8::OwnedIsolate) {
    let _ = isolate.remove_slot::<HostHandles>();
}
