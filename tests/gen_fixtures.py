#!/usr/bin/python3
"""Generates tests/fixtures/core_reference.txt: reference values computed by PyTorch itself.

Run with Debian's python3-torch (no pip needed):

    /usr/bin/python3 tests/gen_fixtures.py                 # rewrites every case
    /usr/bin/python3 tests/gen_fixtures.py --add-missing   # adds new cases, keeps the others byte for byte

For every case of CASES below (a differentiable expression of one or more float64 inputs) the file
records, in plain text:

    case <name>
    input <i> shape <d0 d1 ...> values <v ...>      one line per input
    gout shape ... values ...                        the weight w of the output (grad_outputs)
    out shape ... values ...                         the output
    node <name>                                      the name of the output's grad_fn (optional:
                                                     see Note [Node names are libtorch's])
    grad <i> shape ... values ...                    g_i = d(sum(out * w)) / d input_i
    v <i> shape ... values ...                       the weight v_i of g_i
    gradgrad <i> none                                torch returned None for this input, or
    gradgrad <i> shape ... values ...                gg_i = d(sum_j sum(g_j * v_j)) / d input_i
    end

g_i comes from torch.autograd.grad(out, inputs, grad_outputs=w, create_graph=True), gg_i from
torch.autograd.grad(s, inputs, allow_unused=True) with s = sum_j (g_j * v_j).sum() (all gg_i are
"none" when s does not require grad, i.e. when every g_j is a constant). A shape of zero dims
(a scalar) is written as "shape values <v>". Values are written with repr(float) so that they
round-trip exactly; inf, -inf and nan are spelled that way. Lines starting with '#' are comments.

The C++ side (tests/test_reference_core.cpp) holds a lambda for every case name; the two lists are
checked against each other by a test, so a case added here needs its lambda there.
"""

import math
import os
import sys
import zlib

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
F64 = torch.float64

# ---------------------------------------------------------------------------------------------
# Deterministic inputs. Each case gets its own generator seeded from the crc32 of its name, so
# adding or reordering cases does not change the inputs of the others.


def _gen(name, salt):
    g = torch.Generator()
    g.manual_seed((zlib.crc32(name.encode()) * 7 + salt) % (2**63))
    return g


def U(*shape, lo=-1.0, hi=1.0):
    """Uniform in [lo, hi)."""
    return lambda g: lo + (hi - lo) * torch.rand(shape, generator=g, dtype=F64)


def P(*shape, lo=0.5, hi=2.0):
    """Positive, uniform in [lo, hi)."""
    return U(*shape, lo=lo, hi=hi)


def S(*shape, lo=0.1, hi=2.0):
    """Random sign, magnitude uniform in [lo, hi): away from zero."""
    def f(g):
        mag = lo + (hi - lo) * torch.rand(shape, generator=g, dtype=F64)
        sign = torch.where(torch.rand(shape, generator=g, dtype=F64) < 0.5, -1.0, 1.0)
        return mag * sign
    return f


def L(shape, values):
    """Explicit values."""
    return lambda g: torch.tensor(values, dtype=F64).reshape(shape)


def AWAY(*shape, points, margin=0.05, lo=-3.0, hi=3.0):
    """Uniform in [lo, hi) but at least `margin` away from each of `points` (kinks, bounds)."""
    def f(g):
        x = lo + (hi - lo) * torch.rand(shape, generator=g, dtype=F64)
        for _ in range(100):
            bad = torch.zeros(shape, dtype=torch.bool)
            for p in points:
                bad |= (x - p).abs() < margin
            if not bad.any():
                return x
            x = torch.where(bad, lo + (hi - lo) * torch.rand(shape, generator=g, dtype=F64), x)
        raise RuntimeError("AWAY: could not sample")
    return f


def PAIR_NO_TIES(shape_a, shape_b, gap=0.05):
    """Two inputs whose broadcast elements differ by at least `gap` (for maximum/minimum)."""
    def first(g):
        return U(*shape_a, lo=-2, hi=2)(g)

    def second(g, a):
        for _ in range(1000):
            b = U(*shape_b, lo=-2, hi=2)(g)
            if (a - b).abs().min() >= gap:
                return b
        raise RuntimeError("PAIR_NO_TIES: could not sample")
    second.needs_first = True
    return first, second


# Signed extreme magnitudes where the ops below stay finite (and are well conditioned).
EXTREME6 = [-100.0, -30.0, -1e-8, 1e-8, 30.0, 100.0]

# A fixed mask for the where() cases (the C++ lambdas spell out the same one).
MASK23 = [[True, False, True], [False, False, True]]


def mask23():
    return torch.tensor(MASK23)


# ---------------------------------------------------------------------------------------------
# The cases: (name, fn(list of inputs) -> output, [input makers]).
# An input maker is a function of the generator; PAIR_NO_TIES's second maker also receives the
# first input.

CASES = []

