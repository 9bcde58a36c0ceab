//! The matrix products backpropagation spends its time in, for row-major slices: Z = A·Wᵀ
//! (forward) and G += Dᵀ·A (the gradient's sum over examples, and δ back through Θ).
//! A tile of sums stays in registers while the rows go by. ndarray's `dot` does the same sums but
//! packs both operands into buffers first; with one operand only 25 columns wide, that packing
//! cost as much as the arithmetic (perf). On CPUs with fused multiply-add (checked at run time)
//! each step is one rounding instead of two, so the last bits of these sums, unlike the readable
//! code's, depend on the CPU.

// Kernels take their operands and every dimension explicitly, as BLAS routines do.
#![allow(clippy::too_many_arguments)]

/// Rounds `n` up to whole 4-lane vectors: the width of the padded buffers.
pub fn padded(n: usize) -> usize {
    n.div_ceil(4) * 4
}

/// A row-major matrix given as a slice with a row stride.
#[derive(Clone, Copy)]
pub struct Rows<'a> {
    pub data: &'a [f64],
    pub stride: usize,
}

impl<'a> Rows<'a> {
    /// Row r, its first `len` entries.
    #[inline(always)]
    fn row(&self, r: usize, len: usize) -> &'a [f64] {
        &self.data[r * self.stride..r * self.stride + len]
    }
}

/// acc + a·b, rounded once when `FUSED` (compiled only where the CPU has FMA), else twice.
#[inline(always)]
fn madd<const FUSED: bool>(acc: f64, a: f64, b: f64) -> f64 {
    if FUSED {
        a.mul_add(b, acc)
    } else {
        acc + a * b
    }
}

/// Entries `at..at + N` of a slice, as an array reference (one length check).
#[inline(always)]
fn window<const N: usize>(row: &[f64], at: usize) -> &[f64; N] {
    row[at..at + N].try_into().expect("a window inside the row")
}

/// Runs `$imp::<true>` compiled for AVX2 + FMA when the CPU has both (and [`super::kernels`]
/// allows them), else `$imp::<false>`: the one place each kernel chooses its path.
macro_rules! dispatch {
    ($imp:ident($($arg:ident: $ty:ty),*)) => {{
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx2,fma")]
            fn fused($($arg: $ty),*) {
                $imp::<true>($($arg),*)
            }
            if $crate::fast::kernels() == $crate::fast::Kernels::Native
                && std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                // SAFETY: the CPU was just checked to have AVX2 and FMA.
                return unsafe { fused($($arg),*) };
            }
        }
        $imp::<false>($($arg),*)
    }};
}

/// out[r, j] = init[j] + Σ_k a[r, k]·w[j, k] for r < rows, j < units (`out` has stride
/// `width`): Z = A·Wᵀ with both A and W read along their rows, as Θ is stored. Each entry is a
/// dot product, summed four lanes at a time; with FMA, 4 rows × 3 units per register tile.
pub fn dot_products(
    a: Rows,
    w: Rows,
    k_len: usize,
    rows: usize,
    units: usize,
    init: &[f64],
    width: usize,
    out: &mut [f64],
) {
    assert!(init.len() >= units && units <= width && out.len() >= rows * width);
    dispatch!(dot_impl(a: Rows, w: Rows, k_len: usize, rows: usize, units: usize, init: &[f64], width: usize, out: &mut [f64]))
}

/// Inputs per pass, for very long rows. Passes of 96 inputs (so W's slice stays in L1) measured
/// slower than whole rows of 400: the short loops cost more than reading W from L2.
const K_CHUNK: usize = 400;

