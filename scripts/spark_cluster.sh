#!/usr/bin/env bash
# A local standalone Spark cluster for this project (tests, trying the
# `spark_thrift` target): one master, one worker and a Thrift server
# (HiveThriftServer2), all from the pip package pyspark in .venv, all
# listening on 127.0.0.1 only. Tables (warehouse/), the Hive metastore
# (Derby, metastore_db/), logs (logs/) and pid files live in .spark-cluster/
# inside the project (gitignored).
#
#   scripts/spark_cluster.sh start    # start what is not running; wait until
#                                     # the Thrift port answers (running: fine)
#   scripts/spark_cluster.sh status   # exit 0 when all three are running
#   scripts/spark_cluster.sh stop     # stop the processes this script started
#                                     # (the tables stay in .spark-cluster/)
#
# The project's SQL settings (UTC, literal backslashes, JSON with repeated
# keys) are deliberately not set here: dbt passes them per session
# (profiles.yml, server_side_parameters), as it must on a real cluster, and
# the test tests/engine/assert_spark_session_settings.sql checks they hold.
#
# Environment (defaults in brackets):
#   SPARK_CLUSTER_DIR        the folder of ours [<project>/.spark-cluster]
#   DBT_SPARK_PORT           Thrift port [10000], as profiles.yml
#   SPARK_MASTER_PORT        master port [7077]
#   SPARK_MASTER_WEBUI_PORT  master web UI [18080]
#   SPARK_WORKER_WEBUI_PORT  worker web UI [18081]
#   SPARK_WORKER_CORES       cores the worker offers [2]
#   SPARK_WORKER_MEMORY      memory the worker offers [3g]
#   SPARK_EXECUTOR_MEMORY    the executor's heap [2g]
#   SPARK_DRIVER_MEMORY      the Thrift server's heap (Spark's driver) [2g]
#   SPARK_HOME               Spark [the pyspark package of .venv]
#   START_TIMEOUT            seconds to wait for the Thrift port [240]
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${SPARK_CLUSTER_DIR:-$PROJECT_ROOT/.spark-cluster}"
HOST=127.0.0.1
THRIFT_PORT="${DBT_SPARK_PORT:-10000}"
MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
MASTER_UI_PORT="${SPARK_MASTER_WEBUI_PORT:-18080}"
WORKER_UI_PORT="${SPARK_WORKER_WEBUI_PORT:-18081}"
WORKER_CORES="${SPARK_WORKER_CORES:-2}"
WORKER_MEMORY="${SPARK_WORKER_MEMORY:-3g}"
EXECUTOR_MEMORY="${SPARK_EXECUTOR_MEMORY:-2g}"
DRIVER_MEMORY="${SPARK_DRIVER_MEMORY:-2g}"
START_TIMEOUT="${START_TIMEOUT:-240}"
MASTER_URL="spark://$HOST:$MASTER_PORT"

MASTER_CLASS=org.apache.spark.deploy.master.Master
WORKER_CLASS=org.apache.spark.deploy.worker.Worker
THRIFT_CLASS=org.apache.spark.sql.hive.thriftserver.HiveThriftServer2

# Every socket Spark opens (RPC, block manager, web UIs) binds to this.
export SPARK_LOCAL_IP="$HOST"
export SPARK_LOCAL_HOSTNAME="$HOST"
export SPARK_DAEMON_MEMORY=512m
# No REST submission port on the master: jobs come only through Thrift.
export SPARK_MASTER_OPTS="-Dspark.master.rest.enabled=false"
export SPARK_LOG_DIR="$DIR/logs"
export SPARK_PID_DIR="$DIR/pids"
export SPARK_CONF_DIR="$DIR/conf"

say() { echo "spark_cluster: $*" >&2; }
die() { say "$*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
}

find_spark_home() {
    if [ -z "${SPARK_HOME:-}" ]; then
        local python="$PROJECT_ROOT/.venv/bin/python"
        [ -x "$python" ] || die "$python not found: run \`make setup\` first (or set SPARK_HOME)"
        SPARK_HOME="$("$python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')" \
            || die "pyspark is not installed in .venv: run \`make setup\`"
    fi
    [ -x "$SPARK_HOME/bin/spark-class" ] || die "$SPARK_HOME/bin/spark-class not found"
    export SPARK_HOME
}

check_java() {
    command -v java >/dev/null 2>&1 || [ -n "${JAVA_HOME:-}" ] \
        || die "no Java found: install Java 17 (Debian/Ubuntu: apt-get install \
openjdk-17-jre-headless) or set JAVA_HOME"
}

# pid of a component when its process is alive and still runs its class.
running_pid() {
    local name="$1" class="$2" pid
    [ -f "$SPARK_PID_DIR/$name.pid" ] || return 1
    pid="$(cat "$SPARK_PID_DIR/$name.pid")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$class" || return 1
    echo "$pid"
}