# Note [Node names are libtorch's]
# Each case also records the name of its output's grad_fn, which tensorgrad must match: the name
# libtorch's C++ API gives the node of the same C++ expression. Python and C++ differ only where
# Python turns a number into a 0-dim tensor: in C++, `x + 1.5` is add.Scalar (AddBackward1) and
# `x.norm()` is norm.Scalar (NormBackward0), and `2.5 - x` and `2.0 / x` are, as libtorch's
# TensorOperators.h defines them, a tensor filled with the scalar and changed in place. Those cases
# call the same overloads through torch.ops.aten (ATEN below) or spell out the same expression, so
# that both the values and the node are what the C++ expression gives. A case whose reference is
# a formula for an op PyTorch lacks (squareplus, smu, ...) records no name (node=False), and one
# whose reference formula differs from the PyTorch op it checks names that op (node=<fn>).
ATEN = torch.ops.aten


def case(name, fn, *inputs, node=None):
    CASES.append((name, fn, list(inputs), node))


# ---- add / sub / mul / div --------------------------------------------------------------------
case("add_same", lambda a, b: a + b, U(2, 3), U(2, 3))
case("add_broadcast_row", lambda a, b: a + b, U(2, 3), U(3))
case("add_broadcast_3d", lambda a, b: a + b, U(2, 1, 4), U(3, 1))
case("add_size1", lambda a, b: torch.add(a, b), U(1, 3), U(2, 1))
case("add_alpha", lambda a, b: a.add(b, alpha=2.5), U(2, 3), U(2, 3))
case("add_alpha_broadcast", lambda a, b: torch.add(a, b, alpha=-0.5), U(2, 3, 4), U(1, 4))
case("add_scalar", lambda a: ATEN.add.Scalar(a, 1.5), U(2, 3))
case("add_scalar_lhs", lambda a: ATEN.add.Scalar(a, 1.5), U(2, 3))
case("add_scalar_alpha", lambda a: ATEN.add.Scalar(a, 2.0, 3), U(2, 3))
case("add_self", lambda a: a + a, U(2, 3))
case("sub_same", lambda a, b: a - b, U(2, 3), U(2, 3))
case("sub_broadcast_3d", lambda a, b: a - b, U(2, 1, 4), U(3, 1))
case("sub_alpha", lambda a, b: torch.sub(a, b, alpha=0.75), U(2, 3), U(3))
case("sub_scalar", lambda a: ATEN.sub.Scalar(a, 2.5), U(2, 3))
case("sub_scalar_lhs", lambda a: torch.empty_like(a).fill_(2.5).sub_(a), U(2, 3))
case("mul_same", lambda a, b: a * b, U(2, 3), U(2, 3))
case("mul_broadcast", lambda a, b: a * b, U(2, 3, 4), U(1, 4))
case("mul_broadcast_3d", lambda a, b: a * b, U(2, 1, 4), U(3, 1))
case("mul_size1", lambda a, b: torch.mul(a, b), U(1, 3), U(2, 1))
case("mul_scalar", lambda a: ATEN.mul.Scalar(a, 3.0), U(2, 3))
case("mul_scalar_lhs", lambda a: ATEN.mul.Scalar(a, -2.0), U(2, 3))
case("mul_self", lambda a: a * a, U(2, 3))
case("mul_extreme", lambda a, b: a * b, L([2, 3], EXTREME6), L([2, 3], [30.0, -100.0, 1e-8, -30.0, 100.0, -1e-8]))
case("div_same", lambda a, b: a / b, U(2, 3), S(2, 3, lo=0.5, hi=2.0))
case("div_broadcast_row", lambda a, b: a / b, U(2, 3), S(3, lo=0.5, hi=2.0))
case("div_broadcast_3d", lambda a, b: torch.div(a, b), U(2, 1, 4), S(3, 1, lo=0.5, hi=2.0))
case("div_scalar", lambda a: ATEN.div.Scalar(a, 4.0), U(2, 3))
case("div_scalar_lhs", lambda a: torch.empty_like(a).fill_(2.0).div_(a), S(2, 3, lo=0.5, hi=2.0))
case("div_extreme", lambda a, b: a / b, L([2, 3], EXTREME6), L([2, 3], [1e-3, -30.0, 100.0, -1e-3, 2.0, -100.0]))
case("neg", lambda a: -a, U(2, 3))
case("neg_method", lambda a: a.neg().mul(a), U(2, 3))

# ---- pow --------------------------------------------------------------------------------------
case("pow_scalar_2", lambda a: a.pow(2.0), U(2, 3, lo=-2, hi=2))
case("pow_scalar_3", lambda a: a.pow(3.0), U(2, 3, lo=-2, hi=2))
case("pow_scalar_int_3", lambda a: torch.pow(a, 3), U(2, 3, lo=-2, hi=2))
case("pow_scalar_0_5", lambda a: a.pow(0.5), P(2, 3))
case("pow_scalar_neg1_5", lambda a: a.pow(-1.5), P(2, 3))
case("pow_scalar_1", lambda a: a.pow(1.0), U(2, 3))
case("pow_scalar_0", lambda a: a.pow(0.0), U(2, 3))
case("pow_scalar_0_5_extreme", lambda a: a.pow(0.5), L([2, 3], [1e-10, 1e-4, 0.5, 3.0, 1e4, 1e10]))
case("pow_tensor", lambda a, b: a.pow(b), P(2, 3), U(2, 3, lo=-2, hi=2))
case("pow_tensor_broadcast", lambda a, b: torch.pow(a, b), P(2, 3), U(3, lo=-2, hi=2))
case("pow_tensor_broadcast_base", lambda a, b: torch.pow(a, b), P(3), U(2, 3, lo=-2, hi=2))
case("pow_scalar_base", lambda b: torch.pow(2.0, b), U(2, 3, lo=-3, hi=3))
case("pow_scalar_base_e", lambda b: torch.pow(0.5, b), L([2, 3], [-30.0, -1.0, -1e-8, 1e-8, 1.0, 30.0]))

