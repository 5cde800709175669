"""For every evidence rule of rules/dtu-checklist.yaml: files that show it, and near misses that do not.

Written for these tests (not copied from any template).  Files shared between rules have one content,
so the union of all fixtures is itself a repository in which every rule finds its evidence.
"""

from __future__ import annotations

from evidence_helpers import Files

PYPROJECT = """\
[project]
name = "proj"
version = "0.1.0"
dependencies = ["torch>=2.1", "numpy"]

[project.scripts]
train = "proj.train:main"

[tool.ruff]
line-length = 110
"""

TESTS_WORKFLOW = """\
name: tests
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ${{ matrix.os }}
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest]
        python-version: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
          cache: pip
      - run: pip install -e .
      - run: ruff check .
      - run: coverage run -m pytest tests/
"""

PLAIN_WORKFLOW = """\
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pytest
"""

DVC_CONFIG = """\
[core]
    remote = storage
['remote "storage"']
    url = gs://group-data-bucket/dvcstore
"""

DOCKERFILE = "FROM python:3.11-slim\nCOPY src src\nRUN pip install .\n"

API_APP = """\
from fastapi import BackgroundTasks, FastAPI

app = FastAPI()


def store(row: str) -> None:
    with open("predictions.csv", "a") as fh:
        fh.write(row)
"""

# rule id -> files that show the evidence (strong evidence too, where the rule has any)
PRESENT: dict[str, Files] = {
    "git-repository": {},
    "environment": {"requirements.txt": "torch\n"},
    "cookiecutter": {
        "src/proj/__init__.py": "",
        "tests/__init__.py": "",
        "models/.gitkeep": "",
        "docs/index.md": "# Docs\n",
        "configs/.gitkeep": "",
    },
    "data-code": {"src/proj/data.py": "import torch\n\n\ndef load(path):\n    return torch.load(path)\n"},
    "model-training": {
        "src/proj/model.py": "from torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.conv = nn.Conv2d(1, 8, 3)\n",
        "src/proj/train.py": "def step(model, batch, opt):\n    loss = model(batch).sum()\n"
        "    loss.backward()\n    opt.step()\n",
    },
    "requirements": {"pyproject.toml": PYPROJECT},
    "pep8": {"ruff.toml": "line-length = 100\n"},
    "typing-docs": {"src/proj/util.py": 'def double(x: int) -> int:\n    """Twice x."""\n    return 2 * x\n'},
    "data-version-control": {"data.dvc": "outs:\n- path: data\n", ".dvc/config": DVC_CONFIG},
    "cli": {"pyproject.toml": PYPROJECT},
    "docker-files": {"dockerfiles/train.dockerfile": DOCKERFILE},
    "docker-build": {
        "dockerfiles/train.dockerfile": DOCKERFILE,
        "tasks.py": "def build(c):\n    c.run('docker build -f dockerfiles/train.dockerfile . -t train')\n",
    },
    "config-files": {"configs/experiment/exp1.yaml": "lr: 0.001\nbatch_size: 32\n"},
    "hydra": {
        "src/proj/main_hydra.py": "import hydra\n\n\n@hydra.main(config_path='conf', version_base=None)\n"
        "def main(cfg):\n    pass\n"
    },
    "profiling": {"scripts/run_profile.py": "import cProfile\n\ncProfile.run('main()')\n"},
    "logging": {"src/proj/log.py": "import logging\n\nlog = logging.getLogger(__name__)\n"},
    "wandb": {"src/proj/track.py": "import wandb\n\nwandb.init(project='p')\n"},
    "sweep": {"configs/sweep.yaml": "method: bayes\nmetric:\n  name: val_loss\n"},
    "lightning": {"src/proj/lit.py": "import lightning as L\n\n\nclass Lit(L.LightningModule):\n    pass\n"},
    "huggingface": {"src/proj/tok.py": "from transformers import AutoTokenizer\n"},
    "data-tests": {"tests/test_data.py": "def test_length():\n    assert len([1]) == 1\n"},
    "model-tests": {"tests/test_model.py": "def test_output_shape():\n    assert True\n"},
    "coverage": {".github/workflows/tests.yaml": TESTS_WORKFLOW},
    "ci": {".github/workflows/tests.yaml": TESTS_WORKFLOW},
    "ci-caching-matrix": {".github/workflows/tests.yaml": TESTS_WORKFLOW},
    "ci-lint": {".github/workflows/tests.yaml": TESTS_WORKFLOW},
    "pre-commit": {".pre-commit-config.yaml": "repos: []\n"},
    "workflow-data-trigger": {
        ".github/workflows/data.yaml": "on:\n  push:\n    paths:\n      - 'data/**'\n      - '*.dvc'\njobs:\n"
        "  check:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo data changed\n"
    },
    "workflow-registry-trigger": {
        ".github/workflows/registry.yaml": "on:\n  repository_dispatch:\n    types: [model-staged]\njobs:\n"
        "  stage:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo staged\n"
    },
    "gcs-bucket": {".dvc/config": DVC_CONFIG},
    "cloud-build-trigger": {
        "cloudbuild.yaml": "steps:\n  - name: gcr.io/cloud-builders/docker\n    args: ['build', '.']\n"
    },
    "gcp-training": {
        "configs/vertex_train.yaml": "workerPoolSpecs:\n  machineSpec:\n    machineType: n1-highmem-2\n"
    },
    "fastapi": {"src/proj/api.py": API_APP},
    "torchserve": {"deploy/serve.sh": "torch-model-archiver --model-name net --version 1.0\n"},
    "gcp-deploy": {"deploy/cloudrun.sh": "gcloud run deploy api --image europe-docker.pkg.dev/p/api\n"},
    "api-tests": {
        "tests/test_api.py": "from fastapi.testclient import TestClient\n\n\ndef test_root():\n    pass\n"
    },
    "load-test": {"tests/performance/locustfile.py": "from locust import HttpUser, task\n"},
    "onnx-bentoml": {
        "src/proj/export.py": "import torch\n\n\ndef export(m, x):\n    torch.onnx.export(m, x, 'm.onnx')\n"
    },
    "frontend": {"src/proj/ui.py": "import streamlit as st\n\nst.title('demo')\n"},
    "drift-robustness": {"src/proj/drift_check.py": "from evidently.report import Report\n"},
    "input-output-collection": {"src/proj/api.py": API_APP},
    "drift-api": {"src/proj/drift_api.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"},
    "system-metrics": {"src/proj/metrics.py": "from prometheus_client import Counter\n"},
    "model-monitoring": {"src/proj/monitoring_job.py": "import evidently\n"},
    "alerts": {"monitoring/alert_policy.yaml": "displayName: high latency\n"},
    "distributed-data": {
        "src/proj/loader.py": "from torch.utils.data import DataLoader\n\n\ndef make(ds):\n"
        "    return DataLoader(ds, num_workers=4)\n"
    },
    "distributed-training": {"src/proj/ddp.py": "from torch.nn.parallel import DistributedDataParallel\n"},
    "quantization": {"src/proj/fast.py": "import torch\n\n\ndef fast(m):\n    return torch.compile(m)\n"},
    "documentation": {"mkdocs.yml": "site_name: proj\n"},
    "github-pages": {
        ".github/workflows/docs.yaml": "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: mkdocs gh-deploy --force\n"
    },
    "architecture-diagram": {"reports/figures/architecture.png": b"\x89PNG\r\n\x1a\n"},
    "uploaded-github": {".github/dependabot.yml": "version: 2\n"},
}

