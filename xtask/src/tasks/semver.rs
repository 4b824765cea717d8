//! `cargo xtask semver [--base REV]`: what a change does to the published
//! crates' public API, by Rust's semver rules. It rewrites the working
//! tree's public-API reports (`cargo xtask public-api`), compares each with
//! the one committed at `REV` (default `HEAD`), and prints every removed,
//! changed and added item under "breaking" or "additive", then a draft
//! CHANGELOG section, then `verdict: breaking`, `additive` or `none`.
//!
//! The rules, as the Cargo book's SemVer chapter gives them:
//! - an item removed, or its signature changed (arguments, return type, a
//!   field's or variant's type, a struct or enum gaining
//!   `#[non_exhaustive]`), is breaking;
//! - a field added to a struct, or a variant to an enum, is breaking unless
//!   the struct or enum is `#[non_exhaustive]` (struct literals and
//!   exhaustive matches stop compiling), or is itself new;
//! - an item added to a public trait is breaking (implementors must add
//!   it), unless the trait is sealed: a supertrait of its own crate that
//!   is no public item, so that no one else can implement it;
//! - any other added item (a type, a function, a method, a trait impl) is
//!   additive.
//!
//! Where cargo-semver-checks would judge otherwise, the README says so.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use anyhow::{Context, Result};

use crate::config::Upstream;
use crate::paths::Workspace;
use crate::stages::write::Mode;
use crate::tasks::public_api::{self, PUBLISHED, end_of_path};

/// How a change counts under semver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Breaking,
    Additive,
}

/// One item's change between the base's report and the working tree's.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Change {
    pub(crate) package: String,
    pub(crate) severity: Severity,
    pub(crate) what: What,
    /// Why an addition breaks, where it does.
    pub(crate) why: Option<String>,
    /// For a type, module or trait that was removed or added whole: how
    /// many of its own items (fields, variants, methods, impls) went or
    /// came with it, listed under it rather than one by one.
    pub(crate) items: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum What {
    Removed(String),
    Changed { was: String, now: String },
    Added(String),
}

pub fn run(workspace: &Workspace, base: &str) -> Result<()> {
    public_api::run(workspace, Mode::Write)?;
    let commit = workspace
        .git(&["rev-parse", "--short", &format!("{base}^{{commit}}")])
        .with_context(|| format!("`{base}` is not a commit"))?;
    let commit = commit.trim();
    let mut changes = Vec::new();
    for published in &PUBLISHED {
        let now = std::fs::read_to_string(workspace.public_api(published.package))?;
        // A crate without a report at the base is new there: all additive.
        let was = workspace
            .git(&["show", &format!("{commit}:{}", workspace.public_api_relative(published.package))])
            .unwrap_or_default();
        changes.extend(compare(published.package, &was, &now));
    }
    changes.sort_by(|a, b| (a.severity, &a.package).cmp(&(b.severity, &b.package)));

    print!("{}", listing(&changes, commit));
    let spec_was = workspace
        .git(&["show", &format!("{commit}:openapi/upstream.toml")])
        .ok()
        .and_then(|text| toml::from_str::<Upstream>(&text).ok());
    let spec_now = Upstream::load(&workspace.upstream()).ok();
    let draft = changelog(&changes, spec_was.as_ref(), spec_now.as_ref());
    let draft_path = workspace.root().join("target").join("semver").join("CHANGELOG-draft.md");
    std::fs::create_dir_all(draft_path.parent().context("no parent")?)?;
    std::fs::write(&draft_path, draft)?;
    println!("draft CHANGELOG section: {}", workspace.display(&draft_path));
    println!("verdict: {}", verdict(&changes));
    Ok(())
}

pub(crate) fn verdict(changes: &[Change]) -> &'static str {
    if changes.iter().any(|c| c.severity == Severity::Breaking) {
        "breaking"
    } else if changes.is_empty() {
        "none"
    } else {
        "additive"
    }
}

/// One item of a report.
#[derive(Debug)]
struct Item<'a> {
    line: &'a str,
    /// `fn seam_api::locks::ListRequest::limit`: kind and path without
    /// generic arguments, so a changed signature keeps its key.
    key: String,
    kind: &'static str,
    /// The path without generic arguments.
    path: String,
    non_exhaustive: bool,
    /// A trait's supertraits, without generic arguments.
    supertraits: Vec<String>,
}

