"""The LR range test of bench/rangeTest.bench.ts in PyTorch on the CPU, for one built-in proxy task (spiral:
MLP 2-64-64-3 on 3000 points; mnist_mlp: MLP 784-256-10 on 2048 samples; cnn: conv3x3x8-pool-conv3x3x16-pool-
dense10 on 1024 28x28 images), Adam, exponential ramp, bias-corrected EMA of the loss. The data is drawn the
way the proxy tasks draw theirs, with torch's generator. Prints one JSON line at the end."""
import json
import math
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


def spiral_task():
    arms, per_arm = 3, 1000
    t = torch.arange(per_arm).float().repeat(arms) / per_arm
    labels = torch.arange(arms).repeat_interleave(per_arm)
    angle = labels.float() * 2 * math.pi / arms + 4 * t + 0.2 * torch.randn(arms * per_arm)
    features = torch.stack([t * torch.cos(angle), t * torch.sin(angle)], 1)
    model = torch.nn.Sequential(torch.nn.Linear(2, 64), torch.nn.ReLU(), torch.nn.Linear(64, 64), torch.nn.ReLU(), torch.nn.Linear(64, arms))
    return features, labels, model


def mnist_mlp_task():
    classes, dim, count = 10, 784, 2048
    # Prototypes, a distractor, noise, as the mnist_mlp proxy task.
    prototypes = (torch.rand(classes, dim) < 0.2).float()
    labels = torch.randint(0, classes, (count,))
    distractors = torch.randint(0, classes, (count,))
    features = (0.6 * prototypes[labels] + 0.4 * prototypes[distractors] + 0.35 * torch.randn(count, dim)).clamp(0, 1)
    model = torch.nn.Sequential(torch.nn.Linear(dim, 256), torch.nn.ReLU(), torch.nn.Linear(256, classes))
    return features, labels, model


def cnn_task():
    classes, size, count = 10, 28, 1024
    # Oriented bars, shifted and blurred, on a noisy background, as the cnn proxy task.
    labels = torch.randint(0, classes, (count,))
    angle = labels.float() * math.pi / classes + 0.05 * torch.randn(count)
    cx = size / 2 + 2 * torch.randn(count, 1, 1)
    cy = size / 2 + 2 * torch.randn(count, 1, 1)
    dx, dy = torch.cos(angle).view(-1, 1, 1), torch.sin(angle).view(-1, 1, 1)
    y, x = torch.meshgrid(torch.arange(size).float(), torch.arange(size).float(), indexing="ij")
    distance = ((x - cx) * dy - (y - cy) * dx).abs()
    along = ((x - cx) * dx + (y - cy) * dy).abs()
    ink = torch.where(along < 10, torch.exp(-distance * distance / 2), torch.zeros(()))
    features = (ink + 0.3 * torch.randn(count, size, size)).unsqueeze(1)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(16 * 7 * 7, classes),
    )
    return features, labels, model


TASKS = {"spiral": spiral_task, "mnist_mlp": mnist_mlp_task, "cnn": cnn_task}


def run_once(task: str, iterations: int, batch: int) -> dict:
    torch.manual_seed(0)
    started = time.perf_counter()
    features, labels, model = TASKS[task]()
    count = features.shape[0]
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


def serve() -> None:
    """One round per request, so the benchmark can interleave PyTorch's rounds with its own: each stdin line
    `task iterations batch` is answered with one JSON line."""
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_summary()}), flush=True)
    for line in sys.stdin:
        task, iterations, batch = line.split()
        print(json.dumps(run_once(task, int(iterations), int(batch))), flush=True)


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve()
        return
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    task = sys.argv[3] if len(sys.argv) > 3 else "mnist_mlp"
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 128
    # The first round pays for one-time set-up (thread pools, allocator); every round is reported.
    results = [run_once(task, iterations, batch) for _ in range(rounds)]
    print(json.dumps({
        "task": task,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_summary(),
        "rounds": [r["seconds"] for r in results],
        "loop_rounds": [r["loop_seconds"] for r in results],
        "final_smoothed_loss": results[-1]["final_smoothed_loss"],
    }))


if __name__ == "__main__":
    main()
