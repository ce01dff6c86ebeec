//! `isoshard sandbox`: run files in order in one isolate and one context, one JSON report each.
//!
//! The isolate runs in a child process ([`run_sandbox_in_child`], `isoshard sandbox
//! --in-process`): a V8 fatal error or a CPU overrun in code V8 cannot interrupt ends the
//! child, and the file that did it is reported `crashed`, the rest `disposed`. The child also
//! ends itself after 250 ms of CPU past the limit, so a builtin that ignores termination
//! (`new Array(1e8).fill(0)`) stops there instead of running for tens of seconds.

use std::io::BufRead;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::Duration;

use isoshard_scripting::{
    Error as ScriptError, Isolate, IsolateOptions, OutcomeKind, RunOptions, RunOutcome,
};
use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// Options for [`run_sandbox`].
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Memory limit of the one isolate, in MiB.
    pub memory_limit_mb: usize,
    /// CPU limit per file.
    pub cpu_limit: Duration,
    /// Wall limit per file (default: twice the CPU limit; 5 minutes with `inspect`, so a
    /// person can step through a file).
    pub wall_limit: Option<Duration>,
    /// Serve the Chrome DevTools Protocol here and wait for a debugger before running.
    pub inspect: Option<std::net::SocketAddr>,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            memory_limit_mb: 128,
            cpu_limit: Duration::from_millis(1000),
            wall_limit: None,
            inspect: None,
        }
    }
}

/// The error part of a report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportError {
    pub name: String,
    pub message: String,
    pub stack: String,
}

/// One file's result, as printed with `--json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SandboxReport {
    pub file: String,
    pub outcome: OutcomeKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ReportError>,
    pub cpu_time_ns: u64,
    pub wall_time_ns: u64,
    pub heap_used_bytes: usize,
}

impl SandboxReport {
    /// A one-line human summary.
    pub fn human(&self) -> String {
        let detail = match (&self.value, &self.error) {
            (Some(v), _) => v.to_string(),
            (_, Some(e)) if !e.message.is_empty() => format!("{}: {}", e.name, e.message),
            (_, Some(e)) => e.name.clone(),
            _ => String::new(),
        };
        format!(
            "{}: {} {} (cpu {:.1} ms, wall {:.1} ms, heap {:.1} MiB)",
            self.file,
            self.outcome.as_str(),
            detail,
            self.cpu_time_ns as f64 / 1e6,
            self.wall_time_ns as f64 / 1e6,
            self.heap_used_bytes as f64 / (1 << 20) as f64
        )
    }
}

fn limit_error(kind: OutcomeKind, options: &SandboxOptions) -> ReportError {
    let wall = options.wall_limit.unwrap_or(options.cpu_limit * 2);
    let (name, message) = match kind {
        OutcomeKind::CpuLimit => (
            "CpuLimit",
            format!(
                "CPU time limit of {} ms exceeded",
                options.cpu_limit.as_millis()
            ),
        ),
        OutcomeKind::WallLimit => (
            "WallLimit",
            format!("wall-clock limit of {} ms exceeded", wall.as_millis()),
        ),
        OutcomeKind::MemoryLimit => (
            "MemoryLimit",
            format!(
                "memory limit of {} MiB exceeded; isolate disposed",
                options.memory_limit_mb
            ),
        ),
        _ => ("Disposed", "isolate was disposed".to_string()),
    };
    ReportError {
        name: name.into(),
        message,
        stack: String::new(),
    }
}

/// Wall limit per file under `--inspect` unless one is given.
const INSPECT_WALL_LIMIT: Duration = Duration::from_secs(300);

/// Serves the CDP endpoint on a runtime of its own, prints the DevTools URL and blocks until
/// a client sends `Runtime.runIfWaitingForDebugger`.
fn wait_for_debugger(
    addr: std::net::SocketAddr,
    isolate: &Isolate,
) -> Result<(
    tokio::runtime::Runtime,
    crate::inspector_endpoint::InspectorEndpoint,
)> {
    use crate::inspector_endpoint::{InspectorEndpoint, InspectorTarget};
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .map_err(EngineError::io("cannot start the inspector runtime"))?;
    let endpoint = runtime.block_on(InspectorEndpoint::bind(addr))?;
    endpoint.add_target(
        "sandbox",
        InspectorTarget {
            title: "isoshard sandbox".into(),
            source: crate::inspector_endpoint::TargetSource::Isolate(isolate.clone()),
            trust: isoshard_scripting::InspectorTrust::Untrusted,
            authorize: None,
        },
    );
    // Tools and tests read these lines.
    eprintln!("isoshard inspector on ws://{}/ws/sandbox", endpoint.addr());
    eprintln!("open in Chrome: {}", endpoint.devtools_url("sandbox"));
    runtime.block_on(endpoint.wait_for_debugger("sandbox"))?;
    Ok((runtime, endpoint))
}

