import type { PlatformModel } from '../model/compile';
import type { HostFile } from '../shared/host-file';
import { renderAgentOtelcolConfig } from './agent-otelcol';
import { agentServiceSpecs, renderAgentUnit } from './agent-units';
import { renderAgentInstallScript } from './install-script';
import { AGENT_PATHS } from './paths';
import { renderAgentSsmDocument } from './ssm-document';

/** Where `npm run render` puts an environment's agent files: `agents/<service>-<environment>/` + app server path. */
export function agentRenderRoot(id: string): string {
  return `/agents/${id}`;
}

/**
 * What each environment's app servers receive, in their own layout under `agents/<service>-<environment>/`,
 * plus the SSM document that carries it, for review: in Terraform the install script travels base64-encoded
 * inside the document, which no reviewer reads.
 */
export function renderAgentFiles(model: PlatformModel): HostFile[] {
  const { config } = model;
  return model.agents.flatMap((target) => {
    const root = agentRenderRoot(target.id);
    return [
      { path: `${root}/ssm-document.json`, content: renderAgentSsmDocument(model, target) },
      { path: `${root}${AGENT_PATHS.installScript}`, content: renderAgentInstallScript(model, target), mode: '0755' },
      { path: `${root}${AGENT_PATHS.otelcolConfig}`, content: renderAgentOtelcolConfig(config, target) },
      ...agentServiceSpecs(target, model.artifacts.table).map((spec) => ({
        path: `${root}${AGENT_PATHS.systemdDir}/${spec.unit}.service`,
        content: renderAgentUnit(spec),
      })),
    ];
  });
}
