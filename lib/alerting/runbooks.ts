import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { PlatformConfigError, throwConfigErrors } from '../config/errors';
import { PACKAGE_ROOT } from '../package-root';

/** The runbooks folder of this package, so that synth works from any working directory. */
export const RUNBOOKS_DIR = path.join(PACKAGE_ROOT, 'runbooks');

/** Files in runbooks/ that are not an alert's runbook. */
export const NON_ALERT_RUNBOOK_FILES = ['post-incident-review.md', 'post-incident-review-example.md', 'README.md'] as const;

/** The level-2 headings every alert runbook has, in this order. */
export const RUNBOOK_SECTIONS = ['What it means', 'Likely causes', 'First steps', 'How to resolve', 'When to roll back', 'When to escalate'] as const;

/** A runbook file: its name inside runbooks/ and its Markdown text. */
export interface RunbookFile {
  readonly file: string;
  readonly content: string;
}

/** Reads every `*.md` file of a runbooks directory (default: this package's runbooks/), sorted by name. */
export function readRunbookFiles(dir: string = RUNBOOKS_DIR): RunbookFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => ({ file, content: readFileSync(path.join(dir, file), 'utf8') }));
}

/** A runbooks directory of your own: `add` lays it over the shipped runbooks (a file of the same name wins), `replace` uses it alone. */
export interface RunbookSource {
  /** The directory of `<AlertName>.md` files. */
  readonly dir: string;
  /** @default add */
  readonly mode?: 'add' | 'replace';
}

/** The runbooks synth checks: the shipped ones, yours over them, or yours alone. */
export function platformRunbooks(source?: RunbookSource): { files: RunbookFile[]; dirLabel: string } {
  if (!source) return { files: readRunbookFiles(), dirLabel: 'runbooks' };
  const own = readRunbookFiles(source.dir);
  if (source.mode === 'replace') return { files: own, dirLabel: source.dir };
  const byName = new Map(readRunbookFiles().map((runbook) => [runbook.file, runbook]));
  for (const runbook of own) byName.set(runbook.file, runbook);
  return { files: [...byName.values()].sort((a, b) => a.file.localeCompare(b.file)), dirLabel: `${source.dir} (over the shipped runbooks)` };
}

/** The level-2 headings (`## Heading`) of a Markdown text, outside code fences. */
export function markdownSections(content: string): string[] {
  const headings: string[] = [];
  let fenced = false;
  for (const line of content.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const match = /^##\s+(.+?)\s*#*\s*$/.exec(line);
      if (match) headings.push(match[1]);
    }
  }
  return headings;
}

/** The non-empty body under each level-2 heading. */
function sectionBodies(content: string): Map<string, string> {
  const bodies = new Map<string, string>();
  let current: string | undefined;
  let fenced = false;
  for (const line of content.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (match) {
      current = match[1];
      bodies.set(current, '');
    } else if (current !== undefined) bodies.set(current, `${bodies.get(current)}${line}\n`);
  }
  return bodies;
}

/**
 * Cross-checks alerts against runbooks: every alert has `runbooks/<name>.md`, every such file belongs to an
 * alert, and every runbook has the sections of {@link RUNBOOK_SECTIONS}, each with content. Throws one
 * PlatformConfigError listing every problem, each naming the runbook file and the fix. Pure: give it the files' content.
 */
export function checkRunbooks(
  alerts: ReadonlyArray<{ readonly name: string; readonly tierOf?: string }>,
  runbookFiles: readonly RunbookFile[],
  dirLabel = 'runbooks',
): void {
  throwConfigErrors(runbookProblems(alerts, runbookFiles, dirLabel));
}

/** Every problem {@link checkRunbooks} finds: alerts first, then the runbooks by file. */
export function runbookProblems(
  alerts: ReadonlyArray<{ readonly name: string; readonly tierOf?: string }>,
  runbookFiles: readonly RunbookFile[],
  dirLabel = 'runbooks',
): PlatformConfigError[] {
  const problems: PlatformConfigError[] = [];
  const byFile = new Map(runbookFiles.map((runbook) => [runbook.file, runbook]));
  // A critical tier has no runbook of its own: it shares its warning twin's.
  const alertNames = new Set(alerts.map((alert) => alert.tierOf ?? alert.name));
  for (const alert of alerts) {
    const file = `${alert.tierOf ?? alert.name}.md`;
    if (!byFile.has(file))
      problems.push(
        new PlatformConfigError(
          `${dirLabel}/${file}`,
          '',
          `no runbook for alert ${alert.name}`,
          `every alert needs a runbook: add ${dirLabel}/${file} with the sections ${RUNBOOK_SECTIONS.join(', ')}`,
        ),
      );
  }
  for (const runbook of runbookFiles) {
    if ((NON_ALERT_RUNBOOK_FILES as readonly string[]).includes(runbook.file)) continue;
    const name = runbook.file.replace(/\.md$/, '');
    if (!alertNames.has(name))
      problems.push(
        new PlatformConfigError(
          `${dirLabel}/${runbook.file}`,
          '',
          `a runbook for ${JSON.stringify(name)}, which is not an alert of the catalog`,
          `runbook files are named after an alert (<AlertName>.md); rename or delete it. Alerts: ${[...alertNames].sort().join(', ')}`,
        ),
      );
    const headings = markdownSections(runbook.content);
    const bodies = sectionBodies(runbook.content);
    const required = headings.filter((heading) => (RUNBOOK_SECTIONS as readonly string[]).includes(heading));
    const missing = RUNBOOK_SECTIONS.find((section) => !headings.includes(section));
    if (!missing && required.join('|') !== RUNBOOK_SECTIONS.join('|'))
      problems.push(
        new PlatformConfigError(
          `${dirLabel}/${runbook.file}`,
          '',
          `the sections in the order ${required.join(', ')}`,
          `put the sections in the order ${RUNBOOK_SECTIONS.join(', ')}, each once`,
        ),
      );
    for (const section of RUNBOOK_SECTIONS) {
      if (!headings.includes(section))
        problems.push(
          new PlatformConfigError(
            `${dirLabel}/${runbook.file}`,
            `## ${section}`,
            `no section "${section}" (sections found: ${headings.length ? headings.join(', ') : 'none'})`,
            `every runbook has the level-2 sections ${RUNBOOK_SECTIONS.map((s) => `"## ${s}"`).join(', ')}`,
          ),
        );
      else if (!(bodies.get(section) ?? '').trim())
        problems.push(
          new PlatformConfigError(`${dirLabel}/${runbook.file}`, `## ${section}`, 'an empty section', 'write what the on-call engineer must know or do there'),
        );
    }
  }
  return problems;
}
