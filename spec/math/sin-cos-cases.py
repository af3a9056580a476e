#!/usr/bin/env python3
"""Records math.cos and math.sin (glibc's __cos_fma / __sin_fma) for spec/math/sin-cos.spec.ts.

    python3 spec/math/sin-cos-cases.py > spec/math/sin-cos-cases.ts

Run it with CPython on x86-64 Linux, glibc >= 2.29, on a CPU with FMA and AVX2 (it checks). Every
line of the output is `x cos(x) sin(x)` as the hexadecimal IEEE bits of the three doubles, grouped
by what the inputs exercise in s_sin.c and in lib/math/sin-cos.ts. The inputs are fixed or drawn
from a seeded generator; the results are libm's.
"""
import math
import os
import platform
import random
import struct
import subprocess
import sys

FIELDS = ['known', 'dispatch', 'table', 'multiples', 'reduction', 'rare', 'huge', 'fused', 'random']


def bits(x):
    return struct.unpack('<Q', struct.pack('<d', x))[0]


def from_bits(b):
    return struct.unpack('<d', struct.pack('<Q', b))[0]


def neighbours(x, k):
    """x and the k doubles on each side of it."""
    out = [x]
    lo = hi = x
    for _ in range(k):
        lo = math.nextafter(lo, -math.inf)
        hi = math.nextafter(hi, math.inf)
        out += [lo, hi]
    return out