#[inline(always)]
fn dot_impl<const FUSED: bool>(
    a: Rows,
    w: Rows,
    k_len: usize,
    rows: usize,
    units: usize,
    init: &[f64],
    width: usize,
    out: &mut [f64],
) {
    for r in 0..rows {
        out[r * width..r * width + units].copy_from_slice(&init[..units]);
    }
    for k0 in (0..k_len).step_by(K_CHUNK) {
        let kc = K_CHUNK.min(k_len - k0);
        let a = Rows {
            data: &a.data[k0..],
            stride: a.stride,
        };
        let w = Rows {
            data: &w.data[k0..],
            stride: w.stride,
        };
        let mut r0 = 0;
        while r0 < rows {
            if FUSED && rows - r0 >= 4 {
                dot_rows::<4, FUSED>(a, w, kc, r0, units, width, out);
                r0 += 4;
            } else if rows - r0 >= 2 {
                dot_rows::<2, FUSED>(a, w, kc, r0, units, width, out);
                r0 += 2;
            } else {
                dot_rows::<1, FUSED>(a, w, kc, r0, units, width, out);
                r0 += 1;
            }
        }
    }
}

#[inline(always)]
fn dot_rows<const R: usize, const FUSED: bool>(
    a: Rows,
    w: Rows,
    k_len: usize,
    r0: usize,
    units: usize,
    width: usize,
    out: &mut [f64],
) {
    let a_rows: [&[f64]; R] = std::array::from_fn(|r| a.row(r0 + r, k_len));
    let mut j0 = 0;
    while j0 < units {
        if FUSED && R == 4 {
            // Tiles of 3 units, but never a single unit left over (its tile has only four sums,
            // too few to keep the multiply-add units busy): 25 = 7 × 3 + 2 + 2.
            let a4: [&[f64]; 4] = std::array::from_fn(|r| a_rows[r.min(R - 1)]);
            j0 += match units - j0 {
                1 => fused_dot::<R, 1>(a4, w, j0, k_len, r0, width, out),
                2 | 4 => fused_dot::<R, 2>(a4, w, j0, k_len, r0, width, out),
                _ => fused_dot::<R, 3>(a4, w, j0, k_len, r0, width, out),
            };
        } else if units - j0 >= 4 {
            let sums = dot_tile::<R, 4, FUSED>(&a_rows, w, j0, k_len);
            add_to(&sums, r0, j0, width, out);
            j0 += 4;
        } else {
            let sums = dot_tile::<R, 1, FUSED>(&a_rows, w, j0, k_len);
            add_to(&sums, r0, j0, width, out);
            j0 += 1;
        }
    }
}

/// One fused tile: rows r0..r0 + 4 (of which the first R are kept) by units j0..j0 + J, added
/// to out. Returns J, the units done.
#[inline(always)]
fn fused_dot<const R: usize, const J: usize>(
    a4: [&[f64]; 4],
    w: Rows,
    j0: usize,
    k_len: usize,
    r0: usize,
    width: usize,
    out: &mut [f64],
) -> usize {
    let s = simd::dot_tile::<4, J>(a4, std::array::from_fn(|j| w.row(j0 + j, k_len)));
    add_to(
        &std::array::from_fn::<_, R, _>(|r| s[r.min(3)]),
        r0,
        j0,
        width,
        out,
    );
    J
}

/// out[r0 + r, j0 + j] += sums[r][j].
#[inline(always)]
fn add_to<const R: usize, const J: usize>(
    sums: &[[f64; J]; R],
    r0: usize,
    j0: usize,
    width: usize,
    out: &mut [f64],
) {
    for (r, row) in sums.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            out[(r0 + r) * width + j0 + j] += v;
        }
    }
}

/// The R × J dot products of rows r of `a_rows` with rows j0.. of w.
#[inline(always)]
fn dot_tile<const R: usize, const J: usize, const FUSED: bool>(
    a_rows: &[&[f64]; R],
    w: Rows,
    j0: usize,
    k_len: usize,
) -> [[f64; J]; R] {
    let n4 = k_len / 4;
    let a4: [&[[f64; 4]]; R] = std::array::from_fn(|r| &a_rows[r].as_chunks::<4>().0[..n4]);
    let w_rows: [&[f64]; J] = std::array::from_fn(|j| w.row(j0 + j, k_len));
    let w4: [&[[f64; 4]]; J] = std::array::from_fn(|j| &w_rows[j].as_chunks::<4>().0[..n4]);
    let mut acc = [[[0.0f64; 4]; J]; R];
    for c in 0..n4 {
        let x: [[f64; 4]; R] = std::array::from_fn(|r| a4[r][c]);
        for j in 0..J {
            let wj = w4[j][c];
            for r in 0..R {
                for l in 0..4 {
                    acc[r][j][l] = madd::<FUSED>(acc[r][j][l], x[r][l], wj[l]);
                }
            }
        }
    }
    let mut sums = [[0.0; J]; R];
    for r in 0..R {
        for j in 0..J {
            let v = acc[r][j];
            let mut sum = (v[0] + v[1]) + (v[2] + v[3]);
            for k in 4 * n4..k_len {
                sum = madd::<FUSED>(sum, a_rows[r][k], w_rows[j][k]);
            }
            sums[r][j] = sum;
        }
    }
    sums
}

