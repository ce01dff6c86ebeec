//! ES modules: host-resolved linking, evaluation under limits, namespaces and code cache.

use std::collections::BTreeMap;
use std::time::Duration;

use isoshard_scripting::{
    Error, Isolate, Module, ModuleOptions, OutcomeKind, RunOptions, RunOutcome,
};
use serde_json::json;

use crate::support::{assert_usable, context, isolate, kind};

fn compile(iso: &Isolate, name: &str, code: &str) -> Module {
    iso.compile_module(
        code,
        ModuleOptions {
            filename: Some(name.into()),
            ..ModuleOptions::default()
        },
    )
    .expect("module compiles")
}

/// A resolver over an in-memory file set that compiles each file once.
struct Files<'a> {
    iso: &'a Isolate,
    sources: BTreeMap<String, String>,
    compiled: BTreeMap<String, Module>,
    calls: usize,
}

impl<'a> Files<'a> {
    fn new(iso: &'a Isolate, files: &[(&str, &str)]) -> Self {
        Files {
            iso,
            sources: files
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
            compiled: BTreeMap::new(),
            calls: 0,
        }
    }

    fn resolve(&mut self, specifier: &str) -> Result<Module, String> {
        self.calls += 1;
        if let Some(m) = self.compiled.get(specifier) {
            return Ok(m.clone());
        }
        let source = self
            .sources
            .get(specifier)
            .ok_or_else(|| format!("no file {specifier}"))?;
        let m = compile(self.iso, specifier, source);
        self.compiled.insert(specifier.to_string(), m.clone());
        Ok(m)
    }
}

/// A CPU limit with a wall limit far above it (see `support::eval`).
fn cpu(ms: u64) -> RunOptions {
    RunOptions {
        cpu_limit: Some(Duration::from_millis(ms)),
        wall_limit: Some(Duration::from_secs(20)),
        ..RunOptions::default()
    }
}

#[test]
fn modules_link_through_a_host_resolver_and_expose_namespaces() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let mut files = Files::new(
        &iso,
        &[
            ("b", "export const base = 40;"),
            (
                "c",
                "import { base } from 'b'; export const two = base - 38;",
            ),
        ],
    );
    let main = compile(
        &iso,
        "main",
        "import { base } from 'b'; import { two } from 'c'; export const answer = base + two; globalThis.seen = answer;",
    );
    assert_eq!(main.dependency_specifiers(), ["b", "c"]);
    main.instantiate(&ctx, &cpu(1000), |spec, _| files.resolve(spec))
        .unwrap();
    assert_eq!(
        files.calls, 3,
        "each (referrer, specifier) pair is resolved once"
    );
    let ns = main.namespace(&ctx).unwrap();
    let run = main.evaluate(&ctx, &cpu(1000)).unwrap();
    assert_eq!(kind(&run), OutcomeKind::Ok, "{:?}", run.outcome);
    assert_eq!(
        ns.get("answer").unwrap().copy().unwrap().to_json().unwrap(),
        json!(42)
    );
    assert_eq!(
        crate::support::value(crate::support::eval(&ctx, "seen", 100)),
        json!(42)
    );
}

#[test]
fn unresolvable_specifier_is_a_typed_error_naming_both_ends() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let main = compile(
        &iso,
        "main.js",
        "import x from './missing.js'; export default x;",
    );
    let err = main
        .instantiate(
            &ctx,
            &cpu(1000),
            |_, _| Err("not in the bundle".to_string()),
        )
        .unwrap_err();
    match err {
        Error::ModuleResolution {
            specifier,
            referrer,
            reason,
        } => {
            assert_eq!(specifier, "./missing.js");
            assert_eq!(referrer, "main.js");
            assert_eq!(reason, "not in the bundle");
        }
        other => panic!("expected ModuleResolution, got {other:?}"),
    }
    assert!(matches!(main.namespace(&ctx), Err(Error::ModuleState(_))));
    assert!(matches!(
        main.evaluate(&ctx, &cpu(100)),
        Err(Error::ModuleState(_))
    ));
}

#[test]
fn missing_export_is_a_syntax_error_at_instantiation() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let mut files = Files::new(&iso, &[("lib", "export const a = 1;")]);
    let main = compile(&iso, "main", "import { nope } from 'lib'; nope;");
    let err = main
        .instantiate(&ctx, &cpu(1000), |spec, _| files.resolve(spec))
        .unwrap_err();
    let Error::Exception(e) = err else {
        panic!("expected the SyntaxError V8 throws, got {err:?}");
    };
    assert_eq!(e.name, "SyntaxError");
    assert!(e.message.contains("nope"), "{}", e.message);
}