/// Every file's name and text: a missing file is a usage error before anything runs.
fn read_sources(files: &[PathBuf]) -> Result<Vec<(String, String)>> {
    let mut sources = Vec::with_capacity(files.len());
    for f in files {
        let code = std::fs::read_to_string(f)
            .map_err(EngineError::io(format!("cannot read {}", f.display())))?;
        sources.push((f.display().to_string(), code));
    }
    Ok(sources)
}

/// Reads every file first, then runs them in order in one isolate and one context in this
/// process, handing each report to `on_report` as soon as it is known.
///
/// # Errors
/// [`EngineError::Usage`] for unreadable files or invalid options.
pub fn run_sandbox(
    files: &[PathBuf],
    options: &SandboxOptions,
    on_report: &mut dyn FnMut(&SandboxReport),
) -> Result<()> {
    let sources = read_sources(files)?;
    let isolate = Isolate::new(IsolateOptions {
        memory_limit_mb: options.memory_limit_mb,
        inspector: options.inspect.is_some(),
        dedicated_thread: options.inspect.is_some(),
        ..IsolateOptions::default()
    })
    .map_err(|e| EngineError::Usage(e.to_string()))?;
    let context = isolate.create_context()?;
    // Kept alive until every file ran: dropping it stops the endpoint.
    let debugger = match options.inspect {
        Some(addr) => Some(wait_for_debugger(addr, &isolate)?),
        None => None,
    };
    let wall_limit = match (options.wall_limit, options.inspect) {
        (Some(w), _) => Some(w),
        (None, Some(_)) => Some(INSPECT_WALL_LIMIT),
        (None, None) => None,
    };
    for (file, code) in sources {
        let run_options = RunOptions {
            cpu_limit: Some(options.cpu_limit),
            wall_limit,
            filename: Some(file.clone()),
            heap_statistics: true,
            ..RunOptions::default()
        };
        let report = match context.eval(&code, &run_options) {
            Ok(run) => {
                let (outcome, value, error) = match run.outcome {
                    RunOutcome::Ok(copy) => match copy.to_json() {
                        Ok(v) => (OutcomeKind::Ok, Some(v), None),
                        Err(ScriptError::NotTransferable(e)) => (
                            OutcomeKind::NotTransferable,
                            None,
                            Some(ReportError {
                                name: e.name,
                                message: e.message,
                                stack: e.stack,
                            }),
                        ),
                        Err(e) => (
                            OutcomeKind::NotTransferable,
                            None,
                            Some(ReportError {
                                name: "DataCloneError".into(),
                                message: e.to_string(),
                                stack: String::new(),
                            }),
                        ),
                    },
                    other => {
                        let kind = other.kind();
                        let error = match other.error() {
                            Some(e) => ReportError {
                                name: e.name.clone(),
                                message: e.message.clone(),
                                stack: e.stack.clone(),
                            },
                            None => limit_error(kind, options),
                        };
                        (kind, None, Some(error))
                    }
                };
                SandboxReport {
                    file,
                    outcome,
                    value,
                    error,
                    cpu_time_ns: run.cpu_time.as_nanos() as u64,
                    wall_time_ns: run.wall_time.as_nanos() as u64,
                    heap_used_bytes: run.heap_used_bytes,
                }
            }
            Err(ScriptError::Disposed) => SandboxReport {
                file,
                outcome: OutcomeKind::Disposed,
                value: None,
                error: Some(limit_error(OutcomeKind::Disposed, options)),
                cpu_time_ns: 0,
                wall_time_ns: 0,
                heap_used_bytes: 0,
            },
            Err(e) => return Err(EngineError::Scripting(e)),
        };
        on_report(&report);
    }
    isolate.dispose();
    if let Some((runtime, endpoint)) = debugger {
        // The client still has to see what the last file printed.
        runtime.block_on(endpoint.finish(Duration::from_secs(5)));
    }
    Ok(())
}

