"""Stage `prepare`: a deterministic sample of card transactions, split into train and test.

The data is synthetic so that the project runs anywhere on its first day: a few thousand
transactions with a handful of features and a rare `is_fraud` label, generated from a fixed
seed (the same parameters give the same bytes, so DVC's hash of `data/prepared` is stable).
Replace `generate_transactions` with your real source (a `dvc import-url`, a query, a file
tracked with `dvc add`) and keep `split`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import config

FEATURES = [
    "amount",
    "hour",
    "merchant_risk",
    "distance_km",
    "tx_last_24h",
    "card_age_days",
    "is_foreign",
    "is_online",
]


def generate_transactions(n_samples: int, fraud_rate: float, seed: int) -> pd.DataFrame:
    """Transactions whose fraud probability depends on the features (so there is a signal)."""
    if not 0 < fraud_rate < 0.5:
        raise ValueError(f"fraud_rate must be in (0, 0.5), got {fraud_rate}")
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "amount": np.round(rng.lognormal(mean=3.5, sigma=1.0, size=n_samples), 2),
            "hour": rng.integers(0, 24, size=n_samples),
            "merchant_risk": np.round(rng.beta(2, 8, size=n_samples), 4),
            "distance_km": np.round(rng.exponential(scale=20.0, size=n_samples), 2),
            "tx_last_24h": rng.poisson(lam=3, size=n_samples),
            "card_age_days": rng.integers(1, 3650, size=n_samples),
            "is_foreign": (rng.random(n_samples) < 0.08).astype(int),
            "is_online": (rng.random(n_samples) < 0.45).astype(int),
        }
    )
    night = ((df["hour"] < 6) | (df["hour"] > 22)).astype(float)
    score = (
        1.2 * np.log1p(df["amount"]) / 5
        + 3.0 * df["merchant_risk"]
        + 0.02 * df["distance_km"]
        + 0.15 * df["tx_last_24h"]
        - 0.0004 * df["card_age_days"]
        + 1.0 * df["is_foreign"]
        + 0.4 * df["is_online"]
        + 0.8 * night
        + rng.normal(0, 0.6, size=n_samples)
    )
    # The threshold that makes `fraud_rate` of the rows positive.
    threshold = np.quantile(score, 1 - fraud_rate)
    df[config.TARGET] = (score > threshold).astype(int)
    return df


def split(df: pd.DataFrame, test_size: float, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A stratified split: both parts keep the fraud rate."""
    rng = np.random.default_rng(seed + 1)
    test_parts, train_parts = [], []
    for _, group in df.groupby(config.TARGET, sort=True):
        order = rng.permutation(len(group))
        n_test = int(round(len(group) * test_size))
        test_parts.append(group.iloc[order[:n_test]])
        train_parts.append(group.iloc[order[n_test:]])
    train = pd.concat(train_parts).sort_index().reset_index(drop=True)
    test = pd.concat(test_parts).sort_index().reset_index(drop=True)
    return train, test


def main() -> None:
    params = config.load_params()["data"]
    df = generate_transactions(params["n_samples"], params["fraud_rate"], params["seed"])
    train, test = split(df, params["test_size"], params["seed"])
    config.PREPARED_DIR.mkdir(parents=True, exist_ok=True)
    train.to_csv(config.TRAIN_CSV, index=False)
    test.to_csv(config.TEST_CSV, index=False)
    print(
        f"prepare: {len(train)} train and {len(test)} test rows, "
        f"fraud rate {df[config.TARGET].mean():.3f} -> {config.PREPARED_DIR}"
    )


if __name__ == "__main__":
    main()