# ---- unary pointwise --------------------------------------------------------------------------
case("exp", lambda a: a.exp(), U(2, 3, lo=-2, hi=2))
case("exp_extreme", lambda a: torch.exp(a), L([2, 3], EXTREME6))
case("log", lambda a: a.log(), P(2, 3, lo=0.1, hi=5.0))
case("log_extreme", lambda a: torch.log(a), L([2, 3], [1e-8, 1e-3, 0.999999, 1.000001, 1e3, 1e8]))
case("log1p", lambda a: a.log1p(), U(2, 3, lo=-0.5, hi=3.0))
case("log1p_extreme", lambda a: torch.log1p(a), L([2, 3], [-0.999999, -1e-10, 1e-300, 1e-8, 1e3, 1e8]))
case("expm1", lambda a: a.expm1(), U(2, 3, lo=-2, hi=2))
case("expm1_extreme", lambda a: torch.expm1(a), L([2, 3], [-30.0, -1e-8, -1e-300, 1e-300, 1e-8, 30.0]))
case("sqrt", lambda a: a.sqrt(), P(2, 3, lo=0.1, hi=5.0))
case("sqrt_extreme", lambda a: torch.sqrt(a), L([2, 3], [1e-10, 1e-4, 1.0, 1e4, 1e10, 1e100]))
case("abs", lambda a: a.abs(), S(2, 3))
case("abs_extreme", lambda a: torch.abs(a), L([2, 3], EXTREME6))
case("sin", lambda a: a.sin(), U(2, 3, lo=-4, hi=4))
case("sin_extreme", lambda a: torch.sin(a), L([2, 3], EXTREME6))
case("cos", lambda a: a.cos(), U(2, 3, lo=-4, hi=4))
case("cos_extreme", lambda a: torch.cos(a), L([2, 3], EXTREME6))
case("square", lambda a: a.square(), U(2, 3, lo=-2, hi=2))
case("square_extreme", lambda a: torch.square(a), L([2, 3], [-1e100, -30.0, -1e-8, 1e-8, 30.0, 1e100]))
case("sigmoid", lambda a: a.sigmoid(), U(2, 3, lo=-4, hi=4))
case("sigmoid_extreme", lambda a: torch.sigmoid(a), L([2, 3], EXTREME6))
case("tanh", lambda a: a.tanh(), U(2, 3, lo=-3, hi=3))
case("tanh_extreme", lambda a: torch.tanh(a), L([2, 3], EXTREME6))
case("relu", lambda a: a.relu(), S(2, 3))
case("relu_extreme", lambda a: torch.relu(a), L([2, 3], EXTREME6))
case("relu_3d", lambda a: torch.relu(a), S(2, 3, 4))

# ---- clamp ------------------------------------------------------------------------------------
case("clamp_both", lambda a: a.clamp(-0.5, 0.8), AWAY(2, 3, 4, points=[-0.5, 0.8], lo=-2, hi=2))
case("clamp_min_only", lambda a: torch.clamp(a, min=-0.3), AWAY(2, 3, points=[-0.3], lo=-2, hi=2))
case("clamp_max_only", lambda a: torch.clamp(a, max=0.4), AWAY(2, 3, points=[0.4], lo=-2, hi=2))
case("clamp_extreme", lambda a: a.clamp(-50.0, 50.0), L([2, 3], EXTREME6))
case("clamp_near_bounds", lambda a: a.clamp(-1.0, 1.0),
     L([2, 3], [-1.0 - 1e-9, -1.0 + 1e-9, 0.0, 1.0 - 1e-9, 1.0 + 1e-9, 3.0]))
case("clamp_min", lambda a: a.clamp_min(0.25), AWAY(2, 3, points=[0.25], lo=-2, hi=2))
case("clamp_max", lambda a: torch.clamp_max(a, -0.25), AWAY(2, 3, points=[-0.25], lo=-2, hi=2))
case("clamp_then_square", lambda a: a.clamp(-0.5, 0.8).square(), AWAY(2, 3, points=[-0.5, 0.8], lo=-2, hi=2))

# ---- maximum / minimum / where ------------------------------------------------------------------
_f, _s = PAIR_NO_TIES([2, 3], [2, 3])
case("maximum", lambda a, b: torch.maximum(a, b), _f, _s)
case("minimum", lambda a, b: a.minimum(b), _f, _s)
_f, _s = PAIR_NO_TIES([2, 3], [3])
case("maximum_broadcast", lambda a, b: a.maximum(b), _f, _s)
case("minimum_broadcast", lambda a, b: torch.minimum(a, b), _f, _s)
case("maximum_square", lambda a, b: torch.maximum(a, b).square(), *PAIR_NO_TIES([2, 3], [2, 3]))
case("where", lambda a, b: torch.where(mask23(), a, b), U(2, 3), U(2, 3))
case("where_broadcast", lambda a, b: torch.where(mask23(), a, b), U(2, 3), U(3))
case("where_scalar_other", lambda a: torch.where(mask23(), a, 0.5), U(2, 3))
case("where_scalar_self", lambda b: torch.where(mask23(), -0.5, b), U(2, 3))
case("masked_fill", lambda a: a.masked_fill(mask23(), 2.5), U(2, 3))
case("masked_fill_broadcast", lambda a: a.masked_fill(mask23()[0], -1.0) * a, U(4, 3))
case("where_square", lambda a, b: torch.where(mask23(), a * a, b.exp()), U(2, 3), U(2, 3))

