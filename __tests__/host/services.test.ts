import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadPlatformConfig } from '../../lib/config/loader';
import type { PlatformConfig } from '../../lib/config/schema';
import { renderSyncScript } from '../../lib/host/config-sync';
import { HOST_SERVICES, SYNC_FILE_GROUPS, grafana, hostServicesOf, loki, metricsPort, otelcol } from '../../lib/host/services';
import type { HostServiceDescriptor, ServicePort } from '../../lib/host/services/types';
import * as yaml from 'js-yaml';
import { platformSelfFailureScenarios } from '../../lib/gameday/platform-self-failure';
import { renderRuleFiles } from '../../lib/prometheus/rule-files';
import { renderPrometheusConfig } from '../../lib/prometheus/scrape-config';
import { promqlVectorSelectors } from '../../lib/promql/expression-metrics';
import { CONTEXT as RULES_CONTEXT } from '../prometheus/promtool-harness';
import { Testing } from '../../lib/framework';
import { ObservabilityPlatform } from '../../lib/platform';
import { compilePlatform } from '../../lib/model/compile';
import { renderHostFiles } from '../../lib/render-host-files';
import type { HostFile } from '../../lib/shared/host-file';
import * as otelcolRenderer from '../../lib/telemetry/otelcol';
import { internalErrorOf } from '../helpers/config-errors';

const ROOT = join(__dirname, '../..');
const CONTEXT = { grafanaUrl: 'http://203.0.113.10:3000' };

/** The configs whose host files must all be validated: the default, the two-services fixture and every example. */
const CONFIG_FILES = [
  'config/platform.yaml',
  '__tests__/fixtures/two-services.yaml',
  ...readdirSync(join(ROOT, 'examples'))
    .filter((name) => name.endsWith('.yaml') && !name.startsWith('github-actions'))
    .map((name) => `examples/${name}`),
];

/**
 * The sync groups allowed to have no checker, each with why: spelled out here, so that a new group without a
 * checker is a decision this test must be told about.
 */
const GROUPS_WITHOUT_CHECKER: Record<string, string> = {
  'grafana-server': 'Grafana refuses a broken ini at start and keeps logging why',
};

/** A host file planted among the rendered ones, through the collector's renderer. */
function renderWithPlanted(config: PlatformConfig, planted: HostFile): HostFile[] {
  const real = otelcolRenderer.renderOtelcolFiles;
  const spy = jest.spyOn(otelcolRenderer, 'renderOtelcolFiles').mockImplementation((c) => [...real(c), planted]);
  try {
    return renderHostFiles(compilePlatform(config), CONTEXT);
  } finally {
    spy.mockRestore();
  }
}

describe('a host file no host-service descriptor owns', () => {
  const config = loadPlatformConfig(join(ROOT, 'config/platform.yaml'));

  it('GIVEN a renderer that adds /etc/newprog/newprog.yml WHEN the host files are rendered THEN it is a PlatformInternalError naming the file', () => {
    const error = internalErrorOf(() => renderWithPlanted(config, { path: '/etc/newprog/newprog.yml', content: 'a: 1\n' }));
    expect(error.message).toContain('/etc/newprog/newprog.yml');
    expect(error.message).toContain('lib/host/services/');
    expect(error.message).not.toContain('Invalid platform config');
  });

  it('GIVEN a new file in Loki’s directory that Loki’s checker does not read THEN the render names it and the checker', () => {
    const error = internalErrorOf(() => renderWithPlanted(config, { path: '/etc/loki/extra.yml', content: 'a: 1\n' }));
    expect(error.message).toContain('/etc/loki/extra.yml: the checker of group loki does not read it');
  });
});

