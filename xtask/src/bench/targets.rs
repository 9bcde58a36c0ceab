//! What each task must achieve on this machine kind (issue 20), and the verdict: met, or missed
//! and by how much. A missed target is printed as missed.

use super::format::{fmt_ratio, fmt_seconds};
use super::peer::Peer;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Target {
    /// The peer's time ÷ ours at least this.
    Faster(Peer, f64),
    /// Ours at most this many seconds.
    Seconds(f64),
    /// Ours ÷ the machine's floor at most this.
    NearFloor(f64),
}

impl Target {
    pub(super) fn of(task: &str) -> Vec<Target> {
        match task {
            "cost_grad" => vec![
                Target::Faster(Peer::Numpy, 2.5),
                Target::Faster(Peer::Jax, 1.5),
                Target::NearFloor(1.5),
            ],
            "gradcheck" => vec![Target::Seconds(2.5)],
            "optimise" => vec![Target::Seconds(3.0)],
            _ => vec![Target::Faster(Peer::Numpy, 20.0)],
        }
    }

    pub(super) fn label(self) -> String {
        match self {
            Target::Faster(peer, r) => format!("≥ {r}× {}", peer.name()),
            Target::Seconds(s) => format!("≤ {s} s"),
            Target::NearFloor(r) => format!("≤ {r}× floor"),
        }
    }

    /// The verdict on what was achieved (a ratio, seconds, or ours ÷ floor; None when the peer
    /// or the floor was not measured): "met (3.1×)", "missed by 16% (2.1×)".
    pub(super) fn verdict(self, achieved: Option<f64>) -> String {
        let Some(a) = achieved else {
            return "— (not measured)".into();
        };
        let (met, short, shown) = match self {
            Target::Faster(_, r) => (a >= r, 1.0 - a / r, fmt_ratio(a)),
            Target::Seconds(s) => (a <= s, a / s - 1.0, fmt_seconds(a)),
            Target::NearFloor(r) => (a <= r, a / r - 1.0, fmt_ratio(a)),
        };
        if met {
            format!("met ({shown})")
        } else {
            format!("missed by {:.0}% ({shown})", (short * 100.0).max(1.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_say_met_or_by_how_much_missed() {
        let numpy = Target::Faster(Peer::Numpy, 2.5);
        assert_eq!(numpy.label(), "≥ 2.5× numpy");
        assert_eq!(numpy.verdict(Some(3.06)), "met (3.1×)");
        assert_eq!(numpy.verdict(Some(2.0)), "missed by 20% (2.0×)");
        assert_eq!(numpy.verdict(None), "— (not measured)");
        let time = Target::Seconds(2.5);
        assert_eq!(time.verdict(Some(2.5)), "met (2.50 s)");
        assert_eq!(time.verdict(Some(3.75)), "missed by 50% (3.75 s)");
        let floor = Target::NearFloor(1.5);
        assert_eq!(floor.label(), "≤ 1.5× floor");
        assert_eq!(floor.verdict(Some(1.8)), "missed by 20% (1.8×)");
        assert_eq!(floor.verdict(Some(1.2)), "met (1.2×)");
        assert_eq!(Target::of("cost_grad").len(), 3);
    }
}
