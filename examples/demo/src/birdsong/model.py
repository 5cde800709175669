"""A small convolutional classifier."""

from torch import nn


class SongNet(nn.Module):
    def __init__(self, classes: int = 12) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.head = nn.Linear(16 * 4 * 4, classes)

    def forward(self, x):  # type: ignore[no-untyped-def]
        return self.head(self.features(x).flatten(1))
