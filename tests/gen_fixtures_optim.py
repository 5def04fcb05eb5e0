#!/usr/bin/python3
"""Generates tests/fixtures/optim_reference.txt: parameter trajectories of PyTorch's optimizers and
learning-rate sequences of its schedulers, for tests/test_optim.cpp.

Run with Debian's python3-torch (no pip needed):

    /usr/bin/python3 tests/gen_fixtures_optim.py

Every optimizer case starts from the same fixed float64 parameters, sets p.grad directly to fixed
float64 gradients (different at each step) and records every parameter after each of STEPS
optimizer steps. One parameter has no gradient at one step (p.grad = None), so that the case also
checks that such a parameter is skipped and that its state does not advance. A case may also step a
scheduler after each optimizer step.

File format (line based; blank lines and lines starting with '#' are ignored):

    optim <case name> <SGD|Adam|AdamW|RMSprop|Adagrad>
    option <name> <value>                  one per option given to the constructor
    sched <StepLR|CosineAnnealingLR> <name> <value> ...   optional: stepped after every step
    steps <n>
    param <i> shape <dims...> values <numbers...>          initial values
    grad <step> <i> none | grad <step> <i> shape ... values ...
    after <step> <i> shape ... values ...                  parameter i after step `step`
    end

    sched <case name> <StepLR|CosineAnnealingLR>
    option <name> <value>                  lr is the optimizer's (SGD) learning rate
    lrs <numbers...>                       get_last_lr() after construction, then after each step()
    end

Option values are numbers; booleans are written 0/1 and betas as two options beta1, beta2.
Numbers are written with repr(), which strtod reads back exactly.
"""

import math
import os

import torch

torch.set_default_dtype(torch.float64)
F64 = torch.float64
STEPS = 5
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "optim_reference.txt")

# Per-step gradient scales: large, then small, then large again, so that amsgrad's running maximum
# and the moving averages of RMSprop/Adam see very different magnitudes.
GRAD_SCALES = [2.0, 0.5, 1.5, 0.1, 1.0]
SHAPES = [(2, 3), (4,), ()]
# (step, param) pairs whose gradient is None.
NO_GRAD = {(2, 1)}


def fmt(x):
    return repr(float(x))


def arr(t):
    t = t.detach().to(F64)
    dims = " ".join(str(d) for d in t.shape)
    vals = " ".join(fmt(v) for v in t.reshape(-1).tolist())
    return f"shape {dims} values {vals}".replace("shape  values", "shape values")


def initial_params():
    g = torch.Generator().manual_seed(1234)
    return [torch.randn(s, generator=g, dtype=F64) for s in SHAPES]


def gradients():
    g = torch.Generator().manual_seed(5678)
    out = []
    for k in range(STEPS):
        out.append([GRAD_SCALES[k] * torch.randn(s, generator=g, dtype=F64) for s in SHAPES])
    return out


def opt_value(v):
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, int):
        return str(v)
    return fmt(v)


def optimizer_case(lines, name, cls, options, sched=None):
    params = [p.clone().requires_grad_(True) for p in initial_params()]
    grads = gradients()
    kwargs = dict(options)
    if "beta1" in kwargs:
        kwargs["betas"] = (kwargs.pop("beta1"), kwargs.pop("beta2"))
    opt = getattr(torch.optim, cls)(params, **kwargs)
    scheduler = None
    if sched is not None:
        sched_cls, sched_opts = sched
        scheduler = getattr(torch.optim.lr_scheduler, sched_cls)(opt, **sched_opts)

    lines.append(f"optim {name} {cls}")
    for k, v in options.items():
        lines.append(f"option {k} {opt_value(v)}")
    if sched is not None:
        lines.append(f"sched {sched_cls} " + " ".join(f"{k} {opt_value(v)}" for k, v in sched_opts.items()))
    lines.append(f"steps {STEPS}")
    for i, p in enumerate(params):
        lines.append(f"param {i} {arr(p)}")
    for k in range(STEPS):
        for i, p in enumerate(params):
            if (k, i) in NO_GRAD:
                p.grad = None
                lines.append(f"grad {k} {i} none")
            else:
                p.grad = grads[k][i].clone()
                lines.append(f"grad {k} {i} {arr(p.grad)}")
        opt.step()
        if scheduler is not None:
            scheduler.step()
        for i, p in enumerate(params):
            lines.append(f"after {k} {i} {arr(p)}")
    lines.append("end")
    lines.append("")


