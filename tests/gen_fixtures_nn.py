#!/usr/bin/python3
"""Generates tests/fixtures/nn_reference.txt: reference values of the tg::nn modules, computed by
PyTorch's own torch.nn modules in float64.

Run with Debian's python3-torch (no pip needed):

    /usr/bin/python3 tests/gen_fixtures_nn.py

Every case writes the module's weights into the fixture (the C++ side copies them into a freshly
constructed module), the inputs, the weights `gout*` of the outputs, and what torch computed:
outputs, gradients of sum(out * gout) with respect to the inputs and every parameter, and buffers
(running statistics). The format is line based:

    case <name>
    <key> shape <d0 d1 ...> values <v ...>      one line per named array
    end

A scalar has no dims ("shape values 3.0"). Integer arrays (indices, num_batches_tracked) are
written as floats holding exact integers. Values are written with repr(float) so that they
round-trip exactly. Lines starting with '#' are comments. Key names follow one convention:
parameters by their PyTorch name (weight, bias, weight_ih, ...), inputs x / h / c, output
weights gout*, outputs out*, gradients grad_<name>.

The C++ side (tests/test_nn_reference.cpp) holds a lambda for every case name; the two lists are
checked against each other by a test, so a case added here needs its lambda there.
"""

import os
import zlib

import torch
import torch.nn as nn

torch.set_default_dtype(torch.float64)
F64 = torch.float64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "nn_reference.txt")

CASES = []


def case(fn):
    """Registers fn(g) -> list of (key, tensor) under fn's name."""
    CASES.append((fn.__name__, fn))
    return fn


def gen(name):
    g = torch.Generator()
    g.manual_seed(zlib.crc32(name.encode()) % (2**63))
    return g


def U(g, *shape, lo=-1.0, hi=1.0):
    return lo + (hi - lo) * torch.rand(shape, generator=g, dtype=F64)


def fmt(t):
    t = t.detach().to(F64).contiguous()
    dims = " ".join(str(d) for d in t.shape)
    vals = " ".join(repr(float(v)) for v in t.reshape(-1).tolist())
    return f"shape {dims} values {vals}".replace("shape  values", "shape values")


