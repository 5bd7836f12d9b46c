"""PyTorch anchor for bench/simulate.bench.ts: 4096 Adam trajectories x 1000 steps on Rosenbrock (a=1, b=100),
float64, analytic gradient written in place into preallocated buffers, at PyTorch's default thread count.
Three versions, so the anchor is as strong as PyTorch allows: torch.optim.Adam's single-tensor path on a
(count, 2) parameter (what a user writes), a hand-written in-place Adam with the same layout, and a hand-written
one with the fewest tensor operations (addcmul, lerp) on a coordinate-major (2, count) layout, whose rows are
contiguous. Prints one JSON object on the last line."""
import json
import os
import sys
import time

import torch

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
STEPS = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
LR = 1e-3
REPEATS = 5


def starts():
    # The same deterministic starts as the TypeScript side: a golden-ratio sequence over [-2, 2] x [-1, 3].
    phi = 0.6180339887498949
    xs = torch.empty(COUNT, 2, dtype=torch.float64)
    for i in range(COUNT):
        xs[i, 0] = -2 + 4 * ((i * phi) % 1.0)
        xs[i, 1] = -1 + 4 * ((i * phi * phi) % 1.0)
    return xs


def rosenbrock_grad_(x, out, r, t):
    # r = x1 - x0^2; out0 = -2 (1 - x0) - 400 x0 r; out1 = 200 r, all in place.
    x0 = x[:, 0]
    x1 = x[:, 1]
    torch.mul(x0, x0, out=r)
    torch.sub(x1, r, out=r)
    torch.mul(r, 200.0, out=out[:, 1])
    torch.mul(x0, r, out=t)
    t.mul_(-400.0)
    out[:, 0].copy_(x0).sub_(1.0).mul_(2.0).add_(t)


def run_torch_optim():
    x = starts()
    x.grad = torch.zeros_like(x)
    opt = torch.optim.Adam([x], lr=LR)
    r = torch.empty(COUNT, dtype=torch.float64)
    t = torch.empty(COUNT, dtype=torch.float64)
    started = time.perf_counter()
    with torch.no_grad():
        for _ in range(STEPS):
            rosenbrock_grad_(x, x.grad, r, t)
            opt.step()
    return time.perf_counter() - started, x


def run_hand_adam():
    x = starts()
    g = torch.zeros_like(x)
    m = torch.zeros_like(x)
    v = torch.zeros_like(x)
    denom = torch.empty_like(x)
    r = torch.empty(COUNT, dtype=torch.float64)
    t = torch.empty(COUNT, dtype=torch.float64)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    started = time.perf_counter()
    for step in range(1, STEPS + 1):
        rosenbrock_grad_(x, g, r, t)
        m.mul_(beta1).add_(g, alpha=1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        bc1 = 1 - beta1 ** step
        bc2 = 1 - beta2 ** step
        torch.sqrt(v, out=denom)
        denom.div_(bc2 ** 0.5).add_(eps)
        x.addcdiv_(m, denom, value=-LR / bc1)
    return time.perf_counter() - started, x


def run_hand_adam_fewest_ops():
    # Coordinate-major: x[0] and x[1] are contiguous rows, so every operation runs PyTorch's vectorized fast path.
    x = starts().t().contiguous()
    g = torch.zeros_like(x)
    m = torch.zeros_like(x)
    v = torch.zeros_like(x)
    denom = torch.empty_like(x)
    r = torch.empty(COUNT, dtype=torch.float64)
    x0, x1, g0, g1 = x[0], x[1], g[0], g[1]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    started = time.perf_counter()
    for step in range(1, STEPS + 1):
        # r = x1 - x0^2; g1 = 200 r; g0 = 2 x0 - 2 - 400 x0 r: five operations.
        torch.addcmul(x1, x0, x0, value=-1.0, out=r)
        torch.mul(r, 200.0, out=g1)
        torch.mul(x0, 2.0, out=g0)
        g0.sub_(2.0).addcmul_(x0, r, value=-400.0)
        m.lerp_(g, 1 - beta1)
        v.mul_(beta2).addcmul_(g, g, value=1 - beta2)
        torch.sqrt(v, out=denom)
        denom.div_((1 - beta2 ** step) ** 0.5).add_(eps)
        x.addcdiv_(m, denom, value=-LR / (1 - beta1 ** step))
    return time.perf_counter() - started, x.t()


def best_of(fn):
    """The median of REPEATS timed runs after one warm-up."""
    fn()  # warm-up
    times = []
    result = None
    for _ in range(REPEATS):
        seconds, result = fn()
        times.append(seconds)
    times.sort()
    return times[len(times) // 2], result


def blas_info():
    """BLAS_INFO from torch's build config plus the BLAS libraries actually mapped into this process."""
    config = torch.__config__.show()
    wanted = [part.strip() for line in config.splitlines() for part in line.split(',') if 'BLAS_INFO' in part]
    try:
        with open('/proc/self/maps') as maps:
            loaded = sorted({line.split()[-1] for line in maps if 'blas' in line.lower() and '/' in line})
    except OSError:
        loaded = []
    return wanted + loaded


def main():
    torch.set_default_dtype(torch.float64)
    optim_seconds, x_optim = best_of(run_torch_optim)
    hand_seconds, x_hand = best_of(run_hand_adam)
    fewest_seconds, x_fewest = best_of(run_hand_adam_fewest_ops)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {'; '.join(blas_info())}", file=sys.stderr)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "cpus": os.cpu_count(),
        "blas": blas_info(),
        "count": COUNT,
        "steps": STEPS,
        "torch_optim_seconds": optim_seconds,
        "hand_adam_seconds": hand_seconds,
        "hand_adam_fewest_ops_seconds": fewest_seconds,
        "final_x": x_optim.reshape(-1).tolist(),
        "hand_vs_optim_max_diff": float((x_hand - x_optim).abs().max()),
        "fewest_ops_vs_optim_max_diff": float((x_fewest - x_optim).abs().max()),
    }))


if __name__ == "__main__":
    main()
