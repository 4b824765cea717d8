//! The maintainers' tasks behind `cargo xtask`, a library so that
//! `cargo bench -p xtask` can time the same stages the command runs.
//!
//! - `stages`: the codegen pipeline, one module per stage, in the order
//!   they run: load → slice → normalize → models → generate (progenitor),
//!   facade, cli, response tests → format → write (or check) → conformance.
//! - `tasks`: what `cargo xtask` runs: `codegen` (the stages top to
//!   bottom), `update-spec`, `public-api`, `semver`, `test`, `build-cost`,
//!   `cli-cost`.
//! - `paths` and `config`: where every input and output lives, and the
//!   reviewable inputs in `openapi/` that say what to generate.

mod config;
mod paths;
mod stages;
mod tasks;

pub use crate::paths::Workspace;
pub use crate::stages::write::Mode;
pub use crate::tasks::build_cost::{Parts as BuildCostParts, run as build_cost};
pub use crate::tasks::cli_cost::run as cli_cost;
pub use crate::tasks::codegen::{Timings, codegen};
pub use crate::tasks::features::run as features;
pub use crate::tasks::fuzz::run as fuzz;
pub use crate::tasks::public_api::run as public_api;
pub use crate::tasks::semver::run as semver;
pub use crate::tasks::snapshots::run as snapshots;
pub use crate::tasks::test::run as test;
pub use crate::tasks::update_spec::{SpecSource, run as update_spec};