def set_params(module, g, **ranges):
    """Overwrites every parameter of module with uniform values (per-name ranges optional)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            lo, hi = ranges.get(name, (-1.0, 1.0))
            p.copy_(U(g, *p.shape, lo=lo, hi=hi))


def params(module, prefix=""):
    return [(prefix + n, p.detach().clone()) for n, p in module.named_parameters()]


def grads(module, prefix=""):
    return [("grad_" + prefix + n, p.grad.detach().clone()) for n, p in module.named_parameters()]


# ---- Linear ------------------------------------------------------------------------------------


def linear_case(g, x_shape, in_f, out_f, bias):
    m = nn.Linear(in_f, out_f, bias=bias)
    set_params(m, g)
    x = U(g, *x_shape).requires_grad_()
    out = m(x)
    gout = U(g, *out.shape)
    (out * gout).sum().backward()
    return params(m) + [("x", x), ("gout", gout), ("out", out), ("grad_x", x.grad)] + grads(m)


@case
def linear_bias(g):
    return linear_case(g, (4, 3), 3, 5, True)


@case
def linear_nobias(g):
    return linear_case(g, (4, 3), 3, 5, False)


@case
def linear_bias_3d_input(g):
    return linear_case(g, (2, 3, 4), 4, 2, True)


# ---- BatchNorm1d ---------------------------------------------------------------------------------


def batchnorm_case(g, shape, momentum=0.1, eps=1e-5):
    """Two training passes (output and gradients of each, buffers after both), then eval."""
    C = shape[1]
    m = nn.BatchNorm1d(C, eps=eps, momentum=momentum)
    set_params(m, g, weight=(0.5, 2.0))
    rows = params(m)
    m.train()
    for k in (1, 2):
        x = U(g, *shape, lo=-2.0, hi=3.0).requires_grad_()
        out = m(x)
        gout = U(g, *out.shape)
        m.zero_grad()
        (out * gout).sum().backward()
        rows += [(f"x{k}", x), (f"gout{k}", gout), (f"out{k}", out), (f"grad_x{k}", x.grad),
                 (f"grad_weight{k}", m.weight.grad.clone()), (f"grad_bias{k}", m.bias.grad.clone())]
    rows += [("running_mean", m.running_mean.clone()), ("running_var", m.running_var.clone()),
             ("num_batches_tracked", m.num_batches_tracked.clone())]
    m.eval()
    x = U(g, *shape, lo=-2.0, hi=3.0).requires_grad_()
    out = m(x)
    gout = U(g, *out.shape)
    m.zero_grad()
    (out * gout).sum().backward()
    rows += [("x_eval", x), ("gout_eval", gout), ("out_eval", out), ("grad_x_eval", x.grad),
             ("grad_weight_eval", m.weight.grad.clone()), ("grad_bias_eval", m.bias.grad.clone())]
    # eval must not touch the buffers
    rows += [("running_mean_after_eval", m.running_mean.clone()),
             ("running_var_after_eval", m.running_var.clone())]
    return rows


@case
def batchnorm1d_2d(g):
    return batchnorm_case(g, (6, 4))


@case
def batchnorm1d_3d(g):
    return batchnorm_case(g, (4, 3, 5))


@case
def batchnorm1d_3d_momentum_eps(g):
    return batchnorm_case(g, (3, 2, 4), momentum=0.3, eps=1e-3)


# ---- LayerNorm -----------------------------------------------------------------------------------


def layernorm_case(g, shape, normalized):
    m = nn.LayerNorm(normalized)
    set_params(m, g, weight=(0.5, 2.0))
    x = U(g, *shape, lo=-2.0, hi=3.0).requires_grad_()
    out = m(x)
    gout = U(g, *out.shape)
    (out * gout).sum().backward()
    return params(m) + [("x", x), ("gout", gout), ("out", out), ("grad_x", x.grad)] + grads(m)


@case
def layernorm_last_dim(g):
    return layernorm_case(g, (3, 4, 5), [5])


@case
def layernorm_last_two_dims(g):
    return layernorm_case(g, (3, 4, 5), [4, 5])


# ---- Embedding -----------------------------------------------------------------------------------


@case
def embedding_repeated_indices(g):
    m = nn.Embedding(6, 3)
    set_params(m, g)
    idx = torch.tensor([[0, 2, 2, 5], [2, 1, 0, 2]], dtype=torch.int64)
    out = m(idx)
    gout = U(g, *out.shape)
    (out * gout).sum().backward()
    return params(m) + [("indices", idx), ("gout", gout), ("out", out)] + grads(m)


# ---- recurrent cells -----------------------------------------------------------------------------


@case
def lstmcell_step(g):
    m = nn.LSTMCell(3, 4)
    set_params(m, g)
    x = U(g, 2, 3).requires_grad_()
    h = U(g, 2, 4).requires_grad_()
    c = U(g, 2, 4, lo=-2.0, hi=2.0).requires_grad_()
    h2, c2 = m(x, (h, c))
    gout_h, gout_c = U(g, *h2.shape), U(g, *c2.shape)
    ((h2 * gout_h).sum() + (c2 * gout_c).sum()).backward()
    return params(m) + [("x", x), ("h", h), ("c", c), ("gout_h", gout_h), ("gout_c", gout_c),
                        ("out_h", h2), ("out_c", c2), ("grad_x", x.grad), ("grad_h", h.grad),
                        ("grad_c", c.grad)] + grads(m)


@case
def lstmcell_zero_state(g):
    m = nn.LSTMCell(3, 2)
    set_params(m, g)
    x = U(g, 3, 3).requires_grad_()
    h2, c2 = m(x)
    gout_h, gout_c = U(g, *h2.shape), U(g, *c2.shape)
    ((h2 * gout_h).sum() + (c2 * gout_c).sum()).backward()
    return params(m) + [("x", x), ("gout_h", gout_h), ("gout_c", gout_c), ("out_h", h2),
                        ("out_c", c2), ("grad_x", x.grad)] + grads(m)


@case
def grucell_step(g):
    m = nn.GRUCell(3, 4)
    set_params(m, g)
    x = U(g, 2, 3).requires_grad_()
    h = U(g, 2, 4).requires_grad_()
    h2 = m(x, h)
    gout = U(g, *h2.shape)
    (h2 * gout).sum().backward()
    return params(m) + [("x", x), ("h", h), ("gout", gout), ("out", h2), ("grad_x", x.grad),
                        ("grad_h", h.grad)] + grads(m)


@case
def grucell_zero_state(g):
    m = nn.GRUCell(3, 2)
    set_params(m, g)
    x = U(g, 3, 3).requires_grad_()
    h2 = m(x)
    gout = U(g, *h2.shape)
    (h2 * gout).sum().backward()
    return params(m) + [("x", x), ("gout", gout), ("out", h2), ("grad_x", x.grad)] + grads(m)


# ---- PReLU ---------------------------------------------------------------------------------------


def prelu_case(g, num_parameters, shape):
    m = nn.PReLU(num_parameters)
    set_params(m, g, weight=(0.05, 0.6))
    # away from the kink at 0
    mag = U(g, *shape, lo=0.1, hi=2.0)
    sign = torch.where(U(g, *shape) < 0, -1.0, 1.0)
    x = (mag * sign).requires_grad_()
    out = m(x)
    gout = U(g, *out.shape)
    (out * gout).sum().backward()
    return params(m) + [("x", x), ("gout", gout), ("out", out), ("grad_x", x.grad)] + grads(m)


@case
def prelu_single(g):
    return prelu_case(g, 1, (3, 4, 5))


@case
def prelu_per_channel(g):
    return prelu_case(g, 4, (3, 4, 5))


@case
def prelu_per_channel_2d(g):
    return prelu_case(g, 5, (6, 5))


# ---- Dropout (eval) ------------------------------------------------------------------------------


@case
def dropout_eval(g):
    m = nn.Dropout(0.3)
    m.eval()
    x = U(g, 4, 5).requires_grad_()
    out = m(x)
    gout = U(g, *out.shape)
    (out * gout).sum().backward()
    return [("x", x), ("gout", gout), ("out", out), ("grad_x", x.grad)]


# ---- Sequential ----------------------------------------------------------------------------------


@case
def sequential_linear_tanh_linear(g):
    m = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    set_params(m, g)
    x = U(g, 4, 3).requires_grad_()
    out = m(x)
    gout = U(g, *out.shape)
    (out * gout).sum().backward()
    return params(m) + [("x", x), ("gout", gout), ("out", out), ("grad_x", x.grad)] + grads(m)


def main():
    lines = [
        "# Reference values for tests/test_nn_reference.cpp, generated by tests/gen_fixtures_nn.py",
        f"# with torch {torch.__version__}. Do not edit by hand: change the script and rerun it.",
    ]
    for name, fn in CASES:
        rows = fn(gen(name))
        keys = [k for k, _ in rows]
        assert len(keys) == len(set(keys)), f"duplicate key in {name}"
        lines.append(f"case {name}")
        for k, t in rows:
            lines.append(f"{k} {fmt(t)}")
        lines.append("end")
    with open(OUT, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {len(CASES)} cases to {OUT}")


if __name__ == "__main__":
    main()
