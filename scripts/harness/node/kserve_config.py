"""The KServe objects the harness applies for its controller, from upstream's v0.20.0 files in
third_party/kserve/controller/, set as the Minikube install sets them:

  - ConfigMap kserve/inferenceservice-config: Standard (RawDeployment) mode, no ingress (no
    ingress controller on the node), the storage initializer image of the release, the
    portal's record annotations kept off the pods (PORTAL_RECORD_ANNOTATIONS)
  - ClusterStorageContainer `default` with that image
  - ClusterServingRuntimes kserve-sklearnserver and kserve-mlserver with the images of the
    release (upstream's kustomization leaves placeholders and `latest`)
  - the admission webhooks, pointed at the controller on loopback (clientConfig.url) instead of
    an in-cluster Service, trusting the harness CA

    python kserve_config.py config THIRD_PARTY_DIR                      (before the controller)
    python kserve_config.py webhooks THIRD_PARTY_DIR WEBHOOK_PORT CA_FILE (once it listens)
    python kserve_config.py objects THIRD_PARTY_DIR                     (validated by it)
"""
import base64
import json
import os
import sys

import yaml

RELEASE = "v0.20.0"
IMAGES = {
    "storage-initializer": f"kserve/storage-initializer:{RELEASE}",
    "kserve-sklearnserver": f"kserve/sklearnserver:{RELEASE}",
    # upstream's config/runtimes/kustomization.yaml names this tag for the release
    "kserve-mlserver": "docker.io/seldonio/mlserver:1.7.1",
}


# What the portal records on an InferenceService (the entity it serves, the stable and canary
# models' records). KServe copies an InferenceService's annotations onto its predictors' pod
# templates unless they are in serviceAnnotationDisallowedList (appended to its defaults), so
# without this every canary, promotion or rollback from the portal would restart the stable
# predictor's pods (seen on the node). deploy/minikube/install.sh sets the same.
PORTAL_RECORD_ANNOTATIONS = ["mlstack.io/entity-ref", "mlstack.io/served-model", "mlstack.io/canary-model"]


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def json_key(data, key, change):
    """Change one JSON document held in a ConfigMap key (upstream writes them as JSON)."""
    value = json.loads(data[key])
    change(value)
    data[key] = json.dumps(value, indent=2)


def config_map(third_party):
    (cm,) = load_all(os.path.join(third_party, "inferenceservice.yaml"))
    data = cm["data"]
    data.pop("_example", None)
    json_key(data, "storageInitializer", lambda v: v.update(image=IMAGES["storage-initializer"], enableModelcar=False))
    json_key(data, "deploy", lambda v: v.update(defaultDeploymentMode="Standard"))
    json_key(data, "ingress", lambda v: v.update(disableIngressCreation=True))
    json_key(data, "inferenceService", lambda v: v.update(serviceAnnotationDisallowedList=PORTAL_RECORD_ANNOTATIONS))
    return cm


def storage_container(third_party):
    (sc,) = load_all(os.path.join(third_party, "storagecontainer-default.yaml"))
    sc["spec"]["container"]["image"] = IMAGES["storage-initializer"]
    return sc


def runtimes(third_party):
    out = []
    for name in ("kserve-sklearnserver", "kserve-mlserver"):
        (rt,) = load_all(os.path.join(third_party, "runtimes", f"{name}.yaml"))
        for c in rt["spec"]["containers"]:
            c["image"] = IMAGES[name]
            c["imagePullPolicy"] = "IfNotPresent"
        out.append(rt)
    return out


def webhooks(third_party, port, ca_file):
    with open(ca_file, "rb") as f:
        ca = base64.b64encode(f.read()).decode()
    out = []
    for config in load_all(os.path.join(third_party, "webhooks.yaml")):
        config["metadata"].pop("creationTimestamp", None)
        for hook in config["webhooks"]:
            path = hook["clientConfig"]["service"]["path"]
            hook["clientConfig"] = {"url": f"https://127.0.0.1:{port}{path}", "caBundle": ca}
        out.append(config)
    return out


def main():
    what, third_party = sys.argv[1], sys.argv[2]
    if what == "config":  # before the controller starts
        docs = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "kserve"}},
                config_map(third_party)]
    elif what == "webhooks":  # once it serves them
        docs = webhooks(third_party, sys.argv[3], sys.argv[4])
    elif what == "objects":  # validated by those webhooks
        docs = [storage_container(third_party), *runtimes(third_party)]
    else:
        sys.exit(f"unknown part {what!r}: config, webhooks or objects")
    yaml.safe_dump_all(docs, sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
