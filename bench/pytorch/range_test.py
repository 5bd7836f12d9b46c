"""The LR range test of bench/rangeTest.bench.ts in PyTorch on the CPU: MLP 784-256-10, batch 128,
100 iterations, Adam, exponential ramp, bias-corrected EMA of the loss. Prints one JSON line at the end."""
import json
import re
import sys
import time

import torch


def blas_summary() -> str:
    """BLAS_INFO from the build, and the BLAS library actually mapped into this process (Debian picks it at
    run time through update-alternatives: the reference BLAS is ~10x slower than OpenBLAS)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    build = re.findall(r"BLAS_INFO=\w+", torch.__config__.show())
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            loaded = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and line.split()[-1].startswith("/")})
    except OSError:
        loaded = []
    return f"{', '.join(build) or 'BLAS_INFO unknown'}; loaded: {', '.join(loaded) or 'no BLAS library mapped'}"


def run_once(iterations: int) -> dict:
    torch.manual_seed(0)
    started = time.perf_counter()
    classes, dim, count, batch = 10, 784, 2048, 128
    # Synthetic MNIST-sized data shaped like the mnist_mlp proxy task: prototypes, a distractor, noise.
    prototypes = (torch.rand(classes, dim) < 0.2).float()
    labels = torch.randint(0, classes, (count,))
    distractors = torch.randint(0, classes, (count,))
    features = (0.6 * prototypes[labels] + 0.4 * prototypes[distractors] + 0.35 * torch.randn(count, dim)).clamp(0, 1)
    model = torch.nn.Sequential(torch.nn.Linear(dim, 256), torch.nn.ReLU(), torch.nn.Linear(256, classes))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-6)
    start_lr, end_lr, beta = 1e-6, 1e-2, 0.98
    average, losses = 0.0, []
    order = torch.randperm(count)
    loop_started = time.perf_counter()
    for i in range(iterations):
        lr = start_lr * (end_lr / start_lr) ** (i / (iterations - 1))
        for group in optimizer.param_groups:
            group["lr"] = lr
        index = order[(i * batch) % (count - batch):][:batch]
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(features[index]), labels[index])
        loss.backward()
        optimizer.step()
        value = loss.item()
        average = beta * average + (1 - beta) * value
        losses.append(average / (1 - beta ** (i + 1)))
    finished = time.perf_counter()
    return {"seconds": finished - started, "loop_seconds": finished - loop_started, "final_smoothed_loss": losses[-1]}


def main() -> None:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    # The first round pays for one-time set-up (thread pools, allocator); every round is reported.
    results = [run_once(iterations) for _ in range(rounds)]
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_summary(),
        "rounds": [r["seconds"] for r in results],
        "loop_rounds": [r["loop_seconds"] for r in results],
        "final_smoothed_loss": results[-1]["final_smoothed_loss"],
    }))


if __name__ == "__main__":
    main()
