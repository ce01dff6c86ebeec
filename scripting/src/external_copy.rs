//! `ExternalCopy`: a value copied out of any isolate (or built from Rust), held outside every
//! V8 heap as V8's own structured-clone wire format, and copied into any isolate on demand.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use v8_valueserializer as wire;

use crate::error::{Error, Result};
use crate::isolate_state::{interrupted, Interrupted};
use crate::outcome::JsError;

static TOTAL_EXTERNAL: AtomicUsize = AtomicUsize::new(0);

/// V8 wire format header: the version tag and the version (15, V8 13.4's) the serializer
/// writes; `undefined` and `null` are this header plus their one-byte tag.
const WIRE_VERSION_TAG: u8 = 0xFF;
const WIRE_VERSION: u8 = 15;

/// Deepest nesting converted to JSON; deeper values are `not_transferable`.
const MAX_JSON_DEPTH: usize = 256;
/// Largest sparse array converted to JSON.
const MAX_JSON_SPARSE_LENGTH: u32 = 1 << 20;

struct CopyData {
    bytes: Vec<u8>,
    /// SharedArrayBuffers are shared, not copied: every isolate sees the same memory.
    shared: Vec<v8::SharedRef<v8::BackingStore>>,
    /// ArrayBuffers moved out of their isolate ([`crate::Reference::transfer_out`]); taken by
    /// the first materialisation, so transferred memory never ends up in two places.
    transferred: std::sync::Mutex<Option<Vec<v8::SharedRef<v8::BackingStore>>>>,
    /// Made by a transfer (so materialising it twice is refused).
    is_transfer: bool,
    size: usize,
}

impl Drop for CopyData {
    fn drop(&mut self) {
        TOTAL_EXTERNAL.fetch_sub(self.size, Ordering::Relaxed);
    }
}

// SAFETY: the only non-Send/Sync field is `SharedRef<BackingStore>`, a std::shared_ptr to a
// V8 BackingStore, which V8 documents as thread-safe (it is how SharedArrayBuffers are shared
// between isolates on different threads). The bytes are immutable after construction.
unsafe impl Send for CopyData {}
// SAFETY: see above; nothing is mutated through a shared reference.
unsafe impl Sync for CopyData {}

/// A structured-clone copy of a value, owned by the host and usable with any isolate.
#[derive(Clone)]
pub struct ExternalCopy {
    repr: CopyRepr,
}

/// Longest wire form kept inside the handle: a version header and a tagged double.
const INLINE_BYTES: usize = 11;

#[derive(Clone)]
enum CopyRepr {
    /// A number, boolean, null or undefined, held in the handle: a call's primitive result
    /// then costs no allocation on the isolate's thread and no free on the caller's.
    Inline {
        len: u8,
        bytes: [u8; INLINE_BYTES],
    },
    Heap(Arc<CopyData>),
}

impl std::fmt::Debug for ExternalCopy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExternalCopy")
            .field("bytes", &self.wire_bytes().len())
            .field("shared_array_buffers", &self.shared().len())
            .finish()
    }
}

impl ExternalCopy {
    fn from_parts(bytes: Vec<u8>, shared: Vec<v8::SharedRef<v8::BackingStore>>) -> Self {
        let size = bytes.len();
        TOTAL_EXTERNAL.fetch_add(size, Ordering::Relaxed);
        ExternalCopy {
            repr: CopyRepr::Heap(Arc::new(CopyData {
                bytes,
                shared,
                transferred: std::sync::Mutex::new(None),
                is_transfer: false,
                size,
            })),
        }
    }

    /// A primitive's wire bytes, held in the handle.
    fn inline(wire: &[u8]) -> Self {
        let mut bytes = [0; INLINE_BYTES];
        bytes[..wire.len()].copy_from_slice(wire);
        ExternalCopy {
            repr: CopyRepr::Inline {
                len: wire.len() as u8,
                bytes,
            },
        }
    }

