//! How the grader compares numbers: equal up to rounding, a non-finite value never equal to a
//! finite one, and every printed number short enough to read in a table.

/// Relative tolerance (absolute near 0): a learner's sums in another order differ from the
/// library's by about 1e-15; every known mistake changes a value by far more than 1e-9.
pub const TOLERANCE: f64 = 1e-9;

/// `got` equals `want` up to [`TOLERANCE`]. Two non-finite values count as equal (a NaN and an
/// ∞ both say "log(0) happened"), a non-finite and a finite one never do.
pub fn close(got: f64, want: f64) -> bool {
    if !got.is_finite() || !want.is_finite() {
        return !got.is_finite() && !want.is_finite();
    }
    (got - want).abs() <= TOLERANCE * (1.0 + want.abs())
}

/// The index of the first entry where `got` and `want` differ (lengths assumed equal).
pub fn first_difference(got: &[f64], want: &[f64]) -> Option<usize> {
    got.iter().zip(want).position(|(&g, &w)| !close(g, w))
}

/// How many entries differ.
pub fn differences(got: &[f64], want: &[f64]) -> usize {
    got.iter()
        .zip(want)
        .filter(|&(&g, &w)| !close(g, w))
        .count()
}

/// Same length and [`close`] everywhere.
pub fn all_close(got: &[f64], want: &[f64]) -> bool {
    got.len() == want.len() && first_difference(got, want).is_none()
}

/// A number for feedback: ten significant digits, in e-notation when very small or large.
pub fn show(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        format!("{v}")
    } else if (1e-3..1e6).contains(&v.abs()) {
        let decimals = (9 - v.abs().log10().floor() as i32).max(0) as usize;
        format!("{v:.decimals$}")
    } else {
        format!("{v:.9e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_equal_and_a_mistake_is_not() {
        assert!(close(0.287629, 0.287629 + 1e-15));
        assert!(!close(0.287629, 0.287630));
        assert!(close(f64::NAN, f64::INFINITY));
        assert!(!close(f64::NAN, 1.0) && !close(1.0, f64::NAN));
        assert_eq!(
            first_difference(&[1.0, 2.0, 3.0], &[1.0, 2.5, 3.5]),
            Some(1)
        );
        assert_eq!(differences(&[1.0, 2.0, 3.0], &[1.0, 2.5, 3.5]), 2);
        assert!(!all_close(&[1.0], &[1.0, 2.0]));
    }

    #[test]
    fn numbers_are_shown_with_ten_digits() {
        assert_eq!(show(0.2876291651613189), "0.2876291652");
        assert_eq!(show(-12.5), "-12.50000000");
        assert_eq!(show(1.5e-7), "1.500000000e-7");
        assert_eq!(show(0.0), "0");
        assert_eq!(show(f64::NAN), "NaN");
    }
}
