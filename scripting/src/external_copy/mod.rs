//! `ExternalCopy`: a value copied out of any isolate (or built from Rust), held outside every
//! V8 heap as V8's own structured-clone wire format, and copied into any isolate on demand.
//!
//! The handle and its conversions are here; `wire.rs` reads and writes the wire bytes the
//! fast paths need and holds V8's serializer delegates; `json.rs` converts to and from JSON.

mod json;
mod wire;

use std::collections::HashSet;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use v8_valueserializer as wire_format;

use crate::error::{Error, Result};
use crate::isolate_state::{interrupted, Interrupted};
use crate::outcome::JsError;
use json::{json_to_wire, wire_to_json};
pub(crate) use wire::SerializeFailure;
use wire::{
    not_transferable, plain_string, write_zigzag_i32, DeserializeDelegate, SerializeDelegate,
    SharedDelegate, WireString, WIRE_VERSION, WIRE_VERSION_TAG,
};

static TOTAL_EXTERNAL: AtomicUsize = AtomicUsize::new(0);

struct CopyData {
    bytes: Vec<u8>,
    /// SharedArrayBuffers are shared, not copied: every isolate sees the same memory.
    shared: Vec<v8::SharedRef<v8::BackingStore>>,
    /// ArrayBuffers moved out of their isolate ([`crate::Reference::transfer_out`]); taken by
    /// the first materialisation, so transferred memory never ends up in two places.
    transferred: parking_lot::Mutex<Option<Vec<v8::SharedRef<v8::BackingStore>>>>,
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
                transferred: parking_lot::Mutex::new(None),
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
        let mut heap = wire_format::HeapBuilder::default();
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
            &wire_format::Heap::default(),
            &wire_format::Value::String(wire_format::StringValue::new(text)),
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
        wire_format::ValueDeserializer::default()
            .read(&bytes)
            .map_err(|e| Error::InvalidArgument(format!("malformed wire bytes: {e:?}")))?;
        Ok(Self::from_parts(bytes, Vec::new()))
    }

    fn from_wire(heap: &wire_format::Heap, value: &wire_format::Value) -> Result<Self> {
        let bytes = wire_format::ValueSerializer::default()
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
        let (value, heap) = wire_format::ValueDeserializer::default()
            .read(self.wire_bytes())
            .map_err(|e| not_transferable(&format!("unreadable copy: {e:?}")))?;
        let mut path = HashSet::new();
        wire_to_json(&heap, &value, &mut path, 0)
    }

    /// The bytes of an ArrayBuffer, a Uint8Array or a Uint8ClampedArray, without going through
    /// JSON (2 500 cost-matrix bytes as JSON numbers cost ~20x more); `None` for anything else.
    pub fn to_bytes(&self) -> Option<Vec<u8>> {
        if !self.shared().is_empty() {
            return None;
        }
        let (value, heap) = wire_format::ValueDeserializer::default()
            .read(self.wire_bytes())
            .ok()?;
        json::byte_contents(&heap, &value)
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
                transferred: parking_lot::Mutex::new(Some(vec![store])),
                is_transfer: true,
                size,
            })),
        })
    }

    /// Whether this copy carries transferred ArrayBuffers that were not materialised yet.
    pub fn holds_transfer(&self) -> bool {
        match &self.repr {
            CopyRepr::Inline { .. } => false,
            CopyRepr::Heap(data) => data.transferred.lock().is_some(),
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
            CopyRepr::Heap(data) => data.transferred.lock().take(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use wire::{plain_string, write_zigzag_i32, WireString};

    /// What the wire crate's serializer writes for `v` (V8's format).
    fn write(v: &wire_format::Value) -> Vec<u8> {
        wire_format::ValueSerializer::default()
            .finish(&wire_format::Heap::default(), v)
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
            assert_eq!(ours, write(&wire_format::Value::I32(i)), "int32 {i}");
        }
        for d in [0.5, -0.0, f64::NAN, f64::INFINITY, 1e300, -2.5e-300] {
            let mut ours = vec![WIRE_VERSION_TAG, WIRE_VERSION, b'N'];
            ours.extend_from_slice(&f64::to_le_bytes(d));
            assert_eq!(ours, write(&wire_format::Value::Double(d)), "double {d}");
        }
        for b in [true, false] {
            let ours = vec![WIRE_VERSION_TAG, WIRE_VERSION, if b { b'T' } else { b'F' }];
            assert_eq!(ours, write(&wire_format::Value::Bool(b)), "bool {b}");
        }
    }

    fn bytes_of(copy: Result<ExternalCopy>) -> Vec<u8> {
        copy.map(|c| c.wire_bytes().to_vec()).unwrap_or_default()
    }

    #[test]
    fn undefined_and_null_are_what_the_serializer_writes() {
        assert_eq!(
            ExternalCopy::undefined().wire_bytes(),
            write(&wire_format::Value::Undefined)
        );
        assert_eq!(
            ExternalCopy::null().wire_bytes(),
            write(&wire_format::Value::Null)
        );
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
