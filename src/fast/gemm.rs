//! The two matrix products backpropagation spends its time in, for row-major slices: Z = A·B
//! (forward, and δ back through Θ) and G += Aᵀ·D (the gradient's sum over examples). Tiles of
//! 4 rows × 8 columns stay in registers; plain × and + (no fused multiply-add), so the bits do not
//! depend on the CPU. ndarray's `dot` does the same sums but packs its operands first: here that
//! packing cost as much as the arithmetic (perf), because one operand is a thin 25-column matrix.

use super::vmath::with_avx2;

/// Rows and columns of a register tile: 4 × 8 sums live in eight 4-lane registers, leaving room
/// for the operands (more rows spill to memory without fused multiply-add).
const TR: usize = 4;
const TC: usize = 8;

/// Rounds `n` up to whole 8-column panels: the width of every padded buffer here.
pub fn padded(n: usize) -> usize {
    n.div_ceil(TC) * TC
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

/// acc[r][c] += Σ_k a[k][r]·b[k][c] over k: the register tile both products share. `a` holds TR
/// values per k (a packed tile), `b` is read `TC` entries per k at offset `c0` of each `width` row.
#[inline(always)]
fn tile(acc: &mut [[f64; TC]; TR], a: &[f64], b: &[f64], width: usize, c0: usize) {
    for (ak, bk) in a.chunks_exact(TR).zip(b.chunks_exact(width)) {
        let bk: &[f64; TC] = bk[c0..c0 + TC].try_into().expect("a panel");
        for (row, &av) in acc.iter_mut().zip(ak) {
            for c in 0..TC {
                row[c] += av * bk[c];
            }
        }
    }
}

with_avx2! {
    /// out[r, c] = init[c] + Σ_k a[r, k]·b[k, c] for r < rows and every column c of `out`
    /// (stride `width`, a multiple of 8; `b` is k_len × width, row-major).
    product_into(a: Rows, k_len: usize, rows: usize, b: &[f64], init: &[f64], width: usize, out: &mut [f64]) -> () {
        assert!(width.is_multiple_of(TC) && b.len() >= k_len * width && init.len() >= width);
        assert!(out.len() >= rows * width);
        // A tile of a's rows, k-major: the TR values a kernel step needs sit side by side.
        let mut packed = vec![0.0; k_len * TR];
        for r0 in (0..rows).step_by(TR) {
            let tr = TR.min(rows - r0);
            for r in 0..tr {
                for (k, v) in a.row(r0 + r, k_len).iter().enumerate() {
                    packed[k * TR + r] = *v;
                }
            }
            for c0 in (0..width).step_by(TC) {
                let mut acc = [[0.0; TC]; TR];
                for row in acc.iter_mut() {
                    row.copy_from_slice(&init[c0..c0 + TC]);
                }
                tile(&mut acc, &packed, &b[..k_len * width], width, c0);
                for (r, row) in acc.iter().enumerate().take(tr) {
                    out[(r0 + r) * width + c0..(r0 + r) * width + c0 + TC].copy_from_slice(row);
                }
            }
        }
    }
}

with_avx2! {
    /// g[k, c] += Σ_r a[r, k]·d[r, c] for k < k_len and every column c of `d` (stride `width`, a
    /// multiple of 8; `g` is k_len × width, row-major): Aᵀ·D without forming Aᵀ.
    transposed_product_add(a: Rows, k_len: usize, rows: usize, d: &[f64], width: usize, g: &mut [f64]) -> () {
        assert!(width.is_multiple_of(TC) && d.len() >= rows * width && g.len() >= k_len * width);
        // A's columns k0..k0 + TR, row by row: the packed tile for this strip of g.
        let mut packed = vec![0.0; rows * TR];
        for k0 in (0..k_len).step_by(TR) {
            let tk = TR.min(k_len - k0);
            for r in 0..rows {
                packed[r * TR..r * TR + tk].copy_from_slice(&a.row(r, k0 + tk)[k0..]);
            }
            for c0 in (0..width).step_by(TC) {
                let mut acc = [[0.0; TC]; TR];
                for (k, row) in acc.iter_mut().enumerate().take(tk) {
                    row.copy_from_slice(&g[(k0 + k) * width + c0..(k0 + k) * width + c0 + TC]);
                }
                tile(&mut acc, &packed, &d[..rows * width], width, c0);
                for (k, row) in acc.iter().enumerate().take(tk) {
                    g[(k0 + k) * width + c0..(k0 + k) * width + c0 + TC].copy_from_slice(row);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::RngExt;

    fn random(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
        let mut rng = crate::data::rng(seed);
        Array2::from_shape_simple_fn((rows, cols), || rng.random_range(-1.0..1.0))
    }

    /// Copies `m` into a zero-padded row-major buffer of width `padded(cols)`.
    fn pad(m: &Array2<f64>) -> Vec<f64> {
        let w = padded(m.ncols());
        let mut out = vec![0.0; m.nrows() * w];
        for ((r, c), v) in m.indexed_iter() {
            out[r * w + c] = *v;
        }
        out
    }

    #[test]
    fn both_products_agree_with_ndarray() {
        // Odd sizes, so partial tiles and padding are exercised.
        for (rows, k, n) in [(13, 7, 5), (8, 8, 4), (37, 21, 10), (1, 1, 1)] {
            let a = random(rows, k, 1);
            let b = random(k, n, 2);
            let init = random(1, n, 3);
            let w = padded(n);
            let mut out = vec![f64::NAN; rows * w];
            let a_rows = Rows {
                data: a.as_slice().unwrap(),
                stride: k,
            };
            product_into(a_rows, k, rows, &pad(&b), &pad(&init), w, &mut out);
            let want = a.dot(&b) + &init;
            for ((r, c), v) in want.indexed_iter() {
                assert!((out[r * w + c] - v).abs() < 1e-13, "product ({r}, {c})");
            }
            let d = random(rows, n, 4);
            let start = random(k, n, 5);
            let mut g = pad(&start);
            transposed_product_add(a_rows, k, rows, &pad(&d), w, &mut g);
            let want = a.t().dot(&d) + &start;
            for ((r, c), v) in want.indexed_iter() {
                assert!((g[r * w + c] - v).abs() < 1e-13, "transposed ({r}, {c})");
            }
        }
    }
}
