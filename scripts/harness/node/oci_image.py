"""Writes an OCI image archive (the layout `ctr images import` reads) from a root filesystem.

    python3 oci_image.py --rootfs DIR --name registry.k8s.io/pause:3.10.2 --out image.tar \
        [--entrypoint JSON] [--cmd JSON] [--env K=V ...] [--workdir DIR] [--user U]

One uncompressed layer holding DIR (owners, modes and symlinks kept). The image is named by the
`io.containerd.image.name` annotation, which containerd's importer takes as the full reference,
so the kubelet finds it under exactly the name a manifest uses. No registry is involved: the
images the harness's node runs are built here and imported into its containerd.
"""
import argparse
import hashlib
import io
import json
import os
import tarfile
import tempfile


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def layer_of(rootfs, tmpdir):
    """A reproducible tar of rootfs: sorted entries, fixed mtimes, numeric owners."""
    path = os.path.join(tmpdir, "layer.tar")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        def reset(info):
            info.mtime = 0
            info.uname = info.gname = ""
            return info

        for dirpath, dirnames, filenames in os.walk(rootfs):
            dirnames.sort()
            for name in sorted(dirnames) + sorted(filenames):
                full = os.path.join(dirpath, name)
                arc = os.path.relpath(full, rootfs)
                tar.add(full, arcname=arc, recursive=False, filter=reset)
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rootfs", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--entrypoint")
    p.add_argument("--cmd")
    p.add_argument("--env", action="append", default=[])
    p.add_argument("--workdir")
    p.add_argument("--user")
    a = p.parse_args()

    config = {"architecture": "amd64", "os": "linux", "config": {},
              "rootfs": {"type": "layers", "diff_ids": []}}
    cfg = config["config"]
    if a.entrypoint is not None:
        cfg["Entrypoint"] = json.loads(a.entrypoint)
    if a.cmd is not None:
        cfg["Cmd"] = json.loads(a.cmd)
    cfg["Env"] = a.env or ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
    if a.workdir:
        cfg["WorkingDir"] = a.workdir
    if a.user:
        cfg["User"] = a.user

    with tempfile.TemporaryDirectory() as tmp:
        layer = layer_of(a.rootfs, tmp)
        digest = sha256_file(layer)
        layers = [{"mediaType": "application/vnd.oci.image.layer.v1.tar",
                   "digest": f"sha256:{digest}", "size": os.path.getsize(layer)}]
        config["rootfs"]["diff_ids"] = [f"sha256:{digest}"]
        config_bytes = json.dumps(config, sort_keys=True).encode()
        config_digest = hashlib.sha256(config_bytes).hexdigest()
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                               "digest": f"sha256:{config_digest}", "size": len(config_bytes)},
                    "layers": layers}
        manifest_bytes = json.dumps(manifest, sort_keys=True).encode()
        manifest_digest = hashlib.sha256(manifest_bytes).hexdigest()
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                "digest": f"sha256:{manifest_digest}", "size": len(manifest_bytes),
                                "annotations": {"io.containerd.image.name": a.name,
                                                "org.opencontainers.image.ref.name": a.name}}]}

        def add_bytes(tar, name, data):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
        with tarfile.open(a.out + ".tmp", "w") as out:
            add_bytes(out, "oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
            add_bytes(out, "index.json", json.dumps(index).encode())
            add_bytes(out, f"blobs/sha256/{config_digest}", config_bytes)
            add_bytes(out, f"blobs/sha256/{manifest_digest}", manifest_bytes)
            out.add(layer, arcname=f"blobs/sha256/{digest}")
        os.replace(a.out + ".tmp", a.out)
    print(f"{a.name} sha256:{manifest_digest}")


if __name__ == "__main__":
    main()
