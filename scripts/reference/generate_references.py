#!/usr/bin/python3
"""Records the reference vectors in test/fixtures/ from real PyTorch: LR schedules and optimizer update rules.

Run with Debian's python3-torch (1.13.1, CPU), which /usr/bin/python3 sees and a pyenv python3 does not:

    /usr/bin/python3 scripts/reference/generate_references.py --out test/fixtures

It reads the case lists beside it (schedule_cases.json, optimizer_cases.json: what to run, nothing measured), runs
each case in float64 as described in the fixtures' format notes (the schedule read before each scheduler step; the
optimizer's iterates, losses, autograd gradients and the stored noise), and writes schedules.json and
optimizers.json as JSON arrays with one case per line. Numbers are written by Python's shortest round-trip repr,
so JSON.parse gives back the exact bits, and two runs give byte-identical files.

To extend the vectors, add a case to a case list and run this again; test/core/references.test.ts checks that the
committed fixtures are what this script writes.

Each optimizer case's `sensitivity` (how chaotic its full loop is) is carried over from its case list when the case
list has it (the cases recorded before this script existed), and measured here otherwise (see `measure_sensitivity`),
so a new case is added without one.
"""

import argparse
import inspect
import json
import math
import os
import sys
import warnings

try:
    import torch
except ImportError:  # The test turns this exit status and message into a clear failure.
    sys.stderr.write("generate_references.py needs torch: install Debian's python3-torch (apt-get install -y python3-torch) "
                     "and run it with /usr/bin/python3.\n")
    sys.exit(3)

HERE = os.path.dirname(os.path.abspath(__file__))
# SequentialLR calls step(0) on each incoming scheduler, as the vectors record; its deprecation warning is expected.
warnings.filterwarnings("ignore", message="The epoch parameter in `scheduler.step\\(\\)` was not necessary")
SCHED = torch.optim.lr_scheduler

# The names a LambdaLR / MultiplicativeLR formula may use, besides `e` and its kwargs.
FORMULA_NAMES = {name: getattr(math, name) for name in ("sqrt", "cos", "sin", "exp", "floor", "pi")}
FORMULA_NAMES.update({"float": float, "int": int, "max": max, "min": min, "abs": abs})