/** What the rendered lgtm-sync does with the given files: the group its group_of gives each, and what its validate runs. */
function syncOf(config: PlatformConfig, files: readonly HostFile[]): { groups: Map<string, string>; checked: Map<string, string[]> } {
  const script = renderSyncScript(config);
  const between = (start: string, end: string) => script.slice(script.indexOf(start), script.indexOf(end));
  const work = mkdtempSync(join(tmpdir(), 's4-20desc-services-'));
  try {
    const NEW = join(work, 'new');
    for (const file of files) {
      mkdirSync(dirname(join(NEW, file.path)), { recursive: true });
      writeFileSync(join(NEW, file.path), file.content);
    }
    // Every pinned tool the checkers run (PROMTOOL=..., AMTOOL=...) and systemd-analyze record their argv instead.
    const tools = [...script.matchAll(/^([A-Z_]+)="\$ROOT"'/gm)].map((m) => m[1]);
    mkdirSync(join(work, 'bin'));
    for (const tool of [...tools, 'SYSTEMD_ANALYZE']) {
      writeFileSync(join(work, 'bin', tool), `#!/bin/sh\nprintf '%s\\n' "${tool} $*" >>"$LOG"\n`);
      chmodSync(join(work, 'bin', tool), 0o755);
    }
    const harness = [
      'set -euo pipefail',
      `NEW=${JSON.stringify(NEW)} WORK=${JSON.stringify(join(work, 'work'))}`,
      `export LOG=${JSON.stringify(join(work, 'log'))}`,
      'mkdir -p "$WORK"; : >"$LOG"',
      ...[...tools, 'SYSTEMD_ANALYZE'].map((tool) => `${tool}=${JSON.stringify(join(work, 'bin', tool))}`),
      // the scripts' checker parses with bash -n: record it too
      'bash() { printf "%s\\n" "bash $*" >>"$LOG"; }',
      between('group_of() {', 'mirrored_dir() {'),
      between('# ---- validate', '# ---- apply'),
      'declare -A STAGED=()',
      'while IFS= read -r rel; do g="$(group_of "$rel")"; echo "$rel $g"; STAGED["$g"]+="$rel"$\'\\n\'; done <"$WORK/../paths"',
      'for g in "${!STAGED[@]}"; do echo "== $g" >>"$LOG"; validate "$g" || { echo "validate $g failed" >&2; exit 1; }; done',
    ].join('\n');
    writeFileSync(join(work, 'paths'), files.map((f) => f.path.slice(1)).join('\n') + '\n');
    const run = spawnSync('/bin/bash', ['-c', harness], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const groups = new Map(
      run.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string])
        .map(([rel, g]) => [`/${rel}`, g]),
    );
    // Which files each group's checker read: named in its argv (or copied by candidate_copy into a file of its
    // argv), or matched by a glob inside such a file (amtool reads the templates the candidate alertmanager.yml names).
    const checked = new Map<string, string[]>();
    let group = '';
    for (const line of readFileSync(join(work, 'log'), 'utf8').split('\n')) {
      if (line.startsWith('== ')) group = line.slice(3);
      else
        for (const word of line.split(' ').slice(1)) {
          const reads = [word.replace(/^--?[a-z.]+=/, '')];
          // candidate_copy hands the checker $WORK/check-<path with / as _>: a copy of that candidate
          const copied = files.find((f) => reads[0] === join(work, 'work', `check-${f.path.slice(1).replace(/\//g, '_')}`));
          if (copied) reads.push(join(NEW, copied.path));
          if (reads[0].startsWith(work) && existsSync(reads[0]))
            for (const named of readFileSync(reads[0], 'utf8').matchAll(new RegExp(`${NEW}[^'"\\s,\\]]*`, 'g'))) reads.push(named[0]);
          for (const path of reads)
            for (const file of files)
              if (
                path === join(NEW, file.path) ||
                new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(join(NEW, file.path))
              )
                checked.set(file.path, [...(checked.get(file.path) ?? []), group]);
        }
    }
    return { groups, checked };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

describe.each(CONFIG_FILES)('every file %s uploads to the host, through the rendered lgtm-sync', (file) => {
  const config = loadPlatformConfig(join(ROOT, file));
  const files = renderHostFiles(compilePlatform(config), CONTEXT);
  let groups: Map<string, string>;
  let checked: Map<string, string[]>;
  beforeAll(() => ({ groups, checked } = syncOf(config, files)));

  it('belongs to a group of its own, never to `other`', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.filter((f) => !groups.get(f.path) || groups.get(f.path) === 'other').map((f) => f.path)).toEqual([]);
  });

  it('is read by its group’s checker, or its group is one of the named groups without a checker', () => {
    const unchecked = files
      .filter((f) => !(groups.get(f.path)! in GROUPS_WITHOUT_CHECKER))
      .filter((f) => !checked.get(f.path)?.includes(groups.get(f.path)!))
      .map((f) => `${f.path} (${groups.get(f.path)})`);
    expect(unchecked).toEqual([]);
  });

  it('of a group without a checker is exactly the named list, whose reason the sync states', () => {
    const script = renderSyncScript(config);
    for (const [group, reason] of Object.entries(GROUPS_WITHOUT_CHECKER))
      expect(script).toMatch(new RegExp(`^    ${group} \\| other\\) ;; # no checker of their own: ${reason}$`, 'm'));
    const withoutChecker = new Set(
      files.map((f) => groups.get(f.path)!).filter((g) => !files.some((f) => groups.get(f.path) === g && checked.get(f.path)?.includes(g))),
    );
    expect([...withoutChecker].sort()).toEqual(Object.keys(GROUPS_WITHOUT_CHECKER).sort());
  });
});

describe.each(['config/platform.yaml', 'examples/distributed.yaml'])('who may reach each port of the host services of %s', (file) => {
  const config = loadPlatformConfig(join(ROOT, file));
  const app = Testing.app();
  const infra = JSON.parse(Testing.synth(new ObservabilityPlatform(app, 'platform', { config }).infra));
  const groupId = (prefix: string) => Object.entries<any>(infra.resource.aws_security_group).find(([, g]) => g.name_prefix === prefix)?.[0];
  const ingress = Object.values<any>(infra.resource.aws_vpc_security_group_ingress_rule);
  const hostRules = ingress.filter((r) => r.security_group_id === `\${aws_security_group.${groupId(`${config.name}-monitoring-`)}.id}`);
  const portsReachedBy = (who: (reach: readonly string[]) => boolean) =>
    [
      ...new Set(
        hostServicesOf(config).flatMap((service) =>
          service
            .ports(config)
            .filter((p) => who(p.reach))
            .map((p) => p.port),
        ),
      ),
    ].sort();
  const sorted = (ports: number[]) => [...new Set(ports)].sort();

  it('THEN the host security group admits exactly the ports the descriptors open beyond loopback', () => {
    expect(hostRules.length).toBeGreaterThan(0);
    expect(sorted(hostRules.map((r) => r.from_port))).toEqual(portsReachedBy((reach) => reach.some((who) => who !== 'loopback')));
    expect(hostRules.every((r) => r.from_port === r.to_port)).toBe(true);
  });

  it('THEN the ingest nodes (scale: distributed) reach exactly the ports whose descriptors name them', () => {
    const ingest = groupId(`${config.name}-ingest-`);
    const fromIngest = hostRules.filter((r) => ingest && r.referenced_security_group_id === `\${aws_security_group.${ingest}.id}`);
    expect(sorted(fromIngest.map((r) => r.from_port))).toEqual(portsReachedBy((reach) => reach.includes('ingest-fleet')));
    if (config.scale === 'distributed') expect(fromIngest.length).toBeGreaterThan(0);
  });
});

/** Runs `body` while `planted` is one more program of the host (last in start order). */
function withPlantedService(planted: HostServiceDescriptor, body: () => void): void {
  (HOST_SERVICES as HostServiceDescriptor[]).push(planted);
  try {
    body();
  } finally {
    (HOST_SERVICES as HostServiceDescriptor[]).pop();
  }
}

describe('the security groups are generated from the descriptors, not kept beside them', () => {
  const config = loadPlatformConfig(join(ROOT, 'examples/distributed.yaml'));
  /** The host group's ingress rules as `<port> from <CIDR or "ingest nodes" or "load balancer">`. */
  const hostIngress = (): string[] => {
    const infra = JSON.parse(Testing.synth(new ObservabilityPlatform(Testing.app(), 'platform', { config }).infra));
    const groups = Object.entries<any>(infra.resource.aws_security_group);
    const ref = (prefix: string) => `\${aws_security_group.${groups.find(([, g]) => String(g.name_prefix).startsWith(prefix))?.[0]}.id}`;
    return Object.values<any>(infra.resource.aws_vpc_security_group_ingress_rule)
      .filter((r) => r.security_group_id === ref(`${config.name}-monitoring-`))
      .map(
        (r) =>
          `${r.from_port} from ${r.cidr_ipv4 ?? r.cidr_ipv6 ?? (r.referenced_security_group_id === ref(`${config.name}-ingest-`) ? 'ingest nodes' : 'load balancer')}`,
      )
      .sort();
  };
  /** Runs `body` while `service` also declares `extra` among its ports. */
  const withExtraPort = <T>(service: typeof otelcol, extra: ServicePort, body: () => T): T => {
    const real = service.ports;
    const spy = jest.spyOn(service, 'ports').mockImplementation((c) => [...real(c), extra]);
    try {
      return body();
    } finally {
      spy.mockRestore();
    }
  };
  const before = hostIngress();

  it('WHEN a descriptor opens a port to the telemetry sources and the ingest nodes THEN both are admitted to it, and nothing else changes', () => {
    const after = withExtraPort(otelcol, { port: 4999, what: 'planted receiver', reach: ['telemetry-sources', 'ingest-fleet'] }, hostIngress);
    const added = after.filter((rule) => !before.includes(rule));
    expect(added).toEqual([...config.host.telemetrySourceCidrs.map((cidr) => `4999 from ${cidr}`), '4999 from ingest nodes'].sort());
    expect(after.filter((rule) => !added.includes(rule))).toEqual(before);
  });

  it('WHEN a port is loopback-only THEN no security group admits it', () => {
    expect(withExtraPort(otelcol, { port: 4999, what: 'planted loopback port', reach: ['loopback'] }, hostIngress)).toEqual(before);
  });

  it('WHEN a second port claims the Grafana users THEN the render stops with a library error, not a guess', () => {
    const error = withExtraPort(grafana, { port: 3999, what: 'planted', reach: ['grafana-users'] }, () => internalErrorOf(hostIngress));
    expect(error.message).toContain('2 host ports reached by grafana-users');
  });
});

describe('the alert watching each host service is named by its descriptor, not kept in a list beside them', () => {
  const config = loadPlatformConfig(join(ROOT, 'config/platform.yaml'));
  const alertExpr = (name: string): string => {
    type Rule = { alert?: string; expr?: string };
    const rules = renderRuleFiles(compilePlatform(config), RULES_CONTEXT).flatMap((f) =>
      (yaml.load(f.content) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules),
    );
    const rule = rules.find((r) => r.alert === name);
    if (!rule?.expr) throw new Error(`no rendered alert ${name}`);
    return rule.expr;
  };
  /** The `job` values an expression's `up` selectors match: `job="x"`, or each alternative of `job=~"x|y"`. */
  const upJobs = (expr: string): string[] =>
    promqlVectorSelectors(expr)
      .filter((selector) => selector.metric === 'up')
      .flatMap((selector) => selector.matchers.filter((m) => m.label === 'job' && (m.op === '=' || m.op === '=~')))
      .flatMap((m) => (m.op === '=~' ? m.value.split('|') : [m.value]));

  it.each(HOST_SERVICES.map((s) => [s.unit, s] as const))('%s: its down alert reads `up` of its scrape job', (_, service) => {
    expect(upJobs(alertExpr(service.downAlert))).toContain(service.scrapeJob);
  });

  it('WHEN a new service joins the platform components THEN PlatformComponentDown and its game day cover it', () => {
    withPlantedService({ ...loki, unit: 'planted', scrapeJob: 'planted-job', downAlert: 'PlatformComponentDown' }, () => {
      expect(upJobs(alertExpr('PlatformComponentDown'))).toContain('planted-job');
      expect(platformSelfFailureScenarios(config).map((s) => s.name)).toContain('platform-self-failure/planted-job-down');
    });
  });
});

describe("each host service's scrape job is generated from its descriptor", () => {
  const config = loadPlatformConfig(join(ROOT, 'config/platform.yaml'));
  type Job = { job_name: string; sample_limit?: number; static_configs?: { targets: string[] }[] };
  const jobs = (): Job[] => (yaml.load(renderPrometheusConfig(config, CONTEXT)) as { scrape_configs: Job[] }).scrape_configs;

  it.each(hostServicesOf(config).map((s) => [s.unit, s] as const))(
    '%s: one job named its scrapeJob, on its metrics port, with its sample limit',
    (_, service) => {
      const mine = jobs().filter((job) => job.job_name === service.scrapeJob);
      expect(mine.map((job) => ({ targets: job.static_configs?.flatMap((c) => c.targets), sampleLimit: job.sample_limit }))).toEqual([
        { targets: [`127.0.0.1:${metricsPort(service, config)}`], sampleLimit: service.sampleLimit },
      ]);
    },
  );

  it('WHEN a new service is added to HOST_SERVICES THEN Prometheus scrapes it, with no other list to change', () => {
    const planted: HostServiceDescriptor = {
      ...loki,
      unit: 'planted',
      scrapeJob: 'planted-job',
      sampleLimit: 1234,
      ports: () => [{ port: 4998, what: 'its metrics', reach: ['loopback'], metrics: true }],
    };
    withPlantedService(planted, () => {
      expect(jobs().find((job) => job.job_name === 'planted-job')).toMatchObject({ sample_limit: 1234, static_configs: [{ targets: ['127.0.0.1:4998'] }] });
    });
  });
});

describe('the host-service descriptors', () => {
  const config = loadPlatformConfig(join(ROOT, 'config/platform.yaml'));

  it('name each unit, user and uid once, with names the sync can use as bash words and metric labels', () => {
    for (const key of ['unit', 'user', 'uid'] as const) expect(new Set(HOST_SERVICES.map((s) => s[key])).size).toBe(HOST_SERVICES.length);
    expect(new Set(SYNC_FILE_GROUPS.map((g) => g.group)).size).toBe(SYNC_FILE_GROUPS.length);
    for (const { group } of SYNC_FILE_GROUPS) expect(group).toMatch(/^[a-z][a-z0-9_-]*$/);
  });

  it('mirror only directories they own, and each serves its metrics on exactly one port', () => {
    for (const { group, files } of SYNC_FILE_GROUPS)
      for (const dir of files.mirrored ?? []) expect([group, files.dirs.some((owned) => dir.startsWith(`${owned}/`))]).toEqual([group, true]);
    for (const service of HOST_SERVICES) expect(() => metricsPort(service, config)).not.toThrow();
  });
});