def scheduler_case(lines, name, cls, lr, options, epochs):
    p = torch.zeros(3, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = getattr(torch.optim.lr_scheduler, cls)(opt, **options)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(epochs):
        opt.step()  # (no gradient: a no-op, but the order torch asks for)
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    lines.append(f"sched {name} {cls}")
    lines.append(f"option lr {fmt(lr)}")
    for k, v in options.items():
        lines.append(f"option {k} {opt_value(v)}")
    lines.append("lrs " + " ".join(fmt(v) for v in lrs))
    lines.append("end")
    lines.append("")


def main():
    lines = [
        "# Generated by tests/gen_fixtures_optim.py with torch " + torch.__version__ + "; do not edit.",
        "# Optimizer trajectories and scheduler learning rates computed by PyTorch (float64).",
        "",
    ]

    # SGD
    optimizer_case(lines, "sgd_plain", "SGD", {"lr": 0.1})
    optimizer_case(lines, "sgd_momentum", "SGD", {"lr": 0.1, "momentum": 0.9})
    optimizer_case(lines, "sgd_momentum_dampening", "SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.5})
    optimizer_case(lines, "sgd_nesterov", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True})
    optimizer_case(lines, "sgd_weight_decay", "SGD", {"lr": 0.1, "weight_decay": 0.1})
    optimizer_case(lines, "sgd_momentum_weight_decay", "SGD",
                   {"lr": 0.1, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01})
    optimizer_case(lines, "sgd_nesterov_weight_decay", "SGD",
                   {"lr": 0.03, "momentum": 0.5, "nesterov": True, "weight_decay": 0.2})

    # Adam
    optimizer_case(lines, "adam_default", "Adam", {})
    optimizer_case(lines, "adam_lr", "Adam", {"lr": 0.05})
    optimizer_case(lines, "adam_amsgrad", "Adam", {"lr": 0.05, "amsgrad": True})
    optimizer_case(lines, "adam_weight_decay", "Adam", {"lr": 0.05, "weight_decay": 0.1})
    optimizer_case(lines, "adam_amsgrad_weight_decay_betas", "Adam",
                   {"lr": 0.02, "beta1": 0.8, "beta2": 0.9, "eps": 1e-6, "weight_decay": 0.05, "amsgrad": True})

    # AdamW
    optimizer_case(lines, "adamw_default", "AdamW", {})
    optimizer_case(lines, "adamw_lr", "AdamW", {"lr": 0.05})
    optimizer_case(lines, "adamw_amsgrad", "AdamW", {"lr": 0.05, "amsgrad": True})
    optimizer_case(lines, "adamw_weight_decay", "AdamW", {"lr": 0.05, "weight_decay": 0.3})
    optimizer_case(lines, "adamw_amsgrad_weight_decay_betas", "AdamW",
                   {"lr": 0.02, "beta1": 0.7, "beta2": 0.95, "eps": 1e-5, "weight_decay": 0.1, "amsgrad": True})

    # RMSprop
    optimizer_case(lines, "rmsprop_default", "RMSprop", {})
    optimizer_case(lines, "rmsprop_centered", "RMSprop", {"lr": 0.01, "centered": True})
    optimizer_case(lines, "rmsprop_momentum", "RMSprop", {"lr": 0.01, "momentum": 0.9})
    optimizer_case(lines, "rmsprop_centered_momentum_weight_decay", "RMSprop",
                   {"lr": 0.005, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.1, "momentum": 0.5, "centered": True})
    optimizer_case(lines, "rmsprop_weight_decay", "RMSprop", {"lr": 0.02, "alpha": 0.8, "weight_decay": 0.05})

    # Adagrad
    optimizer_case(lines, "adagrad_default", "Adagrad", {})
    optimizer_case(lines, "adagrad_lr_decay", "Adagrad", {"lr": 0.1, "lr_decay": 0.1})
    optimizer_case(lines, "adagrad_initial_accumulator", "Adagrad", {"lr": 0.1, "initial_accumulator_value": 0.5})
    optimizer_case(lines, "adagrad_all", "Adagrad",
                   {"lr": 0.2, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.1, "eps": 1e-6})

    # Optimizers whose learning rate a scheduler changes between steps.
    optimizer_case(lines, "sgd_momentum_steplr", "SGD", {"lr": 0.1, "momentum": 0.9},
                   sched=("StepLR", {"step_size": 2, "gamma": 0.5}))
    optimizer_case(lines, "adam_cosine", "Adam", {"lr": 0.05},
                   sched=("CosineAnnealingLR", {"T_max": 3, "eta_min": 0.001}))

    # Schedulers
    scheduler_case(lines, "steplr_3_half", "StepLR", 0.1, {"step_size": 3, "gamma": 0.5}, 15)
    scheduler_case(lines, "steplr_default_gamma", "StepLR", 1.0, {"step_size": 2}, 12)
    scheduler_case(lines, "steplr_1", "StepLR", 0.3, {"step_size": 1, "gamma": 0.9}, 12)
    scheduler_case(lines, "cosine_10", "CosineAnnealingLR", 0.1, {"T_max": 10}, 35)
    scheduler_case(lines, "cosine_4_eta_min", "CosineAnnealingLR", 0.05, {"T_max": 4, "eta_min": 0.001}, 20)
    scheduler_case(lines, "cosine_1", "CosineAnnealingLR", 0.2, {"T_max": 1, "eta_min": 0.01}, 10)

    with open(OUT, "w") as f:
        f.write("\n".join(lines))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
