#!/usr/bin/env bash
# Whole `ctlkit extract` over a 1 GB capture (the phone-boot fixture replayed by ~55,000 phones:
# ~165,000 TFTP and HTTP transfers) against reading the same file with cat: extraction should
# run at disk speed. Needs hyperfine and python3. Run from the repository root.
set -euo pipefail
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 scripts/make-big-capture.py "$work/big.pcap" "${CAPTURE_BYTES:-1000000000}"
hyperfine -N --warmup 1 --runs "${RUNS:-5}" \
  "cat $work/big.pcap" \
  "./target/release/ctlkit extract $work/big.pcap --format csv"
# Writing ~160,000 files (each written to a temporary file and renamed): once is enough.
hyperfine -N --runs 1 \
  "./target/release/ctlkit extract $work/big.pcap -o $work/out --force --format csv"
./target/release/ctlkit extract "$work/big.pcap" --format json | python3 -c '
import json, sys
report = json.load(sys.stdin)
transfers = report["transfers"]
print(report["packets"], "packets,", len(transfers), "transfers,",
      sum(t["complete"] for t in transfers), "complete")'
