#!/usr/bin/env bash
# A throwaway local PostgreSQL 15 server for this project (tests, trying it
# out): data in .postgres/ inside the project (gitignored), listening only on
# 127.0.0.1, port $DBT_POSTGRES_PORT (default 5433, as profiles.yml), and a
# role $DBT_POSTGRES_USER (default call_tracking) that may create databases,
# with a database $DBT_POSTGRES_DATABASE (default call_tracking) it owns.
#
# Safe on a shared machine: every connection needs a password (scram-sha-256;
# no local OS user gets in as superuser). The passwords are generated on
# first start and kept beside the data in a libpq password file readable
# only by its owner; libpq clients (psql, dbt, the loader, the tests) find
# them when PGPASSFILE names it:
#   export PGPASSFILE="$(scripts/postgres_server.sh passfile)"   (make does)
# Role and database names must be plain identifiers (a-z, 0-9, _).
#
#   scripts/postgres_server.sh start    # init on first use, start (running: fine)
#   scripts/postgres_server.sh status   # exit 0 when it is running
#   scripts/postgres_server.sh stop     # stop it (the data stays in .postgres/)
#   scripts/postgres_server.sh new-database NAME   # drop NAME if it exists,
#                                       # then create it empty, for the role
#   scripts/postgres_server.sh passfile # print the password file's path
#
# Durability is off (fsync, synchronous_commit, full_page_writes): this server
# is for builds that can be redone, never for data that matters. To use a real
# server instead, set the DBT_POSTGRES_* variables (see the README).
#
# PostgreSQL refuses to run as root: as root, initdb and postgres run as the
# Debian `postgres` OS user (created when missing). Environment:
#   POSTGRES_BIN    the binaries (default /usr/lib/postgresql/15/bin)
#   POSTGRES_DATA   the data folder (default <project>/.postgres/data, or a
#                   new private folder of /tmp, made with mktemp and recorded
#                   in .postgres/location, when the postgres user cannot reach
#                   the project)
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

# Names reach SQL only as plain identifiers (and as psql :'literals').
check_name() {
    [[ "$1" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] \
        || die "$2 '$1' is not a plain name (a-z, 0-9, _; at most 63)"
}
check_name "$ROLE" DBT_POSTGRES_USER
check_name "$DATABASE" DBT_POSTGRES_DATABASE

# The data folder: .postgres/data in the project, unless the server's OS
# user cannot reach the project (say, a clone under /root): then a new
# folder of /tmp with an unpredictable name (mktemp: created by us, never a
# folder or link someone planted), recorded in .postgres/location so that
# every later call finds it. `create` says whether it may be made now.
resolve_data() {
    local create="${1:-}" location="$PROJECT_ROOT/.postgres/location"
    if [ -n "${POSTGRES_DATA:-}" ]; then
        DATA="$POSTGRES_DATA"
    elif [ "$(id -u)" -eq 0 ] && id "$OS_USER" >/dev/null 2>&1 \
        && ! runuser -u "$OS_USER" -- test -x "$PROJECT_ROOT" 2>/dev/null; then
        if [ -f "$location" ]; then
            DATA="$(cat "$location")"
        elif [ -n "$create" ]; then
            mkdir -p "$PROJECT_ROOT/.postgres"
            DATA="$(mktemp -d /tmp/call_tracking_postgres.XXXXXXXXXX)/data"
            printf '%s\n' "$DATA" >"$location"
        else
            DATA="$PROJECT_ROOT/.postgres/unset/data"
        fi
    else
        DATA="$PROJECT_ROOT/.postgres/data"
    fi
    LOG="$(dirname "$DATA")/server.log"
    PASSFILE="$(dirname "$DATA")/pgpass"
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
    PGPASSFILE="$PASSFILE" PGOPTIONS="-c client_min_messages=warning" \
        "$BIN/psql" -h "$HOST" -p "$PORT" -U postgres -d postgres \
        -v ON_ERROR_STOP=1 -qAt "$@"
}

new_password() {
    od -An -N24 -tx1 /dev/urandom | tr -d ' \n'
}

# The password file (libpq's format), owner-only: the superuser's password
# and the role's, for this host on any port. Written once, before initdb.
write_passfile() {
    local superuser_password="$1" role_password
    role_password="$(new_password)"
    (
        umask 077
        printf '%s:*:*:postgres:%s\n%s:*:*:%s:%s\n' \
            "$HOST" "$superuser_password" "$HOST" "$ROLE" "$role_password" \
            >"$PASSFILE"
    )
}

role_password() {
    awk -F: -v role="$ROLE" '$4 == role { print $5 }' "$PASSFILE"
}

init_cluster() {
    mkdir -p "$(dirname "$DATA")"
    local superuser_password pwfile
    superuser_password="$(new_password)"
    write_passfile "$superuser_password"
    if [ "$(id -u)" -eq 0 ]; then
        # -h: never follow a link planted in place of the folder.
        chown -h "$OS_USER": "$(dirname "$DATA")"
        # The server runs as $OS_USER: every folder above the data must let it through.
        if ! runuser -u "$OS_USER" -- test -x "$(dirname "$DATA")"; then
            die "the OS user $OS_USER cannot reach $(dirname "$DATA") (a parent \
folder is private); set POSTGRES_DATA to a folder it can reach"
        fi
    fi
    say "initialising a new cluster in $DATA"
    pwfile="$(dirname "$DATA")/initdb.pw"
    (umask 077; printf '%s\n' "$superuser_password" >"$pwfile")
    [ "$(id -u)" -ne 0 ] || chown -h "$OS_USER": "$pwfile"
    as_owner "$BIN/initdb" -D "$DATA" --username=postgres \
        --auth=scram-sha-256 --pwfile="$pwfile" \
        --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
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
    # Only TCP from this machine's loopback address, and only with a password.
    as_owner tee "$DATA/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  scram-sha-256
EOF
}

start() {
    check_binaries
    ensure_os_user
    resolve_data create
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
    [ -f "$PASSFILE" ] || die "no password file $PASSFILE beside $DATA (made by \
an older version of this script?): stop it, delete $(dirname "$DATA"), start again"
    # Names and the password reach SQL as psql :'literals', quoted by psql.
    psql_admin -v role="$ROLE" -v database="$DATABASE" \
        -v password="$(role_password)" <<'EOF'
select format('create role %I login createdb', :'role')
where not exists (select from pg_roles where rolname = :'role')
\gexec
select format('alter role %I password %L', :'role', :'password')
\gexec
select format('create database %I owner %I', :'database', :'role')
where not exists (select from pg_database where datname = :'database')
\gexec
EOF
    say "ready: postgresql://$ROLE@$HOST:$PORT/$DATABASE (password in $PASSFILE)"
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
    psql_admin -v name="$name" -v role="$ROLE" <<'EOF'
select format('drop database if exists %I with (force)', :'name')
\gexec
select format('create database %I owner %I', :'name', :'role')
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
        check_name "$2" "database name"
        new_database "$2"
        ;;
    passfile) resolve_data; echo "$PASSFILE" ;;
    *) echo "usage: $0 start|stop|status|new-database NAME|passfile" >&2; exit 2 ;;
esac
