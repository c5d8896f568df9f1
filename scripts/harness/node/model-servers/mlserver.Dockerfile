# docker.io/seldonio/mlserver:1.7.1 for the harness's node (the image KServe v0.20.0's
# kserve-mlserver ClusterServingRuntime names), after upstream's Dockerfile at tag 1.7.1
# (github.com/SeldonIO/MLServer, Apache-2.0): the same user (1000, home /opt/mlserver, writable
# for random UIDs), MLSERVER_* environment and start command (`mlserver start /mnt/models`; KServe
# passes the model's name, path and implementation in MLSERVER_MODEL_* variables), MLServer 1.7.1
# with the two runtimes KServe's formats need here, mlserver-sklearn (modelFormat sklearn) and
# mlserver-mlflow (modelFormat mlflow), from PyPI at the versions of upstream's poetry.lock
# (mlserver-constraints.txt). Differences: Debian's Python 3.11 in a venv instead of conda's
# 3.10 (no conda here); the other runtimes (XGBoost, LightGBM, Hugging Face, ...) are left out;
# no environment tarball support (upstream's hack/activate-env.sh); no torch, so MLflow models of
# the pytorch flavor do not load (torch is a 539 MB wheel plus CUDA libraries on PyPI).
FROM python:3.11-slim
ENV MLSERVER_MODELS_DIR=/mnt/models \
    MLSERVER_PATH=/opt/mlserver \
    VIRTUAL_ENV=/opt/mlserver-venv \
    PATH=/opt/mlserver-venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HF_HOME=/opt/mlserver/.cache \
    NUMBA_CACHE_DIR=/opt/mlserver/.cache
COPY constraints.txt /tmp/constraints.txt
RUN python3 -m venv "$VIRTUAL_ENV" \
    && pip install --no-cache-dir --disable-pip-version-check -c /tmp/constraints.txt \
       mlserver==1.7.1 mlserver-sklearn==1.7.1 mlserver-mlflow==1.7.1 \
    && rm /tmp/constraints.txt
RUN mkdir -p "$MLSERVER_PATH" \
    && useradd -u 1000 -s /bin/bash -d "$MLSERVER_PATH" mlserver \
    && chown -R 1000:0 "$MLSERVER_PATH" \
    && chmod -R 776 "$MLSERVER_PATH"
WORKDIR /opt/mlserver
USER 1000
CMD mlserver start "$MLSERVER_MODELS_DIR"
