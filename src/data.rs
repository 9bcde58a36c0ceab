//! Data sets the chapters make themselves, from a seed, so every run prints the same numbers.

use ndarray::Array2;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::network::Network;

/// The sizes and seed of the bench's problem (`cargo xtask bench`): random data of the course's
/// exercise's shapes, written once so numpy, Octave and this crate all read identical numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DigitsShaped {
    pub examples: usize,
    pub pixels: usize,
    pub hidden: usize,
    pub labels: usize,
    /// The start's weights are uniform in (−ε, ε).
    pub epsilon: f64,
    pub seed: u64,
}

impl DigitsShaped {
    /// The bench's: 5,000 examples of 400 pixels, the 400-25-10 network, the course's ε = 0.12.
    pub const BENCH: DigitsShaped = DigitsShaped {
        examples: 5000,
        pixels: 400,
        hidden: 25,
        labels: 10,
        epsilon: 0.12,
        seed: 7,
    };

    /// X (pixels uniform in [0, 1), one example per row), the classes (uniform in
    /// 0..labels) and the course's uniform start, drawn in that order from one generator.
    pub fn generate(&self) -> crate::Result<(Array2<f64>, Vec<usize>, Network)> {
        let mut r = rng(self.seed);
        let x: Vec<f64> = (0..self.examples * self.pixels)
            .map(|_| r.random_range(0.0..1.0))
            .collect();
        let x = Array2::from_shape_vec((self.examples, self.pixels), x)
            .expect("examples × pixels values");
        let classes = (0..self.examples)
            .map(|_| r.random_range(0..self.labels))
            .collect();
        let sizes = [self.pixels, self.hidden, self.labels];
        let start = crate::init::uniform_network(&sizes, self.epsilon, &mut r)?;
        Ok((x, classes, start))
    }
}

/// The four inputs of a two-input truth table, one per row, and XNOR's targets (1 where both
/// inputs agree): the smallest problem a single line cannot solve (chapter 3).
pub fn xnor() -> (Array2<f64>, Array2<f64>) {
    (
        ndarray::array![[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]],
        ndarray::array![[1.0], [0.0], [0.0], [1.0]],
    )
}

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

// ANCHOR: moons
/// Two interleaving half circles, as scikit-learn's `make_moons` draws them: class 0 on
/// (cos t, sin t), class 1 on (1 − cos t, 1/2 − sin t), t evenly spaced in [0, π], plus Gaussian
/// noise of standard deviation `noise` on both coordinates. Returns X (n × 2) and the classes.
pub fn moons(n: usize, noise: f64, seed: u64) -> (ndarray::Array2<f64>, Vec<usize>) {
    let mut rng = rng(seed);
    let outer = n / 2 + n % 2;
    let inner = n / 2;
    let mut x = ndarray::Array2::zeros((n, 2));
    let mut classes = Vec::with_capacity(n);
    let step = |count: usize, i: usize| {
        if count > 1 {
            std::f64::consts::PI * i as f64 / (count - 1) as f64
        } else {
            0.0
        }
    };
    for i in 0..n {
        let (point, class) = if i < outer {
            let t = step(outer, i);
            ([t.cos(), t.sin()], 0)
        } else {
            let t = step(inner, i - outer);
            ([1.0 - t.cos(), 0.5 - t.sin()], 1)
        };
        for (j, v) in point.into_iter().enumerate() {
            let e: f64 = rng.sample(rand_distr::StandardNormal);
            x[[i, j]] = v + noise * e;
        }
        classes.push(class);
    }
    (x, classes)
}
// ANCHOR_END: moons

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
