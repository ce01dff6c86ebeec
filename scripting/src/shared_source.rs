//! `SharedSource`: script text that every isolate of the process compiles from one copy.
//!
//! A script compiled from an ordinary string keeps its source in the isolate's heap for as
//! long as any of its functions lives (V8 needs it for lazy compilation and
//! `Function.prototype.toString`): a 400 KB library costs every isolate 400 KB, or 800 KB
//! when one character outside Latin-1 makes V8 store it as UTF-16. A shared source is a V8
//! external string over memory that outlives every isolate, so each isolate holds only a
//! pointer to it.

/// Text for [`crate::Isolate::compile_shared_script`]. Cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct SharedSource {
    text: SharedText,
}

#[derive(Debug, Clone, Copy)]
enum SharedText {
    /// ASCII or Latin-1 bytes, as V8 reads one-byte strings.
    Latin1(&'static [u8]),
    Utf16(&'static [u16]),
}

impl SharedSource {
    /// Shares `text`, which lives as long as the process (sources built into the binary).
    /// ASCII text is used in place; other text is converted once (to Latin-1 when every
    /// character fits, else UTF-16) and the copy is kept for the life of the process, so make
    /// one `SharedSource` per text (in a `OnceLock`), not one per isolate.
    pub fn new(text: &'static str) -> SharedSource {
        let text = if text.is_ascii() {
            SharedText::Latin1(text.as_bytes())
        } else if text.chars().all(|c| u32::from(c) <= 0xFF) {
            let latin1: Vec<u8> = text.chars().map(|c| c as u8).collect();
            SharedText::Latin1(Box::leak(latin1.into_boxed_slice()))
        } else {
            let utf16: Vec<u16> = text.encode_utf16().collect();
            SharedText::Utf16(Box::leak(utf16.into_boxed_slice()))
        };
        SharedSource { text }
    }

    /// Characters (UTF-16 code units, as JavaScript counts them).
    pub fn len(&self) -> usize {
        match self.text {
            SharedText::Latin1(b) => b.len(),
            SharedText::Utf16(u) => u.len(),
        }
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text as an external V8 string of the scope's isolate.
    pub(crate) fn to_v8<'s>(
        self,
        scope: &mut v8::HandleScope<'s, ()>,
    ) -> Option<v8::Local<'s, v8::String>> {
        match self.text {
            SharedText::Latin1(b) => v8::String::new_external_onebyte_static(scope, b),
            SharedText::Utf16(u) => v8::String::new_external_twobyte_static(scope, u),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_used_in_place_and_other_text_is_converted_to_what_v8_reads() {
        let ascii: &'static str = "var x = 1;";
        let shared = SharedSource::new(ascii);
        assert!(matches!(shared.text, SharedText::Latin1(b) if std::ptr::eq(b, ascii.as_bytes())));
        let latin1 = SharedSource::new("'déjà'");
        assert!(matches!(latin1.text, SharedText::Latin1(b) if b == b"'d\xe9j\xe0'"));
        let wide = SharedSource::new("'1–8 →'");
        assert!(matches!(wide.text, SharedText::Utf16(_)));
        assert_eq!(wide.len(), 7);
    }
}
