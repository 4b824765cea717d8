//! What `cargo xtask` runs, one module per task.

pub(crate) mod build_cost;
pub(crate) mod cli_cost;
pub(crate) mod codegen;
pub(crate) mod features;
pub(crate) mod fuzz;
pub(crate) mod public_api;
pub(crate) mod semver;
pub(crate) mod snapshots;
pub(crate) mod test;
pub(crate) mod update_spec;
