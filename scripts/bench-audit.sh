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
if [ ! -f "$fleet/.complete" ]; then
  echo "building a fleet of 20,000 phones (40,000 files) in $fleet"
  mkdir -p "$fleet"
  python3 - "$fleet" <<'PY'
import pathlib, sys
fleet = pathlib.Path(sys.argv[1])
read = lambda name: pathlib.Path('fixtures', name).read_bytes()
current = (read('CTLFile-updated-sha1.tlv'), read('ITLFile-regenerated-sha1.tlv'))
before = (read('CTLFile-etoken-sha1.tlv'), read('ITLFile-sha1.tlv'))
stale_itl = (read('CTLFile-updated-sha1.tlv'), read('ITLFile-sha1.tlv'))
for phone in range(20000):
    ctl, itl = current if phone < 19000 else before if phone < 19500 else stale_itl
    (fleet / f'CTLSEP{phone:012X}.tlv').write_bytes(ctl)
    (fleet / f'ITLSEP{phone:012X}.tlv').write_bytes(itl)
PY
  touch "$fleet/.complete"
fi

hyperfine --warmup 2 --runs 10 \
  "./target/release/ctlkit audit $fleet --against fixtures/CTLFile-updated-sha1.tlv --against fixtures/ITLFile-regenerated-sha1.tlv --format json > /dev/null || true" \
  "find $fleet -name '*.tlv' -print0 | xargs -0 cat > /dev/null"
