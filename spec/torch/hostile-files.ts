/** Builders of hostile torch files: a zip around any pickle, pickle opcodes by hand. */
import { writeZip } from '../../lib/torch/archive';

const text = new TextEncoder();

/** A torch.save-shaped zip (archive/data.pkl, archive/version "3") around `pickle`, plus `records`. */
export function torchZip(pickle: Uint8Array, records: Record<string, Uint8Array> = {}): Uint8Array {
  return writeZip([['archive/data.pkl', pickle], ['archive/version', text.encode('3\n')], ...Object.entries(records).map(([name, data]) => [`archive/${name}`, data] as const)], 64);
}

/** Bytes from numbers, strings (latin-1) and byte arrays. */
export function bytes(...parts: Array<number | string | Uint8Array | number[]>): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (typeof part === 'string') for (const c of part) out.push(c.charCodeAt(0));
    else out.push(...part);
  }
  return Uint8Array.from(out);
}

export const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** BINUNICODE of a string. */
export const str = (s: string): Uint8Array => bytes(0x58, u32(text.encode(s).length), text.encode(s));

/** A seeded PRNG (mulberry32), so every fuzz run mutates the same way. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
