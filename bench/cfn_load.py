"""How fast a CloudFormation template loads: tablespec's own loader against cfn-lint's decoder.

The issue: importing `cfnlint.decode` alone takes about 0.7 s, past the pre-commit hook's
budget, against a small line-keeping loader on the YAML library tablespec already uses.

Method. A template is generated into bench/out/: `--tables` (default 500) DynamoDB tables,
each with two GSIs, PITR, SSE, a stream, tags and a CloudWatch alarm, written with
the short forms (`!Ref`, `!Sub`, `!GetAtt a.b`, `!GetAtt [a, b]`, `!If`, `!Join`, `!Select`,
`!Split`, `!FindInMap`, `!ImportValue`, `!Equals`...), about 1 MB of YAML (cfn-big.yaml);
the same template as JSON (cfn-big.json) is cfn-lint's reading of it written with
`json.dumps(indent=1)`. Before timing, both loaders read both files and must agree on the
data (a parity check). Then each command runs as its own process under the launcher of
bench/measure.py, interleaved (one of each per round), `--runs` rounds (default 10); min
and median wall time and the peak RSS of each:

  python          python -c pass                        (the interpreter's own start-up)
  import yaml     python -c "import yaml"               (the library both build on)
  import cfnlint  python -c "import cfnlint.decode"
  import ours     python -c "from checker.sources.cfn.template import load_template"
  load ...        import + load of cfn-big.{yaml,json}: ours (load_template), cfn-lint's
                  cfn_yaml.load / cfn_json.load, and cfnlint.decode.decode (what cfn-lint
                  runs: YAML first, JSON only when libyaml refuses the text)

and, in one process per loader, the load alone (after the import), `--loads` times (default
5): min and median.

  .venv/bin/python -m bench.cfn_load [--runs 10] [--loads 5] [--tables 500]

Writes bench/out/cfn_load.{json,md} and prints the Markdown table.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.measure import measure

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
YAML_FILE = OUT / "cfn-big.yaml"
JSON_FILE = OUT / "cfn-big.json"

HEAD = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: tables for the cfn_load bench
Parameters:
  Env: {Type: String, AllowedValues: [dev, staging, prod], Default: dev}
  Project: {Type: String, Default: hypermage}
Mappings:
  Teams:
    dev: {Owner: platform}
    staging: {Owner: platform}
    prod: {Owner: sre}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  CreateTables: !Or [!Condition IsProd, !Not [!Equals [!Ref Env, none]]]
Resources:
  AlarmTopic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${Project}-alarms-${Env}"
"""

TABLE = """\
  Table{n}:
    Type: AWS::DynamoDB::Table
    Condition: CreateTables
    DeletionPolicy: Retain
    Properties:
      TableName: !Sub "${{Project}}-t{n}-${{Env}}"
      BillingMode: !If [IsProd, PAY_PER_REQUEST, PROVISIONED]
      ProvisionedThroughput: !If
        - IsProd
        - !Ref AWS::NoValue
        - {{ReadCapacityUnits: 5, WriteCapacityUnits: 5}}
      AttributeDefinitions:
        - {{AttributeName: pk, AttributeType: S}}
        - {{AttributeName: sk, AttributeType: S}}
        - {{AttributeName: gsi1pk, AttributeType: S}}
      KeySchema:
        - {{AttributeName: pk, KeyType: HASH}}
        - {{AttributeName: sk, KeyType: RANGE}}
      GlobalSecondaryIndexes:
        - IndexName: gsi1
          KeySchema:
            - {{AttributeName: gsi1pk, KeyType: HASH}}
          Projection: {{ProjectionType: INCLUDE, NonKeyAttributes: [status, owner]}}
        - IndexName: gsi2
          KeySchema:
            - {{AttributeName: sk, KeyType: HASH}}
          Projection: {{ProjectionType: ALL}}
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: !If [IsProd, true, false]
      SSESpecification:
        SSEEnabled: true
        KMSMasterKeyId: !ImportValue
          Fn::Sub: "${{Project}}-kms-key-arn"
      StreamSpecification: {{StreamViewType: NEW_AND_OLD_IMAGES}}
      DeletionProtectionEnabled: !Condition IsProd
      Tags:
        - {{Key: Name, Value: !Join ["-", [!Ref Project, t{n}, !Ref Env]]}}
        - {{Key: Team, Value: !FindInMap [Teams, !Ref Env, Owner]}}
        - {{Key: Region, Value: !Select [0, !Split ["-", !Ref "AWS::Region"]]}}
"""

