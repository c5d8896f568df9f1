#!/usr/bin/env bash
# The production configuration, run for real: the backend started with
#   --config app-config.yaml --config app-config.production.yaml
# from packages/backend (as packages/backend/Dockerfile runs it), its secrets from the
# environment, against the harness's PostgreSQL (and its MLflow for the mlops routes). Checks:
#   a. readiness answers 200;
#   b. migrations ran in PostgreSQL: a database per plugin (backstage_plugin_catalog, _auth,
#      _scaffolder, _search) with its tables, the catalog's entities stored there;
#   c. catalog ingestion from the production locations: component:default/fraud-detector,
#      group:default/ml-team and template:default/ml-project, read with the static token;
#   d. the mlops routes answer: the MLflow experiments of fraud-detector, read from MLflow;
#   e. no guest sign-in: /api/auth/guest/refresh gives no token (GET and POST);
#   f. GitHub sign-in is wired: /api/auth/github/start redirects to github.com/login/oauth with
#      the configured client id and the production callback URL (no network needed).
# Then stops the backend and drops the databases it created.
#
#   scripts/production/test-production.sh
#
# Env: MLSTACK_HARNESS_DIR (the harness: PostgreSQL, MinIO and MLflow are started if not up,
# and left running), MLSTACK_PRODUCTION_OUT (default artifacts/production: backend log and
# the test's config). Runs the backend from source (yarn start), so nothing is built.
# Exits non-zero and lists what failed.
source "$(dirname "$0")/../lib.sh"
source "$MLSTACK_ROOT/scripts/lib-portal.sh"
use_project_node
cd "$MLSTACK_ROOT"

OUT="${MLSTACK_PRODUCTION_OUT:-$MLSTACK_ROOT/artifacts/production}"
HDIR="${MLSTACK_HARNESS_DIR:-$MLSTACK_TOOLS/harness}"
FAILURES=()
fail() { FAILURES+=("$1"); printf '\033[31mFAIL\033[0m %s\n' "$1" >&2; }
ok() { printf 'ok   %s\n' "$1"; }
rm -rf "$OUT"
mkdir -p "$OUT"

