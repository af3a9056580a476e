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

/** The label of the phase each point belongs to. */
export function phaseOfPoints(trace: Trace): string[] {
  const labels = new Array<string>(trace.pointCount).fill('');
  for (const phase of trace.phases) for (let i = phase.start; i <= phase.end; i++) labels[i] = phase.label;
  return labels;
}

/**
 * `step,last_epoch,lr_0,...[,momentum_0,...],phase`: one row per point, numbers written so that
 * `Number(field)` gives back the exact double.
 */
export function toCsv(trace: Trace): string {
  const groups = Array.from({ length: trace.groupCount }, (_, g) => g);
  const momentum = trace.momentum;
  const header = ['step', 'last_epoch', ...groups.map((g) => `lr_${g}`)];
  if (momentum) header.push(...groups.map((g) => `${momentum.name}_${g}`));
  header.push('phase');
  const phases = phaseOfPoints(trace);
  const lines = [header.join(',')];
  for (let i = 0; i < trace.pointCount; i++) {
    const epoch = trace.lastEpoch[i];
    const row = [String(i), epoch === null ? '' : exactNumber(epoch), ...groups.map((g) => exactNumber(trace.lr[g][i]))];
    if (momentum) row.push(...groups.map((g) => exactNumber(momentum.values[g][i])));
    row.push(csvField(phases[i]));
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** The trace as JSON data; non-finite numbers are `"inf"`, `"-inf"`, `"nan"` as in the conformance files. */
export function toJson(trace: Trace): string {
  const encodeList = (values: readonly number[]): Array<number | string> => values.map(encodeFloat);
  const data = {
    driver: { id: trace.driverId, type: trace.driverType },
    points: trace.pointCount,
    step: Array.from({ length: trace.pointCount }, (_, i) => i),
    last_epoch: trace.lastEpoch.map((e) => (e === null ? null : encodeFloat(e))),
    lr: trace.lr.map(encodeList),
    momentum: trace.momentum ? { name: trace.momentum.name, values: trace.momentum.values.map(encodeList) } : null,
    phases: trace.phases,
    markers: trace.markers,
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}
