#!/usr/bin/env bash
# The figures of docs/deployment.md, bounded and on 127.0.0.1 only: HTTP/2 requests per
# second (h2load over h2c, prior knowledge) for Apus and Hummingbird side by side, rounds
# interleaved, each server pinned to core 0 and h2load to core 1; and TLS handshakes per
# second with `openssl s_time -new` against both over TLS (h2 and http/1.1 offered by ALPN),
# with the server's CPU time per handshake.
#
#   swift build -c release --product apus-bench-server            # at the repository's root
#   (cd Benchmarks/load/deployment && swift build -c release --scratch-path ../../../.build)   # shares NIO and BoringSSL
#   bash Benchmarks/load/deployment/run.sh [ROUNDS] [PARTS]     # PARTS: "http2 tls" (default), "http2" or "tls"
set -euo pipefail
cd "$(dirname "$0")/../../.."
rounds=${1:-5}
parts=" ${2:-http2 tls} "
apus=.build/release/apus-bench-server
hb=.build/release/hb-http2-bench
[ -x "$hb" ] || hb=Benchmarks/load/deployment/.build/release/hb-http2-bench
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
wait_port() { for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; return 1; }
h2rate() { taskset -c 1 h2load -n 200000 -c 64 -m 10 -t 1 "http://127.0.0.1:$1$2" 2>/dev/null | awk '/^finished in/ {gsub(",", "", $4); print $4}'; }

if [[ $parts == *" http2 "* ]]; then
    echo "# HTTP/2 (h2c), h2load -n 200000 -c 64 -m 10, req/s per round"
    for round in $(seq "$rounds"); do
        for contestant in apus hummingbird; do
            if [ $contestant = apus ]; then
                PORT=18080 HTTP2_CLEARTEXT=true EVENT_LOOP_THREADS=1 taskset -c 0 "$apus" >/dev/null 2>&1 &
            else
                PORT=18080 taskset -c 0 "$hb" >/dev/null 2>&1 &
            fi
            pid=$!
            wait_port 18080
            for path in /plaintext /json; do
                echo "round=$round contestant=$contestant path=$path req_per_s=$(h2rate 18080 $path)"
            done
            kill $pid; wait $pid 2>/dev/null || true
        done
    done
fi

if [[ $parts == *" tls "* ]]; then
    echo "# TLS handshakes, openssl s_time -new -time 5 (ECDSA P-256, TLS 1.3), client on core 1; server CPU from /proc"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
        -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
    cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
    for round in $(seq "$rounds"); do
        for contestant in apus hummingbird; do
            if [ $contestant = apus ]; then
                PORT=18443 EVENT_LOOP_THREADS=1 TLS_CERTIFICATE="$work/cert.pem" TLS_KEY="$work/key.pem" taskset -c 0 "$apus" >/dev/null 2>&1 &
            else
                PORT=18443 TLS_CERTIFICATE="$work/cert.pem" TLS_KEY="$work/key.pem" taskset -c 0 "$hb" >/dev/null 2>&1 &
            fi
            pid=$!
            wait_port 18443
            before=$(cpu_ticks $pid); started=$(date +%s.%N)
            count=$(taskset -c 1 openssl s_time -connect 127.0.0.1:18443 -new -time 5 2>/dev/null | awk '/connections in .* real seconds/ {print $1}' | head -1)
            ended=$(date +%s.%N); after=$(cpu_ticks $pid)
            awk -v r=$round -v c=$contestant -v n="$count" -v t0=$started -v t1=$ended -v k=$((after - before)) -v hz="$(getconf CLK_TCK)" \
                'BEGIN { printf "round=%s contestant=%s handshakes=%d per_s=%.0f server_cpu_ms_per_handshake=%.3f\n", r, c, n, n / (t1 - t0), k * 1000 / hz / n }'
            kill $pid; wait $pid 2>/dev/null || true
        done
    done
fi