/// g[j, k] += Σ_r d[r, j]·a[r, k] for j < units, k < k_len (`g` is units × k_len, row-major):
/// Δ += δᵀ·A, the gradient's sum over examples, read along the rows of both. With FMA, tiles of
/// 6 units × 8 inputs stay in registers while the rows go by.
pub fn outer_products_add(
    d: Rows,
    a: Rows,
    rows: usize,
    units: usize,
    k_len: usize,
    g: &mut [f64],
) {
    assert!(g.len() >= units * k_len);
    dispatch!(outer_impl(d: Rows, a: Rows, rows: usize, units: usize, k_len: usize, g: &mut [f64]))
}

#[inline(always)]
fn outer_impl<const FUSED: bool>(
    d: Rows,
    a: Rows,
    rows: usize,
    units: usize,
    k_len: usize,
    g: &mut [f64],
) {
    // Inputs outer, units inner: the columns of A a tile reads stay in L1 for every unit.
    let mut k0 = 0;
    while k0 < k_len {
        let left = k_len - k0;
        let k_count = if FUSED && left >= 8 {
            8
        } else if left >= 12 {
            12
        } else if left >= 4 {
            4
        } else {
            1
        };
        let mut j0 = 0;
        while j0 < units {
            let left = units - j0;
            if k_count == 8 {
                // Tiles of 6 units, but never a single unit left over (its tile has only two
                // sums, too few to keep the multiply-add units busy): 25 = 6 + 6 + 6 + 4 + 3.
                let j_count = match left {
                    7 => 4,
                    1..=6 => left,
                    _ => 6,
                };
                match j_count {
                    6 => simd::outer_tile::<6>(d, a, rows, j0, k0, k_len, g),
                    5 => simd::outer_tile::<5>(d, a, rows, j0, k0, k_len, g),
                    4 => simd::outer_tile::<4>(d, a, rows, j0, k0, k_len, g),
                    3 => simd::outer_tile::<3>(d, a, rows, j0, k0, k_len, g),
                    2 => simd::outer_tile::<2>(d, a, rows, j0, k0, k_len, g),
                    _ => simd::outer_tile::<1>(d, a, rows, j0, k0, k_len, g),
                }
                j0 += j_count;
                continue;
            }
            let j_count = if left >= 4 { 4 } else { 1 };
            match (j_count, k_count) {
                (4, 12) => outer_tile::<4, 3, FUSED>(d, a, rows, j0, k0, k_len, g),
                (4, 4) => outer_tile::<4, 1, FUSED>(d, a, rows, j0, k0, k_len, g),
                (1, 12) => outer_tile::<1, 3, FUSED>(d, a, rows, j0, k0, k_len, g),
                (1, 4) => outer_tile::<1, 1, FUSED>(d, a, rows, j0, k0, k_len, g),
                (_, _) => {
                    for j in j0..j0 + j_count {
                        let mut sum = g[j * k_len + k0];
                        for r in 0..rows {
                            sum = madd::<FUSED>(
                                sum,
                                d.data[r * d.stride + j],
                                a.data[r * a.stride + k0],
                            );
                        }
                        g[j * k_len + k0] = sum;
                    }
                }
            }
            j0 += j_count;
        }
        k0 += k_count;
    }
}

