#!/usr/bin/python3
"""Generates tests/fixtures/losses_reference.txt: reference values of every loss, computed by
PyTorch itself.

Run with Debian's python3-torch (no pip needed):

    /usr/bin/python3 tests/gen_fixtures_losses.py

The file format, the input generators and the per-case computation (outputs, first derivatives
with create_graph=True and a stored weight `gout`, second derivatives with stored weights `v`,
"none" where torch returns None) are those of tests/gen_fixtures.py; see its docstring for the
format. This script only adds cases; it does not change the other fixture files.

Every loss is recorded for each reduction ("<base>_none", "<base>_mean", "<base>_sum") and once
with the default arguments ("<loss>_default"). The differentiable inputs of a case are its float
inputs that PyTorch differentiates: the input, and the target where PyTorch gives a gradient for
it (mse, l1, smooth_l1, huber, binary_cross_entropy, binary_cross_entropy_with_logits, kl_div,
cross_entropy with class-probability targets). Class-index targets, class weights, weight and
pos_weight are constants spelled out below (the C++ lambdas spell out the same lists).

Two places differ from gen_fixtures.run_case:
- A case may declare that torch's output is not finite (the mean of an nll_loss / cross_entropy
  whose targets are all ignore_index is 0 / 0 = nan in PyTorch); every other value must be finite.
- Where torch's gradient w.r.t. the target is not finite (binary_cross_entropy at input exactly 0
  or 1: -logit(x) = +-inf; kl_div at target exactly 0: d xlogy(t, t) / dt = nan), the target is a
  constant instead of an input.

The rarer losses and the distances (soft_margin ... pdist, at the end) are compositions of ops in
tensorgrad, so their cases record no node name (node=False, Note [Node names are libtorch's] in
tests/gen_fixtures.py). Where PyTorch's own op has no second derivative (multi_margin_loss,
multilabel_margin_loss and pdist: their backward functions have no derivative formula), the case
computes a composition of torch ops instead, which checked_by() compares with the op's output and
first derivatives before the values are written. Piecewise-linear losses take squared inputs, so
that their second derivatives are not all zero.

    /usr/bin/python3 tests/gen_fixtures_losses.py                 # rewrites every case
    /usr/bin/python3 tests/gen_fixtures_losses.py --add-missing   # adds new cases, keeps the others byte for byte

The C++ side (tests/test_reference_losses.cpp) holds a lambda for every case name; the two lists
are checked against each other by a test, so a case added here needs its lambda there.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fixtures as core  # noqa: E402  (the format, the input makers, fmt and weight)
from gen_fixtures import AWAY, L, P, U  # noqa: E402

torch.set_default_dtype(torch.float64)
F64 = torch.float64
I64 = torch.int64

CASES = []


def case(name, fn, *inputs, nonfinite_out=False, node=True):
    CASES.append((name, fn, list(inputs), nonfinite_out, node))


REDUCTIONS = ("none", "mean", "sum")


def reductions(base, make_fn, *inputs, nonfinite_mean=False, node=True):
    """The three cases <base>_none, <base>_mean, <base>_sum; make_fn(reduction) -> fn(*inputs)."""
    for r in REDUCTIONS:
        case(base + "_" + r, make_fn(r), *inputs, nonfinite_out=(nonfinite_mean and r == "mean"), node=node)


def composite(base, make_fn, *inputs):
    """reductions() of a loss that tensorgrad composes of other ops: no node name is recorded."""
    reductions(base, make_fn, *inputs, node=False)


def checked_by(op, ref):
    """fn(*xs) = ref(*xs), a composition of torch ops with second derivatives, after checking that
    its output and first derivatives are those of `op`, PyTorch's own (whose backward has none)."""
    def fn(*xs):
        want, got = op(*xs), ref(*xs)
        assert want.shape == got.shape and torch.allclose(want, got, rtol=1e-12, atol=1e-14), (want, got)
        w = torch.linspace(-1.0, 1.5, want.numel(), dtype=F64).reshape(want.shape)
        gw = torch.autograd.grad(want, xs, w, retain_graph=True)
        gg = torch.autograd.grad(got, xs, w, retain_graph=True)
        for a, b in zip(gw, gg):
            assert torch.allclose(a, b, rtol=1e-12, atol=1e-14), (a, b)
        return got
    return fn


def DIFF(*shape, points, margin=0.05, lo=-3.0, hi=3.0):
    """A target maker (needs the input a): a - d with d uniform in [lo, hi) and at least `margin`
    away from each of `points`, so that input - target stays away from the kinks."""
    def second(g, a):
        return a - AWAY(*shape, points=points, margin=margin, lo=lo, hi=hi)(g)
    second.needs_first = True
    return second


def PROB(*shape, dim=1):
    """Class probabilities: softmax of uniform values in [-2, 2) along `dim`."""
    return lambda g: torch.softmax(U(*shape, lo=-2.0, hi=2.0)(g), dim)


def f64(values):
    return torch.tensor(values, dtype=F64)


def i64(values):
    return torch.tensor(values, dtype=I64)


