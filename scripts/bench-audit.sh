#!/usr/bin/env bash
# Times `ctlkit audit` over a fleet of 20,000 phone files (95 % on the server's ITL, the rest
# on two other versions) against `md5sum` over the same files, run two at a time as the audit
# uses both cores. Needs hyperfine (Debian: apt-get install hyperfine). Run from the
# repository root; FLEET_DIR to keep the fleet somewhere else.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet

fleet="${FLEET_DIR:-$(mktemp -d)}"
if [ ! -f "$fleet/.complete" ]; then
  echo "building a fleet of 20,000 phone files in $fleet"
  mkdir -p "$fleet"
  for i in $(seq 0 19999); do
    if [ "$i" -lt 19000 ]; then source=fixtures/ITLFile-sha512.tlv
    elif [ "$i" -lt 19500 ]; then source=fixtures/ITLFile-sha1.tlv
    else source=fixtures/ITLFile-regenerated-sha1.tlv; fi
    printf -v name 'ITLSEP%012X.tlv' "$i"
    cp "$source" "$fleet/$name"
  done
  touch "$fleet/.complete"
fi

hyperfine --warmup 2 --runs 10 \
  "./target/release/ctlkit audit $fleet --against fixtures/ITLFile-sha512.tlv --format json > /dev/null || true" \
  "find $fleet -name '*.tlv' -print0 | xargs -0 -P2 -n 500 md5sum > /dev/null"
