//! The two plain products of `cost_grad`, Z = X·Wᵀ (5000×400 by 400×25) and Δ = δᵀ·X (25×5000
//! by 5000×400), timed with our kernels (`fast::gemm`) and with the `gemm` crate (runtime
//! dispatch up to AVX-512; faer and candle use it), alternating, in one process, on one core.
//! The crate is timed on the whole matrices and, as our blocked cost and gradient would call
//! it, on blocks of 60 rows. Each time is the median of RUNS; the results must agree.

use std::hint::black_box;
use std::time::Instant;

use backprop_book::fast::gemm::{Rows, dot_products, outer_products_add, padded};
use gemm::Parallelism;

const RUNS: usize = 15;
/// Rows per block, as `fast::backprop` cuts X.
const BLOCK: usize = 60;

/// One way to compute a product, timed.
struct Way {
    name: &'static str,
    times: Vec<f64>,
}

fn median(times: &[f64]) -> f64 {
    let mut t = times.to_vec();
    t.sort_by(f64::total_cmp);
    t[t.len() / 2]
}

/// dst (rows × cols, row-major) = lhs · rhs, or += when `add`, with strides given as (row,
/// column) steps.
#[allow(clippy::too_many_arguments)]
fn crate_gemm(
    add: bool,
    rows: usize,
    cols: usize,
    inner: usize,
    dst: &mut [f64],
    lhs: &[f64],
    (lhs_rs, lhs_cs): (usize, usize),
    rhs: &[f64],
    (rhs_rs, rhs_cs): (usize, usize),
) {
    let last = |rs: usize, cs: usize, r: usize, c: usize| (r - 1) * rs + (c - 1) * cs;
    assert!(dst.len() >= rows * cols);
    assert!(lhs.len() > last(lhs_rs, lhs_cs, rows, inner));
    assert!(rhs.len() > last(rhs_rs, rhs_cs, inner, cols));
    // SAFETY: the asserts above keep every index the strides reach inside the slices.
    unsafe {
        gemm::gemm(
            rows,
            cols,
            inner,
            dst.as_mut_ptr(),
            1,
            cols as isize,
            add,
            lhs.as_ptr(),
            lhs_cs as isize,
            lhs_rs as isize,
            rhs.as_ptr(),
            rhs_cs as isize,
            rhs_rs as isize,
            if add { 1.0 } else { 0.0 },
            1.0,
            false,
            false,
            false,
            Parallelism::None,
        );
    }
}

fn largest_difference(a: &[f64], b: &[f64]) -> f64 {
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// Times each way RUNS times, round robin, and returns their medians.
fn alternate(ways: &mut [Way], mut run: impl FnMut(usize)) {
    for _ in 0..RUNS {
        for (i, way) in ways.iter_mut().enumerate() {
            let start = Instant::now();
            run(i);
            way.times.push(start.elapsed().as_secs_f64());
        }
    }
}

fn way(name: &'static str) -> Way {
    Way {
        name,
        times: Vec::new(),
    }
}

fn json(product: &str, ways: &[Way], difference: f64) -> String {
    let times: Vec<String> = ways
        .iter()
        .map(|w| format!("\"{}\": {:e}", w.name, median(&w.times)))
        .collect();
    format!(
        "{{\"product\": \"{product}\", {}, \"largest_difference\": {difference:e}}}",
        times.join(", ")
    )
}

/// X (m × n, row-major), W (h × n, rows `w_stride` apart): both products, three ways each.
pub fn report(x: &[f64], m: usize, n: usize, w: &[f64], w_stride: usize, h: usize) -> String {
    let w_rows = Rows {
        data: w,
        stride: w_stride,
    };
    let width = padded(h);
    let zeros = vec![0.0; width];

    // Z = X·Wᵀ.
    let mut ours_z = vec![0.0; m * width];
    let mut crate_z = vec![0.0; m * h];
    let mut blocks_z = vec![0.0; m * h];
    let mut ways = [way("ours"), way("gemm"), way("gemm_blocks")];
    alternate(&mut ways, |i| match i {
        0 => {
            for start in (0..m).step_by(BLOCK) {
                let rows = BLOCK.min(m - start);
                let block = Rows {
                    data: &x[start * n..],
                    stride: n,
                };
                dot_products(
                    block,
                    w_rows,
                    n,
                    rows,
                    h,
                    &zeros,
                    width,
                    &mut ours_z[start * width..],
                );
            }
            black_box(&ours_z);
        }
        1 => {
            crate_gemm(false, m, h, n, &mut crate_z, x, (n, 1), w, (1, w_stride));
            black_box(&crate_z);
        }
        _ => {
            for start in (0..m).step_by(BLOCK) {
                let rows = BLOCK.min(m - start);
                crate_gemm(
                    false,
                    rows,
                    h,
                    n,
                    &mut blocks_z[start * h..],
                    &x[start * n..],
                    (n, 1),
                    w,
                    (1, w_stride),
                );
            }
            black_box(&blocks_z);
        }
    });
    let ours_dense: Vec<f64> = (0..m)
        .flat_map(|r| ours_z[r * width..r * width + h].to_vec())
        .collect();
    let z_difference =
        largest_difference(&ours_dense, &crate_z).max(largest_difference(&ours_dense, &blocks_z));
    let z = json("Z = X·Wᵀ", &ways, z_difference);

    // Δ = δᵀ·X, with δ from Z (any m × h values do; these have the right size).
    let d: Vec<f64> = crate_z
        .iter()
        .map(|z| 1.0 / (1.0 + (-z).exp()) - 0.5)
        .collect();
    let mut ours_g = vec![0.0; h * n];
    let mut crate_g = vec![0.0; h * n];
    let mut blocks_g = vec![0.0; h * n];
    let mut ways = [way("ours"), way("gemm"), way("gemm_blocks")];
    alternate(&mut ways, |i| match i {
        0 => {
            ours_g.fill(0.0);
            for start in (0..m).step_by(BLOCK) {
                let rows = BLOCK.min(m - start);
                let d_rows = Rows {
                    data: &d[start * h..],
                    stride: h,
                };
                let block = Rows {
                    data: &x[start * n..],
                    stride: n,
                };
                outer_products_add(d_rows, block, rows, h, n, &mut ours_g);
            }
            black_box(&ours_g);
        }
        1 => {
            crate_gemm(false, h, n, m, &mut crate_g, &d, (1, h), x, (n, 1));
            black_box(&crate_g);
        }
        _ => {
            // The crate adds into dst when told to read it: one call per block, as ours.
            blocks_g.fill(0.0);
            for start in (0..m).step_by(BLOCK) {
                let rows = BLOCK.min(m - start);
                crate_gemm(
                    true,
                    h,
                    n,
                    rows,
                    &mut blocks_g,
                    &d[start * h..],
                    (1, h),
                    &x[start * n..],
                    (n, 1),
                );
            }
            black_box(&blocks_g);
        }
    });
    let g_difference =
        largest_difference(&ours_g, &crate_g).max(largest_difference(&ours_g, &blocks_g));
    let g = json("Δ = δᵀ·X", &ways, g_difference);
    format!("{{\"task\": \"products\", \"products\": [{z}, {g}]}}")
}
