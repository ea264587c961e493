#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests, from the PostgreSQL binaries on this machine.
#
#   scripts/pg-throwaway.sh start DIR [PORT]   # prints DATABASE_URL=postgres://postgres@127.0.0.1:PORT/test
#   scripts/pg-throwaway.sh stop DIR           # stops the cluster and deletes DIR
#
# Trust authentication, listens on 127.0.0.1 only, socket inside DIR, fsync off: never for real data.
# initdb refuses to run as root, so as root the cluster runs as the `postgres` system user.
# Binaries: $PG_BIN, else initdb on PATH, else the newest /usr/lib/postgresql/*/bin.
set -euo pipefail

log() { printf 'pg-throwaway: %s\n' "$*" >&2; }
die() {
    log "$*"
    exit 1
}

pg_bin() {
    if [[ -n "${PG_BIN:-}" ]]; then
        printf '%s\n' "$PG_BIN"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
    else
        local newest
        newest=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
        [[ -n "$newest" ]] || die "no PostgreSQL binaries found (install postgresql or set PG_BIN)"
        printf '%s\n' "$newest"
    fi
}

# Run a command as the cluster's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user for initdb"
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
    local dir=$1 port=${2:-55432} bin
    bin=$(pg_bin)
    [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] || die "initdb/pg_ctl not found in $bin"
    port_in_use "$port" && die "port $port is already in use (pass another port)"
    mkdir -p "$dir"
    [[ -z "$(ls -A "$dir")" ]] || die "$dir is not empty"
    [[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
    chmod 700 "$dir"
    log "initdb in $dir ($bin)"
    as_owner "$bin/initdb" --pgdata="$dir/data" --username=postgres --auth=trust --encoding=UTF8 \
        --no-locale --no-sync >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    }
    log "starting on 127.0.0.1:$port"
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        start >/dev/null || {
        cat "$dir/server.log" >&2
        die "the server did not start"
    }
    # pytest-django makes its own test_* databases; the configured one must exist as well.
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE DATABASE test" >/dev/null
    printf 'DATABASE_URL=postgres://postgres@127.0.0.1:%s/test\n' "$port"
}

stop() {
    local dir=$1 bin
    [[ -d "$dir/data" ]] || {
        rm -rf "$dir"
        return 0
    }
    bin=$(pg_bin)
    log "stopping the cluster in $dir"
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" -m fast --wait stop >/dev/null 2>&1 || log "pg_ctl stop failed"
    rm -rf "$dir"
}

case "${1:-}" in
start)
    [[ $# -ge 2 ]] || die "usage: $0 start DIR [PORT]"
    start "$2" "${3:-}"
    ;;
stop)
    [[ $# -eq 2 ]] || die "usage: $0 stop DIR"
    stop "$2"
    ;;
*) die "usage: $0 start DIR [PORT] | stop DIR" ;;
esac
