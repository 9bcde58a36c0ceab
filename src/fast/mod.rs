//! Fast paths beside the readable code: the same algorithms, rearranged for speed. Each function
//! here has a readable twin elsewhere in the library, and a test proves the two agree.

pub mod backprop;
pub mod descent;
pub mod gemm;
pub mod gradcheck;
pub mod memory;
pub mod vmath;

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::Result;

use crate::network::Network;
use crate::train::Descent;

pub use backprop::cost_and_gradient;

pub use gradcheck::check_network;
pub use memory::prepared;

/// Trains each network with [`descent::run`], spread over the CPU's cores, and returns each
/// one's final cost (the moons experiment: one network per hidden-layer size).
pub fn train_all(
    descent: &Descent,
    nets: Vec<Network>,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<Vec<f64>> {
    // Largest networks first, so the last one to finish is a small one; results stay in the
    // networks' order.
    let mut order: Vec<usize> = (0..nets.len()).collect();
    order.sort_by_key(|&i| {
        std::cmp::Reverse(nets[i].thetas().iter().map(|t| t.len()).sum::<usize>())
    });
    let mut costs: Vec<(usize, Result<f64>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            let cost = descent::run(descent, nets[i].clone(), x, y)
                .map(|(_, costs)| costs[costs.len() - 1]);
            (i, cost)
        })
        .collect();
    costs.sort_by_key(|(i, _)| *i);
    costs.into_iter().map(|(_, cost)| cost).collect()
}
