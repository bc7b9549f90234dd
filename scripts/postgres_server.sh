#!/usr/bin/env bash
# A throwaway local PostgreSQL 15 server for this project (tests, trying it
# out): data in .postgres/ inside the project (gitignored), listening only on
# 127.0.0.1, port $DBT_POSTGRES_PORT (default 5433, as profiles.yml), trust
# authentication on the loopback address only, and a role $DBT_POSTGRES_USER
# (default call_tracking) that may create databases, with a database
# $DBT_POSTGRES_DATABASE (default call_tracking) it owns.
#
#   scripts/postgres_server.sh start    # init on first use, start (running: fine)
#   scripts/postgres_server.sh status   # exit 0 when it is running
#   scripts/postgres_server.sh stop     # stop it (the data stays in .postgres/)
#   scripts/postgres_server.sh new-database NAME   # drop NAME if it exists,
#                                       # then create it empty, for the role
#
# Durability is off (fsync, synchronous_commit, full_page_writes): this server
# is for builds that can be redone, never for data that matters. To use a real
# server instead, set the DBT_POSTGRES_* variables (see the README).
#
# PostgreSQL refuses to run as root: as root, initdb and postgres run as the
# Debian `postgres` OS user (created when missing). Environment:
#   POSTGRES_BIN    the binaries (default /usr/lib/postgresql/15/bin)
#   POSTGRES_DATA   the data folder (default <project>/.postgres/data, or a
#                   folder of /tmp when the postgres user cannot reach the project)
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
HOST=127.0.0.1
PORT="${DBT_POSTGRES_PORT:-5433}"
ROLE="${DBT_POSTGRES_USER:-call_tracking}"
DATABASE="${DBT_POSTGRES_DATABASE:-call_tracking}"
OS_USER=postgres

say() { echo "postgres_server: $*" >&2; }
die() { say "$*"; exit 1; }

# The data folder: .postgres/data in the project, unless the server's OS
# user cannot reach the project (say, a clone under /root): then a folder
# of /tmp named after the project, the same on every call.
resolve_data() {
    if [ -n "${POSTGRES_DATA:-}" ]; then
        DATA="$POSTGRES_DATA"
    elif [ "$(id -u)" -eq 0 ] && id "$OS_USER" >/dev/null 2>&1 \
        && ! runuser -u "$OS_USER" -- test -x "$PROJECT_ROOT" 2>/dev/null; then
        DATA="/tmp/call_tracking_postgres_$(printf '%s' "$PROJECT_ROOT" | cksum | cut -d' ' -f1)/data"
    else
        DATA="$PROJECT_ROOT/.postgres/data"
    fi
    LOG="$(dirname "$DATA")/server.log"
}

# Run a command as the OS user that owns the cluster.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$OS_USER" -- "$@"
    else
        "$@"
    fi
}

check_binaries() {
    for tool in initdb pg_ctl postgres psql pg_isready; do
        [ -x "$BIN/$tool" ] || die "$BIN/$tool not found: install PostgreSQL 15 \
(Debian/Ubuntu: apt-get install postgresql-15) or set POSTGRES_BIN to its bin folder."
    done
}

ensure_os_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    if ! id "$OS_USER" >/dev/null 2>&1; then
        say "creating the OS user $OS_USER (PostgreSQL does not run as root)"
        useradd --system --user-group --home-dir /var/lib/postgresql \
            --shell /bin/bash "$OS_USER"
    fi
}

is_running() {
    [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

psql_admin() {
    PGOPTIONS="-c client_min_messages=warning" "$BIN/psql" -h "$HOST" -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"
}

init_cluster() {
    mkdir -p "$(dirname "$DATA")"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$OS_USER": "$(dirname "$DATA")"
        # The server runs as $OS_USER: every folder above the data must let it through.
        if ! runuser -u "$OS_USER" -- test -x "$(dirname "$DATA")"; then
            die "the OS user $OS_USER cannot reach $(dirname "$DATA") (a parent \
folder is private); set POSTGRES_DATA to a folder it can reach"
        fi
    fi
    say "initialising a new cluster in $DATA"
    as_owner "$BIN/initdb" -D "$DATA" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DATA/postgresql.conf" <<EOF

# scripts/postgres_server.sh: a local, throwaway server.
listen_addresses = '$HOST'
unix_socket_directories = ''
timezone = 'UTC'
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
shared_buffers = 256MB
work_mem = 64MB
maintenance_work_mem = 256MB
max_wal_size = 2GB
EOF
    # Trust only connections over TCP from this machine's loopback address.
    cat >"$DATA/pg_hba.conf" <<EOF
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  trust
EOF
}

start() {
    check_binaries
    ensure_os_user
    resolve_data
    case "$DATA" in
        "$PROJECT_ROOT"/*) ;;
        *) say "data folder: $DATA" ;;
    esac
    if is_running; then
        say "already running on $HOST:$PORT (data: $DATA)"
    else
        [ -f "$DATA/PG_VERSION" ] || init_cluster
        say "starting on $HOST:$PORT (log: $LOG)"
        if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
            -o "-p $PORT -c listen_addresses=$HOST" start >/dev/null; then
            tail -n 20 "$LOG" >&2 || true
            die "the server did not start (is port $PORT taken? set DBT_POSTGRES_PORT)"
        fi
    fi
    if ! "$BIN/pg_isready" -q -h "$HOST" -p "$PORT" -t 30; then
        die "running, but nothing answers on $HOST:$PORT (started with another port? \
stop it and start again)"
    fi
    psql_admin <<EOF
select format('create role %I login createdb', '$ROLE')
where not exists (select from pg_roles where rolname = '$ROLE')
\gexec
select format('create database %I owner %I', '$DATABASE', '$ROLE')
where not exists (select from pg_database where datname = '$DATABASE')
\gexec
EOF
    say "ready: postgresql://$ROLE@$HOST:$PORT/$DATABASE"
}

stop() {
    check_binaries
    resolve_data
    if is_running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        say "stopped"
    else
        say "not running"
    fi
}

status() {
    check_binaries
    resolve_data
    if is_running; then
        say "running on $HOST:$PORT (data: $DATA)"
    else
        say "not running"
        return 3
    fi
}

new_database() {
    local name="$1"
    check_binaries
    resolve_data
    is_running || die "not running: start it first ($0 start)"
    psql_admin <<EOF
select format('drop database if exists %I with (force)', '$name')
\gexec
select format('create database %I owner %I', '$name', '$ROLE')
\gexec
EOF
    say "new empty database $name"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    new-database)
        [ -n "${2:-}" ] || die "usage: $0 new-database NAME"
        new_database "$2"
        ;;
    *) echo "usage: $0 start|stop|status|new-database NAME" >&2; exit 2 ;;
esac
