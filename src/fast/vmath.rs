//! exp, σ, tanh and the cross-entropy term for whole slices at once. libm's `exp` and `ln_1p`
//! are accurate but scalar and branchy: in the fast paths they were most of the time. These use
//! only +, −, ×, ÷ and bit operations without branches, so the compiler runs four at a time
//! (AVX2, picked at run time); each stays within a few units in the last place of libm's (tests).
//! No fused multiply-add is used, so every CPU computes the same bits.

const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// ln 2 split in two (fdlibm's): n·LN2_HI is exact for |n| < 2²⁰, so x − n ln 2 loses nothing.
const LN2_HI: f64 = f64::from_bits(0x3FE6_2E42_FEE0_0000);
const LN2_LO: f64 = f64::from_bits(0x3DEA_39EF_3579_3C76);
/// Adding 1.5·2⁵² rounds to an integer n and leaves n in the low bits of the sum.
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// eˣ for x in [−708, 709] (clamped outside: 0 and ∞ become e⁻⁷⁰⁸ and e⁷⁰⁹, about 3e−308 and
/// 8e307, which no cost or activation here can tell apart). x = n ln 2 + r with |r| ≤ ln 2 / 2,
/// eʳ by its Taylor series to r¹³ (truncation error below 1e−17), then 2ⁿ by writing the exponent bits.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    let x = x.clamp(-708.0, 709.0);
    let t = x * LOG2_E + SHIFTER;
    let n = t - SHIFTER;
    let r = (x - n * LN2_HI) - n * LN2_LO;
    // Σ rᵏ/k! for k ≤ 13 by Estrin's scheme: pairs first, then r², r⁴, r⁸. The terms are
    // independent, so the CPU overlaps them (Horner's rule would be 13 dependent steps).
    let c = &INV_FACTORIAL;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let p01 = c[0] + c[1] * r;
    let p23 = c[2] + c[3] * r;
    let p45 = c[4] + c[5] * r;
    let p67 = c[6] + c[7] * r;
    let p89 = c[8] + c[9] * r;
    let p1011 = c[10] + c[11] * r;
    let p1213 = c[12] + c[13] * r;
    let p03 = p01 + p23 * r2;
    let p47 = p45 + p67 * r2;
    let p811 = p89 + p1011 * r2;
    let p = (p03 + p47 * r4) + (p811 + p1213 * r4) * r8;
    // 2ⁿ: n + 1023 into the exponent field. t's bits are SHIFTER's plus n (mod 2⁶⁴).
    let n_bits = t.to_bits().wrapping_sub(SHIFTER.to_bits());
    let scale = f64::from_bits(n_bits.wrapping_add(1023) << 52);
    p * scale
}

/// 1/k! for k = 0..=13.
const INV_FACTORIAL: [f64; 14] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// 1/(2k + 1) for k = 0..12.
const ODD_RECIPROCALS: [f64; 12] = [
    1.0,
    1.0 / 3.0,
    1.0 / 5.0,
    1.0 / 7.0,
    1.0 / 9.0,
    1.0 / 11.0,
    1.0 / 13.0,
    1.0 / 15.0,
    1.0 / 17.0,
    1.0 / 19.0,
    1.0 / 21.0,
    1.0 / 23.0,
];

/// ln(1 + u) for u in [0, 1], the range the cross-entropy needs (u = e^−|z|). w = 1 + u is
/// rounded; c = u − (w − 1) is what the rounding lost, added back as c/w. ln w = e ln 2 + ln m with
/// m in [1/√2, √2), and ln m = 2 atanh(s), s = (m − 1)/(m + 1), by its odd series to s²³.
#[inline(always)]
pub fn ln_1p_unit(u: f64) -> f64 {
    let w = 1.0 + u;
    let c = u - (w - 1.0);
    let big = w > std::f64::consts::SQRT_2;
    let m = if big { 0.5 * w } else { w };
    let e = if big { 1.0 } else { 0.0 };
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    // ln m = 2s + 2s·s²·Σ s²ᵏ/(2k + 3) for k ≤ 10: the leading 2s is kept apart (it carries
    // the size; the rest is a small correction), the sum by Estrin's scheme as in `exp`.
    let t = &ODD_RECIPROCALS[1..];
    let s4 = s2 * s2;
    let s8 = s4 * s4;
    let q01 = t[0] + t[1] * s2;
    let q23 = t[2] + t[3] * s2;
    let q45 = t[4] + t[5] * s2;
    let q67 = t[6] + t[7] * s2;
    let q89 = t[8] + t[9] * s2;
    let rest = (q01 + q23 * s4) + (q45 + q67 * s4) * s8 + (q89 + t[10] * s4) * (s8 * s8);
    let two_s = 2.0 * s;
    let ln_m = two_s + two_s * (s2 * rest);
    (e * LN2_HI + (ln_m + (e * LN2_LO + c / w))).max(0.0)
}

/// σ(z) = 1 / (1 + e^(−z)), as [`crate::activation::sigmoid`].
#[inline(always)]
pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + exp(-z))
}

