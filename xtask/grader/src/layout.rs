//! Where things are. The repository and a student pack share one layout: the library at the
//! top, the grader under xtask/grader/, the exercises in chapters/<chapter>/, the committed
//! fixture in tests/fixtures/.

use std::path::{Path, PathBuf};

use crate::error::{GradeError, Result};
use crate::exercises::Exercise;

/// The course's trained weights: not ours to ship, so looked for.
pub const WEIGHTS: &str = "ex4weights.mat";
/// The committed 50-image file in the course's format.
pub const FIXTURE: &str = "tests/fixtures/ex4data1-small.mat";

/// A repository or a student pack, and the cargo target folder builds go to.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
    pub target: PathBuf,
}

impl Layout {
    /// The tree at `root`, building into `$CARGO_TARGET_DIR` or `root/target` as cargo does.
    pub fn at(root: impl Into<PathBuf>) -> Layout {
        let root = root.into();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .filter(|v| !v.is_empty())
            .map(|v| std::path::absolute(PathBuf::from(v)).unwrap_or_default())
            .unwrap_or_else(|| root.join("target"));
        Layout { root, target }
    }

    /// The tree this grader was compiled in (xtask/grader/ sits two levels below the top).
    pub fn here() -> Layout {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Layout::at(std::fs::canonicalize(&root).unwrap_or(root))
    }

    /// The tree the grader is run in: the nearest folder at or above the working folder that
    /// holds the grader and chapters/ (a student pack may have been moved since it was built),
    /// else [`Layout::here`].
    pub fn find() -> Layout {
        let cwd = std::env::current_dir().unwrap_or_default();
        cwd.ancestors()
            .find(|d| {
                d.join("xtask/grader/checks/Cargo.toml").is_file() && d.join("chapters").is_dir()
            })
            .map_or_else(Layout::here, Layout::at)
    }

    pub fn chapter(&self, exercise: &Exercise) -> PathBuf {
        self.root.join("chapters").join(exercise.chapter)
    }

    /// The learner's file as committed: chapters/<chapter>/exercise.rs.
    pub fn template(&self, exercise: &Exercise) -> PathBuf {
        self.chapter(exercise).join("exercise.rs")
    }

    /// chapters/<chapter>/solution.rs (absent from a student pack).
    pub fn solution(&self, exercise: &Exercise) -> PathBuf {
        self.chapter(exercise).join("solution.rs")
    }

    /// The crate whose macros bind a learner's module to the checks.
    pub fn checks_crate(&self) -> PathBuf {
        self.root.join("xtask/grader/checks")
    }

    pub fn fixture(&self) -> PathBuf {
        self.root.join(FIXTURE)
    }

    /// Where ex4weights.mat is looked for, as tests/support does: `$BACKPROP_BOOK_DATA`, ./data,
    /// ../shared/data beside the tree.
    pub fn weight_dirs(&self) -> Vec<PathBuf> {
        let env = std::env::var_os("BACKPROP_BOOK_DATA").filter(|v| !v.is_empty());
        env.map(PathBuf::from)
            .into_iter()
            .chain([self.root.join("data"), self.root.join("../shared/data")])
            .collect()
    }

    /// ex4weights.mat: in `dir` if one is named (then it must be there), else the first of
    /// [`Layout::weight_dirs`] holding it, else `None`.
    pub fn weights(&self, dir: Option<&Path>) -> Result<Option<PathBuf>> {
        if let Some(dir) = dir {
            let path = dir.join(WEIGHTS);
            return if path.is_file() {
                Ok(Some(std::fs::canonicalize(&path).unwrap_or(path)))
            } else {
                Err(GradeError::NoWeights { dir: dir.into() })
            };
        }
        Ok(self
            .weight_dirs()
            .into_iter()
            .map(|d| d.join(WEIGHTS))
            .find(|p| p.is_file())
            .map(|p| std::fs::canonicalize(&p).unwrap_or(p)))
    }
}