# ---- reductions -------------------------------------------------------------------------------
case("sum_all", lambda a: a.sum(), U(2, 3, 4))
case("var_all", lambda a: a.var(), U(2, 3), node=False)
case("var_all_biased", lambda a: torch.var(a, unbiased=False), U(2, 3), node=False)
case("var_dim1", lambda a: a.var(1), U(2, 3, 4), node=False)
case("var_dims_biased_keepdim", lambda a: torch.var(a, (0, 2), unbiased=False, keepdim=True), U(2, 3, 4), node=False)
case("std_all", lambda a: a.std(), U(2, 3), node=False)
case("std_dim0", lambda a: a.std(0), U(3, 4), node=False)
case("std_dims_biased_keepdim", lambda a: torch.std(a, (0, -1), unbiased=False, keepdim=True), U(2, 3, 4), node=False)
# ---- padding, normalize (tg::pad / F::pad, F::normalize); var, std, pad and normalize are composed
# of other ops in tensorgrad (docs/architecture.md, "Composed ops"), so their nodes are not compared.
# The non-constant pads are squared: their own second derivative is zero, which torch returns as a
# zero tensor and tensorgrad (an index_select) as no tensor; squared, both are defined and nonzero.
case("pad_constant", lambda a: F.pad(a, (1, 2)), U(2, 3), node=False)
case("pad_constant_value_2d", lambda a: F.pad(a, (1, 0, 2, 1), value=-1.5), U(2, 3, 4), node=False)
case("pad_constant_negative", lambda a: F.pad(a, (-1, 2, 0, -1)), U(3, 4), node=False)
case("pad_reflect_1d", lambda a: F.pad(a, (2, 1), mode="reflect").square(), U(2, 3, 4), node=False)
case("pad_reflect_2d", lambda a: F.pad(a, (1, 2, 2, 1), mode="reflect").square(), U(1, 2, 3, 4), node=False)
case("pad_replicate_1d", lambda a: F.pad(a, (3, 1), mode="replicate").square(), U(2, 3, 4), node=False)
case("pad_replicate_3d", lambda a: F.pad(a, (1, 1, 2, 0, 0, 1), mode="replicate").square(), U(1, 1, 2, 3, 2), node=False)
case("pad_circular_1d", lambda a: F.pad(a, (2, 3), mode="circular").square(), U(1, 2, 4), node=False)
case("pad_circular_2d", lambda a: F.pad(a, (1, -1, 2, 1), mode="circular").square(), U(1, 2, 3, 4), node=False)
case("normalize_default", lambda a: F.normalize(a), U(3, 4), node=False)
case("normalize_p1_dim_neg1", lambda a: F.normalize(a, p=1.0, dim=-1), S(2, 3, 4), node=False)
case("normalize_p3_dim0", lambda a: F.normalize(a, p=3.0, dim=0), U(3, 4), node=False)
case("sum_dim0", lambda a: a.sum(0), U(2, 3, 4))
case("sum_dim1_keepdim", lambda a: a.sum(1, keepdim=True), U(2, 3, 4))
case("sum_dims", lambda a: torch.sum(a, (0, 2)), U(2, 3, 4))
case("sum_neg_dim", lambda a: a.sum(-1), U(2, 3, 4))
case("sum_dims_keepdim", lambda a: a.sum((0, -1), keepdim=True), U(2, 3, 4))
case("sum_square", lambda a: (a * a).sum(1), U(2, 3, 4))
case("mean_all", lambda a: a.mean(), U(2, 3, 4))
case("mean_dim", lambda a: a.mean(1), U(2, 3, 4))
case("mean_dim_keepdim", lambda a: torch.mean(a, -1, keepdim=True), U(2, 3, 4))
case("mean_dims", lambda a: a.mean((0, 2)), U(2, 3, 4))
case("mean_dims_keepdim", lambda a: a.mean((1, 2), keepdim=True), U(2, 3, 4))
case("mean_square", lambda a: a.square().mean(0), U(2, 3, 4))
case("max_all", lambda a: a.max(), U(2, 3, 4))
case("min_all", lambda a: torch.min(a), U(2, 3, 4))
case("max_dim", lambda a: a.max(1)[0], U(2, 3, 4))
case("max_dim_keepdim", lambda a: torch.max(a, -1, keepdim=True)[0], U(2, 3, 4))
case("min_dim", lambda a: a.min(0)[0], U(2, 3, 4))
case("min_dim_keepdim", lambda a: torch.min(a, 2, keepdim=True)[0], U(2, 3, 4))
case("max_dim_square", lambda a: a.max(1)[0].square(), U(2, 3, 4))
case("norm_2", lambda a: ATEN.norm.Scalar(a, 2), U(2, 3, 4))
case("norm_2_extreme", lambda a: ATEN.norm.Scalar(a, 2), L([2, 3], EXTREME6))
case("norm_1", lambda a: ATEN.norm.Scalar(a, 1), S(2, 3, 4))
case("norm_3", lambda a: ATEN.norm.Scalar(a, 3), S(2, 3, 4))
case("norm_2_dim", lambda a: a.norm(2, 1), U(2, 3, 4))
case("norm_2_dims_keepdim", lambda a: torch.norm(a, 2, (0, 2), keepdim=True), U(2, 3, 4))
case("norm_1_dim", lambda a: a.norm(1, -1), S(2, 3, 4))
case("norm_3_dim", lambda a: a.norm(3, 0), S(2, 3, 4))
case("norm_3_dims_keepdim", lambda a: a.norm(3, (1, 2), keepdim=True), S(2, 3, 4))

