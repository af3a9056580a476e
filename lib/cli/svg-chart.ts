/**
 * A standalone SVG chart of a trace: the lr panel (and a momentum panel when the schedule cycles
 * it), axes with ticks and labels, a legend, and the markers as dashed verticals. One
 * `<polyline class="series">` per group and panel (more when non-drawable values break the line).
 */
import { floor, log, pow } from '../math';
import { shortNumber } from './formats';
import type { MarkerKind, Trace } from './trace';

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

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** Rounds a pixel coordinate to 2 decimals. */
function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function niceStep(span: number, target: number): number {
  if (!(span > 0)) return 1;
  const raw = span / Math.max(1, target);
  const magnitude = pow(10, floor(log(raw, 10)));
  for (const factor of [1, 2, 2.5, 5, 10]) if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

/** Nice linear ticks covering [min, max]; the domain is widened to the outer ticks. */
function linearTicks(min: number, max: number, target: number): { ticks: number[]; lo: number; hi: number } {
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, target);
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
  series: number[][];
  logScale: boolean;
  top: number;
  height: number;
}

/** The SVG document of a trace. */
export function svgChart(trace: Trace, options: SvgChartOptions): string {
  const { width, height } = options;
  const margin = { left: 78, right: 24, top: 54, bottom: 48 };
  const plotWidth = width - margin.left - margin.right;
  const gap = 40;
  const available = height - margin.top - margin.bottom;
  const panels: Panel[] = [];
  if (trace.momentum) {
    const lrHeight = Math.round((available - gap) * 0.62);
    panels.push({ name: 'learning rate', series: trace.lr, logScale: options.logScale, top: margin.top, height: lrHeight });
    panels.push({
      name: trace.momentum.name,
      series: trace.momentum.values,
      logScale: false,
      top: margin.top + lrHeight + gap,
      height: available - gap - lrHeight,
    });
  } else {
    panels.push({ name: 'learning rate', series: trace.lr, logScale: options.logScale, top: margin.top, height: available });
  }
  const lastPoint = Math.max(1, trace.pointCount - 1);
  const x = (step: number): number => margin.left + (step / lastPoint) * plotWidth;
  const xTicks = linearTicks(0, lastPoint, Math.max(2, floor(plotWidth / 80))).ticks.filter((t) => t >= 0 && t <= lastPoint && Number.isInteger(t));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${margin.left}" y="22" ${FONT} font-size="15" font-weight="bold" fill="#222">${escapeXml(options.title)}</text>`,
  ];
  panels.forEach((panel, index) => {
    const drawable = (v: number): boolean => Number.isFinite(v) && (!panel.logScale || v > 0);
    const values = panel.series.flat().filter(drawable);
    const bottom = panel.top + panel.height;
    out.push(`<g class="panel" data-name="${escapeXml(panel.name)}">`);
    out.push(`<rect x="${margin.left}" y="${panel.top}" width="${plotWidth}" height="${panel.height}" fill="none" stroke="#999" stroke-width="1"/>`);
    if (values.length > 0) {
      const min = Math.min(...values);
      const max = Math.max(...values);
      const scale = panel.logScale ? logTicks(min, max) : linearTicks(min, max, Math.max(2, floor(panel.height / 50)));
      const toAxis = (v: number): number => (panel.logScale ? log(v, 10) : v);
      const y = (v: number): number => bottom - ((toAxis(v) - scale.lo) / (scale.hi - scale.lo)) * panel.height;
      for (const tick of scale.ticks) {
        const ty = y(tick);
        if (ty < panel.top - 0.5 || ty > bottom + 0.5) continue;
        out.push(`<line class="grid" x1="${margin.left}" x2="${margin.left + plotWidth}" y1="${px(ty)}" y2="${px(ty)}" stroke="#e6e6e6" stroke-width="1"/>`);
        out.push(`<line x1="${margin.left - 5}" x2="${margin.left}" y1="${px(ty)}" y2="${px(ty)}" stroke="#555"/>`);
        out.push(`<text class="tick" x="${margin.left - 8}" y="${px(ty + 4)}" text-anchor="end" ${FONT} font-size="11" fill="#333">${shortNumber(tick, 4)}</text>`);
      }
      panel.series.forEach((series, g) => {
        const color = SERIES_COLORS[g % SERIES_COLORS.length];
        let segment: string[] = [];
        const flush = (): void => {
          if (segment.length > 0) {
            out.push(`<polyline class="series" data-group="${g}" data-panel="${escapeXml(panel.name)}" fill="none" stroke="${color}" stroke-width="1.8" stroke-linejoin="round" points="${segment.join(' ')}"/>`);
          }
          segment = [];
        };
        series.forEach((v, i) => {
          if (drawable(v)) segment.push(`${px(x(i))},${px(y(v))}`);
          else flush();
        });
        flush();
      });
    } else {
      out.push(`<text x="${px(margin.left + plotWidth / 2)}" y="${px(panel.top + panel.height / 2)}" text-anchor="middle" ${FONT} font-size="12" fill="#999">no drawable values</text>`);
    }
    for (const tick of xTicks) {
      out.push(`<line x1="${px(x(tick))}" x2="${px(x(tick))}" y1="${bottom}" y2="${bottom + 5}" stroke="#555"/>`);
      out.push(`<text class="tick" x="${px(x(tick))}" y="${bottom + 18}" text-anchor="middle" ${FONT} font-size="11" fill="#333">${tick}</text>`);
    }
    const labelY = panel.top + panel.height / 2;
    const axisName = panel.logScale ? `${panel.name} (log)` : panel.name;
    out.push(`<text x="16" y="${px(labelY)}" transform="rotate(-90 16 ${px(labelY)})" text-anchor="middle" ${FONT} font-size="12" fill="#333">${escapeXml(axisName)}</text>`);
    for (const marker of trace.markers) {
      const mx = px(x(marker.step));
      const style = MARKER_STYLE[marker.kind];
      out.push(`<line class="marker" data-kind="${marker.kind}" x1="${mx}" x2="${mx}" y1="${panel.top}" y2="${bottom}" stroke="${style.color}" stroke-width="1" stroke-dasharray="4 3"/>`);
      if (index === 0) {
        const ty = panel.top + 6;
        out.push(`<text x="${mx}" y="${px(ty)}" transform="rotate(90 ${mx} ${px(ty)})" dy="-3" ${FONT} font-size="10" fill="${style.color}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(`${marker.label} @${marker.step}`)}</text>`);
      }
    }
    out.push('</g>');
  });
  const lastBottom = panels[panels.length - 1].top + panels[panels.length - 1].height;
  out.push(`<text x="${px(margin.left + plotWidth / 2)}" y="${lastBottom + 38}" text-anchor="middle" ${FONT} font-size="12" fill="#333">step</text>`);

  const legend: Array<{ label: string; color: string; dashed: boolean }> = trace.lr.map((_, g) => ({
    label: trace.groupCount > 1 ? `group ${g}` : 'lr',
    color: SERIES_COLORS[g % SERIES_COLORS.length],
    dashed: false,
  }));
  const kinds = [...new Set(trace.markers.map((m) => m.kind))];
  for (const kind of kinds) legend.push({ label: MARKER_STYLE[kind].name, color: MARKER_STYLE[kind].color, dashed: true });
  let lx = margin.left + plotWidth;
  const items: string[] = [];
  for (const item of [...legend].reverse()) {
    const textWidth = item.label.length * 6.5;
    lx -= textWidth + 34;
    const dash = item.dashed ? ' stroke-dasharray="4 3"' : '';
    items.push(`<line x1="${px(lx)}" x2="${px(lx + 22)}" y1="38" y2="38" stroke="${item.color}" stroke-width="${item.dashed ? 1.2 : 2}"${dash}/>`);
    items.push(`<text x="${px(lx + 27)}" y="42" ${FONT} font-size="11" fill="#333">${escapeXml(item.label)}</text>`);
  }
  out.push(`<g class="legend">${items.join('')}</g>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
