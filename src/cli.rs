//! What every chapter's example shares on the command line: where figures go, and how an
//! error is reported (a message on stderr and a non-zero exit, never a panic).

use std::path::PathBuf;
use std::process::ExitCode;

use crate::{Error, Result};

/// The folder of chapter `name`, where its figures live and are shown by the book.
pub fn chapter_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("chapters")
        .join(name)
}

/// `--out DIR`: where an example draws its figures.
#[derive(Debug, Clone, clap::Args)]
pub struct OutDir {
    /// Folder to write the figures to [default: the chapter's own folder]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

impl OutDir {
    /// The folder to draw into (created if missing): `--out`, else the folder of `chapter`.
    pub fn resolve(&self, chapter: &str) -> Result<PathBuf> {
        let dir = self.out.clone().unwrap_or_else(|| chapter_dir(chapter));
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
            action: "creating folder",
            path: dir.clone(),
            source,
        })?;
        Ok(dir)
    }
}

/// Runs an example's body; on error prints `error: …` to stderr and exits with status 1.
pub fn run(body: impl FnOnce() -> Result<()>) -> ExitCode {
    match body() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
