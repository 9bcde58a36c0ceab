//! Unrolling: all Θ matrices as one vector, the form optimisers and gradient checking work on.
//! The order is Octave's `[Theta1(:); Theta2(:)]`: each matrix column by column, so the
//! course's listings line up entry for entry.

use ndarray::{Array1, Array2, ShapeBuilder};

use crate::{Error, Result};

/// Θ^(1), Θ^(2), … flattened column-major (Octave's order) and concatenated.
///
/// ```
/// use ndarray::array;
/// use backprop_book::unroll::{unroll, roll};
/// let t = array![[1.0, 2.0], [3.0, 4.0]];
/// let v = unroll(&[t.clone()]);
/// assert_eq!(v.to_vec(), vec![1.0, 3.0, 2.0, 4.0]); // column by column
/// assert_eq!(roll(&v, &[(2, 2)])?, vec![t]);
/// # Ok::<(), backprop_book::Error>(())
/// ```
// ANCHOR: unroll
pub fn unroll(thetas: &[Array2<f64>]) -> Array1<f64> {
    thetas
        .iter()
        .flat_map(|t| t.t().iter().copied().collect::<Vec<_>>())
        .collect()
}

/// The inverse of [`unroll`]: cuts `v` into matrices of the given shapes, each filled column by
/// column.
pub fn roll(v: &Array1<f64>, shapes: &[(usize, usize)]) -> Result<Vec<Array2<f64>>> {
    check_length(v, shapes)?;
    let mut start = 0;
    let mut out = Vec::with_capacity(shapes.len());
    for &(r, c) in shapes {
        let part = v.slice(ndarray::s![start..start + r * c]).to_vec();
        out.push(Array2::from_shape_vec((r, c).f(), part).expect("length checked above"));
        start += r * c;
    }
    Ok(out)
}
// ANCHOR_END: unroll

/// An error unless `v` has exactly the entries that matrices of `shapes` hold.
fn check_length(v: &Array1<f64>, shapes: &[(usize, usize)]) -> Result<()> {
    let needed: usize = shapes.iter().map(|(r, c)| r * c).sum();
    if v.len() == needed {
        Ok(())
    } else {
        Err(Error::invalid(
            "unrolled parameter vector",
            format!("{needed} entries for shapes {shapes:?}"),
            format!("{} entries", v.len()),
        ))
    }
}

/// Row-major unrolling (ndarray's and numpy's default), for comparison: the same numbers in
/// another order, which is why mixing the two conventions misplaces weights.
pub fn unroll_row_major(thetas: &[Array2<f64>]) -> Array1<f64> {
    thetas
        .iter()
        .flat_map(|t| t.iter().copied().collect::<Vec<_>>())
        .collect()
}

/// For each entry of [`unroll`]'s vector, whether it sits in a bias column (column 0 of its Θ):
/// the entries regularisation leaves alone.
pub fn bias_entries(thetas: &[Array2<f64>]) -> Vec<bool> {
    thetas
        .iter()
        .flat_map(|t| (0..t.len()).map(move |k| k < t.nrows()))
        .collect()
}

/// The shapes of the Θs, for [`roll`].
pub fn shapes(thetas: &[Array2<f64>]) -> Vec<(usize, usize)> {
    thetas.iter().map(|t| t.dim()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_wrong_lengths() {
        let a = Array2::from_shape_fn((5, 3), |(i, j)| (i * 3 + j) as f64);
        let b = Array2::from_shape_fn((4, 6), |(i, j)| 100.0 + (i * 6 + j) as f64);
        let v = unroll(&[a.clone(), b.clone()]);
        assert_eq!(v.len(), 39);
        assert_eq!(
            roll(&v, &shapes(&[a.clone(), b.clone()])).unwrap(),
            vec![a, b]
        );
        assert!(
            roll(&v, &[(5, 3), (4, 5)])
                .unwrap_err()
                .to_string()
                .contains("35 entries")
        );
    }

    #[test]
    fn bias_entries_are_the_first_column_of_each_theta() {
        let thetas = [Array2::zeros((2, 3)), Array2::zeros((1, 3))];
        let flags = bias_entries(&thetas);
        assert_eq!(
            flags,
            [true, true, false, false, false, false, true, false, false]
        );
    }
}
