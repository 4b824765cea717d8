//! The generated files: one per model schema in seam-types, one per
//! resource in seam-api's wire types, each behind a cargo feature.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Result, bail, ensure};

use super::emit::emit;
use super::names::field_ident;
use super::types::{Place, Types};

/// seam-types' generated files and the features that gate them.
pub(crate) struct ModelFiles {
    /// (file name under `crates/seam-types/src/generated/`, Rust source).
    pub(crate) files: Vec<(String, String)>,
    /// How many component schemas became models.
    pub(crate) schemas: usize,
    /// Each model feature and the model features it needs.
    features: BTreeMap<String, BTreeSet<String>>,
}

pub(crate) const FEATURES_START: &str = "# features:start (cargo xtask codegen)";
pub(crate) const FEATURES_END: &str = "# features:end";

/// Lints that generated prose and deprecated-field derives would trip.
const GENERATED_ALLOWS: &str = "#![allow(deprecated, rustdoc::broken_intra_doc_links, rustdoc::bare_urls, \
rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks, clippy::all)]\n";

/// One file per component schema (with the inline types it holds), a
/// `mod.rs` gating each behind the feature of the same name, and that
/// feature's dependencies on the others.
pub(crate) fn model_files(types: &Types) -> Result<ModelFiles> {
    let mut gated = Gated::default();
    for place in types.places() {
        let Place::Model(schema) = &place else { continue };
        gated.add(types, &place, schema, "schema")?;
    }
    let Gated { mut files, features, modules } = gated;
    files.push(("mod.rs".into(), modules));
    let schemas =
        types.components.iter().filter(|(_, i)| matches!(types.defs[**i].place, Place::Model(_))).count();
    Ok(ModelFiles { files, schemas, features })
}

impl ModelFiles {
    /// seam-types' `Cargo.toml` with the generated features between the
    /// markers replaced.
    pub(crate) fn manifest(&self, current: &str) -> Result<String> {
        let (Some(start), Some(end)) = (current.find(FEATURES_START), current.find(FEATURES_END)) else {
            bail!("crates/seam-types/Cargo.toml lacks the markers `{FEATURES_START}` … `{FEATURES_END}`");
        };
        ensure!(start < end, "crates/seam-types/Cargo.toml's feature markers are out of order");
        let quoted = |names: &mut dyn Iterator<Item = &String>| {
            names.map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
        };
        let mut section = format!(
            "{FEATURES_START}\n# Every model, one feature each (named after its schema), with the models it\n\
             # holds; seam-api enables the ones its resources reach.\nall-models = [{}]\n",
            quoted(&mut self.features.keys())
        );
        for (feature, needs) in &self.features {
            let _ = writeln!(section, "{feature} = [{}]", quoted(&mut needs.iter()));
        }
        Ok(format!("{}{section}{}", &current[..start], &current[end..]))
    }
}

/// seam-api's generated wire types, one file per resource, and the model
/// features each resource needs.
pub(crate) struct WireFiles {
    /// (file name under `crates/seam-api/src/wire/`, Rust source).
    pub(crate) files: Vec<(String, String)>,
    /// Each resource and the seam-types features its types use.
    pub(crate) features: BTreeMap<String, BTreeSet<String>>,
}

/// One file per resource with its request and response bodies (and the
/// inline types they hold), and a `mod.rs` gating each behind the feature
/// named after the resource.
pub(crate) fn wire_files(types: &Types, resources: &BTreeSet<String>) -> Result<WireFiles> {
    let mut gated = Gated::default();
    for resource in resources {
        gated.add(types, &Place::Wire(resource.clone()), resource, "resource")?;
    }
    let Gated { mut files, features, modules } = gated;
    files.push(("mod.rs".into(), modules));
    Ok(WireFiles { files, features })
}

/// Generated files, one per place, each a module behind the cargo feature
/// of its name, and the seam-types models each feature needs.
#[derive(Default)]
struct Gated {
    files: Vec<(String, String)>,
    features: BTreeMap<String, BTreeSet<String>>,
    /// The `mod.rs` that declares them.
    modules: String,
}

impl Gated {
    /// The file of `place`'s types, as module and feature `name` (a
    /// schema or a resource, as `what` says).
    fn add(&mut self, types: &Types, place: &Place, name: &str, what: &str) -> Result<()> {
        let module = field_ident(name);
        ensure!(!module.starts_with("r#"), "{what} `{name}` is a Rust keyword; it cannot name a module");
        let needs: BTreeSet<String> = types
            .dependencies(place)
            .into_iter()
            .filter_map(|p| match p {
                Place::Model(schema) => Some(schema),
                Place::Wire(_) => None,
            })
            .collect();
        self.features.insert(name.to_owned(), needs);
        self.files.push((format!("{module}.rs"), format!("{GENERATED_ALLOWS}{}", emit(types, place))));
        let _ = writeln!(
            self.modules,
            "#[cfg(feature = {name:?})]\nmod {module};\n#[cfg(feature = {name:?})]\npub use {module}::*;"
        );
        Ok(())
    }
}

/// `current` with the text between the markers replaced by `section`
/// (which starts with the start marker).
pub(crate) fn replace_section(
    current: &str,
    start_marker: &str,
    end_marker: &str,
    section: &str,
    file: &str,
) -> Result<String> {
    let (Some(start), Some(end)) = (current.find(start_marker), current.find(end_marker)) else {
        bail!("{file} lacks the markers `{start_marker}` … `{end_marker}`");
    };
    ensure!(start < end, "{file}'s markers are out of order");
    Ok(format!("{}{section}{}", &current[..start], &current[end..]))
}
