//! The course's optimiser: nonlinear conjugate gradient as Carl Rasmussen's `fmincg` (the course's
//! ex4 trains with it) describes it, written here as an `argmin` solver. Polak–Ribière directions;
//! a line search that extrapolates and interpolates (cubic fits, quadratic when J rose) until the
//! Wolfe–Powell conditions hold; a restart along the gradient when a search fails, and a stop
//! after two failures in a row.
//!
//! One argmin iteration is one line search, failed ones included, because that is what the
//! course's iteration count counts (`MaxIter = 50` is 50 line searches).

use argmin::core::{
    ArgminError, CostFunction, Error, Gradient, IterState, KV, Problem, Solver, State,
    TerminationReason,
};

// ANCHOR: constants
/// Sufficient decrease: J must fall by at least ρ times what the slope at the start promises.
const RHO: f64 = 0.01;
/// Curvature: the slope at the new point must be at most σ times the starting slope, in size.
const SIGMA: f64 = 0.5;
/// A new point stays this fraction of the bracket away from its ends: closer teaches little.
const INT: f64 = 0.1;
/// An extrapolation goes at most this many times as far as the current step.
const EXT: f64 = 3.0;
/// Evaluations a line search may add after its first point.
const MAX: usize = 20;
/// The next search's first step is at most this many times the last one (ratio of slopes).
const RATIO: f64 = 100.0;
// ANCHOR_END: constants

/// How a line search chose one of its points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// The search's first point, from the previous search's step and slope ratio.
    First,
    /// Further out, by a cubic fit: J fell enough there but was still falling steeply.
    Extrapolate,
    /// Back inside the bracket, by a quadratic or cubic fit: the point went too far.
    Interpolate,
}

/// One evaluation of a line search: how its point was chosen, how far it is from the search's
/// start (in multiples of the search direction), and J there.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    pub how: Move,
    pub step: f64,
    pub cost: f64,
}

/// One line search: its evaluations in order, and whether the last met the Wolfe–Powell
/// conditions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LineSearch {
    pub probes: Vec<Probe>,
    pub succeeded: bool,
}

/// The course's nonlinear conjugate gradient. It keeps every line search it ran, so tests and
/// chapters can see what it did ([`Fmincg::searches`]).
#[derive(Clone, Debug, Default)]
pub struct Fmincg {
    /// The search direction s.
    direction: Vec<f64>,
    /// The gradient s was made from, which the next Polak–Ribière update compares with.
    gradient: Vec<f64>,
    /// J's slope along s where the next search starts, ∇J·s (negative: downhill).
    slope: f64,
    /// The next search's first step, in multiples of s.
    step: f64,
    /// Whether the last search failed: a second failure in a row ends the run.
    failed: bool,
    searches: Vec<LineSearch>,
}

/// Where a line search ended: its last point's J, gradient and distance from the start.
struct Ended {
    cost: f64,
    gradient: Vec<f64>,
    step: f64,
    record: LineSearch,
}

impl Fmincg {
    pub fn new() -> Self {
        Self::default()
    }

    // ANCHOR: polak_ribiere
    /// After a line search that succeeded with gradient g₂ and step `step`: the next direction,
    /// Polak–Ribière's β = (g₂·g₂ − g₁·g₂)/(g₁·g₁), s ← βs − g₂, or steepest descent if that is
    /// not downhill; and the next first step, guessed from the ratio of the slopes.
    fn polak_ribiere(&mut self, g2: Vec<f64>, step: f64) {
        let g1 = &self.gradient;
        let beta = (dot(&g2, &g2) - dot(g1, &g2)) / dot(g1, g1);
        self.direction = (self.direction.iter().zip(&g2))
            .map(|(s, g)| beta * s - g)
            .collect();
        let mut slope = dot(&g2, &self.direction);
        if slope > 0.0 {
            self.direction = g2.iter().map(|g| -g).collect();
            slope = -dot(&self.direction, &self.direction);
        }
        // At most RATIO times this step.
        self.step = step * RATIO.min(self.slope / (slope - f64::MIN_POSITIVE));
        self.slope = slope;
        self.gradient = g2;
        self.failed = false;
    }
    // ANCHOR_END: polak_ribiere

