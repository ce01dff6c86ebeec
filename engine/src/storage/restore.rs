//! `isoshard admin restore`: a backup (`isoshard admin backup`, or any stopped data
//! directory) copied into place as a shard's data directory, checked before and after.

use std::path::{Path, PathBuf};

use super::fsck::fsck;
use crate::error::{EngineError, Result};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The tick the restored shard continues from.
    pub tick: u64,
    /// Where the directory's previous contents were moved (with `force`).
    pub moved_aside: Option<PathBuf>,
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Restores `backup` into `data`. The backup must read in full (`fsck`). A `data` that
/// holds anything is refused unless `force`, which moves it aside to
/// `DATA.before-restore-<unix seconds>` (nothing is deleted); a shard running on it is
/// refused either way (its lock is held).
///
/// # Errors
/// [`EngineError::Usage`] for a damaged backup, an occupied or locked `data`; I/O failures.
pub fn restore(backup: &Path, data: &Path, force: bool) -> Result<Restored> {
    let report = fsck(backup, false)?;
    if !report.is_clean() {
        return Err(EngineError::Usage(format!(
            "the backup {} does not read in full; nothing was restored:\n{report}",
            backup.display()
        )));
    }
    let occupied = std::fs::read_dir(data).is_ok_and(|mut d| d.next().is_some());
    let mut moved_aside = None;
    if occupied {
        if !force {
            return Err(EngineError::Usage(format!(
                "{} is not empty: stop its shard and give --force to move it aside",
                data.display()
            )));
        }
        if data.join("shard.sled").exists() {
            // Opening takes sled's lock: a running shard keeps it.
            super::SledStorage::open(data, false).map_err(|e| {
                EngineError::Usage(format!(
                    "{} cannot be moved aside ({e}); stop its shard first",
                    data.display()
                ))
            })?;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let aside = PathBuf::from(format!("{}.before-restore-{secs}", data.display()));
        std::fs::rename(data, &aside).map_err(EngineError::io(format!(
            "cannot move {} aside",
            data.display()
        )))?;
        moved_aside = Some(aside);
    }
    copy_dir(backup, data).map_err(EngineError::io(format!(
        "cannot copy {} to {}",
        backup.display(),
        data.display()
    )))?;
    let after = fsck(data, false)?;
    if !after.is_clean() {
        return Err(EngineError::Storage(format!(
            "the restored copy in {} does not read in full:\n{after}",
            data.display()
        )));
    }
    Ok(Restored {
        tick: after.intact_through.unwrap_or(0),
        moved_aside,
    })
}
