"""The reference for bench/pytorchRunner.bench.ts: the range test's step loop written as a user would write it in plain
PyTorch (same seed, model, data, optimizer and ramp as the runner), timed around the loop only.

Usage: python3 bare_loop.py WORKSPACE MODEL DATA STEPS   (MODEL and DATA are module:callable)
Prints one JSON line: {"loop_seconds": ..., "steps": ...}.
"""

import importlib
import json
import math
import sys
import time

import torch


def load(entry):
    module, name = entry.split(":")
    return getattr(importlib.import_module(module), name)


def main():
    workspace, model_entry, data_entry, steps = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    sys.path.insert(0, workspace)
    torch.manual_seed(0)
    model = load(model_entry)()
    model.train()
    loader = load(data_entry)()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-7, weight_decay=0.01)
    lrs = [1e-7 * (10 / 1e-7) ** (i / (steps - 1)) for i in range(steps)]
    batches = iter(loader)
    losses = []
    started = time.perf_counter()
    for lr in lrs:
        for group in optimizer.param_groups:
            group["lr"] = lr
        try:
            inputs, targets = next(batches)
        except StopIteration:
            batches = iter(loader)
            inputs, targets = next(batches)
        loss = torch.nn.functional.cross_entropy(model(inputs), targets)
        losses.append(loss.item())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    seconds = time.perf_counter() - started
    print(json.dumps({"loop_seconds": seconds, "steps": steps, "finite": sum(1 for x in losses if math.isfinite(x))}))


if __name__ == "__main__":
    main()