/// Each kind of line, by the prefix that introduces it. The order matters:
/// longer prefixes first. A line with none of them (`pub a::B::c: T`,
/// `pub a::B::C(T)`) is a field or variant.
const KINDS: [(&str, &str); 14] = [
    ("pub mod ", "mod"),
    ("pub struct ", "struct"),
    ("pub enum ", "enum"),
    ("pub union ", "union"),
    ("pub trait ", "trait"),
    ("pub type ", "type"),
    ("pub const fn ", "fn"),
    ("pub async fn ", "fn"),
    ("pub unsafe fn ", "fn"),
    ("pub fn ", "fn"),
    ("pub const ", "const"),
    ("pub static ", "static"),
    ("pub use ", "use"),
    ("pub macro ", "macro"),
];

fn parse(line: &str) -> Item<'_> {
    let mut rest = line;
    let mut non_exhaustive = false;
    while rest.starts_with("#[") {
        let Some(end) = rest.find("] ") else { break };
        non_exhaustive |= &rest[..end + 1] == "#[non_exhaustive]";
        rest = &rest[end + 2..];
    }
    // An impl is identified by its whole line; so is a re-export.
    if rest.starts_with("impl") {
        return Item {
            line,
            key: line.to_owned(),
            kind: "impl",
            path: String::new(),
            non_exhaustive,
            supertraits: vec![],
        };
    }
    let (kind, after) = KINDS
        .iter()
        .find_map(|(prefix, kind)| rest.strip_prefix(prefix).map(|after| (*kind, after)))
        .unwrap_or(("member", rest.strip_prefix("pub ").unwrap_or(rest)));
    if kind == "use" {
        return Item {
            line,
            key: line.to_owned(),
            kind,
            path: String::new(),
            non_exhaustive,
            supertraits: vec![],
        };
    }
    let end = end_of_path(after);
    let path = without_generic_arguments(&after[..end]);
    let supertraits = match (kind, after[end..].strip_prefix(": ")) {
        ("trait", Some(bounds)) => {
            bounds.split(" + ").map(|bound| without_generic_arguments(bound.trim())).collect()
        }
        _ => Vec::new(),
    };
    Item { line, key: format!("{kind} {path}"), kind, path, non_exhaustive, supertraits }
}

