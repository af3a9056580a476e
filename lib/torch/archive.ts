/**
 * The zip container of `torch.save` files. Reading is our own strict central-directory reader
 * (every offset and size checked against the bytes before anything is sliced or allocated;
 * DEFLATE entries are inflated by fflate in small chunks and stopped at their declared size);
 * writing is fflate's `zipSync`, STORED entries whose data start on 64-byte boundaries as
 * PyTorch's writer places them (`.storage_alignment`), so `torch.load(mmap=True)` works.
 *
 * Why not fflate's `unzipSync` for reading: it allocates an entry's declared uncompressed size and
 * keeps inflating past it, and it silently shortens entries that run past the end of the bytes;
 * both are what hostile files do.
 */
import { Inflate, zipSync, type Zippable } from 'fflate';
import { TorchFileError } from './errors';

export interface ZipEntry {
  name: string;
  compression: number;
  compressedSize: number;
  size: number;
  dataOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** DEFLATE cannot expand data by more than about 1032:1. */
const MAX_DEFLATE_RATIO = 1032;
const names = new TextDecoder('utf-8', { fatal: false });

function fail(code: 'format' | 'truncated', message: string): never {
  throw new TorchFileError(code, `readTorchFile: ${message}`);
}

function uint64(view: DataView, at: number, what: string): number {
  const value = view.getBigUint64(at, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail('format', `zip: ${what} ${value} is impossible`);
  return Number(value);
}

/** Every entry of the archive's central directory, each checked to lie inside the bytes. */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = bytes.length;
  if (length < 22) fail('truncated', `zip: ${length} bytes cannot hold a zip archive`);
  let eocd = -1;
  for (let at = length - 22; at >= 0 && at >= length - 22 - 65535; at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('truncated', 'zip: no end-of-central-directory record (the file is truncated or not a zip archive)');
  let count = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === ZIP64_LOCATOR) {
    const at = uint64(view, eocd - 12, 'zip64 record offset');
    if (at > length - 56 || view.getUint32(at, true) !== ZIP64_EOCD) fail('format', 'zip: the zip64 end record is missing');
    count = uint64(view, at + 32, 'entry count');
    directorySize = uint64(view, at + 40, 'central directory size');
    directoryOffset = uint64(view, at + 48, 'central directory offset');
  }
  if (directoryOffset > length || directorySize > length - directoryOffset) {
    fail('truncated', `zip: the central directory (${directorySize} bytes at ${directoryOffset}) lies beyond the ${length} bytes`);
  }
  if (count * 46 > directorySize) fail('format', `zip: ${count} entries cannot fit in a central directory of ${directorySize} bytes`);
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  const end = directoryOffset + directorySize;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) fail('format', `zip: central directory entry ${i} is damaged`);
    const compression = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localOffset = view.getUint32(at + 42, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > end) fail('format', `zip: central directory entry ${i} runs past the directory`);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      // zip64 extended information: the 8-byte fields present, in this order, for the saturated ones.
      let extra = at + 46 + nameLength;
      const extraEnd = extra + extraLength;
      let found = false;
      while (extra + 4 <= extraEnd) {
        const id = view.getUint16(extra, true);
        const fieldLength = view.getUint16(extra + 2, true);
        if (extra + 4 + fieldLength > extraEnd) break;
        if (id === 1) {
          let field = extra + 4;
          const take = (what: string): number => {
            if (field + 8 > extra + 4 + fieldLength) fail('format', `zip: entry "${name}" lacks its zip64 ${what}`);
            const value = uint64(view, field, what);
            field += 8;
            return value;
          };
          if (size === 0xffffffff) size = take('size');
          if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
          if (localOffset === 0xffffffff) localOffset = take('offset');
          found = true;
          break;
        }
        extra += 4 + fieldLength;
      }
      if (!found) fail('format', `zip: entry "${name}" lacks its zip64 extra field`);
    }
    if (localOffset > length - 30 || view.getUint32(localOffset, true) !== LOCAL) fail('format', `zip: entry "${name}" has no local header at ${localOffset}`);
    const dataOffset = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    if (dataOffset > length || compressedSize > length - dataOffset) {
      fail('truncated', `zip: entry "${name}" (${compressedSize} bytes at ${dataOffset}) runs past the end of the ${length} bytes`);
    }
    entries.push({ name, compression, compressedSize, size, dataOffset });
    at = next;
  }
  return entries;
}

