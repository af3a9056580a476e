/**
 * Where a value sits between the ends of a chart's axis, as a fraction: (v - low) / (high - low),
 * also where that division fails in doubles. A schedule decaying to 1e-323 has a subnormal range
 * (a scale of height / range is Infinity); groups at -1e308 and 1e308 have a range wider than the
 * doubles (high - low is Infinity). Both charts (terminal and SVG/PNG) draw through it.
 */
export function fractionOf(low: number, high: number): (v: number) => number {
  if (!(high > low)) return () => 0;
  const span = high - low;
  if (Number.isFinite(span)) return (v) => (v - low) / span;
  const halfSpan = high / 2 - low / 2;
  return (v) => (v / 2 - low / 2) / halfSpan;
}
