"""Turn recordings into fixed-size spectrograms."""

import torch


def spectrogram(wave: torch.Tensor, n_fft: int = 256) -> torch.Tensor:
    spec = torch.stft(wave, n_fft=n_fft, return_complex=True).abs()
    return torch.log1p(spec)
