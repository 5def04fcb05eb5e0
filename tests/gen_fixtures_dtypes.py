#!/usr/bin/python3
"""Generates tests/fixtures/dtypes_reference.txt: how PyTorch itself treats every dtype.

Run with Debian's python3-torch (no pip needed):

    /usr/bin/python3 tests/gen_fixtures_dtypes.py

The file is plain text, one record per line ('#' starts a comment):

    promote <a> <b> <result>                   torch.promote_types(a, b), for every pair of dtypes
    round <dtype> <x> <y>                      the float32 value x stored as dtype reads back as y
    cast <from> <to> <x> <y>                   x (a value of dtype `from`) converted to `to` is y
    op <name> <dtype> <out dtype> shape <d...> in <k> <v...> ... out shape <d...> values <v...>
                                               the op `name` (see OPS) of inputs of dtype `dtype`
                                               and that shape (all inputs have it) gives a tensor
                                               of dtype `out dtype`, of that shape and values

Values are written with repr(float) (inf, -inf and nan spelled so). The C++ side is
tests/test_dtypes.cpp, which holds a lambda for every op name; a test checks the two lists match.
"""

import os
import sys

import torch
import torch.nn.functional as F

DTYPES = [("float32", torch.float32), ("float64", torch.float64), ("int64", torch.int64), ("bool", torch.bool),
          ("uint8", torch.uint8), ("int8", torch.int8), ("int16", torch.int16), ("int32", torch.int32),
          ("float16", torch.float16), ("bfloat16", torch.bfloat16)]
BY_NAME = dict(DTYPES)
NAME_OF = {v: k for k, v in DTYPES}

# float32 values whose rounding to 16 bits is worth pinning down: ties (to even), the largest
# finite values and what lies just beyond them, subnormals, signed zero, inf and NaN.
ROUND_VALUES = [0.0, -0.0, 1.0, -1.0, 0.1, 1.0 / 3.0, 3.14159265, 1.00390625, 1.01171875, 1.0 + 2.0 ** -11,
                1.0 + 3 * 2.0 ** -11, 1.0 + 2.0 ** -12, 65504.0, 65519.0, 65520.0, 1e5, 3.3895313892515355e38,
                3.3961e38, 2.0 ** -14, 2.0 ** -24, 2.0 ** -25, 3 * 2.0 ** -25, 2.0 ** -26, 5.9e-8, 1e-40,
                -1e-40, 1e-45, -123.456, float("inf"), float("-inf")]

# Values of each dtype converted to every other (floats to integers only within range: PyTorch's
# out-of-range conversion is undefined behaviour in C++).
CAST_VALUES = {
    "float32": [0.0, 1.5, -1.5, 2.7, -2.7, 100.9, -100.9, 200.0, 255.0, 1e4, 70000.0, 3.0e9],
    "float64": [0.0, 0.49999999999999994, 1.5, -2.5, 127.9, -128.9, 300.25, 1e-300],
    "int64": [0, 1, -1, 127, 128, 255, 256, -129, 32767, 32768, 65535, 2 ** 31 - 1, 2 ** 31, -2 ** 31 - 1,
              2 ** 40 + 3, 16777217],
    "int32": [0, -1, 255, 256, -32769, 2 ** 31 - 1, -2 ** 31, 16777217],
    "int16": [0, -1, 255, 256, -32768, 32767],
    "int8": [0, -1, -128, 127, 5],
    "uint8": [0, 1, 127, 128, 255],
    "bool": [0, 1],
    "float16": [0.0, -2.5, 65504.0, 0.0009765625, 300.5, float("inf")],
    "bfloat16": [0.0, -2.5, 1.0078125, 3.3895313892515355e38, 255.0, 256.0, float("-inf")],
}
FLOAT_TARGETS_ONLY_IN_RANGE = True


def r(v):
    return repr(float(v))


def fmt_values(t):
    return " ".join(r(v) for v in t.to(torch.float64).reshape(-1).tolist())


def fits(v, dt):
    if dt.is_floating_point or dt == torch.bool:
        return True
    info = torch.iinfo(dt)
    return info.min <= v < info.max + 1


def gen(seed):
    return torch.Generator().manual_seed(seed)


def floats(shape, dt, seed, lo=-3.0, hi=3.0):
    x = torch.rand(shape, generator=gen(seed), dtype=torch.float64) * (hi - lo) + lo
    return x.to(dt)


def ints(shape, dt, seed, lo, hi):
    return torch.randint(lo, hi, shape, generator=gen(seed), dtype=torch.int64).to(dt)


F_ = ["float16", "bfloat16"]
I_ = ["uint8", "int8", "int16", "int32"]

