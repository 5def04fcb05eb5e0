#!/usr/bin/python3
"""Generates tests/fixtures/activations_reference.txt: reference values of every activation,
computed by PyTorch itself.

Run with Debian's python3-torch (no pip needed):

    /usr/bin/python3 tests/gen_fixtures_activations.py

The file format, the input generators and the per-case computation (outputs, first derivatives
with create_graph=True and a stored weight `gout`, second derivatives with stored weights `v`,
"none" where torch returns None) are those of tests/gen_fixtures.py, imported from there; see its
docstring for the format. This script only adds cases; it does not change core_reference.txt.

Ops PyTorch lacks are written here with the formulas of the issue, in PyTorch ops:
    swish(x, beta)      = x * sigmoid(beta * x)                (beta a float or a learnable tensor)
    squareplus(x, b)    = (x + sqrt(x^2 + b)) / 2
    smu(x, mu, a)       = ((1 + a) x + (1 - a) x erf(mu (1 - a) x)) / 2     (mu learnable)
    smu1(x, mu, a)      = ((1 + a) x + sqrt(((1 - a) x)^2 + mu^2)) / 2     (mu learnable)
    maxout(x, k, dim)   = x reshaped into groups of k consecutive entries along dim, then max.

The C++ side (tests/test_reference_activations.cpp) holds a lambda for every case name; the two
lists are checked against each other by a test, so a case added here needs its lambda there.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fixtures as core  # noqa: E402  (the format, the input makers and run_case)
from gen_fixtures import AWAY, L, P, S, U  # noqa: E402

torch.set_default_dtype(torch.float64)
F64 = torch.float64

CASES = []


def case(name, fn, *inputs, node=None):
    """node: see Note [Node names are libtorch's] in gen_fixtures.py."""
    CASES.append((name, fn, list(inputs), node))


# Extreme inputs: large magnitudes where every op below is finite, and values near (not at) 0.
EXT12 = [-1000.0, -100.0, -30.0, -5.0, -1e-8, -1e-300, 1e-300, 1e-8, 5.0, 30.0, 100.0, 1000.0]
# Values exactly at 0 (the kink of relu-like ops), with ordinary ones around.
KINK0 = [-1.5, -0.25, 0.0, 0.0, 0.5, 2.0]


def near(points, eps=1e-9):
    """Each point p as p - eps, p + eps (near a kink or bound, on both sides, never at it)."""
    out = []
    for p in points:
        out += [p - eps * max(1.0, abs(p)), p + eps * max(1.0, abs(p))]
    return out


def pointwise(name, fn, ordinary, extreme=None, kink=None, node=None):
    """The cases of a pointwise op: ordinary inputs, the same followed by sin (so that the second
    derivative also flows through the op's backward w.r.t. its incoming gradient), extreme
    inputs (a list of values) and values at kinks (a list of values)."""
    case(name, fn, ordinary, node=node)
    case(name + "_sin", (lambda f: lambda x: f(x).sin())(fn), ordinary)  # named SinBackward0 in any case
    if extreme is not None:
        case(name + "_extreme", fn, L([len(extreme)], extreme), node=node)
    if kink is not None:
        case(name + "_kink", fn, L([len(kink)], kink), node=node)


# ---- sigmoid / tanh / relu (declared in tensor.h; the core fixtures cover ordinary inputs) -------
case("sigmoid_extreme1000", torch.sigmoid, L([12], EXT12))
case("tanh_extreme1000", torch.tanh, L([12], EXT12))
case("relu_extreme1000", torch.relu, L([12], EXT12))
case("relu_kink", torch.relu, L([6], KINK0))

# ---- leaky_relu ---------------------------------------------------------------------------------
pointwise("leaky_relu_default", lambda x: F.leaky_relu(x), S(2, 3, 4), EXT12, KINK0)
pointwise("leaky_relu_slope_0_2", lambda x: F.leaky_relu(x, 0.2), S(2, 3), EXT12, KINK0)
pointwise("leaky_relu_slope_1_5", lambda x: F.leaky_relu(x, 1.5), S(3, 1, 2))
pointwise("leaky_relu_slope_neg", lambda x: F.leaky_relu(x, -0.3), S(2, 3), None, KINK0)

# ---- elu / selu / celu ----------------------------------------------------------------------------
pointwise("elu_default", lambda x: F.elu(x), S(2, 3, 4), EXT12, KINK0)
pointwise("elu_alpha_0_5", lambda x: F.elu(x, 0.5), S(2, 3), EXT12, KINK0)
pointwise("elu_alpha_2", lambda x: F.elu(x, alpha=2.0), S(4, 1), EXT12, KINK0)
pointwise("selu", lambda x: F.selu(x), S(2, 3, 4), EXT12, KINK0)
pointwise("celu_default", lambda x: F.celu(x), S(2, 3, 4), EXT12, KINK0)
pointwise("celu_alpha_0_5", lambda x: F.celu(x, 0.5), S(2, 3), EXT12, KINK0)
pointwise("celu_alpha_2_5", lambda x: F.celu(x, alpha=2.5), S(1, 5), EXT12, KINK0)

# ---- prelu (input and weight both differentiable) -------------------------------------------------
case("prelu_single", lambda x, w: F.prelu(x, w), S(2, 3, 4), L([1], [0.25]))
case("prelu_single_2d", lambda x, w: F.prelu(x, w), S(4, 3), U(1, lo=-0.5, hi=0.5))
case("prelu_single_1d", lambda x, w: F.prelu(x, w), S(5), L([1], [-0.2]))
case("prelu_channels_ncl", lambda x, w: F.prelu(x, w), S(2, 3, 4), U(3, lo=0.0, hi=0.5))
case("prelu_channels_nc", lambda x, w: F.prelu(x, w), S(4, 3), U(3, lo=-0.5, hi=0.5))
case("prelu_channels_ncl_size1", lambda x, w: F.prelu(x, w), S(1, 3, 1), U(3, lo=0.0, hi=0.5))
case("prelu_channels_nchw", lambda x, w: F.prelu(x, w), S(2, 2, 3, 2), U(2, lo=0.0, hi=0.5))
case("prelu_channels_ncl_sin", lambda x, w: F.prelu(x, w).sin(), S(2, 3, 4), U(3, lo=0.0, hi=0.5))
case("prelu_single_sin", lambda x, w: F.prelu(x, w).sin(), S(2, 3), L([1], [0.3]))
case("prelu_extreme", lambda x, w: F.prelu(x, w), L([12], EXT12), L([1], [0.25]))
case("prelu_channels_extreme", lambda x, w: F.prelu(x, w), L([2, 6], EXT12), L([6], [0.1, 0.2, 0.3, -0.1, 0.5, 1.5]))
case("prelu_kink", lambda x, w: F.prelu(x, w), L([1, 6], KINK0), L([6], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]))

