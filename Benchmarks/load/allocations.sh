#!/usr/bin/env bash
# Allocations per request of a live server: counts libc malloc calls with a perf uprobe
# while wrk sends requests for 3 s (after a 2 s warm-up), then divides by the requests sent.
# Bounded (5 s of load on 127.0.0.1), needs perf (Debian's linux-perf) and wrk.
#
#   perf probe -x /lib/x86_64-linux-gnu/libc.so.6 malloc     # once per boot
#   Benchmarks/load/allocations.sh apus .build/release/apus-bench-server /plaintext
#   WRK_METHOD=POST WRK_BODY='{"name":"Widget","price":9.99,"tags":["a","b","c"]}' \
#       Benchmarks/load/allocations.sh apus .build/release/apus-bench-server /items
set -euo pipefail
name=$1; bin=$2; path=$3
lua="$(cd "$(dirname "$0")/../.." && pwd)/.bench/wrk/bench.lua"   # the harness's wrk script (method, body)
export PORT=8444 EVENT_LOOP_THREADS=1 NIO_SINGLETON_GROUP_LOOP_COUNT=1 NIO_SINGLETON_BLOCKING_POOL_THREAD_COUNT=2
export WRK_METHOD=${WRK_METHOD:-GET} WRK_BODY=${WRK_BODY:-} WRK_CONTENT_TYPE=${WRK_CONTENT_TYPE:-application/json}
taskset -c 0 "$bin" > /dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
sleep 1
taskset -c 1 wrk -t1 -c16 -d2s -s "$lua" "http://127.0.0.1:8444$path" > /dev/null
out=$(perf stat -e probe_libc:malloc -p $pid -x, -- taskset -c 1 wrk -t1 -c16 -d3s -s "$lua" "http://127.0.0.1:8444$path" 2>&1)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
mallocs=$(echo "$out" | grep probe_libc | cut -d, -f1)
python3 -c "print('$name $path: %d requests, %d mallocs, %.1f per request' % ($requests, $mallocs, $mallocs / $requests))"