/// g[j0.., k0..] += Σ_r d[r, j0..j0 + J] ⊗ a[r, k0..k0 + 4V].
#[inline(always)]
fn outer_tile<const J: usize, const V: usize, const FUSED: bool>(
    d: Rows,
    a: Rows,
    rows: usize,
    j0: usize,
    k0: usize,
    k_len: usize,
    g: &mut [f64],
) {
    let mut acc = [[[0.0f64; 4]; V]; J];
    for (j, sums) in acc.iter_mut().enumerate() {
        for (v, lanes) in sums.iter_mut().enumerate() {
            *lanes = *window::<4>(&g[(j0 + j) * k_len..], k0 + 4 * v);
        }
    }
    for r in 0..rows {
        let dr = window::<J>(&d.data[r * d.stride..], j0);
        let ar = &a.data[r * a.stride + k0..r * a.stride + k0 + 4 * V];
        let x: [[f64; 4]; V] = std::array::from_fn(|v| *window::<4>(ar, 4 * v));
        for j in 0..J {
            for v in 0..V {
                for l in 0..4 {
                    acc[j][v][l] = madd::<FUSED>(acc[j][v][l], dr[j], x[v][l]);
                }
            }
        }
    }
    for (j, sums) in acc.iter().enumerate() {
        for (v, lanes) in sums.iter().enumerate() {
            let at = (j0 + j) * k_len + k0 + 4 * v;
            g[at..at + 4].copy_from_slice(lanes);
        }
    }
}

/// The two hot tiles written with AVX2 + FMA intrinsics, for the fused path only. The portable
/// tiles above compute the same sums, but the compiler kept their sums in memory as well as in
/// registers, a store per multiply-add (perf), which made them slower than ndarray's `dot`.
/// Measured on the 5000 × 400 by 25 products (criterion, one core): 4 × 3 dot tiles 1.3× faster
/// than 4 × 2 and 2 × 4; 4 × 8 outer tiles about twice as fast as 4 × 12 (which spilled).
/// Every read is bounds-checked on slices before the loop starts.
#[cfg(target_arch = "x86_64")]
mod simd {
    use super::{Rows, window};
    use std::arch::x86_64::*;

    /// Σ of a vector's four lanes, (l0 + l1) + (l2 + l3) as the portable tile sums them.
    #[inline(always)]
    fn lanes_sum(v: __m256d) -> f64 {
        let mut l = [0.0; 4];
        // SAFETY: `l` has room for four f64.
        unsafe { _mm256_storeu_pd(l.as_mut_ptr(), v) };
        (l[0] + l[1]) + (l[2] + l[3])
    }

    /// Dot products of R rows of A with J rows of W over their common length (a multiple of 4
    /// with vectors, the rest one by one): R·J sums. 4 × 3 (twelve independent multiply-adds
    /// per step, enough to cover their latency, for seven loads) ran 1.3× faster than 4 × 2
    /// and 2 × 4, and 2 × 5 was slower still. Only called where the CPU has AVX2 and FMA.
    #[inline(always)]
    pub(super) fn dot_tile<const R: usize, const J: usize>(
        a: [&[f64]; R],
        w: [&[f64]; J],
    ) -> [[f64; J]; R] {
        let k_len = a[0].len();
        assert!(a.iter().chain(&w).all(|row| row.len() == k_len));
        let n4 = k_len / 4;
        let mut sums = [[0.0; J]; R];
        // SAFETY: the caller runs this only on CPUs with AVX2 and FMA (inside a function compiled
        // for them); every load reads 4 values at 4i < 4·n4 ≤ k_len of rows of length k_len.
        unsafe {
            let mut c = [[_mm256_setzero_pd(); J]; R];
            for i in 0..n4 {
                let v: [__m256d; J] =
                    std::array::from_fn(|j| _mm256_loadu_pd(w[j].as_ptr().add(4 * i)));
                for (row, sums) in a.iter().zip(c.iter_mut()) {
                    let x = _mm256_loadu_pd(row.as_ptr().add(4 * i));
                    for (sum, v) in sums.iter_mut().zip(&v) {
                        *sum = _mm256_fmadd_pd(x, *v, *sum);
                    }
                }
            }
            for (out, lanes) in sums.iter_mut().zip(&c) {
                *out = lanes.map(lanes_sum);
            }
        }
        for (r, row) in sums.iter_mut().enumerate() {
            for (j, sum) in row.iter_mut().enumerate() {
                for k in 4 * n4..k_len {
                    *sum = a[r][k].mul_add(w[j][k], *sum);
                }
            }
        }
        sums
    }

