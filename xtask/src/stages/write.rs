//! Stage 6: write each generated file, or (with `--check`) compare it with
//! what is on disk and fail with a readable diff when it is stale.

use std::path::Path;

use anyhow::{Result, bail};

use crate::paths::Workspace;

/// Whether `codegen` writes its outputs or checks them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Write every generated file that differs.
    Write,
    /// Write nothing; fail with a diff if a file differs.
    Check,
}

/// Collects every stale file before failing, so one run shows them all.
pub(crate) struct Outputs<'w> {
    /// The task writing, for its messages: `codegen`, `public-api`.
    task: &'static str,
    workspace: &'w Workspace,
    mode: Mode,
    stale: Vec<String>,
}

/// Diff lines shown per stale file; the rest is summarised.
const MAX_DIFF_LINES: usize = 60;

impl<'w> Outputs<'w> {
    pub(crate) fn new(task: &'static str, workspace: &'w Workspace, mode: Mode) -> Self {
        Self { task, workspace, mode, stale: Vec::new() }
    }

    pub(crate) fn update(&mut self, path: &Path, contents: &str) -> Result<()> {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref() == Some(contents) {
            return Ok(());
        }
        let shown = self.workspace.display(path).to_string();
        match self.mode {
            Mode::Write => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)?;
                }
                std::fs::write(path, contents).map_err(|e| anyhow::anyhow!("cannot write {shown}: {e}"))?;
                println!("{}: wrote {shown}", self.task);
            }
            Mode::Check => self.stale.push(describe(&shown, current.as_deref(), contents)),
        }
        Ok(())
    }

    /// A generated directory holds only what this run produced: any other
    /// `.rs` file in `dir` (a model whose schema left the spec) is removed,
    /// or, in check mode, reported.
    pub(crate) fn remove_others(&mut self, dir: &Path, produced: &[&Path]) -> Result<()> {
        let is_leftover = |p: &Path| p.extension().is_some_and(|e| e == "rs") && !produced.contains(&p);
        self.remove_matching(dir, is_leftover, "is no longer generated")
    }

    /// Removes (or, in check mode, reports) each snapshot in `dir` whose
    /// name starts with `prefix` and is not in `expected`: the snapshot of
    /// a generated test that no longer exists.
    pub(crate) fn remove_stale_snapshots(
        &mut self,
        dir: &Path,
        prefix: &str,
        expected: &[String],
    ) -> Result<()> {
        let is_stale = |p: &Path| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|name| {
                name.starts_with(prefix) && name.ends_with(".snap") && !expected.iter().any(|e| e == name)
            })
        };
        self.remove_matching(dir, is_stale, "is the snapshot of a model no longer generated")
    }

    /// Removes each file of `dir` that `matches` picks, in name order, or
    /// in check mode reports it as `<path> <why>`.
    fn remove_matching(&mut self, dir: &Path, matches: impl Fn(&Path) -> bool, why: &str) -> Result<()> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
        let mut found: Vec<std::path::PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| matches(p)).collect();
        found.sort();
        for path in found {
            let shown = self.workspace.display(&path).to_string();
            match self.mode {
                Mode::Write => {
                    std::fs::remove_file(&path).map_err(|e| anyhow::anyhow!("cannot remove {shown}: {e}"))?;
                    println!("{}: removed {shown}", self.task);
                }
                Mode::Check => self.stale.push(format!("{shown} {why}")),
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> Result<()> {
        if self.stale.is_empty() {
            return Ok(());
        }
        eprintln!("{}", self.stale.join("\n"));
        bail!(
            "{} generated file(s) are stale; run `cargo xtask {}` and commit the result",
            self.stale.len(),
            self.task
        )
    }
}

fn describe(shown: &str, current: Option<&str>, expected: &str) -> String {
    let Some(current) = current else {
        return format!("{shown} is missing");
    };
    let diff = similar::TextDiff::from_lines(current, expected);
    let unified = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("{shown} (on disk)"), &format!("{shown} (generated)"))
        .to_string();
    let lines: Vec<&str> = unified.lines().collect();
    let mut shown = lines[..lines.len().min(MAX_DIFF_LINES)].join("\n");
    if lines.len() > MAX_DIFF_LINES {
        shown.push_str(&format!("\n… {} more diff lines", lines.len() - MAX_DIFF_LINES));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_mode_reports_a_diff_and_writes_nothing() {
        let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("file.rs");
        let workspace = Workspace::locate().unwrap();
        std::fs::write(&path, "a\nb\n").unwrap();

        let mut outputs = Outputs::new("codegen", &workspace, Mode::Check);
        outputs.update(&path, "a\nc\n").unwrap();
        assert!(outputs.stale[0].contains("-b") && outputs.stale[0].contains("+c"), "{}", outputs.stale[0]);
        assert!(outputs.finish().is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nb\n");

        let mut outputs = Outputs::new("codegen", &workspace, Mode::Write);
        outputs.update(&path, "a\nc\n").unwrap();
        outputs.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a\nc\n");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_snapshot_of_a_model_no_longer_generated_is_reported_then_removed() {
        let dir = std::env::temp_dir().join(format!("xtask-snapshots-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["schema_Kept.snap", "schema_Gone.snap", "other_Gone.snap"] {
            std::fs::write(dir.join(name), "").unwrap();
        }
        let workspace = Workspace::locate().unwrap();
        let expected = ["schema_Kept.snap".to_owned()];

        let mut outputs = Outputs::new("codegen", &workspace, Mode::Check);
        outputs.remove_stale_snapshots(&dir, "schema_", &expected).unwrap();
        assert_eq!(outputs.stale.len(), 1, "{:?}", outputs.stale);
        assert!(
            outputs.stale[0].ends_with("schema_Gone.snap is the snapshot of a model no longer generated")
        );
        assert!(dir.join("schema_Gone.snap").exists());

        let mut outputs = Outputs::new("codegen", &workspace, Mode::Write);
        outputs.remove_stale_snapshots(&dir, "schema_", &expected).unwrap();
        outputs.finish().unwrap();
        assert!(!dir.join("schema_Gone.snap").exists());
        assert!(dir.join("schema_Kept.snap").exists() && dir.join("other_Gone.snap").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