# ---- constants (the C++ lambdas spell out the same lists) ------------------------------------------
# class-index targets for input [5, 4]
T5 = [1, 0, 3, 3, 2]
T5_IGN = [1, -100, 3, 3, -100]           # default ignore_index
T5_IGN_NEG1 = [1, -1, 0, 2, -1]          # with ignore_index=-1
T5_ALL_IGN = [-100, -100, -100, -100, -100]
# for input [2, 4, 3]
T23 = [[1, 0, 3], [2, 2, 1]]
T23_IGN = [[1, -100, 3], [2, 2, -100]]
# for input [2, 3, 2, 2]
T222 = [[[0, 2], [1, 1]], [[2, 0], [0, 1]]]
# for the extreme logits [3, 4]
T3 = [0, 3, 1]
# class weights
W4 = [0.5, 2.0, 1.5, 0.25]
W3 = [0.7, 1.3, 2.0]
# elementwise weights of binary_cross_entropy(_with_logits) for [3, 4], and a row weight [4]
BW34 = [[0.5, 1.5, 2.0, 0.25], [1.0, 0.75, 3.0, 0.1], [2.5, 0.6, 1.2, 0.9]]
BW4 = [0.3, 1.7, 1.0, 2.2]
# elementwise weight for the [2, 4] and [2, 5] edge cases
BW24 = [[0.5, 1.5, 2.0, 0.25], [1.0, 0.75, 3.0, 0.1]]
BW25 = [[0.5, 1.5, 2.0, 0.25, 1.1], [1.0, 0.75, 3.0, 0.1, 0.6]]
# pos_weight (per class, broadcast over rows)
PW4 = [0.5, 2.0, 3.0, 1.0]

# binary_cross_entropy at and near 0 and 1: exactly 0 and 1 (the logs are clamped to -100, the
# gradient's denominator x (1 - x) to 1e-12), 1e-50 and 1e-300 (log clamped, x (1 - x) clamped),
# 1e-13 and 1 - 2^-45 (x (1 - x) clamped, log not), and ordinary values.
BCE_EDGE_X = [[0.0, 1.0, 0.0, 1.0, 1e-50], [1e-13, 1.0 - 2.0 ** -45, 1e-300, 0.5, 0.25]]
BCE_EDGE_T = [[0.3, 0.6, 0.0, 1.0, 0.2], [0.9, 0.1, 0.0, 1.0, 0.5]]
# near 0 and 1 but not at them (the target's gradient -logit(x) is finite there)
BCE_NEAR_X = [[1e-50, 1e-13, 1e-8, 1.0 - 1e-8], [1.0 - 2.0 ** -45, 1e-300, 0.999, 0.001]]

# extreme logits
EXT8 = [[-1000.0, -100.0, -30.0, -1e-8], [1e-8, 30.0, 100.0, 1000.0]]
EXT8_100 = [[-100.0, -50.0, -30.0, -1e-8], [1e-8, 30.0, 50.0, 100.0]]
# binary targets at the extremes: the loss is ~0 or ~|x| there
EXT8_T01 = [[0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 0.0, 1.0]]
CE_EXT1000 = [[-1000.0, 0.0, 1000.0, 999.0], [-1000.0, -1000.0, -999.5, -1001.0], [1000.0, 1000.0, 1000.0, 1000.0]]
CE_EXT100 = [[-100.0, 0.0, 100.0, 99.0], [-100.0, -100.0, -99.5, -101.0], [100.0, 100.0, 100.0, 100.0]]

# kl_div targets containing zeros
KL_ZERO_T = [[0.0, 0.2, 0.5, 0.3], [0.0, 0.0, 1.0, 0.0], [0.25, 0.25, 0.0, 0.5]]


# ---- mse_loss ------------------------------------------------------------------------------------------
reductions("mse", lambda r: lambda x, t: F.mse_loss(x, t, reduction=r), U(3, 4), U(3, 4))
reductions("mse_3d", lambda r: lambda x, t: F.mse_loss(x, t, reduction=r), U(2, 3, 2), U(2, 3, 2))
reductions("mse_0d", lambda r: lambda x, t: F.mse_loss(x, t, reduction=r), L([], [0.3]), L([], [-0.8]))
case("mse_default", lambda x, t: F.mse_loss(x, t), U(3, 4), U(3, 4))

# ---- l1_loss (input - target away from the kink at 0) -------------------------------------------------
reductions("l1", lambda r: lambda x, t: F.l1_loss(x, t, reduction=r), U(3, 4, lo=-2, hi=2), DIFF(3, 4, points=[0.0]))
reductions("l1_3d", lambda r: lambda x, t: F.l1_loss(x, t, reduction=r), U(2, 3, 2), DIFF(2, 3, 2, points=[0.0]))
case("l1_default", lambda x, t: F.l1_loss(x, t), U(3, 4), DIFF(3, 4, points=[0.0]))

# ---- smooth_l1_loss (input - target away from 0 and +-beta) ---------------------------------------------
for _b, _bn in [(0.5, "0_5"), (1.0, "1"), (2.0, "2")]:
    reductions("smooth_l1_beta" + _bn, (lambda b: lambda r: lambda x, t: F.smooth_l1_loss(x, t, reduction=r, beta=b))(_b),
               U(3, 4, lo=-2, hi=2), DIFF(3, 4, points=[-_b, 0.0, _b], lo=-3 * _b, hi=3 * _b))
reductions("smooth_l1_beta0", lambda r: lambda x, t: F.smooth_l1_loss(x, t, reduction=r, beta=0.0),
           U(3, 4, lo=-2, hi=2), DIFF(3, 4, points=[0.0]))
reductions("smooth_l1_3d", lambda r: lambda x, t: F.smooth_l1_loss(x, t, reduction=r),
           U(2, 3, 2), DIFF(2, 3, 2, points=[-1.0, 0.0, 1.0]))
case("smooth_l1_default", lambda x, t: F.smooth_l1_loss(x, t), U(3, 4), DIFF(3, 4, points=[-1.0, 0.0, 1.0]))

# ---- huber_loss (input - target away from 0 and +-delta) ------------------------------------------------
for _d, _dn in [(0.5, "0_5"), (1.0, "1"), (2.5, "2_5")]:
    reductions("huber_delta" + _dn, (lambda d: lambda r: lambda x, t: F.huber_loss(x, t, reduction=r, delta=d))(_d),
               U(3, 4, lo=-2, hi=2), DIFF(3, 4, points=[-_d, 0.0, _d], lo=-3 * _d, hi=3 * _d))