port_answers() {
    (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

check_port_free() {
    local port="$1" what="$2"
    if port_answers "$port"; then
        die "port $port ($what) is taken by another process; stop it or set \
the port's variable (see --help)"
    fi
}

write_config() {
    mkdir -p "$DIR/warehouse" "$DIR/logs" "$DIR/pids" "$DIR/conf" "$DIR/work" "$DIR/tmp"
    # Absolute paths: the executors run in the worker's work folder.
    cat >"$SPARK_CONF_DIR/spark-defaults.conf" <<EOF
# Written by scripts/spark_cluster.sh on each start; edit the script instead.
spark.master                                   $MASTER_URL
spark.driver.host                              $HOST
spark.driver.bindAddress                       $HOST
spark.driver.memory                            $DRIVER_MEMORY
spark.executor.memory                          $EXECUTOR_MEMORY
spark.cores.max                                $WORKER_CORES
spark.ui.enabled                               false
spark.local.dir                                $DIR/tmp
spark.sql.warehouse.dir                        $DIR/warehouse
spark.hadoop.javax.jdo.option.ConnectionURL    jdbc:derby:;databaseName=$DIR/metastore_db;create=true
spark.driver.extraJavaOptions                  -Dderby.system.home=$DIR -Djava.io.tmpdir=$DIR/tmp
# Small data on 2 cores: few shuffle partitions.
spark.sql.shuffle.partitions                   2
spark.default.parallelism                      2
# Plain microsecond timestamps in the parquet files (the tests read them).
spark.sql.parquet.outputTimestampType          TIMESTAMP_MICROS
EOF
}

# Start one component in the background, its pid (java's: spark-class
# execs it) in pids/, its output in logs/.
launch() {
    local name="$1"
    shift
    nohup "$@" </dev/null >"$SPARK_LOG_DIR/$name.out" 2>&1 &
    echo "$!" >"$SPARK_PID_DIR/$name.pid"
}

wait_for_port() {
    local name="$1" class="$2" port="$3" waited=0
    until port_answers "$port"; do
        if ! running_pid "$name" "$class" >/dev/null; then
            tail -n 30 "$SPARK_LOG_DIR/$name.out" >&2 || true
            die "the $name exited before port $port answered (log: $SPARK_LOG_DIR/$name.out)"
        fi
        if [ "$waited" -ge "$START_TIMEOUT" ]; then
            tail -n 30 "$SPARK_LOG_DIR/$name.out" >&2 || true
            die "port $port did not answer within ${START_TIMEOUT}s (log: $SPARK_LOG_DIR/$name.out)"
        fi
        sleep 1
        waited=$((waited + 1))
    done
}

start() {
    check_java
    find_spark_home
    write_config
    if ! running_pid master "$MASTER_CLASS" >/dev/null; then
        check_port_free "$MASTER_PORT" "master, SPARK_MASTER_PORT"
        check_port_free "$MASTER_UI_PORT" "master web UI, SPARK_MASTER_WEBUI_PORT"
        say "starting the master on $MASTER_URL"
        launch master "$SPARK_HOME/bin/spark-class" "$MASTER_CLASS" \
            --host "$HOST" --port "$MASTER_PORT" --webui-port "$MASTER_UI_PORT"
        wait_for_port master "$MASTER_CLASS" "$MASTER_PORT"
    fi
    if ! running_pid worker "$WORKER_CLASS" >/dev/null; then
        check_port_free "$WORKER_UI_PORT" "worker web UI, SPARK_WORKER_WEBUI_PORT"
        say "starting a worker ($WORKER_CORES cores, $WORKER_MEMORY)"
        launch worker "$SPARK_HOME/bin/spark-class" "$WORKER_CLASS" \
            --host "$HOST" --webui-port "$WORKER_UI_PORT" \
            --cores "$WORKER_CORES" --memory "$WORKER_MEMORY" \
            --work-dir "$DIR/work" "$MASTER_URL"
    fi
    if ! running_pid thrift "$THRIFT_CLASS" >/dev/null; then
        check_port_free "$THRIFT_PORT" "Thrift server, DBT_SPARK_PORT"
        say "starting the Thrift server on $HOST:$THRIFT_PORT (logs: $SPARK_LOG_DIR)"
        # Run from the cluster folder: Derby and Hive drop files in the
        # working directory.
        (
            cd "$DIR"
            launch thrift "$SPARK_HOME/bin/spark-submit" --class "$THRIFT_CLASS" \
                --name call_tracking_thrift --properties-file "$SPARK_CONF_DIR/spark-defaults.conf" \
                spark-internal \
                --hiveconf "hive.server2.thrift.bind.host=$HOST" \
                --hiveconf "hive.server2.thrift.port=$THRIFT_PORT"
        )
    fi
    wait_for_port thrift "$THRIFT_CLASS" "$THRIFT_PORT"
    say "ready: Thrift server on $HOST:$THRIFT_PORT (warehouse: $DIR/warehouse)"
}

stop_one() {
    local name="$1" class="$2" pid waited=0
    if pid="$(running_pid "$name" "$class")"; then
        kill "$pid"
        while kill -0 "$pid" 2>/dev/null; do
            if [ "$waited" -ge 30 ]; then
                say "the $name (pid $pid) did not stop in 30s: killing it"
                kill -9 "$pid" 2>/dev/null || true
                break
            fi
            sleep 1
            waited=$((waited + 1))
        done
        say "stopped the $name"
    fi
    rm -f "$SPARK_PID_DIR/$name.pid"
}

stop() {
    # The worker ends its executors; the Thrift server first, so that its
    # application ends cleanly.
    stop_one thrift "$THRIFT_CLASS"
    stop_one worker "$WORKER_CLASS"
    stop_one master "$MASTER_CLASS"
}

status() {
    local down=0 name class
    for name in master worker thrift; do
        case "$name" in
            master) class="$MASTER_CLASS" ;;
            worker) class="$WORKER_CLASS" ;;
            thrift) class="$THRIFT_CLASS" ;;
        esac
        if pid="$(running_pid "$name" "$class")"; then
            say "$name running (pid $pid)"
        else
            say "$name not running"
            down=1
        fi
    done
    if [ "$down" -eq 0 ] && ! port_answers "$THRIFT_PORT"; then
        say "the Thrift server is starting: port $THRIFT_PORT does not answer yet"
        down=1
    fi
    [ "$down" -eq 0 ] || return 3
    say "ready: Thrift server on $HOST:$THRIFT_PORT (warehouse: $DIR/warehouse)"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    -h | --help | help) usage ;;
    *) usage >&2; exit 2 ;;
esac
