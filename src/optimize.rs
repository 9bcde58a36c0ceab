//! Training with an off-the-shelf optimiser, as the course does with `fmincg`: the course's own
//! nonlinear conjugate gradient ([`fmincg`]), and argmin's (Polak–Ribière, More–Thuente line
//! search) and L-BFGS beside it, on the unrolled parameter vector, with the cost and gradient
//! from this library's backpropagation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argmin::core::observers::{Observe, ObserverMode};
use argmin::core::{CostFunction, Executor, Gradient, IterState, KV, Solver, State};
use argmin::solver::conjugategradient::{NonlinearConjugateGradient, beta::PolakRibiere};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use ndarray::{Array1, Array2, ArrayView2, s};

use crate::activation::Activation;
use crate::backprop::cost_and_gradient;
use crate::cost::Loss;
use crate::network::Network;
use crate::unroll::{roll, shapes, unroll};
use crate::{Error, Result};

pub mod fmincg;

use fmincg::Fmincg;

/// The last point evaluated, with J and ∇J there.
type Evaluated = (Vec<f64>, f64, Vec<f64>);

/// A cost and its gradient for a network on data (X, Y) with λ: backpropagation normally, or
/// any other formula to see what an optimiser does with it (chapter 9 feeds it wrong ones).
pub type CostAndGradient =
    fn(&Network, ArrayView2<f64>, ArrayView2<f64>, f64) -> Result<(f64, Vec<Array2<f64>>)>;

/// The book's gradient: the cross-entropy cost and its backpropagation.
pub fn backpropagation(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>)> {
    cost_and_gradient(net, x, y, lambda, Loss::CrossEntropy)
}

// ANCHOR: notes_gradients
/// The notes' formula, D = Δ/m + λΘ: the penalty's gradient without its 1/m. Wrong on purpose:
/// chapter 9 shows what gradient checking and training make of it.
pub fn notes_formula(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>)> {
    let m = x.nrows() as f64;
    let (j, mut d) = backpropagation(net, x, y, lambda)?;
    for (d, theta) in d.iter_mut().zip(net.thetas()) {
        d.slice_mut(s![.., 1..])
            .scaled_add(lambda - lambda / m, &theta.slice(s![.., 1..]));
    }
    Ok((j, d))
}

/// The notes' code: `delta2 = Delta2 + Delta2_reg` (lower-case d) returns D^(2) unregularised.
/// Wrong on purpose, as [`notes_formula`].
pub fn notes_code(
    net: &Network,
    x: ArrayView2<f64>,
    y: ArrayView2<f64>,
    lambda: f64,
) -> Result<(f64, Vec<Array2<f64>>)> {
    let m = x.nrows() as f64;
    let (j, mut d) = backpropagation(net, x, y, lambda)?;
    let theta2 = &net.thetas()[1];
    d[1].slice_mut(s![.., 1..])
        .scaled_add(-lambda / m, &theta2.slice(s![.., 1..]));
    Ok((j, d))
}
// ANCHOR_END: notes_gradients

/// J(θ) and ∇J(θ) of a network on fixed data, as functions of the unrolled θ. Line searches ask
/// for the cost and the gradient at the same point; one backpropagation answers both.
struct Problem {
    x: Array2<f64>,
    y: Array2<f64>,
    lambda: f64,
    shapes: Vec<(usize, usize)>,
    hidden: Vec<Activation>,
    gradient: CostAndGradient,
    /// Backpropagations run so far; the recorder reads it after each iteration.
    evaluations: Arc<AtomicUsize>,
    last: Mutex<Option<Evaluated>>,
}

impl Problem {
    fn evaluate(&self, theta: &[f64]) -> Result<(f64, Vec<f64>)> {
        let mut last = self.last.lock().expect("no panics while holding the cache");
        if let Some((at, j, g)) = last.as_ref()
            && at.as_slice() == theta
        {
            return Ok((*j, g.clone()));
        }
        self.evaluations.fetch_add(1, Ordering::Relaxed);
        let net = Network::with_activations(
            roll(&Array1::from(theta.to_vec()), &self.shapes)?,
            self.hidden.clone(),
        )?;
        let (j, d) = (self.gradient)(&net, self.x.view(), self.y.view(), self.lambda)?;
        let g = unroll(&d).to_vec();
        *last = Some((theta.to_vec(), j, g.clone()));
        Ok((j, g))
    }
}

