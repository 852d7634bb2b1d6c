#!/usr/bin/env python3
"""Writes the benchmark fleet: 20,000 phones with two files each (CTLSEP<MAC>.tlv and
ITLSEP<MAC>.tlv), 95 % current, the rest on the lists from before the CallManager certificate
was regenerated, or with a current CTL and a stale ITL. Run from the repository root:
python3 scripts/make-fleet.py FOLDER. A folder already made (it holds .complete) is kept as
it is, so the benchmarks that share the fleet build it once."""
import pathlib
import sys

fleet = pathlib.Path(sys.argv[1])
if (fleet / '.complete').exists():
    sys.exit(0)
print(f'building a fleet of 20,000 phones (40,000 files) in {fleet}')
fleet.mkdir(parents=True, exist_ok=True)
read = lambda name: pathlib.Path('fixtures', name).read_bytes()
current = (read('CTLFile-updated-sha1.tlv'), read('ITLFile-regenerated-sha1.tlv'))
before = (read('CTLFile-etoken-sha1.tlv'), read('ITLFile-sha1.tlv'))
stale_itl = (read('CTLFile-updated-sha1.tlv'), read('ITLFile-sha1.tlv'))
for phone in range(20000):
    ctl, itl = current if phone < 19000 else before if phone < 19500 else stale_itl
    (fleet / f'CTLSEP{phone:012X}.tlv').write_bytes(ctl)
    (fleet / f'ITLSEP{phone:012X}.tlv').write_bytes(itl)
(fleet / '.complete').touch()