# ---- shape ------------------------------------------------------------------------------------
# Each shape op alone (its gradient is constant: second derivatives are None), and followed by
# sin (the second derivative then flows through the op's backward).
SHAPE_OPS = [
    ("reshape", lambda a: a.reshape(4, 6), U(2, 3, 4)),
    ("reshape_infer", lambda a: torch.reshape(a, (-1, 4)), U(2, 3, 4)),
    ("view", lambda a: a.view(6, 4), U(2, 3, 4)),
    ("view_infer", lambda a: a.view(2, -1), U(2, 3, 4)),
    ("flatten", lambda a: a.flatten(), U(2, 3, 4)),
    ("flatten_from1", lambda a: torch.flatten(a, 1), U(2, 3, 4)),
    ("flatten_mid", lambda a: a.flatten(0, 1), U(2, 3, 4)),
    ("t", lambda a: a.t(), U(2, 3)),
    ("transpose", lambda a: a.transpose(0, 2), U(2, 3, 4)),
    ("transpose_neg", lambda a: torch.transpose(a, -1, -2), U(2, 3, 4)),
    ("permute", lambda a: a.permute(2, 0, 1), U(2, 3, 4)),
    ("unsqueeze", lambda a: a.unsqueeze(1), U(2, 3)),
    ("unsqueeze_neg", lambda a: torch.unsqueeze(a, -1), U(2, 3)),
    ("squeeze", lambda a: a.squeeze(), U(2, 1, 3, 1)),
    ("squeeze_dim", lambda a: a.squeeze(1), U(2, 1, 3)),
    ("squeeze_dim_noop", lambda a: torch.squeeze(a, 0), U(2, 1, 3)),
    ("select", lambda a: a.select(1, 2), U(2, 3, 4)),
    ("select_neg", lambda a: torch.select(a, 0, -1), U(2, 3, 4)),
    ("index", lambda a: a[1], U(2, 3, 4)),
    ("narrow", lambda a: a.narrow(1, 1, 2), U(2, 3, 4)),
    ("narrow_last", lambda a: torch.narrow(a, -1, 0, 3), U(2, 3, 4)),
    ("expand", lambda a: a.expand(2, 3, 4), U(3, 1)),
    ("expand_infer", lambda a: a.expand(2, -1, 4), U(1, 3, 1)),
    ("expand_as", lambda a: a.expand_as(torch.zeros(2, 3)), U(3)),
    ("clone", lambda a: a.clone(), U(2, 3)),
    ("alias", lambda a: torch.ops.aten.alias(a), U(2, 3)),
    ("alias_t", lambda a: torch.ops.aten.alias(a.t()) * a.t(), U(2, 3)),
    ("contiguous_t", lambda a: a.t().contiguous(), U(2, 3)),
    ("contiguous_t_view", lambda a: a.transpose(0, 1).contiguous().view(-1), U(2, 3, 2)),
]
for _name, _fn, _inp in SHAPE_OPS:
    case(_name, _fn, _inp)
    case(_name + "_sin", (lambda fn: lambda a: fn(a).sin())(_fn), _inp)

# mv / dot, the in-place squeeze_ / unsqueeze_ (on a copy, as in-place ops need a non-leaf), and
# chunk / split / unbind pieces: libtorch gives all pieces one SplitBackward0 / UnbindBackward0
# node, tensorgrad one view node per piece (docs/libtorch.md), so those record no node name.
case("mv", lambda m, v: torch.mv(m, v), U(3, 4), U(4))
case("dot", lambda a, b: torch.dot(a, b), U(5), U(5))
case("squeeze_inplace", lambda a: (a * 1).squeeze_(), U(2, 1, 3))
case("squeeze_dim_inplace", lambda a: (a * 1).squeeze_(1), U(2, 1, 3))
case("unsqueeze_inplace", lambda a: (a * 1).unsqueeze_(0), U(2, 3))
case("chunk_piece", lambda a: a.chunk(3, 0)[2] * a.chunk(3, 0)[0], U(5, 2), node=False)
case("split_piece", lambda a: a.split(2, 1)[1].exp(), U(3, 5), node=False)
case("unbind_piece", lambda a: a.unbind(1)[2] * a.unbind(1)[0], U(3, 4), node=False)

