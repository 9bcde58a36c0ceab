"""The course's ex4 in numpy: its five functions on the debugging problem of main.rs.

    python3 chapters/appendix_primer/ex4.py     (needs numpy; see requirements.txt)

It builds the same inputs from the same sin formulas as main.rs and prints the same lines.
`cargo xtask test` runs it and compares every number it prints with main.rs's output.txt.
Each function mirrors the library's Rust, which the primer shows beside it.
"""

import numpy as np

# λ of the course's checkNNGradients(3) and of ex4's regularised checks.
LAMBDA = 3


# ANCHOR: debug_problem
def debug_weights(fan_out, fan_in):
    """debugInitializeWeights: sin(1), sin(2), ... / 10, filled column by column."""
    n = fan_out * (1 + fan_in)
    return np.sin(np.arange(1, n + 1)).reshape(fan_out, 1 + fan_in, order="F") / 10


def debug_problem():
    """checkNNGradients' 3-5-3 network, X (5 x 3) and the 0-based classes of y = 1 + (i mod 3)."""
    thetas = [debug_weights(5, 3), debug_weights(3, 5)]
    classes = np.arange(1, 6) % 3
    return thetas, debug_weights(5, 2), classes
# ANCHOR_END: debug_problem


# ANCHOR: sigmoid
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_gradient(z):
    """σ′(z) = σ(z)(1 − σ(z)), taken at z; element by element, as np.exp is."""
    s = sigmoid(z)
    return s * (1 - s)
# ANCHOR_END: sigmoid


# ANCHOR: forward
def forward(thetas, x):
    """ā^(1) = [1, X]; z^(l+1) = ā^(l) Θ^(l)ᵀ; ā^(l+1) = [1, σ(z^(l+1))], no bias on the output."""
    ones = np.ones((x.shape[0], 1))
    a = [np.hstack([ones, x])]
    z = []
    for l, theta in enumerate(thetas):
        z.append(a[l] @ theta.T)
        g = sigmoid(z[l])
        a.append(g if l + 1 == len(thetas) else np.hstack([ones, g]))
    return a, z
# ANCHOR_END: forward


# ANCHOR: cost
def cross_entropy(z, y):
    """−[y ln σ(z) + (1 − y) ln(1 − σ(z))] computed from z, finite where σ(z) rounds to 0 or 1."""
    return np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))


def cost(thetas, x, y, lam):
    """J(Θ): the cross-entropy summed over the K outputs, averaged over the m rows, plus the penalty."""
    m = x.shape[0]
    a, z = forward(thetas, x)
    return cross_entropy(z[-1], y).sum() / m + regularisation(thetas, lam, m)
# ANCHOR_END: cost


# ANCHOR: regularisation
def regularisation(thetas, lam, m):
    """λ/(2m) · ΣΘ² over every weight but the bias column."""
    return lam / (2 * m) * sum((t[:, 1:] ** 2).sum() for t in thetas)
# ANCHOR_END: regularisation


# ANCHOR: backprop
def gradient(thetas, x, y, lam):
    """D^(l) = ∂J/∂Θ^(l) for all m rows at once; δ^(L) = a − y for cross-entropy."""
    m = x.shape[0]
    a, z = forward(thetas, x)
    delta = a[-1] - y
    grads = [None] * len(thetas)
    for l in reversed(range(len(thetas))):
        grads[l] = delta.T @ a[l] / m
        if l > 0:
            # σ′(z^(l)) read off the stored a^(l) = σ(z^(l)), bias column dropped.
            slope = a[l][:, 1:] * (1 - a[l][:, 1:])
            delta = (delta @ thetas[l][:, 1:]) * slope
    regularise(grads, thetas, lam, m)
    return grads
# ANCHOR_END: backprop


# ANCHOR: regularise
def regularise(grads, thetas, lam, m):
    """Adds (λ/m)Θ to every gradient column but the bias column, in place."""
    for d, t in zip(grads, thetas):
        d[:, 1:] += lam / m * t[:, 1:]
# ANCHOR_END: regularise


# ANCHOR: unroll
def unroll(thetas):
    """[Theta1(:); Theta2(:)]: each matrix column by column, Octave's order."""
    return np.concatenate([t.ravel(order="F") for t in thetas])
# ANCHOR_END: unroll


def sci(x):
    """%.12e, which main.rs's sci() writes too."""
    return f"{x:.12e}"


def main():
    # ANCHOR: five
    thetas, x, classes = debug_problem()
    y = np.eye(3)[classes]
    j = cost(thetas, x, y, 0)
    j_reg = cost(thetas, x, y, LAMBDA)
    z = np.array([-1, -0.5, 0, 0.5, 1])[np.newaxis, :]
    slopes = sigmoid_gradient(z)
    d, d_reg = gradient(thetas, x, y, 0), gradient(thetas, x, y, LAMBDA)
    grad, grad_reg = unroll(d), unroll(d_reg)
    # ANCHOR_END: five

    theta1, theta2 = thetas
    print("The course's debugging problem (checkNNGradients): a 3-5-3 sigmoid network")
    print(f"  shapes: Θ^(1) {theta1.shape}, Θ^(2) {theta2.shape}, X {x.shape}, Y {y.shape}")
    print(f"  course labels y = [{', '.join(str(c + 1) for c in classes)}]")
    print()
    print(f"1. feed-forward and cost, λ = 0: J = {sci(j)}")
    print(f"2. regularised cost, λ = {LAMBDA}:      J = {sci(j_reg)}")
    print(f"3. sigmoid gradient at z = [-1, -0.5, 0, 0.5, 1], shape {z.shape}:")
    print(f"   [{', '.join(sci(g) for g in slopes.ravel())}]")
    print(f"4. and 5. the gradient, unrolled as [Theta1(:); Theta2(:)] ({len(grad)} entries):")
    print(f"   {'i':>3}  {'backprop, λ = 0':>19}  {f'regularised, λ = {LAMBDA}':>19}")
    for i, (g, r) in enumerate(zip(grad, grad_reg)):
        print(f"   {i + 1:>3}  {sci(g):>19}  {sci(r):>19}")


if __name__ == "__main__":
    main()