# ---------------------------------------------------------------- harness
log "harness: PostgreSQL, MinIO and MLflow (reused when up)"
bash scripts/harness/harness.sh up pg s3 mlflow >/dev/null
set -a
source "$HDIR/harness.env"
set +a
[ -n "${MLSTACK_PG_PORT:-}" ] || die "the harness reports no PostgreSQL ($HDIR/harness.env)"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$PG_BIN/psql" ] || die "psql not found under /usr/lib/postgresql/*/bin (Debian package postgresql)"

# psql_q SQL [DATABASE] — one query as the harness's admin user, unaligned rows.
psql_q() {
  PGPASSWORD="$MLSTACK_PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -h "$MLSTACK_PG_HOST" \
    -p "$MLSTACK_PG_PORT" -U "$MLSTACK_PG_USER" -d "${2:-postgres}" -XAtq -v ON_ERROR_STOP=1 -c "$1"
}
plugin_dbs() { psql_q "select datname from pg_database where datname like 'backstage\_plugin\_%' order by 1"; }
drop_plugin_dbs() {
  local db
  for db in $(plugin_dbs); do psql_q "drop database \"$db\" with (force)" >/dev/null; done
}

# A run against a reused harness starts from an empty server, so (b) sees this run's migrations.
drop_plugin_dbs
[ -z "$(plugin_dbs)" ] || die "could not drop the plugin databases left by an earlier run"

# ---------------------------------------------------------------- backend
port="$(free_port)"
BASE="http://127.0.0.1:$port"
# The secrets of app-config.production.yaml, as a deployment hands them over: from the
# environment. The GitHub OAuth app is a dummy one: nothing here talks to github.com.
export BACKSTAGE_BASE_URL="http://localhost:$port"
export POSTGRES_HOST="$MLSTACK_PG_HOST" POSTGRES_PORT="$MLSTACK_PG_PORT"
export POSTGRES_USER="$MLSTACK_PG_USER" POSTGRES_PASSWORD="$MLSTACK_PG_PASSWORD"
BACKEND_EXTERNAL_TOKEN="$(python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
export BACKEND_EXTERNAL_TOKEN
export AUTH_GITHUB_CLIENT_ID="mlstack-ci-client-id"
AUTH_GITHUB_CLIENT_SECRET="$(python3 -c 'import secrets; print(secrets.token_hex(20))')"
export AUTH_GITHUB_CLIENT_SECRET

# What the test changes over production: the port (production listens on :7007, here a free
# loopback port) and the MLflow instance (the harness's, by reference to the environment).
cat >"$OUT/app-config.production-test.yaml" <<CFG
backend:
  listen: { port: $port, host: 127.0.0.1 }
mlops:
  mlflow:
    instances:
      - name: harness
        baseUrl: \${MLSTACK_MLFLOW_URL}
CFG

trap stop_test_backend EXIT
log "starting the backend with app-config.production.yaml on $BASE (PostgreSQL 127.0.0.1:$MLSTACK_PG_PORT)"
start_test_backend "$port" "$OUT" "$MLSTACK_ROOT/app-config.production.yaml" \
  "$OUT/app-config.production-test.yaml"

# http_code METHOD URL [CURL ARGS...] — the status code; the body goes to $OUT/body.
http_code() {
  local method="$1" url="$2"
  shift 2
  curl -sS -o "$OUT/body" -w '%{http_code}' --max-time 20 -X "$method" "$@" "$url" || echo 000
}
AUTH=(-H "Authorization: Bearer $BACKEND_EXTERNAL_TOKEN")

# ---------------------------------------------------------------- a. readiness
code="$(http_code GET "$BASE/.backstage/health/v1/readiness")"
[ "$code" = 200 ] && ok "a. readiness answers 200" ||
  fail "a. readiness answered $code, not 200 ($(head -c 300 "$OUT/body"))"

# ---------------------------------------------------------------- b. migrations
dbs="$(plugin_dbs | tr '\n' ' ')"
for plugin in catalog auth scaffolder search; do
  db="backstage_plugin_$plugin"
  if ! grep -qw "$db" <<<"$dbs"; then
    fail "b. no database $db in PostgreSQL (has: ${dbs:-none}): the backend did not use app-config.production.yaml's database"
    continue
  fi
  tables="$(psql_q "select count(*) from information_schema.tables where table_schema = 'public'" "$db")"
  if [ "${tables:-0}" -gt 0 ]; then ok "b. $db exists with $tables tables"; else fail "b. $db has no tables: its migrations did not run"; fi
done
if grep -qw backstage_plugin_catalog <<<"$dbs"; then
  missing="$(psql_q "select string_agg(t, ', ') from unnest(array['final_entities','refresh_state','locations','knex_migrations']) t where to_regclass('public.' || t) is null" backstage_plugin_catalog)"
  [ -z "$missing" ] && ok "b. the catalog's tables exist (final_entities, refresh_state, locations, knex_migrations)" ||
    fail "b. catalog tables missing in backstage_plugin_catalog: $missing"
  migrations="$(psql_q "select count(*) from knex_migrations" backstage_plugin_catalog 2>/dev/null || echo 0)"
  [ "${migrations:-0}" -gt 0 ] && ok "b. $migrations catalog migrations recorded in knex_migrations" ||
    fail "b. no catalog migration recorded in knex_migrations"
fi

# ---------------------------------------------------------------- c. catalog ingestion
found=0
code=000
for _ in $(seq 1 60); do
  code="$(http_code GET "$BASE/api/catalog/entities/by-name/component/default/fraud-detector" "${AUTH[@]}")"
  [ "$code" = 200 ] && { found=1; break; }
  sleep 1
done
if [ "$found" = 1 ]; then
  ok "c. component:default/fraud-detector is in the catalog (static token)"
else
  fail "c. GET /api/catalog/entities/by-name/component/default/fraud-detector answered $code within 60 s: the production catalog locations (../../catalog-info.yaml from packages/backend) were not ingested"
fi
for ref in group/default/ml-team template/default/ml-project; do
  ok_ref=0
  # The three locations are read in parallel: give the others a moment after the first.
  for _ in $(seq 1 30); do
    code="$(http_code GET "$BASE/api/catalog/entities/by-name/$ref" "${AUTH[@]}")"
    [ "$code" = 200 ] && { ok_ref=1; break; }
    sleep 1
  done
  [ "$ok_ref" = 1 ] && ok "c. ${ref/\//:} is in the catalog" ||
    fail "c. ${ref/\//:} is not in the catalog (last answer $code): check app-config.production.yaml's locations and rules"
done
stored="$(psql_q "select count(*) from final_entities where entity_ref in ('component:default/fraud-detector', 'template:default/ml-project')" backstage_plugin_catalog 2>/dev/null || echo 0)"
[ "$stored" = 2 ] && ok "c. the entities are stored in PostgreSQL (final_entities)" ||
  fail "c. final_entities in PostgreSQL holds $stored of fraud-detector and ml-project, not 2"
code="$(http_code GET "$BASE/api/catalog/entities/by-name/component/default/fraud-detector")"
[ "$code" = 401 ] && ok "c. the catalog refuses a caller without a token (401)" ||
  fail "c. the catalog answered $code, not 401, to a caller without a token"

# ---------------------------------------------------------------- d. mlops routes
# The experiment exists in the harness's MLflow, so the answer shows it was read there.
if ! curl -fsS -o /dev/null "$MLSTACK_MLFLOW_URL/api/2.0/mlflow/experiments/get-by-name?experiment_name=fraud-detector" 2>/dev/null; then
  curl -fsS -o /dev/null -H 'Content-Type: application/json' -d '{"name":"fraud-detector"}' \
    "$MLSTACK_MLFLOW_URL/api/2.0/mlflow/experiments/create" || die "could not create the experiment fraud-detector in the harness MLflow"
fi
code="$(http_code GET "$BASE/api/mlops/entities/component/default/fraud-detector/mlflow/experiments" "${AUTH[@]}")"
if [ "$code" != 200 ]; then
  fail "d. GET /api/mlops/entities/component/default/fraud-detector/mlflow/experiments answered $code: $(head -c 300 "$OUT/body")"
elif verdict="$(python3 - "$OUT/body" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
names = [e["name"] for e in body.get("experiments", [])] + [e["name"] for e in body.get("refusedExperiments", [])]
if body.get("instance") != "harness":
    sys.exit(f"instance is {body.get('instance')!r}, not the configured 'harness'")
if "fraud-detector" not in names:
    sys.exit(f"fraud-detector was not read from MLflow (missing: {body.get('missingExperiments')})")
print(f"experiments {names}")
PY
)"; then
  ok "d. the mlops MLflow route answers 200 from the harness MLflow ($verdict)"
else
  fail "d. the mlops MLflow route answered 200 but: $verdict"
fi

# ---------------------------------------------------------------- e. no guest
for method in GET POST; do
  code="$(http_code "$method" "$BASE/api/auth/guest/refresh" -H 'X-Requested-With: XMLHttpRequest')"
  if [[ "$code" =~ ^4[0-9][0-9]$ ]] && ! grep -q '"token"' "$OUT/body"; then
    ok "e. $method /api/auth/guest/refresh is refused ($code), no token"
  else
    fail "e. $method /api/auth/guest/refresh answered $code$(grep -q '"token"' "$OUT/body" && echo ' with a token'): guest sign-in must be off in production"
  fi
done

# ---------------------------------------------------------------- f. GitHub sign-in
headers="$(curl -sS -o /dev/null -D - --max-time 20 "$BASE/api/auth/github/start?env=production&scope=read:user" || true)"
status="$(head -n 1 <<<"$headers" | awk '{print $2}')" || status=
location="$(grep -i '^location:' <<<"$headers" | head -n 1 | sed 's/^[Ll]ocation: *//' | tr -d '\r')" || location=
if [ "$status" != 302 ]; then
  fail "f. GET /api/auth/github/start?env=production answered ${status:-nothing}, not a 302 to GitHub"
