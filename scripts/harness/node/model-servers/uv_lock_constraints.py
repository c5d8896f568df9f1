"""Prints pip constraints (name==version) for the packages a uv.lock pins from a registry, so a
pip install resolves to the versions upstream locked. A package the lock pins at more than one
version (forked resolutions) is left unconstrained; local (path) packages are skipped.

    python3 uv_lock_constraints.py path/to/uv.lock [...]
"""
import sys
import tomllib
from collections import defaultdict


def main(paths):
    versions = defaultdict(set)
    for path in paths:
        with open(path, "rb") as f:
            lock = tomllib.load(f)
        for package in lock.get("package", []):
            if "registry" in package.get("source", {}) and "version" in package:
                versions[package["name"]].add(package["version"])
    if not versions:
        sys.exit(f"no registry packages in {' '.join(paths)}")
    for name in sorted(versions):
        if len(versions[name]) == 1:
            print(f"{name}=={next(iter(versions[name]))}")


if __name__ == "__main__":
    main(sys.argv[1:])
