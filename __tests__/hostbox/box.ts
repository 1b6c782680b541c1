import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startDaemon, waitFor, type Daemon } from '../../bench/processes';
import { run, type RunResult } from '../host/helpers/artifact-server';

/*
 * The host in a box: a Debian bookworm root booted by systemd-nspawn with systemd as PID 1, in a network
 * namespace of its own (only loopback), next to the local S3/SSM endpoint, fake Slack and test app that run
 * in the same namespace. Every name that reaches the machine (netns, machine, temp dir) carries `issue-18`
 * so parallel work on this machine never collides with it.
 */

/** Machine name, network namespace name and temp-dir prefix of the box. */
export const BOX_NAME = 'lgtm-hostbox-issue-18';
export const BOX_BASE = `/var/tmp/${BOX_NAME}`;
const NETNS_PATH = `/run/netns/${BOX_NAME}`;
/** EC2's instance metadata service address. */
export const IMDS_ADDRESS = '169.254.169.254';

/** Runs a command to completion; throws with its output unless it exits 0. */
export async function must(command: string, args: string[], timeoutMs = 60000): Promise<string> {
  const result = await run(command, args, { ...(process.env as Record<string, string>) }, timeoutMs);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** The box's network namespace: loopback only, shared by the containers and the test's local peers. */
export class BoxNetwork {
  private readonly daemons: Daemon[] = [];

  static async create(): Promise<BoxNetwork> {
    if (existsSync(NETNS_PATH)) await BoxNetwork.remove();
    await must('ip', ['netns', 'add', BOX_NAME]);
    await must('ip', ['-n', BOX_NAME, 'link', 'set', 'lo', 'up']);
    // EC2's instance metadata address, answered by the box's IMDS stand-in (peers.ts imds).
    await must('ip', ['-n', BOX_NAME, 'addr', 'add', `${IMDS_ADDRESS}/32`, 'dev', 'lo']);
    return new BoxNetwork();
  }

  /** Ends every process left in the namespace (by a run that was killed) and deletes it. */
  private static async remove(): Promise<void> {
    for (const signal of ['TERM', 'KILL']) {
      const pids = (await run('ip', ['netns', 'pids', BOX_NAME], {})).stdout.split(/\s+/).filter(Boolean);
      if (pids.length === 0) break;
      await run('kill', [`-${signal}`, ...pids], {});
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await run('ip', ['netns', 'delete', BOX_NAME], {});
  }

  readonly path = NETNS_PATH;

  /** Runs a host program inside the namespace. */
  exec(args: string[], timeoutMs = 60000): Promise<RunResult> {
    return run('ip', ['netns', 'exec', BOX_NAME, ...args], { ...(process.env as Record<string, string>) }, timeoutMs);
  }

  /** Starts a long-running host program inside the namespace; stopped by `close`. */
  daemon(args: string[]): Daemon {
    const daemon = startDaemon('ip', ['netns', 'exec', BOX_NAME, ...args]);
    this.daemons.push(daemon);
    return daemon;
  }

  /** GET (or POST with `post`) on a URL inside the namespace; undefined when it does not answer 2xx. */
  async http(url: string, post?: string): Promise<string | undefined> {
    const args = ['curl', '-fsS', '--max-time', '5', ...(post !== undefined ? ['-X', 'POST', '--data-binary', post] : []), url];
    const result = await this.exec(args, 10000);
    return result.code === 0 ? result.stdout : undefined;
  }

  async json<T>(url: string): Promise<T | undefined> {
    const body = await this.http(url);
    return body === undefined ? undefined : (JSON.parse(body) as T);
  }

  async close(): Promise<void> {
    for (const daemon of this.daemons) await daemon.stop();
    await BoxNetwork.remove();
  }
}

/** A loop device backed by a sparse file: the EBS data volume, outliving every container that mounts it. */
export class DataVolume {
  private constructor(
    readonly image: string,
    readonly device: string,
  ) {}

  static async create(image: string, sizeMiB = 512): Promise<DataVolume> {
    mkdirSync(dirname(image), { recursive: true });
    writeFileSync(image, '');
    execFileSync('truncate', ['-s', `${sizeMiB}M`, image]);
    const device = (await must('losetup', ['--find', '--show', image])).trim();
    return new DataVolume(image, device);
  }

  async close(): Promise<void> {
    await run('losetup', ['-d', this.device], {});
  }
}

/** What a first boot needs: the rendered EC2 user-data, and the EBS volume id it names. */
export interface InstanceSpec {
  readonly userData: string;
  readonly dataVolumeId: string;
}

/**
 * One EC2 instance of the monitoring host: a fresh copy of the cached root, booted with systemd as PID 1. Three
 * clearly named stand-ins take the place of what EC2 gives an instance: `lgtm-hostbox-cloud-init.service` runs
 * the user-data once per instance (cloud-init's part), `lgtm-hostbox-ebs-link.service` creates the
 * `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_<id>` link to the data volume (EC2's udev rule's part), and
 * `lgtm-hostbox-fstab-mount.service` mounts the fstab's UUID= entries at boot, which systemd's fstab generator
 * skips inside a container (the installer's own first mount is real).
 */
export class HostInstance {
  readonly root: string;
  private nspawn?: ChildProcess;
  private exited?: Promise<number | null>;
  private consoleFd?: number;

  constructor(
    readonly id: string,
    private readonly tarball: string,
    private readonly volume: DataVolume,
    private readonly network: BoxNetwork,
    readonly spec: InstanceSpec,
  ) {
    this.root = join(BOX_BASE, id, 'root');
  }

  /** Kept beside the instance's directory, so that it outlives the instance for a failure's post-mortem. */
  get consoleLog(): string {
    return join(BOX_BASE, `${this.id}-console.log`);
  }

  /** Lays down the instance's root: the cached image plus the two EC2 stand-ins. */
  async create(): Promise<void> {
    rmSync(join(BOX_BASE, this.id), { recursive: true, force: true });
    mkdirSync(this.root, { recursive: true });
    await must('tar', ['-xf', this.tarball, '-C', this.root], 120000);
    // Debian's Alertmanager build reads its default templates from disk (upstream's embeds them): when it is the
    // one served, its templates come along.
    const debianTemplates = '/usr/share/prometheus/alertmanager';
    if (existsSync(join(debianTemplates, 'default.tmpl'))) {
      mkdirSync(join(this.root, debianTemplates), { recursive: true });
      for (const name of ['default.tmpl', 'email.tmpl']) writeFileSync(join(this.root, debianTemplates, name), readFileSync(join(debianTemplates, name)));
    }
    const unitDir = join(this.root, 'etc/systemd/system');
    const wants = join(unitDir, 'multi-user.target.wants');
    mkdirSync(wants, { recursive: true });
    mkdirSync(join(this.root, 'var/lib/cloud/instance'), { recursive: true });
    writeFileSync(join(this.root, 'var/lib/cloud/instance/user-data.txt'), this.spec.userData, { mode: 0o700 });
    const link = `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${this.spec.dataVolumeId.replace('-', '')}`;
    writeFileSync(
      join(unitDir, 'lgtm-hostbox-ebs-link.service'),
      `# HOST-IN-A-BOX STAND-IN for EC2's udev rule: links the attached EBS volume under its volume id.
[Unit]
Description=Stand-in (host-in-a-box test) for EC2's NVMe udev rule: link the data volume by its EBS id
DefaultDependencies=no
Before=local-fs-pre.target
Wants=local-fs-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'mkdir -p /dev/disk/by-id && ln -sfn ${this.volume.device} ${link}'

[Install]
WantedBy=local-fs-pre.target
`,
    );
    writeFileSync(
      join(unitDir, 'lgtm-hostbox-fstab-mount.service'),
      `# HOST-IN-A-BOX STAND-IN for systemd's fstab mounts, which systemd skips for block devices inside a container.
[Unit]
Description=Stand-in (host-in-a-box test) for fstab block-device mounts: mount them as an EC2 instance's systemd would
DefaultDependencies=no
After=local-fs-pre.target lgtm-hostbox-ebs-link.service
Before=local-fs.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/sbin/lgtm-hostbox-fstab-mount

[Install]
WantedBy=local-fs.target
`,
    );
    mkdirSync(join(this.root, 'usr/local/sbin'), { recursive: true });
    writeFileSync(
      join(this.root, 'usr/local/sbin/lgtm-hostbox-fstab-mount'),
      '#!/bin/sh\n# Host-in-a-box stand-in: mount the fstab UUID= entries, as systemd does outside a container.\nawk \'/^UUID=/ { print $2 }\' /etc/fstab | while read -r mountpoint; do\n  mountpoint -q "$mountpoint" || mount "$mountpoint"\ndone\n',
      { mode: 0o755 },
    );
    mkdirSync(join(unitDir, 'local-fs.target.wants'), { recursive: true });
    symlinkSync('../lgtm-hostbox-fstab-mount.service', join(unitDir, 'local-fs.target.wants', 'lgtm-hostbox-fstab-mount.service'));
    mkdirSync(join(unitDir, 'local-fs-pre.target.wants'), { recursive: true });
    symlinkSync('../lgtm-hostbox-ebs-link.service', join(unitDir, 'local-fs-pre.target.wants', 'lgtm-hostbox-ebs-link.service'));
    writeFileSync(
      join(unitDir, 'lgtm-hostbox-cloud-init.service'),
      `# HOST-IN-A-BOX STAND-IN for cloud-init: runs the rendered EC2 user-data once per instance, as cloud-init does.
[Unit]
Description=Stand-in (host-in-a-box test) for cloud-init: run the instance's user-data once
Wants=network-online.target
After=network-online.target lgtm-hostbox-ebs-link.service
ConditionPathExists=!/var/lib/cloud/instance/boot-finished

[Service]
Type=oneshot
ExecStart=/var/lib/cloud/instance/user-data.txt
ExecStartPost=/bin/touch /var/lib/cloud/instance/boot-finished
TimeoutStartSec=15min
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
`,
    );
    symlinkSync('../lgtm-hostbox-cloud-init.service', join(wants, 'lgtm-hostbox-cloud-init.service'));
    chmodSync(join(this.root, 'var/lib/cloud/instance/user-data.txt'), 0o700);
  }

  /** Boots the instance and waits until systemd reports the boot finished (running or degraded). */
  async boot(timeoutMs = 300000): Promise<void> {
    this.start();
    await this.waitBooted(timeoutMs);
  }

  /** Starts systemd-nspawn without waiting for the boot to finish. */
  start(): void {
    this.consoleFd = openSync(this.consoleLog, 'a');
    const child = spawn(
      'systemd-nspawn',
      [
        '--quiet',
        '--boot',
        '--register=no',
        '--keep-unit',
        `--machine=${BOX_NAME}`,
        `--directory=${this.root}`,
        `--network-namespace-path=${this.network.path}`,
        `--bind=${this.volume.device}`,
        // IPAddressDeny= needs bpf(); ProtectClock='s filter is only installable with adjtimex allowed.
        '--system-call-filter=bpf adjtimex',
        '--console=pipe',
      ],
      { stdio: ['ignore', this.consoleFd, this.consoleFd] },
    );
    this.nspawn = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** Waits until systemd reports the boot finished (running or degraded): the first boot's user-data included. */
  async waitBooted(timeoutMs = 300000): Promise<void> {
    const child = this.nspawn!;
    await waitFor(
      `the box ${this.id} to finish booting (console: ${this.consoleLog})`,
      async () => {
        if (child.exitCode !== null) throw new Error(`systemd-nspawn exited ${child.exitCode}: ${this.console().slice(-3000)}`);
        const state = await this.exec(['systemctl', 'is-system-running']).catch(() => undefined);
        return state && /^(running|degraded)$/m.test(state.stdout) ? state.stdout.trim() : undefined;
      },
      timeoutMs,
      500,
    );
  }

  console(): string {
    return existsSync(this.consoleLog) ? readFileSync(this.consoleLog, 'utf8') : '';
  }

  /** PID (on the host) of the container's systemd: systemd-nspawn's child. */
  leader(): number {
    const nspawn = this.nspawn?.pid;
    if (nspawn && this.nspawn?.exitCode === null)
      for (const entry of readdirSync('/proc')) {
        if (!/^\d+$/.test(entry)) continue;
        try {
          if (/^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] === String(nspawn)) return Number(entry);
        } catch {
          // the process went away while we looked
        }
      }
    throw new Error(`no running container for ${this.root} (systemd-nspawn pid ${nspawn}, exit ${this.nspawn?.exitCode}, signal ${this.nspawn?.signalCode})`);
  }

  /** Runs a command inside the container's namespaces (as root, outside any unit). */
  exec(args: string[], timeoutMs = 60000): Promise<RunResult> {
    return run('nsenter', ['-t', String(this.leader()), '-m', '-u', '-i', '-n', '-p', '--', ...args], { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, timeoutMs);
  }

  async sh(script: string, timeoutMs = 60000): Promise<string> {
    const result = await this.exec(['/bin/bash', '-c', script], timeoutMs);
    if (result.code !== 0) throw new Error(`in box ${this.id}: ${script}\nexit ${result.code}\n${result.stdout}\n${result.stderr}`);
    return result.stdout;
  }

  /** `systemctl reboot` inside, then boots the same root again: nspawn ends on a reboot and leaves restarting to its caller. */
  async reboot(): Promise<void> {
    await this.exec(['systemctl', 'reboot']);
    await this.waitExit(90000);
    if (this.consoleFd !== undefined) closeSync(this.consoleFd);
    await this.boot();
  }

  /** Powers the instance off (an instance terminated by its replacement). */
  async terminate(): Promise<void> {
    if (!this.nspawn || this.nspawn.exitCode !== null) return;
    await this.exec(['systemctl', 'poweroff']).catch(() => undefined);
    await this.waitExit(60000);
    if (this.consoleFd !== undefined) closeSync(this.consoleFd);
  }

  private async waitExit(timeoutMs: number): Promise<void> {
    const timer = setTimeout(() => this.nspawn?.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.terminate().catch(() => this.nspawn?.kill('SIGKILL'));
    rmSync(join(BOX_BASE, this.id), { recursive: true, force: true });
  }
}
