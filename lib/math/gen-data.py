#!/usr/bin/env python3
"""Prints the encoded table of lib/math/log.ts from glibc's sources, and checks the formulas
lib/math/exp.ts and pow.ts compute their tables by.

    python3 lib/math/gen-data.py /path/to/glibc            # a checkout of glibc 2.29 or later

It reads sysdeps/ieee754/dbl-64/e_exp_data.c (__exp_data.tab), e_log_data.c (__log_data.tab)
and e_pow_log_data.c (__pow_log_data.tab): the numbers are glibc's (from ARM's
optimized-routines), this script only re-encodes them. With --check-libm it also compares every
value with the tables inside the installed libm.so.6 (needs libc6-dbg for the symbol addresses).

EXP is not carried: __exp_data.tab's row k is T[k] and the bits of H[k] minus k << 45, with
H[k] = RN(2^(k/128)) and T[k] = RN((2^(k/128) - H[k]) / H[k]); check_exp asserts that of every row
(with mpmath) and prints how far the true values lie from a rounding boundary, the margin
lib/math/exp.ts's 180-bit computation of them relies on.

POW is not carried either: row i of __pow_log_data.tab is invc = 1/c rounded to 8 significant bits
(c the midpoint of the subinterval i: z's bits from OFF + i << 45 to OFF + (i + 1) << 45,
OFF = 0x3fe6955500000000), logc = -log(invc) rounded to a multiple of 2^-43, logctail =
RN(-log(invc) - logc); check_pow asserts it and prints the margins lib/math/pow.ts relies on.

Encoding (base64 of little-endian bytes):
  LOG  256 doubles: invc, logc for each of the 128 rows of __log_data.tab (tab2 is not used by
       the FMA build).
It also prints the SHA-256 checksums that spec/math/data.spec.ts expects.
"""
import base64
import hashlib
import math
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


def check_exp(words):
    """Asserts that __exp_data.tab is H[k], T[k] as above; returns the log2 of the smallest distances
    of the true values from a rounding boundary of H[k] and of T[k] (in units of 1)."""
    from mpmath import floor, log, mp, mpf
    mp.prec = 400
    near_h = near_t = mpf(1)
    for k in range(128):
        exact = mpf(2) ** (mpf(k) / 128)
        h = struct.unpack('<d', struct.pack('<Q', words[2 * k + 1] + (k << 45)))[0]
        t = struct.unpack('<d', struct.pack('<Q', words[2 * k]))[0]
        assert h == float(exact) and t == float((exact - h) / h), f'exp row {k} is not RN(2^(k/128)), RN(tail)'
        ulp = mpf(2) ** -52
        near_h = min(near_h, abs(exact / ulp - floor(exact / ulp) - mpf(1) / 2) * ulp)
        if t != 0:
            ulp = mpf(2) ** (math.frexp(t)[1] - 53)
            rel = (exact - h) / h
            near_t = min(near_t, abs(rel / ulp - floor(rel / ulp) - mpf(1) / 2) * ulp * h)
    return float(log(near_h, 2)), float(log(near_t, 2))


def check_pow(rows):
    """Asserts that __pow_log_data.tab is invc, logc, logctail as above; returns the log2 of the
    smallest distances of 1/c (in units of its 8th bit), -log(invc) (from a logc boundary) and the
    tail (from a logctail boundary) from a rounding boundary."""
    from mpmath import floor, log, mp, mpf
    mp.prec = 400
    near_inv = near_c = near_t = mpf(1)
    for i, (invc, logc, tail) in enumerate(rows):
        lo = struct.unpack('<d', struct.pack('<Q', 0x3fe6955500000000 + (i << 45)))[0]
        hi = struct.unpack('<d', struct.pack('<Q', 0x3fe6955500000000 + ((i + 1) << 45)))[0]
        inverse = 2 / (mpf(lo) + mpf(hi))
        unit = 128 if inverse >= 1 else 256
        near_inv = min(near_inv, abs(inverse * unit - floor(inverse * unit) - mpf(1) / 2))
        assert invc == float(floor(inverse * unit + mpf(1) / 2)) / unit, f'pow row {i}: invc'
        exact = -log(mpf(invc))
        grid = exact * 2 ** 43
        near_c = min(near_c, abs(grid - floor(grid) - mpf(1) / 2) * mpf(2) ** -43)
        assert logc == float(floor(grid + mpf(1) / 2)) / 2 ** 43, f'pow row {i}: logc'
        rest = exact - mpf(logc)
        assert tail == float(rest), f'pow row {i}: logctail'
        if tail != 0:
            ulp = mpf(2) ** (math.frexp(tail)[1] - 53)
            near_t = min(near_t, abs(rest / ulp - floor(rest / ulp) - mpf(1) / 2) * ulp)
    return float(log(near_inv, 2)), float(log(near_c, 2)), float(log(near_t, 2))


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
    near_h, near_t = check_exp(ew)
    print(f'// exp: the formula holds; boundaries at least 2^{near_h:.1f} (H) and 2^{near_t:.1f} (T) away')
    log_bytes = b''.join(struct.pack('<dd', a, b) for a, b in lr)
    near_inv, near_c, near_t = check_pow(pr)
    print(f'// pow: the formula holds; boundaries at least 2^{near_inv:.1f} (1/c, in its units), 2^{near_c:.1f} (logc), 2^{near_t:.1f} (logctail) away')
    print(f"const DATA = '{base64.b64encode(log_bytes).decode()}';")
    print('// checksums (spec/math/exp.spec.ts, log.spec.ts, pow.spec.ts):')
    print('// exp', checksum(ew))
    print('// log', checksum([bits(v) for row in lr for v in row]))
    print('// pow', checksum([bits(v) for row in pr for v in row]))


if __name__ == '__main__':
    main()