    /// The line searches so far, one per iteration.
    pub fn searches(&self) -> &[LineSearch] {
        &self.searches
    }

    /// Cost evaluations so far: the one at the start and every line search's.
    pub fn evaluations(&self) -> usize {
        1 + self.searches.iter().map(|s| s.probes.len()).sum::<usize>()
    }

    /// Steepest descent, s = −∇J, with the course's first step z = 1/(1 + |∇J|²): z·s is about
    /// 1/|∇J| long for a steep start, and about a plain gradient step for a flat one.
    fn restart(&mut self, gradient: Vec<f64>) {
        self.direction = gradient.iter().map(|g| -g).collect();
        self.slope = -dot(&self.direction, &self.direction);
        self.step = 1.0 / (1.0 - self.slope);
        self.gradient = gradient;
    }

    /// One line search along s from `x` (where J = `f1`), moving `x` to each point it
    /// evaluates. Ends at the first point that meets the Wolfe–Powell conditions, or fails when
    /// it runs out of evaluations or cannot make J fall enough.
    fn line_search<O>(
        &self,
        problem: &mut Problem<O>,
        x: &mut [f64],
        f1: f64,
    ) -> Result<Ended, Error>
    where
        O: CostFunction<Param = Vec<f64>, Output = f64>
            + Gradient<Param = Vec<f64>, Gradient = Vec<f64>>,
    {
        let (s, d1) = (&self.direction, self.slope);
        let mut record = LineSearch::default();
        // Point 2, the newest: `z1` along s from the start, J = f2, slope d2 there.
        let mut z1 = self.step;
        let (mut f2, mut df2) = step_and_evaluate(problem, x, z1, s)?;
        let mut d2 = dot(&df2, s);
        record.probes.push(Probe {
            how: Move::First,
            step: z1,
            cost: f2,
        });
        // Point 3, the bracket's other end: the start for now, `z3` away from point 2.
        let (mut f3, mut d3, mut z3) = (f1, d1, -z1);
        let mut left = MAX;
        // The shortest step known to go too far, once there is one.
        let mut limit: Option<f64> = None;
        // Written as the course's code writes it, so that a NaN takes the same branches.
        let wolfe_powell_fail =
            |f2: f64, d2: f64, z1: f64| f2 > f1 + z1 * RHO * d1 || d2 > -SIGMA * d1;
        loop {
            while wolfe_powell_fail(f2, d2, z1) && left > 0 {
                limit = Some(z1);
                let z2 = interpolate(f2 > f1, (f2, d2), (f3, d3, z3));
                z1 += z2;
                (f2, df2) = step_and_evaluate(problem, x, z2, s)?;
                left -= 1;
                d2 = dot(&df2, s);
                z3 -= z2;
                record.probes.push(Probe {
                    how: Move::Interpolate,
                    step: z1,
                    cost: f2,
                });
            }
            if wolfe_powell_fail(f2, d2, z1) {
                break;
            }
            if d2 > SIGMA * d1 {
                record.succeeded = true;
                break;
            }
            if left == 0 {
                break;
            }
            // J fell enough but is still falling steeply: go further.
            let z2 = extrapolate((f2, d2), (f3, d3, z3), z1, limit);
            (f3, d3, z3) = (f2, d2, -z2);
            z1 += z2;
            (f2, df2) = step_and_evaluate(problem, x, z2, s)?;
            left -= 1;
            d2 = dot(&df2, s);
            record.probes.push(Probe {
                how: Move::Extrapolate,
                step: z1,
                cost: f2,
            });
        }
        Ok(Ended {
            cost: f2,
            gradient: df2,
            step: z1,
            record,
        })
    }
}

