//! The machine's limit for `cost_grad`: its multiply-adds and bytes, and the time floor that
//! the measured FMA rate and memory bandwidth give them (`benches/tasks/limit.rs` measures).

use serde_json::Value;

use super::checks::Meta;
use crate::Result;

/// One vector width's measured rate, in f64 multiply-adds (lanes) per second.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Width {
    pub(super) name: String,
    pub(super) lanes: u64,
    pub(super) one_core: f64,
    pub(super) all_cores: f64,
}

/// What `tasks limit` measured.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Limit {
    pub(super) cores: u64,
    pub(super) avx512: bool,
    /// Narrowest first.
    pub(super) widths: Vec<Width>,
    pub(super) read_one_core: f64,
    pub(super) read_all_cores: f64,
}

impl Limit {
    pub(super) fn parse(line: &str) -> Result<Limit> {
        let json: Value =
            serde_json::from_str(line).map_err(|e| format!("limit: {e} in {line}"))?;
        let num = |v: &Value, name: &str| {
            v[name]
                .as_f64()
                .ok_or(format!("limit: no number {name:?} in {line}"))
        };
        let widths = json["fma"]
            .as_array()
            .ok_or(format!("limit: no list \"fma\" in {line}"))?
            .iter()
            .map(|w| {
                Ok(Width {
                    name: w["width"]
                        .as_str()
                        .ok_or("limit: a width without a name")?
                        .into(),
                    lanes: w["lanes"].as_u64().ok_or("limit: a width without lanes")?,
                    one_core: num(w, "one_core")?,
                    all_cores: num(w, "all_cores")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if widths.is_empty() {
            return Err(format!("limit: no widths measured in {line}"));
        }
        Ok(Limit {
            cores: json["cores"].as_u64().ok_or("limit: no \"cores\"")?,
            avx512: json["avx512"].as_bool().ok_or("limit: no \"avx512\"")?,
            widths,
            read_one_core: num(&json, "read_one_core")?,
            read_all_cores: num(&json, "read_all_cores")?,
        })
    }

    /// The widest vectors the CPU has.
    pub(super) fn widest(&self) -> &Width {
        self.widths
            .iter()
            .max_by_key(|w| w.lanes)
            .expect("at least one width")
    }
}

/// The least work one evaluation of cost and gradient does, and the least time it can take.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Floor {
    pub(super) multiply_adds: u64,
    pub(super) bytes: u64,
    /// The multiply-adds at the widest vectors' rate on all cores.
    pub(super) fma_seconds: f64,
    /// The bytes at the streaming read's rate on all cores.
    pub(super) memory_seconds: f64,
}

impl Floor {
    /// The matrix products of one evaluation (m examples, n inputs, h hidden, k outputs):
    /// forward X·Θ⁽¹⁾ᵀ (m·n·h) and a⁽²⁾·Θ⁽²⁾ᵀ (m·h·k); backward δ⁽³⁾·Θ⁽²⁾ (m·k·h); the gradient's
    /// δ⁽²⁾ᵀ·X (h·n·m) and δ⁽³⁾ᵀ·a⁽²⁾ (k·h·m); biases are additions, not multiply-adds. Bytes: X
    /// and Y read once, Θ read and the gradient written once, 8 bytes each.
    pub(super) fn of(meta: &Meta, limit: &Limit) -> Floor {
        let (m, n, h, k) = (meta.m, meta.n, meta.hidden, meta.labels);
        let multiply_adds = m * h * (2 * n + 3 * k);
        let params = h * (n + 1) + k * (h + 1);
        let bytes = 8 * (m * n + m * k + 2 * params);
        Floor {
            multiply_adds,
            bytes,
            fma_seconds: multiply_adds as f64 / limit.widest().all_cores,
            memory_seconds: bytes as f64 / limit.read_all_cores,
        }
    }

    /// The larger of the two: neither arithmetic nor memory can go faster.
    pub(super) fn seconds(&self) -> f64 {
        self.fma_seconds.max(self.memory_seconds)
    }
}

/// The bench's sizes, for the tests of this folder.
#[cfg(test)]
pub(super) fn tests_meta() -> Meta {
    Meta {
        m: 5000,
        n: 400,
        hidden: 25,
        labels: 10,
        epsilon: 1e-4,
        cg_iterations: 400,
        moons_points: 60,
        moons_hidden: vec![1],
        moons_iterations: 1,
        moons_rate: 0.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> Meta {
        tests_meta()
    }

    const LINE: &str = r#"{"task": "limit", "cores": 2, "avx512": false, "fma": [{"width": "scalar", "lanes": 1, "one_core": 6e9, "all_cores": 1.2e10}, {"width": "256-bit (AVX2)", "lanes": 4, "one_core": 3.4e10, "all_cores": 6.8e10}], "read_one_core": 1e10, "read_all_cores": 2e10}"#;

    #[test]
    fn reads_the_limit_line_and_finds_the_widest_vectors() {
        let limit = Limit::parse(LINE).unwrap();
        assert_eq!(
            (limit.cores, limit.avx512, limit.widths.len()),
            (2, false, 2)
        );
        assert_eq!(limit.widest().name, "256-bit (AVX2)");
        assert_eq!(limit.read_all_cores, 2e10);
        assert!(Limit::parse(r#"{"cores": 2, "avx512": false, "fma": []}"#).is_err());
        assert!(Limit::parse("not json").is_err());
    }

    #[test]
    fn the_floor_is_the_larger_of_arithmetic_and_memory() {
        let limit = Limit::parse(LINE).unwrap();
        let floor = Floor::of(&meta(), &limit);
        // 5000·25·(800 + 30): the issue's "about 100 M multiply-adds".
        assert_eq!(floor.multiply_adds, 103_750_000);
        assert_eq!(floor.bytes, 8 * (2_000_000 + 50_000 + 2 * 10_285));
        assert!((floor.fma_seconds - 103.75e6 / 6.8e10).abs() < 1e-15);
        assert!((floor.memory_seconds - floor.bytes as f64 / 2e10).abs() < 1e-15);
        assert_eq!(floor.seconds(), floor.fma_seconds);
        // Slow memory makes memory the floor.
        let slow = Limit {
            read_all_cores: 1e9,
            ..limit
        };
        let floor = Floor::of(&meta(), &slow);
        assert_eq!(floor.seconds(), floor.memory_seconds);
    }
}