# rule id -> a repository that comes close but does not show the evidence
NEAR_MISS: dict[str, Files] = {
    "cookiecutter": {"src/proj/__init__.py": "", "main.py": ""},
    "data-code": {
        "src/proj/data.py": 'class MyDataset:\n    """A dataset."""\n\n    def __len__(self):\n        pass\n'
    },
    "model-training": {
        "src/proj/model.py": "from torch import nn\n\n\nclass Net(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.layer = nn.Linear(1, 1)\n",
        "src/proj/train.py": "def train():\n    # training code goes here\n    pass\n",
    },
    "requirements": {"requirements.txt": "# nothing yet\n"},
    "typing-docs": {"src/proj/util.py": "def double(x):\n    return 2 * x\n"},
    "docker-build": {"dockerfiles/train.dockerfile": DOCKERFILE},
    "config-files": {".pre-commit-config.yaml": "repos: []\n", "mkdocs.yml": "site_name: x\n"},
    "hydra": {"src/proj/cfg.py": "# we considered hydra but used argparse\nimport argparse\n"},
    "data-tests": {"tests/test_data.py": "", "tests/__init__.py": ""},
    "model-tests": {"tests/test_model.py": "# TODO\n"},
    "ci": {".github/ISSUE_TEMPLATE.md": "x\n"},
    "ci-caching-matrix": {".github/workflows/tests.yaml": PLAIN_WORKFLOW},
    "ci-lint": {".github/workflows/tests.yaml": PLAIN_WORKFLOW},
    "pre-commit": {"pre-commit-notes.md": "install pre-commit later\n"},
    "workflow-data-trigger": {
        ".github/workflows/src.yaml": "on:\n  push:\n    paths: ['src/**']\njobs:\n  a:\n    runs-on: x\n"
        "    steps:\n      - run: echo\n"
    },
    "workflow-registry-trigger": {
        ".github/workflows/manual.yaml": "on:\n  workflow_dispatch:\njobs:\n  a:\n    runs-on: x\n"
        "    steps:\n      - run: echo\n"
    },
    "gcs-bucket": {".dvc/config": "[core]\n    remote = local\n['remote \"local\"']\n    url = /tmp/store\n"},
    "fastapi": {"src/proj/api.py": "from flask import Flask\n"},
    "api-tests": {"tests/test_api.py": ""},
    "input-output-collection": {"src/proj/api.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"},
    "drift-api": {"src/proj/drift_check.py": "from evidently.report import Report\n"},
    "distributed-data": {
        "src/proj/loader.py": "from torch.utils.data import DataLoader\nDataLoader(ds, num_workers=0)\n"
    },
    "documentation": {"README.md": "# proj\n"},
    "github-pages": {
        ".github/workflows/docs.yaml": "on: push\njobs:\n  build:\n    runs-on: x\n    steps:\n"
        "      - run: mkdocs build\n"
    },
    "uploaded-github": {"README.md": "# proj\n"},
}


def union() -> dict[str, str | bytes]:
    """All PRESENT fixtures in one repository (shared paths have identical content)."""
    out: dict[str, str | bytes] = {}
    for files in PRESENT.values():
        for path, content in files.items():
            assert out.get(path, content) == content, path
            out[path] = content
    return out