/** An entry's bytes, a fresh copy (STORED, or DEFLATE inflated up to `maxInflatedBytes`). */
export function extractEntry(bytes: Uint8Array, entry: ZipEntry, maxInflatedBytes: number): Uint8Array {
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.compression === 0) {
    if (entry.size !== entry.compressedSize) fail('format', `zip: STORED entry "${entry.name}" declares ${entry.size} bytes but holds ${entry.compressedSize}`);
    return new Uint8Array(data); // a copy (a Node Buffer's own slice() would share memory)
  }
  if (entry.compression !== 8) {
    throw new TorchFileError('unsupported', `readTorchFile: zip: entry "${entry.name}" uses compression method ${entry.compression} (only STORED and DEFLATE)`);
  }
  if (entry.size > maxInflatedBytes) {
    throw new TorchFileError('limit', `readTorchFile: zip: entry "${entry.name}" would inflate to ${entry.size} bytes (maxInflatedBytes is ${maxInflatedBytes})`);
  }
  if (entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 64) {
    fail('format', `zip: entry "${entry.name}" declares ${entry.size} bytes from ${entry.compressedSize} compressed, which DEFLATE cannot produce`);
  }
  const out = new Uint8Array(entry.size);
  let filled = 0;
  let finished = false;
  const inflater = new Inflate((chunk, final) => {
    if (chunk.length > entry.size - filled) fail('format', `zip: entry "${entry.name}" inflates to more than its declared ${entry.size} bytes`);
    out.set(chunk, filled);
    filled += chunk.length;
    finished = final;
  });
  try {
    const step = 4096;
    for (let at = 0; at < data.length; at += step) inflater.push(data.subarray(at, Math.min(data.length, at + step)), at + step >= data.length);
    if (data.length === 0) inflater.push(data, true);
  } catch (error) {
    if (error instanceof TorchFileError) throw error;
    fail('format', `zip: entry "${entry.name}" is not valid DEFLATE data (${(error as Error).message})`);
  }
  if (!finished || filled !== entry.size) fail('truncated', `zip: entry "${entry.name}" inflates to ${filled} bytes, ${entry.size} declared`);
  return out;
}

/** STORED entries in the given order, each entry's data aligned to `alignment` bytes in the archive. */
export function writeZip(records: ReadonlyArray<readonly [string, Uint8Array]>, alignment: number): Uint8Array {
  const files: Zippable = {};
  const encoder = new TextEncoder();
  // DOS time 1980-01-01 00:00 in local time, so every archive of the same data is the same bytes.
  const mtime = new Date(1980, 0, 1, 0, 0, 0);
  let offset = 0;
  let total = 0;
  for (const [name, data] of records) {
    let headerEnd = offset + 30 + encoder.encode(name).length;
    if (headerEnd % alignment === 0) {
      files[name] = [data, { level: 0, mtime }];
    } else {
      // PyTorch pads with an extra field "FB" (0x4246) of "Z"s.
      const padding = (alignment - ((headerEnd + 4) % alignment)) % alignment;
      headerEnd += 4 + padding;
      files[name] = [data, { level: 0, mtime, extra: { 0x4246: new Uint8Array(padding).fill(0x5a) } }];
    }
    offset = headerEnd + data.length;
    total += data.length;
  }
  if (offset > 0xfffffffe || total > 0xfffffffe) {
    throw new TorchFileError('value', `writeTorchFile: the archive would be ${offset} bytes; files beyond 4 GiB (zip64) are not written`);
  }
  return zipSync(files);
}