# Python indexing, as x.index({...}) spells it in C++. Integer and slice entries give libtorch's
# view nodes. A tensor index gives IndexBackward0; these cases were recorded when tensorgrad gave
# index_select's node instead, so they record no node name (ADVANCED_INDEX_CASES below do).
INDEX_CASES = [
    ("index_slice_int", lambda a: a[:, 0], None),
    ("index_ellipsis_step", lambda a: a[..., 1::2], None),
    ("index_none_int", lambda a: a[None, 1], None),
    ("index_neg_step", lambda a: a[-1, :, ::3], None),
    ("index_ranges", lambda a: a[1:, -2:], None),
    ("index_slice_then_ellipsis_int", lambda a: a[:, 1:3][..., 0], None),
    ("index_long_tensor", lambda a: a[:, torch.tensor([2, 0, 2])], False),
    ("index_long_tensor_2d", lambda a: a[torch.tensor([[1, 0], [0, 1]])], False),
    ("index_bool_mask", lambda a: a[mask23()], False),
]
for _name, _fn, _node in INDEX_CASES:
    case(_name, _fn, U(2, 3, 4), node=_node)
    case(_name + "_sin", (lambda fn: lambda a: fn(a).sin())(_fn), U(2, 3, 4))

# Advanced indexing (several index tensors, broadcast together; numpy's placement of their dims), index_put with
# int64 tensor indices and accumulate, and masked_select. The C++ lambdas spell the same index in tg::indexing
# (x.index({...})) or in libtorch's tensor-list form (tg::index(x, {...}), index_put(...)), which aten.index /
# aten.index_put take here. Setting through basic entries as well (y[:, idx] = v) gives torch::autograd::CopySlices
# in libtorch and IndexPutBackward0 in tensorgrad (docs/libtorch.md), so those cases record no node name.
I = torch.tensor


def setitem(index):
    """y = a * 1; y[index] = v; return y: Python's assignment, x.index_put_({...}, v) in C++."""
    def f(a, v):
        y = a * 1
        y[index] = v
        return y
    return f


ADVANCED_INDEX_CASES = [
    ("index_two_tensors", lambda a: a[I([1, 0, 1]), I([2, 2, 0])]),
    ("index_tensors_broadcast_apart", lambda a: a[I([[0], [1]]), :, I([3, 0, 1])]),
    ("index_tensors_adjacent_after_slice", lambda a: a[:, I([2, 0]), I([[1], [3]])]),
    ("index_int_slice_tensor", lambda a: a[0, :, I([3, 1])]),
    ("index_tensor_none_tensor", lambda a: a[I([1, 0]), None, I([2, 1])]),
    ("index_mask_then_tensor", lambda a: a[mask23(), I([0, 3, 1])]),
    ("index_ellipsis_two_tensors", lambda a: a[..., I([0, 2]), I([3, 2])]),
    ("index_tensor_slice_bool", lambda a: a[I([1, 0]), :, True]),
    ("index_tensors_duplicates", lambda a: a[I([1, 1, 0, 1]), I([2, 2, 2, 2])]),
    ("index_tensors_negative", lambda a: a[I([-1, 0]), :, I([-4, 3])]),
    ("index_list_form", lambda a: ATEN.index(a, [I([1, 0, 1]), None, I([0, 3, 3])])),
    ("index_list_form_zero_dim", lambda a: ATEN.index(a, [I(1), None, I([0, 2])])),
]
for _name, _fn in ADVANCED_INDEX_CASES:
    case(_name, _fn, U(2, 3, 4))
    case(_name + "_sin", (lambda fn: lambda a: fn(a).sin())(_fn), U(2, 3, 4))

INDEX_PUT_CASES = [
    ("index_put_two", lambda a, v: a.index_put((I([0, 2, 0]), I([1, 1, 3])), v), U(3, 4), U(3), None),
    ("index_put_broadcast_values", lambda a, v: a.index_put((I([1, 0]),), v), U(2, 3, 4), U(4), None),
    ("index_put_accumulate", lambda a, v: a.index_put((I([0, 0, 2, 0]), I([1, 1, 3, 1])), v, accumulate=True),
     U(3, 4), U(4), None),
    ("index_put_accumulate_list", lambda a, v: ATEN.index_put(a, [None, I([1, 1])], v, True), U(2, 3, 4), U(2, 4),
     None),
    ("index_put_inplace", lambda a, v: (a * 1).index_put_((I([1, 0]), I([2, 2])), v), U(2, 3, 4), U(1, 4), None),
    ("index_put_inplace_accumulate", lambda a, v: (a * 1).index_put_((I([1, 1]),), v, accumulate=True),
     U(2, 3), U(3), None),
    ("index_put_setitem_tensors", setitem((I([1, 0]), I([2, 0]))), U(2, 3, 4), U(4), None),
    ("index_put_setitem_mask", setitem(mask23()), U(2, 3, 4), U(3, 4), None),
    ("index_put_setitem_slice_tensor", setitem((slice(None), I([2, 0]))), U(2, 3, 4), U(2, 1), False),
    ("index_put_setitem_basic", setitem((slice(None), slice(1, 3))), U(2, 3, 4), U(4), False),
]
for _name, _fn, _a, _v, _node in INDEX_PUT_CASES:
    case(_name, _fn, _a, _v, node=_node)
    case(_name + "_sin", (lambda fn: lambda a, v: (fn(a, v) * v.sum()).sin())(_fn), _a, _v)

