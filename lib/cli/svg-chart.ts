/**
 * A standalone SVG chart of a trace: the lr panel (and a momentum panel when the schedule cycles
 * it), axes with ticks and labels, a legend, and the markers as dashed verticals. One
 * `<polyline class="series">` per group and panel (more when non-drawable values break the line),
 * one point per step up to two per pixel column; longer traces keep, per pixel column, the first,
 * lowest, highest and last value, so the drawn line is the same.
 *
 * Text never overlaps other text or the lines: every text's box is measured with DejaVu Sans's
 * advance widths (the widest font of the stack), the marker labels sit in rows of their own above
 * the lr panel, each as long as fits (`annihilate (initial_lr → min_lr) @59`, `annihilate @59`,
 * `@59`; a label repeated at later markers is written once), and the left margin grows with the
 * widest tick label.
 */
import { floor, log, pow } from '../math';
import { fractionOf } from './fraction';
import { shortNumber } from './formats';
import { BOLD_WIDTHS, BOOK_WIDTHS, MEASURED_CHARACTERS } from './text-metrics';
import type { Marker, MarkerKind, Trace } from './trace';

export interface SvgChartOptions {
  width: number;
  height: number;
  logScale: boolean;
  title: string;
}

const SERIES_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];
const MARKER_STYLE: Record<MarkerKind, { color: string; name: string }> = {
  'warmup-end': { color: '#2ca02c', name: 'warmup end' },
  phase: { color: '#7f7f7f', name: 'phase change' },
  milestone: { color: '#ff7f0e', name: 'milestone' },
  restart: { color: '#9467bd', name: 'restart / jump up' },
  reduction: { color: '#d62728', name: 'lr reduced' },
};
const FONT = 'font-family="DejaVu Sans, Helvetica, Arial, sans-serif"';
/** DejaVu Sans's ascent, in em: where a row of text puts its baseline. */
const ASCENT = 0.93;
const TITLE_SIZE = 15;
const LEGEND_SIZE = 11;
const TICK_SIZE = 11;
const AXIS_SIZE = 12;
const LABEL_SIZE = 10;
const LABEL_ROW = 13;
const LEGEND_ROW = 16;
const MARGIN_RIGHT = 24;
const MARGIN_BOTTOM = 48;
const PANEL_GAP = 40;

/** The advance width of `text` in DejaVu Sans at `size` px (characters it lacks count as 1 em). */
export function textWidth(text: string, size: number, bold = false): number {
  const widths = bold ? BOLD_WIDTHS : BOOK_WIDTHS;
  let em = 0;
  for (const char of text) {
    const index = MEASURED_CHARACTERS.indexOf(char);
    em += index < 0 ? 1 : widths[index];
  }
  return em * size;
}

/** `text`, or as much of it as fits in `width` px followed by "…". */
function fitText(text: string, size: number, width: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, size, bold) > width) chars.pop();
  return chars.length === 0 ? '' : `${chars.join('')}…`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Rounds a pixel coordinate to 2 decimals. */
function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Smallest and largest tick steps a power of 10 can give (10^-300 and 10^300 are normal doubles). */
const SMALLEST_NICE_STEP = 1e-300;
const LARGEST_NICE_STEP = 1e300;

/** A step of 1, 2, 2.5 or 5 times a power of 10 near span / target; NaN where no power of 10 fits. */
function niceStep(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  if (!(raw >= SMALLEST_NICE_STEP && raw <= LARGEST_NICE_STEP)) return Number.NaN;
  const magnitude = pow(10, floor(log(raw, 10)));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

/**
 * Nice linear ticks covering [min, max]; the domain is widened to the outer ticks. A range no power
 * of 10 can step (subnormal numbers, or wider than the doubles' 1.8e308) gets its two ends as ticks.
 */
function linearTicks(min: number, max: number, target: number): { ticks: number[]; lo: number; hi: number } {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.max(Math.abs(min) * 0.1, Number.MIN_VALUE);
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, target);
  if (Number.isNaN(step)) return { ticks: [min, max], lo: min, hi: max };
  const lo = floor(min / step) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) ticks.push(Number((lo + k * step).toPrecision(12)));
  return { ticks, lo, hi };
}

/** Decade ticks (with 2 and 5 when the range is short) for a log axis; domain in log10 units. */
function logTicks(min: number, max: number): { ticks: number[]; lo: number; hi: number } {
  let lo = floor(log(min, 10) + 1e-9);
  let hi = Math.ceil(log(max, 10) - 1e-9);
  if (hi === lo) hi += 1;
  const ticks: number[] = [];
  const decades = hi - lo;
  const steps = decades > 8 ? Math.ceil(decades / 8) : 1;
  for (let e = lo; e <= hi; e += steps) {
    ticks.push(pow(10, e));
    if (decades <= 2 && e < hi) ticks.push(2 * pow(10, e), 5 * pow(10, e));
  }
  lo = Math.min(lo, log(min, 10));
  return { ticks: ticks.sort((a, b) => a - b), lo, hi };
}

