"""The numpy side of `cargo xtask bench`: the source notes' algorithms, vectorised as the notes
write them, timed on the data the Rust side wrote (so both compute on identical numbers).

    python baseline.py run cost_grad|gradcheck|optimise|moons DATADIR [--tnc]
    python baseline.py machine

`run` prints exactly one JSON line on stdout,
    {"task": ..., "seconds": ..., "unit": "evaluation"|"run", "check": [...], "peak_mib": ...,
     "fastest": ... (cost_grad only: its fastest single evaluation)}
and everything else (progress) on stderr. `machine` prints one JSON line describing the Python
side: Python, numpy, scipy and scikit-learn versions, numpy's BLAS and its thread count.

This is the baseline a reader of the notes would otherwise run: it follows the notes' code and
is deliberately not optimised beyond it.
"""

import json
import math
import os
import platform
import resource
import sys
import time

import numpy as np
import scipy.optimize as opt


# ---------------------------------------------------------------------------------------------
# The digits network (400-25-10), as the notes write it.
# ---------------------------------------------------------------------------------------------

# Timed cost + gradient evaluations: at least this many, lasting at least this long in all.
MIN_TIMED = 20
MIN_SECONDS = 2.0

# Sizes, set from the data folder's meta.json by load_digits.
HIDDEN = 25
N = 400
LABELS = 10


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def serialize(a, b):
    return np.r_[a.flatten(), b.flatten()]


def deserialize(seq):
    """Unrolled theta -> (t1, t2); these are views of seq, as in the notes."""
    return (
        seq[: HIDDEN * (N + 1)].reshape(HIDDEN, N + 1),
        seq[HIDDEN * (N + 1) :].reshape(LABELS, HIDDEN + 1),
    )


def feed_forward(theta, X):
    """X already carries the bias column (inserted once, at load)."""
    t1, t2 = deserialize(theta)
    a1 = X
    z2 = a1 @ t1.T
    a2 = np.insert(sigmoid(z2), 0, 1, axis=1)
    z3 = a2 @ t2.T
    h = sigmoid(z3)
    return a1, z2, a2, z3, h


def cost(theta, X, y):
    """The notes' cost, in the vectorised form (the notes loop over the examples)."""
    _, _, _, _, h = feed_forward(theta, X)
    return np.sum(-y * np.log(h) - (1 - y) * np.log(1 - h)) / len(X)


def regularized_cost(theta, X, y, l=1):
    t1, t2 = deserialize(theta)
    reg_t1 = (l / (2 * len(X))) * np.sum(np.power(t1[:, 1:], 2))
    reg_t2 = (l / (2 * len(X))) * np.sum(np.power(t2[:, 1:], 2))
    return cost(theta, X, y) + reg_t1 + reg_t2


def sigmoid_gradient(z):
    return np.multiply(sigmoid(z), 1 - sigmoid(z))


def gradient(theta, X, y):
    t1, t2 = deserialize(theta)
    a1, z2, a2, z3, h = feed_forward(theta, X)
    d3 = h - y
    d2 = np.multiply(d3 @ t2[:, 1:], sigmoid_gradient(z2))
    D2 = d3.T @ a2
    D1 = d2.T @ a1
    return (1 / len(X)) * serialize(D1, D2)


def regularized_gradient(theta, X, y, l=1):
    D1, D2 = deserialize(gradient(theta, X, y))
    # The notes take t1, t2 = deserialize(theta) and zero their first column in place: those are
    # views of theta, so the notes' version overwrites the caller's bias weights with zeros (and
    # every later evaluation, e.g. inside the optimiser, sees a different theta). Copy them, so
    # the function computes what the notes mean without the side effect.
    t1, t2 = (t.copy() for t in deserialize(theta))
    t1[:, 0] = 0
    t2[:, 0] = 0
    reg_D1 = D1 + (l / len(X)) * t1
    reg_D2 = D2 + (l / len(X)) * t2
    return serialize(reg_D1, reg_D2)


