"""The model of this small example project: an MLP classifier (20 features, 5 classes)."""

from torch import nn

IN_FEATURES = 20
CLASSES = 5


def build_model(hidden=64):
    return nn.Sequential(nn.Linear(IN_FEATURES, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(), nn.Linear(hidden, CLASSES))
