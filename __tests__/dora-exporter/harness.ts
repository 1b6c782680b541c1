import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExporterConfig } from '../../lib/dora/exporter/config';
import { DoraExporter } from '../../lib/dora/exporter/exporter';
import { FakeGitHub, standInConfig } from '../../lib/dora/exporter/fake-github';
import { ENVIRONMENT, REPO, WORKFLOW, writeKnownHistory } from './known-history';

/** A fixed clock at noon: "N days ago HH:MM" never crosses it. */
export const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

/** What each test of a file using the harness gets fresh: the GitHub stand-in, a temp dir, the clock, the backoff waits. */
export interface Harness {
  github: FakeGitHub;
  dir: string;
  clock: number;
  sleeps: number[];
  config(overrides?: Partial<ExporterConfig>): ExporterConfig;
  exporter(overrides?: Partial<ExporterConfig>): DoraExporter;
}

/**
 * Registers beforeEach/afterEach that start the GitHub stand-in holding the known history (known-history.ts)
 * and a temp dir with the token, and stop and remove them.
 */
export function useHarness(): Harness {
  const h = { sleeps: [] as number[], clock: NOW } as Harness;
  h.config = (overrides = {}) =>
    standInConfig(h.github.url, h.dir, { perPage: 2, repositories: [{ repo: REPO, deployWorkflow: WORKFLOW, environment: ENVIRONMENT }], ...overrides });
  h.exporter = (overrides = {}) =>
    new DoraExporter(h.config(overrides), {
      now: () => h.clock,
      sleep: async (ms) => {
        h.sleeps.push(ms);
      },
      random: () => 0.5,
      log: () => undefined,
    });
  beforeEach(async () => {
    h.github = new FakeGitHub();
    await h.github.start();
    writeKnownHistory(h.github, NOW);
    h.dir = mkdtempSync(join(tmpdir(), 'dora-exporter-issue-21-'));
    writeFileSync(join(h.dir, 'token'), 'test-token\n');
    h.clock = NOW;
    h.sleeps = [];
  });
  afterEach(async () => {
    await h.github.stop();
    rmSync(h.dir, { recursive: true, force: true });
  });
  return h;
}

export async function lines(e: DoraExporter): Promise<string[]> {
  return (await e.registry.metrics()).split('\n');
}

/** The expected lines that are not in the exposition. */
export function missing(actual: string[], expected: string[]): string[] {
  return expected.filter((line) => !actual.includes(line));
}
