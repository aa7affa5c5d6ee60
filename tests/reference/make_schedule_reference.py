"""Test vectors for tests/optim/test_lr_scheduler.cpp, from torch 1.13's lr_scheduler.

Run once with Debian's torch (/usr/bin/python3 tests/reference/make_schedule_reference.py);
the printed lists are pasted into the test as literals, so the suite does not need Python.
Every value is repr() of a Python float: the shortest text that reads back as the same
double, so the test compares exactly.

Each line is `name: v0, v1, ...`: the lr (or momentum) right after construction, then after
each scheduler.step() (or step(metric)). The optimizer is SGD with momentum 0.9 on one
float64 parameter unless the line says otherwise.
"""
import warnings

import torch
from torch.optim import SGD
from torch.optim import lr_scheduler as S

warnings.filterwarnings("ignore")  # "lr_scheduler.step() before optimizer.step()"


def sgd(*lrs):
    groups = [{"params": [torch.zeros(1, dtype=torch.float64, requires_grad=True)], "lr": lr} for lr in lrs]
    return SGD(groups, lr=lrs[0], momentum=0.9)


def show(name, values):
    print(f"{name}: " + ", ".join(repr(float(v)) for v in values))


def run(name, opt, sched, steps, momentum=False, group=0):
    lrs = [opt.param_groups[group]["lr"]]
    moms = [opt.param_groups[group]["momentum"]]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[group]["lr"])
        moms.append(opt.param_groups[group]["momentum"])
    show(name, lrs)
    if momentum:
        show(name + " momentum", moms)


print(f"# torch {torch.__version__}")

# CosineAnnealingWarmRestarts: restarts at 3, 3+6 = 9, 9+12 = 21 (T_mult = 2); and T_mult = 1.
o = sgd(0.1)
run("warm_restarts T_0=3 T_mult=2 eta_min=0.01", o, S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.01), 22)
o = sgd(0.1)
run("warm_restarts T_0=4", o, S.CosineAnnealingWarmRestarts(o, T_0=4), 10)

# CyclicLR, the three modes, with momentum cycling (base_momentum 0.8, max_momentum 0.9).
o = sgd(0.1)
run("cyclic triangular base=0.01 max=0.1 up=3 down=2", o,
    S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=2), 12, momentum=True)
o = sgd(0.1)
run("cyclic triangular2 base=0.01 max=0.1 up=2", o,
    S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="triangular2"), 14, momentum=True)
o = sgd(0.1)
run("cyclic exp_range base=0.01 max=0.1 up=2 gamma=0.9", o,
    S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, mode="exp_range", gamma=0.9), 10, momentum=True)
o = sgd(0.1)
run("cyclic scale_fn=1/(1+x/10) scale_mode=iterations base=0.01 max=0.1 up=2 base_m=0.85 max_m=0.95", o,
    S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=lambda x: 1 / (1 + x / 10),
               scale_mode="iterations", base_momentum=0.85, max_momentum=0.95), 8, momentum=True)

# OneCycleLR: linear anneal; three phases (cos); three phases with linear anneal.
o = sgd(0.1)
run("one_cycle max_lr=1 total_steps=10 linear", o,
    S.OneCycleLR(o, max_lr=1.0, total_steps=10, anneal_strategy="linear"), 9, momentum=True)
o = sgd(0.1)
run("one_cycle max_lr=0.5 total_steps=12 pct_start=0.25 three_phase", o,
    S.OneCycleLR(o, max_lr=0.5, total_steps=12, pct_start=0.25, three_phase=True), 11, momentum=True)
o = sgd(0.1)
run("one_cycle max_lr=0.5 epochs=3 steps_per_epoch=4 three_phase linear div=10 final_div=100", o,
    S.OneCycleLR(o, max_lr=0.5, epochs=3, steps_per_epoch=4, three_phase=True, anneal_strategy="linear",
                 div_factor=10.0, final_div_factor=100.0), 11, momentum=True)

# SequentialLR: a linear warmup, then ExponentialLR or CosineAnnealingLR (built in this order,
# as PyTorch's documentation does; the later schedule's base lr is the optimizer's initial lr).
o = sgd(0.1)
warm = S.LinearLR(o, start_factor=0.1, total_iters=3)
run("sequential linear(0.1,3) then exponential(0.9) at 3", o,
    S.SequentialLR(o, [warm, S.ExponentialLR(o, gamma=0.9)], milestones=[3]), 10)
o = sgd(0.1)
warm = S.LinearLR(o, start_factor=0.25, total_iters=4)
run("sequential linear(0.25,4) then cosine(T_max=5, eta_min=0.01) at 2", o,
    S.SequentialLR(o, [warm, S.CosineAnnealingLR(o, T_max=5, eta_min=0.01)], milestones=[2]), 9)

# ReduceLROnPlateau in max mode, absolute threshold, with cooldown.
metrics = [0.50, 0.60, 0.605, 0.61, 0.70, 0.70, 0.705, 0.70, 0.69, 0.71, 0.70, 0.70, 0.70, 0.72, 0.80, 0.80, 0.80, 0.80]
o = sgd(0.1)
plateau = S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=1, threshold=0.01, threshold_mode="abs",
                              cooldown=2, min_lr=0.01)
lrs = [o.param_groups[0]["lr"]]
for m in metrics:
    plateau.step(m)
    lrs.append(o.param_groups[0]["lr"])
show("plateau metrics", metrics)
show("plateau max abs threshold=0.01 factor=0.5 patience=1 cooldown=2 min_lr=0.01", lrs)

# Two parameter groups with different base lrs.
o = sgd(0.1, 0.02)
run("two groups cosine(T_max=4, eta_min=0.001) group 0", o, S.CosineAnnealingLR(o, T_max=4, eta_min=0.001), 6)
o = sgd(0.1, 0.02)
run("two groups cosine(T_max=4, eta_min=0.001) group 1", o, S.CosineAnnealingLR(o, T_max=4, eta_min=0.001), 6, group=1)
o = sgd(0.1, 0.02)
run("two groups step(2, 0.5) group 1", o, S.StepLR(o, step_size=2, gamma=0.5), 6, group=1)
o = sgd(0.1, 0.02)
run("two groups one_cycle(max_lr=1, total_steps=10) group 1", o, S.OneCycleLR(o, max_lr=1.0, total_steps=10), 9, group=1)

# MultiplicativeLR with a constant factor (seed 000's lr *= 1.03) and ExponentialLR, exactly.
o = sgd(0.1)
run("multiplicative 1.03", o, S.MultiplicativeLR(o, lr_lambda=lambda e: 1.03), 6)
o = sgd(0.1)
run("exponential 0.9", o, S.ExponentialLR(o, gamma=0.9), 8)
o = sgd(0.1)
run("multistep [2,5] 0.1", o, S.MultiStepLR(o, milestones=[2, 5], gamma=0.1), 7)
o = sgd(0.1)
run("linear 0.25 1 4", o, S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=4), 6)
o = sgd(0.1)
run("lambda 1/(1+e)", o, S.LambdaLR(o, lambda e: 1 / (1 + e)), 4)