ALARM = """\
  Table{n}{metric}:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: !Sub "${{Project}}-t{n}-${{Env}}-{metric}"
      Namespace: AWS/DynamoDB
      MetricName: {metric}
      Dimensions: [{{Name: TableName, Value: !Ref Table{n}}}]
      Statistic: Sum
      Period: 60
      EvaluationPeriods: 5
      Threshold: 1
      ComparisonOperator: GreaterThanOrEqualToThreshold
      AlarmActions: [!Ref AlarmTopic]
"""

OUTPUT = """\
  Table{n}Arn:
    Value: !GetAtt Table{n}.Arn
    Export: {{Name: !Sub "${{AWS::StackName}}-t{n}-arn"}}
  Table{n}Stream:
    Value: !GetAtt [Table{n}, StreamArn]
"""

METRICS = ("ThrottledRequests",)


def template_yaml(tables: int) -> str:
    """The generated YAML template of *tables* tables."""
    names = [f"{i:04d}" for i in range(1, tables + 1)]
    parts = [HEAD]
    for n in names:
        parts.append(TABLE.format(n=n))
        parts += [ALARM.format(n=n, metric=metric) for metric in METRICS]
    parts.append("Outputs:\n")
    parts += [OUTPUT.format(n=n) for n in names]
    return "".join(parts)


def write_templates(tables: int) -> None:
    """cfn-big.yaml, and cfn-big.json from cfn-lint's reading of it."""
    cfn_yaml = importlib.import_module("cfnlint.decode.cfn_yaml")
    text = template_yaml(tables)
    YAML_FILE.write_text(text)
    JSON_FILE.write_text(json.dumps(cfn_yaml.loads(text), indent=1) + "\n")


def check_parity() -> None:
    """Both loaders read both files to the same data; SystemExit when they do not."""
    from checker.sources.cfn.template import load_template

    cfn_yaml = importlib.import_module("cfnlint.decode.cfn_yaml")
    cfn_json = importlib.import_module("cfnlint.decode.cfn_json")
    ours_yaml = load_template(str(YAML_FILE)).data
    ours_json = load_template(str(JSON_FILE)).data
    theirs = cfn_yaml.load(str(YAML_FILE))
    if not ours_yaml == ours_json == theirs == cfn_json.load(str(JSON_FILE)):
        raise SystemExit("parity: the loaders read the generated template differently")


def commands() -> dict[str, list[str]]:
    """name -> the command, run from the repository root."""
    py = sys.executable
    ours = "from checker.sources.cfn.template import load_template as f"
    cmds = {"python": [py, "-c", "pass"], "import yaml": [py, "-c", "import yaml"],
            "import cfnlint": [py, "-c", "import cfnlint.decode"],
            "import ours": [py, "-c", ours]}
    for kind, path in (("yaml", YAML_FILE), ("json", JSON_FILE)):
        module = "cfn_yaml" if kind == "yaml" else "cfn_json"
        cmds[f"load {kind}: ours"] = [py, "-c", f"{ours}; f({str(path)!r})"]
        cmds[f"load {kind}: cfnlint {module}"] = [
            py, "-c", f"from cfnlint.decode import {module} as m; m.load({str(path)!r})"]
        cmds[f"load {kind}: cfnlint decode"] = [
            py, "-c", f"from cfnlint.decode import decode; decode({str(path)!r})"]
    return cmds


