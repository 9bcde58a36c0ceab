//! Fast paths beside the readable code: the same algorithms, rearranged for speed. Each function
//! here has a readable twin elsewhere in the library, and a test proves the two agree.

pub mod backprop;
pub mod descent;
pub mod gemm;
pub mod gradcheck;
pub mod vmath;

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::Result;

use crate::network::Network;
use crate::train::Descent;

pub use backprop::cost_and_gradient;

pub use gradcheck::check_network;

/// Asks Linux to back the whole 2 MB pages inside `data` with single 2 MB pages, as numpy does
/// for every array of 4 MB or more. Streaming a 5000 × 400 X then takes 8 page-table entries
/// instead of 3,900, and most of the TLB misses (dear in a virtual machine) go: cost + gradient
/// ran 3–7% faster (measured). A hint: the contents never change, a refusal is ignored, and other
/// systems do nothing. The first call on 16 MB took about 50 ms (the kernel copies the pages);
/// later calls, microseconds.
pub fn prefer_huge_pages(data: &[f64]) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let first = data.as_ptr() as usize;
        let (start, end) = (
            first.next_multiple_of(HUGE),
            (first + std::mem::size_of_val(data)) / HUGE * HUGE,
        );
        if end > start {
            let at = start as *mut libc::c_void;
            // SAFETY: [start, end) lies inside `data`; these two advices change how its pages
            // are mapped, never what they hold.
            unsafe {
                libc::madvise(at, end - start, libc::MADV_HUGEPAGE);
                libc::madvise(at, end - start, libc::MADV_COLLAPSE);
            }
        }
    }
}

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
