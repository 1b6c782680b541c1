import type { PolicyRule } from '../types';
import { ec2DetailedMonitoring } from './ec2-detailed-monitoring';
import { ec2EbsEncrypted } from './ec2-ebs-encrypted';
import { ec2Imdsv2 } from './ec2-imdsv2';
import { ec2NoPublicAdminPorts } from './ec2-no-public-admin-ports';
import { ec2TerminationProtection } from './ec2-termination-protection';
import { grafanaAdminPassword } from './grafana-admin-password';
import { grafanaDatasourceCredentials } from './grafana-datasource-credentials';
import { grafanaNoAnonymous } from './grafana-no-anonymous';
import { grafanaNoSignUp } from './grafana-no-sign-up';
import { grafanaRootUrl } from './grafana-root-url';
import { grafanaSecureCookies } from './grafana-secure-cookies';
import { iamNoWildcardActions } from './iam-no-wildcard-actions';
import { iamNoWildcardResources } from './iam-no-wildcard-resources';
import { iamSsmParametersScoped } from './iam-ssm-parameters-scoped';
import { iamTrustNoWildcardPrincipal } from './iam-trust-no-wildcard-principal';
import { lbDeletionProtection } from './lb-deletion-protection';
import { s3Encryption } from './s3-encryption';
import { s3OwnerEnforced } from './s3-owner-enforced';
import { s3PublicAccessBlock } from './s3-public-access-block';
import { s3TlsOnly } from './s3-tls-only';
import { s3Versioning } from './s3-versioning';
import { secretsNoLiterals } from './secrets-no-literals';
import { sgNoWorldIngress } from './sg-no-world-ingress';
import { sgRuleDescription } from './sg-rule-description';

/** Every policy rule, in the order of the docs table. Each applies to every stack at synth. */
export const POLICY_RULES: readonly PolicyRule[] = [
  ec2Imdsv2,
  ec2EbsEncrypted,
  ec2NoPublicAdminPorts,
  ec2DetailedMonitoring,
  ec2TerminationProtection,
  sgNoWorldIngress,
  sgRuleDescription,
  lbDeletionProtection,
  s3Versioning,
  s3Encryption,
  s3PublicAccessBlock,
  s3OwnerEnforced,
  s3TlsOnly,
  iamNoWildcardActions,
  iamNoWildcardResources,
  iamSsmParametersScoped,
  iamTrustNoWildcardPrincipal,
  secretsNoLiterals,
  grafanaAdminPassword,
  grafanaNoAnonymous,
  grafanaNoSignUp,
  grafanaSecureCookies,
  grafanaRootUrl,
  grafanaDatasourceCredentials,
];

export function policyRule(id: string): PolicyRule | undefined {
  return POLICY_RULES.find((rule) => rule.id === id);
}
