/**
 * Two small SVG charts for docs/benchmarks.md, self-contained (no scripts, no external fonts): a line chart
 * with min–max whiskers for a curve, and a horizontal bar chart for side-by-side figures.
 */

export interface LinePoint {
  readonly x: number;
  readonly median: number;
  readonly min?: number;
  readonly max?: number;
}

export interface LineSeries {
  readonly name: string;
  readonly points: readonly LinePoint[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** A dashed horizontal line, e.g. a target. */
  readonly reference?: { readonly value: number; readonly label: string };
  readonly width?: number;
  readonly height?: number;
}

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly min?: number;
  readonly max?: number;
  /** Text after the bar. @default the value */
  readonly text?: string;
}

export interface BarGroup {
  readonly title: string;
  readonly bars: readonly Bar[];
}

const COLORS = ['#3366cc', '#dc6b2f', '#2a9d5c', '#8e44ad', '#7f8c8d'];
const FONT = 'font-family="sans-serif" font-size="12"';

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A "nice" upper bound and tick step for values up to `max` (1, 2 or 5 times a power of ten). */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const rough = max / ticks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

function n(v: number): string {
  return Number(v.toFixed(2)).toString();
}

function label(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

/** A line chart over linear axes; each point may carry a min–max whisker. */
export function lineChart(series: readonly LineSeries[], options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const pad = { left: 64, right: 24, top: 40, bottom: 56 };
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.max ?? p.median));
  if (options.reference) ys.push(options.reference.value);
  const xScale = niceScale(Math.max(...xs, 1));
  const yScale = niceScale(Math.max(...ys, 0));
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const px = (x: number) => pad.left + (x / xScale.top) * plotW;
  const py = (y: number) => pad.top + plotH - (y / yScale.top) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(options.title)}</text>`);
  for (let y = 0; y <= yScale.top + 1e-9; y += yScale.step) {
    out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${n(py(y))}" y2="${n(py(y))}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${pad.left - 6}" y="${n(py(y) + 4)}" text-anchor="end">${label(y)}</text>`);
  }
  for (let x = 0; x <= xScale.top + 1e-9; x += xScale.step) {
    out.push(`<text x="${n(px(x))}" y="${height - pad.bottom + 18}" text-anchor="middle">${label(x)}</text>`);
  }
  out.push(`<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#333"/>`);
  out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${pad.top + plotH}" y2="${pad.top + plotH}" stroke="#333"/>`);
  out.push(`<text x="${pad.left + plotW / 2}" y="${height - 12}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(
    `<text x="16" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${pad.top + plotH / 2})">${escapeXml(options.yLabel)}</text>`,
  );
  if (options.reference) {
    const y = n(py(options.reference.value));
    out.push(`<line x1="${pad.left}" x2="${width - pad.right}" y1="${y}" y2="${y}" stroke="#c0392b" stroke-dasharray="6 4"/>`);
    out.push(
      `<text x="${width - pad.right - 4}" y="${n(py(options.reference.value) - 6)}" text-anchor="end" fill="#c0392b">${escapeXml(options.reference.label)}</text>`,
    );
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const points = [...s.points].sort((a, b) => a.x - b.x);
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${points.map((p) => `${n(px(p.x))},${n(py(p.median))}`).join(' ')}"/>`);
    for (const p of points) {
      if (p.min !== undefined && p.max !== undefined) {
        out.push(`<line x1="${n(px(p.x))}" x2="${n(px(p.x))}" y1="${n(py(p.min))}" y2="${n(py(p.max))}" stroke="${color}"/>`);
      }
      out.push(
        `<circle cx="${n(px(p.x))}" cy="${n(py(p.median))}" r="3.5" fill="${color}"><title>${escapeXml(`${s.name}: ${label(p.x)} → ${label(p.median)}`)}</title></circle>`,
      );
    }
    out.push(`<rect x="${pad.left + 12}" y="${pad.top + 8 + i * 18}" width="12" height="12" fill="${color}"/>`);
    out.push(`<text x="${pad.left + 30}" y="${pad.top + 18 + i * 18}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Horizontal bars in titled groups, on one scale per group; a bar may carry a min–max whisker. */
export function barChart(title: string, groups: readonly BarGroup[], width = 640): string {
  const labelWidth = 200;
  const right = 150;
  const barH = 18;
  const gap = 8;
  const rows = groups.reduce((s, g) => s + g.bars.length, 0);
  const height = 40 + groups.length * 26 + rows * (barH + gap) + 10;
  const plotW = width - labelWidth - right;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  let y = 40;
  for (const group of groups) {
    out.push(`<text x="8" y="${y + 14}" font-weight="bold">${escapeXml(group.title)}</text>`);
    y += 26;
    const top = Math.max(...group.bars.map((b) => b.max ?? b.value), 0) || 1;
    group.bars.forEach((bar, i) => {
      const w = (bar.value / top) * plotW;
      out.push(`<text x="${labelWidth - 8}" y="${y + 13}" text-anchor="end">${escapeXml(bar.label)}</text>`);
      out.push(`<rect x="${labelWidth}" y="${y}" width="${n(Math.max(w, 1))}" height="${barH}" fill="${COLORS[i % COLORS.length]}"/>`);
      let end = labelWidth + Math.max(w, 1);
      if (bar.min !== undefined && bar.max !== undefined) {
        const x1 = labelWidth + (bar.min / top) * plotW;
        const x2 = labelWidth + (bar.max / top) * plotW;
        out.push(`<line x1="${n(x1)}" x2="${n(x2)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="#222"/>`);
        end = Math.max(end, x2);
      }
      out.push(`<text x="${n(end + 6)}" y="${y + 13}">${escapeXml(bar.text ?? label(bar.value))}</text>`);
      y += barH + gap;
    });
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
