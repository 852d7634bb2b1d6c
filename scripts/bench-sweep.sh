#!/usr/bin/env bash
# Times `ctlkit verify --trust ITLFile.tlv FOLDER` over 10,000 signed configs (a copy of a
# TFTP folder after `set cert regen CallManager`: 95 % signed by the key the ITL names, the rest
# by the regenerated one), against `cat` reading the same files. Needs hyperfine (Debian:
# apt-get install hyperfine). Run from the repository root; SWEEP_DIR to keep the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet

folder="${SWEEP_DIR:-$(mktemp -d)}"
if [ ! -f "$folder/.complete" ]; then
  echo "building 10,000 signed configs in $folder"
  mkdir -p "$folder"
  for i in $(seq 0 9999); do
    if [ "$i" -lt 9500 ]; then source=fixtures/signed/SEP001122334455.cnf.xml.sgn
    else source=fixtures/signed/SEP001122334455-regenerated.cnf.xml.sgn; fi
    printf -v name 'SEP%012X.cnf.xml.sgn' "$i"
    cp "$source" "$folder/$name"
  done
  touch "$folder/.complete"
fi

hyperfine --warmup 2 --runs 10 \
  "./target/release/ctlkit verify --trust fixtures/ITLFile-sha1.tlv --format json $folder > /dev/null || true" \
  "find $folder -name '*.sgn' -print0 | xargs -0 cat > /dev/null"
