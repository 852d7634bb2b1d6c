#!/usr/bin/env bash
# Times `ctlkit boot --macs` for 1,000 virtual phones against tftpd-hpa on loopback (each phone:
# CTLSEP / CTLFile / ITLSEP not found, ITLFile.tlv, its signed config, the load and its three
# files: 11 requests, 6 transfers), against tftp-hpa's client fetching the same six files per
# phone one by one. Needs tftpd-hpa, tftp-hpa and hyperfine (Debian packages of those names).
# Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
phones="${PHONES:-1000}"
root=$(mktemp -d)
chmod 755 "$root"
cp fixtures/ITLFile-sha1.tlv "$root/ITLFile.tlv"
cp fixtures/signed/SIP88xx.14-2-1-0101-20.loads "$root/sip88xx.14-2-1-0101-20.loads"
for image in sip88xx.14-2-1-0101-20 kern88xx.14-2-1-0101-20.sebn rootfs88xx.14-2-1-0101-20.sebn; do
  head -c 100000 /dev/urandom > "$root/$image"
done
list="$root/phones.txt"
: > "$list"
for i in $(seq 1 "$phones"); do
  printf -v mac '00AA%08X' "$i"
  cp fixtures/signed/SEP001122334455.cnf.xml.sgn "$root/SEP$mac.cnf.xml.sgn"
  echo "SEP$mac" >> "$list"
done
chmod 644 "$root"/*
port=$((20000 + RANDOM % 10000))
/usr/sbin/in.tftpd -L -s -a "127.0.0.1:$port" "$root" &
server=$!
trap 'kill $server; rm -rf "$root"' EXIT
sleep 0.5

client_loop="$root/client.sh"
cat > "$client_loop" <<SCRIPT
cd "\$(mktemp -d)"
while read -r phone; do
  tftp 127.0.0.1 $port -m binary -c get ITLFile.tlv
  tftp 127.0.0.1 $port -m binary -c get \$phone.cnf.xml.sgn
  tftp 127.0.0.1 $port -m binary -c get sip88xx.14-2-1-0101-20.loads
  tftp 127.0.0.1 $port -m binary -c get sip88xx.14-2-1-0101-20
  tftp 127.0.0.1 $port -m binary -c get kern88xx.14-2-1-0101-20.sebn
  tftp 127.0.0.1 $port -m binary -c get rootfs88xx.14-2-1-0101-20.sebn
done < "$list"
SCRIPT

hyperfine --warmup 1 --runs 5 \
  "./target/release/ctlkit boot --macs $list --server tftp://127.0.0.1:$port/ --jobs 16 --rate 100000 --format json > /dev/null" \
  "bash $client_loop"
