//! How a subcommand fails: one line on stderr naming it, and an exit code.

use std::process::ExitCode;

pub(crate) fn failed(command: &str, e: impl std::fmt::Display, code: u8) -> ExitCode {
    eprintln!("isoshard {command}: {e}");
    ExitCode::from(code)
}
