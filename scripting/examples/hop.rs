//! Profiling aid: a tight loop of calls into one isolate.
use isoshard_scripting::*;
use std::time::Instant;
#[allow(clippy::print_stdout)]
fn main() {
    let iso = Isolate::new(IsolateOptions::default()).unwrap();
    let ctx = iso.create_context().unwrap();
    let o = RunOptions::default();
    ctx.eval("globalThis.f = () => 2", &o).unwrap();
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20000);
    let t = Instant::now();
    for _ in 0..n {
        ctx.call("f", vec![], &o).unwrap();
    }
    println!(
        "call global fn: {:.2} us",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