/// `a::B<'a, T>::c` → `a::B::c`.
fn without_generic_arguments(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0usize;
    for c in path.chars() {
        match c {
            '<' => depth += 1,
            '>' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn parent(path: &str) -> &str {
    path.rsplit_once("::").map_or("", |(parent, _)| parent)
}

fn items(report: &str) -> Vec<Item<'_>> {
    report.lines().filter(|line| !line.trim().is_empty() && !line.starts_with("//")).map(parse).collect()
}

/// Every change between two reports of one crate.
pub(crate) fn compare(package: &str, was: &str, now: &str) -> Vec<Change> {
    let old = items(was);
    let new = items(now);
    let (old_keys, new_keys) = (by_key(&old), by_key(&new));
    // Containers by path, to judge an added field, variant or trait item.
    let containers = |items: &[Item<'_>]| -> BTreeMap<String, (&'static str, bool)> {
        let public_traits: BTreeSet<&str> =
            items.iter().filter(|i| i.kind == "trait").map(|i| i.path.as_str()).collect();
        items
            .iter()
            .filter(|i| matches!(i.kind, "struct" | "enum" | "union" | "trait" | "member"))
            .map(|i| {
                // A trait is sealed when a supertrait of its own crate is no
                // public item (it lives in a private module): no one else can
                // implement it. A non-exhaustive type and a sealed trait both
                // take new members additively.
                let sealed = i.kind == "trait" && {
                    let own_crate = i.path.split("::").next().unwrap_or("");
                    i.supertraits.iter().any(|bound| {
                        bound.split("::").next() == Some(own_crate) && !public_traits.contains(bound.as_str())
                    })
                };
                (i.path.clone(), (i.kind, i.non_exhaustive || sealed))
            })
            .collect()
    };
    let (old_containers, new_containers) = (containers(&old), containers(&new));

    let change = |severity, what, why: Option<String>| Change {
        package: package.to_owned(),
        severity,
        what,
        why,
        items: 0,
    };
    let mut changes = Vec::new();
    let keys: BTreeSet<&String> = old_keys.keys().chain(new_keys.keys()).collect();
    for key in keys {
        let was: Vec<&str> = old_keys.get(key).map(Vec::as_slice).unwrap_or_default().to_vec();
        let now: Vec<&str> = new_keys.get(key).map(Vec::as_slice).unwrap_or_default().to_vec();
        let gone: Vec<&str> = was.iter().copied().filter(|line| !now.contains(line)).collect();
        let came: Vec<&str> = now.iter().copied().filter(|line| !was.contains(line)).collect();
        // Pair what left with what came under one key: a changed signature.
        let paired = gone.len().min(came.len());
        for (was, now) in gone.iter().zip(&came) {
            let severity =
                if only_non_exhaustive_removed(was, now) { Severity::Additive } else { Severity::Breaking };
            changes.push(change(
                severity,
                What::Changed { was: (*was).to_owned(), now: (*now).to_owned() },
                None,
            ));
        }
        for line in &gone[paired..] {
            changes.push(change(Severity::Breaking, What::Removed((*line).to_owned()), None));
        }
        for line in &came[paired..] {
            let item = parse(line);
            let why = added_breaks(&item, &old_containers, &new_containers);
            let severity = if why.is_some() { Severity::Breaking } else { Severity::Additive };
            changes.push(change(severity, What::Added((*line).to_owned()), why));
        }
    }
    fold_into_containers(changes)
}

/// The items of a type, module or trait that was removed or added whole are
/// counted under it instead of listed: a reviewer reads "removed `pub
/// struct X` and its 25 items", not 26 lines.
fn fold_into_containers(changes: Vec<Change>) -> Vec<Change> {
    let whole = |removed: bool| -> BTreeSet<String> {
        changes
            .iter()
            .filter_map(|c| match (&c.what, removed) {
                (What::Removed(line), true) | (What::Added(line), false) => Some(parse(line)),
                _ => None,
            })
            .filter(|item| matches!(item.kind, "struct" | "enum" | "union" | "trait" | "mod"))
            .map(|item| item.path)
            .collect()
    };
    let (removed, added) = (whole(true), whole(false));
    let mut counts: BTreeMap<(bool, String), usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for change in changes {
        let (line, containers, is_removed) = match &change.what {
            What::Removed(line) => (line, &removed, true),
            What::Added(line) => (line, &added, false),
            What::Changed { .. } => {
                kept.push(change);
                continue;
            }
        };
        let item = parse(line);
        let owner = if item.kind == "impl" { impl_self_type(line) } else { parent(&item.path).to_owned() };
        // The nearest whole container above the item, if any.
        let mut ancestor = owner.as_str();
        let container = loop {
            if ancestor.is_empty() {
                break None;
            }
            if containers.contains(ancestor) {
                break Some(ancestor.to_owned());
            }
            ancestor = parent(ancestor);
        };
        match container {
            Some(container) => *counts.entry((is_removed, container)).or_default() += 1,
            None => kept.push(change),
        }
    }
    for change in &mut kept {
        let (is_removed, line) = match &change.what {
            What::Removed(line) => (true, line),
            What::Added(line) => (false, line),
            What::Changed { .. } => continue,
        };
        change.items = counts.get(&(is_removed, parse(line).path)).copied().unwrap_or(0);
    }
    kept
}

/// The type an impl line is for, without generic arguments:
/// `impl<'a> core::fmt::Debug for a::B<'a>` and `impl<'a> a::B<'a>` → `a::B`.
fn impl_self_type(line: &str) -> String {
    let rest = line.strip_prefix("impl").unwrap_or(line);
    let self_type = match rest.rsplit_once(" for ") {
        Some((_, self_type)) => self_type,
        None => crate::tasks::public_api::without_generics(rest),
    };
    without_generic_arguments(self_type.trim())
}

/// Each key's lines (several for a method of one name in impls with
/// different bounds).
fn by_key<'a>(items: &[Item<'a>]) -> BTreeMap<String, Vec<&'a str>> {
    let mut map: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for item in items {
        map.entry(item.key.clone()).or_default().push(item.line);
    }
    map
}