def gradient_checking(theta, X, y, epsilon, regularized=True, progress=None):
    """The notes' method: the full cost twice per parameter, then the relative difference."""

    def a_numeric_grad(plus, minus):
        if regularized:
            return (regularized_cost(plus, X, y) - regularized_cost(minus, X, y)) / (
                epsilon * 2
            )
        return (cost(plus, X, y) - cost(minus, X, y)) / (epsilon * 2)

    numeric = []
    for i in range(len(theta)):
        plus = theta.copy()
        minus = theta.copy()
        plus[i] += epsilon
        minus[i] -= epsilon
        numeric.append(a_numeric_grad(plus, minus))
        if progress is not None:
            progress(i + 1, len(theta))
    numeric_grad = np.array(numeric)
    analytic_grad = (
        regularized_gradient(theta, X, y) if regularized else gradient(theta, X, y)
    )
    return np.linalg.norm(numeric_grad - analytic_grad) / np.linalg.norm(
        numeric_grad + analytic_grad
    )


def nn_training(X, y, theta, l, iterations, tnc=False):
    """The notes train with scipy's TNC (`method='TNC'`, `options={'maxiter': 400}`). The Rust
    side runs a fixed number of Polak-Ribiere nonlinear conjugate-gradient iterations, so the
    benchmark uses scipy's CG (also Polak-Ribiere) with the same iteration budget and gtol 0 (so
    it stops only at the budget or when its line search fails). Pass --tnc to run the notes'
    TNC instead (maxfun = the same budget; for TNC it counts cost evaluations)."""
    if tnc:
        return opt.minimize(
            fun=regularized_cost,
            x0=theta,
            args=(X, y, l),
            method="TNC",
            jac=regularized_gradient,
            options={"maxfun": iterations},
        )
    return opt.minimize(
        fun=regularized_cost,
        x0=theta,
        args=(X, y, l),
        method="CG",
        jac=regularized_gradient,
        options={"maxiter": iterations, "gtol": 0},
    )


# ---------------------------------------------------------------------------------------------
# The moons network (2-h-2: tanh hidden layer, sigmoid outputs, cross-entropy, full-batch
# gradient descent), as the notes write it: examples in columns, w (n_l x n_{l-1}), b (n_l x 1).
# ---------------------------------------------------------------------------------------------


def tanh(z):
    return np.tanh(z)


def tanh_derivative(z):
    return 1 - np.power(np.tanh(z), 2)


def sigmoid_derivative(z):
    s = sigmoid(z)
    return s * (1 - s)


class Layer:
    def __init__(self, w, b, activation, derivative):
        self.w = w
        self.b = b
        self.activation = activation
        self.derivative = derivative


def layer_forward(layer, x, cache):
    input_sum = np.dot(layer.w, x) + layer.b
    output = layer.activation(input_sum)
    cache["x"] = x
    cache["input_sum"] = input_sum
    return output


def forward(layers, x, caches):
    output = x
    for layer, cache in zip(layers, caches):
        output = layer_forward(layer, output, cache)
    return output


def compute_error(output, y):
    m = y.shape[1]
    return -np.sum(np.log(output) * y + np.log(1 - output) * (1 - y)) / m


def layer_backward(layer, derror_wrt_output, cache, grads):
    m = cache["x"].shape[1]
    dinput = derror_wrt_output * layer.derivative(cache["input_sum"])
    grads["dw"] = np.dot(dinput, cache["x"].T) / m
    grads["db"] = np.sum(dinput, axis=1, keepdims=True) / m
    return np.dot(layer.w.T, dinput)


def backward(layers, output, y, caches, grads):
    derror_wrt_output = -(y / output - (1 - y) / (1 - output))
    for layer, cache, grad in reversed(list(zip(layers, caches, grads))):
        derror_wrt_output = layer_backward(layer, derror_wrt_output, cache, grad)


def update(layers, grads, learning_rate):
    for layer, grad in zip(layers, grads):
        layer.w -= learning_rate * grad["dw"]
        layer.b -= learning_rate * grad["db"]