case("huber_default", lambda x, t: F.huber_loss(x, t), U(3, 4), DIFF(3, 4, points=[-1.0, 0.0, 1.0]))

# ---- binary_cross_entropy --------------------------------------------------------------------------------
# ordinary inputs in [0.1, 0.9): there torch's double backward, whose denominator is
# (x + 1e-12)^2 (1 - x + 1e-12)^2, equals the exact second derivative within the tolerance.
reductions("bce", lambda r: lambda x, t: F.binary_cross_entropy(x, t, reduction=r),
           U(3, 4, lo=0.1, hi=0.9), U(3, 4, lo=0.0, hi=1.0))
reductions("bce_weight", lambda r: lambda x, t: F.binary_cross_entropy(x, t, weight=f64(BW34), reduction=r),
           U(3, 4, lo=0.1, hi=0.9), U(3, 4, lo=0.0, hi=1.0))
reductions("bce_weight_row", lambda r: lambda x, t: F.binary_cross_entropy(x, t, weight=f64(BW4), reduction=r),
           U(3, 4, lo=0.1, hi=0.9), U(3, 4, lo=0.0, hi=1.0))
# at 0 and 1 (target constant: its gradient -logit(x) is infinite there)
reductions("bce_edge", lambda r: lambda x: F.binary_cross_entropy(x, f64(BCE_EDGE_T), reduction=r),
           L([2, 5], BCE_EDGE_X))
reductions("bce_edge_weight",
           lambda r: lambda x: F.binary_cross_entropy(x, f64(BCE_EDGE_T), weight=f64(BW25), reduction=r),
           L([2, 5], BCE_EDGE_X))
# near 0 and 1, target differentiable
reductions("bce_near", lambda r: lambda x, t: F.binary_cross_entropy(x, t, reduction=r),
           L([2, 4], BCE_NEAR_X), U(2, 4, lo=0.0, hi=1.0))
reductions("bce_near_weight", lambda r: lambda x, t: F.binary_cross_entropy(x, t, weight=f64(BW24), reduction=r),
           L([2, 4], BCE_NEAR_X), U(2, 4, lo=0.0, hi=1.0))
case("bce_default", lambda x, t: F.binary_cross_entropy(x, t), U(3, 4, lo=0.1, hi=0.9), U(3, 4, lo=0.0, hi=1.0))

# ---- binary_cross_entropy_with_logits -------------------------------------------------------------------
_BCEL = F.binary_cross_entropy_with_logits
reductions("bcel", lambda r: lambda x, t: _BCEL(x, t, reduction=r), U(3, 4, lo=-4, hi=4), U(3, 4, lo=0.0, hi=1.0))
reductions("bcel_weight", lambda r: lambda x, t: _BCEL(x, t, weight=f64(BW34), reduction=r),
           U(3, 4, lo=-4, hi=4), U(3, 4, lo=0.0, hi=1.0))
reductions("bcel_weight_row", lambda r: lambda x, t: _BCEL(x, t, weight=f64(BW4), reduction=r),
           U(3, 4, lo=-4, hi=4), U(3, 4, lo=0.0, hi=1.0))
reductions("bcel_posweight", lambda r: lambda x, t: _BCEL(x, t, pos_weight=f64(PW4), reduction=r),
           U(3, 4, lo=-4, hi=4), U(3, 4, lo=0.0, hi=1.0))
reductions("bcel_weight_posweight", lambda r: lambda x, t: _BCEL(x, t, weight=f64(BW34), pos_weight=f64(PW4), reduction=r),
           U(3, 4, lo=-4, hi=4), U(3, 4, lo=0.0, hi=1.0))
reductions("bcel_extreme", lambda r: lambda x, t: _BCEL(x, t, reduction=r), L([2, 4], EXT8), U(2, 4, lo=0.0, hi=1.0))
reductions("bcel_extreme100", lambda r: lambda x, t: _BCEL(x, t, reduction=r), L([2, 4], EXT8_100),
           U(2, 4, lo=0.0, hi=1.0))
reductions("bcel_extreme_binary", lambda r: lambda x, t: _BCEL(x, t, reduction=r), L([2, 4], EXT8), L([2, 4], EXT8_T01))
reductions("bcel_extreme_posweight", lambda r: lambda x, t: _BCEL(x, t, pos_weight=f64(PW4), reduction=r),
           L([2, 4], EXT8), U(2, 4, lo=0.0, hi=1.0))
reductions("bcel_extreme_weight_posweight",
           lambda r: lambda x, t: _BCEL(x, t, weight=f64(BW24), pos_weight=f64(PW4), reduction=r),
           L([2, 4], EXT8), U(2, 4, lo=0.0, hi=1.0))
reductions("bcel_extreme100_posweight", lambda r: lambda x, t: _BCEL(x, t, pos_weight=f64(PW4), reduction=r),
           L([2, 4], EXT8_100), U(2, 4, lo=0.0, hi=1.0))
case("bcel_default", lambda x, t: _BCEL(x, t), U(3, 4, lo=-4, hi=4), U(3, 4, lo=0.0, hi=1.0))

# ---- nll_loss (the input: log-probabilities, but any values will do) ---------------------------------------
reductions("nll", lambda r: lambda x: F.nll_loss(x, i64(T5), reduction=r), U(5, 4, lo=-3, hi=0))
reductions("nll_weight", lambda r: lambda x: F.nll_loss(x, i64(T5), weight=f64(W4), reduction=r), U(5, 4, lo=-3, hi=0))
reductions("nll_ignore", lambda r: lambda x: F.nll_loss(x, i64(T5_IGN), reduction=r), U(5, 4, lo=-3, hi=0))
reductions("nll_ignore3", lambda r: lambda x: F.nll_loss(x, i64(T5), ignore_index=3, reduction=r), U(5, 4, lo=-3, hi=0))
reductions("nll_weight_ignore", lambda r: lambda x: F.nll_loss(x, i64(T5_IGN), weight=f64(W4), reduction=r),
           U(5, 4, lo=-3, hi=0))
