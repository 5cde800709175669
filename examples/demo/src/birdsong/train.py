"""Training entry point, configured with Hydra and logged to Weights & Biases."""

import hydra
import torch
import wandb

from birdsong.model import SongNet


@hydra.main(version_base=None, config_path="../../configs", config_name="train")
def main(cfg) -> None:  # type: ignore[no-untyped-def]
    torch.manual_seed(cfg.seed)
    model = SongNet()
    optimiser = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    wandb.init(project="birdsong", config=dict(cfg))
    for epoch in range(cfg.epochs):
        loss = torch.tensor(1.0 / (epoch + 1), requires_grad=True)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        wandb.log({"loss": loss.item(), "epoch": epoch})


if __name__ == "__main__":
    main()