@np.errstate(divide="ignore", invalid="ignore")
def train(layers, x, y, iterations, learning_rate):
    """The notes' training loop: forward, compute_error, backward, update, every iteration (the
    notes print the error every 1000 iterations; here it is kept, not printed). Returns the cost
    after the last update."""
    caches = [{} for _ in layers]
    grads = [{} for _ in layers]
    errors = []
    overflowed = False
    for i in range(iterations):
        output = forward(layers, x, caches)
        error = compute_error(output, y)
        if i % 1000 == 0:
            errors.append(error)
        if not overflowed and not math.isfinite(error):
            # Not part of the notes: says when their formulas break down. Once a sigmoid output
            # rounds to exactly 1.0 (its input above about 36.7), log(1 - output) is -inf and
            # (1 - y)/(1 - output) is 0/0, and the NaN spreads to every weight.
            overflowed = True
            log(
                f"    {x.shape[0]}-{layers[0].w.shape[0]}-{y.shape[0]} network, iteration {i}: "
                f"the error is {error}: a sigmoid output rounded to exactly 1.0 or 0.0; "
                "from here on the weights are NaN"
            )
        backward(layers, output, y, caches, grads)
        update(layers, grads, learning_rate)
    return compute_error(forward(layers, x, caches), y)


# ---------------------------------------------------------------------------------------------
# Data, timing, output.
# ---------------------------------------------------------------------------------------------


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_f64(datadir, name, shape):
    values = np.fromfile(os.path.join(datadir, name), dtype="<f8")
    expected = int(np.prod(shape))
    if values.size != expected:
        raise SystemExit(f"{name}: {values.size} numbers, expected {expected}")
    return values.reshape(shape)


def read_meta(datadir):
    with open(os.path.join(datadir, "meta.json")) as f:
        return json.load(f)


def one_hot(classes, labels):
    y = np.zeros((len(classes), labels))
    y[np.arange(len(classes)), classes.astype(int)] = 1
    return y


def load_digits(datadir, meta):
    global HIDDEN, N, LABELS
    m, N, HIDDEN, LABELS = meta["m"], meta["n"], meta["hidden"], meta["labels"]
    raw_X = read_f64(datadir, "digits_x.f64", (m, N))
    X = np.insert(raw_X, 0, 1, axis=1)  # the bias column, once
    y = one_hot(read_f64(datadir, "digits_y.f64", (m,)), LABELS)
    theta = read_f64(datadir, "theta.f64", (HIDDEN * (N + 1) + LABELS * (HIDDEN + 1),))
    return X, y, theta.copy()


def load_moons(datadir, meta):
    points = meta["moons_points"]
    x = read_f64(datadir, "moons_x.f64", (points, 2)).T.copy()  # one example per column
    classes = read_f64(datadir, "moons_y.f64", (points,))
    y = one_hot(classes, 2).T.copy()  # class 0 -> [1, 0], class 1 -> [0, 1]
    networks = {}
    for h in meta["moons_hidden"]:
        w1 = read_f64(datadir, f"moons_h{h}_w1.f64", (h, 2)).copy()
        b1 = read_f64(datadir, f"moons_h{h}_b1.f64", (h, 1)).copy()
        w2 = read_f64(datadir, f"moons_h{h}_w2.f64", (2, h)).copy()
        b2 = read_f64(datadir, f"moons_h{h}_b2.f64", (2, 1)).copy()
        networks[h] = [
            Layer(w1, b1, tanh, tanh_derivative),
            Layer(w2, b2, sigmoid, sigmoid_derivative),
        ]
    return x, y, networks