def inputs():
    groups = {}
    # Inputs where glibc is not correctly rounded (the cos and sin entries of the former
    # spec/math/known-differences.ts), and one where the FMA and SSE2 variants differ.
    groups['known'] = [float.fromhex(h) for h in (
        '0x1.d6d1dff63e7bcp+14 0x1.99d1decdcf250p+12 0x1.366664011a5b9p+14 0x1.18e792545b101p+14 '
        '0x1.08b37c12c1c9ep+14 0x1.b355f6b77bd18p+14 0x1.9f591f53a1660p+16 -0x1.ed007358a3ca0p+14 '
        '0x1.984515743a90cp+19 0x1.e5f116ff0bfc0p+18 -0x1.b4dc712e54f00p+16 -0x1.a77fafef605c0p+18 '
        '0x1.921fb54442d19p+0 0x1.e49c5dbb49f5fp+1 0x1.de6383c861256p+1 0x1.4c2780bbf7b44p+2 '
        '0x1.05c85a9cd2692p+2 0x1.697d59ec67e84p+0 0x1.474dcc0837458p+0 0x1.c8e7982f84dbbp+0 '
        '0x1.6f8b4ae34a5e7p+12 0x1.ae4d846c1a6e8p+14 0x1.dfe37bb86ab89p+13 0x1.5aa8fa6911724p+14 '
        '0x1.9119d4b088588p+19 0x1.0ce1729429ac6p+19 -0x1.3caa3889c201ep+19 0x1.b659a0fb25ea6p+19 '
        '0x1.34b2fdcd358fcp+18 -0x1.1334721c9eb6ap+19 0x1.331a27e1d6438p+18 0x1.984ccbb3dc007p+22 '
        '0x1.a4e630ffaafecp+22 0x1.eb451e3ac1057p+22').split()] + [0.9275178310598436]

    # s_sin.c's dispatch on the high word: 2^-27 (cos), 2^-26 (sin), 0x3feb6000 (0.85546875),
    # 0x400368fd (2.4262638...), 0x419921FB (105414336), 2^48 (a boundary of glibc < 2.28), the
    # largest double; signed zeros, subnormals, the smallest normal; both signs, 3 neighbours.
    edges = [2.0 ** -27, 2.0 ** -26, 0.85546875, from_bits(0x400368fd << 32), from_bits(0x419921FB << 32),
             281474976710656.0, sys.float_info.max, sys.float_info.min, 5e-324, 2.0 ** -1022 - 5e-324, 1e-300]
    dispatch = [0.0, -0.0]
    for e in edges:
        for v in neighbours(e, 3):
            if v != math.inf and v > 0:
                dispatch += [v, -v]
    groups['dispatch'] = dispatch

    # do_sin/do_cos's table: |x| on each midpoint (i + 0.5) / 128 (big + |x| rounds to even) and
    # next to it; do_sin's switch to TAYLOR_SIN at 0.126, directly and through hp0 - |x|.
    table = []
    for i in range(110):
        m = (i + 0.5) / 128
        table += [m, math.nextafter(m, 0)]
    for c in (0.126, math.pi / 2 - 0.126, math.pi / 2 + 0.126):
        table += neighbours(c, 2)
    groups['table'] = table

    # Multiples of pi/2 as doubles (the reduced argument is tiny: the Taylor branch, the
    # table's first entry), and the closest ones below 2^26 pi/2, 1 ulp either side.
    multiples = []
    for m in list(range(2, 64)) + [29, 58, 116, 232, 464, 928, 1856, 3712, 6055, 12110, 24220, 48440, 96880]:
        for v in neighbours(m * (math.pi / 2), 1):
            multiples += [v, -v]
    groups['multiples'] = multiples

    # reduce_sincos's fused x * hpinv + toint where RN(x * hpinv) is a half-integer: fused and
    # unfused roundings give different quadrants. The first 12 were picked (by an instrumented
    # build) where the results differ too, the others are drawn.
    hpinv = float.fromhex('0x1.45F306DC9C883p-1')
    reduction = [float.fromhex(h) for h in (
        '0x1.4a2b1ee48a29cp+23 0x1.600377f198879p+22 0x1.3a9921a4ea812p+25 0x1.8beb029bd3df1p+24 '
        '0x1.7df284938dafcp+26 0x1.cc78b731fcd17p+25 0x1.f032372a6bd2ep+24 0x1.186236297b48dp+25 '
        '0x1.e04b387f60737p+24 0x1.08d34e3d18eebp+23 0x1.de99b7bcb11b0p+24 0x1.6b67ef5798971p+26 ').split()]
    rng = random.Random(4)
    while len(reduction) < 20:
        k = rng.randrange(2, 67000000)
        x = (k + 0.5) / hpinv
        for d in range(-3, 4):
            y = x + d * x * 2.0 ** -52
            if y * hpinv == k + 0.5 and y not in reduction:
                reduction.append(y)
    groups['reduction'] = reduction

    # Rare paths of lib/math/sin-cos.ts, found with an instrumented build on random inputs: a DA
    # site on a midpoint where the product's error decides (each polynomial step of do_cos,
    # do_sin and TAYLOR_SIN, do_cos's y + y * xx * q; the last 12 where this changes the
    # result), and the exact evaluations taken when the rounding test fails (do_cos's table
    # branch, TAYLOR_SIN, do_sin's table branch, its s).
    groups['rare'] = [float.fromhex(h) for h in (
        '0x1.af06d8b814034p-1 0x1.b4dff60b2a450p-2 0x1.4a9bda3cc0a32p+1 -0x1.7d29018cd477dp+26 '
        '0x1.e50d1ab4a1941p+0 0x1.5c68b28ea5e13p-2 0x1.63aab03aafd76p-2 0x1.6c20bc2fab693p-4 '
        '0x1.65f35f6edeeddp-3 0x1.3a6103e057300p-1 0x1.fcab15c09a6c6p-4 0x1.e147e0ea6bb20p-4 '
        '-0x1.29105adb8b8f6p+743 0x1.90608f6f9ab48p+1 0x1.2592e9a23b78dp+25 0x1.d6e2b9aa21af8p-5 '
        '0x1.a4af62468def7p+0 0x1.85a18ec94f5d2p+25 0x1.5b43f15643fabp+17 -0x1.8c929282d4378p+2 '
        '0x1.8c891d37341dep+1 0x1.fc99b498aacafp+18 0x1.3aae56032a9ebp-1 0x1.f259563633020p-2 '
        '0x1.5bfea4ed41188p-2 0x1.235918edb8fddp+21 0x1.bacc3a90ef247p+0 0x1.35a8eadd2a69ep-1 '
        '0x1.25a250ff27c02p-3 0x1.8d9c9a8b22bf5p-1 '
        '-0x1.62e58b6df9221p+2 0x1.2ef1bcde0dc01p+1 0x1.379953fb405f6p+1 0x1.04bda32824cc9p+0 '
        '0x1.0ad2620193287p+1 0x1.5397ebb7892adp+0 0x1.9096b013db3afp+485 0x1.41fd79bb6c41ap+14 '
        '-0x1.d9b952d0b16f1p+19 0x1.af5ddbf77e6ffp+0 -0x1.dd685854baa22p+800 0x1.3a3ac894e4694p+17 '
        '0x1.b5d1d94d4ca26p+25 0x1.371064b667b40p+0 0x1.f352b623beafap+0 -0x1.17a6e3688ccabp+18 '
        '-0x1.363502f2d2b73p+26 0x1.5c3593e5c362fp+26 0x1.21099f112cb06p+0 0x1.1add3af845c13p+19 '
        '-0x1.138535a292998p+26 0x1.74bdb4f7fe4f9p+1 0x1.1edeb4ac488bap+0 -0x1.242d5ae059a6dp+3 '
        '0x1.a601640a81262p-4 0x1.f83df0a96c57ap-4 0x1.dd9af75fe66d4p-4 0x1.eacf691f78ccfp-4 '
        '0x1.986d56e1476bep-4 0x1.81630038e6f6ep-4 0x1.7b7ed3080edb6p+0 0x1.74c89b3ec699ep+0 '
        '0x1.b10b49fcca0dap+0 0x1.abd5dfd76fb19p+0 0x1.b1b8d36b209cep+0 0x1.72e9fd5be64e9p+0 ').split()]

    # __branred: the double closest to a multiple of pi/2 (6381956970095103 * 2^797), powers of
    # two, round numbers up to 1.7e308 and random bit patterns above 105414336.
    rng = random.Random(2)
    huge = [6381956970095103 * 2.0 ** 797, 2.0 ** 1023, 1.7e308, 1e308, 1e300, 1e200, 1e100, 1e22, 1e16, 2.0 ** 53,
            2.0 ** 52 + 1, 2.0 ** 30, 1.0541435e8, 1.2e8]
    while len(huge) < 70:
        x = from_bits(rng.randrange(0x419921FB << 32, 0x7FF0000000000000))
        huge.append(x)
    groups['huge'] = [v for x in huge for v in (x, -x)]

    # Random: CosineAnnealingLR's arguments (pi * k / T, k * pi / T), [0, pi], [-1e6, 1e6], and
    # random bit patterns (finite).
    rng = random.Random(1)
    rand = []
    for _ in range(60):
        t = rng.choice([10, 100, 1000, 10000, 100000, rng.randrange(1, 200000)])
        k = rng.randrange(0, 2 * t + 1)
        rand += [math.pi * k / t, k * math.pi / t]
    rand += [rng.uniform(0, math.pi) for _ in range(80)]
    rand += [rng.uniform(-1e6, 1e6) for _ in range(80)]
    while len(rand) < 360:
        x = from_bits(rng.getrandbits(64))
        if math.isfinite(x):
            rand.append(x)
    groups['random'] = rand
    groups['fused'] = fused_differences()
    return groups


