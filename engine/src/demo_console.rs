//! What the demo keeps of each player's console: how many lines, the last few, and the lines
//! that read as errors. Most bots catch their own errors and log them, so a bot failing every
//! tick would otherwise show "0 errors".

use std::collections::VecDeque;

use serde::Serialize;

/// Console lines kept per player for the report.
pub const TAIL_LINES: usize = 10;
/// Bytes kept of one line in the report (a stack is a few hundred).
const LINE_BYTES: usize = 2048;

/// One player's console over the demo.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConsoleSummary {
    pub lines: u64,
    /// Lines that read as an error (`TypeError: …`, or a stack with `    at ` frames). The
    /// runtime logs uncaught errors too, so these count here as well.
    pub error_lines: u64,
    pub last_error_line: Option<String>,
    /// The last lines, oldest first.
    pub last_lines: VecDeque<String>,
}

impl ConsoleSummary {
    pub(crate) fn absorb(&mut self, line: &str) {
        self.lines += 1;
        let kept = cut(line);
        if looks_like_error(line) {
            self.error_lines += 1;
            self.last_error_line = Some(kept.clone());
        }
        if self.last_lines.len() == TAIL_LINES {
            self.last_lines.pop_front();
        }
        self.last_lines.push_back(kept);
    }
}

fn cut(line: &str) -> String {
    if line.len() <= LINE_BYTES {
        return line.to_string();
    }
    let mut end = LINE_BYTES;
    while !line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… (cut at {LINE_BYTES} bytes)", &line[..end])
}

/// `Error: …`, `TypeError: …` and the like at the start of the line, or stack frames in it.
pub(crate) fn looks_like_error(line: &str) -> bool {
    let head = line.split(':').next().unwrap_or_default();
    let named = head.ends_with("Error")
        && !head.is_empty()
        && head.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    named || line.contains("\n    at ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_errors_and_stacks_count_and_ordinary_lines_do_not() {
        let mut s = ConsoleSummary::default();
        for line in [
            "harvesting",
            "TypeError: Cannot read properties of undefined (reading 'x')",
            "Error: boom\n    at module.exports.loop (main:4:8)",
            "caught: something\n    at f (util:2:3)",
            "no error here: Error",
            "Errors: 0",
        ] {
            s.absorb(line);
        }
        assert_eq!((s.lines, s.error_lines), (6, 3));
        assert_eq!(
            s.last_error_line.as_deref(),
            Some("caught: something\n    at f (util:2:3)")
        );
        for i in 0..20 {
            s.absorb(&format!("line {i}"));
        }
        assert_eq!(s.last_lines.len(), TAIL_LINES);
        assert_eq!(s.last_lines.back().map(String::as_str), Some("line 19"));
        s.absorb(&"é".repeat(5000));
        assert!(s
            .last_lines
            .back()
            .unwrap()
            .ends_with("(cut at 2048 bytes)"));
    }
}
