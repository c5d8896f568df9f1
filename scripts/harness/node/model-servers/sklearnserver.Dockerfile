# kserve/sklearnserver:v0.20.0 for the harness's node, after upstream's python/sklearn.Dockerfile
# at v0.20.0 (github.com/kserve/kserve, Apache-2.0): the same venv path, user, PYTHONPATH and
# entrypoint, the release's sklearnserver source (copied from its Go module by
# model-servers.sh), kserve[storage] 0.20.0 and sklearnserver's dependencies from PyPI with the
# versions of upstream's python/sklearnserver/uv.lock as pip constraints.
FROM python:3.11-slim
ENV VIRTUAL_ENV=/prod_venv \
    PATH=/prod_venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY constraints.txt /tmp/constraints.txt
RUN python3 -m venv "$VIRTUAL_ENV" \
    && pip install --no-cache-dir --disable-pip-version-check -c /tmp/constraints.txt \
       "kserve[storage]==0.20.0" "scikit-learn~=1.5.1" "joblib>=1.4.0,<2.0.0" "pandas>=2.2.0,<3.0.0" \
    && rm /tmp/constraints.txt
RUN useradd kserve -m -u 1000 -d /home/kserve
COPY sklearnserver /sklearnserver
USER 1000
ENV PYTHONPATH=/sklearnserver
ENTRYPOINT ["python", "-m", "sklearnserver"]
