import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArtifactName, ResolvedArtifact } from '../../lib/host/artifacts';
import { buildTestArtifact } from '../host/helpers/artifact-server';

/*
 * What the box's artifact mirror serves in each pinned archive. The Apache-2.0 programs are the real ones: the
 * pinned builds of scripts/oracles.sh when they exist, else Debian's packaged builds of the same programs (an
 * older version, announced). Loki, Tempo and Grafana (AGPL, never built here) are the clearly named stand-in
 * `program-standin.py`, and so is the collector until an oracle build of it exists.
 */

/** Where scripts/oracles.sh puts the pinned builds. */
export const ORACLE_BIN = process.env.LGTM_ORACLES_BIN ?? '/var/cache/lgtm-oracles/bin';

const DEBIAN: Partial<Record<string, string>> = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  alertmanager: '/usr/bin/prometheus-alertmanager',
  amtool: '/usr/bin/amtool',
  node_exporter: '/usr/bin/prometheus-node-exporter',
  blackbox_exporter: '/usr/bin/prometheus-blackbox-exporter',
};

const STANDIN = join(__dirname, 'program-standin.py');
const STANDIN_FOR: Partial<Record<ArtifactName, string>> = { loki: 'loki', tempo: 'tempo', grafana: 'grafana', 'otelcol-contrib': 'otelcol' };

/** One executable in the mirror and where its bytes came from (printed in the test's output). */
export interface ServedProgram {
  readonly artifact: ArtifactName;
  readonly executable: string;
  readonly origin: string;
  readonly bytes: Buffer;
}

/** Oracle executables named otherwise than in the release archive: the collector built with exactly our components. */
const ORACLE_NAME: Partial<Record<string, string>> = { 'otelcol-contrib': 'otelcol-lgtm' };

function programFor(artifact: ResolvedArtifact, executable: string): ServedProgram {
  const oracle = join(ORACLE_BIN, ORACLE_NAME[executable] ?? executable);
  if (artifact.name !== 'node' && artifact.name !== 'loki' && artifact.name !== 'tempo' && artifact.name !== 'grafana' && existsSync(oracle))
    return { artifact: artifact.name, executable, origin: `pinned oracle build ${oracle}`, bytes: readFileSync(oracle) };
  const standin = STANDIN_FOR[artifact.name];
  if (standin) {
    const script = readFileSync(STANDIN, 'utf8').replace(/^(#!.*\n)/, `$1import os; os.environ.setdefault("LGTM_STANDIN_FOR", "${standin}")\n`);
    return {
      artifact: artifact.name,
      executable,
      origin: `STAND-IN program-standin.py answering ${standin}'s health and /metrics endpoints`,
      bytes: Buffer.from(script),
    };
  }
  if (artifact.name === 'node')
    return {
      artifact: artifact.name,
      executable,
      origin: `this machine's Node ${process.version} (${process.execPath})`,
      bytes: readFileSync(process.execPath),
    };
  const debian = DEBIAN[executable];
  if (debian && existsSync(debian))
    return { artifact: artifact.name, executable, origin: `Debian's build ${debian} (no oracle build at ${ORACLE_BIN})`, bytes: readFileSync(debian) };
  throw new Error(`no program for ${artifact.name}/${executable}: neither ${oracle} nor a Debian build exists`);
}

/** Built archives, keyed by what went into them, so a warm run packs nothing (xz of Node takes a while). */
const ARCHIVE_CACHE = join(process.env.LGTM_HOSTBOX_CACHE ?? '/var/cache/lgtm-hostbox', 'mirror');

/** The archives and checksum files of every artifact, keyed by their path in the mirror, and what is in them. */
export function mirrorContent(workDir: string, artifacts: readonly ResolvedArtifact[]): { files: Map<string, Buffer>; programs: ServedProgram[] } {
  const files = new Map<string, Buffer>();
  const programs: ServedProgram[] = [];
  for (const artifact of artifacts) {
    const served = new Map(Object.keys(artifact.executables).map((exe) => [exe, programFor(artifact, exe)]));
    programs.push(...served.values());
    const key = createHash('sha256').update(JSON.stringify(artifact)).update(readFileSync(__filename));
    for (const program of served.values()) key.update(program.bytes);
    const cached = join(ARCHIVE_CACHE, `${artifact.name}-${key.digest('hex').slice(0, 16)}`);
    if (!existsSync(cached)) {
      for (const old of existsSync(ARCHIVE_CACHE) ? readdirSync(ARCHIVE_CACHE) : [])
        if (old.startsWith(`${artifact.name}-`)) rmSync(join(ARCHIVE_CACHE, old), { recursive: true, force: true });
      const staging = `${cached}.partial-issue-18-${process.pid}`;
      mkdirSync(staging, { recursive: true });
      for (const [path, bytes] of buildTestArtifact(workDir, artifact, 'hostbox', (exe) => served.get(exe)?.bytes))
        writeFileSync(join(staging, encodeURIComponent(path.replace(/^\//, ''))), bytes);
      renameSync(staging, cached);
    }
    for (const name of readdirSync(cached)) files.set(decodeURIComponent(name), readFileSync(join(cached, name)));
  }
  return { files, programs };
}
