"""A benchmark model and loader in the shape of a real project: an MNIST-sized MLP on seeded synthetic data."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def build_model():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))


def train_loader():
    generator = torch.Generator().manual_seed(7)
    inputs = torch.randn(4096, 784, generator=generator)
    targets = torch.randint(0, 10, (4096,), generator=generator)
    return DataLoader(TensorDataset(inputs, targets), batch_size=128, shuffle=True)
