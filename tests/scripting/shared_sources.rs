//! `SharedSource`: script text every isolate compiles from one copy (a V8 external string),
//! read back exactly as written, with code cache made after a run.

use isoshard_scripting::RunOptions;
use serde_json::json;

use crate::support::*;

#[test]
fn a_shared_source_runs_as_its_text_reads_in_every_isolate_with_its_code_cache() {
    use isoshard_scripting::{ScriptOptions, SharedSource};
    // ASCII, Latin-1 and wider text, each in a function whose source JavaScript can print.
    static ASCII: &str = "globalThis.f = function add(a, b) { return a + b; }; f(2, 3)";
    static LATIN1: &str = "globalThis.g = function () { return 'd\u{e9}j\u{e0} vu'; }; g()";
    static WIDE: &str = "globalThis.h = function () { return '1\u{2013}8 \u{2192}'; }; h()";
    let mut cache = None;
    for round in 0..2 {
        let iso = isolate(64);
        let ctx = context(&iso);
        for (text, expected) in [
            (ASCII, json!(5)),
            (LATIN1, json!("d\u{e9}j\u{e0} vu")),
            (WIDE, json!("1\u{2013}8 \u{2192}")),
        ] {
            let options = ScriptOptions {
                cached_data: if text == ASCII { cache.clone() } else { None },
                ..ScriptOptions::default()
            };
            let script = iso
                .compile_shared_script(SharedSource::new(text), options)
                .expect("compiles");
            let run = script.run(&ctx, &RunOptions::default()).expect("runs");
            assert_eq!(value(run), expected, "round {round}: {text}");
            if text == ASCII && round == 0 {
                cache = Some(
                    script
                        .create_code_cache()
                        .expect("code cache after the run"),
                );
            }
            if text == ASCII && round == 1 {
                assert_eq!(script.cached_data_rejected(), Some(false));
            }
        }
        let printed = value(eval(&ctx, "[f, g, h].map(String).join('\\n')", 1000));
        let expected = [
            "function add(a, b) { return a + b; }",
            "function () { return 'd\u{e9}j\u{e0} vu'; }",
            "function () { return '1\u{2013}8 \u{2192}'; }",
        ]
        .join("\n");
        assert_eq!(printed, json!(expected));
    }
}
