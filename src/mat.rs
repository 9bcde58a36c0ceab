//! Reading MATLAB/Octave MAT files (version 5, compressed or not) with the `matfile` crate, and
//! turning their column-major numeric arrays into checked `ndarray` matrices.

use std::path::Path;

use ndarray::{Array2, ShapeBuilder};

use crate::{Error, Result};

/// A parsed MAT file and where it came from (for error messages).
pub struct MatFile {
    path: std::path::PathBuf,
    inner: matfile::MatFile,
}

fn data_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

impl MatFile {
    /// Reads and parses `path`. Tells apart a missing file, an empty one, an HDF5-based
    /// MAT v7.3 file (which `matfile` cannot read) and anything else that does not parse.
    pub fn open(path: &Path) -> Result<MatFile> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            action: "reading",
            path: path.to_path_buf(),
            source,
        })?;
        MatFile::parse(path, &bytes)
    }

    /// Parses the bytes of a MAT file; `path` only names it in errors. Never panics: a panic
    /// inside the parser on malformed input is reported as a malformed file.
    pub fn parse(path: &Path, bytes: &[u8]) -> Result<MatFile> {
        if bytes.is_empty() {
            return Err(data_error(
                path,
                "the file is empty, expected a MAT file (version 5)",
            ));
        }
        if bytes.starts_with(b"MATLAB 7.3 MAT-file")
            || bytes.len() > 520 && &bytes[512..516] == b"\x89HDF"
        {
            return Err(data_error(
                path,
                "this is a MAT v7.3 (HDF5) file, which is not supported: save it with -v7 (Octave: save -v7 file.mat X y)",
            ));
        }
        if bytes.len() < 128 || !bytes.starts_with(b"MATLAB") {
            return Err(data_error(
                path,
                "not a MAT file: it does not start with a MAT version 5 header (\"MATLAB 5.0 MAT-file\")",
            ));
        }
        check_elements(path, bytes)?;
        let parsed = std::panic::catch_unwind(|| matfile::MatFile::parse(bytes));
        match parsed {
            Ok(Ok(inner)) if inner.arrays().is_empty() => Err(data_error(
                path,
                "no variables could be read from this MAT file",
            )),
            Ok(Ok(inner)) => Ok(MatFile {
                path: path.to_path_buf(),
                inner,
            }),
            Ok(Err(e)) => Err(data_error(
                path,
                format!("malformed MAT file ({e}); is it truncated?"),
            )),
            Err(_) => Err(data_error(
                path,
                "malformed MAT file (the parser gave up); is it truncated?",
            )),
        }
    }

    /// The names of the variables in the file.
    pub fn names(&self) -> Vec<&str> {
        self.inner.arrays().iter().map(|a| a.name()).collect()
    }

    /// Variable `name` as a real matrix of f64 (any numeric class is converted), with its shape
    /// checked against `expected` (rows, cols) where given and every value finite.
    pub fn matrix(&self, name: &str, expected: Option<(usize, usize)>) -> Result<Array2<f64>> {
        let array = self.inner.find_by_name(name).ok_or_else(|| {
            data_error(
                &self.path,
                format!("no variable named {name}; the file has {:?}", self.names()),
            )
        })?;
        let size = array.size();
        if size.len() != 2 {
            return Err(data_error(
                &self.path,
                format!(
                    "{name} has {} dimensions, expected a 2-D matrix",
                    size.len()
                ),
            ));
        }
        let (rows, cols) = (size[0], size[1]);
        if let Some((r, c)) = expected
            && (rows, cols) != (r, c)
        {
            return Err(data_error(
                &self.path,
                format!("{name} has shape {rows}×{cols}, expected {r}×{c}"),
            ));
        }
        let values = real_values(array.data()).ok_or_else(|| {
            data_error(
                &self.path,
                format!("{name} is complex, expected real numbers"),
            )
        })?;
        if values.len() != rows * cols {
            return Err(data_error(
                &self.path,
                format!(
                    "{name} holds {} values for a {rows}×{cols} shape",
                    values.len()
                ),
            ));
        }
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            let (r, c) = (i % rows.max(1), i / rows.max(1));
            return Err(data_error(
                &self.path,
                format!(
                    "{name}({}, {}) is {}, expected finite numbers",
                    r + 1,
                    c + 1,
                    values[i]
                ),
            ));
        }
        // MAT files store matrices column by column.
        Ok(Array2::from_shape_vec((rows, cols).f(), values).expect("length checked"))
    }
}

/// Walks the top-level data elements after the 128-byte header (each an 8-byte tag: type, byte
/// count) and fails if one claims more bytes than the file has: the sign of a truncated file,
/// which the parser would otherwise skip silently.
fn check_elements(path: &Path, bytes: &[u8]) -> Result<()> {
    let word =
        |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as usize;
    let mut at = 128;
    while at + 8 <= bytes.len() {
        let (kind, size) = (word(at), word(at + 4));
        let end = at + 8 + size;
        if end > bytes.len() {
            return Err(data_error(
                path,
                format!(
                    "truncated MAT file: the element at byte {at} needs {size} bytes, only {} remain",
                    bytes.len() - at - 8
                ),
            ));
        }
        // Uncompressed elements are padded to a multiple of 8 bytes; compressed ones (type 15) are not.
        at = if kind == 15 {
            end
        } else {
            end.next_multiple_of(8)
        };
    }
    Ok(())
}

/// The real part as f64, whatever the numeric class; None for complex data.
fn real_values(data: &matfile::NumericData) -> Option<Vec<f64>> {
    use matfile::NumericData as N;
    macro_rules! convert {
        ($real:expr, $imag:expr) => {
            if $imag.is_some() {
                None
            } else {
                Some($real.iter().map(|&v| v as f64).collect())
            }
        };
    }
    match data {
        N::Int8 { real, imag } => convert!(real, imag),
        N::UInt8 { real, imag } => convert!(real, imag),
        N::Int16 { real, imag } => convert!(real, imag),
        N::UInt16 { real, imag } => convert!(real, imag),
        N::Int32 { real, imag } => convert!(real, imag),
        N::UInt32 { real, imag } => convert!(real, imag),
        N::Int64 { real, imag } => convert!(real, imag),
        N::UInt64 { real, imag } => convert!(real, imag),
        N::Single { real, imag } => convert!(real, imag),
        N::Double { real, imag } => convert!(real, imag),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(bytes: &[u8]) -> String {
        MatFile::parse(Path::new("x.mat"), bytes)
            .err()
            .expect("should fail")
            .to_string()
    }

    #[test]
    fn bad_files_are_named_and_explained() {
        assert!(err(b"").contains("empty"));
        assert!(err(&[b'x'; 300]).contains("not a MAT file"));
        let mut v73 = b"MATLAB 7.3 MAT-file, Platform: GLNXA64".to_vec();
        v73.resize(600, 0);
        assert!(err(&v73).contains("save it with -v7"));
        // A version 5 file written by Octave 7.3 is not mistaken for v7.3.
        let mut octave = b"MATLAB 5.0 MAT-file, written by Octave 7.3.0".to_vec();
        octave.resize(128, b' ');
        assert!(!err(&octave).contains("-v7"));
        let mut header_only = b"MATLAB 5.0 MAT-file".to_vec();
        header_only.resize(128, b' ');
        header_only.extend_from_slice(&[15, 0, 0, 0, 200, 0, 0, 0, 1, 2, 3]);
        assert!(
            err(&header_only)
                .contains("truncated MAT file: the element at byte 128 needs 200 bytes"),
            "{}",
            err(&header_only)
        );
    }
}
