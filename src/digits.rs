//! Handwritten digits: the course's ex4 files and the UCI 8×8 set bundled with `smartcore`, as
//! one [`Digits`] type so chapter 7 runs one pipeline on either.

use std::path::{Path, PathBuf};

use ndarray::{Array2, ShapeBuilder};
use rand::seq::SliceRandom;

use crate::data::rng;
use crate::mat::MatFile;
use crate::{Error, Result};

/// The course's training data: X 5000×400, y 5000×1 (labels 1..10, 10 for the digit 0).
pub const EX4_DATA: &str = "ex4data1.mat";
/// The course's trained weights: Theta1 25×401, Theta2 10×26.
pub const EX4_WEIGHTS: &str = "ex4weights.mat";

/// Git's blob id (`git hash-object FILE`) of the course's ex4data1.mat, as the course ships it
/// (the same file is shipped as ex3data1.mat).
pub const EX4_DATA_BLOB: &str = "371bd0c099fe5f471d01cab15aec6cb2c458f567";
/// Git's blob id of the course's ex4weights.mat.
pub const EX4_WEIGHTS_BLOB: &str = "ace2a090d44617d35dcfcc5b3d38bc0442f3ae2d";

/// `git hash-object`: the SHA-1 of `"blob <size>\0"` followed by the bytes, in hex. It names a
/// file's exact bytes, so a re-saved copy with the same matrices still gets another id.
pub fn git_blob_id(bytes: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    let mut hash = Sha1::new();
    hash.update(format!("blob {}\0", bytes.len()).as_bytes());
    hash.update(bytes);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the file at `path` is the course's own `file` (ex4data1.mat or ex4weights.mat), as
/// one sentence for the transcript: a reader with a re-saved or different file is told that its
/// numbers will not be the course's, instead of chasing a bug that is not there.
pub fn provenance(file: &str, path: &Path) -> Result<String> {
    let expected = match file {
        EX4_DATA => EX4_DATA_BLOB,
        EX4_WEIGHTS => EX4_WEIGHTS_BLOB,
        other => {
            return Err(Error::Invalid {
                what: "course file name".to_string(),
                expected: format!("{EX4_DATA} or {EX4_WEIGHTS}"),
                found: other.to_string(),
            });
        }
    };
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        action: "reading",
        path: path.to_path_buf(),
        source,
    })?;
    let id = git_blob_id(&bytes);
    Ok(if id == expected {
        format!(
            "{file} is the course's original file (git blob {}).",
            &id[..12]
        )
    } else {
        format!(
            "{file} is not the course's original file: its git blob is {}, the course's is {}. \
             It may be re-saved or another file; its numbers below will not be the course's.",
            &id[..12],
            &expected[..12]
        )
    })
}

/// Where data files are looked for, in order: `--data DIR`, `$BACKPROP_BOOK_DATA`, `./data/`.
pub fn search_dirs(flag: Option<&Path>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = flag.map(Path::to_path_buf).into_iter().collect();
    if let Some(env) = std::env::var_os("BACKPROP_BOOK_DATA").filter(|v| !v.is_empty()) {
        dirs.push(PathBuf::from(env));
    }
    dirs.push(PathBuf::from("data"));
    dirs
}

/// The first of [`search_dirs`] holding `file`; else an error that lists where it looked and
/// where to put it.
pub fn locate(file: &str, flag: Option<&Path>) -> Result<PathBuf> {
    let dirs = search_dirs(flag);
    dirs.iter()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::Missing {
        file: file.to_string(),
        searched: dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", "),
        hint: "It comes with exercise 4 of Andrew Ng's Machine Learning course; put it in ./data/, \
             or in a folder named by --data DIR or $BACKPROP_BOOK_DATA."
            .to_string(),
    }
        })
}

