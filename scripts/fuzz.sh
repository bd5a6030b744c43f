#!/usr/bin/env bash
# Fuzzes every parser of parallax with cargo-fuzz (libFuzzer) for a fixed
# number of executions per target, on the stable toolchain.
#
#   scripts/fuzz.sh [RUNS] [TARGET...]      # RUNS defaults to 1000000; all targets by default
#
# Targets (fuzz/fuzz_targets/, each calls parallax::invariants::<name>):
#   decode html_page jsonl parse_date timex quotes ner pipeline_text pipeline_html
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler (libFuzzer is
# built from source by libfuzzer-sys). No nightly toolchain is needed: the
# build uses `-s none` (no sanitizer; the workspace forbids unsafe code) with
# debug assertions (`-a`, so integer overflows panic), which stable accepts.
# Corpora grow under fuzz/corpus/<target>/ (not committed), seeded from
# examples/; a crash is saved as fuzz/artifacts/<target>/crash-* and the
# script exits 1. Reproduce one with
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/crash-...
# (the binary prints the panic; the runs here close the target's stderr,
# because the HTML extractor prints debug lines when built with debug assertions).
# Each target also stops after FUZZ_MAX_SECONDS (default: no limit) and
# reports the executions it reached. Set CARGO_TARGET_DIR to build elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${1:-1000000}"
shift || true
ALL=(decode html_page jsonl parse_date timex quotes ner pipeline_text pipeline_html)
TARGETS=("${@:-${ALL[@]}}")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")
MAX_SECONDS="${FUZZ_MAX_SECONDS:-0}"
TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/fuzz/target}"

command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is missing: cargo install cargo-fuzz"; exit 2; }
cargo fuzz build -s none -O -a --target-dir "$TARGET_DIR"
BIN_DIR="$TARGET_DIR/x86_64-unknown-linux-gnu/release"

failed=0
echo "| target | executions | seconds | crashes |"
echo "|---|---|---|---|"
for target in "${TARGETS[@]}"; do
  corpus="fuzz/corpus/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  # Seeds: the project's own fictional examples, by the input each target reads.
  case "$target" in
    html_page|pipeline_html) cp -n examples/*.html "$corpus/" 2>/dev/null || true ;;
    jsonl) cp -n examples/*.jsonl "$corpus/" 2>/dev/null || true ;;
    decode|timex|quotes|ner|pipeline_text) cp -n examples/*.txt "$corpus/" 2>/dev/null || true ;;
  esac
  log="fuzz/artifacts/$target.log"
  started=$(date +%s)
  set +e
  "$BIN_DIR/$target" "$corpus" \
    -runs="$RUNS" -max_total_time="$MAX_SECONDS" -timeout=30 -rss_limit_mb=4096 \
    -max_len=16384 -close_fd_mask=2 -dict=fuzz/parallax.dict \
    -artifact_prefix="$artifacts/" >"$log" 2>&1
  status=$?
  set -e
  seconds=$(( $(date +%s) - started ))
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  done_line=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || true)
  execs="${done_line:-${execs:-0}}"
  crashes=$(find "$artifacts" -maxdepth 1 -name 'crash-*' -o -maxdepth 1 -name 'timeout-*' -o -maxdepth 1 -name 'oom-*' | wc -l)
  echo "| $target | $execs | $seconds | $crashes |"
  if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    echo "  $target failed (exit $status): see $log and $artifacts/" >&2
  fi
done
exit "$failed"
