//! Scripting behaviour across the crate boundary: hostile code against the limits, the
//! isolated-vm surface, and what untrusted code can and cannot reach.

mod api;
mod call_batch;
mod caller_thread;
mod hostile;
mod inspector;
mod modules;
mod security;
mod shared_sources;
mod snapshots;
mod support;
mod transfer;