def load_cases(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as handle:
        return json.load(handle)


def write_cases(path, cases):
    """A JSON array with one case object per line, compact, numbers as Python's repr writes them."""
    lines = [json.dumps(case, separators=(",", ":"), allow_nan=False) for case in cases]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("[\n" + ",\n".join(lines) + "\n]\n")


# ----------------------------------------------------------------------------------------------- schedules

def formula_function(spec):
    """`lr_lambda` given as data: the formula is evaluated as Python with `e` (last_epoch) and its kwargs."""
    code = compile(spec["formula"], spec.get("label", spec["formula"]), "eval")
    kwargs = dict(spec.get("kwargs", {}))

    def function(e):
        return eval(code, {"__builtins__": {}}, {**FORMULA_NAMES, **kwargs, "e": e})  # noqa: S307 (our own data)

    return function


def constructor_parameters(cls):
    """The keyword parameters of a scheduler's constructor, in order, without `optimizer` and `verbose`."""
    return [p for p in inspect.signature(cls.__init__).parameters.values() if p.name not in ("self", "optimizer", "verbose")]


def resolved_parameters(name, params):
    """The params merged with the 1.13 constructor defaults, in the constructor's order (composites recursively)."""
    resolved = {}
    for parameter in constructor_parameters(getattr(SCHED, name)):
        if parameter.name == "schedulers":
            resolved["schedulers"] = [{"scheduler": child["scheduler"], "params": resolved_parameters(child["scheduler"], child["params"])}
                                      for child in params["schedulers"]]
        elif parameter.name in params:
            resolved[parameter.name] = params[parameter.name]
        elif parameter.default is not inspect.Parameter.empty:
            resolved[parameter.name] = parameter.default
    return resolved


def build_scheduler(optimizer, name, params):
    cls = getattr(SCHED, name)
    kwargs = dict(params)
    if "lr_lambda" in kwargs:
        kwargs["lr_lambda"] = formula_function(kwargs["lr_lambda"])
    if "schedulers" in kwargs:
        # Sub-schedulers are constructed in list order on the same optimizer, before the composite.
        kwargs["schedulers"] = [build_scheduler(optimizer, child["scheduler"], child["params"]) for child in kwargs["schedulers"]]
    # ChainedScheduler takes no optimizer: its schedulers already hold it.
    takes_optimizer = "optimizer" in inspect.signature(cls.__init__).parameters
    return cls(optimizer, **kwargs) if takes_optimizer else cls(**kwargs)


def record_schedule(case):
    torch.set_default_dtype(torch.float64)
    optimizer_spec = case["optimizer"]
    parameter = torch.zeros(1, requires_grad=True)
    optimizer = getattr(torch.optim, optimizer_spec["type"])([parameter], **optimizer_spec["params"])
    scheduler = build_scheduler(optimizer, case["scheduler"], case["params"])
    group = optimizer.param_groups[0]
    # The lr the optimizer was built with (CyclicLR and OneCycleLR then overwrite the group's lr with their own start).
    base_lr = optimizer_spec["params"]["lr"]
    steps = case["steps"]
    metrics = case.get("metrics")
    lr, momentum, betas = [], [], []
    records_momentum = case["scheduler"] in ("CyclicLR", "OneCycleLR") and "momentum" in group and scheduler_cycles_momentum(case)
    records_betas = case["scheduler"] == "OneCycleLR" and "betas" in group and scheduler_cycles_momentum(case)
    for i in range(steps):
        lr.append(float(group["lr"]))
        if records_momentum:
            momentum.append(float(group["momentum"]))
        if records_betas:
            betas.append([float(group["betas"][0]), float(group["betas"][1])])
        if i < steps - 1:
            optimizer.step()  # No gradient: a no-op that keeps PyTorch's call order.
            if metrics is not None:
                scheduler.step(metrics[i])
            else:
                scheduler.step()
    out = {
        "id": case["id"],
        "scheduler": case["scheduler"],
        "params": case["params"],
        "resolved_params": resolved_parameters(case["scheduler"], case["params"]),
        "base_lr": float(base_lr),
        "optimizer": optimizer_spec,
        "steps": steps,
    }
    if metrics is not None:
        out["metrics"] = metrics
    out["lr"] = lr
    if records_momentum:
        out["momentum"] = momentum
    if records_betas:
        out["betas"] = betas
    if "note" in case:
        out["note"] = case["note"]
    return out


def scheduler_cycles_momentum(case):
    return case["params"].get("cycle_momentum", True)


# ----------------------------------------------------------------------------------------------- optimizers

def loss_function(spec):
    """The toy landscapes, written as their formulas read (the operation order fixes the last bits of the gradients)."""
    c = spec.get("constants", {})
    name = spec["id"]
    if name == "rosenbrock":
        a, b = c["a"], c["b"]
        return lambda x: (a - x[0]) ** 2 + b * (x[1] - x[0] ** 2) ** 2
    if name == "quadratic_ill":
        return lambda x: 0.5 * (x[0] ** 2 + 100 * x[1] ** 2)
    if name == "plateau_basin":
        w, k = c["w"], c["k"]
        return lambda x: 1 - torch.exp(-(x[0] ** 2 + x[1] ** 2) / w) + k * (x[0] ** 2 + x[1] ** 2)
    if name == "rastrigin":
        amplitude, n = c["A"], spec["dim"]
        return lambda x: amplitude * n + torch.sum(x ** 2 - amplitude * torch.cos(2 * math.pi * x))
    if name == "beale":
        return lambda x: (1.5 - x[0] + x[0] * x[1]) ** 2 + (2.25 - x[0] + x[0] * x[1] ** 2) ** 2 + (2.625 - x[0] + x[0] * x[1] ** 3) ** 2
    if name == "quadratic10":
        d = torch.tensor(c["d"], dtype=torch.float64)  # The stored constants: another logspace may differ in the last bit.
        return lambda x: 0.5 * torch.sum(d * x ** 2)
    raise ValueError(f"unknown function {name}")


def plain(value):
    """A param-group value as JSON: tuples as lists, tensors as numbers."""
    if isinstance(value, tuple):
        return [plain(item) for item in value]
    if isinstance(value, torch.Tensor):
        return value.item()
    return value


def analytic_gradient(spec):
    """The function's `grad_formula` in plain Python floats (no autograd), for the sensitivity re-run."""
    c = spec.get("constants", {})
    name = spec["id"]
    if name == "rosenbrock":
        a, b = c["a"], c["b"]
        return lambda x: [-2 * (a - x[0]) - 4 * b * x[0] * (x[1] - x[0] ** 2), 2 * b * (x[1] - x[0] ** 2)]
    if name == "quadratic_ill":
        return lambda x: [x[0], 100 * x[1]]
    if name == "plateau_basin":
        w, k = c["w"], c["k"]

        def plateau(x):
            bump = math.exp(-(x[0] ** 2 + x[1] ** 2) / w)
            return [(2 * x[0] / w) * bump + 2 * k * x[0], (2 * x[1] / w) * bump + 2 * k * x[1]]
        return plateau
    if name == "rastrigin":
        amplitude = c["A"]
        return lambda x: [2 * xi + 2 * math.pi * amplitude * math.sin(2 * math.pi * xi) for xi in x]
    if name == "beale":
        def beale(x):
            t1 = 1.5 - x[0] + x[0] * x[1]
            t2 = 2.25 - x[0] + x[0] * x[1] ** 2
            t3 = 2.625 - x[0] + x[0] * x[1] ** 3
            return [2 * t1 * (x[1] - 1) + 2 * t2 * (x[1] ** 2 - 1) + 2 * t3 * (x[1] ** 3 - 1),
                    2 * t1 * x[0] + 2 * t2 * 2 * x[0] * x[1] + 2 * t3 * 3 * x[0] * x[1] ** 2]
        return beale
    if name == "quadratic10":
        d = c["d"]
        return lambda x: [di * xi for di, xi in zip(d, x)]
    raise ValueError(f"unknown function {name}")


def full_loop_metric(xs, reference):
    """max over k, j of |a - b| / max(|b|, 1e-3 S), S = max |x| of the reference: the full-loop tolerance's scale."""
    scale = max(abs(value) for row in reference for value in row)
    return max(abs(a - b) / max(abs(b), 1e-3 * scale) for row_a, row_b in zip(xs, reference) for a, b in zip(row_a, row_b))


def rerun_trajectory(case, gradient_of):
    """The case's loop with the gradient of each update given by `gradient_of(k, x)` (plus the stored noise)."""
    torch.set_default_dtype(torch.float64)
    x = torch.tensor(case["x0"], dtype=torch.float64, requires_grad=True)
    spec = case["optimizer"]
    optimizer = getattr(torch.optim, spec["type"])([x], **spec["params"])
    noise_spec = case.get("noise_spec")
    generator = None
    if noise_spec is not None:
        generator = torch.Generator()
        generator.manual_seed(noise_spec["seed"])
    xs = [x.detach().tolist()]
    for k in range(case["steps"]):
        optimizer.zero_grad()
        grad = torch.tensor(gradient_of(k, x), dtype=torch.float64)
        if generator is not None:
            grad = grad + torch.randn(case["function"]["dim"], generator=generator, dtype=torch.float64) * noise_spec["std"]
        x.grad = grad
        optimizer.step()
        xs.append(x.detach().tolist())
    return xs


def measure_sensitivity(case, recorded_x):
    """How far the trajectory moves (full-loop metric) when its gradients come from the analytic formula instead of
    autograd, and when every autograd gradient is multiplied by 1 + 2^-52 or 1 - 2^-52 (alternating over step and
    coordinate). The full loop is meaningful (`full_loop_stable`) when both stay within 1e-11.

    On the 107 cases recorded before this script, this gives every `analytic_grad_rerun` exactly; the perturbation's
    pattern there is not known, so `grad_1ulp_perturbation` differs in the last digits, and under this pattern
    nadam_betas@rosenbrock would count as chaotic (5e-5). Their recorded values are therefore kept."""
    formula = analytic_gradient(case["function"])
    f = loss_function(case["function"])

    def autograd_perturbed(k, x):
        with torch.enable_grad():
            value = f(x)
            (gradient,) = torch.autograd.grad(value, x)
        return [g * (1 + 2.0 ** -52 if (k + j) % 2 == 0 else 1 - 2.0 ** -52) for j, g in enumerate(gradient.tolist())]

    rerun = full_loop_metric(rerun_trajectory(case, lambda k, x: formula(x.detach().tolist())), recorded_x)
    perturbed = full_loop_metric(rerun_trajectory(case, autograd_perturbed), recorded_x)
    return {"analytic_grad_rerun": rerun, "grad_1ulp_perturbation": perturbed,
            "full_loop_stable": rerun <= 1e-11 and perturbed <= 1e-11}


def record_optimizer(case):
    torch.set_default_dtype(torch.float64)
    f = loss_function(case["function"])
    x = torch.tensor(case["x0"], dtype=torch.float64, requires_grad=True)
    spec = case["optimizer"]
    optimizer = getattr(torch.optim, spec["type"])([x], **spec["params"])
    resolved = {key: plain(value) for key, value in optimizer.param_groups[0].items() if key != "params"}
    noise_spec = case.get("noise_spec")
    generator = None
    if noise_spec is not None:
        generator = torch.Generator()
        generator.manual_seed(noise_spec["seed"])
    xs, losses, grads, noises = [x.detach().tolist()], [], [], []
    for _ in range(case["steps"]):
        optimizer.zero_grad()
        loss = f(x)
        loss.backward()
        losses.append(loss.item())
        grads.append(x.grad.tolist())
        if generator is not None:
            noise = torch.randn(case["function"]["dim"], generator=generator, dtype=torch.float64) * noise_spec["std"]
            noises.append(noise.tolist())
            x.grad = x.grad + noise
        optimizer.step()
        xs.append(x.detach().tolist())
    with torch.no_grad():
        losses.append(f(x).item())
    out = {
        "id": case["id"],
        "optimizer": {"type": spec["type"], "params": spec["params"], "resolved": resolved},
        "function": case["function"],
        "x0": case["x0"],
        "steps": case["steps"],
        "x": xs,
        "loss": losses,
        "grad": grads,
    }
    if noise_spec is not None:
        out["noise_spec"] = noise_spec
        out["noise"] = noises
    out["sensitivity"] = case["sensitivity"] if "sensitivity" in case else measure_sensitivity(case, xs)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(HERE, "..", "..", "test", "fixtures"), help="folder to write schedules.json and optimizers.json to")
    parser.add_argument("--only", choices=("schedules", "optimizers"), help="write one of the two files")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    if args.only in (None, "schedules"):
        write_cases(os.path.join(args.out, "schedules.json"), [record_schedule(case) for case in load_cases("schedule_cases.json")])
    if args.only in (None, "optimizers"):
        write_cases(os.path.join(args.out, "optimizers.json"), [record_optimizer(case) for case in load_cases("optimizer_cases.json")])
    print(f"torch {torch.__version__}: wrote {args.out}")


if __name__ == "__main__":
    main()
