#!/usr/bin/env python3
"""Prints the encoded tables of lib/math/exp.ts, log.ts and pow.ts from glibc's sources.

    python3 lib/math/gen-data.py /path/to/glibc            # a checkout of glibc 2.29 or later

It reads sysdeps/ieee754/dbl-64/e_exp_data.c (__exp_data.tab), e_log_data.c (__log_data.tab)
and e_pow_log_data.c (__pow_log_data.tab): the numbers are glibc's (from ARM's
optimized-routines), this script only re-encodes them. With --check-libm it also compares every
value with the tables inside the installed libm.so.6 (needs libc6-dbg for the symbol addresses).

Encodings (base64 of little-endian bytes, decoded by lib/math/data.ts):
  EXP  256 doubles: the uint64 words of __exp_data.tab, tail then scale bits, k = 0..127.
  LOG  256 doubles: invc, logc for each of the 128 rows of __log_data.tab (tab2 is not used by
       the FMA build).
  POW  128 rows of 15 bytes: 1 byte invc * 256 - 182, 6 bytes logc * 2^43 as a signed integer,
       8 bytes logctail (a double): __pow_log_data.tab without its unused pad field.
It also prints the SHA-256 checksums that spec/math/data.spec.ts expects.
"""
import base64
import hashlib
import os
import re
import struct
import subprocess
import sys

DBL = 'sysdeps/ieee754/dbl-64'


def read(root, name):
    with open(os.path.join(root, DBL, name)) as fh:
        return fh.read()


def after(src, marker):
    return src[src.index(marker):]


def exp_words(root):
    body = after(read(root, 'e_exp_data.c'), '.tab = {')
    body = body[:body.index('},')]
    words = [int(w, 16) for w in re.findall(r'0x[0-9a-fA-F]+', body)]
    assert len(words) == 256, len(words)
    return words


def log_rows(root):
    body = after(read(root, 'e_log_data.c'), '.tab = {')
    rows = re.findall(r'\{(-?0x[0-9a-fA-Fp.+-]+), (-?0x[0-9a-fA-Fp.+-]+)\}', body)[:128]
    assert len(rows) == 128
    return [(float.fromhex(a), float.fromhex(b)) for a, b in rows]


def pow_rows(root):
    body = after(read(root, 'e_pow_log_data.c'), '.tab = {')
    rows = re.findall(r'^A\((\S+), (\S+), (\S+)\)', body, re.M)
    assert len(rows) == 128
    return [tuple(float.fromhex(v) for v in row) for row in rows]


def bits(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]


def checksum(words):
    """SHA-256 of the table's uint64 words as lower-case 16-digit hex, one per line."""
    return hashlib.sha256(''.join('%016x\n' % w for w in words).encode()).hexdigest()


def encode_pow(rows):
    out = bytearray()
    for invc, logc, tail in rows:
        m = invc * 256
        n = logc * 2.0 ** 43
        assert m == int(m) and 182 <= m <= 437 and n == int(n) and abs(n) < 2 ** 47
        out.append(int(m) - 182)
        out += int(n).to_bytes(6, 'little', signed=True)
        out += struct.pack('<d', tail)
    return bytes(out)


def libm_tables():
    """(exp words, log rows, pow rows) read from the installed libm.so.6 through its debug symbols."""
    lib = '/lib/x86_64-linux-gnu/libm.so.6'
    build_id = re.search(r'Build ID: (\w+)', subprocess.check_output(['readelf', '-n', lib], text=True)).group(1)
    debug = f'/usr/lib/debug/.build-id/{build_id[:2]}/{build_id[2:]}.debug'
    syms = {}
    for line in subprocess.check_output(['nm', debug], text=True).splitlines():
        p = line.split()
        if len(p) == 3:
            syms[p[2]] = int(p[0], 16)
    sections = []
    for line in subprocess.check_output(['readelf', '-SW', lib], text=True).splitlines():
        p = line.replace('[ ', '[').split()
        if len(p) > 6 and p[0].startswith('[') and p[1] != '.bss':
            try:
                sections.append((int(p[3], 16), int(p[4], 16), int(p[5], 16)))
            except ValueError:
                pass
    data = open(lib, 'rb').read()

    def word(addr):
        for start, off, size in sections:
            if start <= addr < start + size:
                return struct.unpack('<Q', data[off + addr - start:off + addr - start + 8])[0]
        raise KeyError(hex(addr))

    def double(addr):
        return struct.unpack('<d', struct.pack('<Q', word(addr)))[0]

    # The tables sit at the end of each struct; their offsets are found by the first row's value.
    def find(base, first, limit=64):
        for off in range(0, 8 * limit, 8):
            if word(base + off) == first:
                return base + off
        raise KeyError('table start')

    return word, double, find, syms


def check_libm(ew, lr, pr):
    word, double, find, syms = libm_tables()
    e = find(syms['__exp_data'], ew[0] if ew[0] else ew[1]) - (0 if ew[0] else 8)
    assert [word(e + 8 * i) for i in range(256)] == ew, 'exp table differs from libm'
    lg = find(syms['__log_data'], bits(lr[0][0]))
    assert [(double(lg + 16 * i), double(lg + 16 * i + 8)) for i in range(128)] == lr, 'log table differs from libm'
    pw = find(syms['__pow_log_data'], bits(pr[0][0]))
    got = [(double(pw + 32 * i), double(pw + 32 * i + 16), double(pw + 32 * i + 24)) for i in range(128)]
    assert got == pr, 'pow table differs from libm'
    print('// checked against the installed libm.so.6: identical', file=sys.stderr)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    root = args[0]
    ew, lr, pr = exp_words(root), log_rows(root), pow_rows(root)
    if '--check-libm' in sys.argv:
        check_libm(ew, lr, pr)
    exp_bytes = b''.join(struct.pack('<Q', w) for w in ew)
    log_bytes = b''.join(struct.pack('<dd', a, b) for a, b in lr)
    pow_bytes = encode_pow(pr)
    for name, raw in [('EXP', exp_bytes), ('LOG', log_bytes), ('POW', pow_bytes)]:
        print(f"const {name}_DATA = '{base64.b64encode(raw).decode()}';")
    print('// checksums (spec/math/data.spec.ts):')
    print('// exp', checksum(ew))
    print('// log', checksum([bits(v) for row in lr for v in row]))
    print('// pow', checksum([bits(v) for row in pr for v in row]))


if __name__ == '__main__':
    main()
