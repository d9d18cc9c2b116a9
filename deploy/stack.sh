#!/usr/bin/env bash
# The whole scale-out stack on one machine, without containers:
#   PostgreSQL (Debian package, a cluster of its own), `chroma run`, N app replicas, nginx in front.
#
#   deploy/stack.sh start DIR [REPLICAS]   # prints the settings; the proxy URL is in DIR/stack.env
#   deploy/stack.sh stop DIR
#
# Everything lives in DIR (data, logs, pid files). Ports: $BASE_PORT (default 18000) is nginx,
# +1 PostgreSQL, +2 Chroma, +10.. the replicas. MOCK_INTERVIEWER_* variables set by the caller
# (embeddings, LLM) are passed on to the replicas. compose.yaml describes the same stack.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
PG_BIN="${MOCK_INTERVIEWER_PG_BIN:-$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")}"
PYTHON_BIN="${PYTHON_BIN:-$ROOT/.venv/bin}"
BASE_PORT="${BASE_PORT:-18000}"

as_pg() {  # PostgreSQL refuses to run as root
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_http() {  # URL SECONDS
    for _ in $(seq 1 $((${2:-60} * 5))); do
        if curl -fsS -o /dev/null "$1" 2>/dev/null; then return 0; fi
        sleep 0.2
    done
    echo "timed out waiting for $1" >&2
    return 1
}

start() {
    local dir="$1" replicas="${2:-2}"
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    local pg_port=$((BASE_PORT + 1)) chroma_port=$((BASE_PORT + 2)) proxy_port="$BASE_PORT"

    # PostgreSQL: a cluster of its own in DIR/pg, loopback only.
    mkdir -p "$dir/pg"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir/pg"; fi
    if [ ! -f "$dir/pg/data/PG_VERSION" ]; then
        as_pg "$PG_BIN/initdb" -D "$dir/pg/data" -A trust -U postgres -E UTF8 >/dev/null
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/log" -w \
        -o "-h 127.0.0.1 -p $pg_port -k $dir/pg -c max_connections=200" start >/dev/null
    as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'mock_interviewer'" | grep -q 1 \
        || as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres mock_interviewer

    # Chroma server.
    ANONYMIZED_TELEMETRY=False nohup "$PYTHON_BIN/chroma" run --path "$dir/chroma" --host 127.0.0.1 \
        --port "$chroma_port" >"$dir/chroma.log" 2>&1 &
    echo $! >"$dir/chroma.pid"
    wait_http "http://127.0.0.1:$chroma_port/api/v2/heartbeat" 60

    # The settings every replica shares.
    [ -f "$dir/web_secret" ] || (umask 077 && head -c 24 /dev/urandom | base64 >"$dir/web_secret")
    export MOCK_INTERVIEWER_DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/mock_interviewer"
    export MOCK_INTERVIEWER_CHROMA_URL="http://127.0.0.1:$chroma_port"
    export MOCK_INTERVIEWER_WEB_SECRET="$(cat "$dir/web_secret")"
    export MOCK_INTERVIEWER_HOME="$dir/home-admin"

    # Once, before any replica: the schema and the rubric index.
    "$PYTHON_BIN/mock-interview" db migrate
    "$PYTHON_BIN/mock-interview" index >/dev/null

    # The replicas: one Gradio process each, each with its own data directory (reports only).
    local upstream=""
    for i in $(seq 1 "$replicas"); do
        local port=$((BASE_PORT + 9 + i))
        MOCK_INTERVIEWER_HOME="$dir/home-app$i" nohup "$PYTHON_BIN/mock-interview" web --host 127.0.0.1 \
            --port "$port" --replica "app$i" >"$dir/app$i.log" 2>&1 &
        echo $! >"$dir/app$i.pid"
        echo "$port" >"$dir/app$i.port"
        upstream="${upstream}server 127.0.0.1:$port max_fails=1 fail_timeout=5s; "
    done
    for i in $(seq 1 "$replicas"); do
        wait_http "http://127.0.0.1:$(cat "$dir/app$i.port")/healthz" 180
    done

    # nginx in front, run from DIR with its own config.
    mkdir -p "$dir/nginx/logs" "$dir/nginx/tmp"
    chmod -R 777 "$dir/nginx/tmp"
    {
        echo "worker_processes 1; pid $dir/nginx/nginx.pid; error_log $dir/nginx/logs/error.log;"
        if [ "$(id -u)" -eq 0 ]; then echo "user root;"; fi
        echo "events { worker_connections 1024; }"
        echo "http { access_log $dir/nginx/logs/access.log; client_body_temp_path $dir/nginx/tmp/body;"
        echo "proxy_temp_path $dir/nginx/tmp/proxy; fastcgi_temp_path $dir/nginx/tmp/fastcgi;"
        echo "uwsgi_temp_path $dir/nginx/tmp/uwsgi; scgi_temp_path $dir/nginx/tmp/scgi;"
        UPSTREAM_SERVERS="$upstream" LISTEN="127.0.0.1:$proxy_port" \
            envsubst '${UPSTREAM_SERVERS} ${LISTEN}' <"$HERE/nginx.conf.template"
        echo "}"
    } >"$dir/nginx/nginx.conf"
    nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -e "$dir/nginx/logs/error.log"
    wait_http "http://127.0.0.1:$proxy_port/healthz" 30

    {
        echo "PROXY_URL=http://127.0.0.1:$proxy_port"
        echo "MOCK_INTERVIEWER_DATABASE_URL=$MOCK_INTERVIEWER_DATABASE_URL"
        echo "MOCK_INTERVIEWER_CHROMA_URL=$MOCK_INTERVIEWER_CHROMA_URL"
        echo "REPLICAS=$replicas"
    } >"$dir/stack.env"
    cat "$dir/stack.env"
}

stop() {
    local dir
    dir="$(cd "$1" && pwd)"
    if [ -f "$dir/nginx/nginx.pid" ]; then nginx -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s quit || true; fi
    for pidfile in "$dir"/app*.pid "$dir/chroma.pid"; do
        [ -f "$pidfile" ] || continue
        kill -TERM "$(cat "$pidfile")" 2>/dev/null || true
    done
    for pidfile in "$dir"/app*.pid "$dir/chroma.pid"; do
        [ -f "$pidfile" ] || continue
        local pid
        pid="$(cat "$pidfile")"
        for _ in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
        rm -f "$pidfile"
    done
    if [ -f "$dir/pg/data/postmaster.pid" ]; then as_pg "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast stop >/dev/null; fi
}

case "${1:-}" in
    start) start "${2:?DIR}" "${3:-2}" ;;
    stop) stop "${2:?DIR}" ;;
    *) echo "usage: $0 start DIR [REPLICAS] | stop DIR" >&2; exit 2 ;;
esac
