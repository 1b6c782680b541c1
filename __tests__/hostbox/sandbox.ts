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
 * [Service] settings that start, stop or feed the real service rather than confine it: a probe unit takes every
 * other one. RuntimeDirectory= would be removed when the probe stops, under the running service.
 */
const NOT_SANDBOX = new Set([
  'Type',
  'ExecStart',
  'ExecStartPre',
  'ExecStartPost',
  'ExecReload',
  'ExecStop',
  'ExecStopPost',
  'Restart',
  'RestartSec',
  'TimeoutStartSec',
  'TimeoutStopSec',
  'TimeoutSec',
  'RemainAfterExit',
  'PIDFile',
  'NotifyAccess',
  'WatchdogSec',
  'KillMode',
  'KillSignal',
  'SuccessExitStatus',
  'LoadCredential',
  'LoadCredentialEncrypted',
  'SetCredential',
  'RuntimeDirectory',
  'RuntimeDirectoryMode',
  'RuntimeDirectoryPreserve',
  'StandardInput',
  'StandardOutput',
  'StandardError',
  'EnvironmentFile',
]);

/** The [Service] assignments of a unit's text (`systemctl cat`: the unit file, then its drop-ins) that make its sandbox, in order. */
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

/** A unit under test: its name, and its file as the library rendered it (what its sandbox is meant to be). */
export interface ProbedUnit {
  readonly unit: string;
  readonly rendered: string;
}

/**
 * What each unit's sandbox lets through that it should not, and attempts that fail even without it; [] when every
 * sandbox holds. The probe runs as two oneshot units per service, written into the box and started together: one
 * with every [Service] setting of the unit as systemd has loaded it (the unit file's and its drop-ins', in order,
 * in one file, so systemd's own parser gives them their unit-file meaning), one with only its User= and Group=.
 */
export async function sandboxHoles(instance: HostInstance, units: readonly ProbedUnit[]): Promise<string[]> {
  const runs: { unit: string; kind: 'confined' | 'free'; name: string; output: string }[] = [];
  const script: string[] = [];
  for (const { unit } of units) {
    const loaded = sandboxProperties(await instance.sh(`systemctl cat ${unit}.service`));
    const user = loaded
      .filter((p) => p.startsWith('User='))
      .pop()
      ?.slice('User='.length);
    if (!user) throw new Error(`${unit}: its unit names no User=`);
    // A directory the service's user owns where the sandbox makes the file system read-only.
    const directory = `/etc/lgtm-hostbox-issue-18-probe/${unit}`;
    script.push(`mkdir -p ${directory} && chown ${user} ${directory} && rm -f ${directory}/probe`);
    for (const [kind, settings] of [
      ['confined', loaded],
      ['free', loaded.filter((p) => /^(User|Group)=/.test(p))],
    ] as const) {
      const name = `lgtm-hostbox-issue-18-probe-${unit}-${kind}`;
      const output = `/run/${name}.json`;
      const body = ['[Service]', ...settings, 'Type=oneshot', `ExecStart=/usr/bin/python3 ${PROBE} ${directory}`, `StandardOutput=truncate:${output}`].join(
        '\n',
      );
      script.push(`cat > /run/systemd/system/${name}.service <<'LGTM_PROBE_UNIT'\n${body}\nLGTM_PROBE_UNIT`);
      runs.push({ unit, kind, name, output });
    }
  }
  const names = runs.map((r) => `${r.name}.service`).join(' ');
  script.push('systemctl daemon-reload', `systemctl start ${names} || { systemctl status --no-pager ${names}; exit 1; }`);
  const results = new Map<string, ProbeResult>();
  try {
    await instance.sh(script.join('\n'), 120000);
    for (const run of runs) results.set(`${run.unit} ${run.kind}`, JSON.parse(await instance.sh(`cat ${run.output}`)) as ProbeResult);
  } finally {
    await instance.sh(`cd /run/systemd/system && rm -f ${names} && rm -f ${runs.map((r) => r.output).join(' ')} && systemctl daemon-reload`);
  }
  const holes: string[] = [];
  for (const { unit, rendered } of units) {
    const confined = results.get(`${unit} confined`)!;
    const free = results.get(`${unit} free`)!;
    // Only a unit whose rendered address-family allow-list names AF_NETLINK may open one.
    const families = sandboxProperties(rendered)
      .filter((p) => p.startsWith('RestrictAddressFamilies='))
      .flatMap((p) => p.slice('RestrictAddressFamilies='.length).split(/\s+/));
    for (const attempt of ['ptrace', 'write', ...(families.includes('AF_NETLINK') ? [] : ['AF_NETLINK'])]) {
      if (free[attempt] !== 'ok') holes.push(`${unit}: ${attempt} fails even without the sandbox (${free[attempt]}), so it proves nothing`);
      else if (confined[attempt] === 'ok') holes.push(`${unit}: ${attempt} succeeds under its sandbox`);
    }
  }
  return holes;
}

/** A runtime drop-in of [Service] settings on a unit (gone at reboot), loaded by systemd; returns what removes it again. */
export async function plantDropIn(instance: HostInstance, unit: string, settings: string[]): Promise<() => Promise<void>> {
  const file = `/run/systemd/system/${unit}.service.d/s3-issue-18-planted.conf`;
  await instance.sh(
    `mkdir -p ${file.replace(/\/[^/]+$/, '')} && printf '%s\\n' '[Service]' ${settings.map((s) => `'${s}'`).join(' ')} > ${file} && systemctl daemon-reload`,
  );
  return async () => {
    await instance.sh(`rm -f ${file} && systemctl daemon-reload`);
  };
}