    fn shared(&self) -> &[v8::SharedRef<v8::BackingStore>] {
        match &self.repr {
            CopyRepr::Inline { .. } => &[],
            CopyRepr::Heap(data) => &data.shared,
        }
    }

    fn is_transfer(&self) -> bool {
        matches!(&self.repr, CopyRepr::Heap(data) if data.is_transfer)
    }

    /// `undefined`.
    pub fn undefined() -> Self {
        Self::inline(&[WIRE_VERSION_TAG, WIRE_VERSION, b'_'])
    }

    /// `null`.
    pub fn null() -> Self {
        Self::inline(&[WIRE_VERSION_TAG, WIRE_VERSION, b'0'])
    }

    /// Whether both are the same copy (clones of one another), not merely equal values.
    /// Numbers, booleans, null and undefined are held in the handle, where equal values are
    /// indistinguishable: those count as the same copy when their bytes are equal.
    pub fn same_copy(&self, other: &ExternalCopy) -> bool {
        match (&self.repr, &other.repr) {
            (CopyRepr::Heap(a), CopyRepr::Heap(b)) => Arc::ptr_eq(a, b),
            (CopyRepr::Inline { .. }, CopyRepr::Inline { .. }) => {
                self.wire_bytes() == other.wire_bytes()
            }
            _ => false,
        }
    }

    /// Builds a copy from JSON.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the value is too deep or too large for the wire format.
    pub fn from_json(value: &serde_json::Value) -> Result<Self> {
        let mut heap = wire::HeapBuilder::default();
        let v = json_to_wire(&mut heap, value, 0)?;
        let heap = heap
            .build()
            .map_err(|_| Error::InvalidArgument("internal heap build failed".into()))?;
        Self::from_wire(&heap, &v)
    }

    /// A string. Cheaper than [`ExternalCopy::from_json`] of a JSON string: no tree to walk.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the string is too large for the wire format.
    pub fn from_string(text: String) -> Result<Self> {
        Self::from_wire(
            &wire::Heap::default(),
            &wire::Value::String(wire::StringValue::new(text)),
        )
    }

    /// Builds a copy from any serde value (through its JSON form).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when serde fails or the value is too large.
    pub fn from_serde<T: Serialize + ?Sized>(value: &T) -> Result<Self> {
        let json =
            serde_json::to_value(value).map_err(|e| Error::InvalidArgument(e.to_string()))?;
        Self::from_json(&json)
    }

    /// Builds a copy from raw V8 wire-format bytes, validating them first.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the bytes do not parse as V8 wire format.
    pub fn from_wire_bytes(bytes: Vec<u8>) -> Result<Self> {
        wire::ValueDeserializer::default()
            .read(&bytes)
            .map_err(|e| Error::InvalidArgument(format!("malformed wire bytes: {e:?}")))?;
        Ok(Self::from_parts(bytes, Vec::new()))
    }

    fn from_wire(heap: &wire::Heap, value: &wire::Value) -> Result<Self> {
        let bytes = wire::ValueSerializer::default()
            .finish(heap, value)
            .map_err(|e| Error::InvalidArgument(e.to_string()))?;
        Ok(Self::from_parts(bytes, Vec::new()))
    }

    /// The V8 wire-format bytes.
    pub fn wire_bytes(&self) -> &[u8] {
        match &self.repr {
            CopyRepr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            CopyRepr::Heap(data) => &data.bytes,
        }
    }

    /// Bytes held by this copy outside any V8 heap.
    pub fn size(&self) -> usize {
        match &self.repr {
            CopyRepr::Inline { len, .. } => usize::from(*len),
            CopyRepr::Heap(data) => data.size,
        }
    }

    /// Bytes held by all live copies in this process (numbers, booleans, null and undefined
    /// are held in their handles and not counted).
    pub fn total_external_size() -> usize {
        TOTAL_EXTERNAL.load(Ordering::Relaxed)
    }

