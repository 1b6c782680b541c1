import type { PlatformConfig } from '../lib/config/schema';
import { hostInstanceName } from '../lib/prometheus/scrape-config';
import { SCRAPE_JOBS } from '../lib/contracts/scrape-jobs';
import { forMinutes, quietExcept, severityOf, singleAlertScenario, type Scenario } from './scenario';
import { DATA_FILESYSTEM, worldSeries } from './world';

/** CPU pressure: the host's CPUs are busy halfway between the threshold and 100%, then calm down. */
export function hostCpuScenario(config: PlatformConfig): Scenario {
  const threshold = config.alerting.thresholds.cpuPercent;
  const busy = (threshold + (100 - threshold) / 2) / 100;
  return singleAlertScenario({
    name: 'host-pressure/cpu',
    family: 'host-pressure',
    alertname: 'HostHighCpu',
    labels: { instance: hostInstanceName(config) },
    detect: 5 + forMinutes('HostHighCpu') + 1,
    settle: 6,
    broken: (start, recovery) => `the monitoring host's CPUs are ${round(busy * 100)}% busy (threshold ${threshold}%) from minute ${start} to ${recovery}`,
    input: (minutes, active) => worldSeries(config, minutes, { cpuBusy: (m) => (active(m) ? busy : 0.2) }),
  });
}

/**
 * Disk filling: the data filesystem (just under the prediction's free-space floor) loses space at a pace that fills it in half of
 * `diskFullWithinHours`. HostDiskFillingUp must fire while the disk is still under the HostDiskAlmostFull
 * threshold, which stays quiet.
 */
export function hostDiskScenario(config: PlatformConfig): Scenario {
  const { diskPercent } = config.alerting.thresholds;
  const plan = diskFillPlan(config);
  const minutes = plan.by + 5;
  const usedAtEnd = 100 * (1 - plan.free(minutes - 1));
  return {
    name: 'host-pressure/disk-fill',
    family: 'host-pressure',
    broken: `the data filesystem ${DATA_FILESYSTEM.mountpoint} fills from ${round(100 * (1 - plan.initialFree))}% used at minute ${plan.start}, on course to be full at minute ${plan.fullAt}; ${round(usedAtEnd)}% used at the end (HostDiskAlmostFull threshold ${diskPercent}%)`,
    minutes,
    input: worldSeries(config, minutes, { diskFree: plan.free }),
    mustFire: [
      {
        alertname: 'HostDiskFillingUp',
        labels: { job: SCRAPE_JOBS.node, instance: hostInstanceName(config), ...DATA_FILESYSTEM, severity: severityOf('HostDiskFillingUp') },
        by: plan.by,
      },
    ],
    mustResolve: [],
    mustStayQuiet: usedAtEnd < diskPercent ? quietExcept('HostDiskFillingUp') : quietExcept('HostDiskFillingUp', 'HostDiskAlmostFull'),
  };
}

/**
 * The disk-fill timeline: just under the free-space floor (at most 60% free) until `start` (a short flat history, so that predict_linear's 6h regression
 * soon sees the trend), then a steady loss that would fill the disk in half of `diskFullWithinHours`.
 */
export function diskFillPlan(config: PlatformConfig): { start: number; initialFree: number; fullAt: number; by: number; free: (minute: number) => number } {
  const start = 10;
  // Below the prediction's free-space floor from the start, so the trend alone decides when it fires.
  const initialFree = Math.min(0.6, (config.alerting.thresholds.diskFillingFreePercent * 0.9) / 100);
  const fillMinutes = (config.alerting.thresholds.diskFullWithinHours * 60) / 2;
  const free = (m: number) => (m < start ? initialFree : Math.max(0, initialFree * (1 - (m - start) / fillMinutes)));
  return { start, initialFree, fullAt: start + fillMinutes, by: start + 20 + forMinutes('HostDiskFillingUp'), free };
}

function round(value: number): number {
  return Number(value.toPrecision(3));
}

export function hostPressureScenarios(config: PlatformConfig): Scenario[] {
  return [hostCpuScenario(config), hostDiskScenario(config)];
}