interface Panel {
  name: string;
  series: readonly Float64Array[];
  logScale: boolean;
  top: number;
  height: number;
}

/** The drawable range of a panel's values (no spread: a trace may have millions). */
function valueRange(series: readonly Float64Array[], drawable: (v: number) => boolean): { min: number; max: number } | null {
  let min = Infinity;
  let max = -Infinity;
  for (const values of series) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!drawable(v)) continue;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min <= max ? { min, max } : null;
}

/**
 * The polyline segments of one series: every point while there are at most two per pixel column,
 * otherwise per column the first, lowest, highest and last value, in step order. A non-drawable
 * value ends a segment.
 */
function segments(values: Float64Array, x: (step: number) => number, y: (v: number) => number, drawable: (v: number) => boolean, plotWidth: number): string[][] {
  const out: string[][] = [];
  let segment: string[] = [];
  const dense = values.length > 2 * plotWidth;
  let column = NaN;
  let bucket: number[] = [];
  const flushBucket = (): void => {
    if (bucket.length === 0) return;
    let low = bucket[0];
    let high = bucket[0];
    for (const i of bucket) {
      if (values[i] < values[low]) low = i;
      if (values[i] > values[high]) high = i;
    }
    const keep = [...new Set([bucket[0], low, high, bucket[bucket.length - 1]])].sort((a, b) => a - b);
    for (const i of keep) segment.push(`${px(x(i))},${px(y(values[i]))}`);
    bucket = [];
  };
  const flushSegment = (): void => {
    flushBucket();
    if (segment.length > 0) out.push(segment);
    segment = [];
  };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!drawable(v)) {
      flushSegment();
      continue;
    }
    if (!dense) {
      segment.push(`${px(x(i))},${px(y(v))}`);
      continue;
    }
    const c = Math.floor(x(i));
    if (c !== column) {
      flushBucket();
      column = c;
    }
    bucket.push(i);
  }
  flushSegment();
  return out;
}

interface PlacedLabel {
  text: string;
  /** Left edge and width of the text box. */
  left: number;
  width: number;
  row: number;
  color: string;
}

/**
 * Places the marker labels in rows above the panel: each label centred on its marker (kept inside
 * the plot), the longest form that fits in some row without touching another label, else none.
 */
function placeLabels(markers: readonly Marker[], x: (step: number) => number, plotLeft: number, plotRight: number, maxRows: number): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const shownLabels = new Set<string>();
  const rows: Array<Array<[number, number]>> = Array.from({ length: maxRows }, () => []);
  const gap = 4;
  for (const marker of markers) {
    const at = `@${marker.step}`;
    const short = marker.label.split(' (')[0];
    const candidates = shownLabels.has(marker.label) ? [at] : [...new Set([`${marker.label} ${at}`, `${short} ${at}`, at])];
    const center = x(marker.step);
    search: for (const text of candidates) {
      const width = textWidth(text, LABEL_SIZE);
      if (width > plotRight - plotLeft) continue;
      const left = Math.min(Math.max(center - width / 2, plotLeft), plotRight - width);
      for (let row = 0; row < maxRows; row++) {
        if (rows[row].some(([a, b]) => left < b + gap && left + width + gap > a)) continue;
        rows[row].push([left, left + width]);
        placed.push({ text, left, width, row, color: MARKER_STYLE[marker.kind].color });
        if (text !== at) shownLabels.add(marker.label);
        break search;
      }
    }
  }
  return placed;
}

interface LegendItem {
  label: string;
  color: string;
  dashed: boolean;
}

/** Legend items laid out right to left from `right`, wrapping into rows that start at `left`. */
function layoutLegend(items: readonly LegendItem[], left: number, right: number): Array<LegendItem & { x: number; row: number }> {
  const out: Array<LegendItem & { x: number; row: number }> = [];
  let row = 0;
  let lx = right;
  for (const item of [...items].reverse()) {
    const itemWidth = 22 + 5 + textWidth(item.label, LEGEND_SIZE) + 12;
    if (lx - itemWidth < left && lx !== right) {
      row += 1;
      lx = right;
    }
    lx -= itemWidth;
    out.push({ ...item, x: Math.max(left, lx), row });
  }
  return out;
}