    /// Converts to JSON with the documented mapping: `undefined`, `NaN` and `±Infinity` become
    /// `null`, BigInt a decimal string, Date an ISO string, Map an array of `[key, value]`,
    /// Set an array, RegExp its `/source/flags` text, typed arrays and ArrayBuffers arrays of
    /// numbers, errors `{name, message, stack}`.
    ///
    /// # Errors
    /// [`Error::NotTransferable`] for cyclic values, values nested deeper than 256 levels and
    /// SharedArrayBuffers.
    pub fn to_json(&self) -> Result<serde_json::Value> {
        if !self.shared().is_empty() {
            return Err(not_transferable("SharedArrayBuffer has no JSON form"));
        }
        let (value, heap) = wire::ValueDeserializer::default()
            .read(self.wire_bytes())
            .map_err(|e| not_transferable(&format!("unreadable copy: {e:?}")))?;
        let mut path = HashSet::new();
        wire_to_json(&heap, &value, &mut path, 0)
    }

    /// Converts to a serde type through [`ExternalCopy::to_json`].
    ///
    /// # Errors
    /// [`Error::NotTransferable`] as for `to_json`, [`Error::InvalidArgument`] when the JSON
    /// does not fit `T`.
    pub fn to_serde<T: DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_value(self.to_json()?).map_err(|e| Error::InvalidArgument(e.to_string()))
    }

    /// Serializes a value living in the current context. Runs the value's getters (structured
    /// clone does), so callers hold a limited call.
    pub(crate) fn serialize(
        tc: &mut v8::TryCatch<v8::HandleScope>,
        value: v8::Local<v8::Value>,
    ) -> Result<Self, Interrupted> {
        match Self::serialize_in(tc, value) {
            Ok(copy) => Ok(copy),
            Err(SerializeFailure::CloneError(message))
                if !(tc.has_terminated() || tc.is_execution_terminating()) =>
            {
                tc.reset();
                Err(Interrupted::NotTransferable(JsError::host(
                    "DataCloneError",
                    message,
                )))
            }
            Err(_) => Err(interrupted(tc)),
        }
    }

    /// Like `serialize`, for callers without a TryCatch (callbacks): on failure an exception
    /// is pending in `scope`, and returning to JavaScript rethrows it.
    pub(crate) fn serialize_in(
        scope: &mut v8::HandleScope,
        value: v8::Local<v8::Value>,
    ) -> Result<Self, SerializeFailure> {
        if let Some(fast) = Self::primitive(scope, value) {
            return Ok(fast);
        }
        let delegate = Rc::new(SerializeDelegate::default());
        let context = scope.get_current_context();
        let written = {
            let serializer =
                v8::ValueSerializer::new(scope, Box::new(SharedDelegate(delegate.clone())));
            use v8::ValueSerializerHelper;
            serializer.write_header();
            let ok = serializer.write_value(context, value);
            ok.map(|_| serializer.release())
        };
        match written {
            Some(bytes) => {
                let shared = delegate.shared.take();
                Ok(Self::from_parts(bytes, shared))
            }
            None => match delegate.clone_error.take() {
                Some(message) => Err(SerializeFailure::CloneError(message)),
                None => Err(SerializeFailure::Pending),
            },
        }
    }

    /// Primitives skip the serializer entirely: they cannot run code and are common. Their
    /// bytes are written here as V8's serializer writes them (pinned by a unit test against
    /// the wire crate and by round trips through V8 in the scripting tests).
    fn primitive(scope: &mut v8::HandleScope, value: v8::Local<v8::Value>) -> Option<Self> {
        if value.is_undefined() {
            return Some(Self::undefined());
        }
        if value.is_null() {
            return Some(Self::null());
        }
        let mut bytes = [0; INLINE_BYTES];
        bytes[..2].copy_from_slice(&[WIRE_VERSION_TAG, WIRE_VERSION]);
        let len = if value.is_boolean() {
            bytes[2] = if value.is_true() { b'T' } else { b'F' };
            3
        } else if value.is_int32() {
            bytes[2] = b'I';
            3 + write_zigzag_i32(&mut bytes[3..], value.int32_value(scope)?)
        } else if value.is_number() {
            bytes[2] = b'N';
            bytes[3..].copy_from_slice(&value.number_value(scope)?.to_le_bytes());
            INLINE_BYTES
        } else {
            return None;
        };
        Some(Self::inline(&bytes[..len]))
    }

    /// Materialises the copy in the current context.
    pub(crate) fn deserialize<'s>(
        &self,
        tc: &mut v8::TryCatch<'s, v8::HandleScope>,
    ) -> Result<v8::Local<'s, v8::Value>, Interrupted> {
        match self.deserialize_in(tc) {
            Some(v) => Ok(v),
            None => Err(interrupted(tc)),
        }
    }

    /// Moves an ArrayBuffer (or a typed array's buffer) out of the current isolate: the
    /// buffer is detached there and its memory travels with the copy.
    pub(crate) fn transfer(
        tc: &mut v8::TryCatch<v8::HandleScope>,
        value: v8::Local<v8::Value>,
    ) -> Result<Self, Interrupted> {
        let buffer = if let Ok(ab) = v8::Local::<v8::ArrayBuffer>::try_from(value) {
            ab
        } else if let Ok(view) = v8::Local::<v8::ArrayBufferView>::try_from(value) {
            view.buffer(tc).ok_or_else(|| interrupted(tc))?
        } else {
            return Err(Interrupted::NotTransferable(JsError::host(
                "DataCloneError",
                "only ArrayBuffers and typed arrays can be transferred",
            )));
        };
        if !buffer.is_detachable() || buffer.was_detached() {
            return Err(Interrupted::NotTransferable(JsError::host(
                "DataCloneError",
                "the ArrayBuffer cannot be detached",
            )));
        }
        let delegate = Rc::new(SerializeDelegate::default());
        let context = tc.get_current_context();
        let bytes = {
            let serializer =
                v8::ValueSerializer::new(tc, Box::new(SharedDelegate(delegate.clone())));
            use v8::ValueSerializerHelper;
            serializer.write_header();
            serializer.transfer_array_buffer(0, buffer);
            serializer
                .write_value(context, value)
                .map(|_| serializer.release())
        };
        let Some(bytes) = bytes else {
            return Err(interrupted(tc));
        };
        let store = buffer.get_backing_store();
        if buffer.detach(None) != Some(true) {
            return Err(interrupted(tc));
        }
        let size = bytes.len() + store.byte_length();
        TOTAL_EXTERNAL.fetch_add(size, Ordering::Relaxed);
        Ok(ExternalCopy {
            repr: CopyRepr::Heap(Arc::new(CopyData {
                bytes,
                shared: delegate.shared.take(),
                transferred: std::sync::Mutex::new(Some(vec![store])),
                is_transfer: true,
                size,
            })),
        })
    }

    /// Whether this copy carries transferred ArrayBuffers that were not materialised yet.
    pub fn holds_transfer(&self) -> bool {
        match &self.repr {
            CopyRepr::Inline { .. } => false,
            CopyRepr::Heap(data) => data
                .transferred
                .lock()
                .map(|t| t.is_some())
                .unwrap_or(false),
        }
    }

    /// Like `deserialize`; `None` leaves an exception pending in `scope`.
    pub(crate) fn deserialize_in<'s>(
        &self,
        scope: &mut v8::HandleScope<'s>,
    ) -> Option<v8::Local<'s, v8::Value>> {
        // A lone string (a room's text, most often) needs no deserializer: building one costs
        // more than the string itself (a C++ object and a global handle per call).
        if self.shared().is_empty() && !self.is_transfer() {
            match plain_string(self.wire_bytes()) {
                Some(WireString::OneByte(latin1)) => {
                    return v8::String::new_from_one_byte(scope, latin1, v8::NewStringType::Normal)
                        .map(Into::into);
                }
                Some(WireString::Utf8(utf8)) => {
                    return v8::String::new_from_utf8(scope, utf8, v8::NewStringType::Normal)
                        .map(Into::into);
                }
                Some(WireString::TwoByte(le)) => {
                    let units: Vec<u16> = le
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    return v8::String::new_from_two_byte(scope, &units, v8::NewStringType::Normal)
                        .map(Into::into);
                }
                None => {}
            }
        }
        let context = scope.get_current_context();
        let delegate = DeserializeDelegate {
            shared: self.shared().to_vec(),
        };
        let transferred = match &self.repr {
            CopyRepr::Inline { .. } => None,
            CopyRepr::Heap(data) => data
                .transferred
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take(),
        };
        if transferred.is_none() && self.is_transfer() {
            let m = v8::String::new(
                scope,
                "DataCloneError: a transferred ArrayBuffer can be materialised only once",
            )?;
            let e = v8::Exception::type_error(scope, m);
            scope.throw_exception(e);
            return None;
        }
        let buffers: Vec<v8::Local<v8::ArrayBuffer>> = transferred
            .iter()
            .flatten()
            .map(|store| v8::ArrayBuffer::with_backing_store(scope, store))
            .collect();
        let deserializer = v8::ValueDeserializer::new(scope, Box::new(delegate), self.wire_bytes());
        use v8::ValueDeserializerHelper;
        for (i, b) in buffers.into_iter().enumerate() {
            deserializer.transfer_array_buffer(i as u32, b);
        }
        match deserializer.read_header(context) {
            Some(true) => deserializer.read_value(context),
            _ => None,
        }
    }
}