/// tanh z = 2σ(2z) − 1: one exp, about 2× faster than `f64::tanh` here; a test keeps it within
/// 1e-15 of the readable [`crate::activation::Activation::apply`].
#[inline(always)]
pub fn tanh(z: f64) -> f64 {
    2.0 * sigmoid(2.0 * z) - 1.0
}

/// The cross-entropy term of one output from its z, as [`crate::cost::cross_entropy`]:
/// max(z, 0) − y·z + ln(1 + e^(−|z|)).
#[inline(always)]
pub fn cross_entropy(z: f64, y: f64) -> f64 {
    (z.max(0.0) - y * z) + ln_1p_unit(exp(-z.abs()))
}

/// Runs `$body` compiled twice: for AVX2 when the CPU has it (checked once, at run time), else
/// for the baseline instruction set. Same operations, same bits, four lanes instead of two.
macro_rules! with_avx2 {
    ($(#[$meta:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$meta])*
        pub fn $name($($arg: $ty),*) -> $ret {
            #[inline(always)]
            fn body($($arg: $ty),*) -> $ret $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx2")]
                fn avx2($($arg: $ty),*) -> $ret {
                    body($($arg),*)
                }
                if $crate::fast::kernels() == $crate::fast::Kernels::Native
                    && std::arch::is_x86_feature_detected!("avx2")
                {
                    // SAFETY: the CPU was just checked to have AVX2.
                    return unsafe { avx2($($arg),*) };
                }
            }
            body($($arg),*)
        }
    };
}
pub(crate) use with_avx2;

/// Lanes per step of the slice loops: four 4-lane vectors, independent of each other, so while
/// one waits for its division the CPU works on the others (one at a time, σ and ln spent most of
/// their time waiting: perf).
pub const STEP: usize = 16;

/// f applied to every element in place, `STEP` at a time.
#[inline(always)]
pub fn map_in_place(z: &mut [f64], f: impl Fn(f64) -> f64) {
    let mut chunks = z.chunks_exact_mut(STEP);
    for c in &mut chunks {
        for v in c.iter_mut() {
            *v = f(*v);
        }
    }
    for v in chunks.into_remainder() {
        *v = f(*v);
    }
}

/// out[i] = f(a[i], b[i]), `STEP` at a time.
#[inline(always)]
pub fn map2(out: &mut [f64], a: &[f64], b: &[f64], f: impl Fn(f64, f64) -> f64) {
    let n = out.len();
    assert!(a.len() >= n && b.len() >= n);
    let (a, b) = (&a[..n], &b[..n]);
    let whole = n - n % STEP;
    for ((o, a), b) in out[..whole]
        .chunks_exact_mut(STEP)
        .zip(a[..whole].chunks_exact(STEP))
        .zip(b[..whole].chunks_exact(STEP))
    {
        for l in 0..STEP {
            o[l] = f(a[l], b[l]);
        }
    }
    for i in whole..n {
        out[i] = f(a[i], b[i]);
    }
}

with_avx2! {
    /// σ of every element, in place.
    sigmoid_in_place(z: &mut [f64]) -> () {
        map_in_place(z, sigmoid)
    }
}

with_avx2! {
    /// tanh of every element, in place.
    tanh_in_place(z: &mut [f64]) -> () {
        map_in_place(z, tanh)
    }
}

/// Elements per batch in the sums below: each batch is first mapped into a buffer (a loop the
/// compiler vectorises and interleaves, hiding the polynomials' latency), then added up.
pub const BATCH: usize = 256;

