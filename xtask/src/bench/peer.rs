//! The peers' processes: numpy (`bench/baseline.py`) and JAX (`bench/jax_peer.py`), each at its
//! own best. This machine's image may force old OpenBLAS kernels or thread counts through the
//! environment (for old OpenBLAS builds); the peers run without those variables, and only they:
//! tests and CI keep the environment as it is.

use std::path::Path;
use std::process::Command;

use crate::root;

/// Variables that make a BLAS or numpy choose other kernels, cache sizes or thread counts than
/// its own.
pub(super) const FORCING: [&str; 9] = [
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
    "OPENBLAS_NUM_THREADS",
    "OPENBLAS_VERBOSE",
    "GOTOBLAS_CORETYPE",
    "GOTO_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NPY_DISABLE_CPU_FEATURES",
];

/// A peer: the name the table shows, and its script in bench/.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Peer {
    Numpy,
    Jax,
}

impl Peer {
    pub(super) fn name(self) -> &'static str {
        match self {
            Peer::Numpy => "numpy",
            Peer::Jax => "JAX",
        }
    }

    fn script(self) -> &'static str {
        match self {
            Peer::Numpy => "baseline.py",
            Peer::Jax => "jax_peer.py",
        }
    }

    /// The tasks it runs: JAX the two that are one cost-and-gradient function.
    pub(super) fn runs(self, task: &str) -> bool {
        match self {
            Peer::Numpy => true,
            Peer::Jax => matches!(task, "cost_grad" | "gradcheck"),
        }
    }

    /// `python bench/SCRIPT`, without the forcing variables.
    pub(super) fn command(self, python: &Path) -> Command {
        let mut cmd = Command::new(python);
        cmd.arg(root().join("bench").join(self.script()));
        for var in FORCING {
            cmd.env_remove(var);
        }
        cmd
    }
}

/// The forcing variables set in `vars` (an environment), as `NAME=value`.
pub(super) fn forced(vars: impl IntoIterator<Item = (String, String)>) -> Vec<String> {
    let mut found: Vec<String> = vars
        .into_iter()
        .filter(|(k, _)| FORCING.contains(&k.as_str()))
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_forcing_variables_and_removes_them_for_the_peer_only() {
        let env = [
            ("PATH", "/usr/bin"),
            ("OPENBLAS_L2_SIZE", "1048576"),
            ("OPENBLAS_CORETYPE", "Haswell"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(
            forced(env),
            ["OPENBLAS_CORETYPE=Haswell", "OPENBLAS_L2_SIZE=1048576"]
        );
        let cmd = Peer::Numpy.command(Path::new("python"));
        let removed: Vec<_> = cmd
            .get_envs()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.to_string_lossy().into_owned())
            .collect();
        assert!(removed.contains(&"OPENBLAS_CORETYPE".to_string()));
        assert!(removed.contains(&"OPENBLAS_L2_SIZE".to_string()));
        assert!(Peer::Jax.runs("gradcheck") && !Peer::Jax.runs("moons"));
    }
}