/// Images of digits, one per row of `x`, with the class of each.
#[derive(Debug, Clone)]
pub struct Digits {
    /// One example per row.
    pub x: Array2<f64>,
    /// The output unit each example belongs to (0-based): what the one-hot targets encode.
    pub classes: Vec<usize>,
    /// What each output unit means: for the course, unit k−1 is label k, and label 10 is "0".
    pub class_names: Vec<String>,
    /// Images are side × side pixels.
    pub side: usize,
    /// Whether each row holds its image column by column (Octave's order, the course's files).
    pub column_major: bool,
    /// Where the data came from, for the transcript.
    pub source: String,
}

impl Digits {
    /// Example `i` as a side × side image, the right way up.
    pub fn image(&self, i: usize) -> Array2<f64> {
        let row = self.x.row(i).to_vec();
        let shape = (self.side, self.side);
        if self.column_major {
            Array2::from_shape_vec(shape.f(), row).expect("side² pixels")
        } else {
            Array2::from_shape_vec(shape, row).expect("side² pixels")
        }
    }

    /// The examples `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Digits {
        Digits {
            x: self.x.select(ndarray::Axis(0), indices),
            classes: indices.iter().map(|&i| self.classes[i]).collect(),
            ..self.clone()
        }
    }

    /// The examples shuffled (seeded), then cut in two: the first `training` for training, the
    /// rest held out. The same seed gives the same split on every machine.
    pub fn shuffled_split(&self, training: usize, seed: u64) -> Result<(Digits, Digits)> {
        let m = self.x.nrows();
        if training > m {
            return Err(Error::invalid(
                "training examples",
                format!("at most the {m} examples there are"),
                training,
            ));
        }
        let mut order: Vec<usize> = (0..m).collect();
        order.shuffle(&mut rng(seed));
        Ok((
            self.select(&order[..training]),
            self.select(&order[training..]),
        ))
    }
}

// ANCHOR: load_course
/// Reads the course's ex4data1.mat: X (m × 400) and y (m × 1) with labels 1..10. Label k becomes
/// output unit k − 1, so label 10 (the digit 0) is the last unit, as in the course's weights.
pub fn load_course_data(path: &Path) -> Result<Digits> {
    let mat = MatFile::open(path)?;
    let x = mat.matrix("X", None)?;
    let y = mat.matrix("y", None)?;
    let classes = course_classes(path, &x, &y)?;
    let class_names = (1..=10).map(|k| (k % 10).to_string()).collect();
    Ok(Digits {
        x,
        classes,
        class_names,
        side: 20,
        column_major: true,
        source: format!("the course's {EX4_DATA}"),
    })
}

/// Reads the course's ex4weights.mat: Theta1 (25 × 401) and Theta2 (10 × 26).
pub fn load_course_weights(path: &Path) -> Result<[Array2<f64>; 2]> {
    let mat = MatFile::open(path)?;
    Ok([
        mat.matrix("Theta1", Some((25, 401)))?,
        mat.matrix("Theta2", Some((10, 26)))?,
    ])
}
// ANCHOR_END: load_course

/// The 0-based classes of the course's labels y, after checking that X has 400 pixels per row
/// and y one label 1..10 per row of X; each error names the file and what was expected.
fn course_classes(path: &Path, x: &Array2<f64>, y: &Array2<f64>) -> Result<Vec<usize>> {
    let bad = |message: String| Error::Data {
        path: path.to_path_buf(),
        message,
    };
    if x.ncols() != 400 {
        return Err(bad(format!(
            "X has {} columns, expected 400 (20×20 pixels per image)",
            x.ncols()
        )));
    }
    if y.dim() != (x.nrows(), 1) {
        return Err(bad(format!(
            "y has shape {}×{}, expected {}×1 (one label per row of X)",
            y.nrows(),
            y.ncols(),
            x.nrows()
        )));
    }
    let mut classes = Vec::with_capacity(y.nrows());
    for (i, &label) in y.iter().enumerate() {
        if label.fract() != 0.0 || !(1.0..=10.0).contains(&label) {
            return Err(bad(format!(
                "y({}) is {label}, expected a label 1..10 (10 means the digit 0)",
                i + 1
            )));
        }
        classes.push(label as usize - 1);
    }
    Ok(classes)
}