# name -> (function, how to make the inputs for a dtype, dtypes, shape)
OPS = {
    "add": (lambda a, b: a + b, 2, F_ + I_, (2, 3)),
    "sub": (lambda a, b: a - b, 2, F_ + I_, (2, 3)),
    "mul": (lambda a, b: a * b, 2, F_ + I_, (2, 3)),
    "div": (lambda a, b: a / b, 2, F_ + I_, (2, 3)),
    "add_scalar": (lambda a: a + 3, 1, F_ + I_, (5,)),
    "mul_float_scalar": (lambda a: a * 1.5, 1, F_ + I_, (5,)),
    "neg": (lambda a: -a, 1, F_ + ["int8", "int16", "int32"], (5,)),
    "abs": (lambda a: a.abs(), 1, F_ + ["int8", "int16", "int32"], (5,)),
    "gt": (lambda a, b: a > b, 2, F_ + I_, (2, 3)),
    "maximum": (lambda a, b: torch.maximum(a, b), 2, F_ + I_, (2, 3)),
    "sum": (lambda a: a.sum(), 1, F_ + I_, (3, 4)),
    "sum_dim": (lambda a: a.sum(1), 1, F_ + I_, (3, 4)),
    "mean": (lambda a: a.mean(), 1, F_, (3, 4)),
    "max": (lambda a: a.max(), 1, F_ + I_, (3, 4)),
    "argmax": (lambda a: a.argmax(1), 1, F_ + I_, (3, 4)),
    "matmul": (lambda a, b: a @ b.t(), 2, F_ + I_, (3, 3)),
    "exp": (lambda a: a.exp(), 1, F_, (6,)),
    "sigmoid": (lambda a: a.sigmoid(), 1, F_, (6,)),
    "tanh": (lambda a: a.tanh(), 1, F_, (6,)),
    "relu": (lambda a: F.relu(a), 1, F_ + I_, (6,)),
    "elu": (lambda a: F.elu(a, 0.42), 1, F_, (6,)),
    "gelu": (lambda a: F.gelu(a), 1, F_, (6,)),
    "silu": (lambda a: F.silu(a), 1, F_, (6,)),
    "leaky_relu": (lambda a: F.leaky_relu(a, 0.3), 1, F_, (6,)),
    "softplus": (lambda a: F.softplus(a), 1, F_, (6,)),
    "softmax": (lambda a: F.softmax(a, 1), 1, F_, (2, 4)),
    "log_softmax": (lambda a: F.log_softmax(a, 1), 1, F_, (2, 4)),
    "isfinite": (lambda a: torch.isfinite(a), 1, F_ + I_, (5,)),
    "to_float32": (lambda a: a.to(torch.float32), 1, F_ + I_, (5,)),
}


# Ops whose torch 1.13 CPU kernel accumulates in the 16-bit type itself, where tensorgrad (as newer
# torch versions) accumulates in float32 and rounds once: the reference is torch's float32 result,
# rounded, and the comment in the fixture says so.
ACCUMULATE_IN_FLOAT32 = {
    ("log_softmax", "bfloat16"): "torch 1.13 sums exp() in bfloat16 along the last dimension; the reference "
                                 "is computed in float32 and rounded",
}


def inputs_for(name, dt_name, n, shape):
    dt = BY_NAME[dt_name]
    out = []
    for i in range(n):
        seed = sum(map(ord, name + dt_name)) * 31 + i
        if dt.is_floating_point:
            x = floats(shape, dt, seed)
            if name == "isfinite":
                x = x.clone()
                x.view(-1)[1] = float("inf")
                x.view(-1)[3] = float("nan")
            if name == "div" and i == 1:
                x = torch.where(x.abs() < 0.25, torch.full_like(x, 0.5), x)
        elif dt == torch.uint8:
            x = ints(shape, dt, seed, 0 if name not in ("add", "mul", "matmul", "sum", "sum_dim") else 100, 256)
        else:
            info = torch.iinfo(dt)
            big = name in ("add", "mul", "matmul", "sub")
            lo, hi = (info.min, info.max) if big else (-100, 100)
            x = ints(shape, dt, seed, lo, hi)
            if name == "div" and i == 1:
                x = torch.where(x == 0, torch.ones_like(x), x)
        out.append(x)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "fixtures", "dtypes_reference.txt")
    torch.set_num_threads(1)
    lines = ["# Reference values for tests/test_dtypes.cpp, generated by tests/gen_fixtures_dtypes.py",
             "# with torch %s. Do not edit by hand: change the script and rerun it." % torch.__version__]
    for a, ta in DTYPES:
        for b, tb in DTYPES:
            lines.append("promote %s %s %s" % (a, b, NAME_OF[torch.promote_types(ta, tb)]))
    for name in ("float16", "bfloat16"):
        for v in ROUND_VALUES:
            x = torch.tensor(v, dtype=torch.float32)
            lines.append("round %s %s %s" % (name, r(x.item()), r(x.to(BY_NAME[name]).to(torch.float64).item())))
    for src, values in CAST_VALUES.items():
        st = BY_NAME[src]
        for v in values:
            x = torch.tensor(v, dtype=st)
            for dst, dt in DTYPES:
                if st.is_floating_point and not dt.is_floating_point and dt != torch.bool and not fits(x.item(), dt):
                    continue
                lines.append("cast %s %s %s %s" % (src, dst, r(x.item()), r(x.to(dt).to(torch.float64).item())))
    for name, (fn, n, dts, shape) in OPS.items():
        for dt_name in dts:
            xs = inputs_for(name, dt_name, n, shape)
            try:
                if (name, dt_name) in ACCUMULATE_IN_FLOAT32:
                    lines.append("# %s %s: %s" % (name, dt_name, ACCUMULATE_IN_FLOAT32[(name, dt_name)]))
                    y = fn(*[x.float() for x in xs]).to(BY_NAME[dt_name])
                else:
                    y = fn(*xs)
            except RuntimeError as e:
                # torch 1.13 lacks some float16 CPU kernels (newer versions compute them in float32
                # and round, as tensorgrad does): the reference is torch's float32 result, rounded.
                assert dt_name == "float16", (name, dt_name, e)
                lines.append("# %s %s: torch says %s; the reference is computed in float32 and rounded"
                             % (name, dt_name, str(e).splitlines()[0]))
                y = fn(*[x.float() for x in xs]).to(torch.float16)
            parts = ["op", name, dt_name, NAME_OF[y.dtype], "shape", " ".join(str(d) for d in shape)]
            for i, x in enumerate(xs):
                parts += ["in", str(i), fmt_values(x)]
            parts += ["out", "shape", " ".join(str(d) for d in y.shape), "values", fmt_values(y)]
            lines.append(" ".join(p for p in parts if p != ""))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d lines to %s" % (len(lines), path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
