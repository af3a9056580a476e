import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { asOptimizer, InvalidStateError, StepLR, VirtualOptimizer } from '../../lib';
import { readTorchFile, TorchFileError, type TorchDict, type TorchFileErrorCode } from '../../lib/torch';
import { random } from './hostile-files';
import { FIXTURES } from './torch-fixtures';

const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

function refusal(read: () => unknown): TorchFileError {
  try {
    read();
  } catch (error) {
    expect(error).to.be.instanceOf(TorchFileError);
    return error as TorchFileError;
  }
  return expect.fail('expected a TorchFileError') as never;
}

function expectRefusal(read: () => unknown, codes: readonly TorchFileErrorCode[], message: string): void {
  const error = refusal(read);
  expect(error.message).to.contain(message);
  expect(codes).to.include(error.code);
}

describe('the zip container', () => {
  it('refuses every truncation of a real file', () => {
    const bytes = fixture('step-lr.pt');
    for (let length = 0; length < bytes.length; length += 7) {
      const error = refusal(() => readTorchFile(bytes.subarray(0, length)));
      expect(['truncated', 'format'], `${length} bytes: ${error.message}`).to.include(error.code);
    }
  });

  it('refuses what is not a torch file, saying what a torch file starts with', () => {
    expectRefusal(() => readTorchFile(new TextEncoder().encode('{"scheduler": {}}')), ['format'], 'not a torch.save file: it starts with 7b 22 73 63');
    expectRefusal(() => readTorchFile(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10])), ['format'], 'starts with 89 50 4e 47');
    expectRefusal(() => readTorchFile(new Uint8Array(0)), ['truncated'], 'starts with nothing');
    expectRefusal(() => readTorchFile(zipSync({ 'model.json': new Uint8Array(3) })), ['format'], 'is not inside an archive folder');
    expectRefusal(() => readTorchFile(zipSync({ 'ckpt/data.pkl': new Uint8Array([0x80, 2, 0x4e, 0x2e]) })), ['format'], 'has no "version" record');
    const tar = new Uint8Array(1024);
    tar.set(new TextEncoder().encode('ustar'), 257);
    expectRefusal(() => readTorchFile(tar), ['unsupported', 'format'], '');
  });

  it('refuses absurd declared sizes before allocating anything', () => {
    const bytes = fixture('step-lr.pt');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const eocd = bytes.length - 22;
    expect(view.getUint32(eocd, true)).to.equal(0x06054b50);
    // PyTorch writes zip64 end records; make the entry count 2^40 there, and in the classic record.
    const huge = bytes.slice();
    const zip64 = Number(new DataView(huge.buffer).getBigUint64(eocd - 12, true));
    new DataView(huge.buffer).setBigUint64(zip64 + 32, 1n << 40n, true);
    expectRefusal(() => readTorchFile(huge), ['format'], 'entries cannot fit in a central directory');
    // A DEFLATE entry that claims 4 GiB.
    const deflated = zipSync({ 'a/data.pkl': [new Uint8Array([0x80, 2, 0x4e, 0x2e]), { level: 6 }], 'a/version': [new TextEncoder().encode('3\n'), { level: 0 }] });
    const central = deflated.length - 22 - 2 * 46 - 'a/data.pkl'.length - 'a/version'.length;
    const inflated = deflated.slice();
    new DataView(inflated.buffer).setUint32(central + 24, 0xfffffff0, true);
    expectRefusal(() => readTorchFile(inflated), ['limit'], 'would inflate to 4294967280 bytes (maxInflatedBytes');
    expect(readTorchFile(deflated)).to.equal(null); // a real DEFLATE entry reads
  });

  it('reads the small fixture a browser suite can load (step-lr.pt, no Node built-ins in lib/torch)', () => {
    const source = ['archive.ts', 'errors.ts', 'index.ts', 'optimizer-state.ts', 'pickle-reader.ts', 'pickle-writer.ts', 'read-torch-file.ts', 'scheduler-state.ts', 'tensors.ts', 'values.ts', 'write-torch-file.ts']
      .map((file) => readFileSync(join(__dirname, '../../lib/torch', file), 'utf8'))
      .join('\n');
    expect(source).not.to.match(/from 'node:|require\(|\bBuffer\./);
    const small = fixture('step-lr.pt');
    expect(small.length).to.be.below(4096);
    expect(readTorchFile<{ epoch: number }>(small).epoch).to.equal(5);
  });
});

