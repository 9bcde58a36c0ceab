//! Where the fast kernels' operands live in memory. Two things measured on the digits' products:
//! a 4-value load that straddles two 64-byte cache lines costs two (rows starting on a line ran
//! 2–8% faster), and streaming a 16 MB X through 4 KB pages misses the TLB, the CPU's cache of
//! page addresses, some 3,900 times per pass (2 MB pages, as numpy asks Linux for on every array
//! of 4 MB or more, ran 3–7% faster).

use ndarray::{Array1, Array2, ArrayView2, s};

/// Values per 64-byte cache line.
const LINE: usize = 8;

/// `len` zeros starting on a cache line: a vector over-allocated by less than a line, whose
/// first `start` values are skipped.
pub struct Aligned {
    buffer: Vec<f64>,
    start: usize,
}

impl Aligned {
    pub fn zeros(len: usize) -> Self {
        let mut buffer = vec![0.0; len + LINE - 1];
        let start = buffer.as_mut_ptr().align_offset(LINE * 8).min(LINE - 1);
        buffer.truncate(start + len);
        Aligned { buffer, start }
    }

    pub fn as_slice(&self) -> &[f64] {
        &self.buffer[self.start..]
    }

    pub fn as_mut_slice(&mut self) -> &mut [f64] {
        &mut self.buffer[self.start..]
    }
}

/// A copy of `x` for the fast kernels: row-major, starting on a cache line (so rows whose length
/// is a multiple of 8 all do) and, on Linux, on 2 MB pages where the kernel grants them. Worth it
/// for data read on every evaluation, as the optimiser reads X.
pub fn prepared(x: ArrayView2<f64>) -> Array2<f64> {
    let len = x.len();
    let mut buffer: Vec<f64> = Vec::with_capacity(len + LINE - 1);
    let start = buffer.as_ptr().align_offset(LINE * 8).min(LINE - 1);
    // Before the first write, so the pages are made 2 MB as they are first touched.
    huge_pages(buffer.as_ptr(), buffer.capacity(), false);
    buffer.resize(start, 0.0);
    buffer.extend(x.iter());
    // Any page that came out small is collapsed now (microseconds if none did).
    huge_pages(buffer.as_ptr(), buffer.len(), true);
    Array1::from_vec(buffer)
        .slice_move(s![start..])
        .into_shape_with_order(x.dim())
        .expect("len values in standard order")
}

/// Asks Linux for 2 MB pages for the whole 2 MB pages inside `len` values from `first`, and with
/// `collapse`, to move what is already there into them. A hint: a refusal is ignored, the
/// contents never change, and other systems do nothing.
#[allow(unused_variables)]
fn huge_pages(first: *const f64, len: usize, collapse: bool) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let (from, to) = (first as usize, first as usize + len * 8);
        let (start, end) = (from.next_multiple_of(HUGE), to / HUGE * HUGE);
        if end > start {
            let at = start as *mut libc::c_void;
            // SAFETY: [start, end) lies inside one allocation of ours (`len` values from
            // `first`); these advices change how its pages are mapped, never what they hold.
            unsafe {
                libc::madvise(at, end - start, libc::MADV_HUGEPAGE);
                if collapse {
                    libc::madvise(at, end - start, libc::MADV_COLLAPSE);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_start_on_a_cache_line_and_keep_every_value() {
        let x = Array2::from_shape_fn((37, 24), |(r, c)| (r * 100 + c) as f64);
        for _ in 0..5 {
            let p = prepared(x.view());
            assert_eq!(p, x);
            assert_eq!(p.as_ptr() as usize % 64, 0);
            let a = Aligned::zeros(1001);
            assert_eq!(a.as_slice().len(), 1001);
            assert_eq!(a.as_slice().as_ptr() as usize % 64, 0);
        }
        // A transposed view is copied in its own row order.
        let t = prepared(x.t());
        assert_eq!(t, x.t());
    }
}
