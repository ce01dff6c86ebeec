//! V8's structured-clone wire bytes as the fast paths see them (the header, lone strings,
//! small integers), and the serializer delegates that keep SharedArrayBuffers and refuse
//! what cannot be cloned.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::error::Error;
use crate::outcome::JsError;

/// V8 wire format header: the version tag and the version (15, V8 13.4's) the serializer
/// writes; `undefined` and `null` are this header plus their one-byte tag.
pub(super) const WIRE_VERSION_TAG: u8 = 0xFF;
pub(super) const WIRE_VERSION: u8 = 15;

/// The contents of wire bytes that hold nothing but one string.
pub(super) enum WireString<'a> {
    /// Latin-1.
    OneByte(&'a [u8]),
    /// UTF-8 (what Rust strings with non-ASCII characters become).
    Utf8(&'a [u8]),
    /// UTF-16, little-endian.
    TwoByte(&'a [u8]),
}

/// Reads wire bytes of the form `0xFF version [padding…] ('"' | 'S' | 'c') length bytes`, the whole
/// input; anything else is `None` (and goes through V8's deserializer).
pub(super) fn plain_string(bytes: &[u8]) -> Option<WireString<'_>> {
    fn varint(bytes: &[u8], at: &mut usize) -> Option<u32> {
        let mut value: u32 = 0;
        for shift in (0..35).step_by(7) {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
    let mut at = 0;
    if *bytes.first()? != 0xFF {
        return None;
    }
    at += 1;
    // V8 accepts versions up to its own (15 in V8 13.4); older forms had other string tags.
    if !(13..=15).contains(&varint(bytes, &mut at)?) {
        return None;
    }
    while *bytes.get(at)? == 0x00 {
        at += 1;
    }
    let tag = *bytes.get(at)?;
    at += 1;
    let len = varint(bytes, &mut at)? as usize;
    let body = bytes.get(at..)?;
    if body.len() != len {
        return None;
    }
    match tag {
        b'"' => Some(WireString::OneByte(body)),
        b'S' => Some(WireString::Utf8(body)),
        b'c' if len.is_multiple_of(2) => Some(WireString::TwoByte(body)),
        _ => None,
    }
}

/// V8's `WriteZigZag<int32_t>`: zigzag, then base-128 varint, low group first. Writes at
/// most 5 bytes into `out` and returns how many.
pub(super) fn write_zigzag_i32(out: &mut [u8], v: i32) -> usize {
    let mut z = ((v << 1) ^ (v >> 31)) as u32;
    let mut n = 0;
    loop {
        let low = (z & 0x7F) as u8;
        z >>= 7;
        if z == 0 {
            out[n] = low;
            return n + 1;
        }
        out[n] = low | 0x80;
        n += 1;
    }
}

/// Why serialization stopped.
pub(crate) enum SerializeFailure {
    /// A value V8 cannot clone (function, symbol, proxy…); a TypeError is pending.
    CloneError(String),
    /// A getter threw or the call was terminated.
    Pending,
}

pub(super) fn not_transferable(message: &str) -> Error {
    Error::NotTransferable(JsError::host("DataCloneError", message))
}

#[derive(Default)]
pub(super) struct SerializeDelegate {
    pub(super) clone_error: Cell<Option<String>>,
    pub(super) shared: RefCell<Vec<v8::SharedRef<v8::BackingStore>>>,
}

/// Newtype so the foreign trait can be implemented over a shared delegate.
pub(super) struct SharedDelegate(pub(super) Rc<SerializeDelegate>);

impl v8::ValueSerializerImpl for SharedDelegate {
    fn throw_data_clone_error<'s>(
        &self,
        scope: &mut v8::HandleScope<'s>,
        message: v8::Local<'s, v8::String>,
    ) {
        let text = message.to_rust_string_lossy(scope);
        self.0.clone_error.set(Some(text));
        let error = v8::Exception::type_error(scope, message);
        scope.throw_exception(error);
    }

    fn get_shared_array_buffer_id<'s>(
        &self,
        _scope: &mut v8::HandleScope<'s>,
        sab: v8::Local<'s, v8::SharedArrayBuffer>,
    ) -> Option<u32> {
        let mut shared = self.0.shared.borrow_mut();
        shared.push(sab.get_backing_store());
        Some(shared.len() as u32 - 1)
    }

    fn get_wasm_module_transfer_id(
        &self,
        scope: &mut v8::HandleScope<'_>,
        _module: v8::Local<v8::WasmModuleObject>,
    ) -> Option<u32> {
        let message = "WebAssembly.Module cannot be copied";
        self.0.clone_error.set(Some(message.into()));
        if let Some(m) = v8::String::new(scope, message) {
            let error = v8::Exception::type_error(scope, m);
            scope.throw_exception(error);
        }
        None
    }
}

pub(super) struct DeserializeDelegate {
    pub(super) shared: Vec<v8::SharedRef<v8::BackingStore>>,
}

impl v8::ValueDeserializerImpl for DeserializeDelegate {
    fn get_shared_array_buffer_from_id<'s>(
        &self,
        scope: &mut v8::HandleScope<'s>,
        transfer_id: u32,
    ) -> Option<v8::Local<'s, v8::SharedArrayBuffer>> {
        let store = self.shared.get(transfer_id as usize)?;
        Some(v8::SharedArrayBuffer::with_backing_store(scope, store))
    }
}
