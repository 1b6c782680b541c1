import type { PlatformConfig } from '../config/schema';
import { hostInstanceName } from '../prometheus/scrape-config';
import { SCRAPE_JOBS } from '../contracts/scrape-jobs';
import { forMinutes, quietExcept, severityOf, singleAlertScenario, type Scenario } from './scenario';
import { DATA_FILESYSTEM, worldSeries } from './world';

/**
 * CPU pressure: the host's CPUs are busy halfway between the warning and the critical threshold, then calm
 * down: a ticket (HostHighCpu), and no page (HostHighCpuCritical stays quiet).
 */
export function hostCpuScenario(config: PlatformConfig): Scenario {
  const { cpuPercent: threshold, cpuCriticalPercent } = config.alerting.thresholds;
  const busy = (threshold + (cpuCriticalPercent - threshold) / 2) / 100;
  return singleAlertScenario({
    name: 'host-pressure/cpu',
    family: 'host-pressure',
    alertname: 'HostHighCpu',
    labels: { instance: hostInstanceName(config) },
    detect: 5 + forMinutes('HostHighCpu', config) + 1,
    settle: 6,
    broken: (start, recovery) => `the monitoring host's CPUs are ${round(busy * 100)}% busy (threshold ${threshold}%) from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { cpuBusy: (m) => (active(m) ? busy : 0.2) }),
  });
}

/** Which tier of the disk-fill prediction a game day drives: the ticket (24 h horizon) or the page (4 h). */
export type DiskFillTier = 'warning' | 'critical';

const DISK_FILL_ALERT: Record<DiskFillTier, string> = { warning: 'HostDiskFillingUp', critical: 'HostDiskFillingUpCritical' };

/**
 * Disk filling: the data filesystem (just under the tier's free-space floor) loses space at a pace that fills it
 * in half of the tier's horizon. The tier's prediction alert must fire before the disk is full. The slow fill
 * (warning) stays under the HostDiskAlmostFull threshold, so that alert stays quiet; the fast fill starts under
 * 20% free, so the almost-full alerts may fire beside the page.
 */
export function hostDiskScenario(config: PlatformConfig, tier: DiskFillTier = 'warning'): Scenario {
  const { diskPercent } = config.alerting.thresholds;
  const plan = diskFillPlan(config, tier);
  const minutes = plan.by + 5;
  const usedAtEnd = 100 * (1 - plan.free(minutes - 1));
  const alertname = DISK_FILL_ALERT[tier];
  const mayAlsoFire =
    tier === 'critical' ? ['HostDiskFillingUp', 'HostDiskAlmostFull', 'HostDiskAlmostFullCritical'] : usedAtEnd < diskPercent ? [] : ['HostDiskAlmostFull'];
  return {
    name: tier === 'warning' ? 'host-pressure/disk-fill' : 'host-pressure/disk-fill-fast',
    family: 'host-pressure',
    broken: `the data filesystem ${DATA_FILESYSTEM.mountpoint} fills from ${round(100 * (1 - plan.initialFree))}% used at minute ${plan.start}, on course to be full at minute ${plan.fullAt}; ${round(usedAtEnd)}% used at the end (HostDiskAlmostFull threshold ${diskPercent}%)`,
    minutes,
    input: worldSeries(config, minutes, { diskFree: plan.free }),
    mustFire: [
      {
        alertname,
        labels: { job: SCRAPE_JOBS.node, instance: hostInstanceName(config), ...DATA_FILESYSTEM, severity: severityOf(alertname) },
        by: plan.by,
      },
    ],
    mustResolve: [],
    mustStayQuiet: quietExcept(alertname, ...mayAlsoFire),
  };
}

/**
 * The disk-fill timeline of a tier: just under its free-space floor (at most 60% free) until `start` (a short
 * flat history, so that predict_linear's 6h regression soon sees the trend), then a steady loss that would fill
 * the disk in half of its horizon.
 */
export function diskFillPlan(
  config: PlatformConfig,
  tier: DiskFillTier = 'warning',
): { start: number; initialFree: number; fullAt: number; by: number; free: (minute: number) => number } {
  const t = config.alerting.thresholds;
  const [floorPercent, horizonHours] =
    tier === 'warning' ? [t.diskFillingFreePercent, t.diskFullWithinHours] : [t.diskFillingCriticalFreePercent, t.diskFullCriticalWithinHours];
  const start = 10;
  // Below the prediction's free-space floor from the start, so the trend alone decides when it fires.
  const initialFree = Math.min(0.6, (floorPercent * 0.9) / 100);
  const fillMinutes = (horizonHours * 60) / 2;
  const free = (m: number) => (m < start ? initialFree : Math.max(0, initialFree * (1 - (m - start) / fillMinutes)));
  return { start, initialFree, fullAt: start + fillMinutes, by: start + 20 + forMinutes(DISK_FILL_ALERT[tier], config), free };
}

/** The platform unit made to crash-loop: Loki (a restart loses its unflushed chunks, so it matters). */
export const CRASH_LOOPING_UNIT = 'loki.service';

/**
 * A crash-looping unit: Loki dies about a minute after each start, so systemd restarts it once a minute, slowly
 * enough to stay under its start limit (it never reaches the failed state). HostUnitCrashLooping must fire,
 * then resolve once the unit stays up; HostUnitFailed stays quiet.
 */
export function unitCrashLoopScenario(config: PlatformConfig): Scenario {
  return singleAlertScenario({
    name: 'host-pressure/unit-crash-loop',
    family: 'host-pressure',
    alertname: 'HostUnitCrashLooping',
    labels: { job: SCRAPE_JOBS.node, instance: hostInstanceName(config), name: CRASH_LOOPING_UNIT },
    // the 5-minute increase passes 2 restarts after 3 minutes, then `for`
    detect: 3 + forMinutes('HostUnitCrashLooping', config) + 2,
    settle: 6,
    broken: (start, recovery) => `${CRASH_LOOPING_UNIT} on the monitoring host is restarted by systemd every minute from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { unitRestarts: { unit: CRASH_LOOPING_UNIT, perMinute: (m) => (active(m) ? 1 : 0) } }),
  });
}

function round(value: number): number {
  return Number(value.toPrecision(3));
}

export function hostPressureScenarios(config: PlatformConfig): Scenario[] {
  return [hostCpuScenario(config), hostDiskScenario(config), hostDiskScenario(config, 'critical'), unitCrashLoopScenario(config)];
}
