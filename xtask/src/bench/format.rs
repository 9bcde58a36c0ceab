//! Numbers as the tables show them: times with units, ratios, shares, check values.

/// A time with its unit: ms under a second, s above, to three significant figures or so.
pub(super) fn fmt_seconds(s: f64) -> String {
    let (v, unit) = if s < 1.0 { (s * 1e3, "ms") } else { (s, "s") };
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$} {unit}")
}

pub(super) fn fmt_ratio(r: f64) -> String {
    let digits = if r >= 100.0 {
        0
    } else if r >= 1.0 {
        1
    } else {
        2
    };
    format!("{r:.digits$}×")
}

/// A share as a whole percentage, or to one decimal below 10%: "12%", "0.4%".
pub(super) fn fmt_percent(share: f64) -> String {
    let p = share * 100.0;
    if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

pub(super) fn fmt_mib(m: f64) -> String {
    format!("{m:.1} MiB")
}

/// A check value: whole numbers as they are, others to 12 significant figures.
pub(super) fn fmt_check(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{v:.0}");
    }
    let exponent = v.abs().log10().floor();
    if (-4.0..6.0).contains(&exponent) {
        let digits = (11.0 - exponent) as usize;
        format!("{v:.digits$}")
    } else {
        format!("{v:.11e}")
    }
}

/// 10285 as "10,285".
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_units() {
        assert_eq!(fmt_seconds(0.0302), "30.2 ms");
        assert_eq!(fmt_seconds(0.00412), "4.12 ms");
        assert_eq!(fmt_seconds(0.5), "500 ms");
        assert_eq!(fmt_seconds(17.4), "17.4 s");
        assert_eq!(fmt_seconds(190.2), "190 s");
        assert_eq!(fmt_ratio(2.14), "2.1×");
        assert_eq!(fmt_ratio(0.874), "0.87×");
        assert_eq!(fmt_check(400.0), "400");
        assert_eq!(fmt_check(6.822948855295128), "6.82294885530");
        assert_eq!(fmt_check(1.25e-11), "1.25000000000e-11");
        assert_eq!(fmt_check(f64::NAN), "NaN");
        assert_eq!(thousands(10285), "10,285");
        assert_eq!(thousands(30000), "30,000");
        assert_eq!(thousands(400), "400");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(fmt_percent(0.1234), "12%");
        assert_eq!(fmt_percent(0.004), "0.4%");
    }
}
