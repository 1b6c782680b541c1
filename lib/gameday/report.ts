import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GamedayRow } from './session';

/**
 * The game-day report: one self-contained HTML file (inline CSS and SVG, no script, no external asset) with
 * the result table and, per scenario, a small time chart of its expression against the alert thresholds and
 * one band per watched alert showing when it fired, with the expected deadlines marked.
 */
export interface ReportMeta {
  readonly configFile: string;
  readonly generatedAt: Date;
}

const WIDTH = 760;
const PLOT_HEIGHT = 140;
const BAND_HEIGHT = 14;
const LEFT = 60;
const RIGHT = 230;

export function renderReport(rows: readonly GamedayRow[], meta: ReportMeta): string {
  const passed = rows.filter((r) => r.result.passed).length;
  const summary = rows
    .map((row) => {
      const alerts = row.alerts.length === 0 ? '<td colspan="3">none fire; ' + row.scenario.mustStayQuiet.length + ' alerts stay quiet</td>' : cells(row);
      return `<tr class="${row.result.passed ? 'pass' : 'fail'}"><td><a href="#${anchor(row.scenario.name)}">${esc(row.scenario.name)}</a></td>${alerts}<td>${row.result.passed ? 'PASS' : 'FAIL'}</td></tr>`;
    })
    .join('\n');
  const sections = rows.map(section).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Game day report</title>
<style>
body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-size:13px}
tr.pass td:last-child{color:#1a7f37;font-weight:bold}tr.fail td:last-child{color:#cf222e;font-weight:bold}
section{border-top:1px solid #ddd;margin-top:1.5em;padding-top:.5em}
.verdict-pass{color:#1a7f37}.verdict-fail{color:#cf222e}
svg text{font-size:10px;font-family:system-ui,sans-serif}
.problems{color:#cf222e}
</style>
</head>
<body>
<h1>Game day report</h1>
<p>${passed} of ${rows.length} scenarios passed. Config <code>${esc(meta.configFile)}</code>, ${esc(meta.generatedAt.toISOString())}.
Times are minutes of each scenario, observed by <code>promtool test rules</code> against the real rule files.</p>
<table>
<tr><th>Scenario</th><th>Expected alerts (fire by / resolve by)</th><th>Fired at</th><th>Resolved at</th><th>Result</th></tr>
${summary}
</table>
${sections}
</body>
</html>
`;
}

/** Writes `index.html` into `dir` and returns its path. */
export function writeReport(dir: string, rows: readonly GamedayRow[], meta: ReportMeta): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.html');
  writeFileSync(file, renderReport(rows, meta));
  return file;
}

function cells(row: GamedayRow): string {
  const list = (f: (a: GamedayRow['alerts'][number]) => string) => row.alerts.map(f).join('<br>');
  return (
    `<td>${list((a) => `${esc(a.alertname)} (${minute(a.fireBy)} / ${minute(a.resolveBy)})`)}</td>` +
    `<td>${list((a) => minute(a.firedAt))}</td><td>${list((a) => minute(a.resolvedAt))}</td>`
  );
}

function section(row: GamedayRow): string {
  const verdict = row.result.passed ? '<span class="verdict-pass">PASS</span>' : '<span class="verdict-fail">FAIL</span>';
  const problems = row.result.problems.length > 0 ? `<ul class="problems">${row.result.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : '';
  const quiet = row.scenario.mustStayQuiet.length > 0 ? `<p>Must stay quiet: ${row.scenario.mustStayQuiet.map(esc).join(', ')}.</p>` : '';
  return `<section id="${anchor(row.scenario.name)}">
<h2>${esc(row.scenario.name)} ${verdict}</h2>
<p>Broken: ${esc(row.scenario.broken)}.</p>
${problems}${chartSvg(row)}
${quiet}</section>`;
}

/** The chart of one scenario: its expression against the thresholds, then one band per watched alert. */
export function chartSvg(row: GamedayRow): string {
  const { timeline, chart } = row;
  const n = Math.max(1, timeline.minutes - 1);
  const plotWidth = WIDTH - LEFT - RIGHT;
  const x = (m: number) => LEFT + (plotWidth * m) / n;
  const parts: string[] = [];
  let top = 18;
  if (chart) {
    const values = timeline.values.filter((v): v is number => v !== undefined);
    const all = [...values, ...chart.thresholds.map((t) => t.value)];
    const log = chart.unit === 'x';
    const floor = log ? Math.max(0.01, Math.min(...all.filter((v) => v > 0), 1) / 2) : Math.min(0, ...all);
    const ceiling = Math.max(...all, floor + 1) * (log ? 2 : 1.1);
    const scale = (v: number) => (log ? Math.log10(Math.max(v, floor)) : v);
    const y = (v: number) => top + PLOT_HEIGHT - (PLOT_HEIGHT * (scale(v) - scale(floor))) / (scale(ceiling) - scale(floor) || 1);
    parts.push(`<text x="${LEFT}" y="${top - 2}">${esc(chart.title)}${log ? ' (log scale)' : ''}</text>`);
    parts.push(`<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${PLOT_HEIGHT}" fill="#fafafa" stroke="#ccc"/>`);
    parts.push(`<text x="${LEFT - 4}" y="${top + 8}" text-anchor="end">${fmt(ceiling)}${esc(chart.unit)}</text>`);
    parts.push(`<text x="${LEFT - 4}" y="${top + PLOT_HEIGHT}" text-anchor="end">${fmt(floor)}${esc(chart.unit)}</text>`);
    chart.thresholds.forEach((t) => {
      const ty = y(t.value);
      parts.push(`<line x1="${LEFT}" x2="${LEFT + plotWidth}" y1="${ty}" y2="${ty}" stroke="#cf222e" stroke-dasharray="4 3"/>`);
      parts.push(`<text x="${LEFT + plotWidth + 4}" y="${Math.min(top + PLOT_HEIGHT, ty + 3)}" fill="#cf222e">${esc(t.label)}</text>`);
    });
    const path: string[] = [];
    timeline.values.forEach((v, m) => {
      if (v === undefined) return;
      path.push(`${path.length === 0 || timeline.values[m - 1] === undefined ? 'M' : 'L'}${x(m).toFixed(1)},${y(v).toFixed(1)}`);
    });
    if (path.length > 0) parts.push(`<path d="${path.join(' ')}" fill="none" stroke="#0969da" stroke-width="1.5"/>`);
    else parts.push(`<text x="${LEFT + 8}" y="${top + PLOT_HEIGHT / 2}">no samples</text>`);
    top += PLOT_HEIGHT + 8;
  }
  for (const alert of row.alerts) {
    const firing = timeline.firing[alert.alertname] ?? [];
    parts.push(`<rect x="${LEFT}" y="${top}" width="${plotWidth}" height="${BAND_HEIGHT}" fill="#eef6ee" stroke="#ccc"/>`);
    let start: number | undefined;
    firing.forEach((on, m) => {
      if (on && start === undefined) start = m;
      if ((!on || m === firing.length - 1) && start !== undefined) {
        const end = on ? m + 1 : m;
        parts.push(
          `<rect class="firing" x="${x(start).toFixed(1)}" y="${top}" width="${Math.max(1, x(end) - x(start)).toFixed(1)}" height="${BAND_HEIGHT}" fill="#cf222e" opacity="0.8"/>`,
        );
        start = undefined;
      }
    });
    for (const [deadline, color] of [
      [alert.fireBy, '#9a6700'],
      [alert.resolveBy, '#1a7f37'],
    ] as const) {
      if (deadline !== undefined)
        parts.push(`<line x1="${x(deadline)}" x2="${x(deadline)}" y1="${top - 2}" y2="${top + BAND_HEIGHT + 2}" stroke="${color}" stroke-width="2"/>`);
    }
    parts.push(`<text x="${LEFT + plotWidth + 4}" y="${top + 11}">${esc(alert.alertname)}</text>`);
    top += BAND_HEIGHT + 4;
  }
  parts.push(`<text x="${LEFT}" y="${top + 10}">minute 0</text><text x="${LEFT + plotWidth}" y="${top + 10}" text-anchor="end">minute ${n}</text>`);
  const height = top + 16;
  const legend = row.alerts.length > 0 ? ' Bands: red = firing; amber mark = fire-by deadline; green mark = resolve-by deadline.' : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(row.scenario.name)}">${parts.join('')}</svg>
<p><small>${chart ? 'Blue: the value; dashed red: thresholds.' : 'No chart for this scenario.'}${legend}</small></p>`;
}

function minute(m: number | undefined): string {
  return m === undefined ? '-' : `m${m}`;
}

function fmt(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function anchor(name: string): string {
  return `s-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
