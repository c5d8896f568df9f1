{%- if values.framework == "pytorch" -%}
"""The model: a small PyTorch network (MLP) for tabular data.

Everything the served model needs is made of standard layers (the input scaling is a frozen
Linear layer), so the MLflow `pytorch` flavor can load it without this package. KServe serves
it as an MLflow model (modelFormat `mlflow`, MLServer, V2 protocol).
"""

from __future__ import annotations

from typing import Callable

import mlflow
import mlflow.pytorch
import numpy as np
import pandas as pd
import torch
from mlflow.models import infer_signature
from sklearn.metrics import log_loss, roc_auc_score
from torch import nn

FLAVOR = "pytorch"


def _as_array(x: pd.DataFrame | np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def build(n_features: int, hidden_units: int, mean: np.ndarray, std: np.ndarray) -> nn.Module:
    scale = nn.Linear(n_features, n_features)
    with torch.no_grad():
        scale.weight.copy_(torch.diag(torch.from_numpy(1.0 / std)))
        scale.bias.copy_(torch.from_numpy(-mean / std))
    scale.requires_grad_(False)
    return nn.Sequential(
        scale,
        nn.Linear(n_features, hidden_units),
        nn.ReLU(),
        nn.Linear(hidden_units, hidden_units),
        nn.ReLU(),
        nn.Linear(hidden_units, 1),
        nn.Sigmoid(),
    )


def fit(
    candidate: dict,
    x_train: pd.DataFrame,
    y_train: pd.Series,
    x_val: pd.DataFrame,
    y_val: pd.Series,
    seed: int,
    on_step: Callable[[int, dict[str, float]], None],
) -> nn.Module:
    """Trains for `epochs`; reports train/validation loss and validation ROC AUC per epoch."""
    torch.manual_seed(seed)
    xt, yt = _as_array(x_train), np.asarray(y_train, dtype=np.float32)
    mean, std = xt.mean(axis=0), xt.std(axis=0) + 1e-6
    net = build(xt.shape[1], int(candidate["hidden_units"]), mean, std)
    optimizer = torch.optim.Adam(
        [p for p in net.parameters() if p.requires_grad], lr=float(candidate["learning_rate"])
    )
    # Frauds are rare: weigh them up so the network does not settle on "never fraud".
    pos_weight = float((1 - yt.mean()) / max(yt.mean(), 1e-6))
    x_tensor, y_tensor = torch.from_numpy(xt), torch.from_numpy(yt).unsqueeze(1)
    batch = int(candidate["batch_size"])
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(int(candidate["epochs"])):
        net.train()
        order = torch.randperm(len(x_tensor), generator=generator)
        total = 0.0
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            p = net(x_tensor[idx]).clamp(1e-6, 1 - 1e-6)
            weights = 1 + (pos_weight - 1) * y_tensor[idx]
            loss = nn.functional.binary_cross_entropy(p, y_tensor[idx], weight=weights)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += float(loss) * len(idx)
        proba = predict_proba(net, x_val)
        on_step(
            epoch,
            {
                "train_loss": total / len(order),
                "val_log_loss": float(log_loss(y_val, proba, labels=[0, 1])),
                "val_roc_auc": float(roc_auc_score(y_val, proba)),
            },
        )
    return net


def predict_proba(net: nn.Module, x: pd.DataFrame | np.ndarray) -> np.ndarray:
    net.eval()
    with torch.no_grad():
        return net(torch.from_numpy(_as_array(x))).numpy().ravel()


def log_model(net: nn.Module, x_example: pd.DataFrame):
    """Logs the network as an MLflow 3 LoggedModel of the active run; returns its ModelInfo."""
    example = _as_array(x_example.head(5))
    return mlflow.pytorch.log_model(
        net,
        name="model",
        signature=infer_signature(example, predict_proba(net, example).reshape(-1, 1)),
        input_example=example,
        # What the server must install: the versions this was trained with (no inference run).
        pip_requirements=[
            f"mlflow=={mlflow.__version__}",
            f"torch=={torch.__version__.split('+')[0]}",
            f"numpy=={np.__version__}",
        ],
    )


def load_model(model_uri: str) -> nn.Module:
    return mlflow.pytorch.load_model(model_uri)
{%- else -%}
"""The model: scikit-learn gradient boosting for tabular data.

Logged with the MLflow `sklearn` flavor as a pickle (`model.pkl`): KServe's scikit-learn server
loads exactly that file (modelFormat `sklearn`), with the scikit-learn version pinned in
requirements.txt to the one in KServe's server image.
"""

from __future__ import annotations

from typing import Callable

import mlflow
import mlflow.sklearn
import numpy as np
import pandas as pd
import sklearn
from mlflow.models import infer_signature
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import log_loss, roc_auc_score

FLAVOR = "sklearn"


def fit(
    candidate: dict,
    x_train: pd.DataFrame,
    y_train: pd.Series,
    x_val: pd.DataFrame,
    y_val: pd.Series,
    seed: int,
    on_step: Callable[[int, dict[str, float]], None],
) -> GradientBoostingClassifier:
    """Fits the candidate; reports validation loss and ROC AUC after each boosting stage."""
    model = GradientBoostingClassifier(
        n_estimators=int(candidate["n_estimators"]),
        learning_rate=float(candidate["learning_rate"]),
        max_depth=int(candidate["max_depth"]),
        random_state=seed,
    )
    model.fit(x_train, y_train)
    for step, proba in enumerate(model.staged_predict_proba(x_val)):
        on_step(
            step,
            {
                "train_deviance": float(model.train_score_[step]),
                "val_log_loss": float(log_loss(y_val, proba[:, 1], labels=[0, 1])),
                "val_roc_auc": float(roc_auc_score(y_val, proba[:, 1])),
            },
        )
    return model


def predict_proba(model, x: pd.DataFrame | np.ndarray) -> np.ndarray:
    return model.predict_proba(x)[:, 1]


def log_model(model: GradientBoostingClassifier, x_example: pd.DataFrame):
    """Logs the model as an MLflow 3 LoggedModel of the active run; returns its ModelInfo."""
    example = x_example.head(5)
    return mlflow.sklearn.log_model(
        model,
        name="model",
        signature=infer_signature(example, model.predict(example)),
        input_example=example,
        # KServe's scikit-learn server reads model.pkl (not MLflow's default, skops).
        serialization_format=mlflow.sklearn.SERIALIZATION_FORMAT_PICKLE,
        # What a server must install: the versions this was trained with (no inference run).
        pip_requirements=[
            f"mlflow=={mlflow.__version__}",
            f"scikit-learn=={sklearn.__version__}",
            f"numpy=={np.__version__}",
            f"pandas=={pd.__version__}",
        ],
    )


def load_model(model_uri: str):
    return mlflow.sklearn.load_model(model_uri)
{%- endif %}