reductions("nll_weight_ignore_neg1",
           lambda r: lambda x: F.nll_loss(x, i64(T5_IGN_NEG1), weight=f64(W4), ignore_index=-1, reduction=r),
           U(5, 4, lo=-3, hi=0))
reductions("nll_all_ignored", lambda r: lambda x: F.nll_loss(x, i64(T5_ALL_IGN), reduction=r), U(5, 4, lo=-3, hi=0),
           nonfinite_mean=True)
reductions("nll_all_ignored_weight", lambda r: lambda x: F.nll_loss(x, i64(T5_ALL_IGN), weight=f64(W4), reduction=r),
           U(5, 4, lo=-3, hi=0), nonfinite_mean=True)
reductions("nll_1d", lambda r: lambda x: F.nll_loss(x, i64(2), reduction=r), U(4, lo=-3, hi=0))
reductions("nll_1d_weight", lambda r: lambda x: F.nll_loss(x, i64(1), weight=f64(W4), reduction=r), U(4, lo=-3, hi=0))
reductions("nll_1d_ignored", lambda r: lambda x: F.nll_loss(x, i64(-100), reduction=r), U(4, lo=-3, hi=0),
           nonfinite_mean=True)
reductions("nll_3d", lambda r: lambda x: F.nll_loss(x, i64(T23), reduction=r), U(2, 4, 3, lo=-3, hi=0))
reductions("nll_3d_weight_ignore", lambda r: lambda x: F.nll_loss(x, i64(T23_IGN), weight=f64(W4), reduction=r),
           U(2, 4, 3, lo=-3, hi=0))
reductions("nll_4d_weight", lambda r: lambda x: F.nll_loss(x, i64(T222), weight=f64(W3), reduction=r),
           U(2, 3, 2, 2, lo=-3, hi=0))
case("nll_default", lambda x: F.nll_loss(x, i64(T5)), U(5, 4, lo=-3, hi=0))

# ---- cross_entropy: class-index targets ---------------------------------------------------------------------
reductions("ce", lambda r: lambda x: F.cross_entropy(x, i64(T5), reduction=r), U(5, 4, lo=-3, hi=3))
reductions("ce_weight", lambda r: lambda x: F.cross_entropy(x, i64(T5), weight=f64(W4), reduction=r),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ignore", lambda r: lambda x: F.cross_entropy(x, i64(T5_IGN), reduction=r), U(5, 4, lo=-3, hi=3))
reductions("ce_weight_ignore_neg1",
           lambda r: lambda x: F.cross_entropy(x, i64(T5_IGN_NEG1), weight=f64(W4), ignore_index=-1, reduction=r),
           U(5, 4, lo=-3, hi=3))
reductions("ce_all_ignored", lambda r: lambda x: F.cross_entropy(x, i64(T5_ALL_IGN), reduction=r),
           U(5, 4, lo=-3, hi=3), nonfinite_mean=True)
reductions("ce_1d", lambda r: lambda x: F.cross_entropy(x, i64(2), reduction=r), U(4, lo=-3, hi=3))
reductions("ce_3d", lambda r: lambda x: F.cross_entropy(x, i64(T23), reduction=r), U(2, 4, 3, lo=-3, hi=3))
reductions("ce_4d_weight", lambda r: lambda x: F.cross_entropy(x, i64(T222), weight=f64(W3), reduction=r),
           U(2, 3, 2, 2, lo=-3, hi=3))
reductions("ce_extreme100", lambda r: lambda x: F.cross_entropy(x, i64(T3), reduction=r), L([3, 4], CE_EXT100))
reductions("ce_extreme1000", lambda r: lambda x: F.cross_entropy(x, i64(T3), reduction=r), L([3, 4], CE_EXT1000))
case("ce_default", lambda x: F.cross_entropy(x, i64(T5)), U(5, 4, lo=-3, hi=3))

# ---- cross_entropy: label smoothing -----------------------------------------------------------------------------
reductions("ce_ls", lambda r: lambda x: F.cross_entropy(x, i64(T5), reduction=r, label_smoothing=0.1),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ls_weight",
           lambda r: lambda x: F.cross_entropy(x, i64(T5), weight=f64(W4), reduction=r, label_smoothing=0.2),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ls_ignore", lambda r: lambda x: F.cross_entropy(x, i64(T5_IGN), reduction=r, label_smoothing=0.1),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ls_weight_ignore",
           lambda r: lambda x: F.cross_entropy(x, i64(T5_IGN), weight=f64(W4), reduction=r, label_smoothing=0.3),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ls_weight_ignore3",
           lambda r: lambda x: F.cross_entropy(x, i64(T5), weight=f64(W4), ignore_index=3, reduction=r,
                                               label_smoothing=0.25),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ls_all_ignored",
           lambda r: lambda x: F.cross_entropy(x, i64(T5_ALL_IGN), reduction=r, label_smoothing=0.2),
           U(5, 4, lo=-3, hi=3), nonfinite_mean=True)
reductions("ce_ls_1", lambda r: lambda x: F.cross_entropy(x, i64(T5), reduction=r, label_smoothing=1.0),
           U(5, 4, lo=-3, hi=3))
reductions("ce_ls_1d", lambda r: lambda x: F.cross_entropy(x, i64(2), reduction=r, label_smoothing=0.1),
           U(4, lo=-3, hi=3))
reductions("ce_ls_3d_weight_ignore",
           lambda r: lambda x: F.cross_entropy(x, i64(T23_IGN), weight=f64(W4), reduction=r, label_smoothing=0.15),
           U(2, 4, 3, lo=-3, hi=3))
reductions("ce_ls_extreme1000_weight",
           lambda r: lambda x: F.cross_entropy(x, i64(T3), weight=f64(W4), reduction=r, label_smoothing=0.1),
           L([3, 4], CE_EXT1000))

# ---- cross_entropy: class-probability targets (differentiable) ---------------------------------------------------
reductions("ce_prob", lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r), U(5, 4, lo=-3, hi=3), PROB(5, 4))
reductions("ce_prob_weight", lambda r: lambda x, t: F.cross_entropy(x, t, weight=f64(W4), reduction=r),
           U(5, 4, lo=-3, hi=3), PROB(5, 4))
