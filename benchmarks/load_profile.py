"""Summarise a py-spy profile of a server under load (``bench_load.py --profile DIR``).

    python benchmarks/load_profile.py DIR/nbdemo-echo.txt [--top 40]

The file is py-spy's ``--format raw`` output recorded with ``--threads --idle``
(one line per distinct stack: ``thread (tid): name;frame;frame;... count``).
Prints, per thread group (the event-loop thread, the function pool's threads,
the rest), its share of the samples, and for the event-loop thread how much of
its time it waited in ``select``/``epoll`` (idle) versus ran, then the functions
with the most samples: inclusive (anywhere on the stack) and self (the leaf).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

IDLE_LEAVES = ("select (selectors.py", "poll (selectors.py", "EpollSelector.select", "_worker (",
               "Condition.wait (threading.py", "SimpleQueue.get", "Event.wait (threading.py")


def parse(path: Path):
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        frames = stack.split(";")
        yield frames[0], frames[1:], int(n)


def group(thread: str) -> str:
    name = thread.split(": ", 1)[-1]
    if name.startswith("nbdemo-server"):
        return "event loop (nbdemo-server)"
    if re.match(r"nbdemo-fn|ThreadPoolExecutor|AnyIO worker", name):
        return "function pool"
    return name or "?"


def short(frame: str) -> str:
    # "Engine._call (nbdemo/engine/runner.py:305)" -> "Engine._call (engine/runner.py)"
    m = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    if not m:
        return frame
    fn, file = m.groups()
    return f"{fn} ({'/'.join(Path(file).parts[-2:])})"


def is_idle(frames: list[str]) -> bool:
    return bool(frames) and any(frames[-1].startswith(p) or p in frames[-1] for p in IDLE_LEAVES)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("profile", type=Path)
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args(argv)
    rows = list(parse(args.profile))
    total = sum(n for _, _, n in rows)
    by_group: Counter = Counter()
    idle_by_group: Counter = Counter()
    for thread, frames, n in rows:
        g = group(thread)
        by_group[g] += n
        if is_idle(frames):
            idle_by_group[g] += n
    print(f"{args.profile}: {total} samples")
    for g, n in by_group.most_common():
        print(f"  {g:<32} {n:>7} samples, {100 * idle_by_group[g] / n:5.1f}% of them idle")
    loop = [(f, n) for t, f, n in rows if group(t).startswith("event loop") and f and not is_idle(f)]
    busy = sum(n for _, n in loop)
    if not busy:
        return 0
    inc: Counter = Counter()
    own: Counter = Counter()
    for frames, n in loop:
        seen = set()
        for f in frames:
            s = short(f)
            if s not in seen:
                inc[s] += n
                seen.add(s)
        own[short(frames[-1])] += n
    print(f"\nevent loop thread, busy samples only ({busy}): inclusive")
    for s, n in inc.most_common(args.top):
        print(f"  {100 * n / busy:5.1f}%  {s}")
    print("\nevent loop thread, busy samples only: self (leaf frame)")
    for s, n in own.most_common(args.top // 2):
        print(f"  {100 * n / busy:5.1f}%  {s}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