/// The step back from point 2 towards point 3 (`z3` < 0 away): to the minimum of the quadratic
/// through f3, d3 and f2 when J rose above the start (`rose`), else of the cubic through both
/// values and slopes; halfway when the fit has no minimum; never within INT of either end.
fn interpolate(rose: bool, (f2, d2): (f64, f64), (f3, d3, z3): (f64, f64, f64)) -> f64 {
    let z2 = if rose {
        z3 - (0.5 * d3 * z3 * z3) / (d3 * z3 + f2 - f3)
    } else {
        let a = 6.0 * (f2 - f3) / z3 + 3.0 * (d2 + d3);
        let b = 3.0 * (f3 - f2) - z3 * (d3 + 2.0 * d2);
        ((b * b - a * d2 * z3 * z3).sqrt() - b) / a
    };
    // A negative square root is NaN here (Octave's would be complex).
    let z2 = if z2.is_nan() || z2.is_infinite() {
        z3 / 2.0
    } else {
        z2
    };
    z2.min(INT * z3).max((1.0 - INT) * z3)
}

/// The step on from point 2, `z1` from the start: to the cubic fit's minimum through points 3
/// and 2, bounded by EXT times the step while nothing is known to go too far, else kept short of
/// `limit`. The bounds are the course's, in its order; the last one moves a point that falls
/// short of 90% of the way to the limit up to 90%.
fn extrapolate(
    (f2, d2): (f64, f64),
    (f3, d3, z3): (f64, f64, f64),
    z1: f64,
    limit: Option<f64>,
) -> f64 {
    let a = 6.0 * (f2 - f3) / z3 + 3.0 * (d2 + d3);
    let b = 3.0 * (f3 - f2) - z3 * (d3 + 2.0 * d2);
    let z2 = -d2 * z3 * z3 / (b + (b * b - a * d2 * z3 * z3).sqrt());
    // NaN stands for both of the course's "not real" and "not a number".
    if !z2.is_finite() || z2 < 0.0 {
        return match limit {
            None => z1 * (EXT - 1.0),
            Some(limit) => (limit - z1) / 2.0,
        };
    }
    match limit {
        Some(limit) if z2 + z1 > limit => (limit - z1) / 2.0,
        None if z2 + z1 > z1 * EXT => z1 * (EXT - 1.0),
        _ if z2 < -z3 * INT => -z3 * INT,
        Some(limit) if z2 < (limit - z1) * (1.0 - INT) => (limit - z1) * (1.0 - INT),
        _ => z2,
    }
}

/// x ← x + z·s, then J and ∇J there.
fn step_and_evaluate<O>(
    problem: &mut Problem<O>,
    x: &mut [f64],
    z: f64,
    s: &[f64],
) -> Result<(f64, Vec<f64>), Error>
where
    O: CostFunction<Param = Vec<f64>, Output = f64>
        + Gradient<Param = Vec<f64>, Gradient = Vec<f64>>,
{
    x.iter_mut().zip(s).for_each(|(x, s)| *x += z * s);
    let x = x.to_vec();
    Ok((problem.cost(&x)?, problem.gradient(&x)?))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(a, b)| a * b).sum()
}

type Iterate = IterState<Vec<f64>, Vec<f64>, (), (), (), f64>;

