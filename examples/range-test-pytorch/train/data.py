"""The data: a seeded synthetic classification set (labels from a fixed random linear map), in a shuffled DataLoader."""

import torch
from torch.utils.data import DataLoader, TensorDataset

from train.models import CLASSES, IN_FEATURES


def train_loader(samples=2048, batch_size=64):
    generator = torch.Generator().manual_seed(0)
    inputs = torch.randn(samples, IN_FEATURES, generator=generator)
    targets = (inputs @ torch.randn(IN_FEATURES, CLASSES, generator=generator)).argmax(dim=1)
    return DataLoader(TensorDataset(inputs, targets), batch_size=batch_size, shuffle=True)