reductions("ce_prob_ls", lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r, label_smoothing=0.15),
           U(5, 4, lo=-3, hi=3), PROB(5, 4))
reductions("ce_prob_ls_weight",
           lambda r: lambda x, t: F.cross_entropy(x, t, weight=f64(W4), reduction=r, label_smoothing=0.3),
           U(5, 4, lo=-3, hi=3), PROB(5, 4))
reductions("ce_prob_unnormalized", lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r),
           U(5, 4, lo=-3, hi=3), U(5, 4, lo=0.0, hi=2.0))
reductions("ce_prob_1d", lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r), U(4, lo=-3, hi=3), PROB(4, dim=0))
reductions("ce_prob_3d_weight", lambda r: lambda x, t: F.cross_entropy(x, t, weight=f64(W4), reduction=r),
           U(2, 4, 3, lo=-3, hi=3), PROB(2, 4, 3))
reductions("ce_prob_extreme1000", lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r),
           L([3, 4], CE_EXT1000), PROB(3, 4))
reductions("ce_prob_extreme100_ls", lambda r: lambda x, t: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1),
           L([3, 4], CE_EXT100), PROB(3, 4))

# ---- kl_div -------------------------------------------------------------------------------------------------------
reductions("kl", lambda r: lambda x, t: F.kl_div(x, t, reduction=r), U(3, 4, lo=-3, hi=0), U(3, 4, lo=0.05, hi=1.0))
# target constant: torch's gradient w.r.t. a zero target is nan
reductions("kl_zeros", lambda r: lambda x: F.kl_div(x, f64(KL_ZERO_T), reduction=r), U(3, 4, lo=-3, hi=0))
reductions("kl_log_target", lambda r: lambda x, t: F.kl_div(x, t, reduction=r, log_target=True),
           U(3, 4, lo=-3, hi=0), U(3, 4, lo=-3, hi=0))
reductions("kl_3d", lambda r: lambda x, t: F.kl_div(x, t, reduction=r), U(2, 3, 2, lo=-3, hi=0),
           U(2, 3, 2, lo=0.05, hi=1.0))
case("kl_default", lambda x, t: F.kl_div(x, t), U(3, 4, lo=-3, hi=0), U(3, 4, lo=0.05, hi=1.0))


# ==== the rarer losses and the distances: compositions in tensorgrad (no node names) =================

# constants (the C++ lambdas spell out the same lists)
SIGN34 = [[1.0, -1.0, -1.0, 1.0], [-1.0, 1.0, 1.0, 1.0], [-1.0, -1.0, 1.0, -1.0]]
SIGN5 = [1.0, -1.0, -1.0, 1.0, -1.0]
SIGN4 = [1.0, -1.0, 1.0, -1.0]
# hinge_embedding_loss's targets need not be +-1: 1 takes x, -1 the hinge, anything else both
HINGE_T34 = [[1.0, -1.0, 0.0, 1.0], [-1.0, 2.0, 1.0, -1.0], [-1.0, -1.0, 1.0, 0.5]]
MM_T5 = [1, 0, 3, 3, 2]
MLM_T34 = [[3, 0, -1, 1], [1, 2, 3, 0], [-1, 2, 0, 1]]
MLM_T4 = [2, 1, -1, 0]
MW4 = [0.5, 2.0, 1.5, 0.25]


def hinge_args_away(z, margin=0.05):
    assert (z.abs() > margin).all(), "a hinge argument is within %g of its kink: %s" % (margin, z)


def MM_INPUT(shape, target, margin, lo=-1.5, hi=1.5, gap=0.05):
    """Inputs x (to be squared) whose hinge arguments margin - x[y]^2 + x[i]^2 stay `gap` away from 0."""
    def f(g):
        for _ in range(1000):
            x = U(*shape, lo=lo, hi=hi)(g)
            x2 = x.square().reshape(-1, shape[-1])
            t = torch.tensor(target).reshape(-1, 1)
            z = margin - x2.gather(1, t) + x2
            other = torch.arange(shape[-1]).reshape(1, -1) != t
            if (z[other].abs() > gap).all():
                return x
        raise RuntimeError("MM_INPUT: could not sample")
    return f


def ref_multi_margin(x, t, p=1, margin=1.0, weight=None, reduction="mean"):
    x2 = x.reshape(-1, x.shape[-1])
    tt = t.reshape(-1, 1)
    z = (margin - x2.gather(1, tt) + x2).clamp_min(0)
    h = z if p == 1 else z * z
    h = torch.where(torch.arange(x2.shape[1]).reshape(1, -1) == tt, torch.zeros_like(h), h)
    if weight is not None:
        h = h * weight[tt]
    loss = h.sum(1) / x2.shape[1]
    if reduction == "none":
        return loss if t.dim() > 0 else loss.reshape(())
    return loss.mean() if reduction == "mean" else loss.sum()


