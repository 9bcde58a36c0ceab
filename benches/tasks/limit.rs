//! The machine's limit, measured: how many f64 multiply-adds per second a short loop that keeps
//! its sums in registers gets through at each vector width the CPU has (on one core and on all),
//! and how many bytes per second a long streaming read gets from memory.
//!
//! Each loop runs 12 independent chains of fused multiply-adds: enough to cover the FMA units'
//! latency (4 cycles, 2 units on current x86), so the time is throughput, not latency.

use std::hint::black_box;
use std::sync::Barrier;
use std::time::Instant;

/// Independent sums per loop.
const CHAINS: usize = 12;
/// Runs per measurement; the best one is kept (the host only ever slows a run down).
const RUNS: usize = 7;
/// How long one run should last.
const RUN_SECONDS: f64 = 0.03;
/// The streaming read's buffer: far larger than any cache.
const STREAM_BYTES: usize = 512 << 20;

/// One vector width: its name, f64 lanes per instruction, and the loop (iterations → a sum
/// that keeps the work from being optimised away).
pub struct Width {
    pub name: &'static str,
    pub lanes: usize,
    run: fn(u64) -> f64,
}

/// The widths this CPU can run, narrowest first (chosen at run time).
pub fn widths() -> Vec<Width> {
    let mut found = vec![Width {
        name: "scalar",
        lanes: 1,
        run: portable_scalar,
    }];
    #[cfg(target_arch = "x86_64")]
    {
        if is_x86_feature_detected!("fma") {
            found[0].run = x86::scalar;
            found.push(Width {
                name: "128-bit (SSE)",
                lanes: 2,
                run: x86::v128,
            });
        }
        if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
            found.push(Width {
                name: "256-bit (AVX2)",
                lanes: 4,
                run: x86::v256,
            });
        }
        if is_x86_feature_detected!("avx512f") {
            found.push(Width {
                name: "512-bit (AVX-512)",
                lanes: 8,
                run: x86::v512,
            });
        }
    }
    found
}

/// Whether this CPU has AVX-512 (for the report, where it has none).
pub fn has_avx512() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        is_x86_feature_detected!("avx512f")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

fn portable_scalar(iterations: u64) -> f64 {
    let mut acc = [1.0f64; CHAINS];
    let (a, b) = (black_box(0.999_999), black_box(1e-6));
    for _ in 0..iterations {
        for s in &mut acc {
            *s = s.mul_add(a, b);
        }
    }
    acc.iter().sum()
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::CHAINS;
    use std::arch::x86_64::*;
    use std::hint::black_box;

    /// Defines a safe wrapper `$name` over a loop of `$fma` on `$ty`, compiled for `$features`
    /// (the caller checked the CPU has them).
    macro_rules! fma_loop {
        ($name:ident, $inner:ident, $features:literal, $ty:ty, $set:ident, $fma:ident, $add:ident) => {
            pub fn $name(iterations: u64) -> f64 {
                // SAFETY: `widths` hands this out only where the CPU has $features.
                unsafe { $inner(iterations) }
            }

            #[target_feature(enable = $features)]
            unsafe fn $inner(iterations: u64) -> f64 {
                let a: $ty = $set(black_box(0.999_999));
                let b: $ty = $set(black_box(1e-6));
                let mut acc: [$ty; CHAINS] = [$set(1.0); CHAINS];
                for _ in 0..iterations {
                    for s in &mut acc {
                        *s = $fma(*s, a, b);
                    }
                }
                let mut total: $ty = $set(0.0);
                for &s in &acc {
                    total = $add(total, s);
                }
                let mut lanes = [0.0f64; 8];
                // SAFETY: a register of at most 8 f64 stored into 8 f64.
                unsafe {
                    std::ptr::copy_nonoverlapping(
                        &total as *const $ty as *const f64,
                        lanes.as_mut_ptr(),
                        size_of::<$ty>() / 8,
                    )
                };
                lanes.iter().sum()
            }
        };
    }

    fma_loop!(
        scalar,
        scalar_fma,
        "fma",
        __m128d,
        _mm_set1_pd,
        _mm_fmadd_sd,
        _mm_add_sd
    );
    fma_loop!(
        v128,
        v128_fma,
        "fma",
        __m128d,
        _mm_set1_pd,
        _mm_fmadd_pd,
        _mm_add_pd
    );
    fma_loop!(
        v256,
        v256_fma,
        "avx2,fma",
        __m256d,
        _mm256_set1_pd,
        _mm256_fmadd_pd,
        _mm256_add_pd
    );
    fma_loop!(
        v512,
        v512_fma,
        "avx512f",
        __m512d,
        _mm512_set1_pd,
        _mm512_fmadd_pd,
        _mm512_add_pd
    );
}