impl CostFunction for Problem {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, theta: &Vec<f64>) -> std::result::Result<f64, argmin::core::Error> {
        Ok(self.evaluate(theta)?.0)
    }
}

impl Gradient for Problem {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, theta: &Vec<f64>) -> std::result::Result<Vec<f64>, argmin::core::Error> {
        Ok(self.evaluate(theta)?.1)
    }
}

/// J and the evaluations so far, at the start or after an iteration.
type Recorded = (f64, usize);

/// Records J and the evaluations so far after every iteration, and passes J to a callback (a
/// progress bar).
struct Recorder<F> {
    costs: Arc<Mutex<Vec<Recorded>>>,
    evaluations: Arc<AtomicUsize>,
    callback: F,
}

impl<I: State<Float = f64>, F: FnMut(usize, f64)> Observe<I> for Recorder<F> {
    fn observe_iter(
        &mut self,
        state: &I,
        _kv: &KV,
    ) -> std::result::Result<(), argmin::core::Error> {
        self.costs
            .lock()
            .expect("no panics while recording")
            .push((state.get_cost(), self.evaluations.load(Ordering::Relaxed)));
        (self.callback)(state.get_iter() as usize, state.get_cost());
        Ok(())
    }
}

// ANCHOR: train
/// Minimises the regularised cross-entropy J(Θ) from `net` for `iterations` iterations of
/// nonlinear conjugate gradient. Returns the trained network and J after each iteration (the
/// first entry is J at the start). `on_iteration(i, J)` is called after each iteration.
pub fn conjugate_gradient(
    net: &Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
    lambda: f64,
    iterations: usize,
    on_iteration: impl FnMut(usize, f64) + 'static,
) -> Result<(Network, Vec<f64>)> {
    let (trained, costs, _) =
        conjugate_gradient_with(backpropagation, net, x, y, lambda, iterations, on_iteration)?;
    Ok((trained, costs))
}
// ANCHOR_END: train

/// [`conjugate_gradient`] driven by any cost-and-gradient function; also returns how many times
/// it was evaluated (line searches evaluate several points per iteration).
pub fn conjugate_gradient_with(
    gradient: CostAndGradient,
    net: &Network,
    x: &Array2<f64>,
    y: &Array2<f64>,
    lambda: f64,
    iterations: usize,
    on_iteration: impl FnMut(usize, f64) + 'static,
) -> Result<(Network, Vec<f64>, usize)> {
    let training = Training {
        gradient,
        ..Training::new(Optimiser::ConjugateGradient, lambda, iterations)
    };
    let trained = training.run(net, x, y, on_iteration)?;
    let evaluations = trained.total_evaluations();
    Ok((trained.net, trained.costs, evaluations))
}

/// The optimisers a network can be trained with, all on the same unrolled J and ∇J. For each,
/// one iteration is one line search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Optimiser {
    /// The course's `fmincg` ([`fmincg::Fmincg`]).
    Fmincg,
    /// argmin's nonlinear conjugate gradient: Polak–Ribière, More–Thuente line search, restarted
    /// every 10 iterations or when successive gradients are far from orthogonal.
    ConjugateGradient,
    /// argmin's L-BFGS (the last 10 steps), with a More–Thuente line search.
    Lbfgs,
}

impl Optimiser {
    /// How the chapters name it.
    pub fn name(self) -> &'static str {
        match self {
            Optimiser::Fmincg => "the course's fmincg",
            Optimiser::ConjugateGradient => "argmin's conjugate gradient",
            Optimiser::Lbfgs => "argmin's L-BFGS",
        }
    }
}

/// A training run's settings: the optimiser, the cost and gradient it is fed, λ and how many
/// iterations.
#[derive(Clone, Copy)]
pub struct Training {
    pub optimiser: Optimiser,
    pub gradient: CostAndGradient,
    pub lambda: f64,
    pub iterations: usize,
}

