import { PORTS } from './ports';

/**
 * How operators reach the programs that listen on the host's loopback only (Prometheus, Alertmanager): an SSM
 * port-forwarding session maps the host's port to the same port on the operator's machine, so the links those
 * programs put in notifications (Alertmanager's silence links, Prometheus' alert source links) are rendered for
 * that local end and open through the session. Grafana's data sources reach both on the host itself, so
 * Explore and Grafana's Alerting pages need no session at all (docs/operator-access.md).
 */
export const OPERATOR_REACHED = {
  prometheus: PORTS.prometheus,
  alertmanager: PORTS.alertmanager,
} as const;

export type OperatorReached = keyof typeof OPERATOR_REACHED;

/** The URL a program is known by on the operator's machine once its port is forwarded there. */
export function operatorUrl(port: number): string {
  return `http://localhost:${port}`;
}

/** The `aws ssm start-session` command that forwards `port` of the host to the same local port. */
export function portForwardCommand(instanceId: string, port: number): string {
  return `aws ssm start-session --target ${instanceId} --document-name AWS-StartPortForwardingSession --parameters portNumber=${port},localPortNumber=${port}`;
}
