//! Data sets the chapters make themselves, from a seed, so every run prints the same numbers.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The random number generator every chapter uses: ChaCha8 gives the same stream on every platform.
pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// Red (0) and blue (1) points in [−1, 1]², labelled by which side of a hidden line
/// `hidden.0 · x₁ + hidden.1 · x₂ + hidden.2 > 0` they fall on. Points closer to the line than
/// `margin` are redrawn, so the two colours are linearly separable with room to spare.
pub fn separable_points(
    n: usize,
    hidden: (f64, f64, f64),
    margin: f64,
    seed: u64,
) -> (Vec<[f64; 2]>, Vec<u8>) {
    let mut rng = rng(seed);
    let norm = hidden.0.hypot(hidden.1);
    let (mut points, mut labels) = (Vec::with_capacity(n), Vec::with_capacity(n));
    while points.len() < n {
        let p = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
        let side = hidden.0 * p[0] + hidden.1 * p[1] + hidden.2;
        if side.abs() / norm >= margin {
            points.push(p);
            labels.push(u8::from(side > 0.0));
        }
    }
    (points, labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_points_respect_the_margin_and_the_seed() {
        let (p, l) = separable_points(200, (1.0, -2.0, 0.3), 0.1, 7);
        assert_eq!((p.len(), l.len()), (200, 200));
        for (x, &y) in p.iter().zip(&l) {
            let side = x[0] - 2.0 * x[1] + 0.3;
            assert!(side.abs() / 5f64.sqrt() >= 0.1);
            assert_eq!(y, u8::from(side > 0.0));
        }
        assert!(l.contains(&0) && l.contains(&1));
        assert_eq!(separable_points(200, (1.0, -2.0, 0.3), 0.1, 7).0, p);
        assert_ne!(separable_points(200, (1.0, -2.0, 0.3), 0.1, 8).0, p);
    }
}