/** The SVG document of a trace. */
export function svgChart(trace: Trace, options: SvgChartOptions): string {
  const { width, height } = options;
  const lastPoint = Math.max(1, trace.pointCount - 1);
  const legendItems: LegendItem[] = trace.lr.slice(0, SERIES_COLORS.length).map((_, g) => ({
    label: trace.groupCount > 1 ? `group ${g}` : 'lr',
    color: SERIES_COLORS[g],
    dashed: false,
  }));
  if (trace.groupCount > SERIES_COLORS.length) {
    legendItems.push({ label: `+${trace.groupCount - SERIES_COLORS.length} more (colours repeat)`, color: '#ffffff', dashed: false });
  }
  for (const kind of new Set(trace.markers.map((m) => m.kind))) legendItems.push({ label: MARKER_STYLE[kind].name, color: MARKER_STYLE[kind].color, dashed: true });

  const lrDrawable = (v: number): boolean => Number.isFinite(v) && (!options.logScale || v > 0);
  const lrRange = valueRange(trace.lr, lrDrawable);
  const momentumRange = trace.momentum ? valueRange(trace.momentum.values, Number.isFinite) : null;

  // The layout depends on the left margin (the widest tick label), which depends on the panels'
  // heights (how many ticks), which depend on the label rows, which depend on the plot's width.
  let left = 78;
  let layout: ReturnType<typeof layoutOnce> | undefined;
  for (let pass = 0; pass < 4; pass++) {
    layout = layoutOnce(left);
    if (layout.requiredLeft <= left) break;
    left = layout.requiredLeft;
  }
  const { legend, labels, panels, labelTop, plotWidth, scales } = layout as ReturnType<typeof layoutOnce>;

  function layoutOnce(marginLeft: number) {
    const plotWidthOnce = width - marginLeft - MARGIN_RIGHT;
    const xOnce = (step: number): number => marginLeft + (step / lastPoint) * plotWidthOnce;
    const legendOnce = layoutLegend(legendItems, 8, marginLeft + plotWidthOnce);
    const legendRows = legendOnce.length === 0 ? 0 : Math.max(...legendOnce.map((item) => item.row)) + 1;
    const labelTopOnce = 32 + legendRows * LEGEND_ROW;
    const maxRows = height >= 600 ? 3 : 2;
    const labelsOnce = placeLabels(trace.markers, xOnce, marginLeft, marginLeft + plotWidthOnce, maxRows);
    const rowsUsed = labelsOnce.length === 0 ? 0 : Math.max(...labelsOnce.map((label) => label.row)) + 1;
    const top = labelTopOnce + rowsUsed * LABEL_ROW + 8;
    const available = height - top - MARGIN_BOTTOM;
    const panelsOnce: Panel[] = [];
    if (trace.momentum) {
      const lrHeight = Math.round((available - PANEL_GAP) * 0.62);
      panelsOnce.push({ name: 'learning rate', series: trace.lr, logScale: options.logScale, top, height: lrHeight });
      panelsOnce.push({ name: trace.momentum.name, series: trace.momentum.values, logScale: false, top: top + lrHeight + PANEL_GAP, height: available - PANEL_GAP - lrHeight });
    } else {
      panelsOnce.push({ name: 'learning rate', series: trace.lr, logScale: options.logScale, top, height: available });
    }
    const scalesOnce = panelsOnce.map((panel, index) => {
      const range = index === 0 ? lrRange : momentumRange;
      if (range === null) return null;
      return panel.logScale ? logTicks(range.min, range.max) : linearTicks(range.min, range.max, Math.max(2, floor(panel.height / 50)));
    });
    let widest = 0;
    for (const scale of scalesOnce) for (const tick of scale?.ticks ?? []) widest = Math.max(widest, textWidth(shortNumber(tick, 4), TICK_SIZE));
    // tick labels end 8 px left of the panel; the rotated axis name needs the 26 px left of them
    return { legend: legendOnce, labels: labelsOnce, panels: panelsOnce, labelTop: labelTopOnce, plotWidth: plotWidthOnce, scales: scalesOnce, requiredLeft: Math.ceil(widest + 8 + 26) };
  }

  const x = (step: number): number => left + (step / lastPoint) * plotWidth;
  const xTicks = linearTicks(0, lastPoint, Math.max(2, floor(plotWidth / 80))).ticks.filter((t) => t >= 0 && t <= lastPoint && Number.isInteger(t));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${left}" y="22" ${FONT} font-size="${TITLE_SIZE}" font-weight="bold" fill="#222">${escapeXml(fitText(options.title, TITLE_SIZE, width - left - 8, true))}</text>`,
  ];
  // Marker lines: one per pixel column and kind (a long schedule may have thousands of markers).
  const markerLines = new Map<string, { x: number; kind: MarkerKind }>();
  for (const marker of trace.markers) {
    const mx = x(marker.step);
    markerLines.set(`${marker.kind}@${Math.round(mx * 2)}`, { x: mx, kind: marker.kind });
  }
  panels.forEach((panel, index) => {
    const drawable = index === 0 ? lrDrawable : (v: number): boolean => Number.isFinite(v);
    const bottom = panel.top + panel.height;
    const scale = scales[index];
    out.push(`<g class="panel" data-name="${escapeXml(panel.name)}">`);
    out.push(`<rect x="${left}" y="${panel.top}" width="${px(plotWidth)}" height="${panel.height}" fill="none" stroke="#999" stroke-width="1"/>`);
    if (scale !== null) {
      const toAxis = (v: number): number => (panel.logScale ? log(v, 10) : v);
      const fraction = fractionOf(scale.lo, scale.hi);
      const y = (v: number): number => bottom - fraction(toAxis(v)) * panel.height;
      for (const tick of scale.ticks) {
        const ty = y(tick);
        if (ty < panel.top - 0.5 || ty > bottom + 0.5) continue;
        out.push(`<line class="grid" x1="${left}" x2="${px(left + plotWidth)}" y1="${px(ty)}" y2="${px(ty)}" stroke="#e6e6e6" stroke-width="1"/>`);
        out.push(`<line x1="${left - 5}" x2="${left}" y1="${px(ty)}" y2="${px(ty)}" stroke="#555"/>`);
        out.push(`<text class="tick" x="${left - 8}" y="${px(ty + 4)}" text-anchor="end" ${FONT} font-size="${TICK_SIZE}" fill="#333">${shortNumber(tick, 4)}</text>`);
      }
      panel.series.forEach((series, g) => {
        const color = SERIES_COLORS[g % SERIES_COLORS.length];
        for (const segment of segments(series, x, y, drawable, plotWidth)) {
          out.push(`<polyline class="series" data-group="${g}" data-panel="${escapeXml(panel.name)}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round" points="${segment.join(' ')}"/>`);
        }
      });
    } else {
      out.push(`<text class="note" x="${px(left + plotWidth / 2)}" y="${px(panel.top + panel.height / 2)}" text-anchor="middle" ${FONT} font-size="12" fill="#999">no drawable values</text>`);
    }
    xTicks.forEach((tick, i) => {
      const tx = x(tick);
      const half = textWidth(String(tick), TICK_SIZE) / 2;
      // the last label ends at the right edge rather than past it
      const anchor = i === xTicks.length - 1 && tx + half > width - 2 ? 'end' : 'middle';
      out.push(`<line x1="${px(tx)}" x2="${px(tx)}" y1="${bottom}" y2="${bottom + 5}" stroke="#555"/>`);
      out.push(`<text class="tick" x="${px(anchor === 'end' ? width - 2 : tx)}" y="${bottom + 18}" text-anchor="${anchor}" ${FONT} font-size="${TICK_SIZE}" fill="#333">${tick}</text>`);
    });
    const labelY = panel.top + panel.height / 2;
    const axisName = fitText(panel.logScale ? `${panel.name} (log)` : panel.name, AXIS_SIZE, panel.height);
    out.push(`<text class="axis-label" x="16" y="${px(labelY)}" transform="rotate(-90 16 ${px(labelY)})" text-anchor="middle" ${FONT} font-size="${AXIS_SIZE}" fill="#333">${escapeXml(axisName)}</text>`);
    for (const line of markerLines.values()) {
      const mx = px(line.x);
      out.push(`<line class="marker" data-kind="${line.kind}" x1="${mx}" x2="${mx}" y1="${panel.top}" y2="${bottom}" stroke="${MARKER_STYLE[line.kind].color}" stroke-width="1" stroke-dasharray="4 3"/>`);
    }
    out.push('</g>');
  });
  for (const label of labels) {
    const baseline = labelTop + label.row * LABEL_ROW + ASCENT * LABEL_SIZE;
    out.push(`<text class="marker-label" x="${px(label.left)}" y="${px(baseline)}" ${FONT} font-size="${LABEL_SIZE}" fill="${label.color}">${escapeXml(label.text)}</text>`);
  }
  const lastBottom = panels[panels.length - 1].top + panels[panels.length - 1].height;
  out.push(`<text class="axis-label" x="${px(left + plotWidth / 2)}" y="${lastBottom + 38}" text-anchor="middle" ${FONT} font-size="${AXIS_SIZE}" fill="#333">step</text>`);

  const items: string[] = [];
  for (const item of legend) {
    const y = 38 + item.row * LEGEND_ROW;
    const dash = item.dashed ? ' stroke-dasharray="4 3"' : '';
    if (item.color !== '#ffffff') {
      items.push(`<line x1="${px(item.x)}" x2="${px(item.x + 22)}" y1="${y}" y2="${y}" stroke="${item.color}" stroke-width="${item.dashed ? 1.2 : 2}"${dash}/>`);
    }
    items.push(`<text class="legend-label" x="${px(item.x + 27)}" y="${y + 4}" ${FONT} font-size="${LEGEND_SIZE}" fill="#333">${escapeXml(item.label)}</text>`);
  }
  out.push(`<g class="legend">${items.join('')}</g>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