/// The UCI handwritten digits that `smartcore` bundles: 1,797 images of 8 × 8 pixels with values
/// 0..16, scaled here to 0..1; class = digit.
pub fn uci_digits() -> Digits {
    let data = smartcore::dataset::digits::load_dataset();
    let x = Array2::from_shape_vec(
        (data.num_samples, data.num_features),
        data.data.iter().map(|&v| f64::from(v) / 16.0).collect(),
    )
    .expect("the bundled set is consistent");
    let classes = data.target.iter().map(|&t| t as usize).collect();
    Digits {
        x,
        classes,
        class_names: (0..10).map(|d| d.to_string()).collect(),
        side: 8,
        column_major: false,
        source: "the UCI 8×8 digits bundled with smartcore".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_are_gits() {
        // `printf 'hello\n' | git hash-object --stdin` and the empty blob, as git computes them.
        assert_eq!(
            git_blob_id(b"hello\n"),
            "ce013625030ba8dba906f756967f9e9ca394464a"
        );
        assert_eq!(git_blob_id(b""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
    }

    #[test]
    fn provenance_names_a_different_file_and_refuses_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(EX4_DATA);
        std::fs::write(&path, b"not the course's").unwrap();
        let said = provenance(EX4_DATA, &path).unwrap();
        assert!(
            said.contains("is not the course's original file")
                && said.contains(&EX4_DATA_BLOB[..12])
                && said.contains("will not be the course's"),
            "{said}"
        );
        assert!(provenance("ex3data1.mat", &path).is_err());
        assert!(provenance(EX4_DATA, &dir.path().join("missing.mat")).is_err());
    }

    #[test]
    fn uci_digits_have_the_expected_shape() {
        let d = uci_digits();
        assert_eq!((d.x.nrows(), d.x.ncols(), d.side), (1797, 64, 8));
        assert!(d.x.iter().all(|v| (0.0..=1.0).contains(v)));
        assert_eq!(d.classes.iter().max(), Some(&9));
    }

    #[test]
    fn missing_files_say_where_they_were_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let err = locate("nothing.mat", Some(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("nothing.mat not found; looked in ")
                && err.contains(&dir.path().display().to_string()),
            "{err}"
        );
        assert!(err.contains("./data/"));
    }

    #[test]
    fn column_major_rows_become_upright_images() {
        let mut d = uci_digits().select(&[0]);
        d.x = Array2::from_shape_fn((1, 4), |(_, j)| j as f64);
        d.side = 2;
        assert_eq!(d.image(0), ndarray::array![[0.0, 1.0], [2.0, 3.0]]);
        d.column_major = true;
        assert_eq!(d.image(0), ndarray::array![[0.0, 2.0], [1.0, 3.0]]);
    }

    #[test]
    fn a_shuffled_split_keeps_every_example_once_and_repeats_with_its_seed() {
        let mut d = uci_digits().select(&(0..10).collect::<Vec<_>>());
        d.x = Array2::from_shape_fn((10, 1), |(i, _)| i as f64);
        let (train, test) = d.shuffled_split(3, 9).unwrap();
        assert_eq!((train.x.nrows(), test.x.nrows()), (3, 7));
        let mut seen: Vec<f64> = train.x.iter().chain(test.x.iter()).copied().collect();
        assert_ne!(seen, (0..10).map(f64::from).collect::<Vec<_>>(), "shuffled");
        seen.sort_by(f64::total_cmp);
        assert_eq!(seen, (0..10).map(f64::from).collect::<Vec<_>>());
        assert_eq!(d.shuffled_split(3, 9).unwrap().0.x, train.x);
        assert_ne!(d.shuffled_split(3, 10).unwrap().0.x, train.x);
        let err = d.shuffled_split(11, 9).unwrap_err().to_string();
        assert!(
            err.contains("at most the 10 examples") && err.contains("11"),
            "{err}"
        );
    }
}
