#!/usr/bin/env python3
"""The telemetry cost table from one paired.py run of telemetry.json (docs/benchmarks.md).

Usage: telemetry_ratios.py RESULTS.json
For each endpoint, the median (min-max) over rounds of each ratio of two contestants measured in
the same round: what turning a part on costs Apus, what Apus's "off" costs against the binary
before telemetry existed, and Apus against Hummingbird with the same instrumentation on.
"""
import json
import statistics
import sys

PAIRS = [
    ("apus", "apus-before", "off vs before telemetry"),
    ("apus-metrics", "apus", "metrics on / off"),
    ("apus-tracing", "apus", "tracing 1.0 / off"),
    ("apus-tracing-requests", "apus", "tracing 1.0, server spans only / off"),
    ("apus-tracing-1pct", "apus", "tracing 0.01 / off"),
    ("apus-all", "apus", "metrics + tracing 1.0 / off"),
    ("hummingbird-instrumented", "hummingbird-plain", "Hummingbird instrumented / plain"),
    ("apus-all", "hummingbird-instrumented", "Apus all on / Hummingbird instrumented"),
    ("apus-tracing-requests", "hummingbird-instrumented", "Apus server spans only / Hummingbird instrumented"),
    ("apus", "hummingbird-plain", "Apus off / Hummingbird plain"),
]

data = json.load(open(sys.argv[1]))
rps = {tuple(key.split("|")): values for key, values in data["rps"].items()}
endpoints = sorted({endpoint for endpoint, _ in rps}, key=["plaintext", "json", "items_get", "items_post"].index)
print("| ratio | " + " | ".join(endpoints) + " |")
print("|---|" + "---:|" * len(endpoints))
for a, b, label in PAIRS:
    cells = []
    for endpoint in endpoints:
        mine, theirs = rps.get((endpoint, a)), rps.get((endpoint, b))
        if not mine or not theirs:
            cells.append("-")
            continue
        ratios = [x / y for x, y in zip(mine, theirs) if x > 0 and y > 0]
        cells.append(f"{statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]" if ratios else "-")
    print(f"| {label} (`{a}` / `{b}`) | " + " | ".join(cells) + " |")
print()
print("| req/s, median | " + " | ".join(endpoints) + " |")
print("|---|" + "---:|" * len(endpoints))
for name in sorted({name for _, name in rps}):
    print(f"| {name} | " + " | ".join(f"{statistics.median(rps[(e, name)]):,.0f}" if (e, name) in rps else "-" for e in endpoints) + " |")
