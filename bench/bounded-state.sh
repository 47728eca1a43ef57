#!/usr/bin/env bash
# Issue 16's benchmark (bench/results/bounded-state.md): the stateful services of the build before issue 16 and of this
# checkout, as processes, on event logs written to a private broker; restart-to-ready, fold rate and resident memory.
#
#   bash bench/bounded-state.sh [--log-events N] [--memory-patients 10,1000,10000] [--days 7] [--repeats 3]
#                               [--services Grading,Mitigation,Alerting,Audit] [--age-patients 1000] [--age-days 28] ...
#
# BEFORE (default 7fdeedc, the last commit before issue 16) is checked out in a git worktree and built in Release;
# this checkout is built in Release too. The raw figures go to $WORK/results.json (default /tmp/bounded-state).
# Needs what the tests need (scripts/install-prerequisites). Takes about an hour with the defaults on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${BEFORE:-7fdeedc}
WORK=${WORK:-/tmp/bounded-state}
OUT=${OUT:-bench/results/bounded-state.md}
mkdir -p "$WORK"

old="$WORK/before"
git worktree prune
if [ ! -d "$old/.git" ] && [ ! -f "$old/.git" ]; then
  git worktree add --detach "$old" "$BEFORE" >/dev/null
fi
git -C "$old" checkout -q --detach "$BEFORE"
for service in Grading Mitigation Alerting Audit; do
  dotnet build -c Release -v q -nologo "$old/services/$service" >/dev/null
  dotnet build -c Release -v q -nologo "services/$service" >/dev/null
done
dotnet build -c Release -v q -nologo bench/Toxicity.BoundedState.Benchmarks >/dev/null

broker="$WORK/broker"
bash scripts/broker start "$broker" >/dev/null
trap 'bash scripts/broker stop "$broker" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC1091
. "$broker/broker.env"
dotnet bench/Toxicity.BoundedState.Benchmarks/bin/Release/net10.0/Toxicity.BoundedState.Benchmarks.dll \
  --amqp "${TOXICITY_RABBITMQ_URI%/toxicity}/" --management "$TOXICITY_RABBITMQ_MANAGEMENT" \
  --old "$old" --new "$PWD" --work "$WORK" --out "$OUT" "$@"