def ref_multilabel_margin(x, t, reduction="mean"):
    x2 = x.reshape(-1, x.shape[-1])
    t2 = t.reshape(-1, x.shape[-1])
    rows = []
    for n in range(x2.shape[0]):
        ts = []
        for v in t2[n].tolist():
            if v < 0:
                break
            ts.append(v)
        others = [i for i in range(x2.shape[1]) if i not in ts]
        total = x2.new_zeros(())
        for j in ts:
            z = 1 - x2[n, j] + x2[n, others]
            hinge_args_away(z)
            total = total + z.clamp_min(0).sum()
        rows.append(total / x2.shape[1])
    loss = torch.stack(rows)
    if reduction == "none":
        return loss if t.dim() > 1 else loss.reshape(())
    return loss.mean() if reduction == "mean" else loss.sum()


def ref_pdist(x, p=2.0):
    i, j = torch.triu_indices(x.shape[0], x.shape[0], 1)
    return torch.linalg.vector_norm(x[i] - x[j], ord=p, dim=1)


# ---- soft_margin_loss (torch does not differentiate the target: a constant) ---------------------------
composite("soft_margin", lambda r: lambda x: F.soft_margin_loss(x, f64(SIGN34), reduction=r), U(3, 4, lo=-3, hi=3))
composite("soft_margin_1d", lambda r: lambda x: F.soft_margin_loss(x, f64(SIGN5), reduction=r), U(5, lo=-3, hi=3))
case("soft_margin_default", lambda x: F.soft_margin_loss(x, f64(SIGN34)), U(3, 4, lo=-3, hi=3), node=False)

# ---- multilabel_soft_margin_loss ----------------------------------------------------------------------
composite("multilabel_soft_margin", lambda r: lambda x, t: F.multilabel_soft_margin_loss(x, t, reduction=r),
          U(3, 4, lo=-3, hi=3), U(3, 4, lo=0.0, hi=1.0))
composite("multilabel_soft_margin_weight",
          lambda r: lambda x, t: F.multilabel_soft_margin_loss(x, t, weight=f64(MW4), reduction=r),
          U(3, 4, lo=-3, hi=3), U(3, 4, lo=0.0, hi=1.0))
case("multilabel_soft_margin_default", lambda x, t: F.multilabel_soft_margin_loss(x, t),
     U(3, 4, lo=-3, hi=3), U(3, 4, lo=0.0, hi=1.0), node=False)

# ---- hinge_embedding_loss of x^2 (x^2 away from the kink at margin) -----------------------------------
composite("hinge_embedding", lambda r: lambda x: F.hinge_embedding_loss(x.square(), f64(HINGE_T34), reduction=r),
          AWAY(3, 4, points=[-1.0, 1.0], lo=-1.5, hi=1.5))
composite("hinge_embedding_margin2",
          lambda r: lambda x: F.hinge_embedding_loss(x.square(), f64(HINGE_T34), margin=2.0, reduction=r),
          AWAY(3, 4, points=[-2.0 ** 0.5, 2.0 ** 0.5], lo=-2, hi=2))
case("hinge_embedding_default", lambda x: F.hinge_embedding_loss(x.square(), f64(HINGE_T34)),
     AWAY(3, 4, points=[-1.0, 1.0], lo=-1.5, hi=1.5), node=False)

# ---- multi_margin_loss of x^2 (torch's op has no second derivative: checked_by) -----------------------
for _p, _m, _w, _n in [(1, 1.0, None, ""), (2, 1.0, None, "_p2"), (1, 0.5, MW4, "_margin_weight"),
                       (2, 2.0, MW4, "_p2_margin_weight")]:
    composite("multi_margin" + _n,
              (lambda p, m, w: lambda r: checked_by(
                  lambda x: F.multi_margin_loss(x.square(), i64(MM_T5), p=p, margin=m,
                                                weight=None if w is None else f64(w), reduction=r),
                  lambda x: ref_multi_margin(x.square(), i64(MM_T5), p, m, None if w is None else f64(w), r)))(
                  _p, _m, _w),
              MM_INPUT((5, 4), MM_T5, _m))
composite("multi_margin_1d",
          lambda r: checked_by(lambda x: F.multi_margin_loss(x.square(), i64(2), reduction=r),
                               lambda x: ref_multi_margin(x.square(), i64(2), reduction=r)),
          MM_INPUT((4,), [2], 1.0))
case("multi_margin_default", checked_by(lambda x: F.multi_margin_loss(x.square(), i64(MM_T5)),
                                        lambda x: ref_multi_margin(x.square(), i64(MM_T5))),
     MM_INPUT((5, 4), MM_T5, 1.0), node=False)

# ---- cosine_embedding_loss -----------------------------------------------------------------------------
composite("cosine_embedding", lambda r: lambda a, b: F.cosine_embedding_loss(a, b, f64(SIGN4), reduction=r),
          U(4, 3), U(4, 3))
composite("cosine_embedding_margin",
          lambda r: lambda a, b: F.cosine_embedding_loss(a, b, f64(SIGN4), margin=-0.5, reduction=r), U(4, 3), U(4, 3))
composite("cosine_embedding_1d_pos", lambda r: lambda a, b: F.cosine_embedding_loss(a, b, f64(1.0), reduction=r),
          U(3), U(3))
composite("cosine_embedding_1d_neg",
          lambda r: lambda a, b: F.cosine_embedding_loss(a, b, f64(-1.0), margin=-0.9, reduction=r), U(3), U(3))
case("cosine_embedding_default", lambda a, b: F.cosine_embedding_loss(a, b, f64(SIGN4)), U(4, 3), U(4, 3),
     node=False)

