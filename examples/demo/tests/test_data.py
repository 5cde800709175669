import torch
from birdsong.data import spectrogram


def test_spectrogram_is_finite() -> None:
    assert torch.isfinite(spectrogram(torch.randn(4000))).all()