impl<O> Solver<O, Iterate> for Fmincg
where
    O: CostFunction<Param = Vec<f64>, Output = f64>
        + Gradient<Param = Vec<f64>, Gradient = Vec<f64>>,
{
    fn name(&self) -> &str {
        "fmincg (the course's conjugate gradient)"
    }

    fn init(
        &mut self,
        problem: &mut Problem<O>,
        state: Iterate,
    ) -> Result<(Iterate, Option<KV>), Error> {
        let x = state
            .get_param()
            .ok_or_else(|| ArgminError::NotInitialized {
                text: "fmincg needs a starting point: configure the state with `param`".into(),
            })?;
        let (f, g) = (problem.cost(x)?, problem.gradient(x)?);
        *self = Self::new();
        self.restart(g);
        Ok((state.cost(f), None))
    }

    // ANCHOR: iteration
    fn next_iter(
        &mut self,
        problem: &mut Problem<O>,
        mut state: Iterate,
    ) -> Result<(Iterate, Option<KV>), Error> {
        let start = state
            .take_param()
            .ok_or_else(|| ArgminError::PotentialBug {
                text: "fmincg: no parameter vector in the state".into(),
            })?;
        let f0 = state.get_cost();
        let mut x = start.clone();
        let ended = self.line_search(problem, &mut x, f0)?;
        let succeeded = ended.record.succeeded;
        self.searches.push(ended.record);
        if succeeded {
            self.polak_ribiere(ended.gradient, ended.step);
            return Ok((state.param(x).cost(ended.cost), None));
        }
        // Back to the start of the search. The course's code then restarts along the gradient
        // at the last point it tried, not at the start (it swaps the two gradients after
        // restoring); so does this, to follow the course's trajectory.
        let state = state.param(start).cost(f0);
        if self.failed {
            let reason = TerminationReason::SolverExit("two line searches failed in a row".into());
            return Ok((state.terminate_with(reason), None));
        }
        self.restart(ended.gradient);
        self.failed = true;
        Ok((state, None))
    }
    // ANCHOR_END: iteration
}

#[cfg(test)]
mod tests {
    use super::*;
    use argmin::core::{Executor, OptimizationResult};

    type Cost = fn(&[f64]) -> f64;
    type Slopes = fn(&[f64]) -> Vec<f64>;

    /// A cost given by its value and gradient functions.
    struct Function {
        cost: Cost,
        gradient: Slopes,
    }

    impl CostFunction for Function {
        type Param = Vec<f64>;
        type Output = f64;
        fn cost(&self, x: &Vec<f64>) -> Result<f64, Error> {
            Ok((self.cost)(x))
        }
    }

    impl Gradient for Function {
        type Param = Vec<f64>;
        type Gradient = Vec<f64>;
        fn gradient(&self, x: &Vec<f64>) -> Result<Vec<f64>, Error> {
            Ok((self.gradient)(x))
        }
    }

    fn run(
        cost: Cost,
        gradient: Slopes,
        start: Vec<f64>,
        iterations: u64,
    ) -> OptimizationResult<Function, Fmincg, Iterate> {
        let result = Executor::new(Function { cost, gradient }, Fmincg::new())
            .configure(|state| state.param(start).max_iters(iterations))
            .run()
            .unwrap();
        // The solver's own count is the problem's: one J and one ∇J per point.
        let counts = &result.problem.counts;
        assert_eq!(counts["cost_count"] as usize, result.solver.evaluations());
        assert_eq!(counts["gradient_count"], counts["cost_count"]);
        result
    }

    fn point(result: &OptimizationResult<Function, Fmincg, Iterate>) -> &[f64] {
        result.state.get_param().unwrap()
    }

    fn rosenbrock(x: &[f64]) -> f64 {
        (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2)
    }

    fn rosenbrock_gradient(x: &[f64]) -> Vec<f64> {
        let bend = x[1] - x[0] * x[0];
        vec![-2.0 * (1.0 - x[0]) - 400.0 * x[0] * bend, 200.0 * bend]
    }

    #[test]
    fn finds_the_minimum_of_rosenbrocks_valley() {
        let result = run(rosenbrock, rosenbrock_gradient, vec![-1.2, 1.0], 200);
        let x = point(&result);
        assert!(
            (x[0] - 1.0).abs() < 1e-6 && (x[1] - 1.0).abs() < 1e-6,
            "ended at {x:?} after {} line searches, the minimum is (1, 1)",
            result.solver.searches().len()
        );
        assert!(result.state.get_cost() < 1e-12);
    }

