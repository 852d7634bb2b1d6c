#!/usr/bin/env bash
# Whole `ctlkit build` / `ctlkit sign` processes with the signer key on a PKCS #11 token
# (SoftHSM2, made here in a temporary folder) against the same key read from a PEM file: what
# the token costs an administrator (module load, login, key lookup, signing on the token).
# Needs hyperfine, softhsm2 and opensc (Debian packages). Run from the repository root.
set -euo pipefail
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
module=/usr/lib/softhsm/libsofthsm2.so
mkdir "$work/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
  "$work" > "$work/softhsm2.conf"
export SOFTHSM2_CONF=$work/softhsm2.conf CTLKIT_PKCS11_MODULE=$module CTLKIT_PKCS11_PIN=4711
softhsm2-util --init-token --free --label bench --pin 4711 --so-pin 12345678 > /dev/null
softhsm2-util --import fixtures/cluster/CallManager-cucm-pub.key --token bench \
  --label callmanager --id 01 --pin 4711 > /dev/null
openssl x509 -in fixtures/cluster/CallManager-cucm-pub.pem -outform der -out "$work/cm.der"
pkcs11-tool --module "$module" --token-label bench --login --pin 4711 --write-object \
  "$work/cm.der" --type cert --id 01 --label callmanager > /dev/null
head -c 4096 /dev/urandom | base64 > "$work/SEP001122334455.cnf.xml"
ctlkit=$PWD/target/release/ctlkit
common="--ccm-tftp fixtures/cluster/CallManager-cucm-pub.pem --capf fixtures/cluster/CAPF-cucm-pub.pem --tvs fixtures/cluster/TVS-cucm-pub.pem --allow KNO001 --force --timestamp 1768471200 --filename CTLFile.tlv"
hyperfine -N --warmup 10 --runs 200 \
  "$ctlkit build -o $work/pem.tlv --signer fixtures/cluster/CallManager-cucm-pub.pem --signer-key fixtures/cluster/CallManager-cucm-pub.key $common" \
  "$ctlkit build -o $work/token.tlv --signer-pkcs11 pkcs11:token=bench;object=callmanager $common" \
  "$ctlkit sign $work/SEP001122334455.cnf.xml -o $work/pem.sgn --force --signer fixtures/cluster/CallManager-cucm-pub.pem --signer-key fixtures/cluster/CallManager-cucm-pub.key" \
  "$ctlkit sign $work/SEP001122334455.cnf.xml -o $work/token.sgn --force --signer-pkcs11 pkcs11:token=bench;object=callmanager"
cmp "$work/pem.tlv" "$work/token.tlv" && echo "the token and the PEM key built the same bytes"
