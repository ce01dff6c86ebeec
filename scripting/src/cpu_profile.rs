//! CPU profiles: a trusted inspector session per running profile, and the DevTools
//! `Profile` format they come back in.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::inspector_channel::InspectorTrust;
use crate::inspector_session::InspectorSession;
use crate::isolate::Isolate;

/// A CPU profile in the DevTools `Profile` format (save it as `.cpuprofile` and load it in
/// Chrome DevTools' Performance panel). Times are microseconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CpuProfile {
    pub nodes: Vec<CpuProfileNode>,
    pub start_time: f64,
    pub end_time: f64,
    #[serde(default)]
    pub samples: Vec<u64>,
    #[serde(default)]
    pub time_deltas: Vec<i64>,
}

/// One call-tree node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CpuProfileNode {
    pub id: u64,
    pub call_frame: CallFrame,
    #[serde(default)]
    pub hit_count: u64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<u64>,
}

/// Where a node's function is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallFrame {
    pub function_name: String,
    pub script_id: String,
    pub url: String,
    pub line_number: i64,
    pub column_number: i64,
}

/// How long host-side profiler calls wait for the home thread (it may be running a call).
const PROFILER_REPLY_TIMEOUT: Duration = Duration::from_secs(30);

impl Isolate {
    /// Starts a CPU profile named `title` (sampling every 100 µs). Profiles with different
    /// titles may overlap. Available whether or not the inspector is enabled.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if a profile with this title is running; [`Error::Disposed`].
    pub fn start_cpu_profiler(&self, title: &str) -> Result<()> {
        let mut running = self.inner.inspector.profiles.lock();
        if running.contains_key(title) {
            return Err(Error::InvalidArgument(format!(
                "a CPU profile titled {title:?} is already running"
            )));
        }
        // Host-side and cheap: exempt from the idle CPU budget of player sessions.
        let session = InspectorSession::connect(self, InspectorTrust::Trusted)?;
        session.call("Profiler.enable", json!({}), PROFILER_REPLY_TIMEOUT)?;
        session.call(
            "Profiler.setSamplingInterval",
            json!({ "interval": 100 }),
            PROFILER_REPLY_TIMEOUT,
        )?;
        session.call("Profiler.start", json!({}), PROFILER_REPLY_TIMEOUT)?;
        running.insert(title.to_string(), session.detach());
        Ok(())
    }

    /// Stops the profile named `title` and returns it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] if no such profile is running; [`Error::Disposed`].
    pub fn stop_cpu_profiler(&self, title: &str) -> Result<CpuProfile> {
        let detached = self
            .inner
            .inspector
            .profiles
            .lock()
            .remove(title)
            .ok_or_else(|| {
                Error::InvalidArgument(format!("no CPU profile titled {title:?} is running"))
            })?;
        let session = InspectorSession::attach(self, detached);
        let result = session.call("Profiler.stop", json!({}), PROFILER_REPLY_TIMEOUT)?;
        serde_json::from_value(result.get("profile").cloned().unwrap_or(Value::Null))
            .map_err(|e| Error::InvalidArgument(format!("unexpected profile shape: {e}")))
    }
}
