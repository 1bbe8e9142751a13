#!/usr/bin/env bash
# Runs one libFuzzer target for a while: Scripts/fuzz.sh TARGET SECONDS [JOBS]
#   TARGET: FuzzHTTPHead, FuzzJSONBody, FuzzMultipart, FuzzForm, FuzzWebSocket, or all
# Builds with -sanitize=fuzzer,address in .build-fuzz, or FUZZ_SCRATCH (CI gives the root's
# .build, whose C targets, BoringSSL's among them, are reused) (a debug build, so that @testable
# imports work; APUS_FUZZ_BUILD leaves the @Model macro's plugin out, see Package.swift),
# starts from the seed corpus in Fuzz/corpus/TARGET (copied: the seeds stay as committed),
# and writes crashes to .build-fuzz/crashes/TARGET. Prints libFuzzer's final
# stats (executions per second, coverage) and exits non-zero on a crash, a leak or a timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Scripts/fuzz.sh TARGET SECONDS}"
seconds="${2:?usage: Scripts/fuzz.sh TARGET SECONDS}"
targets=(FuzzHTTPHead FuzzJSONBody FuzzMultipart FuzzForm FuzzWebSocket)
if [ "$target" = all ]; then
    for each in "${targets[@]}"; do "$0" "$each" "$seconds"; done
    exit 0
fi
scratch="${FUZZ_SCRATCH:-.build-fuzz}"
mkdir -p "$scratch"
APUS_FUZZ_BUILD=1 swift build --scratch-path "$scratch" --product "$target" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >"$scratch/build-$target.log" 2>&1 \
    || { tail -40 "$scratch/build-$target.log"; exit 1; }
corpus="$scratch/corpus/$target"
crashes="$scratch/crashes/$target"
mkdir -p "$corpus" "$crashes"
cp -n Fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
echo "fuzzing $target for $seconds s (corpus $corpus, crashes $crashes)"
# One process on one core; inputs up to 64 KiB; an input over 10 s or 2 GiB is a failure.
status=0
"$scratch/debug/$target" "$corpus" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 >"$scratch/$target.log" 2>&1 || status=$?
grep -E "^#[0-9]+[[:space:]]+(INITED|DONE)|stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|ERROR|SUMMARY|Test unit written" \
    "$scratch/$target.log" || true
if [ "$status" -ne 0 ]; then echo "$target failed ($status): see $scratch/$target.log"; fi
exit "$status"
