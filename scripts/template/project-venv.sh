#!/usr/bin/env bash
# The Python environment generated ML projects run in on this machine (`dvc repro`, `dvc push`,
# their tests), shared by scripts/template/test-template.sh and the golden path
# (scripts/harness/node/test-golden-path.sh):
#
#   scripts/template/project-venv.sh REQUIREMENTS_TXT LOG_FILE
#
# .tools/template-venv with a project's requirements.txt (a scikit-learn project's: the pytorch
# one adds torch, too heavy for every run) and jsonschema (test-template.sh's checks). Rebuilt
# only when that requirements.txt changes (its hash is kept in the venv); pip's cache is
# .tools/pip-cache. One run at a time checks and builds it (a lock beside it); the hash is
# written last and a failed build is removed, so a half-made environment is never taken for a
# good one. Prints the venv's path; pip's output goes to LOG_FILE.
source "$(dirname "$0")/../lib.sh"

[ $# -eq 2 ] || die "usage: $0 REQUIREMENTS_TXT LOG_FILE"
requirements="$1" pip_log="$2"
[ -s "$requirements" ] || die "no requirements file $requirements"
need flock "Debian package util-linux"
VENV="$MLSTACK_TOOLS/template-venv"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$MLSTACK_TOOLS/pip-cache}"
hash="$(sha256sum <"$requirements" | cut -c1-16)"
mkdir -p "$MLSTACK_TOOLS"
exec 9>"$VENV.lock"
flock 9 || die "cannot lock $VENV.lock"
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$hash" ]; then
  log "installing the generated project's requirements into $VENV (pip cache $PIP_CACHE_DIR)"
  started=$(date +%s)
  # (built where it lives: a venv's scripts name their interpreter by its absolute path)
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2 || die "python3 -m venv failed (Debian: python3-venv)"
  "$VENV/bin/pip" install -q -r "$requirements" jsonschema==4.26.0 >"$pip_log" 2>&1 ||
    { tail -n 20 "$pip_log" >&2; rm -rf "$VENV"; die "pip install -r $requirements failed (log: $pip_log)"; }
  echo "$hash" >"$VENV/.requirements"
  log "pip install in $(($(date +%s) - started)) s"
fi
echo "$VENV"
