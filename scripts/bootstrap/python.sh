#!/usr/bin/env bash
# Creates the project's Python venv under .tools/venv with the harness requirements
# (MLflow from PyPI, boto3). Idempotent: reinstalls only when the requirements change.
source "$(dirname "$0")/../lib.sh"
need python3 "Python 3.10+ with the venv module"

venv="$MLSTACK_TOOLS/venv"
req="$MLSTACK_ROOT/scripts/harness/requirements.txt"
sum="$(sha256sum "$req" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.requirements.sha256" 2>/dev/null)" = "$sum" ]; then
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  log "creating the Python venv at $venv"
  python3 -m venv "$venv" || die "python3 -m venv failed (on Debian: apt-get install python3-venv)"
fi
log "installing the harness's Python packages ($req)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" \
  || die "pip could not install $req"
printf '%s' "$sum" >"$venv/.requirements.sha256"
