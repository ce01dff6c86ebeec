//! JSON to and from the wire format, bounded in depth and sparse-array length.

use std::collections::HashSet;

use v8_valueserializer as wire_format;

use super::wire::not_transferable;
use crate::error::{Error, Result};

/// Deepest nesting converted to JSON; deeper values are `not_transferable`.
const MAX_JSON_DEPTH: usize = 256;
/// Largest sparse array converted to JSON.
const MAX_JSON_SPARSE_LENGTH: u32 = 1 << 20;

pub(super) fn json_to_wire(
    heap: &mut wire_format::HeapBuilder,
    value: &serde_json::Value,
    depth: usize,
) -> Result<wire_format::Value> {
    if depth > MAX_JSON_DEPTH {
        return Err(Error::InvalidArgument("value nested too deeply".into()));
    }
    Ok(match value {
        serde_json::Value::Null => wire_format::Value::Null,
        serde_json::Value::Bool(b) => wire_format::Value::Bool(*b),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) if i32::try_from(i).is_ok() => wire_format::Value::I32(i as i32),
            _ => wire_format::Value::Double(n.as_f64().unwrap_or(f64::NAN)),
        },
        serde_json::Value::String(s) => {
            wire_format::Value::String(wire_format::StringValue::new(s.clone()))
        }
        serde_json::Value::Array(items) => {
            let mut elements = Vec::with_capacity(items.len());
            for item in items {
                elements.push(Some(json_to_wire(heap, item, depth + 1)?));
            }
            let r = heap.insert(wire_format::HeapValue::DenseArray(
                wire_format::DenseArray {
                    elements,
                    properties: Vec::new(),
                },
            ));
            wire_format::Value::HeapReference(r)
        }
        serde_json::Value::Object(map) => {
            let mut properties = Vec::with_capacity(map.len());
            for (k, v) in map {
                let key = match k.parse::<u32>() {
                    Ok(i) if i.to_string() == *k && i < u32::MAX => {
                        wire_format::PropertyKey::U32(i)
                    }
                    _ => wire_format::PropertyKey::String(wire_format::StringValue::new(k.clone())),
                };
                properties.push((key, json_to_wire(heap, v, depth + 1)?));
            }
            let r = heap.insert(wire_format::HeapValue::Object(wire_format::Object {
                properties,
            }));
            wire_format::Value::HeapReference(r)
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

fn key_text(key: &wire_format::PropertyKey) -> String {
    match key {
        wire_format::PropertyKey::I32(i) => i.to_string(),
        wire_format::PropertyKey::U32(u) => u.to_string(),
        wire_format::PropertyKey::Double(d) => d.to_string(),
        wire_format::PropertyKey::String(s) => s.to_string().into_owned(),
    }
}

fn iso_date(ms: Option<i64>) -> serde_json::Value {
    ms.and_then(chrono::DateTime::from_timestamp_millis)
        .map(|d| serde_json::Value::String(d.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
        .unwrap_or(serde_json::Value::Null)
}

pub(super) fn wire_to_json(
    heap: &wire_format::Heap,
    value: &wire_format::Value,
    path: &mut HashSet<wire_format::HeapReference>,
    depth: usize,
) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    if depth > MAX_JSON_DEPTH {
        return Err(not_transferable("value nested too deeply"));
    }
    let r = match value {
        wire_format::Value::Undefined | wire_format::Value::Null => return Ok(J::Null),
        wire_format::Value::Bool(b) => return Ok(J::Bool(*b)),
        wire_format::Value::I32(i) => return Ok(J::from(*i)),
        wire_format::Value::U32(u) => return Ok(J::from(*u)),
        wire_format::Value::Double(d) => return Ok(number(*d)),
        wire_format::Value::BigInt(b) => return Ok(J::String(b.to_string())),
        wire_format::Value::String(s) => return Ok(J::String(s.to_string().into_owned())),
        wire_format::Value::HeapReference(r) => *r,
    };
    if !path.insert(r) {
        return Err(not_transferable("cyclic value"));
    }
    let obj = |props: &[(wire_format::PropertyKey, wire_format::Value)],
               path: &mut HashSet<_>|
     -> Result<J> {
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
        wire_format::HeapValue::BooleanObject(b) => J::Bool(*b),
        wire_format::HeapValue::NumberObject(n) => number(*n),
        wire_format::HeapValue::BigIntObject(b) => J::String(b.to_string()),
        wire_format::HeapValue::StringObject(s) => J::String(s.to_string().into_owned()),
        wire_format::HeapValue::RegExp(re) => {
            J::String(format!("/{}/{}", re.pattern.to_string(), re.flags))
        }
        wire_format::HeapValue::Date(d) => iso_date(d.ms_since_epoch()),
        wire_format::HeapValue::Object(o) => obj(&o.properties, path)?,
        wire_format::HeapValue::DenseArray(a) => {
            let mut out = Vec::with_capacity(a.elements.len());
            for e in &a.elements {
                out.push(match e {
                    Some(v) => wire_to_json(heap, v, path, depth + 1)?,
                    None => J::Null,
                });
            }
            J::Array(out)
        }
        wire_format::HeapValue::SparseArray(a) => {
            if a.length > MAX_JSON_SPARSE_LENGTH {
                return Err(not_transferable("sparse array too long"));
            }
            let mut out = vec![J::Null; a.length as usize];
            for (k, v) in &a.properties {
                let index = match k {
                    wire_format::PropertyKey::U32(i) => Some(*i as usize),
                    wire_format::PropertyKey::I32(i) if *i >= 0 => Some(*i as usize),
                    _ => None,
                };
                if let Some(i) = index.filter(|i| *i < out.len()) {
                    out[i] = wire_to_json(heap, v, path, depth + 1)?;
                }
            }
            J::Array(out)
        }
        wire_format::HeapValue::Map(m) => {
            let mut out = Vec::with_capacity(m.entries.len());
            for (k, v) in &m.entries {
                out.push(J::Array(vec![
                    wire_to_json(heap, k, path, depth + 1)?,
                    wire_to_json(heap, v, path, depth + 1)?,
                ]));
            }
            J::Array(out)
        }
        wire_format::HeapValue::Set(s) => {
            let mut out = Vec::with_capacity(s.values.len());
            for v in &s.values {
                out.push(wire_to_json(heap, v, path, depth + 1)?);
            }
            J::Array(out)
        }
        wire_format::HeapValue::ArrayBuffer(ab) => {
            J::Array(ab.as_u8_slice().iter().map(|b| J::from(*b)).collect())
        }
        wire_format::HeapValue::ArrayBufferView(view) => view_to_json(heap, view)?,
        wire_format::HeapValue::Error(e) => {
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

fn view_to_json(
    heap: &wire_format::Heap,
    view: &wire_format::ArrayBufferView,
) -> Result<serde_json::Value> {
    use serde_json::Value as J;
    use wire_format::ArrayBufferViewKind as K;
    let wire_format::HeapValue::ArrayBuffer(ab) = view
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

/// The bytes of an ArrayBuffer or of a Uint8Array / Uint8ClampedArray view.
pub(super) fn byte_contents(
    heap: &wire_format::Heap,
    value: &wire_format::Value,
) -> Option<Vec<u8>> {
    use wire_format::ArrayBufferViewKind as K;
    let wire_format::Value::HeapReference(r) = value else {
        return None;
    };
    match r.try_open(heap)? {
        wire_format::HeapValue::ArrayBuffer(ab) => Some(ab.as_u8_slice().to_vec()),
        wire_format::HeapValue::ArrayBufferView(view)
            if matches!(view.kind, K::Uint8Array | K::Uint8ClampedArray) =>
        {
            let wire_format::HeapValue::ArrayBuffer(ab) = view.buffer.try_open(heap)? else {
                return None;
            };
            let bytes = ab.as_u8_slice();
            let start = view.byte_offset as usize;
            let end = if view.is_length_tracking {
                bytes.len()
            } else {
                start.checked_add(view.length as usize)?
            };
            bytes.get(start..end).map(<[u8]>::to_vec)
        }
        _ => None,
    }
}
