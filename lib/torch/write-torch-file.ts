/**
 * `writeTorchFile(value)`: the bytes of a `torch.save(value, f)` file (zip format, pickle protocol
 * 2, STORED records with 64-byte aligned storages), which `torch.load(f, weights_only=True)`
 * reads. Bytes out: no file system, no Node built-ins.
 */
import { writeZip } from './archive';
import { TorchFileError } from './errors';
import { Pickler } from './pickle-writer';
import type { TorchValue } from './values';

export interface WriteTorchFileOptions {
  /**
   * The archive's folder name inside the zip (`torch.save` uses the file's stem: `ckpt` for
   * `ckpt.pt`, `archive` for a buffer). @default "archive"
   */
  archiveName?: string;
}

const ALIGNMENT = 64;
const encoder = new TextEncoder();
const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes `value` as a torch.save file. Numbers that are safe integers become Python ints, all
 * others floats (`pyFloat(1)` forces `1.0`); frozen arrays are tuples; see `values.ts` for the
 * whole mapping. Throws `TorchFileError` (code `value`) naming the first value it cannot write.
 *
 * @example
 * const bytes = writeTorchFile({ scheduler: torchSchedulerState(scheduler), epoch: 3 });
 * // Python: torch.load("ckpt.pt", weights_only=True)
 */
export function writeTorchFile(value: TorchValue, options: WriteTorchFileOptions = {}): Uint8Array {
  const archiveName = options.archiveName ?? 'archive';
  if (typeof archiveName !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(archiveName)) {
    throw new TorchFileError('value', `writeTorchFile: option "archiveName" must be a non-empty name of letters, digits, "_", "." and "-", got ${JSON.stringify(archiveName)}`);
  }
  const pickler = new Pickler();
  const pickle = pickler.finish(value);
  const records: Array<[string, Uint8Array]> = [
    [`${archiveName}/data.pkl`, pickle],
    [`${archiveName}/.format_version`, encoder.encode('1')],
    [`${archiveName}/.storage_alignment`, encoder.encode(String(ALIGNMENT))],
    [`${archiveName}/byteorder`, encoder.encode('little')],
  ];
  for (const { key, tensor } of pickler.storages) {
    const data = tensor.data;
    let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (!hostLittleEndian && data.BYTES_PER_ELEMENT > 1) bytes = swapped(bytes, data.BYTES_PER_ELEMENT);
    records.push([`${archiveName}/data/${key}`, bytes]);
  }
  records.push([`${archiveName}/version`, encoder.encode('3\n')]);
  return writeZip(records, ALIGNMENT);
}

function swapped(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j];
  return out;
}

export { TorchFileError };
