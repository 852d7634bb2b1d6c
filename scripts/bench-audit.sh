#!/usr/bin/env bash
# Times `ctlkit audit` over a fleet of 20,000 phones with two files each (CTLSEP<MAC>.tlv and
# ITLSEP<MAC>.tlv: 95 % current, the rest on the lists from before the CallManager
# certificate was regenerated, or with a current CTL and a stale ITL), judged phone by phone,
# against `cat` reading the same 40,000 files. Needs hyperfine and python3. Run from the
# repository root; FLEET_DIR to keep the fleet somewhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet

fleet="${FLEET_DIR:-$(mktemp -d)}"
python3 scripts/make-fleet.py "$fleet"

hyperfine --warmup 2 --runs 10 \
  "./target/release/ctlkit audit $fleet --against fixtures/CTLFile-updated-sha1.tlv --against fixtures/ITLFile-regenerated-sha1.tlv --format json > /dev/null || true" \
  "find $fleet -name '*.tlv' -print0 | xargs -0 cat > /dev/null"
