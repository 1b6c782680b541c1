import { q } from '../../shared/shell-quote';
import type { ArtifactName } from '../artifacts';
import { SYNC_FILE_GROUPS, groupsWithoutChecker } from './index';
import { MACHINERY_APPLY_ORDER, MACHINERY_FILE_GROUPS } from './machinery';
import type { HostServiceDescriptor } from './types';

/*
 * The config sync's tables (lib/host/config-sync.ts), generated from the descriptors: which group a file belongs
 * to, how each group is validated and how its program picks up a change. A new descriptor is in every table.
 */

/** One arm of a bash `case`: a one-line body on the pattern's line, a longer one below it. */
function caseArm(pattern: string, body: readonly string[]): string {
  if (body.length === 1) return `    ${pattern}) ${body[0]} ;;`;
  return [`    ${pattern})`, ...body.map((line) => `      ${line}`), '      ;;'].join('\n');
}

/** The arms of `group_of`: every file below a group's directories belongs to it. */
export function groupOfArms(): string {
  return SYNC_FILE_GROUPS.map(({ group, files }) => caseArm(files.dirs.map((dir) => `${dir.slice(1)}/*`).join(' | '), [`echo ${group}`])).join('\n');
}

/** The arms of `mirrored_dir`: each group's mirrored directories, named relative to `/`. */
export function mirroredDirArms(): string {
  return SYNC_FILE_GROUPS.flatMap(({ files }) => files.mirrored ?? [])
    .map((dir) => caseArm(`${dir.slice(1)}/*`, [`echo ${q(dir.slice(1))}`]))
    .join('\n');
}

/** The variables naming the pinned executables the checkers run, e.g. `PROMTOOL="$ROOT"'/opt/...'`. */
export function checkerToolVariables(executable: (artifact: ArtifactName, name: string) => string): string {
  return SYNC_FILE_GROUPS.flatMap(({ files: { checker } }) => (checker.kind === 'command' ? (checker.tools ?? []) : []))
    .map((tool) => `${tool.variable}=${executable(tool.artifact, tool.executable)}`)
    .join('\n');
}

/** The bash functions the checkers call, each followed by a blank line. */
export function checkerFunctions(): string {
  return SYNC_FILE_GROUPS.flatMap(({ files: { checker } }) => (checker.kind === 'command' && checker.functions ? [`${checker.functions}\n\n`] : [])).join('');
}

/** The arms of `validate`: each group's checker, then the groups without one (and `other`) in one arm. */
export function validateArms(): string {
  const checked = SYNC_FILE_GROUPS.flatMap(({ group, files: { checker } }) => (checker.kind === 'command' ? [caseArm(group, checker.bash)] : []));
  const unchecked = groupsWithoutChecker();
  const reasons = unchecked.map((g) => g.reason).join('; ');
  return [...checked, `    ${[...unchecked.map((g) => g.group), 'other'].join(' | ')}) ;; # no checker of their own: ${reasons}`].join('\n');
}

/** The environment variable that overrides a service's reload endpoint in tests. */
export function reloadUrlVariable(unit: string): string {
  return `LGTM_RELOAD_URL_${unit.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The arms of `apply_group`: each running program's reload or restart, then the machinery's own steps. */
export function applyArms(services: readonly HostServiceDescriptor[]): string {
  const reloads = services.map(({ unit, reload }) => {
    const service = q(`${unit}.service`);
    if (reload.kind === 'http') return caseArm(unit, [`reload_http ${service} "\${${reloadUrlVariable(unit)}:-${reload.url}}"`]);
    if (reload.kind === 'signal') return caseArm(unit, [`reload_signal ${service}`]);
    return caseArm(unit, [`restart_unit ${service}`]);
  });
  return [...reloads, ...MACHINERY_FILE_GROUPS.map(({ group, apply }) => caseArm(group, apply))].join('\n');
}

/** awk program ranking the groups to apply: the machinery's in MACHINERY_APPLY_ORDER, then every program's. */
export function applyOrderAwk(): string {
  const ranks = MACHINERY_APPLY_ORDER.map(({ group }, rank) => `$0 == "${group}" { print "${rank} " $0; next }`);
  return `'${[...ranks, `{ print "${MACHINERY_APPLY_ORDER.length} " $0 }`].join(' ')}'`;
}
