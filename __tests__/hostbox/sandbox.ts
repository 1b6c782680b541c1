import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostInstance } from './box';

/*
 * The host in a box's sandbox checks, run through the container's own systemd so that its seccomp applies: a
 * forbidden syscall, write and address family are tried under a service's sandbox, as read from the unit systemd
 * has loaded (the rendered file and any drop-in), and the same attempts must succeed without that sandbox, so a
 * check cannot pass because the attempt fails anyway. A planted regression (a drop-in) must turn them red.
 */

/** Where the probe lies inside the box (read-only for every service, executable by all). */
const PROBE = '/usr/local/lib/lgtm-hostbox-issue-18/sandbox-probe.py';

/**
 * [Service] settings that start, stop or feed the real service rather than confine it: a transient probe unit
 * takes every other one. RuntimeDirectory= would be removed when the probe stops, under the running service.
 */
const NOT_SANDBOX = new Set([
  'Type', 'ExecStart', 'ExecStartPre', 'ExecStartPost', 'ExecReload', 'ExecStop', 'ExecStopPost', 'Restart', 'RestartSec',
  'TimeoutStartSec', 'TimeoutStopSec', 'TimeoutSec', 'RemainAfterExit', 'PIDFile', 'NotifyAccess', 'WatchdogSec', 'KillMode',
  'KillSignal', 'SuccessExitStatus', 'LoadCredential', 'LoadCredentialEncrypted', 'SetCredential', 'RuntimeDirectory',
  'RuntimeDirectoryMode', 'RuntimeDirectoryPreserve', 'StandardInput', 'StandardOutput', 'StandardError', 'EnvironmentFile',
]);

/** The [Service] assignments of `systemctl cat` output (the unit file, then its drop-ins) that make its sandbox, in order. */
export function sandboxProperties(unitText: string): string[] {
  const properties: string[] = [];
  let section = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1];
    else if (section === 'Service' && !NOT_SANDBOX.has(line.slice(0, line.indexOf('=')))) properties.push(line);
  }
  return properties;
}

type ProbeResult = Record<string, string>;

/** Lays the probe into an instance's root before it boots. */
export function installProbe(root: string): void {
  mkdirSync(join(root, PROBE, '..'), { recursive: true });
  writeFileSync(join(root, PROBE), readFileSync(join(__dirname, 'sandbox-probe.py')), { mode: 0o755 });
}

async function probe(instance: HostInstance, properties: string[], directory: string): Promise<ProbeResult> {
  const result = await instance.exec(['systemd-run', '--wait', '--pipe', '--quiet', '--collect', ...properties.flatMap((p) => ['-p', p]), '/usr/bin/python3', PROBE, directory]);
  if (result.code !== 0) throw new Error(`sandbox probe (${properties.join(' ')}) exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as ProbeResult;
}

/** What the unit's sandbox lets through that it should not, and attempts that fail even without it; [] when it holds. */
export async function sandboxHoles(instance: HostInstance, unit: string): Promise<string[]> {
  const properties = sandboxProperties(await instance.sh(`systemctl cat ${unit}.service`));
  const identity = properties.filter((p) => /^(User|Group)=/.test(p));
  const user = identity.find((p) => p.startsWith('User='))?.slice('User='.length);
  if (!user) return [`${unit}: its unit names no User=`];
  // A directory the service's user owns where the sandbox makes the file system read-only.
  const directory = `/etc/lgtm-hostbox-issue-18-probe/${unit}`;
  await instance.sh(`mkdir -p ${directory} && chown ${user} ${directory} && rm -f ${directory}/probe`);
  const confined = await probe(instance, properties, directory);
  const free = await probe(instance, identity, directory);
  // Only a unit whose address-family allow-list names AF_NETLINK may open one (none, or an emptied list, allows all).
  const families = properties.filter((p) => p.startsWith('RestrictAddressFamilies=')).pop()?.slice('RestrictAddressFamilies='.length).split(/\s+/) ?? [];
  const forbidden = ['ptrace', 'write', ...(families.includes('AF_NETLINK') ? [] : ['AF_NETLINK'])];
  const holes: string[] = [];
  for (const attempt of forbidden) {
    if (free[attempt] !== 'ok') holes.push(`${unit}: ${attempt} fails even without the sandbox (${free[attempt]}), so it proves nothing`);
    else if (confined[attempt] === 'ok') holes.push(`${unit}: ${attempt} succeeds under its sandbox`);
  }
  return holes;
}

/** A runtime drop-in of [Service] settings on a unit (gone at reboot), loaded by systemd; returns what removes it again. */
export async function plantDropIn(instance: HostInstance, unit: string, settings: string[]): Promise<() => Promise<void>> {
  const file = `/run/systemd/system/${unit}.service.d/s3-issue-18-planted.conf`;
  await instance.sh(`mkdir -p ${file.replace(/\/[^/]+$/, '')} && printf '%s\\n' '[Service]' ${settings.map((s) => `'${s}'`).join(' ')} > ${file} && systemctl daemon-reload`);
  return async () => {
    await instance.sh(`rm -f ${file} && systemctl daemon-reload`);
  };
}
