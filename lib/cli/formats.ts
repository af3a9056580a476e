/**
 * Raw outputs of a trace (CSV, JSON) and the number formatting the charts and tables share.
 */
import { encodeFloat } from '../state/encoding';
import type { Trace } from './trace';

/** The shortest text that reads back as the same double (`-0` kept, `Infinity`/`NaN` as JS spells them). */
export function exactNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** A short human label: `0`, `0.1`, `0.0025`, `1e-5`, `2.5e-7` (`digits` significant digits). */
export function shortNumber(x: number, digits = 3): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(x.toPrecision(digits)));
  const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
  return `${String(Number(mantissa))}e${exponent.replace('+', '')}`;
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Where a format writes its text, piece by piece (a string builder, or a file). */
export type Sink = (text: string) => void;

/** Collects what a writer sinks into one string (for small outputs and tests). */
function collect(write: (sink: Sink) => void): string {
  const parts: string[] = [];
  write((text) => parts.push(text));
  return parts.join('');
}

/** Text pieces of at most about 1 MB: one sink call per block of rows, not per value. */
class Chunker {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly sink: Sink) {}
  add(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length > 0) this.sink(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/**
 * `step,last_epoch,lr_0,...[,momentum_0,...],phase`: one row per point, numbers written so that
 * `Number(field)` gives back the exact double.
 */
export function writeCsv(trace: Trace, sink: Sink): void {
  const groups = Array.from({ length: trace.groupCount }, (_, g) => g);
  const momentum = trace.momentum;
  const header = ['step', 'last_epoch', ...groups.map((g) => `lr_${g}`)];
  if (momentum) header.push(...groups.map((g) => `${momentum.name}_${g}`));
  header.push('phase');
  const out = new Chunker(sink);
  out.add(`${header.join(',')}\n`);
  for (const phase of trace.phases) {
    const label = csvField(phase.label);
    for (let i = phase.start; i <= phase.end && i < trace.pointCount; i++) {
      const epoch = trace.lastEpoch[i];
      let row = `${i},${Number.isNaN(epoch) ? '' : exactNumber(epoch)}`;
      for (const g of groups) row += `,${exactNumber(trace.lr[g][i])}`;
      if (momentum) for (const g of groups) row += `,${exactNumber(momentum.values[g][i])}`;
      out.add(`${row},${label}\n`);
    }
  }
  out.flush();
}

export function toCsv(trace: Trace): string {
  return collect((sink) => writeCsv(trace, sink));
}

/** A JSON array of numbers, non-finite ones as "inf", "-inf", "nan". */
function writeJsonNumbers(values: ArrayLike<number>, out: Chunker, nanAsNull = false): void {
  out.add('[');
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const text = nanAsNull && Number.isNaN(v) ? 'null' : JSON.stringify(encodeFloat(v));
    out.add(i === 0 ? text : `,${text}`);
  }
  out.add(']');
}

/**
 * The trace as JSON data, one top-level key per line; non-finite numbers are `"inf"`, `"-inf"`,
 * `"nan"` as in the conformance files.
 */
export function writeJson(trace: Trace, sink: Sink): void {
  const out = new Chunker(sink);
  out.add(`{\n  "driver": ${JSON.stringify({ id: trace.driverId, type: trace.driverType })},\n  "points": ${trace.pointCount},\n  "step": [`);
  for (let i = 0; i < trace.pointCount; i++) out.add(i === 0 ? '0' : `,${i}`);
  out.add('],\n  "last_epoch": ');
  writeJsonNumbers(trace.lastEpoch, out, true);
  out.add(',\n  "lr": [');
  trace.lr.forEach((values, g) => {
    out.add(g === 0 ? '\n    ' : ',\n    ');
    writeJsonNumbers(values, out);
  });
  out.add('\n  ],\n  "momentum": ');
  const momentum = trace.momentum;
  if (momentum === null) out.add('null');
  else {
    out.add(`{ "name": ${JSON.stringify(momentum.name)}, "values": [`);
    momentum.values.forEach((values, g) => {
      out.add(g === 0 ? '\n    ' : ',\n    ');
      writeJsonNumbers(values, out);
    });
    out.add('\n  ] }');
  }
  out.add(`,\n  "phases": ${JSON.stringify(trace.phases)},\n  "markers": [`);
  trace.markers.forEach((marker, i) => out.add(`${i === 0 ? '' : ','}\n    ${JSON.stringify(marker)}`));
  out.add(`\n  ],\n  "marker_count": ${trace.markerCount}\n}\n`);
  out.flush();
}

export function toJson(trace: Trace): string {
  return collect((sink) => writeJson(trace, sink));
}