/// The contents of wire bytes that hold nothing but one string.
enum WireString<'a> {
    /// Latin-1.
    OneByte(&'a [u8]),
    /// UTF-8 (what Rust strings with non-ASCII characters become).
    Utf8(&'a [u8]),
    /// UTF-16, little-endian.
    TwoByte(&'a [u8]),
}

/// Reads wire bytes of the form `0xFF version [padding…] ('"' | 'S' | 'c') length bytes`, the whole
/// input; anything else is `None` (and goes through V8's deserializer).
fn plain_string(bytes: &[u8]) -> Option<WireString<'_>> {
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

/// Why serialization stopped.
pub(crate) enum SerializeFailure {
    /// A value V8 cannot clone (function, symbol, proxy…); a TypeError is pending.
    CloneError(String),
    /// A getter threw or the call was terminated.
    Pending,
}

fn not_transferable(message: &str) -> Error {
    Error::NotTransferable(JsError::host("DataCloneError", message))
}

#[derive(Default)]
struct SerializeDelegate {
    clone_error: Cell<Option<String>>,
    shared: RefCell<Vec<v8::SharedRef<v8::BackingStore>>>,
}

/// Newtype so the foreign trait can be implemented over a shared delegate.
struct SharedDelegate(Rc<SerializeDelegate>);

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

struct DeserializeDelegate {
    shared: Vec<v8::SharedRef<v8::BackingStore>>,
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

fn json_to_wire(
    heap: &mut wire::HeapBuilder,
    value: &serde_json::Value,
    depth: usize,
) -> Result<wire::Value> {
    if depth > MAX_JSON_DEPTH {
        return Err(Error::InvalidArgument("value nested too deeply".into()));
    }
    Ok(match value {
        serde_json::Value::Null => wire::Value::Null,
        serde_json::Value::Bool(b) => wire::Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => wire::Value::I32(i as i32),
            _ => wire::Value::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => wire::Value::String(wire::StringValue::new(s.clone())),
        serde_json::Value::Array(items) => {
            let mut elements = Vec::with_capacity(items.len());
            for item in items {
                elements.push(Some(json_to_wire(heap, item, depth + 1)?));
            }
            let r = heap.insert(wire::HeapValue::DenseArray(wire::DenseArray {
                elements,
                properties: Vec::new(),
            }));
            wire::Value::HeapReference(r)
        }
        serde_json::Value::Object(map) => {
            let mut properties = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match k.parse::<u32>() {
                    Ok(i) if i.to_string() == *k && i < u32::MAX => wire::PropertyKey::U32(i),
                    _ => wire::PropertyKey::String(wire::StringValue::new(k.clone())),
                };
                properties.push((key, json_to_wire(heap, v, depth + 1)?));
            }
            let r = heap.insert(wire::HeapValue::Object(wire::Object { properties }));
            wire::Value::HeapReference(r)
        }
    })
}

/// JSON has one number type: integral doubles within 2^53 print as integers.
fn number(n: f64) -> serde_json::Value {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.fract() == 0.0 && n.abs() <= EXACT && !(n == 0.0 && n.is_sign_negative()) {
        return serde_json::Value::from(n as i64);
    }
    serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

fn key_text(key: &wire::PropertyKey) -> String {
    match key {
        wire::PropertyKey::I32(i) => i.to_string(),
        wire::PropertyKey::U32(u) => u.to_string(),
        wire::PropertyKey::Double(d) => d.to_string(),
        wire::PropertyKey::String(s) => s.to_string().into_owned(),
    }
}

fn iso_date(ms: Option<i64>) -> serde_json::Value {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|d| serde_json::Value::String(d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
        .unwrap_or(serde_json::Value::Null)
}

fn wire_to_json(
    heap: &wire::Heap,
    value: &wire::Value,
    path: &mut HashSet<wire::HeapReference>,
    depth: usize,
) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    if depth > MAX_JSON_DEPTH {
        return Err(not_transferable("value nested too deeply"));
    }
    let r = match value {
        wire::Value::Undefined | wire::Value::Null => return Ok(J::Null),
        wire::Value::Bool(b) => return Ok(J::Bool(*b)),
        wire::Value::I32(i) => return Ok(J::from(*i)),
        wire::Value::U32(u) => return Ok(J::from(*u)),
        wire::Value::Double(d) => return Ok(number(*d)),
        wire::Value::BigInt(b) => return Ok(J::String(b.to_string())),
        wire::Value::String(s) => return Ok(J::String(s.to_string().into_owned())),
        wire::Value::HeapReference(r) => *r,
    };
    if !path.insert(r) {
        return Err(not_transferable("cyclic value"));
    }
    let obj = |props: &[(wire::PropertyKey, wire::Value)], path: &mut HashSet<_>| -> Result<J> {
        let mut map = serde_json::Map::with_capacity(props.len());
        for (k, v) in props {
            map.insert(key_text(k), wire_to_json(heap, v, path, depth + 1)?);
        }
        Ok(J::Object(map))
    };
    let out = match r
        .try_open(heap)
        .ok_or_else(|| not_transferable("dangling reference"))?
    {
        wire::HeapValue::BooleanObject(b) => J::Bool(*b),
        wire::HeapValue::NumberObject(n) => number(*n),
        wire::HeapValue::BigIntObject(b) => J::String(b.to_string()),
        wire::HeapValue::StringObject(s) => J::String(s.to_string().into_owned()),
        wire::HeapValue::RegExp(re) => {
            J::String(format!("/{}/{}", re.pattern.to_string(), re.flags))
        }
        wire::HeapValue::Date(d) => iso_date(d.ms_since_epoch()),
        wire::HeapValue::Object(o) => obj(&o.properties, path)?,
        wire::HeapValue::DenseArray(a) => {
            let mut out = Vec::with_capacity(a.elements.len());
            for e in &a.elements {
                out.push(match e {
                    Some(v) => wire_to_json(heap, v, path, depth + 1)?,
                    None => J::Null,
                });
            }
            J::Array(out)
        }
        wire::HeapValue::SparseArray(a) => {
            if a.length > MAX_JSON_SPARSE_LENGTH {
                return Err(not_transferable("sparse array too long"));
            }
            let mut out = vec![J::Null; a.length as usize];
            for (k, v) in &a.properties {
                let index = match k {
                    wire::PropertyKey::U32(i) => Some(*i as usize),
                    wire::PropertyKey::I32(i) if *i >= 0 => Some(*i as usize),
                    _ => None,
                };
                if let Some(i) = index.filter(|i| *i < out.len()) {
                    out[i] = wire_to_json(heap, v, path, depth + 1)?;
                }
            }
            J::Array(out)
        }
        wire::HeapValue::Map(m) => {
            let mut out = Vec::with_capacity(m.entries.len());
            for (k, v) in &m.entries {
                out.push(J::Array(vec![
                    wire_to_json(heap, k, path, depth + 1)?,
                    wire_to_json(heap, v, path, depth + 1)?,
                ]));
            }
            J::Array(out)
        }
        wire::HeapValue::Set(s) => {
            let mut out = Vec::with_capacity(s.values.len());
            for v in &s.values {
                out.push(wire_to_json(heap, v, path, depth + 1)?);
            }
            J::Array(out)
        }
        wire::HeapValue::ArrayBuffer(ab) => {
            J::Array(ab.as_u8_slice().iter().map(|b| J::from(*b)).collect())
        }
        wire::HeapValue::ArrayBufferView(view) => view_to_json(heap, view)?,
        wire::HeapValue::Error(e) => {
            let mut map = serde_json::Map::new();
            map.insert("name".into(), J::String(e.name.to_string()));
            map.insert(
                "message".into(),
                J::String(
                    e.message
                        .as_ref()
                        .map(|m| m.to_string().into_owned())
                        .unwrap_or_default(),
                ),
            );
            map.insert(
                "stack".into(),
                J::String(
                    e.stack
                        .as_ref()
                        .map(|m| m.to_string().into_owned())
                        .unwrap_or_default(),
                ),
            );
            J::Object(map)
        }
    };
    path.remove(&r);
    Ok(out)
}

fn view_to_json(heap: &wire::Heap, view: &wire::ArrayBufferView) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    use wire::ArrayBufferViewKind as K;
    let wire::HeapValue::ArrayBuffer(ab) = view
        .buffer
        .try_open(heap)
        .ok_or_else(|| not_transferable("dangling buffer"))?
    else {
        return Err(not_transferable("view over a non-buffer"));
    };
    let width = view.kind.byte_width() as usize;
    let start = view.byte_offset as usize;
    let bytes = ab.as_u8_slice();
    let end = if view.is_length_tracking {
        bytes.len()
    } else {
        start + view.length as usize * width
    };
    let bytes = bytes
        .get(start..end)
        .ok_or_else(|| not_transferable("view out of range"))?;
    if view.kind == K::DataView {
        return Ok(J::Array(bytes.iter().map(|b| J::from(*b)).collect()));
    }
    let items = bytes.chunks_exact(width.max(1)).map(|c| match view.kind {
        K::Int8Array => J::from(c[0] as i8),
        K::Uint8Array | K::Uint8ClampedArray => J::from(c[0]),
        K::Int16Array => J::from(i16::from_le_bytes([c[0], c[1]])),
        K::Uint16Array => J::from(u16::from_le_bytes([c[0], c[1]])),
        K::Int32Array => J::from(i32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        K::Uint32Array => J::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        K::Float32Array => number(f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64),
        K::Float64Array => number(f64::from_le_bytes(c.try_into().unwrap_or([0; 8]))),
        K::BigInt64Array => {
            J::String(i64::from_le_bytes(c.try_into().unwrap_or([0; 8])).to_string())
        }
        K::BigUint64Array => {
            J::String(u64::from_le_bytes(c.try_into().unwrap_or([0; 8])).to_string())
        }
        _ => J::Null,
    });
    Ok(J::Array(items.collect()))
}

/// V8's `WriteZigZag<int32_t>`: zigzag, then base-128 varint, low group first. Writes at
/// most 5 bytes into `out` and returns how many.
fn write_zigzag_i32(out: &mut [u8], v: i32) -> usize {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What the wire crate's serializer writes for `v` (V8's format).
    fn write(v: &wire::Value) -> Vec<u8> {
        wire::ValueSerializer::default()
            .finish(&wire::Heap::default(), v)
            .unwrap_or_default()
    }

    #[test]
    fn primitive_bytes_are_what_the_serializer_writes() {
        for i in [
            0,
            1,
            -1,
            63,
            -64,
            64,
            127,
            128,
            8191,
            1 << 20,
            i32::MAX,
            i32::MIN,
        ] {
            let mut ours = vec![WIRE_VERSION_TAG, WIRE_VERSION, b'I', 0, 0, 0, 0, 0];
            let n = write_zigzag_i32(&mut ours[3..], i);
            ours.truncate(3 + n);
            assert_eq!(ours, write(&wire::Value::I32(i)), "int32 {i}");
        }
        for d in [0.5, -0.0, f64::NAN, f64::INFINITY, 1e300, -2.5e-300] {
            let mut ours = vec![WIRE_VERSION_TAG, WIRE_VERSION, b'N'];
            ours.extend_from_slice(&f64::to_le_bytes(d));
            assert_eq!(ours, write(&wire::Value::Double(d)), "double {d}");
        }
        for b in [true, false] {
            let ours = vec![WIRE_VERSION_TAG, WIRE_VERSION, if b { b'T' } else { b'F' }];
            assert_eq!(ours, write(&wire::Value::Bool(b)), "bool {b}");
        }
    }

    fn bytes_of(copy: Result<ExternalCopy>) -> Vec<u8> {
        copy.map(|c| c.wire_bytes().to_vec()).unwrap_or_default()
    }

    #[test]
    fn undefined_and_null_are_what_the_serializer_writes() {
        assert_eq!(
            ExternalCopy::undefined().wire_bytes(),
            write(&wire::Value::Undefined)
        );
        assert_eq!(ExternalCopy::null().wire_bytes(), write(&wire::Value::Null));
    }

    #[test]
    fn lone_strings_are_recognised_in_both_encodings_and_nothing_else_is() {
        let ascii = bytes_of(ExternalCopy::from_string("hello".into()));
        assert!(matches!(plain_string(&ascii), Some(WireString::OneByte(b)) if b == b"hello"));
        let utf8 = bytes_of(ExternalCopy::from_string("h\u{e9}llo".into()));
        assert!(
            matches!(plain_string(&utf8), Some(WireString::Utf8(b)) if b == "h\u{e9}llo".as_bytes())
        );
        // As V8 writes "\u{65e5}\u{d83d}": version 15, no padding needed, 'c', 4 bytes.
        let wide = [0xFF, 0x0F, b'c', 4, 0xe5, 0x65, 0x3d, 0xd8];
        assert!(matches!(plain_string(&wide), Some(WireString::TwoByte(b)) if b.len() == 4));
        let padded = [0xFF, 0x0F, 0x00, b'c', 2, 0xe5, 0x65];
        assert!(matches!(plain_string(&padded), Some(WireString::TwoByte(b)) if b.len() == 2));
        assert!(plain_string(&[0xFF, 0x0F, b'c', 3, 0xe5, 0x65, 0x3d]).is_none());
        let empty = bytes_of(ExternalCopy::from_string(String::new()));
        assert!(matches!(plain_string(&empty), Some(WireString::OneByte(b)) if b.is_empty()));
        let latin1 = ascii;
        let mut trailing = latin1.clone();
        trailing.push(0);
        assert!(plain_string(&trailing).is_none());
        assert!(plain_string(&latin1[..latin1.len() - 1]).is_none());
        for other in [
            serde_json::json!(["a"]),
            serde_json::json!({"a": "b"}),
            serde_json::json!(7),
        ] {
            assert!(plain_string(&bytes_of(ExternalCopy::from_json(&other))).is_none());
        }
    }
}
