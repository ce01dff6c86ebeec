//! Converting thrown values to [`JsError`] without running any of the thrower's code: only own
//! data properties are read, proxies are never touched, and the stack comes from V8's captured
//! frames rather than the `stack` accessor (which would call `Error.prepareStackTrace`).

use crate::outcome::JsError;

/// Longest name/message/stack kept, in bytes; a thrown 100 MB string is not copied whole.
const MAX_TEXT: usize = 16 * 1024;
/// Prototype-chain depth searched for `name` / `message`.
const MAX_PROTO_DEPTH: usize = 32;

pub(crate) fn from_exception(
    scope: &mut v8::HandleScope,
    exception: v8::Local<v8::Value>,
    message: Option<v8::Local<v8::Message>>,
) -> JsError {
    let (name, text) = if let Ok(obj) = v8::Local::<v8::Object>::try_from(exception) {
        let name = data_string(scope, obj, "name");
        let text = data_string(scope, obj, "message");
        match (name, text) {
            (None, None) => {
                // Not error-like: V8's message text is built without side effects.
                let fallback = message
                    .map(|m| m.get(scope).to_rust_string_lossy(scope))
                    .unwrap_or_default();
                let fallback = fallback
                    .strip_prefix("Uncaught ")
                    .unwrap_or(&fallback)
                    .to_string();
                (String::new(), fallback)
            }
            (n, t) => (n.unwrap_or_default(), t.unwrap_or_default()),
        }
    } else {
        (String::new(), primitive_text(scope, exception))
    };
    let name = truncate(name);
    let text = truncate(text);
    let head = if name.is_empty() {
        text.clone()
    } else if text.is_empty() {
        name.clone()
    } else {
        format!("{name}: {text}")
    };
    let frames = message.map(|m| frames(scope, m)).unwrap_or_default();
    let stack = truncate(if frames.is_empty() {
        head
    } else {
        format!("{head}\n{frames}")
    });
    JsError {
        name,
        message: text,
        stack,
    }
}

fn truncate(mut s: String) -> String {
    if s.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push('…');
    }
    s
}

/// A primitive's string form; primitives have no user-defined conversions.
fn primitive_text(scope: &mut v8::HandleScope, value: v8::Local<v8::Value>) -> String {
    if let Ok(sym) = v8::Local::<v8::Symbol>::try_from(value) {
        let d = sym.description(scope);
        return if d.is_undefined() {
            "Symbol()".into()
        } else {
            format!("Symbol({})", d.to_rust_string_lossy(scope))
        };
    }
    value.to_rust_string_lossy(scope)
}

/// Reads `key` as an own *data* property somewhere on the prototype chain, never calling
/// accessors or proxy traps.
fn data_string(
    scope: &mut v8::HandleScope,
    obj: v8::Local<v8::Object>,
    key: &str,
) -> Option<String> {
    let key = v8::String::new(scope, key)?;
    let value_key = v8::String::new(scope, "value")?;
    let mut current: v8::Local<v8::Value> = obj.into();
    for _ in 0..MAX_PROTO_DEPTH {
        if current.is_proxy() {
            return None;
        }
        let o = v8::Local::<v8::Object>::try_from(current).ok()?;
        let desc = o.get_own_property_descriptor(scope, key.into())?;
        if !desc.is_undefined() {
            let desc = v8::Local::<v8::Object>::try_from(desc).ok()?;
            if desc.has_own_property(scope, value_key.into()) != Some(true) {
                return None; // an accessor: never called
            }
            let v = desc.get(scope, value_key.into())?;
            return v.is_string().then(|| v.to_rust_string_lossy(scope));
        }
        current = o.get_prototype(scope)?;
    }
    None
}

fn frames(scope: &mut v8::HandleScope, message: v8::Local<v8::Message>) -> String {
    let mut out = String::new();
    if let Some(trace) = message.get_stack_trace(scope) {
        for i in 0..trace.get_frame_count().min(32) {
            let Some(frame) = trace.get_frame(scope, i) else {
                continue;
            };
            let script = frame
                .get_script_name_or_source_url(scope)
                .map(|s| s.to_rust_string_lossy(scope))
                .unwrap_or_else(|| "<anonymous>".into());
            let location = format!(
                "{script}:{}:{}",
                frame.get_line_number(),
                frame.get_column()
            );
            let function = frame
                .get_function_name(scope)
                .map(|s| s.to_rust_string_lossy(scope))
                .filter(|s| !s.is_empty());
            if !out.is_empty() {
                out.push('\n');
            }
            match function {
                Some(f) => out.push_str(&format!("    at {f} ({location})")),
                None => out.push_str(&format!("    at {location}")),
            }
        }
    }
    if out.is_empty() {
        let script = message
            .get_script_resource_name(scope)
            .filter(|v| !v.is_undefined())
            .map(|v| v.to_rust_string_lossy(scope));
        if let (Some(script), Some(line)) = (script, message.get_line_number(scope)) {
            let col = message.get_start_column() + 1;
            out = format!("    at {script}:{line}:{col}");
        }
    }
    out
}