# ---- multilabel_margin_loss of x^2 (no second derivative in torch: checked_by) --------------------------
composite("multilabel_margin",
          lambda r: checked_by(lambda x: F.multilabel_margin_loss(x.square(), i64(MLM_T34), reduction=r),
                               lambda x: ref_multilabel_margin(x.square(), i64(MLM_T34), r)),
          U(3, 4, lo=-1.5, hi=1.5))
composite("multilabel_margin_1d",
          lambda r: checked_by(lambda x: F.multilabel_margin_loss(x.square(), i64(MLM_T4), reduction=r),
                               lambda x: ref_multilabel_margin(x.square(), i64(MLM_T4), r)),
          U(4, lo=-1.5, hi=1.5))
case("multilabel_margin_default",
     checked_by(lambda x: F.multilabel_margin_loss(x.square(), i64(MLM_T34)),
                lambda x: ref_multilabel_margin(x.square(), i64(MLM_T34))),
     U(3, 4, lo=-1.5, hi=1.5), node=False)

# ---- triplet_margin_loss ----------------------------------------------------------------------------------
_TML = F.triplet_margin_loss
composite("triplet_margin", lambda r: lambda a, p, n: _TML(a, p, n, reduction=r), U(4, 3), U(4, 3), U(4, 3))
composite("triplet_margin_swap", lambda r: lambda a, p, n: _TML(a, p, n, swap=True, reduction=r),
          U(4, 3), U(4, 3), U(4, 3))
composite("triplet_margin_p1", lambda r: lambda a, p, n: _TML(a.square(), p, n, p=1, margin=0.5, reduction=r),
          U(4, 3), U(4, 3), U(4, 3))
composite("triplet_margin_p3_eps", lambda r: lambda a, p, n: _TML(a, p, n, p=3, eps=1e-3, margin=2.0, reduction=r),
          U(4, 3), U(4, 3), U(4, 3))
composite("triplet_margin_1d", lambda r: lambda a, p, n: _TML(a, p, n, margin=1.5, reduction=r), U(3), U(3), U(3))
case("triplet_margin_default", lambda a, p, n: _TML(a, p, n), U(4, 3), U(4, 3), U(4, 3), node=False)

# ---- triplet_margin_with_distance_loss ----------------------------------------------------------------------
_TMD = F.triplet_margin_with_distance_loss
composite("triplet_distance", lambda r: lambda a, p, n: _TMD(a, p, n, reduction=r), U(4, 3), U(4, 3), U(4, 3))
composite("triplet_distance_cosine_swap",
          lambda r: lambda a, p, n: _TMD(a, p, n, distance_function=lambda x, y: 1.0 - F.cosine_similarity(x, y),
                                         margin=0.5, swap=True, reduction=r),
          U(4, 3), U(4, 3), U(4, 3))
case("triplet_distance_default", lambda a, p, n: _TMD(a, p, n), U(4, 3), U(4, 3), U(4, 3), node=False)

# ---- poisson_nll_loss ----------------------------------------------------------------------------------------
_PNL = F.poisson_nll_loss
composite("poisson_nll", lambda r: lambda x, t: _PNL(x, t, reduction=r), U(3, 4, lo=-2, hi=2), P(3, 4, lo=0.1, hi=4))
composite("poisson_nll_rate", lambda r: lambda x, t: _PNL(x, t, log_input=False, reduction=r),
          P(3, 4, lo=0.2, hi=3), P(3, 4, lo=0.1, hi=4))
composite("poisson_nll_full", lambda r: lambda x, t: _PNL(x, t, full=True, reduction=r),
          U(3, 4, lo=-2, hi=2), AWAY(3, 4, points=[1.0], lo=0.2, hi=4))
composite("poisson_nll_rate_full_eps", lambda r: lambda x, t: _PNL(x, t, log_input=False, full=True, eps=0.1,
                                                                    reduction=r),
          P(3, 4, lo=0.2, hi=3), AWAY(3, 4, points=[1.0], lo=0.2, hi=4))
case("poisson_nll_default", lambda x, t: _PNL(x, t), U(3, 4, lo=-2, hi=2), P(3, 4, lo=0.1, hi=4), node=False)

# ---- margin_ranking_loss of squares (target constant) -----------------------------------------------------------
composite("margin_ranking", lambda r: lambda a, b: F.margin_ranking_loss(a.square(), b.square(), f64(SIGN5),
                                                                          reduction=r),
          U(5, lo=-1.5, hi=1.5), U(5, lo=-1.5, hi=1.5))
composite("margin_ranking_margin", lambda r: lambda a, b: F.margin_ranking_loss(a.square(), b.square(), f64(SIGN5),
                                                                                 margin=0.5, reduction=r),
          U(5, lo=-1.5, hi=1.5), U(5, lo=-1.5, hi=1.5))
case("margin_ranking_default", lambda a, b: F.margin_ranking_loss(a.square(), b.square(), f64(SIGN5)),
     U(5, lo=-1.5, hi=1.5), U(5, lo=-1.5, hi=1.5), node=False)

# ---- cosine_similarity ---------------------------------------------------------------------------------------
case("cosine_similarity_default", lambda a, b: F.cosine_similarity(a, b), U(3, 4), U(3, 4), node=False)
case("cosine_similarity_dim0", lambda a, b: F.cosine_similarity(a, b, dim=0), U(3, 4), U(3, 4), node=False)
case("cosine_similarity_broadcast", lambda a, b: F.cosine_similarity(a, b, dim=-1), U(3, 4), U(4), node=False)
# eps = 0.5 clamps the small rows' norms (the clamp is not differentiated, as in torch)
case("cosine_similarity_clamped", lambda a, b: F.cosine_similarity(a, b, dim=1, eps=0.5),
     U(3, 4, lo=-0.2, hi=0.2), U(3, 4), node=False)

