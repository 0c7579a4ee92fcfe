#!/usr/bin/env bash
# Build the Lambda deployment package for examples/scheduled/terraform:
#   tablespec (this checkout) + PyYAML + boto3 for the python3.11 x86_64 runtime, and the spec
#   at specs/tables.yaml inside the zip (TABLESPEC_SPEC in the function's environment).
#   boto3 is pinned to the 1.35 line the suite runs (and Checkov pins); the runtime's own
#   boto3 would work too.
#
#   examples/scheduled/build_lambda.sh [OUT.zip] [SPEC.yaml]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${1:-$here/terraform/dist/tablespec-lambda.zip}
spec=${2:-$repo/specs/tables.yaml}
python=$(command -v "${PYTHON:-python3}")
python="$(cd "$(dirname "$python")" && pwd)/$(basename "$python")"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT

"$python" -m pip install --quiet --disable-pip-version-check --no-deps --target "$build" "$repo"
"$python" -m pip install --quiet --disable-pip-version-check --target "$build" \
  --platform manylinux2014_x86_64 --implementation cp --python-version 3.11 \
  --only-binary=:all: --no-warn-conflicts "PyYAML>=6.0" "boto3~=1.35.49"
mkdir -p "$build/specs"
cp "$spec" "$build/specs/tables.yaml"
rm -f "$out"
(cd "$build" && "$python" -m zipfile -c "$out" .)
echo "built $out ($(du -h "$out" | cut -f1)); handler checker.lambdas.scheduled.handler"
