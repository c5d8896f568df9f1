"""Asks the served fraud detector for two predictions (KServe's v1 protocol).

The last step of the fraud-detector-train WorkflowTemplate. PREDICT_URL is the
predictor's in-cluster address, http://<name>-predictor.<namespace>.svc.cluster.local/
v1/models/<name>:predict. Retries while the new predictor starts (TIMEOUT_SECONDS).
"""

from __future__ import annotations

import json
import os
import sys
import time
import urllib.error
import urllib.request

# Two transactions with the 8 features the model was trained on.
INSTANCES = [
    [0.2, -1.1, 0.5, 1.3, -0.7, 0.0, 2.1, -0.4],
    [3.5, 2.8, -2.9, 0.1, 4.2, -3.3, 1.0, 2.2],
]


def main() -> None:
    url = os.environ["PREDICT_URL"]
    deadline = time.time() + int(os.environ.get("TIMEOUT_SECONDS", "300"))
    payload = json.dumps({"instances": INSTANCES}).encode()
    while True:
        try:
            req = urllib.request.Request(url, data=payload, method="POST",
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=10) as res:
                body = json.loads(res.read().decode())
            predictions = body["predictions"]
            if len(predictions) != len(INSTANCES) or any(p not in (0, 1) for p in predictions):
                sys.exit(f"smoke_test.py: unexpected answer from {url}: {body}")
            print(f"{url} -> {predictions}", flush=True)
            return
        except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
            if time.time() > deadline:
                sys.exit(f"smoke_test.py: no valid answer from {url}: {e}")
            print(f"waiting for {url}: {e}", flush=True)
            time.sleep(5)


if __name__ == "__main__":
    main()
