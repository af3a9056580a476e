#!/usr/bin/env python3
"""Writes text-metrics.ts: the advance widths of DejaVu Sans (Book and Bold) for the characters the
charts print, read from the font files' hmtx and cmap tables.

    python3 lib/cli/gen-text-metrics.py [/usr/share/fonts/truetype/dejavu]

The widths are facts about DejaVu Sans (Bitstream Vera license, DejaVu changes in the public
domain): https://dejavu-fonts.github.io/License.html
"""
import os
import struct
import sys

FONT_DIR = sys.argv[1] if len(sys.argv) > 1 else '/usr/share/fonts/truetype/dejavu'
CHARS = [chr(c) for c in range(32, 127)] + ['\u2192', '\u00b7', '\u2026', '\u2212', '\u00d7']
HERE = os.path.dirname(os.path.abspath(__file__))


def tables(data):
    count = struct.unpack('>H', data[4:6])[0]
    out = {}
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack('>4sIII', data[12 + 16 * i:28 + 16 * i])
        out[tag.decode()] = data[offset:offset + length]
    return out


def cmap_format4(cmap):
    count = struct.unpack('>H', cmap[2:4])[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack('>HHI', cmap[4 + 8 * i:12 + 8 * i])
        if (platform, encoding) in ((3, 1), (0, 3)) and struct.unpack('>H', cmap[offset:offset + 2])[0] == 4:
            sub = cmap[offset:]
            segments = struct.unpack('>H', sub[6:8])[0] // 2
            ends = struct.unpack('>%dH' % segments, sub[14:14 + 2 * segments])
            starts = struct.unpack('>%dH' % segments, sub[16 + 2 * segments:16 + 4 * segments])
            deltas = struct.unpack('>%dh' % segments, sub[16 + 4 * segments:16 + 6 * segments])
            range_at = 16 + 6 * segments
            ranges = struct.unpack('>%dH' % segments, sub[range_at:range_at + 2 * segments])

            def glyph(code):
                for s in range(segments):
                    if starts[s] <= code <= ends[s]:
                        if ranges[s] == 0:
                            return (code + deltas[s]) & 0xFFFF
                        at = range_at + 2 * s + ranges[s] + 2 * (code - starts[s])
                        g = struct.unpack('>H', sub[at:at + 2])[0]
                        return (g + deltas[s]) & 0xFFFF if g else 0
                return 0
            return glyph
    raise SystemExit('no format 4 cmap')


def widths(path):
    data = open(path, 'rb').read()
    t = tables(data)
    units = struct.unpack('>H', t['head'][18:20])[0]
    metrics_count = struct.unpack('>H', t['hhea'][34:36])[0]
    glyph = cmap_format4(t['cmap'])
    out = {}
    for c in CHARS:
        g = min(glyph(ord(c)), metrics_count - 1)
        out[c] = struct.unpack('>H', t['hmtx'][4 * g:4 * g + 2])[0] / units
    return out


def main():
    book = widths(os.path.join(FONT_DIR, 'DejaVuSans.ttf'))
    bold = widths(os.path.join(FONT_DIR, 'DejaVuSans-Bold.ttf'))
    lines = [
        '/**',
        ' * Advance widths of DejaVu Sans, in em, for the characters the charts print (written by',
        ' * gen-text-metrics.py from the font files; DejaVu fonts: Bitstream Vera license, DejaVu changes',
        ' * in the public domain). DejaVu Sans is the widest of the chart\'s font stack (Helvetica and Arial',
        ' * are narrower), so a box measured with it holds the text in any of them.',
        ' */',
        '',
        '/** The characters measured, in the order of the width tables. */',
        'export const MEASURED_CHARACTERS = "%s";' % ''.join(CHARS).replace('\\', '\\\\').replace('"', '\\"'),
        '',
        '/** DejaVu Sans Book: the width of each of MEASURED_CHARACTERS, in em. */',
        'export const BOOK_WIDTHS: readonly number[] = [%s];' % ', '.join('%.4f' % book[c] for c in CHARS),
        '',
        '/** DejaVu Sans Bold: the width of each of MEASURED_CHARACTERS, in em. */',
        'export const BOLD_WIDTHS: readonly number[] = [%s];' % ', '.join('%.4f' % bold[c] for c in CHARS),
        '',
    ]
    with open(os.path.join(HERE, 'text-metrics.ts'), 'w') as f:
        f.write('\n'.join(lines))


if __name__ == '__main__':
    main()
