/**
 * The chart's text never overlaps (issue 15, item 9): for every docs/examples configuration and
 * every class's sample schedule, at 800x400 and 1400x700, the rendered boxes of all texts (title,
 * legend, marker labels, tick labels, axis names) are disjoint, none is hidden, and none touches a
 * pixel of the plotted lines. The boxes are measured on real renderings (resvg, without
 * anti-aliasing), independently of the layout's own width estimates: one rendering with only the
 * texts, each in its own colour, and one with only the lines.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import type { ScheduleConfig } from '../../lib';
import { loadResvg } from '../../lib/cli/png';
import { svgChart, textWidth } from '../../lib/cli/svg-chart';
import { traceSchedule, type Trace } from '../../lib/cli/trace';
import { toPlotConfig, type PlotOp } from '../../lib/cli/config-file';
import { sampleMetric, SAMPLE_SCHEDULES } from '../helpers/sample-schedules';
import { quietly } from '../state/schedule-run';

const EXAMPLES = resolve(__dirname, '..', '..', 'docs', 'examples');
const SIZES: Array<[number, number]> = [
  [800, 400],
  [1400, 700],
];

interface Box {
  name: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A plot configuration; metric-driven samples get one metric op per step, as the contract specs feed them. */
function plotOf(config: ScheduleConfig): ReturnType<typeof toPlotConfig> {
  const usesMetric = config.schedulers.some((s) => s.type === 'ReduceLROnPlateau');
  if (!usesMetric || config.ops !== undefined) return toPlotConfig(config, undefined);
  const ops: PlotOp[] = Array.from({ length: 100 }, (_, i) => ({ op: 'step', metrics: sampleMetric(i) }));
  return toPlotConfig({ ...config, ops }, undefined);
}

const CHARTS: Array<[string, ScheduleConfig]> = [
  ...readdirSync(EXAMPLES)
    .filter((file) => file.endsWith('.json'))
    .map((file): [string, ScheduleConfig] => [`docs/examples/${file}`, JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as ScheduleConfig]),
  ...Object.entries(SAMPLE_SCHEDULES).map(([name, config]): [string, ScheduleConfig] => [`the ${name} sample`, config]),
  [
    'a three-phase OneCycleLR (the issue: "annihilate (initial_lr -> min_lr) @59")',
    { optimizer: { kind: 'sgd_momentum', groups: [{ lr: 0.1 }] }, schedulers: [{ id: 'o', type: 'OneCycleLR', args: { max_lr: 1, total_steps: 100, three_phase: true } }] },
  ],
];

/** Renders `svg` without anti-aliasing: RGBA pixels. */
function render(svg: string): { width: number; height: number; pixels: Uint8Array } {
  const { Resvg } = loadResvg() as unknown as { Resvg: new (svg: string, options: object) => { render(): { width: number; height: number; pixels: Uint8Array } } };
  const image = new Resvg(svg, { textRendering: 0, shapeRendering: 0, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } }).render();
  return { width: image.width, height: image.height, pixels: image.pixels };
}

/** The chart with only the elements `keep` accepts (and the background). */
function layer(svg: string, keep: (element: Element) => boolean, recolor?: (element: Element, index: number) => void): string {
  const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const all = Array.from(document.getElementsByTagName('*')) as unknown as Element[];
  let index = 0;
  for (const element of all) {
    if (element.tagName === 'svg' || element.tagName === 'g' || (element.tagName === 'rect' && element.getAttribute('x') === '0' && element.getAttribute('y') === '0')) continue;
    if (!keep(element)) element.parentNode?.removeChild(element);
    else if (recolor) recolor(element, index++);
  }
  return new XMLSerializer().serializeToString(document);
}

/** Every text's pixel box, from a rendering where text i is drawn in colour i + 1. */
function textBoxes(svg: string): Box[] {
  const names: string[] = [];
  const colored = layer(
    svg,
    (element) => element.tagName === 'text',
    (element, i) => {
      names.push(`${element.getAttribute('class') ?? 'text'} "${element.textContent ?? ''}"`);
      element.setAttribute('fill', `#${(i + 1).toString(16).padStart(6, '0')}`);
      element.removeAttribute('stroke');
    },
  );
  const image = render(colored);
  const boxes: Box[] = names.map((name) => ({ name, x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity }));
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const at = 4 * (y * image.width + x);
      const color = (image.pixels[at] << 16) | (image.pixels[at + 1] << 8) | image.pixels[at + 2];
      if (color === 0xffffff || color === 0) continue;
      const box = boxes[color - 1];
      expect(box, `unexpected colour ${color.toString(16)}`).to.not.equal(undefined);
      box.x0 = Math.min(box.x0, x);
      box.y0 = Math.min(box.y0, y);
      box.x1 = Math.max(box.x1, x);
      box.y1 = Math.max(box.y1, y);
    }
  }
  return boxes;
}

