import type { PlatformModel } from '../model/compile';
import type { HostContext, HostFile } from '../shared/host-file';
import { renderInstallScript } from './install-script';
import { renderSyncFiles } from './config-sync';
import { renderSecretsScript } from './secrets';
import { renderSystemdUnits } from './systemd-units';
import { PATHS } from '../shared/host-paths';

/** The host runtime: install, sync and secrets scripts, and every systemd unit. */
export function renderHostRuntimeFiles(model: PlatformModel, context: HostContext): HostFile[] {
  void context;
  const { config } = model;
  return [
    { path: PATHS.installScript, content: renderInstallScript(model), mode: '0755' },
    { path: PATHS.secretsScript, content: renderSecretsScript(config), mode: '0755' },
    ...renderSyncFiles(config),
    ...renderSystemdUnits(config),
  ];
}
