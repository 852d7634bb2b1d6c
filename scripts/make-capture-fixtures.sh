#!/usr/bin/env bash
# Makes the committed packet captures in fixtures/captures/ the way tests/capture.rs makes its
# own: tftpd-hpa on 127.0.78.1:69 and an HTTP server on 127.0.78.1:6970 serving fixture files,
# tcpdump on lo, phones played by ctlkit fetch, tftp-hpa's client and curl. Needs root (port 69
# and tcpdump), tftpd-hpa, tftp-hpa, tcpdump, curl, python3. Run from the repository root.
set -euo pipefail
cargo build --quiet
ctlkit=$PWD/target/debug/ctlkit
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
server=127.0.78.1
mkdir -p "$work/tftp" "$work/http"
chmod 755 "$work" "$work/tftp"
cp fixtures/CTLFile-etoken-sha1.tlv "$work/tftp/CTLSEP001122334455.tlv"
cp fixtures/ITLFile-sha1.tlv "$work/tftp/ITLSEP001122334455.tlv"
chmod 644 "$work/tftp"/*
cp fixtures/signed/SEP001122334455.cnf.xml.sgn "$work/http/"
# The reset wave: two phones get the current ITL, the third still the one from before
# `set cert regen CallManager`.
cp fixtures/ITLFile-regenerated-sha1.tlv "$work/http/ITLSEP0011223344A1.tlv"
cp fixtures/ITLFile-regenerated-sha1.tlv "$work/http/ITLSEP0011223344A2.tlv"
cp fixtures/ITLFile-sha1.tlv "$work/http/ITLSEP0011223344A3.tlv"
/usr/sbin/in.tftpd -L -s -a "$server:69" "$work/tftp" &
pids+=($!)
(cd "$work/http" && exec python3 -m http.server 6970 --bind "$server" > /dev/null 2>&1) &
pids+=($!)
sleep 1

capture() { # file, then the commands that make the traffic
  local out=$1
  shift
  tcpdump -i lo -U -n -Z root -w "$work/capture.pcap" "host $server" 2> "$work/tcpdump.log" &
  local dump=$!
  until grep -q "listening on" "$work/tcpdump.log"; do sleep 0.1; done
  "$@"
  sleep 1
  kill -INT "$dump"
  wait "$dump" || true
  cp "$work/capture.pcap" "$out"
}

phone_boot() {
  "$ctlkit" fetch "tftp://$server/CTLSEP001122334455.tlv" -o "$work/ctl" --force > /dev/null
  tftp "$server" -m octet -c get ITLSEP001122334455.tlv "$work/itl"
  curl -s -f -o "$work/config" "http://$server:6970/SEP001122334455.cnf.xml.sgn"
}

reset_wave() {
  for phone in 1 2 3; do
    curl -s -f --interface "127.0.78.1$phone" -o "$work/itl$phone" \
      "http://$server:6970/ITLSEP0011223344A$phone.tlv"
  done
}

capture fixtures/captures/phone-boot.pcap phone_boot
capture fixtures/captures/reset-wave.pcap reset_wave
ls -l fixtures/captures/
