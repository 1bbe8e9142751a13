#!/usr/bin/env python3
"""Cost as work grows: Apus against Go and Node, paired and interleaved, on one core.

The servers: Apus's `apus-bench-server` (its growth endpoints are in
Examples/BenchServer/Growth.swift), and the Go and Node peers in `peers/`, which serve the same
endpoints with the same validation. Each is pinned to CPU 0, wrk to CPU 1; every round gives
each server one burst per endpoint, in an order reversed every round (as `paired.py` of the
shared harness does), and the ratios are taken per round, then their median and min-max.

Endpoints: POST of a JSON document of 1 KiB, 64 KiB and 1 MiB (decoded, every item validated,
encoded back); GET of a 1 MiB response; GET with 1, 10 and 100 integer query parameters
(each parsed and validated, their sum answered); GET of a path-parameter route among 10 and
among 1,000 routes (the servers are restarted with ROUTES=1000 for that one).

    swift build -c release --product apus-bench-server       # from the package root
    python3 Benchmarks/load/growth.py --rounds 5 --duration 3  # ~10 min

Needs wrk, go and node. Results JSON and a Markdown table go to BENCH_RESULTS_DIR (default
.bench/ in the package root, git-ignored). All traffic is to 127.0.0.1; every burst is bounded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
HOST = "127.0.0.1"
LUA = HERE / "growth.lua"


def document(size: int) -> bytes:
    """A `{"items": [...]}` document of about `size` bytes."""
    items, total, index = [], 12, 0
    while total < size:
        item = {"name": f"Widget {index}", "price": 9.99 + index % 100, "tags": ["a", "b", "c"]}
        text = json.dumps(item, separators=(",", ":"))
        items.append(item)
        total += len(text) + 1
        index += 1
    return json.dumps({"items": items}, separators=(",", ":")).encode()


def query(count: int) -> str:
    return "&".join(f"p{i}={i * 7}" for i in range(count))


def endpoints(workdir: Path) -> list[dict]:
    out = []
    # Fewer connections for the big bodies: 64 requests of 1 MiB in flight on one core would
    # measure the queue, not the work (and leave a backlog that spills into the next burst).
    for name, size, connections in (("json_1k", 1 << 10, 64), ("json_64k", 64 << 10, 16),
                                    ("json_1m", 1 << 20, 4)):
        path = workdir / f"{name}.json"
        path.write_bytes(document(size))
        out.append({"name": name, "method": "POST", "path": "/growth/document", "body_file": str(path),
                    "routes": 10, "connections": connections})
    out.append({"name": "response_1m", "method": "GET", "path": "/growth/megabyte", "routes": 10,
                "connections": 16})
    for count in (1, 10, 100):
        out.append({"name": f"query_{count}", "method": "GET", "path": f"/growth/query{count}?{query(count)}",
                    "routes": 10})
    out.append({"name": "routes_10", "method": "GET", "path": "/r9/42", "routes": 10})
    out.append({"name": "routes_1000", "method": "GET", "path": "/r999/42", "routes": 1000})
    return out


def servers(args) -> list[dict]:
    go_binary = ROOT / ".build" / "growth-go-peer"
    subprocess.run(["go", "build", "-o", str(go_binary), "."], cwd=HERE / "peers" / "go", check=True,
                   env=dict(os.environ, GOFLAGS="-mod=mod", GO111MODULE="on"))
    apus = ROOT / ".build" / "release" / "apus-bench-server"
    if not apus.exists():
        sys.exit(f"{apus} is missing: swift build -c release --product apus-bench-server")
    return [
        {"name": "apus", "cmd": [str(apus)], "env": {"EVENT_LOOP_THREADS": "1", "HOST": HOST}},
        {"name": "go", "cmd": [str(go_binary)], "env": {"GOMAXPROCS": "1"}},
        {"name": "node", "cmd": ["node", str(HERE / "peers" / "node" / "server.js")], "env": {}},
    ]


class Server:
    def __init__(self, spec: dict, port: int, routes: int, cpus: str, log: Path):
        self.spec, self.port, self.routes, self.cpus, self.log = spec, port, routes, cpus, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = dict(os.environ, **self.spec["env"], PORT=str(self.port), ROUTES=str(self.routes))
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self._out = open(self.log, "ab")
        self.proc = subprocess.Popen(["taskset", "-c", self.cpus] + self.spec["cmd"], env=env,
                                     stdin=subprocess.DEVNULL, stdout=self._out, stderr=subprocess.STDOUT)
        for _ in range(300):
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.spec['name']} exited during startup, see {self.log}")
            try:
                urllib.request.urlopen(f"http://{HOST}:{self.port}/r0/1", timeout=0.5).read()
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                subprocess.run(["sleep", "0.1"])
        raise RuntimeError(f"{self.spec['name']} did not start, see {self.log}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._out.close()

    def rss_kib(self) -> int | None:
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except (OSError, AttributeError):
            return None
        return None


def fetch(port: int, ep: dict) -> tuple[int, bytes]:
    body = Path(ep["body_file"]).read_bytes() if "body_file" in ep else None
    req = urllib.request.Request(f"http://{HOST}:{port}{ep['path']}", data=body, method=ep["method"],
                                 headers={"Content-Type": "application/json"} if body else {})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def check(server: Server, ep: dict) -> None:
    """Every server must give the same answer before it is measured."""
    status, body = fetch(server.port, ep)
    name = server.spec["name"]
    if status != 200:
        raise RuntimeError(f"{name} {ep['name']}: status {status}: {body[:200]!r}")
    if ep["name"].startswith("json_"):
        sent = json.loads(Path(ep["body_file"]).read_bytes())
        if json.loads(body) != sent:
            raise RuntimeError(f"{name} {ep['name']}: the document came back different")
    elif ep["name"] == "response_1m":
        if body != b"x" * (1 << 20):
            raise RuntimeError(f"{name} {ep['name']}: not 1 MiB of x")
    elif ep["name"].startswith("query_"):
        count = int(ep["name"].split("_")[1])
        if json.loads(body) != {"count": count, "sum": sum(i * 7 for i in range(count))}:
            raise RuntimeError(f"{name} {ep['name']}: wrong sum {body!r}")
    else:
        expected = {"count": int(ep["path"].split("/")[1][1:]), "sum": 42}
        if json.loads(body) != expected:
            raise RuntimeError(f"{name} {ep['name']}: {body!r}")


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def settle(running: list[Server]) -> None:
    """Waits (at most 30 s) until no server is still working off the previous burst's requests."""
    for _ in range(150):
        before = [cpu_ticks(s.proc.pid) for s in running]
        subprocess.run(["sleep", "0.2"])
        if all(cpu_ticks(s.proc.pid) - b <= 1 for s, b in zip(running, before)):
            return