def rounds(cmds: dict[str, list[str]], runs: int) -> dict[str, dict[str, float]]:
    """*runs* interleaved rounds of *cmds*: min and median wall time, max peak RSS."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            sample = measure(cmd, ok=(0,))
            samples[name].append((sample.wall, sample.rss_mb))
    return {name: {"min": min(w for w, _ in got), "median": statistics.median(w for w, _ in got),
                   "rss_mb": max(r for _, r in got)} for name, got in samples.items()}


LOAD_ALONE = """import json, statistics, sys, time
{setup}
times = []
for _ in range({loads}):
    start = time.perf_counter()
    {call}
    times.append(time.perf_counter() - start)
print(json.dumps([min(times), statistics.median(times)]))
"""


def loads_alone(loads: int) -> dict[str, dict[str, float]]:
    """The load alone (after the import) of each file by each loader, in its own process."""
    ours = ("from checker.sources.cfn.template import load_template as f", "f(PATH)")
    decode = ("from cfnlint.decode import decode as f", "f(PATH)")
    cases = {kind: {"ours": ours, "cfnlint decode": decode,
                    f"cfnlint {module}": (f"from cfnlint.decode import {module} as m",
                                          "m.load(PATH)")}
             for kind, module in (("yaml", "cfn_yaml"), ("json", "cfn_json"))}
    result = {}
    for kind, loaders in cases.items():
        path = repr(str(YAML_FILE if kind == "yaml" else JSON_FILE))
        for name, (setup, call) in loaders.items():
            code = LOAD_ALONE.format(setup=setup, loads=loads, call=call.replace("PATH", path))
            done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True, cwd=ROOT)
            best, median = json.loads(done.stdout)
            result[f"{kind}: {name}"] = {"min": best, "median": median}
    return result


def report(result: dict[str, Any]) -> str:
    """The Markdown of *result*."""
    size = result["files"]
    lines = [f"Template: {result['tables']} tables ({size['values']:,} values); YAML "
             f"{size['yaml_bytes'] / 1e6:.2f} MB, JSON {size['json_bytes'] / 1e6:.2f} MB. "
             f"{result['runs']} interleaved rounds, each command its own process "
             f"(load average {result['loadavg_start']} -> {result['loadavg_end']}).", "",
             "| command | min | median | peak RSS |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {s['min']:.3f} s | {s['median']:.3f} s | {s['rss_mb']:.0f} MB |"
              for name, s in result["processes"].items()]
    lines += ["", f"The load alone, after the import ({result['loads']} loads in one process):",
              "", "| file: loader | min | median |", "|---|---:|---:|"]
    lines += [f"| {name} | {s['min']:.3f} s | {s['median']:.3f} s |"
              for name, s in result["alone"].items()]
    return "\n".join(lines) + "\n"


def count_values(value: Any) -> int:
    """Scalars (keys included), mappings and lists in *value*, as the bounds count them."""
    if isinstance(value, dict):
        return 1 + sum(1 + count_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_values(v) for v in value)
    return 1


def main() -> int:
    """Generate the templates, check parity, time; print and write bench/out/cfn_load.*."""
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--tables", type=int, default=500)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    os.chdir(ROOT)
    write_templates(args.tables)
    check_parity()
    from checker.sources.cfn.template import load_template

    files = {"yaml_bytes": YAML_FILE.stat().st_size, "json_bytes": JSON_FILE.stat().st_size,
             "values": count_values(load_template(str(YAML_FILE)).data)}
    load = round(os.getloadavg()[0], 2)
    processes = rounds(commands(), args.runs)
    alone = loads_alone(args.loads)
    result = {"tables": args.tables, "runs": args.runs, "loads": args.loads, "files": files,
              "loadavg_start": load, "loadavg_end": round(os.getloadavg()[0], 2),
              "processes": processes, "alone": alone}
    (OUT / "cfn_load.json").write_text(json.dumps(result, indent=2) + "\n")
    text = report(result)
    (OUT / "cfn_load.md").write_text(text)
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
