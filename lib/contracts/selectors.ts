import { SCRAPE_JOBS } from './scrape-jobs';

/** PromQL matchers that both the alert packs and the dashboards use, so the two always select the same series. */

/** `job="<name>"`. */
export function jobMatcher(job: string): string {
  return `job="${job}"`;
}

/** The node exporter on the monitoring host itself (app servers' node exporters also carry `job="node"`). */
export function monitoringHostSelector(instance: string): string {
  return `${jobMatcher(SCRAPE_JOBS.node)},instance="${instance}"`;
}

/**
 * The filesystems that hold data, as a matcher on node exporter's `node_filesystem_*` series: the Host
 * dashboard's disk panels and the disk and inode alerts watch exactly these. Node exporter (1.12.1) already
 * drops devtmpfs, nsfs, overlay and squashfs by default; tmpfs, ramfs and LXCFS's fuse.lxcfs still arrive.
 */
export const DATA_FILESYSTEM_MATCHER = 'fstype!~"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|fuse.lxcfs"';
