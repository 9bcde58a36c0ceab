//! The scratch crate: a tiny binary under target/grade/ whose `main` binds the learner's file
//! (included by `#[path]`, so compiler messages name the learner's own file) to the exercise's
//! checks. It shares the tree's target folder, lock file and profiles, so the library and its
//! dependencies are built once and a submission rebuilds in about a second.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{GradeError, Result, io};
use crate::exercises::Exercise;
use crate::layout::Layout;

/// What building a submission gave.
#[derive(Debug)]
pub enum Build {
    /// The runner binary.
    Built(PathBuf),
    /// The compiler's messages.
    Failed(String),
}

/// A small stable hash (FNV-1a), naming one scratch crate per submitted file.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h: u32, &b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// The dependency line `name = ...` of the library's manifest, to use the library's versions.
fn dependency_line(manifest: &str, path: &Path, name: &'static str) -> Result<String> {
    manifest
        .lines()
        .map(str::trim)
        .find(|l| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(str::to_string)
        .ok_or(GradeError::Manifest {
            path: path.into(),
            dependency: name,
        })
}

/// The manifest's `[profile.*]` sections, verbatim: the same optimisation settings give the
/// same (shared) builds of the dependencies.
fn profiles(manifest: &str) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = line.starts_with("[profile.");
        }
        if keep {
            out += line;
            out += "\n";
        }
    }
    out
}

/// A TOML basic string holding `path`.
fn toml_path(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

/// Writes `text` to `path` unless it already holds it, through a temporary file, so that two
/// graders of the same file never see half a file and cargo sees no needless change.
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text).map_err(io("writing", &tmp))?;
    std::fs::rename(&tmp, path).map_err(io("writing", path))
}

/// The scratch crate's folder and package name for `file`.
pub fn name_for(layout: &Layout, exercise: &Exercise, file: &Path) -> (PathBuf, String) {
    let hash = fnv1a(file.as_os_str().as_encoded_bytes());
    let name = format!("graded-{}-{hash:08x}", exercise.name);
    (layout.target.join("grade").join(&name), name)
}

/// Writes the scratch crate for `file` (an absolute path) and builds it.
pub fn build(layout: &Layout, exercise: &Exercise, file: &Path) -> Result<Build> {
    let (dir, name) = name_for(layout, exercise, file);
    std::fs::create_dir_all(dir.join("src")).map_err(io("creating", &dir))?;
    let manifest_path = layout.root.join("Cargo.toml");
    let manifest =
        std::fs::read_to_string(&manifest_path).map_err(io("reading", &manifest_path))?;
    let ndarray = dependency_line(&manifest, &manifest_path, "ndarray")?;
    let rand = dependency_line(&manifest, &manifest_path, "rand")?;
    let cargo_toml = format!(
        "# Written by the grader for {file}.\n\
         [package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         # Not part of the tree's workspace.\n[workspace]\n\n\
         [dependencies]\n# Not the library: a graded file must solve the exercise itself.\ngrader-checks = {{ path = {checks} }}\n{ndarray}\n{rand}\n\n{profiles}",
        file = file.display(),
        checks = toml_path(&layout.checks_crate()),
        profiles = profiles(&manifest),
    );
    // The file's content hash in main.rs: any change of content rebuilds, even when the file's
    // modification time says otherwise (a copy that kept an older time, an unpacked archive).
    let source = std::fs::read(file).map_err(io("reading", file))?;
    let main_rs = format!(
        "//! Written by the grader: {file} bound to the checks of {exercise}.\n\
         //! Its content's hash: {hash:08x}.\n\n\
         #[allow(dead_code, unused_variables, unused_imports, unused_mut)]\n\
         #[path = {path}]\nmod exercise;\n\n\
         fn main() -> std::process::ExitCode {{\n    \
         grader_checks::main(grader_checks::{binding}!(exercise))\n}}\n",
        file = file.display(),
        exercise = exercise.name,
        path = toml_path(file),
        binding = exercise.binding,
        hash = fnv1a(&source),
    );
    write_if_changed(&dir.join("Cargo.toml"), &cargo_toml)?;
    write_if_changed(&dir.join("src/main.rs"), &main_rs)?;
    let lock = layout.root.join("Cargo.lock");
    if lock.is_file() {
        let text = std::fs::read_to_string(&lock).map_err(io("reading", &lock))?;
        // Cargo adds the scratch package to its copy; only a changed tree lock is copied again.
        let copied = dir.join("Cargo.lock.copied");
        if std::fs::read_to_string(&copied).ok().as_deref() != Some(text.as_str()) {
            write_if_changed(&dir.join("Cargo.lock"), &text)?;
            write_if_changed(&copied, &text)?;
        }
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(&cargo)
        .args(["build", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&layout.target)
        .output()
        .map_err(|source| GradeError::Start {
            program: cargo.to_string_lossy().into_owned(),
            source,
        })?;
    if !out.status.success() {
        return Ok(Build::Failed(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    let binary = layout
        .target
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    Ok(Build::Built(binary))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "[package]\nname = \"x\"\n\n[dependencies]\nndarray = \"0.17\"\nndarray-stats = \"1\"\nrand = { version = \"0.10.4\" }\n\n[profile.dev]\nopt-level = 1\n\n[profile.dev.package.\"*\"]\nopt-level = 3\n\n[[example]]\nname = \"e\"\n";

    #[test]
    fn the_librarys_versions_and_profiles_are_copied() {
        let path = Path::new("Cargo.toml");
        assert_eq!(
            dependency_line(MANIFEST, path, "ndarray").unwrap(),
            "ndarray = \"0.17\""
        );
        assert_eq!(
            dependency_line(MANIFEST, path, "rand").unwrap(),
            "rand = { version = \"0.10.4\" }"
        );
        assert!(dependency_line(MANIFEST, path, "serde").is_err());
        assert_eq!(
            profiles(MANIFEST),
            "[profile.dev]\nopt-level = 1\n\n[profile.dev.package.\"*\"]\nopt-level = 3\n\n"
        );
    }

    #[test]
    fn each_file_gets_its_own_scratch_crate() {
        let layout = Layout::at("/repo");
        let ex4 = crate::exercises::find("ex4").unwrap();
        let (a, name) = name_for(&layout, ex4, Path::new("/a/exercise.rs"));
        let (b, _) = name_for(&layout, ex4, Path::new("/b/exercise.rs"));
        assert_ne!(a, b);
        assert!(name.starts_with("graded-ex4-"));
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
    }
}