/** The pixels the plotted lines cover. */
function linePixels(svg: string): { width: number; covered: Uint8Array } {
  const image = render(layer(svg, (element) => element.tagName === 'polyline' && element.getAttribute('class') === 'series'));
  const covered = new Uint8Array(image.width * image.height);
  for (let i = 0; i < covered.length; i++) {
    if (image.pixels[4 * i] !== 255 || image.pixels[4 * i + 1] !== 255 || image.pixels[4 * i + 2] !== 255) covered[i] = 1;
  }
  return { width: image.width, covered };
}

const overlaps = (a: Box, b: Box): boolean => a.x0 <= b.x1 + 1 && b.x0 <= a.x1 + 1 && a.y0 <= b.y1 + 1 && b.y0 <= a.y1 + 1;

function checkChart(trace: Trace, width: number, height: number): void {
  const svg = svgChart(trace, { width, height, logScale: false, title: `${trace.driverType} "${trace.driverId}" · a chart title of the usual length` });
  const boxes = textBoxes(svg);
  for (const box of boxes) {
    if (box.name.endsWith('""')) continue; // an empty text (a title fitted to nothing) has no pixels
    expect(box.x1, `${box.name} is hidden or off the canvas`).to.be.at.least(box.x0);
    expect(box.x0 >= 0 && box.y0 >= 0 && box.x1 < width && box.y1 < height, `${box.name} leaves the canvas`).to.equal(true);
  }
  const drawn = boxes.filter((box) => box.x1 >= box.x0);
  for (let i = 0; i < drawn.length; i++) {
    for (let j = i + 1; j < drawn.length; j++) {
      if (overlaps(drawn[i], drawn[j])) expect.fail(`${drawn[i].name} overlaps ${drawn[j].name}: ${JSON.stringify(drawn[i])} ${JSON.stringify(drawn[j])}`);
    }
  }
  const lines = linePixels(svg);
  for (const box of drawn) {
    for (let y = Math.max(0, box.y0 - 1); y <= Math.min(height - 1, box.y1 + 1); y++) {
      for (let x = Math.max(0, box.x0 - 1); x <= Math.min(width - 1, box.x1 + 1); x++) {
        if (lines.covered[y * lines.width + x] === 1) expect.fail(`${box.name} touches the plotted line at (${x}, ${y})`);
      }
    }
  }
  const markerLabels = drawn.filter((box) => box.name.startsWith('marker-label'));
  if (trace.markers.length > 0) expect(markerLabels.length, 'at least one marker is labelled').to.be.greaterThan(0);
}

describe('svgChart', function () {
  this.timeout(60_000);

  for (const [name, config] of CHARTS) {
    it(`keeps every text clear of the others and of the lines: ${name}, at 800x400 and 1400x700`, () => {
      const trace = quietly(() => traceSchedule(plotOf(config)));
      for (const [width, height] of SIZES) checkChart(trace, width, height);
    });
  }

  it('labels the three-phase OneCycleLR in full at 800x400 (they used to run past the panel and hide the tick "60")', () => {
    const [, config] = CHARTS[CHARTS.length - 1];
    const svg = svgChart(quietly(() => traceSchedule(plotOf(config))), { width: 800, height: 400, logScale: false, title: 'OneCycleLR' });
    const labels = [...svg.matchAll(/class="marker-label"[^>]*>([^<]*)</g)].map((match) => match[1]);
    expect(labels).to.deep.equal(['warmup end @29', 'annihilate (initial_lr → min_lr) @59']);
  });

  it('measures text with DejaVu Sans widths at least as wide as the rendered text', () => {
    for (const text of ['annihilate (initial_lr → min_lr) @59', 'restart (sgdr) @10', '@150', 'WWW mmm 0.0001']) {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="30"><rect x="0" y="0" width="400" height="30" fill="#ffffff"/><text x="10" y="20" font-family="DejaVu Sans" font-size="10" fill="#000001">${text}</text></svg>`;
      const [box] = textBoxes(svg);
      expect(box.x1 - box.x0 + 1, text).to.be.at.most(Math.ceil(textWidth(text, 10)) + 1);
    }
  });

  it('draws a long trace with at most four points per pixel column, keeping its extremes', () => {
    const config: ScheduleConfig = { optimizer: { kind: 'sgd', groups: [{ lr: 0.1 }] }, schedulers: [{ id: 'c', type: 'CyclicLR', args: { base_lr: 0.01, max_lr: 0.1, step_size_up: 3, cycle_momentum: false } }], steps: 200_000 };
    const trace = quietly(() => traceSchedule(toPlotConfig(config, undefined)));
    const svg = svgChart(trace, { width: 800, height: 400, logScale: false, title: 'CyclicLR' });
    const points = [...svg.matchAll(/class="series"[^>]*points="([^"]*)"/g)].flatMap((match) => match[1].split(' '));
    expect(points.length).to.be.at.most(4 * 800);
    const ys = points.map((p) => Number(p.split(',')[1]));
    // the cycle's lowest and highest lr are drawn (on the panel's bottom and top ticks)
    expect(Math.min(...ys)).to.be.lessThan(Math.max(...ys) - 200);
    checkChart(trace, 800, 400);
  });
});