def sse2_values(xs):
    """cos and sin bits of xs in glibc's SSE2 variant (GLIBC_TUNABLES disables FMA and AVX2)."""
    out = subprocess.run([sys.executable, __file__, '--values'], input=''.join(f'{bits(x):016x}\n' for x in xs),
                         capture_output=True, text=True, check=True,
                         env={**os.environ, 'GLIBC_TUNABLES': 'glibc.cpu.hwcaps=-AVX2,-FMA'}).stdout.split('\n')
    return out[:len(xs)]


def values(x):
    return f'{bits(math.cos(x)):016x} {bits(math.sin(x)):016x}'


def fused_differences():
    """Inputs where the fused multiply-adds matter: glibc's SSE2 variant returns another cos or sin
    (about 1 input in 1600), 60 from each of [0, pi], cos(pi * k / T), [-100, 100], [-1e6, 1e6]
    and above 105414336."""
    rng = random.Random(3)
    draws = [lambda: rng.uniform(0, math.pi),
             lambda: math.pi * rng.randrange(0, 100001) / 100000,
             lambda: rng.uniform(-100, 100),
             lambda: rng.uniform(-1e6, 1e6),
             lambda: rng.choice([-1, 1]) * from_bits(rng.randrange(0x419921FB << 32, 0x7FF0000000000000))]
    found = []
    for draw in draws:
        mine = []
        while len(mine) < 60:
            xs = [draw() for _ in range(100000)]
            mine += [x for x, v in zip(xs, sse2_values(xs)) if v != values(x)]
        found += mine[:60]
    return found


def check_platform():
    flags = set()
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('flags'):
                flags = set(line.split(':', 1)[1].split())
                break
    libc = os.confstr('CS_GNU_LIBC_VERSION')
    major, minor = (int(v) for v in libc.split()[1].split('.')[:2])
    if platform.machine() != 'x86_64' or not {'fma', 'avx2'} <= flags or (major, minor) < (2, 29):
        sys.exit(f'needs x86-64 with fma and avx2 and glibc >= 2.29; this is {platform.machine()}, {libc}')
    return libc


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--values':
        # child: cos and sin bits of the inputs on stdin (used to count what the SSE2 variant changes)
        for line in sys.stdin:
            x = from_bits(int(line, 16))
            print(f'{bits(math.cos(x)):016x} {bits(math.sin(x)):016x}')
        return
    libc = check_platform()
    groups = inputs()
    # glibc's variant without fused multiply-adds, for the header
    allx = [x for g in FIELDS for x in groups[g]]
    differ = sum(1 for x, v in zip(allx, sse2_values(allx)) if v != values(x))
    print('/**')
    print(' * math.cos and math.sin as recorded by spec/math/sin-cos-cases.py (do not edit):')
    print(' * `python3 spec/math/sin-cos-cases.py > spec/math/sin-cos-cases.ts`, on CPython')
    print(f' * {platform.python_version()}, {libc}, x86-64 with FMA and AVX2 (libm\'s __cos_fma and __sin_fma).')
    print(f' * {len(allx)} inputs; {differ} of them give another cos or sin in glibc\'s SSE2 variant (no fma).')
    print(' * Each line: x, cos(x), sin(x) as the hexadecimal bits of the doubles.')
    print(' */')
    print('export const SIN_COS_CASES: Record<string, string> = {')
    for g in FIELDS:
        print(f'  {g}: `')
        for x in groups[g]:
            print(f'{bits(x):016x} {bits(math.cos(x)):016x} {bits(math.sin(x)):016x}')
        print('`,')
    print('};')


if __name__ == '__main__':
    main()
