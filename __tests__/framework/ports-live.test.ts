import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { freePort, PORT_LOCK_DIR, tryReservePort } from '../../bench/processes';

const ROOT = join(__dirname, '../..');
const [ephemeralLow, ephemeralHigh] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);

const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/** Ports reserved by a separate node process (a jest worker of another run, say), which keeps them until it exits. */
function reserveInChild(count: number): Promise<{ ports: number[]; release: () => void; exited: Promise<unknown> }> {
  const script = `
    require('tsx/cjs');
    const { freePort } = require(${JSON.stringify(join(ROOT, 'bench/processes.ts'))});
    (async () => {
      const ports = [];
      for (let i = 0; i < ${count}; i++) ports.push(await freePort());
      process.stdout.write(JSON.stringify(ports) + '\\n');
      process.stdin.resume();
      process.stdin.on('end', () => process.exit(0));
    })();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let out = '';
    void exited.then((code) => reject(new Error(`the reserving child exited with ${String(code)} before answering`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve({ ports: JSON.parse(out) as number[], release: () => child.stdin.end(), exited });
    });
  });
}

describe('GIVEN freePort, the reservation every live test and benchmark takes its ports from', () => {
  it('THEN a port lies below the kernel ephemeral range, so no outgoing connection or bind(0) is ever given it, and it is bindable', async () => {
    const port = await freePort();
    expect(port).toBeLessThan(ephemeralLow);
    expect(port).toBeGreaterThanOrEqual(1024);
    expect(ephemeralHigh).toBeGreaterThan(ephemeralLow);
    expect(await bindable(port)).toBe(true);
  });

  it('THEN it stays reserved after it is handed out (its lock names this process) until the daemon binds it, and later', async () => {
    const port = await freePort();
    const lock = join(PORT_LOCK_DIR, String(port));
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(lock)).toBe(true);
  });

  it('THEN concurrent reservations in this process and in another process never share a port', async () => {
    const child = await reserveInChild(40);
    try {
      const mine = await Promise.all(Array.from({ length: 40 }, () => freePort()));
      const all = [...mine, ...child.ports];
      expect(new Set(all).size).toBe(all.length);
    } finally {
      child.release();
    }
  });

  it('THEN a port held by this or another running process, or one some program listens on, is not reserved again', async () => {
    const mine = await freePort();
    expect(await tryReservePort(mine)).toBe(false);
    const child = await reserveInChild(1);
    try {
      const [theirs] = child.ports;
      expect(readFileSync(join(PORT_LOCK_DIR, String(theirs)), 'utf8').trim()).not.toBe(String(process.pid));
      expect(await tryReservePort(theirs)).toBe(false);
    } finally {
      child.release();
    }
    const listening = createServer();
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', () => resolve()));
    const busy = (listening.address() as { port: number }).port;
    try {
      expect(await tryReservePort(busy)).toBe(false);
      expect(existsSync(join(PORT_LOCK_DIR, String(busy)))).toBe(false);
    } finally {
      listening.close();
    }
  });

  it('THEN the lock of an owner that is gone is taken over', async () => {
    const child = await reserveInChild(1);
    const [orphan] = child.ports;
    child.release();
    await child.exited;
    // The child removed its lock as it exited; a crashed worker leaves it behind, naming a pid that no longer runs.
    mkdirSync(PORT_LOCK_DIR, { recursive: true });
    writeFileSync(join(PORT_LOCK_DIR, String(orphan)), '4194305\n');
    expect(await tryReservePort(orphan)).toBe(true);
    expect(readFileSync(join(PORT_LOCK_DIR, String(orphan)), 'utf8').trim()).toBe(String(process.pid));
  });
});
