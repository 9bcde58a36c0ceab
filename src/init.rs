//! Initial weights. All-equal weights keep every hidden unit identical forever (chapter 6 shows
//! it), so weights start small and random.

use ndarray::Array2;
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

// ANCHOR: random_init
/// A matrix for a layer with `fan_in` inputs and `fan_out` units, shape fan_out × (1 + fan_in),
/// uniform in (−ε, ε).
pub fn uniform(fan_out: usize, fan_in: usize, epsilon: f64, rng: &mut ChaCha8Rng) -> Array2<f64> {
    Array2::from_shape_simple_fn((fan_out, 1 + fan_in), || {
        rng.random_range(-epsilon..epsilon)
    })
}

/// The course's suggestion for ε: √6 / √(L_in + L_out).
pub fn epsilon_for(fan_in: usize, fan_out: usize) -> f64 {
    6f64.sqrt() / ((fan_in + fan_out) as f64).sqrt()
}
// ANCHOR_END: random_init