describe('10,000 fuzzed mutations of real torch files', function () {
  this.timeout(300_000);

  it('give a typed error or a value, never a crash, a hang or unbounded memory', () => {
    const sources = ['step-lr.pt', 'multi-step-lr.pt', 'exponential-lr.pt', 'tensor-lr.pt', 'legacy-step-lr.pt', 'legacy-multi-step-lr.pt', 'hf-trainer/checkpoint-8/optimizer.pt'].map(fixture);
    const next = random(20260514);
    const runs = Number(process.env.TORCH_FUZZ_RUNS ?? 10_000);
    const counts: Record<string, number> = { value: 0 };
    let slowest = 0;
    let loaded = 0;
    const heapStart = process.memoryUsage().heapUsed;
    let heapPeak = heapStart;
    const start = performance.now();
    for (let run = 0; run < runs; run++) {
      const source = sources[run % sources.length];
      const bytes = source.slice();
      const kind = Math.floor(next() * 5);
      const mutations = 1 + Math.floor(next() * 4);
      for (let m = 0; m < mutations; m++) {
        const at = Math.floor(next() * bytes.length);
        if (kind === 0) bytes[at] ^= 1 << Math.floor(next() * 8);
        else if (kind === 1) bytes[at] = Math.floor(next() * 256);
        else if (kind === 2) new DataView(bytes.buffer).setUint32(Math.min(at, bytes.length - 4), [0xffffffff, 0x7fffffff, 0x10000000, Math.floor(next() * 2 ** 32)][Math.floor(next() * 4)], true);
        else if (kind === 3) bytes.fill(Math.floor(next() * 256), at, Math.min(bytes.length, at + 1 + Math.floor(next() * 64)));
      }
      const input = kind === 4 ? bytes.subarray(0, Math.floor(next() * bytes.length)) : bytes;
      const t0 = performance.now();
      try {
        const value = readTorchFile<{ scheduler?: TorchDict }>(input);
        counts.value += 1;
        if (source === sources[0] && value !== null && typeof value === 'object' && value.scheduler !== undefined) {
          // What was read must also be safe to load: a state that does not fit is an InvalidStateError.
          const scheduler = new StepLR(asOptimizer(new VirtualOptimizer([{ lr: 0.1 }, { lr: 0.05 }])), { stepSize: 3, gamma: 0.5 });
          try {
            scheduler.loadStateDict(value.scheduler);
            loaded += 1;
          } catch (error) {
            expect(error).to.be.instanceOf(InvalidStateError);
          }
        }
      } catch (error) {
        if (!(error instanceof TorchFileError)) throw new Error(`run ${run}: ${String(error)}`);
        counts[error.code] = (counts[error.code] ?? 0) + 1;
      }
      slowest = Math.max(slowest, performance.now() - t0);
      if (run % 250 === 0) heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }
    const total = performance.now() - start;
    if (process.env.TORCH_FUZZ_REPORT !== undefined) {
      console.log(`      ${runs} mutations in ${total.toFixed(0)} ms, slowest ${slowest.toFixed(1)} ms, heap peak +${((heapPeak - heapStart) / 2 ** 20).toFixed(1)} MiB, outcomes ${JSON.stringify(counts)}, loaded ${loaded}`);
    }
    expect(slowest, 'slowest input, ms').to.be.below(1000);
    expect(heapPeak - heapStart, 'heap growth, bytes').to.be.below(256 * 2 ** 20);
    expect(Object.keys(counts).length, 'mutations exercised more than one outcome').to.be.greaterThan(2);
  });
});
