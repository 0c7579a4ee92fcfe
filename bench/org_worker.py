"""The fan-out's Lambda functions as local processes, for `bench/org_scale.py`.

  python -m bench.org_worker shards         a warm shard container: imports tablespec once,
                                            then runs `checker.lambdas.scheduled.handler` on
                                            each shard event read from stdin (one JSON line
                                            each), answering one JSON line per shard
  python -m bench.org_worker list RUN_ID    `checker.lambdas.fanout.list_shards`
  python -m bench.org_worker merge RUN_ID   `checker.lambdas.fanout.merge`

Configured, as the functions are, by the TABLESPEC_* and AWS_* environment variables. The
shard worker's first line is its import time, then each shard's wall and CPU seconds (all
its threads) and summary, its last its peak RSS (ru_maxrss of itself).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any, TextIO


def _say(out: TextIO, data: dict[str, Any]) -> None:
    out.write(json.dumps(data) + "\n")
    out.flush()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shards() -> int:
    """Serve shard events from stdin until it closes."""
    out, sys.stdout = sys.stdout, sys.stderr  # nothing the handler prints reaches the pipe
    started = time.perf_counter()
    from checker.lambdas.scheduled import handler

    _say(out, {"import_seconds": time.perf_counter() - started})
    for line in sys.stdin:
        event = json.loads(line)
        began, cpu = time.perf_counter(), time.process_time()
        summary = handler(event, None)
        _say(out, {"seconds": time.perf_counter() - began, "cpu": time.process_time() - cpu,
                   "summary": summary})
    _say(out, {"peak_rss_mb": _peak_mb()})
    return 0


def main(argv: list[str]) -> int:
    """Dispatch on the first argument."""
    if argv[:1] == ["shards"]:
        return shards()
    from checker.lambdas import fanout

    if len(argv) == 2 and argv[0] in ("list", "merge"):
        fn = fanout.list_shards if argv[0] == "list" else fanout.merge
        print(json.dumps(fn({"run_id": argv[1]}, None)))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