def burst(port: int, ep: dict, seconds: int, default_connections: int, cpus: str) -> dict | None:
    connections = ep.get("connections", default_connections)
    env = dict(os.environ, WRK_METHOD=ep["method"], WRK_BODY_FILE=ep.get("body_file", ""))
    argv = ["taskset", "-c", cpus, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
            "-s", str(LUA), f"http://{HOST}:{port}{ep['path']}"]
    out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=seconds + 60).stdout
    for line in out.splitlines():
        if line.startswith("WRKJSON "):
            result = json.loads(line[len("WRKJSON "):])
            errors = result["errors"]
            if errors["status"] or errors["read"] or errors["timeout"] or result["duration_us"] <= 0:
                print(f"  {ep['name']} on port {port}: errors {errors}", flush=True)
                return None
            return result
    return None


def measure(group: list[dict], specs: list[dict], args, logs: Path, results: dict) -> None:
    routes = group[0]["routes"]
    running = [Server(spec, args.base_port + i, routes, args.server_cpus, logs / f"{spec['name']}-{routes}.log")
               for i, spec in enumerate(specs)]
    try:
        for server in running:
            server.start()
        for ep in group:
            for server in running:
                check(server, ep)
                burst(server.port, ep, args.warmup, args.connections, args.client_cpus)
                settle(running)
        for server in running:
            results["rss_kib_after_warmup"].setdefault(server.spec["name"], {})[routes] = server.rss_kib()
        for r in range(args.rounds):
            order = running if r % 2 == 0 else running[::-1]
            for ep in group:
                for server in order:
                    res = burst(server.port, ep, args.duration, args.connections, args.client_cpus)
                    settle(running)
                    key = f"{ep['name']}/{server.spec['name']}"
                    rps = res["requests"] / (res["duration_us"] / 1e6) if res else 0.0
                    results["rps"].setdefault(key, []).append(rps)
                    results["p99_us"].setdefault(key, []).append(res["latency_us"]["p99"] if res else None)
            print(f"routes={routes}: round {r + 1}/{args.rounds} done", flush=True)
    finally:
        for server in running:
            server.stop()


def table(results: dict, eps: list[dict], names: list[str]) -> str:
    subject, peers = names[0], names[1:]
    head = ["endpoint"] + [f"{n} req/s" for n in names] + [f"{subject}/{p}" for p in peers] \
        + [f"p99 ms {n}" for n in names]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for ep in eps:
        rps = {n: results["rps"][f"{ep['name']}/{n}"] for n in names}
        cells = [ep["name"]] + [f"{statistics.median(rps[n]):,.0f}" for n in names]
        for p in peers:
            ratios = [a / b for a, b in zip(rps[subject], rps[p]) if a and b]
            cells.append(f"{statistics.median(ratios):.2f} [{min(ratios):.2f}-{max(ratios):.2f}]" if ratios else "-")
        for n in names:
            p99 = [v for v in results["p99_us"][f"{ep['name']}/{n}"] if v is not None]
            cells.append(f"{statistics.median(p99) / 1000:.1f}" if p99 else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--duration", type=int, default=3, help="seconds per burst")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--only", help="comma-separated endpoint names")
    p.add_argument("--server-cpus", default="0")
    p.add_argument("--client-cpus", default="1")
    p.add_argument("--base-port", type=int, default=18700)
    args = p.parse_args()

    out_dir = Path(os.environ.get("BENCH_RESULTS_DIR", ROOT / ".bench")).resolve()
    stamp = dt.datetime.now().strftime("%Y-%m-%dT%H%M%S")
    work = out_dir / f"growth-{stamp}"
    work.mkdir(parents=True, exist_ok=True)
    eps = endpoints(work)
    if args.only:
        wanted = args.only.split(",")
        eps = [e for e in eps if e["name"] in wanted]
    specs = servers(args)
    results: dict = {"args": vars(args), "rps": {}, "p99_us": {}, "rss_kib_after_warmup": {},
                     "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                              capture_output=True, text=True).stdout.strip()}
    for routes in sorted({e["routes"] for e in eps}):
        measure([e for e in eps if e["routes"] == routes], specs, args, work / "logs", results)
    names = [s["name"] for s in specs]
    text = table(results, eps, names)
    (out_dir / f"growth-{stamp}.json").write_text(json.dumps(results, indent=1))
    (out_dir / f"growth-{stamp}.md").write_text(text + "\n")
    print(text)
    print("RSS after warm-up (KiB):", json.dumps(results["rss_kib_after_warmup"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
