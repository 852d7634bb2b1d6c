#!/usr/bin/env python3
"""Writes a large pcap for the extraction benchmark: the phone-boot fixture capture (CTL and
ITL over TFTP, a config over HTTP) replayed by as many phones as it takes to reach the size
asked for, each with its own address and ports. Usage: make-big-capture.py OUT BYTES"""
import struct
import sys

def frames(path):
    data = open(path, 'rb').read()
    assert data[:4] == b'\xd4\xc3\xb2\xa1', 'little-endian microsecond pcap expected'
    header, position, out = data[:24], 24, []
    while position < len(data):
        seconds, micros, caplen, origlen = struct.unpack_from('<IIII', data, position)
        out.append(bytearray(data[position + 16:position + 16 + caplen]))
        position += 16 + caplen
    return header, out

def main():
    out_path, size = sys.argv[1], int(sys.argv[2])
    header, template = frames('fixtures/captures/phone-boot.pcap')
    client = bytes([127, 0, 0, 1])
    with open(out_path, 'wb') as out:
        out.write(header)
        written, phone = len(header), 0
        while written < size:
            phone += 1
            address = bytes([10, (phone >> 16) & 0xff, (phone >> 8) & 0xff, phone & 0xff])
            for frame in template:
                frame = bytearray(frame)
                # IPv4 source and destination at 26 and 30 in an Ethernet frame.
                for offset in (26, 30):
                    if frame[offset:offset + 4] == client:
                        frame[offset:offset + 4] = address
                record = struct.pack('<IIII', phone, 0, len(frame), len(frame)) + frame
                out.write(record)
                written += len(record)
    print(f'{out_path}: {written} bytes, {phone} phones')

main()