/// What a training run gives back.
#[derive(Clone, Debug)]
pub struct Trained {
    /// The network with the lowest J met.
    pub net: Network,
    /// J at the start, then after each iteration (fewer if the optimiser stopped early).
    pub costs: Vec<f64>,
    /// How many times J and ∇J had been evaluated at each entry of `costs`, the start included.
    pub evaluations: Vec<usize>,
}

impl Trained {
    /// Evaluations of J and ∇J in all.
    pub fn total_evaluations(&self) -> usize {
        self.evaluations[self.evaluations.len() - 1]
    }
}

type Iterate = IterState<Vec<f64>, Vec<f64>, (), (), (), f64>;

impl Training {
    /// `optimiser` on backpropagation's gradient.
    pub fn new(optimiser: Optimiser, lambda: f64, iterations: usize) -> Self {
        Training {
            optimiser,
            gradient: backpropagation,
            lambda,
            iterations,
        }
    }

    /// Minimises J(Θ) from `net` on (X, Y). `on_iteration(i, J)` is called after each iteration
    /// (for progress bars). Fails on zero iterations, and if J ends up not finite.
    pub fn run(
        &self,
        net: &Network,
        x: &Array2<f64>,
        y: &Array2<f64>,
        on_iteration: impl FnMut(usize, f64) + 'static,
    ) -> Result<Trained> {
        if self.iterations == 0 {
            return Err(Error::invalid("iterations", "at least 1", 0));
        }
        let problem = Problem {
            x: x.clone(),
            y: y.clone(),
            lambda: self.lambda,
            shapes: shapes(net.thetas()),
            hidden: net.hidden_activations().to_vec(),
            gradient: self.gradient,
            evaluations: Arc::new(AtomicUsize::new(0)),
            last: Mutex::new(None),
        };
        let start = unroll(net.thetas()).to_vec();
        let (best, record) = match self.optimiser {
            Optimiser::Fmincg => self.minimise(problem, start, Fmincg::new(), on_iteration),
            Optimiser::ConjugateGradient => {
                let solver = NonlinearConjugateGradient::new(
                    MoreThuenteLineSearch::new(),
                    PolakRibiere::new(),
                )
                .restart_iters(10)
                .restart_orthogonality(0.1);
                self.minimise(problem, start, solver, on_iteration)
            }
            Optimiser::Lbfgs => {
                let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10);
                self.minimise(problem, start, solver, on_iteration)
            }
        }?;
        let (costs, evaluations): (Vec<f64>, Vec<usize>) = record.into_iter().unzip();
        let last = costs[costs.len() - 1];
        if !last.is_finite() {
            return Err(Error::invalid(
                format!("training ({})", self.optimiser.name()),
                "a finite cost",
                last,
            ));
        }
        let trained = Network::with_activations(
            roll(&Array1::from(best), &shapes(net.thetas()))?,
            net.hidden_activations().to_vec(),
        )?;
        Ok(Trained {
            net: trained,
            costs,
            evaluations,
        })
    }

    /// Runs `solver` from `start` and returns the best point, and J and the evaluations so far
    /// at the start and after each iteration.
    fn minimise<S: Solver<Problem, Iterate>>(
        &self,
        problem: Problem,
        start: Vec<f64>,
        solver: S,
        on_iteration: impl FnMut(usize, f64) + 'static,
    ) -> Result<(Vec<f64>, Vec<Recorded>)> {
        let (j0, _) = problem.evaluate(&start)?;
        let evaluations = Arc::clone(&problem.evaluations);
        let costs = Arc::new(Mutex::new(vec![(j0, evaluations.load(Ordering::Relaxed))]));
        let recorder = Recorder {
            costs: Arc::clone(&costs),
            evaluations,
            callback: on_iteration,
        };
        let what = || format!("training ({})", self.optimiser.name());
        let result = Executor::new(problem, solver)
            .configure(|state| state.param(start).max_iters(self.iterations as u64))
            .add_observer(recorder, ObserverMode::Always)
            .run()
            .map_err(|e| Error::invalid(what(), "an optimisation that converges", e))?;
        let best = result
            .state()
            .get_best_param()
            .ok_or_else(|| Error::invalid(what(), "a parameter vector", "none"))?
            .clone();
        let costs = costs.lock().expect("no panics while recording").clone();
        Ok((best, costs))
    }
}
