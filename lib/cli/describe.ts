/**
 * `describe`: a short table of the schedule's phases (step range, lr range per group), the
 * markers, and the final learning rate.
 */
import { exactNumber, shortNumber } from './formats';
import type { Trace } from './trace';

function range(values: ArrayLike<number>, start: number, end: number): string {
  const first = values[start];
  const last = values[end];
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i <= end; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const ends = first === last ? shortNumber(first, 4) : `${shortNumber(first, 4)} → ${shortNumber(last, 4)}`;
  const monotone = (min === first && max === last) || (min === last && max === first);
  return monotone ? ends : `${ends} (min ${shortNumber(min, 4)}, max ${shortNumber(max, 4)})`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('   ').trimEnd());
}

export function describeTrace(trace: Trace, title: string): string {
  const groups = Array.from({ length: trace.groupCount }, (_, g) => g);
  const lrHeader = (g: number): string => (trace.groupCount > 1 ? `lr[${g}]` : 'lr');
  const header = ['phase', 'steps', ...groups.map(lrHeader)];
  const momentum = trace.momentum;
  if (momentum) header.push(...groups.map((g) => (trace.groupCount > 1 ? `${momentum.name}[${g}]` : momentum.name)));
  const rows = [header];
  for (const phase of trace.phases) {
    const row = [phase.label, phase.start === phase.end ? String(phase.start) : `${phase.start}-${phase.end}`];
    row.push(...groups.map((g) => range(trace.lr[g], phase.start, phase.end)));
    if (momentum) row.push(...groups.map((g) => range(momentum.values[g], phase.start, phase.end)));
    rows.push(row);
  }
  const out = [title, '', ...table(rows), ''];
  const byKind = new Map<string, Set<number>>();
  for (const marker of trace.markers) {
    const name = marker.kind === 'phase' ? 'phase changes' : marker.kind === 'warmup-end' ? 'warmup ends' : marker.kind === 'reduction' ? 'lr reductions' : marker.kind === 'restart' ? 'restarts / jumps up' : `${marker.kind}s`;
    const steps = byKind.get(name) ?? new Set<number>();
    steps.add(marker.step);
    byKind.set(name, steps);
  }
  for (const [name, stepSet] of byKind) {
    const steps = [...stepSet];
    const shown = steps.length > 12 ? `${steps.slice(0, 12).join(', ')}, ... (${steps.length} in all)` : steps.join(', ');
    out.push(`${name} at step ${shown}`);
  }
  if (trace.markerCount > trace.markers.length) out.push(`(${trace.markerCount} markers in all; the first ${trace.markers.length} are counted above)`);
  const last = trace.pointCount - 1;
  out.push(`final lr (step ${last}): ${groups.map((g) => exactNumber(trace.lr[g][last])).join(', ')}`);
  return `${out.join('\n')}\n`;
}
