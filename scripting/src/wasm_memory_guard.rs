//! Charges `WebAssembly.Memory` pages to the isolate's memory budget (see
//! `js/wasm_memory_guard.js` for why), and keeps wasm module compilation off unless the
//! isolate allows it: memories declared inside modules cannot be charged from JavaScript.

use std::sync::atomic::Ordering;

use crate::isolate_state::SharedSlot;

const GUARD_JS: &str = include_str!("../js/wasm_memory_guard.js");
const WASM_PAGE: usize = 64 << 10;

pub(crate) extern "C" fn deny_wasm_code_generation(
    _: v8::Local<v8::Context>,
    _: v8::Local<v8::String>,
) -> bool {
    false
}

fn pages_arg(scope: &mut v8::HandleScope, args: &v8::FunctionCallbackArguments) -> usize {
    args.get(0)
        .number_value(scope)
        .filter(|n| (0.0..=65536.0).contains(n))
        .unwrap_or(0.0) as usize
}

fn reserve(scope: &mut v8::HandleScope, args: v8::FunctionCallbackArguments, _rv: v8::ReturnValue) {
    let bytes = pages_arg(scope, &args) * WASM_PAGE;
    let Some(shared) = scope.get_slot::<SharedSlot>().map(|b| b.0.clone()) else {
        return;
    };
    let limit = shared.memory_limit_bytes;
    let mut used = shared.external_bytes.load(Ordering::Relaxed);
    loop {
        let Some(next) = used.checked_add(bytes).filter(|n| *n <= limit) else {
            // Same outcome as an ArrayBuffer or heap bomb: the call ends with memory_limit.
            shared.hit_memory_limit();
            if let Some(m) =
                v8::String::new(scope, "WebAssembly.Memory(): isolate memory limit reached")
            {
                let e = v8::Exception::range_error(scope, m);
                scope.throw_exception(e);
            }
            return;
        };
        match shared.external_bytes.compare_exchange_weak(
            used,
            next,
            Ordering::AcqRel,
            Ordering::Relaxed,
        ) {
            Ok(_) => return,
            Err(actual) => used = actual,
        }
    }
}

fn release(scope: &mut v8::HandleScope, args: v8::FunctionCallbackArguments, _rv: v8::ReturnValue) {
    let bytes = pages_arg(scope, &args) * WASM_PAGE;
    if let Some(b) = scope.get_slot::<SharedSlot>() {
        let _ =
            b.0.external_bytes
                .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |u| {
                    Some(u.saturating_sub(bytes))
                });
    }
}

/// Installs the guard in the current context. Runs no untrusted code.
pub(crate) fn install(scope: &mut v8::HandleScope) -> Option<()> {
    let source = v8::String::new(scope, GUARD_JS)?;
    let script = v8::Script::compile(scope, source, None)?;
    let factory = script.run(scope)?;
    let factory = v8::Local::<v8::Function>::try_from(factory).ok()?;
    let reserve = v8::Function::builder(reserve).build(scope)?;
    let release = v8::Function::builder(release).build(scope)?;
    let recv = v8::undefined(scope).into();
    factory.call(scope, recv, &[reserve.into(), release.into()])?;
    Some(())
}
