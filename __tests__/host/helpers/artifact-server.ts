import { createServer, type Server } from 'node:http';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { ResolvedArtifact } from '../../../lib/host/artifacts';
import { oracle } from '../../helpers/oracles';

/** Executables in the test archives: validators delegate to the pinned real tools (scripts/oracles.sh), the rest are inert. */
const DELEGATES: Record<string, string> = {
  promtool: oracle('promtool'),
  amtool: oracle('amtool'),
  blackbox_exporter: oracle('blackbox_exporter'),
};

/** Archives whose real releases unpack into one top-level directory. */
const HAS_TOP_DIR = new Set(['prometheus', 'alertmanager', 'node_exporter', 'blackbox_exporter', 'grafana', 'node']);

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/**
 * Builds an archive shaped like the publisher's (same file name, type and layout) holding stub executables (or,
 * from `program`, the real program's bytes for an executable), and the checksum file in the publisher's format.
 * Returns the served files by URL path.
 */
export function buildTestArtifact(
  workDir: string,
  artifact: ResolvedArtifact,
  marker = 'v1',
  program: (executable: string) => Buffer | undefined = () => undefined,
): Map<string, Buffer> {
  const stage = join(workDir, `${artifact.name}-${artifact.version}-${marker}`);
  const top = HAS_TOP_DIR.has(artifact.name) ? artifact.file.replace(/\.(tar\.gz|tar\.xz|zip)$/, '') : '';
  const contentDir = join(stage, top);
  for (const [exe, relative] of Object.entries(artifact.executables)) {
    const path = join(contentDir, relative);
    mkdirSync(join(path, '..'), { recursive: true });
    const delegate = DELEGATES[exe];
    const real = program(exe);
    if (real) writeFileSync(path, real);
    else
      writeFileSync(
        path,
        delegate
          ? `#!/bin/sh\nexec ${delegate} "$@"\n`
          : `#!/bin/sh\n# test stub of ${artifact.name} ${artifact.version} (${marker}): records its call\n[ -n "$FAKE_STATE" ] && echo "${exe} $*" >>"$FAKE_STATE/calls.log"\nexit 0\n`,
      );
    chmodSync(path, 0o755);
  }
  writeFileSync(join(contentDir, 'LICENSE'), `test archive ${marker}\n`);
  const archive = join(workDir, `${marker}-${artifact.file}`);
  const entries = top ? [top] : ['.'];
  if (artifact.archive === 'zip') execFileSync('zip', ['-qr', archive, ...entries], { cwd: stage });
  else execFileSync('tar', [artifact.archive === 'tar.gz' ? '-czf' : '-cJf', archive, ...entries], { cwd: stage });
  const bytes = readFileSync(archive);
  const digest = sha256(bytes);
  const checksumName = artifact.mirrorChecksumPath.slice(artifact.mirrorChecksumPath.lastIndexOf('/') + 1);
  const checksum =
    artifact.checksumFormat === 'sha256sums' ? `${sha256('another file')}  some-other-asset.tar.gz\n${digest}  ${artifact.file}\n` : `${digest}\n`;
  void checksumName;
  return new Map([
    [`/${artifact.mirrorPath}`, bytes],
    [`/${artifact.mirrorChecksumPath}`, Buffer.from(checksum)],
  ]);
}

export interface TestServer {
  readonly base: string;
  readonly files: Map<string, Buffer>;
  readonly requests: { method: string; url: string }[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (free port) serving `files`; POSTs are recorded and answered 200. */
export async function startTestServer(files: Map<string, Buffer>): Promise<TestServer> {
  const requests: { method: string; url: string }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '' });
    if (req.method === 'POST') {
      res.writeHead(200).end('ok');
      return;
    }
    const body = files.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    files,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command without blocking the event loop (the test server must keep answering); killed after `timeoutMs`. */
export function run(command: string, args: string[], env: Record<string, string>, timeoutMs = 30000): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
