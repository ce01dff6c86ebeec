//! How a world is created.

use serde::{Deserialize, Serialize};

/// How a world is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorldConfig {
    pub seed: u64,
    /// Rooms along x.
    pub width: u32,
    /// Rooms along y.
    pub height: u32,
}

impl Default for WorldConfig {
    fn default() -> Self {
        WorldConfig {
            seed: 1,
            width: 3,
            height: 3,
        }
    }
}