#[test]
fn evaluating_twice_is_a_typed_error() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let main = compile(
        &iso,
        "once",
        "globalThis.count = (globalThis.count ?? 0) + 1;",
    );
    main.instantiate(&ctx, &cpu(1000), |_, _| Err("no imports".into()))
        .unwrap();
    assert_eq!(
        kind(&main.evaluate(&ctx, &cpu(100)).unwrap()),
        OutcomeKind::Ok
    );
    assert!(matches!(
        main.evaluate(&ctx, &cpu(100)),
        Err(Error::ModuleState(_))
    ));
    assert_eq!(
        crate::support::value(crate::support::eval(&ctx, "count", 100)),
        json!(1)
    );
}

#[test]
fn cycle_with_a_throwing_module_fails_once_and_stays_failed() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let mut files = Files::new(
        &iso,
        &[(
            "b",
            "import { a } from 'a'; export const b = 1; throw new RangeError('b fails');",
        )],
    );
    let a = compile(&iso, "a", "import { b } from 'b'; export const a = b;");
    files.compiled.insert("a".into(), a.clone());
    a.instantiate(&ctx, &cpu(1000), |spec, _| files.resolve(spec))
        .unwrap();
    let run = a.evaluate(&ctx, &cpu(100)).unwrap();
    let RunOutcome::Exception(e) = run.outcome else {
        panic!("expected the throw, got {:?}", run.outcome);
    };
    assert_eq!(e.name, "RangeError");
    assert!(matches!(
        a.evaluate(&ctx, &cpu(100)),
        Err(Error::ModuleState(_))
    ));
    assert_usable(&ctx);
}

#[test]
fn infinite_loop_after_top_level_await_is_terminated_at_cpu_limit() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let m = compile(&iso, "tla", "await null; while (true) {}");
    m.instantiate(&ctx, &cpu(1000), |_, _| Err("no imports".into()))
        .unwrap();
    let run = m.evaluate(&ctx, &cpu(50)).unwrap();
    assert_eq!(kind(&run), OutcomeKind::CpuLimit, "{:?}", run.outcome);
    assert!(
        run.cpu_time < Duration::from_millis(500),
        "{:?}",
        run.cpu_time
    );
    assert_usable(&ctx);
}

#[test]
fn top_level_await_that_never_settles_ends_the_call() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let m = compile(&iso, "forever", "await new Promise(() => {});");
    m.instantiate(&ctx, &cpu(1000), |_, _| Err("no imports".into()))
        .unwrap();
    let run = m.evaluate(&ctx, &cpu(100)).unwrap();
    let RunOutcome::Exception(e) = run.outcome else {
        panic!("expected an exception, got {:?}", run.outcome);
    };
    assert!(e.message.contains("did not settle"), "{}", e.message);
}

#[test]
fn module_graph_of_ten_thousand_modules_links_and_runs() {
    let iso = isolate(256);
    let ctx = context(&iso);
    // A root importing 10,000 leaves, each leaf importing one shared module.
    let leaves = 10_000;
    let root_source: String = (0..leaves)
        .map(|i| format!("import {{ v as v{i} }} from 'leaf{i}';\n"))
        .chain(std::iter::once(format!(
            "export const total = [{}].reduce((a, b) => a + b, 0);",
            (0..leaves)
                .map(|i| format!("v{i}"))
                .collect::<Vec<_>>()
                .join(",")
        )))
        .collect();
    let root = compile(&iso, "root", &root_source);
    let shared = compile(&iso, "shared", "export const one = 1;");
    let mut calls = 0usize;
    // 10,000 compiles take ~10 s of one core in a debug build; the default 20 s wall limit
    // is not enough when every test shares two busy cores. This test is about the graph.
    let generous = RunOptions {
        wall_limit: Some(Duration::from_secs(180)),
        ..cpu(60_000)
    };
    root.instantiate(&ctx, &generous, |spec, _| {
        calls += 1;
        if spec == "shared" {
            return Ok(shared.clone());
        }
        Ok(compile(
            &iso,
            spec,
            "import { one } from 'shared'; export const v = one;",
        ))
    })
    .unwrap();
    assert_eq!(calls, 2 * leaves);
    let run = root.evaluate(&ctx, &cpu(5000)).unwrap();
    assert_eq!(kind(&run), OutcomeKind::Ok, "{:?}", run.outcome);
    let ns = root.namespace(&ctx).unwrap();
    assert_eq!(
        ns.get("total").unwrap().copy().unwrap().to_json().unwrap(),
        json!(leaves)
    );
}