    #[test]
    fn follows_the_courses_fmincg_step_by_step_on_rosenbrock() {
        // The course's fmincg.m, run in Octave 7.3 from (−1.2, 1) with MaxIter = 1000: the
        // evaluations so far after each line search; the last two searches failed, and it
        // stopped. The arithmetic is the same in both, so every count and J must agree.
        const COUNTS: [usize; 31] = [
            5, 7, 10, 14, 18, 20, 24, 28, 31, 35, 40, 43, 47, 50, 53, 57, 59, 61, 62, 64, 69, 73,
            77, 80, 82, 86, 88, 93, 95, 116, 137,
        ];
        const J_AFTER_10: f64 = 1.0426287118861244;
        const J_AFTER_20: f64 = 0.053057845952926695;
        let result = run(rosenbrock, rosenbrock_gradient, vec![-1.2, 1.0], 1000);
        let searches = result.solver.searches();
        let counts: Vec<usize> = searches
            .iter()
            .scan(1, |n, s| {
                *n += s.probes.len();
                Some(*n)
            })
            .collect();
        assert_eq!(counts, COUNTS);
        let failed: Vec<bool> = searches.iter().map(|s| !s.succeeded).collect();
        assert_eq!(failed.iter().filter(|&&f| f).count(), 2);
        assert!(failed[29] && failed[30]);
        for (i, published) in [(10, J_AFTER_10), (20, J_AFTER_20)] {
            let j = searches[i - 1].probes.last().unwrap().cost;
            assert!(
                (j - published).abs() <= 1e-12 * published,
                "J after {i}: {j:e}"
            );
        }
        assert_eq!(point(&result), [1.0, 1.0000000000000002]);
    }

    /// ½(x − x*)ᵀA(x − x*) + 3 with A symmetric positive definite (diagonally dominant).
    const MINIMUM: [f64; 4] = [1.0, -2.0, 0.5, 3.0];
    fn quadratic_a(i: usize, j: usize) -> f64 {
        if i == j {
            4.0 + i as f64
        } else {
            1.0 / (1 + i + j) as f64
        }
    }
    fn quadratic_gradient(x: &[f64]) -> Vec<f64> {
        (0..4)
            .map(|i| {
                (0..4)
                    .map(|j| quadratic_a(i, j) * (x[j] - MINIMUM[j]))
                    .sum()
            })
            .collect()
    }
    fn quadratic(x: &[f64]) -> f64 {
        let g = quadratic_gradient(x);
        0.5 * (0..4).map(|i| g[i] * (x[i] - MINIMUM[i])).sum::<f64>() + 3.0
    }

    #[test]
    fn finds_the_minimum_of_a_convex_quadratic() {
        let result = run(quadratic, quadratic_gradient, vec![0.0; 4], 50);
        let x = point(&result);
        for (found, known) in x.iter().zip(MINIMUM) {
            assert!(
                (found - known).abs() < 1e-8,
                "ended at {x:?}, the minimum is {MINIMUM:?}"
            );
        }
        assert!((result.state.get_cost() - 3.0).abs() < 1e-12);
    }

    /// ½ a x², whose minimum is 0: `a` sets how far the first step 1/(1 + (ax)²) goes.
    fn parabola(a: f64) -> (Cost, Slopes) {
        match a {
            1.0 => (|x| 0.5 * x[0] * x[0], |x| vec![x[0]]),
            100.0 => (|x| 50.0 * x[0] * x[0], |x| vec![100.0 * x[0]]),
            _ => unreachable!("the tests use a = 1 and 100"),
        }
    }

