//! The stages of `cargo xtask codegen`, listed in the order `codegen`
//! runs them; each module's own doc says what it does.

// 1. Read the vendored spec and check its sha256.
pub(crate) mod load;
// 2. Keep the selected operations and what they reach.
pub(crate) mod slice;
// 3. Rewrite the slice into what the generators read, one named rule each.
pub(crate) mod normalize;
// 4a. Resolve every schema into a model; emit seam-types and the wire bodies.
pub(crate) mod models;
// 4b. seam-api's public methods.
pub(crate) mod facade;
// 4c. The `seam` CLI's commands.
pub(crate) mod cli;
// 4. progenitor's HTTP layer and httpmock helpers.
pub(crate) mod generate;
// 4d. One decoding test per operation.
pub(crate) mod response_tests;
// 5. Formatting, and the `@generated` header.
pub(crate) mod format;
// 6. Write every output, or check it (`--check`), beside the README's
// coverage line and the crates' features.
pub(crate) mod coverage;
pub(crate) mod features;
pub(crate) mod write;
// 7. The hand-written models against their spec schemas.
pub(crate) mod conformance;
