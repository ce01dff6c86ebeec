use std::time::Duration;

use isoshard_scripting::{
    Context, ExternalCopy, Isolate, IsolateOptions, OutcomeKind, Run, RunOptions, RunOutcome,
};

pub fn isolate(memory_limit_mb: usize) -> Isolate {
    Isolate::new(IsolateOptions {
        memory_limit_mb,
        ..IsolateOptions::default()
    })
    .expect("isolate")
}

pub fn context(iso: &Isolate) -> Context {
    iso.create_context().expect("context")
}

/// Evaluates under a CPU limit with a wall limit far above it: tests run in parallel on 2
/// cores, and the default wall limit (2× CPU) would then fire first and turn an expected
/// `CpuLimit` into `WallLimit`. Wall-limit behaviour has its own tests with explicit options.
pub fn eval(ctx: &Context, code: &str, cpu_ms: u64) -> Run<ExternalCopy> {
    let cpu = Duration::from_millis(cpu_ms);
    ctx.eval(
        code,
        &RunOptions {
            cpu_limit: Some(cpu),
            wall_limit: Some(cpu.saturating_mul(2).max(Duration::from_secs(10))),
            ..RunOptions::default()
        },
    )
    .expect("host-side eval")
}

pub fn value(run: Run<ExternalCopy>) -> serde_json::Value {
    match run.outcome {
        RunOutcome::Ok(copy) => copy.to_json().expect("json"),
        other => panic!("expected ok, got {:?}: {:?}", other.kind(), other.error()),
    }
}

/// The context still works and a trivial call costs little CPU.
pub fn assert_usable(ctx: &Context) {
    let run = eval(ctx, "1 + 1", 1000);
    assert_eq!(run.outcome.kind(), OutcomeKind::Ok, "{:?}", run.outcome);
    assert!(
        run.cpu_time < Duration::from_millis(200),
        "trivial call took {:?}",
        run.cpu_time
    );
    assert_eq!(value(run), serde_json::json!(2));
}

pub fn kind(run: &Run<ExternalCopy>) -> OutcomeKind {
    run.outcome.kind()
}