    /// g[j0 + j, k0..k0 + 8] += Σ_r d[r, j0 + j]·a[r, k0..k0 + 8] for j < J: 2·J sums in
    /// registers, J broadcasts and two loads per row. J = 6 (twelve sums, fifteen registers)
    /// ran 1.2–1.4× faster than J = 4 on the digits' shapes; a 4 × 12 tile spilled and ran at
    /// half the speed. Only called where the CPU has AVX2 and FMA.
    #[inline(always)]
    pub(super) fn outer_tile<const J: usize>(
        d: Rows,
        a: Rows,
        rows: usize,
        j0: usize,
        k0: usize,
        k_len: usize,
        g: &mut [f64],
    ) {
        for j in 0..J {
            let _ = window::<8>(&g[(j0 + j) * k_len..], k0);
        }
        // Rows only go up, so the last row's windows bound every row's.
        if rows > 0 {
            let _ = window::<J>(&d.data[(rows - 1) * d.stride..], j0);
            let _ = window::<8>(&a.data[(rows - 1) * a.stride..], k0);
        }
        // SAFETY: AVX2 and FMA as above; the windows just checked bound every address read or
        // written below (strides are positive, rows increase).
        unsafe {
            let gp = g.as_mut_ptr().add(j0 * k_len + k0);
            let mut c = [[_mm256_setzero_pd(); 2]; J];
            for (j, sums) in c.iter_mut().enumerate() {
                let row = gp.add(j * k_len);
                *sums = [_mm256_loadu_pd(row), _mm256_loadu_pd(row.add(4))];
            }
            let (dp, ap) = (d.data.as_ptr().add(j0), a.data.as_ptr().add(k0));
            for r in 0..rows {
                let x = ap.add(r * a.stride);
                let (x0, x1) = (_mm256_loadu_pd(x), _mm256_loadu_pd(x.add(4)));
                let dr = dp.add(r * d.stride);
                for (j, sums) in c.iter_mut().enumerate() {
                    let b = _mm256_broadcast_sd(&*dr.add(j));
                    sums[0] = _mm256_fmadd_pd(b, x0, sums[0]);
                    sums[1] = _mm256_fmadd_pd(b, x1, sums[1]);
                }
            }
            for (j, sums) in c.iter().enumerate() {
                let row = gp.add(j * k_len);
                _mm256_storeu_pd(row, sums[0]);
                _mm256_storeu_pd(row.add(4), sums[1]);
            }
        }
    }
}

