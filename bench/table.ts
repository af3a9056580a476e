/** Markdown tables (printed on the terminal and pasted into docs/benchmark.md). */

export function markdownTable(header: string[], rows: string[][], alignRight = true): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((cell, c) => (alignRight && c > 0 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((w, c) => (alignRight && c > 0 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Nanoseconds with a sensible number of digits: 4.2, 38, 1,520. */
export function ns(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value < 10) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

export function ratio(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value.toFixed(digits)}x`;
}

export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value < 0.1 ? value.toFixed(3) : value.toFixed(2)}%`;
}

/** A figure with a failure mark when it misses its target. */
export function marked(text: string, ok: boolean | null): string {
  return ok === false ? `${text} ✗` : text;
}
