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

/// The course's suggestion for ε: √6 / √(L_in + L_out). Arguments in the order of
/// [`uniform`]'s, the order of Θ's shape.
pub fn epsilon_for(fan_out: usize, fan_in: usize) -> f64 {
    6f64.sqrt() / ((fan_in + fan_out) as f64).sqrt()
}
// ANCHOR_END: random_init

/// A sigmoid network of the given sizes [n0, n1, …, nL] with every Θ uniform in (−ε, ε), drawn
/// layer by layer from `rng`: the course's start (ε = 0.12 for its 400-25-10 network).
pub fn uniform_network(
    sizes: &[usize],
    epsilon: f64,
    rng: &mut ChaCha8Rng,
) -> crate::Result<crate::network::Network> {
    check_sizes(sizes)?;
    let thetas = sizes
        .windows(2)
        .map(|w| uniform(w[1], w[0], epsilon, rng))
        .collect();
    crate::network::Network::new(thetas, crate::activation::Activation::Sigmoid)
}

/// A sigmoid network of the given sizes with each Θ uniform in ±[`epsilon_for`] its own layer:
/// the course's suggested start, used by chapter 9 and the tests that check it.
pub fn epsilon_network(
    sizes: &[usize],
    rng: &mut ChaCha8Rng,
) -> crate::Result<crate::network::Network> {
    check_sizes(sizes)?;
    let thetas = sizes
        .windows(2)
        .map(|w| uniform(w[1], w[0], epsilon_for(w[1], w[0]), rng))
        .collect();
    crate::network::Network::new(thetas, crate::activation::Activation::Sigmoid)
}

fn check_sizes(sizes: &[usize]) -> crate::Result<()> {
    if sizes.len() < 2 || sizes.contains(&0) {
        return Err(crate::Error::invalid(
            "layer sizes",
            "at least two layers, each with at least one unit",
            format!("{sizes:?}"),
        ));
    }
    Ok(())
}

// ANCHOR: scaled_normal
/// The moons chapter's initialisation (the note's): weights drawn from N(0, 1) divided by
/// √fan_in, so each unit's weighted sum starts with variance about 1; biases start at 0.
pub fn scaled_normal(fan_out: usize, fan_in: usize, rng: &mut ChaCha8Rng) -> Array2<f64> {
    let scale = (fan_in as f64).sqrt();
    let mut theta = Array2::from_shape_simple_fn((fan_out, 1 + fan_in), || {
        let w: f64 = rng.sample(rand_distr::StandardNormal);
        w / scale
    });
    theta.column_mut(0).fill(0.0);
    theta
}
// ANCHOR_END: scaled_normal

/// A network of the given sizes [n0, n1, …, nL] initialised with [`scaled_normal`], one
/// activation for every hidden layer.
pub fn scaled_normal_network(
    sizes: &[usize],
    hidden: crate::activation::Activation,
    rng: &mut ChaCha8Rng,
) -> crate::Result<crate::network::Network> {
    check_sizes(sizes)?;
    let thetas = sizes
        .windows(2)
        .map(|w| scaled_normal(w[1], w[0], rng))
        .collect();
    crate::network::Network::new(thetas, hidden)
}
