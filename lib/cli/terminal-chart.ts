/**
 * The default output of `plot`: the learning rate (and momentum, when the schedule cycles it)
 * drawn in the terminal with asciichart, with an x axis in steps and the markers as dotted
 * verticals listed underneath.
 */
import * as asciichart from 'asciichart';
import { floor, log, pow } from '../math';
import { fractionOf } from './fraction';
import { shortNumber } from './formats';
import type { Marker, Trace } from './trace';

export interface TerminalChartOptions {
  /** Data columns of the chart; longer schedules are sampled. */
  width: number;
  /** Rows of the lr chart. */
  height: number;
  logScale: boolean;
  color: boolean;
}

const SERIES_COLORS = [asciichart.blue, asciichart.red, asciichart.green, asciichart.magenta, asciichart.cyan, asciichart.yellow];
const MARKER_SYMBOL = '┊';
const ANSI = /\x1b\[[0-9;]*m/g; // eslint-disable-line no-control-regex

function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Replaces the character at visible column `column` of a row that may contain color codes. */
function replaceVisible(row: string, column: number, replace: (char: string) => string): string {
  let visible = 0;
  for (let i = 0; i < row.length; ) {
    if (row[i] === '\x1b') {
      const end = row.indexOf('m', i);
      i = end < 0 ? row.length : end + 1;
      continue;
    }
    const char = row[i];
    if (visible === column) return row.slice(0, i) + replace(char) + row.slice(i + char.length);
    visible += 1;
    i += char.length;
  }
  return row;
}

/** Column <-> point index mapping when a schedule has more points than the chart has columns. */
class Columns {
  readonly count: number;
  constructor(readonly points: number, width: number) {
    this.count = Math.max(2, Math.min(points, width));
  }
  pointAt(column: number): number {
    if (this.points <= this.count) return Math.min(column, this.points - 1);
    return Math.round((column * (this.points - 1)) / (this.count - 1));
  }
  columnOf(point: number): number {
    if (this.points <= this.count) return point;
    return Math.round((point * (this.count - 1)) / (this.points - 1));
  }
}

function niceStep(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  const magnitude = pow(10, floor(log(raw, 10)));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

/** The smallest and largest of `values` (no spread: there may be many). */
function extremes(values: readonly number[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return [min, max];
}

function chart(
  series: readonly ArrayLike<number>[],
  columns: Columns,
  rows: number,
  options: TerminalChartOptions,
  markerColumns: readonly number[],
): { lines: string[]; axisColumn: number; note?: string } {
  let note: string | undefined;
  let values = series.map((s) => Array.from({ length: columns.count }, (_, c) => s[columns.pointAt(c)]));
  const finite = values.flat().filter((v) => Number.isFinite(v) && (!options.logScale || v > 0));
  if (finite.length === 0) return { lines: ['(no finite values to draw)'], axisColumn: 0 };
  const floorValue = extremes(finite)[0];
  if (options.logScale) {
    const skipped = values.flat().filter((v) => !(v > 0)).length;
    if (skipped > 0) note = `${skipped} value(s) <= 0 drawn at the bottom of the log scale`;
    values = values.map((s) => s.map((v) => (v > 0 && Number.isFinite(v) ? log(v, 10) : log(floorValue, 10))));
  } else {
    const bad = values.flat().filter((v) => !Number.isFinite(v)).length;
    if (bad > 0) note = `${bad} non-finite value(s) drawn at the bottom`;
    values = values.map((s) => s.map((v) => (Number.isFinite(v) ? v : floorValue)));
  }
  const [low, high] = extremes(values.flat());
  const labels = [low, high].map((v) => (options.logScale ? pow(10, v) : v));
  const labelWidth = Math.max(8, ...labels.map((v) => shortNumber(v, 4).length)) + 1;
  // asciichart scales by height / (high - low), which fails for subnormal and for overflowing
  // ranges: it draws fractions of [low, high], and each axis label is mapped back to its value.
  const toFraction = fractionOf(low, high);
  const plot = asciichart.plot(
    values.map((s) => s.map(toFraction)),
    {
      height: Math.max(1, rows - 1),
      offset: 2,
      colors: options.color ? SERIES_COLORS : undefined,
      format: (t: number) => {
        const v = low * (1 - t) + high * t;
        return shortNumber(options.logScale ? pow(10, v) : v, 4).padStart(labelWidth);
      },
    },
  );
  let lines = plot.split('\n');
  const axisColumn = Math.max(stripAnsi(lines[0]).indexOf('┤'), stripAnsi(lines[0]).indexOf('┼'), labelWidth);
  const dim = (char: string): string => (options.color ? `${asciichart.darkgray}${char}${asciichart.reset}` : char);
  lines = lines.map((line) => {
    let row = line;
    for (const column of markerColumns) {
      if (column === 0) continue;
      row = replaceVisible(row, axisColumn + column, (char) => (char === ' ' ? dim(MARKER_SYMBOL) : char));
    }
    return row;
  });
  return { lines, axisColumn, note };
}

function xAxis(columns: Columns, axisColumn: number, markerColumns: readonly number[]): string[] {
  const tickStep = Math.max(1, niceStep(columns.points - 1, Math.max(2, floor(columns.count / 10))));
  const axis = [...' '.repeat(axisColumn), '└', ...'─'.repeat(columns.count - 1)];
  const labels = [...' '.repeat(axisColumn + columns.count + 8)];
  let lastLabelEnd = -1;
  for (let tick = 0; tick <= columns.points - 1; tick += tickStep) {
    const column = columns.columnOf(tick);
    if (column > 0) axis[axisColumn + column] = '┬';
    const text = String(tick);
    const start = axisColumn + column;
    if (start <= lastLabelEnd) continue;
    for (let k = 0; k < text.length; k++) labels[start + k] = text[k];
    lastLabelEnd = start + text.length;
  }
  const markerRow = [...' '.repeat(axisColumn + columns.count)];
  for (const column of markerColumns) markerRow[axisColumn + column] = '▲';
  const lines = [axis.join(''), `${labels.join('').trimEnd()}   step`];
  if (markerColumns.length > 0) lines.push(markerRow.join('').trimEnd());
  return lines;
}

/** How many marker items the list under the chart shows. */
const LISTED_MARKERS = 40;

function markerLegend(markers: readonly Marker[], total: number, width: number): string[] {
  if (markers.length === 0) return [];
  const byStep = new Map<number, string[]>();
  for (const marker of markers) {
    const labels = byStep.get(marker.step) ?? [];
    if (!labels.includes(marker.label)) labels.push(marker.label);
    byStep.set(marker.step, labels);
  }
  const steps = [...byStep];
  const items = steps.slice(0, LISTED_MARKERS).map(([step, labels]) => `${step}: ${labels.join(', ')}`);
  if (steps.length > LISTED_MARKERS || total > markers.length) items.push(`... (${total} markers in all)`);
  const lines: string[] = [];
  let line = '▲ markers:';
  for (const item of items) {
    if (line.length + item.length + 3 > width && line !== '▲ markers:') {
      lines.push(line);
      line = '          ';
    }
    line += `  ${item}`;
  }
  lines.push(line);
  return lines;
}

/** The whole terminal rendering of a trace. */
export function terminalChart(trace: Trace, title: string, options: TerminalChartOptions): string {
  const columns = new Columns(trace.pointCount, options.width);
  const markerColumns = [...new Set(trace.markers.map((m) => columns.columnOf(m.step)))];
  const out: string[] = [title];
  const groupsLegend =
    trace.groupCount > 1
      ? '  ' +
        trace.lr
          .map((_, g) => {
            const key = `━━ group ${g}`;
            return options.color ? `${SERIES_COLORS[g % SERIES_COLORS.length]}${key}${asciichart.reset}` : key;
          })
          .join('  ')
      : '';
  out.push(`lr${options.logScale ? ' (log scale)' : ''}${groupsLegend}`);
  const lrChart = chart(trace.lr, columns, options.height, options, markerColumns);
  out.push(...lrChart.lines);
  if (trace.momentum) {
    out.push(...xAxis(columns, lrChart.axisColumn, markerColumns).slice(0, 1));
    out.push(trace.momentum.name);
    const momentumChart = chart(trace.momentum.values, columns, Math.max(3, Math.round(options.height / 2)), { ...options, logScale: false }, markerColumns);
    out.push(...momentumChart.lines);
    out.push(...xAxis(columns, momentumChart.axisColumn, markerColumns));
  } else {
    out.push(...xAxis(columns, lrChart.axisColumn, markerColumns));
  }
  out.push(...markerLegend(trace.markers, trace.markerCount, Math.max(80, lrChart.axisColumn + columns.count)));
  if (columns.count < columns.points) out.push(`(${columns.points} points sampled to ${columns.count} columns)`);
  if (lrChart.note) out.push(`(${lrChart.note})`);
  return `${out.join('\n')}\n`;
}