def run(task, datadir, tnc=False):
    meta = read_meta(datadir)
    l = meta["lambda"]
    if task == "cost_grad":
        X, y, theta = load_digits(datadir, meta)
        # Two warm-up evaluations, then at least MIN_TIMED and at least MIN_SECONDS of timed
        # ones: the same rule as benches/tasks.rs.
        times = []
        i = 0
        while len(times) < MIN_TIMED or sum(times) < MIN_SECONDS:
            start = time.perf_counter()
            J = regularized_cost(theta, X, y, l)
            grad = regularized_gradient(theta, X, y, l)
            if i >= 2:
                times.append(time.perf_counter() - start)
            i += 1
        check = [float(J), float(np.linalg.norm(grad))]
        return float(np.median(times)), "evaluation", check, min(times)
    if task == "gradcheck":
        X, y, theta = load_digits(datadir, meta)
        start = time.perf_counter()
        last = [start]

        def progress(done, total):
            now = time.perf_counter()
            if now - last[0] >= 10:
                last[0] = now
                log(f"    gradcheck (numpy): {done}/{total} parameters, {now - start:.0f} s")

        diff = gradient_checking(
            theta, X, y, meta["epsilon"], regularized=True, progress=progress
        )
        return time.perf_counter() - start, "run", [float(diff)], None
    if task == "optimise":
        X, y, theta = load_digits(datadir, meta)
        start = time.perf_counter()
        res = nn_training(X, y, theta, l, meta["cg_iterations"], tnc=tnc)
        seconds = time.perf_counter() - start
        log(f"    optimise (numpy, {'TNC' if tnc else 'CG'}): {res.message}")
        return seconds, "run", [float(res.fun), int(res.nit), int(res.nfev)], None
    if task == "moons":
        x, y, networks = load_moons(datadir, meta)
        start = time.perf_counter()
        finals = []
        for h, layers in networks.items():
            log(f"  moons (numpy): {h} hidden")
            finals.append(
                float(train(layers, x, y, meta["moons_iterations"], meta["moons_rate"]))
            )
        return time.perf_counter() - start, "run", finals, None
    raise SystemExit(
        f"unknown task {task!r}: expected cost_grad, gradcheck, optimise or moons"
    )


def blas():
    """numpy's BLAS, e.g. 'OpenBLAS 0.3.31', and the threads it uses (None if unknown)."""
    name = "unknown"
    try:
        info = np.__config__.CONFIG["Build Dependencies"]["blas"]
        config = info.get("openblas configuration", "")
        if config.startswith("OpenBLAS"):
            # e.g. "OpenBLAS 0.3.31.188.0 ...": scipy-openblas numbers its builds of 0.3.31 so.
            build = config.split()[1]
            name = f"OpenBLAS {'.'.join(build.split('.')[:3])}"
            if build.count(".") > 2:
                name += f" ({info.get('name', 'build')} {build})"
        else:
            name = f"{info.get('name', 'unknown')} {info.get('version', '')}".strip()
    except (AttributeError, KeyError, TypeError):
        pass
    threads = None
    try:
        from threadpoolctl import threadpool_info

        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        numpy_pools = [p for p in pools if "numpy" in p.get("filepath", "")] or pools
        if numpy_pools:
            threads = numpy_pools[0].get("num_threads")
            architecture = numpy_pools[0].get("architecture")
            if architecture:
                name = f"{name}, {architecture} kernels"
    except ImportError:
        pass
    return name, threads


def machine():
    import scipy
    import sklearn

    name, threads = blas()
    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "blas": name,
        "blas_threads": threads,
    }


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    unknown = [f for f in flags if f != "--tnc"]
    if args[:1] == ["run"] and len(args) == 3 and not unknown:
        seconds, unit, check, fastest = run(args[1], args[2], tnc="--tnc" in flags)
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            json.dumps(
                {
                    "task": args[1],
                    "seconds": seconds,
                    "unit": unit,
                    "check": check,
                    "peak_mib": round(peak_mib, 1),
                    **({} if fastest is None else {"fastest": fastest}),
                }
            ),
            flush=True,
        )
    elif args == ["machine"] and not flags:
        print(json.dumps(machine()), flush=True)
    else:
        raise SystemExit(
            "usage: baseline.py run cost_grad|gradcheck|optimise|moons DATADIR [--tnc]\n"
            "       baseline.py machine"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