elif verdict="$(python3 - "$location" "$AUTH_GITHUB_CLIENT_ID" "$BACKSTAGE_BASE_URL" <<'PY'
import sys
from urllib.parse import urlsplit, parse_qs
location, client_id, base = sys.argv[1:4]
u = urlsplit(location)
q = parse_qs(u.query)
if (u.scheme, u.netloc) != ("https", "github.com") or not u.path.startswith("/login/oauth"):
    sys.exit(f"redirects to {u.scheme}://{u.netloc}{u.path}, not https://github.com/login/oauth")
if q.get("client_id") != [client_id]:
    sys.exit(f"client_id is {q.get('client_id')}, not AUTH_GITHUB_CLIENT_ID")
want = f"{base}/api/auth/github/handler/frame"
if q.get("redirect_uri") != [want]:
    sys.exit(f"redirect_uri is {q.get('redirect_uri')}, not {want}")
print(u.path)
PY
)"; then
  ok "f. GitHub sign-in redirects to https://github.com$verdict with the client id and callback $BACKSTAGE_BASE_URL/api/auth/github/handler/frame"
else
  fail "f. GitHub sign-in: $verdict"
fi

# ---------------------------------------------------------------- clean up
stop_test_backend
trap - EXIT
drop_plugin_dbs
left="$(plugin_dbs | tr '\n' ' ')"
[ -z "$left" ] && ok "the plugin databases are dropped" || fail "plugin databases left behind: $left"

if [ ${#FAILURES[@]} -gt 0 ]; then
  printf '\n%d check(s) failed (backend log: %s):\n' "${#FAILURES[@]}" "$OUT/backend.log" >&2
  printf '  - %s\n' "${FAILURES[@]}" >&2
  exit 1
fi
log "production configuration: all checks passed"
