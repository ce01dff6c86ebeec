//! Cross-crate tests live in this package's test targets (`scripting`, `shard`); the library
//! is empty on purpose.
