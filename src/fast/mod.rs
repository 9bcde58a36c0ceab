//! Fast paths beside the readable code: the same algorithms, rearranged for speed. Each function
//! here has a readable twin elsewhere in the library, and a test proves the two agree.

pub mod backprop;
pub mod descent;
pub mod gemm;
pub mod gradcheck;
pub mod vmath;

use ndarray::ArrayView2;

use crate::Result;

use crate::network::Network;
use crate::train::Descent;

pub use backprop::cost_and_gradient;

pub use gradcheck::check_network;

/// Trains each network with [`descent::run`], spread over the CPU's cores, and returns each
/// one's final cost (the moons experiment: one network per hidden-layer size).
pub fn train_all(
    descent: &Descent,
    nets: Vec<Network>,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
) -> Result<Vec<f64>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // Largest networks first, so the last one to finish is a small one.
    let mut order: Vec<usize> = (0..nets.len()).collect();
    order.sort_by_key(|&i| {
        std::cmp::Reverse(nets[i].thetas().iter().map(|t| t.len()).sum::<usize>())
    });
    let results: Vec<std::sync::Mutex<Option<Result<f64>>>> =
        nets.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let work = || {
        while let Some(&i) = order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
            let cost = descent::run(descent, nets[i].clone(), x, y)
                .map(|(_, costs)| costs[costs.len() - 1]);
            *results[i].lock().expect("no panics while storing") = Some(cost);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads.min(nets.len()) {
            scope.spawn(work);
        }
        work();
    });
    results
        .into_iter()
        .map(|r| {
            r.into_inner()
                .expect("no panics")
                .expect("every network trained")
        })
        .collect()
}