# ---- silu / gelu / mish ------------------------------------------------------------------------------
pointwise("silu", lambda x: F.silu(x), U(2, 3, 4, lo=-4, hi=4), EXT12)
pointwise("gelu_none", lambda x: F.gelu(x), U(2, 3, 4, lo=-4, hi=4), EXT12)
pointwise("gelu_none_explicit", lambda x: F.gelu(x, approximate="none"), U(3, 1, lo=-3, hi=3))
pointwise("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), U(2, 3, 4, lo=-4, hi=4), EXT12)
# torch 1.13's second derivative of mish is nan for x > ~709 (its double backward computes
# log1p(exp(x)), and exp overflows); the mathematical value is 0, and tensorgrad's is finite
# (test_activations.cpp checks +-1000). The extreme case therefore stops at 700.
MISH_EXT = [700.0 if v == 1000.0 else v for v in EXT12]
pointwise("mish", lambda x: F.mish(x), U(2, 3, 4, lo=-4, hi=4), MISH_EXT)

# ---- softplus (beta, threshold) -----------------------------------------------------------------------
pointwise("softplus_default", lambda x: F.softplus(x), U(2, 3, 4, lo=-4, hi=4), EXT12)
# beta * x on both sides of the threshold (beta x in [-6, 10) with threshold 3, away from it)
pointwise("softplus_beta2_thr3", lambda x: F.softplus(x, beta=2.0, threshold=3.0),
          AWAY(3, 4, points=[1.5], lo=-3, hi=5), EXT12)
pointwise("softplus_beta0_5_thr10", lambda x: F.softplus(x, 0.5, 10.0),
          AWAY(2, 5, points=[20.0], lo=-10, hi=30), EXT12)
pointwise("softplus_beta3_thr1", lambda x: F.softplus(x, 3.0, 1.0), AWAY(2, 3, points=[1.0 / 3.0], lo=-2, hi=2))
# just below and above the switch point beta x = threshold
case("softplus_default_near_threshold", lambda x: F.softplus(x), L([6], near([20.0, 19.0]) + [20.5, 21.0]))
case("softplus_beta2_thr3_near_threshold", lambda x: F.softplus(x, 2.0, 3.0), L([2], near([1.5])))
case("softplus_beta0_5_thr1_extreme", lambda x: F.softplus(x, 0.5, 1.0), L([12], EXT12))

# ---- hardtanh / relu6 / hardsigmoid / hardswish ----------------------------------------------------------
pointwise("hardtanh_default", lambda x: F.hardtanh(x), AWAY(2, 3, 4, points=[-1.0, 1.0], lo=-3, hi=3),
          EXT12 + near([-1.0, 1.0]), [-2.0, -1.0, -0.5, 0.0, 1.0, 3.0])
pointwise("hardtanh_m2_3", lambda x: F.hardtanh(x, -2.0, 3.0), AWAY(2, 5, points=[-2.0, 3.0], lo=-5, hi=5),
          EXT12 + near([-2.0, 3.0]), [-3.0, -2.0, 0.0, 3.0, 4.0])
pointwise("hardtanh_m0_5_0_25", lambda x: F.hardtanh(x, min_val=-0.5, max_val=0.25),
          AWAY(3, 4, points=[-0.5, 0.25], lo=-1.5, hi=1.5), None, [-0.5, 0.25])
pointwise("relu6", lambda x: F.relu6(x), AWAY(2, 3, 4, points=[0.0, 6.0], lo=-3, hi=9),
          EXT12 + near([6.0]), [-1.0, 0.0, 3.0, 6.0, 7.0])


def hardsigmoid_ref(x):
    """The reference for hardsigmoid is relu6(x + 3) / 6, for two reasons:
    - torch 1.13 has no double backward for hardsigmoid ("derivative for
      aten::hardsigmoid_backward is not implemented"); relu6 has one (a defined zero);
    - torch 1.13's hardsigmoid backward multiplies by the float32 constant 1.0f / 6.0f even for
      float64 (0.16666667163372040, relative error 3e-8 from 1/6), which is above the 1e-10
      tolerance; the formula's derivative is the exact 1/6.
    The value is asserted bit-identical to F.hardsigmoid's, and the first derivative equal to
    F.hardsigmoid's up to that float32 constant (and exactly 0 where F.hardsigmoid's is 0)."""
    y = F.relu6(x + 3.0) / 6.0
    xa = x.detach().clone().requires_grad_(True)
    xb = x.detach().clone().requires_grad_(True)
    ya, yb = F.hardsigmoid(xa), F.relu6(xb + 3.0) / 6.0
    w = torch.linspace(-1.0, 1.0, x.numel()).reshape(x.shape)
    ga, = torch.autograd.grad(ya, xa, w)
    gb, = torch.autograd.grad(yb, xb, w)
    assert torch.equal(ya, yb), "hardsigmoid reference value differs from F.hardsigmoid"
    assert torch.equal(ga == 0, gb == 0) and ((ga - gb).abs() <= 1e-7 * gb.abs()).all(), \
        "hardsigmoid reference derivative differs from F.hardsigmoid"
    return y


pointwise("hardsigmoid", hardsigmoid_ref, AWAY(2, 3, 4, points=[-3.0, 3.0], lo=-5, hi=5),
          EXT12 + near([-3.0, 3.0]), [-4.0, -3.0, 0.0, 3.0, 4.0], node=F.hardsigmoid)
pointwise("hardswish", lambda x: F.hardswish(x), AWAY(2, 3, 4, points=[-3.0, 3.0], lo=-5, hi=5),
          EXT12 + near([-3.0, 3.0]), [-4.0, -3.0, 0.0, 3.0, 4.0])

# ---- logsigmoid / softsign / erf ---------------------------------------------------------------------------
pointwise("logsigmoid", lambda x: F.logsigmoid(x), U(2, 3, 4, lo=-5, hi=5), EXT12)
pointwise("softsign", lambda x: F.softsign(x), S(2, 3, 4, lo=0.05, hi=4), EXT12)
pointwise("erf", lambda x: torch.erf(x), U(2, 3, 4, lo=-2.5, hi=2.5), EXT12)

# ---- softshrink (lambd) ----------------------------------------------------------------------------------------
pointwise("softshrink_default", lambda x: F.softshrink(x), AWAY(2, 3, 4, points=[-0.5, 0.5], lo=-2, hi=2),
          EXT12 + near([-0.5, 0.5]), [-1.0, -0.5, 0.0, 0.5, 1.0])
pointwise("softshrink_lambd_1_5", lambda x: F.softshrink(x, 1.5), AWAY(3, 4, points=[-1.5, 1.5], lo=-4, hi=4),
          EXT12, [-1.5, 1.5])
pointwise("softshrink_lambd_0", lambda x: F.softshrink(x, 0.0), AWAY(2, 5, points=[0.0], lo=-2, hi=2), None, KINK0)

# ---- hardshrink (lambd), glu, rrelu in evaluation mode ------------------------------------------------------
pointwise("hardshrink_default", lambda x: F.hardshrink(x), AWAY(2, 3, 4, points=[-0.5, 0.5], lo=-2, hi=2),
          EXT12 + near([-0.5, 0.5]), [-1.0, -0.5, 0.0, 0.5, 1.0])
pointwise("hardshrink_lambd_1_5", lambda x: F.hardshrink(x, 1.5), AWAY(3, 4, points=[-1.5, 1.5], lo=-4, hi=4),
          None, [-1.5, 1.5])
case("glu_default", lambda x: F.glu(x), U(3, 4, lo=-3, hi=3), node=False)  # composed: no GluBackward0
case("glu_dim0", lambda x: F.glu(x, 0), U(4, 3, lo=-3, hi=3), node=False)
case("glu_dim1_3d_sin", lambda x: F.glu(x, 1).sin(), U(2, 6, 2, lo=-3, hi=3))
pointwise("rrelu_eval", lambda x: F.rrelu(x, training=False), S(2, 3, 4), EXT12, KINK0, node=False)  # leaky_relu
pointwise("rrelu_eval_0_1_0_3", lambda x: F.rrelu(x, 0.1, 0.3, training=False), S(2, 3), None, KINK0, node=False)

# ---- softmin / tanhshrink (tg::nn::functional) -----------------------------------------------------------------
case("softmin_dim1", lambda x: F.softmin(x, 1), U(3, 4, lo=-3, hi=3))
case("softmin_dim0_sin", lambda x: F.softmin(x, 0).sin(), U(3, 4, lo=-3, hi=3))
pointwise("tanhshrink", lambda x: F.tanhshrink(x), U(2, 3, 4, lo=-3, hi=3), EXT12)

# ---- softmax / log_softmax / logsumexp -----------------------------------------------------------------------
SOFTMAX_EXT = [[-1000.0, 0.0, 1000.0, 999.0],
               [-1000.0, -1000.0, -999.5, -1001.0],
               [1000.0, 1000.0, 1000.0, 1000.0],
               [30.0, -30.0, 100.0, -100.0],
               [1e-8, -1e-8, 0.0, 5.0]]
for _n, _f in [("softmax", lambda x, d: torch.softmax(x, d)), ("log_softmax", lambda x, d: torch.log_softmax(x, d))]:
    case(_n + "_dim0", (lambda f: lambda x: f(x, 0))(_f), U(3, 4, lo=-3, hi=3))
    case(_n + "_dim1", (lambda f: lambda x: f(x, 1))(_f), U(3, 4, lo=-3, hi=3))
    case(_n + "_dim_neg1_3d", (lambda f: lambda x: f(x, -1))(_f), U(2, 3, 4, lo=-3, hi=3))
    case(_n + "_dim1_3d", (lambda f: lambda x: f(x, 1))(_f), U(2, 3, 4, lo=-3, hi=3))
    case(_n + "_dim0_3d", (lambda f: lambda x: f(x, 0))(_f), U(2, 3, 4, lo=-3, hi=3))
    case(_n + "_1d", (lambda f: lambda x: f(x, 0))(_f), U(5, lo=-3, hi=3))
    case(_n + "_size1_dim", (lambda f: lambda x: f(x, 1))(_f), U(3, 1, 2, lo=-3, hi=3))
    case(_n + "_sin", (lambda f: lambda x: f(x, 1).sin())(_f), U(3, 4, lo=-3, hi=3))
    case(_n + "_extreme", (lambda f: lambda x: f(x, 1))(_f), L([5, 4], SOFTMAX_EXT))
    case(_n + "_extreme_dim0", (lambda f: lambda x: f(x, 0))(_f), L([5, 4], SOFTMAX_EXT))

case("logsumexp_dim1", lambda x: torch.logsumexp(x, 1), U(3, 4, lo=-3, hi=3))
case("logsumexp_dim0_keepdim", lambda x: torch.logsumexp(x, 0, keepdim=True), U(3, 4, lo=-3, hi=3))
case("logsumexp_dim_neg1_3d", lambda x: torch.logsumexp(x, -1), U(2, 3, 4, lo=-3, hi=3))
case("logsumexp_dim_neg1_3d_keepdim", lambda x: torch.logsumexp(x, -1, True), U(2, 3, 4, lo=-3, hi=3))
case("logsumexp_dims_0_2", lambda x: torch.logsumexp(x, (0, 2)), U(2, 3, 4, lo=-3, hi=3))
case("logsumexp_dims_0_2_keepdim", lambda x: torch.logsumexp(x, (0, 2), keepdim=True), U(2, 3, 4, lo=-3, hi=3))
case("logsumexp_all_dims", lambda x: torch.logsumexp(x, (0, 1, 2)), U(2, 3, 4, lo=-3, hi=3))
case("logsumexp_size1_dim", lambda x: torch.logsumexp(x, 1), U(3, 1, 2, lo=-3, hi=3))
case("logsumexp_1d", lambda x: torch.logsumexp(x, 0), U(5, lo=-3, hi=3))
case("logsumexp_sin", lambda x: torch.logsumexp(x, 1).sin(), U(3, 4, lo=-3, hi=3))
case("logsumexp_extreme", lambda x: torch.logsumexp(x, 1), L([5, 4], SOFTMAX_EXT))
case("logsumexp_extreme_dim0_keepdim", lambda x: torch.logsumexp(x, 0, keepdim=True), L([5, 4], SOFTMAX_EXT))
case("logsumexp_extreme_all", lambda x: torch.logsumexp(x, (0, 1)), L([5, 4], SOFTMAX_EXT))

# ---- heaviside (forward only: its step is a constant factor, checked through a product) ------------------
# The C++ lambdas spell out the same HX / HV constants.
HX = [[-2.0, 0.0, 1e-300], [3.0, -1e-300, 0.0]]
HV_SCALAR = [0.5]
HV_ROW = [0.25, 0.75, -1.0]


def heaviside_mul(values):
    return lambda y: torch.heaviside(torch.tensor(HX), torch.tensor(values)) * y


case("heaviside_mul_scalar_values", heaviside_mul(HV_SCALAR), U(2, 3))
case("heaviside_mul_row_values", heaviside_mul(HV_ROW), U(2, 3))

# ---- swish ---------------------------------------------------------------------------------------------------
for _b, _bn in [(1.0, "1"), (0.5, "0_5"), (2.0, "2"), (-1.0, "neg1")]:
    pointwise("swish_beta_" + _bn, (lambda b: lambda x: x * torch.sigmoid(b * x))(_b), U(2, 3, 4, lo=-4, hi=4),
              EXT12 if _b > 0 else None, node=False)
case("swish_tensor_beta", lambda x, b: x * torch.sigmoid(b * x), U(2, 3, 4, lo=-4, hi=4), L([1], [1.5]), node=False)
case("swish_tensor_beta_0d", lambda x, b: x * torch.sigmoid(b * x), U(3, 2, lo=-4, hi=4), L([], [0.75]), node=False)
case("swish_tensor_beta_neg", lambda x, b: x * torch.sigmoid(b * x), U(2, 3, lo=-4, hi=4), L([1], [-0.5]), node=False)
case("swish_tensor_beta_sin", lambda x, b: (x * torch.sigmoid(b * x)).sin(), U(2, 3, lo=-4, hi=4), L([1], [1.25]))
case("swish_tensor_beta_extreme", lambda x, b: x * torch.sigmoid(b * x), L([12], EXT12), L([1], [0.8]), node=False)

# ---- squareplus ------------------------------------------------------------------------------------------------
for _b, _bn in [(4.0, "4"), (1.0, "1"), (0.5, "0_5"), (10.0, "10")]:
    pointwise("squareplus_b" + _bn, (lambda b: lambda x: (x + torch.sqrt(x * x + b)) / 2)(_b),
              U(2, 3, 4, lo=-4, hi=4), EXT12, node=False)

# ---- smu / smu1 (mu a learnable one-element tensor) -------------------------------------------------------------


def smu_ref(a):
    return lambda x, mu: ((1 + a) * x + (1 - a) * x * torch.erf(mu * (1 - a) * x)) / 2


def smu1_ref(a):
    return lambda x, mu: ((1 + a) * x + torch.sqrt(((1 - a) * x) ** 2 + mu * mu)) / 2


case("smu_default", smu_ref(0.25), U(2, 3, 4, lo=-3, hi=3), L([1], [1.5]), node=False)
case("smu_alpha_0_01", smu_ref(0.01), U(2, 3, lo=-3, hi=3), L([1], [2.5]), node=False)
case("smu_alpha_0_5_mu_0d", smu_ref(0.5), U(3, 1, lo=-3, hi=3), L([], [0.7]), node=False)
case("smu_sin", lambda x, mu: smu_ref(0.25)(x, mu).sin(), U(2, 3, lo=-3, hi=3), L([1], [1.2]))
case("smu_extreme", smu_ref(0.25), L([12], EXT12), L([1], [1.0]), node=False)
case("smu_small_mu", smu_ref(0.25), U(2, 3, lo=-3, hi=3), L([1], [1e-3]), node=False)
case("smu1_default", smu1_ref(0.25), U(2, 3, 4, lo=-3, hi=3), L([1], [1.5]), node=False)
case("smu1_alpha_0_5", smu1_ref(0.5), U(2, 3, lo=-3, hi=3), L([1], [0.3]), node=False)
case("smu1_alpha_0_1_mu_0d", smu1_ref(0.1), U(3, 1, lo=-3, hi=3), L([], [0.9]), node=False)
case("smu1_sin", lambda x, mu: smu1_ref(0.25)(x, mu).sin(), U(2, 3, lo=-3, hi=3), L([1], [0.8]))
case("smu1_extreme", smu1_ref(0.25), L([12], EXT12), L([1], [1.0]), node=False)
case("smu1_negative_mu", smu1_ref(0.25), U(2, 3, lo=-3, hi=3), L([1], [-0.6]), node=False)

# ---- maxout ---------------------------------------------------------------------------------------------------


def maxout_ref(pieces, dim):
    def f(x):
        d = dim % x.dim()
        shape = list(x.shape)
        shape[d:d + 1] = [shape[d] // pieces, pieces]
        return x.reshape(shape).max(d + 1)[0]
    return f


case("maxout_p2_last", maxout_ref(2, -1), U(3, 4), node=False)
case("maxout_p3_dim1", maxout_ref(3, 1), U(2, 6, 2), node=False)
case("maxout_p2_dim0", maxout_ref(2, 0), U(4, 3), node=False)
case("maxout_p4_1d", maxout_ref(4, 0), U(8), node=False)
case("maxout_p1", maxout_ref(1, -1), U(2, 3), node=False)
case("maxout_all_pieces", maxout_ref(5, -1), U(2, 5), node=False)
case("maxout_square", lambda x: maxout_ref(2, -1)(x).square(), U(3, 4))
case("maxout_extreme", maxout_ref(3, -1), L([4, 3], EXT12), node=False)


# ---------------------------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "fixtures", "activations_reference.txt")
    names = [c[0] for c in CASES]
    dup = sorted({n for n in names if names.count(n) > 1})
    assert not dup, "duplicate case names: %s" % dup
    for n in names:
        assert n.replace("_", "").isalnum() and n == n.lower(), "bad case name " + n
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    chunks = ["# Reference values for tests/test_reference_activations.cpp, generated by\n"
              "# tests/gen_fixtures_activations.py with torch %s. Do not edit by hand: change the script\n"
              "# and rerun it.\n" % torch.__version__]
    for name, fn, makers, node in CASES:
        chunks.append(core.run_case(name, fn, makers, node))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(chunks))
    print("wrote %d cases to %s (%d bytes)" % (len(CASES), path, os.path.getsize(path)))


if __name__ == "__main__":
    sys.exit(main())
