#!/usr/bin/env bash
# Build the one deployment package of examples/org/terraform's three functions: the same
# package as examples/scheduled (tablespec, PyYAML and boto3 for python3.11 x86_64, the spec at
# specs/tables.yaml), since all three handlers live in tablespec.
#
#   examples/org/build_lambda.sh [OUT.zip] [SPEC.yaml]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/terraform/dist/tablespec-lambda.zip}
"$here/../scheduled/build_lambda.sh" "$out" "${@:2}"
echo "handlers: checker.lambdas.fanout.list_shards (list-shards), checker.lambdas.scheduled.handler" \
     "(shard), checker.lambdas.fanout.merge (merge)"