case("masked_select", lambda a: a.masked_select(mask23()), U(2, 3))
case("masked_select_sin", lambda a: torch.masked_select(a, mask23()).sin(), U(2, 3))
case("masked_select_broadcast_mask", lambda a: a.masked_select(mask23()[1]), U(4, 3))
case("masked_select_broadcast_self", lambda a: torch.masked_select(a, mask23()), U(3))
case("masked_select_broadcast_self_sin", lambda a: a.masked_select(mask23()).sin() * a.sum(), U(3))

case("transpose_then_mul", lambda a, b: a.t() * b, U(2, 3), U(3, 2))
case("permute_then_matmul", lambda a, b: a.permute(1, 0, 2).matmul(b), U(2, 3, 4), U(4, 2))
case("cat_dim0", lambda a, b, c: torch.cat([a, b, c], 0), U(2, 3), U(1, 3), U(3, 3))
case("cat_dim1", lambda a, b: torch.cat([a, b], 1), U(2, 1), U(2, 3))
case("cat_neg_dim", lambda a, b: torch.cat([a, b], -1), U(2, 2, 3), U(2, 2, 1))
case("cat_sin", lambda a, b: torch.cat([a, b.square()], 0).sin(), U(2, 3), U(2, 3))
case("stack_dim0", lambda a, b, c: torch.stack([a, b, c]), U(2, 3), U(2, 3), U(2, 3))
case("stack_dim1", lambda a, b: torch.stack([a, b], 1), U(2, 3), U(2, 3))
case("stack_neg_dim", lambda a, b: torch.stack([a, b], -1), U(2, 3), U(2, 3))
case("stack_sin", lambda a, b: torch.stack([a * b, b], 0).sin(), U(2, 3), U(2, 3))

# ---- matmul / mm --------------------------------------------------------------------------------
case("matmul_dot", lambda a, b: a.matmul(b), U(3), U(3))
case("matmul_mv", lambda a, b: torch.matmul(a, b), U(2, 3), U(3))
case("matmul_vm", lambda a, b: a.matmul(b), U(3), U(3, 4))
case("matmul_mm", lambda a, b: a.matmul(b), U(2, 3), U(3, 4))
case("matmul_bmm", lambda a, b: a.matmul(b), U(2, 2, 3), U(2, 3, 4))
case("matmul_batch_2d", lambda a, b: torch.matmul(a, b), U(2, 2, 3), U(3, 4))
case("matmul_2d_batch", lambda a, b: torch.matmul(a, b), U(2, 3), U(2, 3, 4))
case("matmul_batch_1d", lambda a, b: a.matmul(b), U(2, 2, 3), U(3))
case("matmul_1d_batch", lambda a, b: a.matmul(b), U(3), U(2, 3, 4))
case("matmul_broadcast_4d", lambda a, b: a.matmul(b), U(2, 1, 2, 3), U(3, 3, 2))
case("matmul_self", lambda a: a.matmul(a), U(3, 3))
case("matmul_square", lambda a, b: a.matmul(b).square(), U(2, 3), U(3, 4))
case("mm", lambda a, b: a.mm(b), U(2, 3), U(3, 4))
case("mm_free", lambda a, b: torch.mm(a, b), U(3, 1), U(1, 2))
case("mm_transposed", lambda a, b: a.t().mm(b.t()), U(3, 2), U(4, 3))
case("addmm_square", lambda s, a, b: torch.addmm(s, a, b).square(), U(2, 4), U(2, 3), U(3, 4), node=False)
case("addmm_broadcast_beta_alpha", lambda s, a, b: s.addmm(a, b, beta=0.5, alpha=2.0).square(), U(4), U(2, 3),
     U(3, 4), node=False)

# ---- composite expressions ----------------------------------------------------------------------
case("expr_xx_plus_siny_x", lambda x, y: x * x + torch.sin(y) * x, U(2, 3), U(2, 3))
case("expr_reuse", lambda x: (lambda y: y * y + y)(x.sin()), U(2, 3))
case("expr_chain_broadcast", lambda x, y, z: x.sin().exp() * y.sqrt() / (1.0 + z * z),
     U(2, 3), P(3), U(2, 1))
case("expr_softplus", lambda x: (1.0 + x.exp()).log(), U(2, 3, lo=-3, hi=3))
case("expr_softmax", lambda x: (lambda e: e / e.sum(1, keepdim=True))((x - x.max(1, keepdim=True)[0]).exp()),
     U(2, 4, lo=-2, hi=2))
case("expr_logsumexp", lambda x: (lambda m: (x - m).exp().sum(-1, keepdim=True).log() + m)(x.max(-1, keepdim=True)[0]),
     U(3, 4, lo=-2, hi=2))
case("expr_layernorm",
     lambda x: (lambda c: c / (c.square().mean(-1, keepdim=True) + 1e-5).sqrt())(x - x.mean(-1, keepdim=True)),
     U(2, 3, 4, lo=-2, hi=2))
case("expr_mlp_tanh_mse",
     lambda x, w1, b1, w2, b2, t: (torch.tanh(x.matmul(w1) + b1).matmul(w2) + b2 - t).pow(2).mean(),
     U(4, 3), U(3, 5), U(5), U(5, 2), U(2), U(4, 2))
