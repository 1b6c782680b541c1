import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatedConfigYaml } from './generate-config';
import { measureInTurn, type ProcessSummary } from './measure';
import { linearFit } from './stats';
import { measureCdktfSynth } from './synth';

/** Item 2: `cdktf synth` of generated configs of growing size (3 SLOs per service, 2 environments). */
export const SCALE_SIZES = [1, 10, 100, 500] as const;

export interface ScalePoint extends ProcessSummary {
  readonly services: number;
}

export interface ScaleResult {
  readonly points: readonly ScalePoint[];
  /** Least-squares line through (services, median seconds), and its R². */
  readonly fit: { slope: number; intercept: number; r2: number };
  /** Extra seconds per extra service between consecutive sizes: flat or falling means no worse than linear. */
  readonly marginalSecondsPerService: readonly { from: number; to: number; seconds: number }[];
}

/** The growth figures of measured points (pure, for the report and the tests). */
export function scaleGrowth(points: readonly ScalePoint[]): Omit<ScaleResult, 'points'> {
  const sorted = [...points].sort((a, b) => a.services - b.services);
  const fit = linearFit(sorted.map((p) => [p.services, p.wallSeconds.median] as const));
  const marginalSecondsPerService = sorted.slice(1).map((p, i) => ({
    from: sorted[i].services,
    to: p.services,
    seconds: (p.wallSeconds.median - sorted[i].wallSeconds.median) / (p.services - sorted[i].services),
  }));
  return { fit, marginalSecondsPerService };
}

export function benchScale(root: string, runs: number, sizes: readonly number[] = SCALE_SIZES): ScaleResult {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scale-'));
  try {
    const files = sizes.map((services) => {
      const file = join(dir, `platform-${services}.yaml`);
      writeFileSync(file, generatedConfigYaml({ services }));
      return file;
    });
    // the sizes in turn, run after run, so that a slow spell of the machine does not bend the curve
    const summaries = measureInTurn(
      runs,
      files.map((file) => () => measureCdktfSynth(root, root, { PLATFORM_CONFIG: file })),
    );
    const points = sizes.map((services, i): ScalePoint => ({ services, ...summaries[i] }));
    return { points, ...scaleGrowth(points) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