    #[test]
    fn a_first_step_far_too_short_is_extrapolated_at_most_three_times_each_time() {
        // From x = −100 the gradient is −100, so the first step goes 100/(1 + 100²) ≈ 0.01:
        // J falls enough but just as steeply, and the search must go on, by EXT each time.
        let (cost, gradient) = parabola(1.0);
        let result = run(cost, gradient, vec![-100.0], 1);
        let search = &result.solver.searches()[0];
        assert!(search.succeeded);
        let probes = &search.probes;
        assert_eq!(probes[0].how, Move::First);
        assert!(probes.len() > 3, "{probes:?}");
        for pair in probes.windows(2) {
            assert_eq!(pair[1].how, Move::Extrapolate, "{probes:?}");
            assert!(pair[1].cost < pair[0].cost);
            assert!(
                pair[1].step <= EXT * pair[0].step * (1.0 + 1e-12),
                "{probes:?}"
            );
        }
        // Capped at EXT while the cubic fit (exact here) points far beyond.
        assert!((probes[1].step / probes[0].step - EXT).abs() < 1e-12);
        // The last point meets both Wolfe–Powell conditions: J fell, and the slope is at most
        // σ times the first (|∇J| = |x| here, and the direction is +x).
        let x = point(&result)[0];
        assert!(x.abs() <= SIGMA * 100.0, "ended at {x}");
    }

    #[test]
    fn a_step_that_overshoots_is_interpolated_back() {
        // ½·100x² from 0.05: the first step lands at −0.14 and J rises, so the quadratic fit
        // through J and its slope at the start and J at the point is used. x³/3 − x from 0.9:
        // the first step lands at 1.08, past the minimum at 1, where J has fallen but climbs
        // steeply, so the cubic fit through both values and slopes is used. Each fit is exact
        // for its function, so the second point is the minimum.
        type Case = (Cost, Slopes, f64, f64);
        let cases: [Case; 2] = [
            (parabola(100.0).0, parabola(100.0).1, 0.05, 0.0),
            (
                |x| x[0].powi(3) / 3.0 - x[0],
                |x| vec![x[0] * x[0] - 1.0],
                0.9,
                1.0,
            ),
        ];
        for (rose, (cost, gradient, start, minimum)) in [true, false].into_iter().zip(cases) {
            let result = run(cost, gradient, vec![start], 1);
            let search = &result.solver.searches()[0];
            let first = &search.probes[0];
            let landed = start - first.step * gradient(&[start])[0];
            assert!(
                (landed - minimum) * (start - minimum) < 0.0,
                "{landed}: overshot"
            );
            assert_eq!(first.cost > cost(&[start]), rose);
            assert!(search.succeeded);
            assert_eq!(
                search.probes.iter().map(|p| p.how).collect::<Vec<_>>(),
                [Move::First, Move::Interpolate]
            );
            let x = point(&result)[0];
            assert!((x - minimum).abs() < 1e-12, "J rose: {rose}; ended at {x}");
        }
    }

    #[test]
    fn interpolation_keeps_away_from_the_ends_of_the_bracket() {
        // a = 100 from 0.001: the first step goes 99 times too far, and the quadratic fit's
        // minimum is within INT of the start, so the point is moved out to INT of the bracket.
        let (cost, gradient) = parabola(100.0);
        let result = run(cost, gradient, vec![0.001], 1);
        let probes = &result.solver.searches()[0].probes;
        assert_eq!(probes[1].how, Move::Interpolate);
        assert!(
            (probes[1].step - INT * probes[0].step).abs() < 1e-15,
            "{probes:?}"
        );
    }

    #[test]
    fn a_wrong_gradient_stops_it_after_two_failed_line_searches() {
        // The gradient of −x²: every direction it gives climbs J = x².
        let result = run(|x| x[0] * x[0], |x| vec![-2.0 * x[0]], vec![1.0], 1000);
        let searches = result.solver.searches();
        assert_eq!(searches.len(), 2);
        assert!(searches.iter().all(|s| !s.succeeded));
        assert_eq!(result.solver.evaluations(), 1 + 2 * (1 + MAX));
        assert_eq!(point(&result), [1.0], "back at the start");
        assert!(matches!(
            result.state.get_termination_reason(),
            Some(TerminationReason::SolverExit(_))
        ));
    }

    #[test]
    fn iterations_are_line_searches() {
        let result = run(rosenbrock, rosenbrock_gradient, vec![-1.2, 1.0], 7);
        assert_eq!(result.solver.searches().len(), 7);
        assert_eq!(result.state.get_iter(), 7);
        assert!(result.solver.evaluations() > 8, "several points per search");
    }
}