case("expr_mlp_relu_sigmoid",
     lambda x, w1, b1, w2, t: (lambda y: ATEN.div.Scalar(((y - t) * (y - t)).sum(), 4.0))((x.mm(w1) + b1).relu().mm(w2).sigmoid()),
     U(4, 3), U(3, 5), S(5, lo=0.05, hi=0.5), U(5, 2), U(4, 2))
case("expr_cosine_similarity",
     lambda a, b: (a * b).sum(-1) / (a.norm(2, -1) * b.norm(2, -1)), U(2, 3), U(2, 3))
case("expr_rational", lambda x, y: (x - y) / (x * x + y * y + 1.0), U(2, 3), U(3))


# ---------------------------------------------------------------------------------------------

def fmt(t):
    if t._is_zerotensor():  # torch's "efficient zero tensor" (some backward rules return it)
        t = torch.zeros(t.shape, dtype=F64)
    t = t.detach().to(F64).contiguous()
    shape = " ".join(str(d) for d in t.shape)
    vals = " ".join(repr(float(v)) for v in t.reshape(-1).tolist())
    return "shape %s values %s" % (shape, vals) if shape else "shape values %s" % vals


def weight(g, shape):
    """A deterministic weight tensor: random sign, magnitude in [0.25, 1.25)."""
    return S(*shape, lo=0.25, hi=1.25)(g)


def run_case(name, fn, makers, node=None):
    g = _gen(name, 0)
    xs = []
    for m in makers:
        x = m(g, xs[0]) if getattr(m, "needs_first", False) else m(g)
        xs.append(x.detach().clone().requires_grad_(True))
    out = fn(*xs)
    assert out.dtype == F64, name
    gw = _gen(name, 1)
    w = weight(gw, out.shape)
    grads = torch.autograd.grad(out, xs, grad_outputs=w, create_graph=True)
    vs = [weight(gw, x.shape) for x in xs]
    s = sum((gi * vi).sum() for gi, vi in zip(grads, vs))
    if s.requires_grad:
        ggs = torch.autograd.grad(s, xs, allow_unused=True)
    else:
        ggs = [None] * len(xs)
    zt = [i for i, gg in enumerate(ggs) if gg is not None and gg._is_zerotensor()]
    if zt:
        print("note: %s: gradgrad %s is torch's efficient zero tensor (written as zeros)" % (name, zt))
    for t in [out, *grads] + [gg for gg in ggs if gg is not None and not gg._is_zerotensor()]:
        assert torch.isfinite(t).all(), "non-finite value in case " + name
    lines = ["case " + name]
    lines += ["input %d %s" % (i, fmt(x)) for i, x in enumerate(xs)]
    lines.append("gout " + fmt(w))
    lines.append("out " + fmt(out))
    if node is not False:  # see Note [Node names are libtorch's]
        named = out if node is None else node(*[x.detach().clone().requires_grad_(True) for x in xs])
        lines.append("node " + named.grad_fn.name())
    lines += ["grad %d %s" % (i, fmt(gi)) for i, gi in enumerate(grads)]
    lines += ["v %d %s" % (i, fmt(vi)) for i, vi in enumerate(vs)]
    lines += ["gradgrad %d none" % i if gg is None else "gradgrad %d %s" % (i, fmt(gg))
              for i, gg in enumerate(ggs)]
    lines.append("end")
    return "\n".join(lines) + "\n"


def read_blocks(path):
    """The header (the comment lines before the first case) and each case's block of text, by name."""
    header, blocks, name = [], {}, None
    with open(path) as f:
        for line in f:
            if name is None and line.startswith("case "):
                name = line.split()[1]
                blocks[name] = []
            if name is None:
                header.append(line)
                continue
            blocks[name].append(line)
            if line.strip() == "end":
                name = None
    return "".join(header), {n: "".join(b) for n, b in blocks.items()}


def main():
    """Rewrites the whole file; with --add-missing, computes only the cases the file lacks and merges them in CASES
    order, keeping the existing blocks byte-identical (a rerun of torch can change the last bits of old results, e.g.
    of matmul, which would rewrite blocks that nothing changed)."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "fixtures", "core_reference.txt")
    names = [c[0] for c in CASES]
    dup = sorted({n for n in names if names.count(n) > 1})
    assert not dup, "duplicate case names: %s" % dup
    for n in names:
        assert n.replace("_", "").isalnum() and n == n.lower(), "bad case name " + n
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    if "--add-missing" in sys.argv[1:]:
        header, old = read_blocks(path)
        stale = sorted(set(old) - set(names))
        assert not stale, "cases in the file but not in CASES: %s" % stale
        chunks = [header]
        added = 0
        for name, fn, makers, node in CASES:
            if name in old:
                chunks.append(old[name])
            else:
                chunks.append(run_case(name, fn, makers, node))
                added += 1
        with open(path, "w") as f:
            f.write("".join(chunks))
        print("added %d cases to %s (%d kept as they were)" % (added, path, len(old)))
        return 0
    chunks = ["# Reference values for tests/test_reference_core.cpp, generated by tests/gen_fixtures.py\n"
              "# with torch %s. Do not edit by hand: change the script and rerun it.\n" % torch.__version__]
    for name, fn, makers, node in CASES:
        chunks.append(run_case(name, fn, makers, node))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(chunks))
    print("wrote %d cases to %s (%d bytes)" % (len(CASES), path, os.path.getsize(path)))


if __name__ == "__main__":
    sys.exit(main())