/// Runs `work(i)` on `threads` threads at once, started together; returns the wall time.
fn together(threads: usize, work: &(dyn Fn(usize) + Sync)) -> f64 {
    let barrier = Barrier::new(threads + 1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|i| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    work(i);
                })
            })
            .collect();
        barrier.wait();
        let start = Instant::now();
        for h in handles {
            h.join().expect("a measuring thread panicked");
        }
        start.elapsed().as_secs_f64()
    })
}

/// Multiply-adds per second (lanes counted) of one width on `threads` threads, best of RUNS.
pub fn fma_rate(width: &Width, threads: usize) -> f64 {
    // Calibrate: iterations for about RUN_SECONDS on one thread.
    let mut iterations = 1u64 << 16;
    loop {
        let start = Instant::now();
        black_box((width.run)(iterations));
        let t = start.elapsed().as_secs_f64();
        if t > RUN_SECONDS / 4.0 {
            iterations = (iterations as f64 * RUN_SECONDS / t) as u64;
            break;
        }
        iterations *= 4;
    }
    let work = |_| {
        black_box((width.run)(iterations));
    };
    let best = (0..RUNS)
        .map(|_| together(threads, &work))
        .fold(f64::INFINITY, f64::min);
    (threads as u64 * iterations * (CHAINS * width.lanes) as u64) as f64 / best
}

/// Bytes per second of a streaming read of a buffer far larger than the caches, split over
/// `threads` threads, best of RUNS.
pub fn read_bandwidth(threads: usize) -> f64 {
    let values: Vec<f64> = (0..STREAM_BYTES / 8).map(|i| i as f64).collect();
    let part = values.len() / threads;
    let work = |i: usize| {
        black_box(sum(&values[i * part..(i + 1) * part]));
    };
    let best = (0..RUNS)
        .map(|_| together(threads, &work))
        .fold(f64::INFINITY, f64::min);
    (threads * part * 8) as f64 / best
}

/// A sum with 16 independent accumulators, so adding never waits and only memory limits it.
fn sum(values: &[f64]) -> f64 {
    let mut acc = [0.0; 16];
    for chunk in values.chunks_exact(16) {
        for (a, v) in acc.iter_mut().zip(chunk) {
            *a += v;
        }
    }
    acc.iter().sum()
}

/// The measurements as one JSON line: each width's rate on one core and on all, and the
/// bandwidth on one core and on all.
pub fn report() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let widths: Vec<String> = widths()
        .iter()
        .map(|w| {
            let one = fma_rate(w, 1);
            let all = fma_rate(w, cores);
            eprintln!(
                "    {}: {:.1} G multiply-adds/s on one core, {:.1} G on {cores}",
                w.name,
                one / 1e9,
                all / 1e9
            );
            format!(
                "{{\"width\": \"{}\", \"lanes\": {}, \"one_core\": {one:e}, \"all_cores\": {all:e}}}",
                w.name, w.lanes
            )
        })
        .collect();
    let (one, all) = (read_bandwidth(1), read_bandwidth(cores));
    eprintln!(
        "    memory read: {:.1} GB/s on one core, {:.1} GB/s on {cores}",
        one / 1e9,
        all / 1e9
    );
    format!(
        "{{\"task\": \"limit\", \"cores\": {cores}, \"avx512\": {}, \"fma\": [{}], \
         \"read_one_core\": {one:e}, \"read_all_cores\": {all:e}}}",
        has_avx512(),
        widths.join(", ")
    )
}