/// Σ of a slice in four lanes: (l0 + l1) + (l2 + l3), then the tail.
#[inline(always)]
pub fn sum4(v: &[f64]) -> f64 {
    let mut lanes = [0.0; 4];
    let chunks = v.chunks_exact(4);
    let tail: f64 = chunks.remainder().iter().sum();
    for c in chunks {
        for l in 0..4 {
            lanes[l] += c[l];
        }
    }
    (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail
}

with_avx2! {
    /// Σ cross_entropy(z_i, y_i) over two slices of the same length.
    cross_entropy_sum(z: &[f64], y: &[f64]) -> f64 {
        assert_eq!(z.len(), y.len(), "one target per output");
        let mut buffer = [0.0; BATCH];
        let mut total = 0.0;
        for (zb, yb) in z.chunks(BATCH).zip(y.chunks(BATCH)) {
            let out = &mut buffer[..zb.len()];
            map2(out, zb, yb, cross_entropy);
            total += sum4(out);
        }
        total
    }
}

with_avx2! {
    /// Σ cross_entropy(z_i, y_i), and δ_i = σ(z_i) − y_i written to `delta`: the output layer's
    /// two results from one exp per output, e = e^(−|z|), as σ(z) = 1/(1 + e) for z ≥ 0 and
    /// e/(1 + e) below (two exps and two divisions when computed apart).
    cross_entropy_and_delta(z: &[f64], y: &[f64], delta: &mut [f64]) -> f64 {
        assert!(z.len() == y.len() && delta.len() == z.len(), "one target and δ per output");
        #[inline(always)]
        fn both(z: f64, y: f64) -> (f64, f64) {
            let e = exp(-z.abs());
            let s = 1.0 / (1.0 + e);
            let sigma = if z >= 0.0 { s } else { e * s };
            ((z.max(0.0) - y * z) + ln_1p_unit(e), sigma - y)
        }
        let mut buffer = [0.0; BATCH];
        let mut total = 0.0;
        for ((zb, yb), db) in z.chunks(BATCH).zip(y.chunks(BATCH)).zip(delta.chunks_mut(BATCH)) {
            let cost = &mut buffer[..zb.len()];
            let whole = zb.len() - zb.len() % STEP;
            // STEP at a time, as map2 does, so four vectors are in flight.
            for (((c, d), z), y) in cost[..whole]
                .chunks_exact_mut(STEP)
                .zip(db[..whole].chunks_exact_mut(STEP))
                .zip(zb[..whole].chunks_exact(STEP))
                .zip(yb[..whole].chunks_exact(STEP))
            {
                for l in 0..STEP {
                    (c[l], d[l]) = both(z[l], y[l]);
                }
            }
            for i in whole..zb.len() {
                (cost[i], db[i]) = both(zb[i], yb[i]);
            }
            total += sum4(cost);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn tanh_through_the_sigmoid_agrees_with_f64_tanh() {
        for i in 0..=160_000 {
            let z = -40.0 + i as f64 * 0.0005;
            let readable = crate::activation::Activation::Tanh.apply(z);
            assert!(
                (tanh(z) - readable).abs() <= 1e-15,
                "tanh({z}): {} vs {readable}",
                tanh(z)
            );
        }
    }

    /// Distance in units in the last place (both finite, same sign).
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    #[test]
    fn exp_is_within_two_ulps_of_libm() {
        let mut rng = crate::data::rng(3);
        let mut worst = 0;
        for _ in 0..200_000 {
            let x: f64 = rng.random_range(-700.0..700.0);
            worst = worst.max(ulps(exp(x), x.exp()));
        }
        for x in [-708.0, -1.0, -1e-300, 0.0, 1e-10, 0.5, 1.0, 709.0] {
            worst = worst.max(ulps(exp(x), f64::exp(x)));
        }
        assert!(worst <= 2, "{worst} ulps");
        assert_eq!(exp(0.0), 1.0);
        assert!(ulps(exp(-1e4), (-708f64).exp()) <= 2);
    }

    #[test]
    fn ln_1p_is_within_three_ulps_of_libm_on_the_unit_interval() {
        let mut rng = crate::data::rng(4);
        let mut worst = 0;
        for i in 0..200_000 {
            // Uniform, and spread over magnitudes down to 1e-300.
            let u: f64 = if i % 2 == 0 {
                rng.random_range(0.0..=1.0)
            } else {
                10f64.powf(rng.random_range(-300.0..0.0))
            };
            worst = worst.max(ulps(ln_1p_unit(u), u.ln_1p()));
        }
        assert!(worst <= 3, "{worst} ulps");
        assert_eq!(ln_1p_unit(0.0), 0.0);
        assert!(ulps(ln_1p_unit(1.0), std::f64::consts::LN_2) <= 1);
    }

    #[test]
    fn slices_agree_with_the_readable_functions() {
        let mut rng = crate::data::rng(5);
        let z: Vec<f64> = (0..1003).map(|_| rng.random_range(-40.0..40.0)).collect();
        let y: Vec<f64> = (0..1003).map(|i| (i % 3 == 0) as u8 as f64).collect();
        let mut s = z.clone();
        sigmoid_in_place(&mut s);
        let mut t = z.clone();
        tanh_in_place(&mut t);
        for i in 0..z.len() {
            let readable = crate::activation::sigmoid(z[i]);
            assert!((s[i] - readable).abs() <= 1e-15 * readable, "σ({})", z[i]);
            let tanh = crate::activation::Activation::Tanh.apply(z[i]);
            assert!((t[i] - tanh).abs() <= 1e-15, "tanh({})", z[i]);
        }
        let sum = cross_entropy_sum(&z, &y);
        let readable: f64 = z
            .iter()
            .zip(&y)
            .map(|(&z, &y)| crate::cost::cross_entropy(z, y))
            .sum();
        assert!(
            (sum - readable).abs() <= 1e-13 * readable,
            "{sum} vs {readable}"
        );
        // The fused output-layer pass: the same sum, and σ(z) − y to within two ulps.
        let mut delta = vec![f64::NAN; z.len()];
        let fused = cross_entropy_and_delta(&z, &y, &mut delta);
        assert!(
            (fused - readable).abs() <= 1e-13 * readable,
            "{fused} vs {readable}"
        );
        for i in 0..z.len() {
            let want = crate::activation::sigmoid(z[i]) - y[i];
            let sigma = crate::activation::sigmoid(z[i]);
            assert!(
                (delta[i] - want).abs() <= 2.0 * f64::EPSILON * want.abs().max(sigma),
                "δ at z = {}: {} vs {want}",
                z[i],
                delta[i]
            );
        }
    }
}