/// On other CPUs the fused path is never taken; these stand in so the code compiles.
#[cfg(not(target_arch = "x86_64"))]
mod simd {
    use super::Rows;
    pub(super) fn dot_tile<const R: usize, const J: usize>(
        _: [&[f64]; R],
        _: [&[f64]; J],
    ) -> [[f64; J]; R] {
        unreachable!("the fused path runs on x86_64 only")
    }
    pub(super) fn outer_tile<const J: usize>(
        _: Rows,
        _: Rows,
        _: usize,
        _: usize,
        _: usize,
        _: usize,
        _: &mut [f64],
    ) {
        unreachable!("the fused path runs on x86_64 only")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fast::{KERNELS_VAR, Kernels, kernels};
    use ndarray::Array2;
    use rand::RngExt;

    /// `dot_products` and its implementations.
    type Product = fn(Rows, Rows, usize, usize, usize, &[f64], usize, &mut [f64]);

    fn rows_of(m: &Array2<f64>) -> Rows<'_> {
        Rows {
            data: m.as_slice().unwrap(),
            stride: m.ncols(),
        }
    }

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let mut rng = crate::data::rng(seed);
        Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0..1.0))
    }

    #[test]
    fn every_product_agrees_with_ndarray() {
        // Odd sizes, so partial tiles, remainders and padding are all exercised.
        for (rows, k, n) in [
            (13, 7, 5),
            (12, 12, 4),
            (37, 29, 10),
            (1, 1, 1),
            (60, 400, 25),
        ] {
            let a = random(rows, k, 1);
            let a_rows = Rows {
                data: a.as_slice().unwrap(),
                stride: k,
            };
            let init = random(1, n, 3);
            let w = padded(n);

            // Z = A·B, B given as rows of Bᵀ (as Θ is stored).
            let bt = random(n, k, 2);
            let mut out = vec![f64::NAN; rows * w];
            let bt_rows = Rows {
                data: bt.as_slice().unwrap(),
                stride: k,
            };
            dot_products(
                a_rows,
                bt_rows,
                k,
                rows,
                n,
                init.as_slice().unwrap(),
                w,
                &mut out,
            );
            let want = a.dot(&bt.t()) + &init;
            for ((r, c), v) in want.indexed_iter() {
                assert!((out[r * w + c] - v).abs() < 1e-12, "dot ({r}, {c})");
            }

            // The portable code, which CPUs without FMA run, must agree too.
            let mut out = vec![f64::NAN; rows * w];
            dot_impl::<false>(
                a_rows,
                bt_rows,
                k,
                rows,
                n,
                init.as_slice().unwrap(),
                w,
                &mut out,
            );
            for ((r, c), v) in want.indexed_iter() {
                assert!(
                    (out[r * w + c] - v).abs() < 1e-12,
                    "portable dot ({r}, {c})"
                );
            }
            // G += Dᵀ·A, both ways.
            let d = random(rows, n, 4);
            let start = random(n, k, 5);
            let want = d.t().dot(&a) + &start;
            let d_rows = Rows {
                data: d.as_slice().unwrap(),
                stride: n,
            };
            let mut g = start.as_slice().unwrap().to_vec();
            outer_products_add(d_rows, a_rows, rows, n, k, &mut g);
            let mut portable = start.as_slice().unwrap().to_vec();
            outer_impl::<false>(d_rows, a_rows, rows, n, k, &mut portable);
            for ((j, c), v) in want.indexed_iter() {
                assert!((g[j * k + c] - v).abs() < 1e-12, "outer ({j}, {c})");
                assert!(
                    (portable[j * k + c] - v).abs() < 1e-12,
                    "portable outer ({j}, {c})"
                );
            }
        }
    }

    /// `BACKPROP_BOOK_KERNELS=portable` must reach the kernels, and on a CPU with FMA it must
    /// change bits, or a transcript run with it would prove nothing (`cargo xtask test` runs the
    /// transcripts both ways).
    #[test]
    fn the_kernel_choice_reaches_the_products() {
        let wanted = match std::env::var(KERNELS_VAR).as_deref() {
            Ok("portable") => Kernels::Portable,
            _ => Kernels::Native,
        };
        assert_eq!(kernels(), wanted);
        let (rows, k, n) = (60, 400, 25);
        let (a, bt, init) = (random(rows, k, 1), random(n, k, 2), random(1, n, 3));
        let run = |product: Product| {
            let mut out = vec![0.0; rows * padded(n)];
            let (a, bt) = (rows_of(&a), rows_of(&bt));
            product(
                a,
                bt,
                k,
                rows,
                n,
                init.as_slice().unwrap(),
                padded(n),
                &mut out,
            );
            out
        };
        let (chosen, portable) = (run(dot_products), run(dot_impl::<false>));
        #[cfg(target_arch = "x86_64")]
        let fused_cpu = std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("fma");
        #[cfg(not(target_arch = "x86_64"))]
        let fused_cpu = false;
        if wanted == Kernels::Portable || !fused_cpu {
            assert_eq!(chosen, portable, "the portable kernels were asked for");
        } else {
            assert_ne!(chosen, portable, "fused multiply-adds round differently");
        }
    }
}