/// `#[non_exhaustive] pub struct X` → `pub struct X`: allowed in a minor
/// release.
fn only_non_exhaustive_removed(was: &str, now: &str) -> bool {
    was.strip_prefix("#[non_exhaustive] ") == Some(now)
}

/// Why adding `item` breaks code that compiled before, if it does.
fn added_breaks(
    item: &Item<'_>,
    old_containers: &BTreeMap<String, (&'static str, bool)>,
    new_containers: &BTreeMap<String, (&'static str, bool)>,
) -> Option<String> {
    if matches!(item.kind, "impl" | "use" | "mod") {
        return None;
    }
    let parent = parent(&item.path);
    // A new container's members are new with it.
    old_containers.get(parent)?;
    let (kind, non_exhaustive) = new_containers.get(parent).copied()?;
    match (kind, item.kind) {
        ("struct", "member") if !non_exhaustive => Some(format!(
            "a field of `{parent}`, which is not #[non_exhaustive]: struct literals stop compiling"
        )),
        ("enum", "member") if !non_exhaustive => Some(format!(
            "a variant of `{parent}`, which is not #[non_exhaustive]: exhaustive matches stop compiling"
        )),
        ("member", "member") if !non_exhaustive => {
            Some(format!("a field of the variant `{parent}`: its literals and patterns stop compiling"))
        }
        ("trait", _) if !non_exhaustive => Some(format!(
            "an item of the trait `{parent}`, which is not sealed: its implementations must add it"
        )),
        _ => None,
    }
}

/// The lists, as `cargo xtask semver` prints them.
pub(crate) fn listing(changes: &[Change], base: &str) -> String {
    let mut out = String::new();
    let count = |severity, what: fn(&What) -> bool| {
        changes.iter().filter(|c| c.severity == severity && what(&c.what)).count()
    };
    let removed = |w: &What| matches!(w, What::Removed(_));
    let changed = |w: &What| matches!(w, What::Changed { .. });
    let added = |w: &What| matches!(w, What::Added(_));
    let _ = writeln!(
        out,
        "semver: the public API against {base}: breaking {} ({} removed, {} changed, {} added), additive {} ({} changed, {} added)",
        changes.iter().filter(|c| c.severity == Severity::Breaking).count(),
        count(Severity::Breaking, removed),
        count(Severity::Breaking, changed),
        count(Severity::Breaking, added),
        changes.iter().filter(|c| c.severity == Severity::Additive).count(),
        count(Severity::Additive, changed),
        count(Severity::Additive, added),
    );
    for (severity, heading) in [(Severity::Breaking, "breaking"), (Severity::Additive, "additive")] {
        let listed: Vec<&Change> = changes.iter().filter(|c| c.severity == severity).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{heading} ({}):", listed.len());
        for c in listed {
            match &c.what {
                What::Removed(line) => {
                    let _ = writeln!(out, "  {}: removed {line}{}", c.package, with_items(c.items));
                }
                What::Changed { was, now } => {
                    let _ = writeln!(out, "  {}: changed {now}", c.package);
                    let _ = writeln!(out, "  {}:     was {was}", c.package);
                }
                What::Added(line) => {
                    let _ = writeln!(out, "  {}: added {line}{}", c.package, with_items(c.items));
                }
            }
            if let Some(why) = &c.why {
                let _ = writeln!(out, "      ({why})");
            }
        }
    }
    out
}

fn with_items(items: usize) -> String {
    match items {
        0 => String::new(),
        1 => " and its 1 item".to_owned(),
        n => format!(" and its {n} items"),
    }
}

/// A draft CHANGELOG section from the same list, for a maintainer to edit.
pub(crate) fn changelog(changes: &[Change], was: Option<&Upstream>, now: Option<&Upstream>) -> String {
    let mut out = String::from("## Unreleased\n\n");
    if let (Some(was), Some(now)) = (was, now)
        && was.version != now.version
    {
        let _ = writeln!(out, "Seam's API description: {} {} → {}.\n", now.package, was.version, now.version);
    }
    for (severity, heading) in
        [(Severity::Breaking, "### Breaking changes"), (Severity::Additive, "### Added")]
    {
        let listed: Vec<&Change> = changes.iter().filter(|c| c.severity == severity).collect();
        if listed.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{heading}\n");
        for c in listed {
            let _ = match &c.what {
                What::Removed(line) => {
                    writeln!(out, "- `{}`: removed `{line}`{}", c.package, with_items(c.items))
                }
                What::Changed { was, now } => writeln!(out, "- `{}`: `{now}` (was `{was}`)", c.package),
                What::Added(line) => match &c.why {
                    Some(why) => writeln!(out, "- `{}`: new `{line}`, {why}", c.package),
                    None => writeln!(out, "- `{}`: new `{line}`{}", c.package, with_items(c.items)),
                },
            };
        }
        out.push('\n');
    }
    if changes.is_empty() {
        out.push_str("No change to the public API.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "// header\n\
        pub mod a\n\
        pub struct a::Model\n\
        pub a::Model::name: String\n\
        #[non_exhaustive] pub struct a::Open\n\
        pub a::Open::name: String\n\
        #[non_exhaustive] pub enum a::Kind\n\
        pub a::Kind::One\n\
        pub enum a::Closed\n\
        pub a::Closed::One\n\
        pub struct a::ListRequest<'a>\n\
        impl<'a> a::ListRequest<'a>\n\
        pub fn a::ListRequest<'a>::limit(self, limit: i64) -> Self\n\
        pub fn a::ListRequest<'a>::since(self, since: impl Into<a::Timestamp>) -> Self\n\
        impl core::default::Default for a::Model\n\
        pub trait a::Hook\n\
        pub fn a::Hook::call(&self)\n\
        pub trait a::Ext: a::private::Sealed\n\
        pub fn a::Ext::one(&self)\n";

    fn summary(changes: &[Change]) -> Vec<String> {
        changes
            .iter()
            .map(|c| {
                let what = match &c.what {
                    What::Removed(line) => format!("removed {line}"),
                    What::Changed { now, .. } => format!("changed {now}"),
                    What::Added(line) => format!("added {line}"),
                };
                format!("{:?} {what}", c.severity)
            })
            .collect()
    }

    #[test]
    fn the_same_report_is_no_change() {
        let changes = compare("a", BASE, BASE);
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(verdict(&changes), "none");
    }

    #[test]
    fn removals_and_changed_signatures_break() {
        let now = BASE
            .replace("pub fn a::ListRequest<'a>::limit(self, limit: i64) -> Self\n", "")
            .replace("since: impl Into<a::Timestamp>", "since: impl Into<String>")
            .replace("impl core::default::Default for a::Model\n", "")
            .replace("pub enum a::Closed\n", "#[non_exhaustive] pub enum a::Closed\n");
        let changes = compare("a", BASE, &now);
        assert_eq!(
            summary(&changes),
            [
                "Breaking changed #[non_exhaustive] pub enum a::Closed",
                "Breaking removed pub fn a::ListRequest<'a>::limit(self, limit: i64) -> Self",
                "Breaking changed pub fn a::ListRequest<'a>::since(self, since: impl Into<String>) -> Self",
                "Breaking removed impl core::default::Default for a::Model",
            ]
        );
        assert_eq!(verdict(&changes), "breaking");
    }

    #[test]
    fn additions_to_non_exhaustive_types_and_new_items_are_additive() {
        let now = format!(
            "{BASE}pub a::Open::nickname: Option<String>\n\
             pub a::Kind::Two\n\
             pub fn a::ListRequest<'a>::page_cursor(self, page_cursor: impl Into<String>) -> Self\n\
             pub struct a::NewModel\n\
             pub a::NewModel::name: String\n\
             impl core::clone::Clone for a::Model\n"
        );
        let changes = compare("a", BASE, &now);
        assert!(changes.iter().all(|c| c.severity == Severity::Additive), "{changes:?}");
        // The new struct's field is counted under it.
        assert_eq!(changes.len(), 5);
        assert!(
            changes.iter().any(|c| c.what == What::Added("pub struct a::NewModel".into()) && c.items == 1)
        );
        assert_eq!(verdict(&changes), "additive");
    }

    #[test]
    fn additions_to_exhaustive_types_and_traits_break_and_say_why() {
        let now = format!(
            "{BASE}pub a::Model::nickname: Option<String>\npub a::Closed::Two\npub fn a::Hook::other(&self)\n"
        );
        let changes = compare("a", BASE, &now);
        let whys: Vec<&str> = changes.iter().map(|c| c.why.as_deref().unwrap_or("")).collect();
        assert!(changes.iter().all(|c| c.severity == Severity::Breaking), "{changes:?}");
        assert!(whys[0].contains("an item of the trait `a::Hook`"), "{whys:?}");
        assert!(whys[1].contains("a variant of `a::Closed`"), "{whys:?}");
        assert!(whys[2].contains("a field of `a::Model`, which is not #[non_exhaustive]"), "{whys:?}");
    }

    #[test]
    fn the_items_of_a_type_removed_or_added_whole_are_counted_under_it() {
        let now = BASE.replace("pub struct a::Model\npub a::Model::name: String\n", "").replace(
            "impl core::default::Default for a::Model\n",
            "pub struct a::Other<'a>\npub a::Other::name: String\nimpl<'a> a::Other<'a>\npub fn a::Other<'a>::get(&self)\nimpl<'a> core::fmt::Debug for a::Other<'a>\n",
        );
        let changes = compare("a", BASE, &now);
        assert_eq!(
            summary(&changes),
            ["Breaking removed pub struct a::Model", "Additive added pub struct a::Other<'a>"]
        );
        assert_eq!(changes.iter().map(|c| c.items).collect::<Vec<_>>(), [2, 4]);
        assert!(listing(&changes, "abc").contains("removed pub struct a::Model and its 2 items"));
    }

    #[test]
    fn an_item_added_to_a_sealed_trait_is_additive() {
        let now = format!("{BASE}pub fn a::Ext::two(&self)\n");
        let changes = compare("a", BASE, &now);
        assert_eq!(summary(&changes), ["Additive added pub fn a::Ext::two(&self)"]);
        // A supertrait that is public, or of another crate, seals nothing.
        let open = BASE.replace("pub trait a::Ext: a::private::Sealed", "pub trait a::Ext: core::fmt::Debug");
        let changes = compare("a", &open, &format!("{open}pub fn a::Ext::two(&self)\n"));
        assert_eq!(changes[0].severity, Severity::Breaking);
    }

    #[test]
    fn dropping_non_exhaustive_is_additive() {
        let now = BASE.replace("#[non_exhaustive] pub enum a::Kind", "pub enum a::Kind");
        let changes = compare("a", BASE, &now);
        assert_eq!(summary(&changes), ["Additive changed pub enum a::Kind"]);
    }

    #[test]
    fn the_listing_and_the_changelog_name_every_change() {
        let now = BASE.replace("limit: i64", "limit: f64") + "pub a::Kind::Two\n";
        let changes = compare("seam-api", BASE, &now);
        let listing = listing(&changes, "abc1234");
        assert!(listing.starts_with("semver: the public API against abc1234: breaking 1 (0 removed, 1 changed, 0 added), additive 1"), "{listing}");
        assert!(listing.contains("breaking (1):\n  seam-api: changed pub fn a::ListRequest<'a>::limit(self, limit: f64) -> Self\n  seam-api:     was pub fn a::ListRequest<'a>::limit(self, limit: i64) -> Self\n"), "{listing}");
        assert!(listing.contains("additive (1):\n  seam-api: added pub a::Kind::Two\n"), "{listing}");
        let upstream = |version: &str| Upstream {
            package: "@seamapi/types".into(),
            version: version.into(),
            source: String::new(),
            sha256: String::new(),
        };
        let draft = changelog(&changes, Some(&upstream("1.977.0")), Some(&upstream("1.1038.0")));
        assert!(draft.contains("@seamapi/types 1.977.0 → 1.1038.0"), "{draft}");
        assert!(draft.contains("### Breaking changes\n\n- `seam-api`: `pub fn a::ListRequest<'a>::limit(self, limit: f64) -> Self` (was `pub fn a::ListRequest<'a>::limit(self, limit: i64) -> Self`)"), "{draft}");
        assert!(draft.contains("### Added\n\n- `seam-api`: new `pub a::Kind::Two`"), "{draft}");
    }
}
