#!/usr/bin/env bash
# Wall time of whole `ctlkit show` processes, as a user meets them. Needs hyperfine
# (Debian: apt-get install hyperfine). Run from the repository root.
set -euo pipefail
cargo build --release --quiet
hyperfine -N --warmup 20 --runs 300 \
  './target/release/ctlkit show fixtures/CTLFile-etoken-sha1.tlv' \
  './target/release/ctlkit show --format json fixtures/CTLFile-etoken-sha1.tlv' \
  './target/release/ctlkit show fixtures/ITLFile-csptechnologies.tlv' \
  './target/release/ctlkit hash fixtures/ITLFile-csptechnologies.tlv'