# ---- pairwise_distance (squared inputs where the norm is piecewise linear) -------------------------------------
_PD = F.pairwise_distance
case("pairwise_distance_default", lambda a, b: _PD(a, b), U(4, 3), U(4, 3), node=False)
case("pairwise_distance_p1", lambda a, b: _PD(a.square(), b, p=1.0), U(4, 3), U(4, 3), node=False)
case("pairwise_distance_p3_keepdim", lambda a, b: _PD(a, b, p=3.0, keepdim=True), U(4, 3), U(4, 3), node=False)
case("pairwise_distance_p0_5_eps0", lambda a, b: _PD(a, b, p=0.5, eps=0.0), U(4, 3), U(4, 3), node=False)
case("pairwise_distance_inf", lambda a, b: _PD(a.square(), b, p=float("inf")), U(4, 3), U(4, 3), node=False)
case("pairwise_distance_broadcast", lambda a, b: _PD(a, b), U(4, 3), U(3), node=False)
case("pairwise_distance_1d", lambda a, b: _PD(a, b, p=1.5), U(5), U(5), node=False)

# ---- pdist (torch's op has no second derivative: checked_by) --------------------------------------------------
for _p, _n in [(2.0, "default"), (1.0, "p1"), (3.0, "p3"), (1.5, "p1_5"), (float("inf"), "inf")]:
    if _p in (1.0, float("inf")):  # piecewise linear: of squares
        _f = (lambda p: checked_by(lambda x: F.pdist(x.square(), p), lambda x: ref_pdist(x.square(), p)))(_p)
    else:
        _f = (lambda p: checked_by(lambda x: F.pdist(x, p), lambda x: ref_pdist(x, p)))(_p)
    case("pdist_" + _n, _f, U(4, 3, lo=-1.5, hi=1.5), node=False)

# ---------------------------------------------------------------------------------------------

def run_case(name, fn, makers, nonfinite_out, node=True):
    """gen_fixtures.run_case, except that a case declared nonfinite_out must have a non-finite
    output (and finite derivatives), and the others must be finite everywhere."""
    g = core._gen(name, 0)
    xs = []
    for m in makers:
        x = m(g, xs[0]) if getattr(m, "needs_first", False) else m(g)
        xs.append(x.detach().clone().requires_grad_(True))
    out = fn(*xs)
    assert out.dtype == F64, name
    gw = core._gen(name, 1)
    w = core.weight(gw, out.shape)
    grads = torch.autograd.grad(out, xs, grad_outputs=w, create_graph=True)
    vs = [core.weight(gw, x.shape) for x in xs]
    s = sum((gi * vi).sum() for gi, vi in zip(grads, vs))
    if s.requires_grad:
        ggs = torch.autograd.grad(s, xs, allow_unused=True)
    else:
        ggs = [None] * len(xs)
    zt = [i for i, gg in enumerate(ggs) if gg is not None and gg._is_zerotensor()]
    if zt:
        print("note: %s: gradgrad %s is torch's efficient zero tensor (written as zeros)" % (name, zt))
    if nonfinite_out:
        assert not torch.isfinite(out).all(), "case %s declared non-finite but its output is finite" % name
    else:
        assert torch.isfinite(out).all(), "non-finite output in case " + name
    for t in [*grads] + [gg for gg in ggs if gg is not None and not gg._is_zerotensor()]:
        assert torch.isfinite(t).all(), "non-finite derivative in case " + name
    lines = ["case " + name]
    lines += ["input %d %s" % (i, core.fmt(x)) for i, x in enumerate(xs)]
    lines.append("gout " + core.fmt(w))
    lines.append("out " + core.fmt(out))
    if node:
        lines.append("node " + out.grad_fn.name())
    lines += ["grad %d %s" % (i, core.fmt(gi)) for i, gi in enumerate(grads)]
    lines += ["v %d %s" % (i, core.fmt(vi)) for i, vi in enumerate(vs)]
    lines += ["gradgrad %d none" % i if gg is None else "gradgrad %d %s" % (i, core.fmt(gg))
              for i, gg in enumerate(ggs)]
    lines.append("end")
    return "\n".join(lines) + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "fixtures", "losses_reference.txt")
    names = [c[0] for c in CASES]
    dup = sorted({n for n in names if names.count(n) > 1})
    assert not dup, "duplicate case names: %s" % dup
    for n in names:
        assert n.replace("_", "").isalnum() and n == n.lower(), "bad case name " + n
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    if "--add-missing" in sys.argv[1:]:
        header, old = core.read_blocks(path)
        stale = sorted(set(old) - set(names))
        assert not stale, "cases in the file but not in CASES: %s" % stale
        chunks = [header]
        added = 0
        for name, fn, makers, nonfinite_out, node in CASES:
            if name in old:
                chunks.append(old[name])
            else:
                chunks.append(run_case(name, fn, makers, nonfinite_out, node))
                added += 1
        with open(path, "w") as f:
            f.write("".join(chunks))
        print("added %d cases to %s (%d kept as they were)" % (added, path, len(old)))
        return 0
    chunks = ["# Reference values for tests/test_reference_losses.cpp, generated by\n"
              "# tests/gen_fixtures_losses.py with torch %s. Do not edit by hand: change the script\n"
              "# and rerun it.\n" % torch.__version__]
    for name, fn, makers, nonfinite_out, node in CASES:
        chunks.append(run_case(name, fn, makers, nonfinite_out, node))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(chunks))
    print("wrote %d cases to %s (%d bytes)" % (len(CASES), path, os.path.getsize(path)))


if __name__ == "__main__":
    sys.exit(main())
