#!/usr/bin/env bash
# Issue 17's load suite (bench/Toxicity.Load): a private broker, the five services built in Release and run as their own
# processes, wards posting over HTTP, the raw broker measured in the same run; writes bench/results/load-<date>.md.
#
#   bash bench/load.sh [--wards 10] [--patients-per-ward 50] [--rate 500] [--concurrency 64] [--seconds 120]
#                      [--raw-seconds 10] [--deteriorate-every 10] [--out FILE] [--smoke]
#
# --rate 0 posts as fast as the requests in flight allow. --smoke is the small run of CI (scripts/test): it fails on
# any loss or duplicate, never on speed. Needs what the tests need (scripts/install-prerequisites). About 6 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
configuration=${CONFIGURATION:-Release}
dotnet build bench/Toxicity.Load -c "$configuration" -v q -nologo >/dev/null
for service in Ingestion Grading Mitigation Alerting Audit; do
  dotnet build "services/$service" -c "$configuration" -v q -nologo >/dev/null
done

broker_dir=""
cleanup() { [ -n "$broker_dir" ] && bash scripts/broker stop "$broker_dir" >/dev/null 2>&1 || true; }
trap cleanup EXIT
if [ -z "${TOXICITY_TEST_RABBITMQ:-}" ]; then
  broker_dir=$(mktemp -d /tmp/toxicity-load-broker.XXXXXX)
  bash scripts/broker start "$broker_dir" >/dev/null
  # shellcheck disable=SC1091
  . "$broker_dir/broker.env"
  export TOXICITY_TEST_RABBITMQ="${TOXICITY_RABBITMQ_URI%/toxicity}/" TOXICITY_TEST_RABBITMQ_MANAGEMENT="$TOXICITY_RABBITMQ_MANAGEMENT" TOXICITY_RABBITMQ_NODE
fi

args=("$@")
if [[ " $* " != *" --out "* && " $* " != *" --smoke "* ]]; then
  args+=(--out "bench/results/load-$(date -u +%Y-%m-%d).md")
fi
dotnet "bench/Toxicity.Load/bin/$configuration/net10.0/Toxicity.Load.dll" "${args[@]}"
