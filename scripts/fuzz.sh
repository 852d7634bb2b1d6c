#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS (default 60) each, on the stable toolchain, with
# cargo-fuzz and no sanitizer (`-s none`: the library forbids unsafe code, and this runs about
# five times faster than AddressSanitizer, which would need RUSTC_BOOTSTRAP=1). Seeds are the
# fixtures and every past find in tests/fuzz-regressions/; a crash fails the run and its input
# is printed as base64 so it can be kept as a regression test. Usage: scripts/fuzz.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse roundtrip verify report structured tftp signed capture)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

echo "== cargo fuzz build -s none"
cargo fuzz build -s none

status=0
for target in "${targets[@]}"; do
  corpus="fuzz/corpus/$target"
  mkdir -p "$corpus" "fuzz/artifacts/$target"
  cp fixtures/*.tlv fixtures/signed/* fixtures/captures/* "$corpus/"
  find tests/fuzz-regressions -type f ! -name '*.md' -exec cp {} "$corpus/" \;
  echo "== fuzz $target for ${seconds}s"
  if ! cargo fuzz run -s none "$target" "$corpus" -- \
      -max_total_time="$seconds" -dict=fuzz/tlv.dict -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 2>"fuzz/$target.log"; then
    status=1
    tail -n 40 "fuzz/$target.log"
    for artifact in fuzz/artifacts/"$target"/*; do
      [ -f "$artifact" ] || continue
      echo "== $target found $(basename "$artifact"); keep it as tests/fuzz-regressions/$target-$(basename "$artifact"):"
      base64 -w0 "$artifact"
      echo
    done
  fi
  grep -E "stat::number_of_executed_units|DONE" "fuzz/$target.log" | tail -n 2 || true
done
exit "$status"