/// Runs the files like [`run_sandbox`], but in a child process started from `exe` (this
/// binary: `exe sandbox --in-process --json …`), so that nothing the code does can take this
/// process down. A child that dies before reporting every file gives the file it was running
/// the outcome `crashed` (saying how it died) and every later file `disposed`.
///
/// # Errors
/// [`EngineError::Usage`] for unreadable files, invalid options or a child that refuses them;
/// [`EngineError::Io`] when the child cannot be started.
pub fn run_sandbox_in_child(
    exe: &Path,
    files: &[PathBuf],
    options: &SandboxOptions,
    on_report: &mut dyn FnMut(&SandboxReport),
) -> Result<()> {
    read_sources(files)?;
    if options.memory_limit_mb < isoshard_scripting::MIN_MEMORY_LIMIT_MB {
        return Err(EngineError::Usage(format!(
            "memory_limit_mb must be at least {}, got {}",
            isoshard_scripting::MIN_MEMORY_LIMIT_MB,
            options.memory_limit_mb
        )));
    }
    let mut cmd = Command::new(exe);
    cmd.args(["sandbox", "--in-process", "--json"])
        .args(["--memory-limit-mb", &options.memory_limit_mb.to_string()])
        .args(["--timeout-ms", &options.cpu_limit.as_millis().to_string()]);
    if let Some(w) = options.wall_limit {
        cmd.args(["--wall-timeout-ms", &w.as_millis().to_string()]);
    }
    if let Some(addr) = options.inspect {
        cmd.args(["--inspect", &addr.to_string()]);
    }
    cmd.arg("--").args(files);
    cmd.stdin(Stdio::null()).stdout(Stdio::piped());
    // SAFETY: only async-signal-safe calls (prctl, setrlimit) between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            // Die with the CLI; no core dumps of hostile heaps.
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            let zero = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
            Ok(())
        });
    }
    let mut child = cmd
        .spawn()
        .map_err(EngineError::io("cannot start the sandbox process"))?;
    let mut reported = 0;
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            let Ok(report) = serde_json::from_str::<SandboxReport>(&line) else {
                break;
            };
            on_report(&report);
            reported += 1;
        }
    }
    let status = child
        .wait()
        .map_err(EngineError::io("cannot wait for the sandbox process"))?;
    if reported == files.len() {
        return Ok(());
    }
    if reported == 0 && status.code() == Some(2) {
        return Err(EngineError::Usage(
            "the sandbox process refused its options (see its message above)".into(),
        ));
    }
    for (i, f) in files.iter().enumerate().skip(reported) {
        let error = if i == reported {
            ReportError {
                name: "Crashed".into(),
                message: how_it_died(status),
                stack: String::new(),
            }
        } else {
            limit_error(OutcomeKind::Disposed, options)
        };
        on_report(&SandboxReport {
            file: f.display().to_string(),
            outcome: if i == reported {
                OutcomeKind::Crashed
            } else {
                OutcomeKind::Disposed
            },
            value: None,
            error: Some(error),
            cpu_time_ns: 0,
            wall_time_ns: 0,
            heap_used_bytes: 0,
        });
    }
    Ok(())
}

/// A crashed file's message: how the sandbox process ended.
fn how_it_died(status: ExitStatus) -> String {
    if status.code() == Some(crate::runner::EXIT_CPU_OVERRUN) {
        return format!(
            "ran {} ms of CPU past its limit in code that cannot be interrupted; the sandbox \
             process ended itself",
            crate::runner::OVERRUN_GRACE.as_millis()
        );
    }
    match status.signal() {
        Some(sig) => {
            let name = match sig {
                libc::SIGTRAP => "SIGTRAP",
                libc::SIGABRT => "SIGABRT",
                libc::SIGKILL => "SIGKILL",
                libc::SIGSEGV => "SIGSEGV",
                _ => "a signal",
            };
            format!(
                "the sandbox process was killed by signal {sig} ({name}); V8 aborts this way \
                 on a fatal error such as running out of memory in code that cannot be \
                 interrupted"
            )
        }
        None => format!("the sandbox process ended early ({status})"),
    }
}