#[test]
fn modules_produce_and_consume_code_cache_across_isolates() {
    let source = "export function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }";
    let a = isolate(64);
    let produced = a
        .compile_module(
            source,
            ModuleOptions {
                filename: Some("fib.mjs".into()),
                produce_cached_data: true,
                cached_data: None,
                import_meta: None,
            },
        )
        .unwrap();
    let cache = produced.cached_data().expect("cache produced").to_vec();
    let b = isolate(64);
    let consumed = b
        .compile_module(
            source,
            ModuleOptions {
                filename: Some("fib.mjs".into()),
                produce_cached_data: false,
                cached_data: Some(cache.clone()),
                import_meta: None,
            },
        )
        .unwrap();
    assert_eq!(consumed.cached_data_rejected(), Some(false));
    let ctx = context(&b);
    consumed
        .instantiate(&ctx, &cpu(1000), |_, _| Err("none".into()))
        .unwrap();
    assert_eq!(
        kind(&consumed.evaluate(&ctx, &cpu(100)).unwrap()),
        OutcomeKind::Ok
    );
    let fib = consumed.namespace(&ctx).unwrap().get("fib").unwrap();
    let run = fib
        .apply(
            None,
            vec![isoshard_scripting::ExternalCopy::from_json(&json!(15))
                .unwrap()
                .into()],
            &cpu(100),
        )
        .unwrap();
    assert_eq!(crate::support::value(run), json!(610));
    // A cache for other source is rejected, not trusted.
    let other = b
        .compile_module(
            "export const x = 1;",
            ModuleOptions {
                filename: None,
                produce_cached_data: false,
                cached_data: Some(cache),
                import_meta: None,
            },
        )
        .unwrap();
    assert_eq!(other.cached_data_rejected(), Some(true));
}

#[test]
fn resolver_that_never_answers_is_bounded_by_the_wall_limit_and_leaves_the_isolate_usable() {
    // A runtime without timers: the bound must not depend on the caller's runtime.
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let iso = isolate(64);
    let ctx = context(&iso);
    let m = compile(&iso, "main", "import 'slow';");
    let options = RunOptions {
        cpu_limit: Some(Duration::from_millis(100)),
        wall_limit: Some(Duration::from_millis(300)),
        ..RunOptions::default()
    };
    let started = std::time::Instant::now();
    let result = rt.block_on(m.instantiate_async(&ctx, &options, |_, _| std::future::pending()));
    assert!(matches!(result, Err(Error::WallLimit)), "{result:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_usable(&ctx);
    // A blocking resolver is checked between calls: a slow one hits the same bound.
    let m = compile(&iso, "main2", "import 'a'; import 'b'; import 'c';");
    let slow = compile(&iso, "leaf", "");
    let result = m.instantiate(&ctx, &options, |_, _| {
        std::thread::sleep(Duration::from_millis(200));
        Ok(slow.clone())
    });
    assert!(matches!(result, Err(Error::WallLimit)), "{result:?}");
}

#[test]
fn module_from_another_isolate_is_refused() {
    let a = isolate(64);
    let b = isolate(64);
    let ctx = context(&a);
    let main = compile(&a, "main", "import 'x';");
    let foreign = compile(&b, "x", "");
    let err = main
        .instantiate(&ctx, &cpu(1000), |_, _| Ok(foreign.clone()))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    assert!(matches!(
        foreign.evaluate(&ctx, &cpu(100)),
        Err(Error::InvalidArgument(_))
    ));
}

#[test]
fn import_meta_carries_the_url_and_host_supplied_copies_only() {
    let iso = isolate(64);
    let ctx = context(&iso);
    let m = iso
        .compile_module(
            "export const meta = { url: import.meta.url, shard: import.meta.shard, tick: import.meta.tick, keys: Object.keys(import.meta).sort() };",
            ModuleOptions {
                filename: Some("bot/main.mjs".into()),
                import_meta: Some(
                    isoshard_scripting::ExternalCopy::from_json(&json!({"shard": "s0", "tick": 7, "url": "spoofed"}))
                        .unwrap(),
                ),
                ..ModuleOptions::default()
            },
        )
        .unwrap();
    m.instantiate(&ctx, &cpu(1000), |_, _| Err("none".into()))
        .unwrap();
    assert_eq!(kind(&m.evaluate(&ctx, &cpu(100)).unwrap()), OutcomeKind::Ok);
    let meta = m
        .namespace(&ctx)
        .unwrap()
        .get("meta")
        .unwrap()
        .copy()
        .unwrap()
        .to_json()
        .unwrap();
    assert_eq!(
        meta,
        json!({"url": "bot/main.mjs", "shard": "s0", "tick": 7, "keys": ["shard", "tick", "url"]}),
        "the filename wins over a supplied url"
    );
}

#[test]
fn dynamic_import_is_refused_with_a_catchable_error() {
    // No host hook for import(): the promise rejects inside the isolate, nothing is loaded.
    let iso = isolate(64);
    let ctx = context(&iso);
    let run = ctx
        .eval(
            "import('data:text/javascript,globalThis.pwned=1').then(() => 'loaded', (e) => e.name + ': ' + e.message)",
            &RunOptions {
                await_promise: true,
                ..cpu(1000)
            },
        )
        .unwrap();
    assert_eq!(crate::support::value(run), json!("Error: Not supported"));
    assert_eq!(
        crate::support::value(crate::support::eval(&ctx, "typeof pwned", 1000)),
        json!("undefined")
    );
}
