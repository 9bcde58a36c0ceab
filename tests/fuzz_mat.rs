//! Fuzzing the MAT-file loader on stable Rust: proptest mutates the bytes of real files (the
//! committed compressed fixture, and the course's ex4weights.mat where it is found) and the
//! loader must answer every input with Ok or a clear error, never a panic. 10,000 inputs per run.

mod support;

use std::path::Path;

use backprop_book::mat::MatFile;
use proptest::prelude::*;

/// The committed fixture first, then the course's weights file when it is found (whether it was
/// is recorded by `the_undamaged_weights_load_and_seed_the_fuzzing`).
fn seed_files() -> Vec<Vec<u8>> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ex4data1-small.mat");
    let weights = support::find_course_weights();
    std::iter::once(fixture)
        .chain(weights)
        .map(|p| {
            std::fs::read(&p)
                .unwrap_or_else(|e| panic!("the fuzz seeds must exist: {}: {e}", p.display()))
        })
        .collect()
}

/// One way to damage a file.
#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite bytes at a position.
    Overwrite(usize, Vec<u8>),
    /// Cut the file at a position.
    Truncate(usize),
    /// Insert bytes at a position.
    Insert(usize, Vec<u8>),
    /// Flip one bit.
    Flip(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let position = 0usize..100_000;
    prop_oneof![
        (position.clone(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(p, b)| Mutation::Overwrite(p, b)),
        position.clone().prop_map(Mutation::Truncate),
        (position.clone(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(p, b)| Mutation::Insert(p, b)),
        (position, 0u8..8).prop_map(|(p, bit)| Mutation::Flip(p, bit)),
    ]
}

fn apply(bytes: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for m in mutations {
        let at = |p: usize| if b.is_empty() { 0 } else { p % b.len() };
        match m {
            Mutation::Overwrite(p, new) => {
                let start = at(*p);
                for (i, v) in new.iter().enumerate() {
                    if let Some(slot) = b.get_mut(start + i) {
                        *slot = *v;
                    }
                }
            }
            Mutation::Truncate(p) => {
                let cut = at(*p);
                b.truncate(cut);
            }
            Mutation::Insert(p, new) => {
                let start = at(*p);
                b.splice(start..start, new.iter().copied());
            }
            Mutation::Flip(p, bit) => {
                let i = at(*p);
                if let Some(v) = b.get_mut(i) {
                    *v ^= 1 << bit;
                }
            }
        }
    }
    b
}

/// Everything a caller can ask of a loaded file, so a panic anywhere in it is found.
fn load_everything(bytes: &[u8]) {
    if let Ok(mat) = MatFile::parse(Path::new("fuzzed.mat"), bytes) {
        for name in ["Theta1", "Theta2", "X", "y"] {
            let _ = mat.matrix(name, None);
            let _ = mat.matrix(name, Some((25, 401)));
        }
    }
}

thread_local! {
    /// Read once per test thread, not once per fuzz case.
    static SEEDS: Vec<Vec<u8>> = seed_files();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics_on_damaged_files(seed in 0usize..2, mutations in prop::collection::vec(mutation(), 1..4)) {
        let bytes = SEEDS.with(|s| apply(&s[seed % s.len()], &mutations));
        let outcome = std::panic::catch_unwind(|| load_everything(&bytes));
        prop_assert!(outcome.is_ok(), "the loader panicked on a damaged file ({} bytes)", bytes.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics_on_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..4096), with_header in any::<bool>()) {
        // With a valid 128-byte header the bytes reach the element parser; without, the header check.
        let mut bytes = if with_header { SEEDS.with(|s| s[0][..128].to_vec()) } else { Vec::new() };
        bytes.extend(body);
        prop_assert!(std::panic::catch_unwind(|| load_everything(&bytes)).is_ok());
    }
}

#[test]
fn the_undamaged_fixture_loads() {
    let seeds = seed_files();
    let data = MatFile::parse(Path::new("ex4data1-small.mat"), &seeds[0]).unwrap();
    assert_eq!(data.matrix("X", None).unwrap().dim(), (50, 400));
}

#[test]
fn the_undamaged_weights_load_and_seed_the_fuzzing() {
    // Without the weights, the damaged-file fuzzing runs on the fixture alone.
    let Some(path) = support::course_weights(
        "fuzz_mat",
        "the_undamaged_weights_load_and_seed_the_fuzzing",
    ) else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let weights = MatFile::parse(Path::new("ex4weights.mat"), &bytes).unwrap();
    assert_eq!(
        weights.matrix("Theta1", Some((25, 401))).unwrap().dim(),
        (25, 401)
    );
}
