#!/usr/bin/env bash
# Run N Stapelkaart replicas and nginx in front of them, all on loopback, without root.
#
#   deploy/run-replicas.sh                      # 2 replicas on 8501/8502, nginx on http://127.0.0.1:8080
#   REPLICAS=3 NGINX_PORT=9000 BASE_PORT=8601 deploy/run-replicas.sh
#
# Environment:
#   STAPELKAART_CACHE_DIR  the shared cache all replicas read (default: .cache/shared). Prepare it once with
#                          `python -m data fetch ...` or `python -m data import-snapshot FILE.zip`; the script
#                          then makes it read-only for the replicas (READONLY=0 to skip that).
#   STAPELKAART_USERSTORE_DIR  imported indicator files (must be shared and writable, default .cache/userstore)
#   STREAMLIT_SERVER_COOKIE_SECRET  shared by all replicas (generated once into $RUN_DIR if unset)
#   RUN_DIR                nginx prefix, logs and pid files (default: a new temp dir)
# Stops everything on Ctrl-C / SIGTERM.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$HERE")"
PYTHON="${PYTHON:-$REPO/.venv/bin/python}"
NGINX="${NGINX:-/usr/sbin/nginx}"
REPLICAS="${REPLICAS:-2}"
BASE_PORT="${BASE_PORT:-8501}"
NGINX_PORT="${NGINX_PORT:-8080}"
READONLY="${READONLY:-1}"
RUN_DIR="${RUN_DIR:-$(mktemp -d -t stapelkaart-deploy.XXXXXX)}"
export STAPELKAART_CACHE_DIR="${STAPELKAART_CACHE_DIR:-$REPO/.cache/shared}"
export STAPELKAART_USERSTORE_DIR="${STAPELKAART_USERSTORE_DIR:-$REPO/.cache/userstore}"

[ -x "$NGINX" ] || { echo "fout: $NGINX ontbreekt (apt-get install nginx)" >&2; exit 1; }
[ -d "$STAPELKAART_CACHE_DIR/entries" ] || {
  echo "fout: $STAPELKAART_CACHE_DIR bevat geen cache; vul hem eerst met" >&2
  echo "  STAPELKAART_CACHE_DIR=$STAPELKAART_CACHE_DIR $PYTHON -m data fetch --gemeente GM0479 --year 2024" >&2
  exit 1; }
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/tmp" "$STAPELKAART_USERSTORE_DIR"
if [ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]; then
  [ -f "$RUN_DIR/cookie-secret" ] || "$PYTHON" -c "import secrets; print(secrets.token_hex(32))" > "$RUN_DIR/cookie-secret"
  export STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$RUN_DIR/cookie-secret")"
fi
if [ "$READONLY" = 1 ]; then
  chmod -R a-w "$STAPELKAART_CACHE_DIR"     # the replicas only read; refresh is an admin job on the prepared copy
fi

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

servers=""
for i in $(seq 1 "$REPLICAS"); do
  port=$((BASE_PORT + i - 1))
  (cd "$REPO" && exec "$PYTHON" -m streamlit run serve.py --server.address 127.0.0.1 --server.port "$port" \
      --server.headless true --browser.gatherUsageStats false) > "$RUN_DIR/logs/replica-$i.log" 2>&1 &
  pids+=("$!")
  servers="$servers    server 127.0.0.1:$port max_fails=3 fail_timeout=10s;   # replica $i\n"
done

# The site file with this run's ports, inside a minimal main config that runs as the current user.
site="$RUN_DIR/stapelkaart.conf"
awk -v servers="$servers" -v listen="127.0.0.1:$NGINX_PORT" '
  /^upstream stapelkaart/ { print; inup = 1; next }
  inup && /server 127\.0\.0\.1:/ { if (!done) { printf "%s", servers; done = 1 } next }
  inup && /^}/ { inup = 0 }
  /listen 127\.0\.0\.1:8080;/ { sub(/127\.0\.0\.1:8080/, listen) }
  { print }' "$HERE/nginx.conf" > "$site"
cat > "$RUN_DIR/nginx.conf" <<CONF
worker_processes 1;
pid $RUN_DIR/nginx.pid;
error_log $RUN_DIR/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log $RUN_DIR/logs/access.log;
    client_body_temp_path $RUN_DIR/tmp/body;
    proxy_temp_path $RUN_DIR/tmp/proxy;
    fastcgi_temp_path $RUN_DIR/tmp/fastcgi;
    uwsgi_temp_path $RUN_DIR/tmp/uwsgi;
    scgi_temp_path $RUN_DIR/tmp/scgi;
    include $site;
}
CONF
"$NGINX" -t -q -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf"

for i in $(seq 1 "$REPLICAS"); do
  port=$((BASE_PORT + i - 1))
  for _ in $(seq 1 300); do
    "$PYTHON" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/_stcore/health', timeout=1)" \
      2>/dev/null && break
    sleep 0.2
  done
done
"$NGINX" -p "$RUN_DIR" -c "$RUN_DIR/nginx.conf" -g "daemon off;" &
pids+=("$!")
echo "Stapelkaart: http://127.0.0.1:$NGINX_PORT ($REPLICAS replica's, cache $STAPELKAART_CACHE_DIR, logs $RUN_DIR/logs)"
wait -n "${pids[@]}"
