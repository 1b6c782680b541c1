import { quote } from '../elements';
import { readableStatements, statementName } from '../iam-statements';
import type { Finding, PolicyRule } from '../types';

const PARAMETER_READS = ['ssm:getparameter', 'ssm:getparameters', 'ssm:getparametersbypath', 'ssm:getparameterhistory'];

/** Whether an action pattern (`ssm:Get*`, `*`) allows reading parameter values. */
function readsParameters(action: string): boolean {
  const pattern = new RegExp(
    `^${action
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return PARAMETER_READS.some((read) => pattern.test(read));
}

/** The host reads exactly the SSM parameters the config names: no wildcards, no paths. */
export const iamSsmParametersScoped: PolicyRule = {
  id: 'LGTM-IAM-SSM-PARAMETERS-SCOPED',
  rationale: 'The host may read exactly the SSM parameters the config names, never a path or pattern of other secrets.',
  checkov: [],
  tfsec: [],
  check: (element, stack) => {
    const findings: Finding[] = [];
    for (const s of readableStatements(element, stack)) {
      if (s.effect !== 'Allow' || s.principals.length > 0) continue;
      const reads = s.actions.filter(readsParameters);
      if (reads.length === 0) continue;
      const fix = 'grant ssm:GetParameter(s) on arn:...:parameter/<name> for each named parameter (HostRole does, from hostSecretParameters)';
      for (const action of reads)
        if (/bypath/i.test(action) || action.includes('*')) findings.push({ found: `${statementName(s)} allows ${quote(action)}`, fix });
      for (const resource of s.resources) {
        const name = /:parameter(\/.*)?$/.exec(resource)?.[1];
        if (!name || /[*?]/.test(name.replace(/\$\{[^}]*\}/g, ''))) findings.push({ found: `${statementName(s)} reads parameters on ${quote(resource)}`, fix });
      }
    }
    return findings;
  },
};
