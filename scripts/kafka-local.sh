#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft, combined broker + controller) on 127.0.0.1 for development,
# tests and CI, built from the broker jars on Maven Central — no Docker, no tarball download.
#
#   scripts/kafka-local.sh fetch                      resolve the jars into the cache (Maven, ~/.m2)
#   scripts/kafka-local.sh start                      format storage if needed, start, wait until ready
#   scripts/kafka-local.sh stop                       SIGTERM, wait, SIGKILL after KAFKA_STOP_TIMEOUT
#   scripts/kafka-local.sh status                     exit 0 when running and accepting connections
#   scripts/kafka-local.sh topic <name> <partitions>  create a topic (no-op when it exists)
#   scripts/kafka-local.sh classpath                  print the classpath (for the perf tools)
#   scripts/kafka-local.sh cluster-id                 print a fresh KRaft cluster id
#
# Environment: KAFKA_VERSION (default below), KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093),
# KAFKA_DATA_DIR (<repo>/data/kafka), KAFKA_HEAP_OPTS (-Xms256m -Xmx512m),
# KAFKA_START_TIMEOUT / KAFKA_STOP_TIMEOUT in seconds (60 / 30), XDG_CACHE_HOME.
set -euo pipefail

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
# Kafka 4.1 logs through log4j 2 but its jars leave the SLF4J 1.x binding to the distribution.
LOG4J_VERSION="2.24.3"
DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/rt-lakehouse/kafka-${KAFKA_VERSION}"
LIB_DIR="$CACHE_DIR/libs"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$REPO_ROOT/data/kafka}"
case "$KAFKA_DATA_DIR" in /*) ;; *) KAFKA_DATA_DIR="$PWD/$KAFKA_DATA_DIR" ;; esac
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
LOG_FILE="$KAFKA_DATA_DIR/kafka.log"
PROPS_FILE="$KAFKA_DATA_DIR/server.properties"
LOG_DIRS="$KAFKA_DATA_DIR/logs"

die() {
  echo "kafka: $*" >&2
  exit 1
}

need() {
  command -v "$1" >/dev/null 2>&1 || die "'$1' is required but not on PATH"
}

# Kafka 4 brokers need Java 17 or newer.
need_java() {
  need java
  local version
  version="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
  [[ -n "$version" && "$version" -ge 17 ]] || die "Kafka ${KAFKA_VERSION} needs Java 17 or newer (found: ${version:-none})"
}

# --- fetch -------------------------------------------------------------------------------------

write_pom() {
  cat >"$1/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.rt-lakehouse</groupId>
  <artifactId>kafka-local-fetch</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${KAFKA_VERSION}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>${LOG4J_VERSION}</version></dependency>
  </dependencies>
</project>
EOF
}

write_log4j_config() {
  # Quiet by default: warnings to the log file, plus the few lines that say the server started.
  cat >"$CACHE_DIR/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = INFO
logger.broker.name = kafka.server.BrokerServer
logger.broker.level = INFO
EOF
}

cmd_fetch() {
  if [[ -f "$CACHE_DIR/.complete" ]]; then
    return 0
  fi
  need_java
  need mvn
  mkdir -p "$CACHE_DIR"
  local work
  work="$(mktemp -d "$CACHE_DIR/.fetch.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  write_pom "$work"
  echo "kafka: resolving org.apache.kafka:kafka_2.13:${KAFKA_VERSION} and its runtime dependencies with Maven" >&2
  if ! mvn -B -q -f "$work/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$work/libs" >"$work/mvn.log" 2>&1; then
    cat "$work/mvn.log" >&2
    die "maven could not resolve Kafka ${KAFKA_VERSION}"
  fi
  rm -rf "$LIB_DIR"
  mv "$work/libs" "$LIB_DIR"
  write_log4j_config
  ls "$LIB_DIR" >"$CACHE_DIR/.complete"
  rm -rf "$work"
  trap - EXIT
}

# --- process helpers ---------------------------------------------------------------------------

# The pid from the pid file when that process is alive and is our broker, else nothing.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

run_java() {
  local main="$1"
  shift
  java $KAFKA_HEAP_OPTS -Dlog4j2.configurationFile="$CACHE_DIR/log4j2.properties" \
    -cp "$LIB_DIR/*" "$main" "$@"
}

write_server_properties() {
  cat >"$PROPS_FILE" <<EOF
# Generated by scripts/kafka-local.sh on each start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${LOG_DIRS}
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
delete.topic.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=168
log.segment.bytes=268435456
EOF
}

# --- start / stop / status ---------------------------------------------------------------------

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    echo "kafka: already running (pid $pid) at 127.0.0.1:${KAFKA_PORT}"
    return 0
  fi
  cmd_fetch
  need_java
  if port_open "$KAFKA_PORT"; then
    die "port ${KAFKA_PORT} on 127.0.0.1 is already in use by another process (set KAFKA_PORT)"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    die "port ${KAFKA_CONTROLLER_PORT} on 127.0.0.1 is already in use (set KAFKA_CONTROLLER_PORT)"
  fi
  mkdir -p "$KAFKA_DATA_DIR" "$LOG_DIRS"
  write_server_properties
  if [[ ! -f "$LOG_DIRS/meta.properties" ]]; then
    run_java kafka.tools.StorageTool format --ignore-formatted \
      --cluster-id "$(new_cluster_id)" --config "$PROPS_FILE" >>"$LOG_FILE" 2>&1 ||
      { tail -n 30 "$LOG_FILE" >&2; die "formatting storage in $LOG_DIRS failed"; }
  fi
  local mark=0
  [[ -f "$LOG_FILE" ]] && mark="$(wc -l <"$LOG_FILE")"
  # setsid: the broker leaves this shell's process group, so it outlives the calling terminal
  # and a job-control kill of the caller; the inner shell records its own pid before exec.
  rm -f "$PID_FILE"
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$CACHE_DIR/log4j2.properties" \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPS_FILE" >>"$LOG_FILE" 2>&1 </dev/null &
  disown || true

  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    sleep 0.5
    if ! pid="$(running_pid)"; then
      # In the first instant the pid file may not exist yet, or still name the exec'ing shell.
      if [[ -f "$PID_FILE" ]] && ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
        tail -n 40 "$LOG_FILE" >&2
        die "the broker exited during start-up (log: $LOG_FILE)"
      fi
      continue
    fi
    if port_open "$KAFKA_PORT" && tail -n "+$((mark + 1))" "$LOG_FILE" | grep -q 'Kafka Server started'; then
      echo "kafka: ready at 127.0.0.1:${KAFKA_PORT}"
      return 0
    fi
  done
  tail -n 40 "$LOG_FILE" >&2
  cmd_stop >&2 || true
  die "the broker did not become ready within ${KAFKA_START_TIMEOUT}s (log: $LOG_FILE)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    echo "kafka: not running"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka: still running after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  echo "kafka: stopped (pid $pid)"
}

cmd_status() {
  local pid
  if ! pid="$(running_pid)"; then
    echo "kafka: not running"
    return 3
  fi
  if port_open "$KAFKA_PORT"; then
    echo "kafka: running (pid $pid) at 127.0.0.1:${KAFKA_PORT}, version ${KAFKA_VERSION}, data $KAFKA_DATA_DIR"
    return 0
  fi
  echo "kafka: process $pid is up but 127.0.0.1:${KAFKA_PORT} is not accepting connections"
  return 1
}

# A KRaft cluster id is 16 random bytes in URL-safe base64 without padding. Like Kafka's own
# Uuid.randomUuid, draw again when it begins with '-': the storage tool's argument parser would
# read such an id as an option ("--cluster-id: expected one argument"), one start in 64.
new_cluster_id() {
  local id="-"
  while [[ "$id" == -* ]]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  done
  echo "$id"
}

cmd_topic() {
  local name="${1:-}" partitions="${2:-}"
  [[ -n "$name" && "$partitions" =~ ^[0-9]+$ ]] || die "usage: $0 topic <name> <partitions>"
  cmd_fetch
  KAFKA_HEAP_OPTS="-Xmx256m" run_java org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "127.0.0.1:${KAFKA_PORT}" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1
  echo "kafka: topic $name is present"
}

main() {
  local cmd="${1:-}"
  shift || true
  case "$cmd" in
    fetch) cmd_fetch && echo "kafka: ${KAFKA_VERSION} jars in $LIB_DIR" ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    topic) cmd_topic "$@" ;;
    classpath) cmd_fetch && echo "$LIB_DIR/*" ;;
    cluster-id) new_cluster_id ;;
    *)
      echo "usage: $0 fetch|start|stop|status|topic <name> <partitions>|classpath|cluster-id" >&2
      exit 2
      ;;
  esac
}

main "$@"
