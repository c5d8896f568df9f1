# kserve/storage-initializer:v0.20.0 for the harness's node, after upstream's
# python/storage-initializer.Dockerfile at v0.20.0 (github.com/kserve/kserve, Apache-2.0):
# the same venv path, user, work directory and entrypoint script (copied from the release's
# Go module by model-servers.sh), kserve-storage 0.20.0 from PyPI with the versions of
# upstream's python/storage/uv.lock as pip constraints. Left out: the `confidential` extra and
# the Kerberos/HDFS packages (the harness serves from S3).
FROM python:3.11-slim
ENV VIRTUAL_ENV=/prod_venv \
    PATH=/prod_venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY constraints.txt /tmp/constraints.txt
RUN python3 -m venv "$VIRTUAL_ENV" \
    && pip install --no-cache-dir --disable-pip-version-check -c /tmp/constraints.txt kserve-storage==0.20.0 \
    && rm /tmp/constraints.txt
RUN useradd kserve -m -u 1000 -d /home/kserve
COPY storage-initializer /storage-initializer
RUN chmod +x /storage-initializer/scripts/initializer-entrypoint && mkdir /work && chown -R kserve:kserve /mnt
WORKDIR /work
USER 1000
ENTRYPOINT ["/storage-initializer/scripts/initializer-entrypoint"]
