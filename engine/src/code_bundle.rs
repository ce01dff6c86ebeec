//! A player's code: a map of CommonJS modules with `main` as the entry point.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// Total source bytes accepted per upload.
pub const MAX_CODE_BYTES: usize = 5 << 20;
/// Modules accepted per upload.
pub const MAX_MODULES: usize = 1000;

/// Validated module sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeBundle {
    pub modules: BTreeMap<String, String>,
}

impl CodeBundle {
    /// Validates a module map: a `main` module, names of `[A-Za-z0-9_.-/]` up to 100 bytes
    /// (a leading `./` and a trailing `.js` are stripped), at most 1000 modules and 5 MiB.
    ///
    /// # Errors
    /// [`EngineError::InvalidCode`] naming what is wrong.
    pub fn new(modules: BTreeMap<String, String>) -> Result<Self> {
        if modules.len() > MAX_MODULES {
            return Err(EngineError::InvalidCode(format!(
                "{} modules; at most {MAX_MODULES}",
                modules.len()
            )));
        }
        let mut out = BTreeMap::new();
        let mut total = 0;
        for (name, source) in modules {
            let clean = name.strip_prefix("./").unwrap_or(&name);
            let clean = clean.strip_suffix(".js").unwrap_or(clean).to_string();
            let ok = !clean.is_empty()
                && clean.len() <= 100
                && clean
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-/".contains(c))
                && !clean.split('/').any(|p| p.is_empty() || p == "..");
            if !ok {
                return Err(EngineError::InvalidCode(format!(
                    "invalid module name {name:?}"
                )));
            }
            total += source.len();
            if total > MAX_CODE_BYTES {
                return Err(EngineError::InvalidCode(format!(
                    "code exceeds {MAX_CODE_BYTES} bytes"
                )));
            }
            if out.insert(clean.clone(), source).is_some() {
                return Err(EngineError::InvalidCode(format!(
                    "module {clean:?} given twice"
                )));
            }
        }
        if !out.contains_key("main") {
            return Err(EngineError::InvalidCode("no `main` module".into()));
        }
        Ok(CodeBundle { modules: out })
    }

    /// Loads every `.js` file of a directory (not recursive) as a module.
    ///
    /// # Errors
    /// [`EngineError::Io`] when the directory cannot be read; as [`CodeBundle::new`].
    pub fn from_dir(dir: &Path) -> Result<Self> {
        let entries = std::fs::read_dir(dir).map_err(|e| {
            EngineError::io(format!("cannot read bot directory {}", dir.display()))(e)
        })?;
        let mut modules = BTreeMap::new();
        for entry in entries {
            let path = entry
                .map_err(EngineError::io(format!("reading {}", dir.display())))?
                .path();
            if path.extension().and_then(|e| e.to_str()) != Some("js") {
                continue;
            }
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let source = std::fs::read_to_string(&path)
                .map_err(EngineError::io(format!("cannot read {}", path.display())))?;
            modules.insert(name, source);
        }
        Self::new(modules)
    }

    /// Content hash, for telling versions apart.
    pub fn hash(&self) -> String {
        let bytes = rmp_serde::to_vec(&self.modules).unwrap_or_default();
        blake3::hash(&bytes).to_hex()[..16].to_string()
    }
}

/// The sample bots shipped with the binary.
pub fn sample_bots() -> Vec<(&'static str, CodeBundle)> {
    let bundle = |files: &[(&str, &str)]| {
        CodeBundle::new(
            files
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
        )
        .expect("sample bots are valid")
    };
    vec![
        (
            "harvester-upgrader",
            bundle(&[
                (
                    "main",
                    include_str!("../../player-api/examples/harvester-upgrader/main.js"),
                ),
                (
                    "roles",
                    include_str!("../../player-api/examples/harvester-upgrader/roles.js"),
                ),
            ]),
        ),
        (
            "miner-hauler",
            bundle(&[(
                "main",
                include_str!("../../player-api/examples/miner-hauler/main.js"),
            )]),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn names_are_normalised_and_validated() {
        let b = CodeBundle::new(m(&[("./main.js", "x"), ("lib/util", "y")])).unwrap();
        assert_eq!(
            b.modules.keys().collect::<Vec<_>>(),
            vec!["lib/util", "main"]
        );
        for bad in ["../etc", "a b", "", "x//y", "é"] {
            assert!(
                CodeBundle::new(m(&[("main", ""), (bad, "")])).is_err(),
                "{bad:?}"
            );
        }
        assert!(CodeBundle::new(m(&[("other", "")])).is_err());
        assert!(CodeBundle::new(m(&[("main", ""), ("main.js", "")])).is_err());
        let big = "x".repeat(MAX_CODE_BYTES + 1);
        assert!(CodeBundle::new(m(&[("main", &big)])).is_err());
    }
}
