#!/usr/bin/env bash
# Set up and start RT-Lakehouse on this machine.
#
#   ./start.sh         install what is missing, start the local Kafka broker with the topic
#   ./start.sh stop    stop what ./start.sh started
#
# This milestone starts the data plane's foundation (Kafka). The pipelines, assistant,
# scheduler and JupyterLab join `lakehouse up` in later milestones.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if [ "${1:-}" = "stop" ]; then
  bash scripts/kafka-local.sh stop
  exit 0
fi

echo "==> npm packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
echo "==> Python venv"
bash scripts/setup-python.sh
echo "==> Kafka (KRaft) on 127.0.0.1:${KAFKA_PORT:-9092}"
bash scripts/kafka-local.sh fetch
bash scripts/kafka-local.sh status >/dev/null 2>&1 || bash scripts/kafka-local.sh start
bash scripts/kafka-local.sh topic "${KAFKA_TOPIC:-ecommerce_events}" "${KAFKA_PARTITIONS:-3}"
echo
echo "RT-Lakehouse foundation is up:"
echo "  Kafka      127.0.0.1:${KAFKA_PORT:-9092}  topic ${KAFKA_TOPIC:-ecommerce_events}"
echo "  Delta      ${LAKEHOUSE_DIR:-./data}/delta"
echo "Stop with: ./start.sh stop"
