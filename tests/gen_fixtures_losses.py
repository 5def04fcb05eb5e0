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

The C++ side (tests/test_reference_losses.cpp) holds a lambda for every case name; the two lists
are checked against each other by a test, so a case added here needs its lambda there.
"""

import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_fixtures as core  # noqa: E402  (the format, the input makers, fmt and weight)
from gen_fixtures import AWAY, L, U  # noqa: E402

torch.set_default_dtype(torch.float64)
F64 = torch.float64
I64 = torch.int64

CASES = []


def case(name, fn, *inputs, nonfinite_out=False):
    CASES.append((name, fn, list(inputs), nonfinite_out))


REDUCTIONS = ("none", "mean", "sum")


def reductions(base, make_fn, *inputs, nonfinite_mean=False):
    """The three cases <base>_none, <base>_mean, <base>_sum; make_fn(reduction) -> fn(*inputs)."""
    for r in REDUCTIONS:
        case(base + "_" + r, make_fn(r), *inputs, nonfinite_out=(nonfinite_mean and r == "mean"))


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


# ---------------------------------------------------------------------------------------------

def run_case(name, fn, makers, nonfinite_out):
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
    chunks = ["# Reference values for tests/test_reference_losses.cpp, generated by\n"
              "# tests/gen_fixtures_losses.py with torch %s. Do not edit by hand: change the script\n"
              "# and rerun it.\n" % torch.__version__]
    for name, fn, makers, nonfinite_out in CASES:
        chunks.append(run_case(name, fn, makers, nonfinite_out))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(chunks))
    print("wrote %d cases to %s (%d bytes)" % (len(CASES), path, os.path.getsize(path)))


if __name__ == "__main__":
    sys.exit(main())
