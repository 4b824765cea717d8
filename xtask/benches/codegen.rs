//! `cargo bench -p xtask`: each stage of `cargo xtask codegen --check` on
//! the vendored spec, median of 21 runs after 3 warm-ups. The target is the
//! whole run well under 0.5 s; the 4 MB spec's JSON parse (in `load`) is
//! the floor.

use std::time::Duration;

use xtask::{Mode, Workspace};

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("codegen bench: run with `cargo bench -p xtask`");
        return;
    }
    let workspace = Workspace::locate().expect("workspace");
    let run = || xtask::codegen(&workspace, Mode::Check).unwrap_or_else(|e| panic!("{e:#}"));
    for _ in 0..3 {
        run();
    }
    let runs: Vec<_> = (0..21).map(|_| run()).collect();
    let median = |pick: &dyn Fn(&xtask::Timings) -> Duration| {
        let mut values: Vec<Duration> = runs.iter().map(pick).collect();
        values.sort();
        values[values.len() / 2].as_secs_f64() * 1e3
    };
    println!("codegen --check on the vendored spec (21 runs, medians):");
    for (index, (name, _)) in runs[0].stages().iter().enumerate() {
        println!("  {name:<12} {:8.2} ms", median(&|t| t.stages()[index].1));
    }
    println!("  {:<12} {:8.2} ms", "total", median(&|t| t.total()));
}
