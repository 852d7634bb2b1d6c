#!/usr/bin/env bash
# Times `ctlkit audit --format html` over the 20,000-phone fleet of bench-audit.sh (40,000
# files) and Chromium rendering the page (screenshot and PDF), and prints the page's size.
# Needs hyperfine, python3 and Debian's chromium. Run from the repository root; FLEET_DIR to
# keep the fleet somewhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet

fleet="${FLEET_DIR:-$(mktemp -d)}"
python3 scripts/make-fleet.py "$fleet"

out="$(mktemp -d)"
audit="./target/release/ctlkit audit $fleet --against fixtures/CTLFile-updated-sha1.tlv --against fixtures/ITLFile-regenerated-sha1.tlv"
hyperfine --warmup 2 --runs 10 \
  "$audit --format html > $out/audit.html || true" \
  "$audit --format json > $out/audit.json || true"
echo "page: $(stat -c %s "$out/audit.html") bytes (JSON: $(stat -c %s "$out/audit.json") bytes)"

chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars
  --no-pdf-header-footer --window-size=1280,1600)
hyperfine --warmup 1 --runs 5 \
  "chromium ${chromium_flags[*]} --user-data-dir=$out/profile --screenshot=$out/audit.png file://$out/audit.html" \
  "chromium ${chromium_flags[*]} --user-data-dir=$out/profile --print-to-pdf=$out/audit.pdf file://$out/audit.html" \
  "chromium ${chromium_flags[*]} --user-data-dir=$out/profile --screenshot=$out/blank.png about:blank"
echo "PDF: $(stat -c %s "$out/audit.pdf") bytes"
