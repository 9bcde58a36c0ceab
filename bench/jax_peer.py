"""The JAX side of `cargo xtask bench`: what a practitioner would write today for the notes'
network, `jax.jit(jax.value_and_grad(cost))` in float64, on the data the Rust side wrote and the
same cost as bench/baseline.py (the notes' formula, regularised, lambda from meta.json).

    python jax_peer.py run cost_grad|gradcheck DATADIR
    python jax_peer.py machine

`run` prints one JSON line on stdout like baseline.py's, plus "compile_seconds": the first call
(tracing and XLA's compilation, with one evaluation), which the timing leaves out as warm-up.
`machine` prints JAX's and jaxlib's versions and the backend it ran on.

The gradient check is the notes' method (two full costs per parameter) with the perturbations
batched by `jax.vmap`, so XLA runs each batch of costs as one batched matrix product.
"""

import json
import os
import resource
import sys
import time

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

# The same data reading and logging as the numpy side (this script's folder is on sys.path).
from baseline import log, read_f64  # noqa: E402

# Timed evaluations: at least this many, lasting at least this long in all (baseline.py's rule).
MIN_TIMED = 20
MIN_SECONDS = 2.0
# Perturbations per batch in the gradient check: each is a 5000 x 25 hidden layer.
BATCH = 64


def load(datadir):
    with open(os.path.join(datadir, "meta.json")) as f:
        meta = json.load(f)
    m, n, hidden, labels = meta["m"], meta["n"], meta["hidden"], meta["labels"]
    X = np.insert(read_f64(datadir, "digits_x.f64", (m, n)), 0, 1, axis=1)
    classes = read_f64(datadir, "digits_y.f64", (m,)).astype(int)
    y = np.zeros((m, labels))
    y[np.arange(m), classes] = 1
    theta = read_f64(datadir, "theta.f64", (hidden * (n + 1) + labels * (hidden + 1),))
    return meta, jnp.asarray(X), jnp.asarray(y), jnp.asarray(theta)


def make_cost(meta):
    n, hidden, labels, l = meta["n"], meta["hidden"], meta["labels"], meta["lambda"]

    def cost(theta, X, y):
        t1 = theta[: hidden * (n + 1)].reshape(hidden, n + 1)
        t2 = theta[hidden * (n + 1) :].reshape(labels, hidden + 1)
        m = X.shape[0]
        a2 = jax.nn.sigmoid(X @ t1.T)
        a2 = jnp.concatenate([jnp.ones((m, 1)), a2], axis=1)
        h = jax.nn.sigmoid(a2 @ t2.T)
        j = jnp.sum(-y * jnp.log(h) - (1 - y) * jnp.log(1 - h)) / m
        reg = l / (2 * m) * (jnp.sum(t1[:, 1:] ** 2) + jnp.sum(t2[:, 1:] ** 2))
        return j + reg

    return cost


def cost_grad(datadir):
    meta, X, y, theta = load(datadir)
    f = jax.jit(jax.value_and_grad(make_cost(meta)))
    start = time.perf_counter()
    J, grad = f(theta, X, y)
    J.block_until_ready()
    compile_seconds = time.perf_counter() - start
    times = []
    i = 0
    while len(times) < MIN_TIMED or sum(times) < MIN_SECONDS:
        start = time.perf_counter()
        J, grad = f(theta, X, y)
        grad.block_until_ready()
        if i >= 2:
            times.append(time.perf_counter() - start)
        i += 1
    check = [float(J), float(jnp.linalg.norm(grad))]
    return float(np.median(times)), "evaluation", check, min(times), compile_seconds


def gradcheck(datadir):
    meta, X, y, theta = load(datadir)
    cost = make_cost(meta)
    epsilon = meta["epsilon"]
    params = theta.shape[0]

    @jax.jit
    def numeric(indices):
        # One row per perturbed parameter: epsilon at its index, zero elsewhere.
        e = jnp.zeros((indices.shape[0], params)).at[jnp.arange(indices.shape[0]), indices].set(
            epsilon
        )
        costs = jax.vmap(lambda d: cost(theta + d, X, y) - cost(theta - d, X, y))
        return costs(e) / (2 * epsilon)

    analytic_fn = jax.jit(jax.grad(cost))
    start = time.perf_counter()
    numeric(jnp.arange(BATCH)).block_until_ready()
    analytic_fn(theta, X, y).block_until_ready()
    compile_seconds = time.perf_counter() - start

    start = time.perf_counter()
    last = start
    parts = []
    for first in range(0, params, BATCH):
        indices = np.arange(first, first + BATCH) % params  # the last batch wraps around
        parts.append(np.asarray(numeric(jnp.asarray(indices)))[: params - first])
        now = time.perf_counter()
        if now - last >= 10:
            last = now
            log(f"    gradcheck (jax): {first + BATCH}/{params} parameters, {now - start:.0f} s")
    numeric_grad = np.concatenate(parts)
    analytic = np.asarray(analytic_fn(theta, X, y))
    seconds = time.perf_counter() - start
    diff = np.linalg.norm(numeric_grad - analytic) / np.linalg.norm(numeric_grad + analytic)
    return seconds, "run", [float(diff)], None, compile_seconds


def machine():
    import jaxlib

    return {
        "jax": jax.__version__,
        "jaxlib": jaxlib.__version__,
        "backend": jax.default_backend(),
        "devices": len(jax.devices()),
    }


def main(argv):
    if argv[:1] == ["run"] and len(argv) == 3 and argv[1] in ("cost_grad", "gradcheck"):
        task = argv[1]
        seconds, unit, check, fastest, compile_seconds = {
            "cost_grad": cost_grad,
            "gradcheck": gradcheck,
        }[task](argv[2])
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = {
            "task": task,
            "seconds": seconds,
            "unit": unit,
            "check": check,
            "peak_mib": round(peak_mib, 1),
            "compile_seconds": compile_seconds,
        }
        if fastest is not None:
            line["fastest"] = fastest
        print(json.dumps(line), flush=True)
    elif argv == ["machine"]:
        print(json.dumps(machine()), flush=True)
    else:
        raise SystemExit(
            "usage: jax_peer.py run cost_grad|gradcheck DATADIR\n       jax_peer.py machine"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
