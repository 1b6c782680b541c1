import { createServer } from 'node:http';
import { appendFileSync } from 'node:fs';
import { startFakeApp } from '../host/helpers/fake-app';

/*
 * The box's local peers, started inside its network namespace by the test (`tsx peers.ts <role> <port> ...`):
 *   app <port> <buckets>      the test app (the fake app of the live tests) on the port the config names, with the
 *                             service's latency buckets (comma-separated);
 *   slack <port> <jsonl>      a fake Slack incoming webhook that appends every POSTed message to <jsonl>;
 *   imds <address>            STAND-IN for EC2's instance metadata service (IMDSv2) on <address>:80: the region, and
 *                             the instance role's credentials, which the local S3/SSM endpoint accepts as any.
 */
function serveImds(address: string, region: string): void {
  const role = 'lgtm-hostbox-instance-role';
  const credentials = () =>
    JSON.stringify({
      Code: 'Success',
      LastUpdated: new Date().toISOString(),
      Type: 'AWS-HMAC',
      AccessKeyId: 'ASIAHOSTBOXISSUE18',
      SecretAccessKey: 'hostbox',
      Token: 'hostbox',
      Expiration: new Date(Date.now() + 6 * 3600e3).toISOString(),
    });
  const document = () => JSON.stringify({ region, availabilityZone: `${region}a`, instanceId: 'i-0hostbox0issue18', accountId: '123456789012' });
  const routes: Record<string, () => string> = {
    '/latest/meta-data/iam/security-credentials/': () => role,
    [`/latest/meta-data/iam/security-credentials/${role}`]: credentials,
    '/latest/meta-data/placement/region': () => region,
    '/latest/meta-data/placement/availability-zone': () => `${region}a`,
    '/latest/meta-data/instance-id': () => 'i-0hostbox0issue18',
    '/latest/dynamic/instance-identity/document': document,
  };
  createServer((req, res) => {
    if (req.method === 'PUT' && req.url === '/latest/api/token') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('hostbox-imds-token');
    const route = routes[req.url ?? ''];
    if (req.method === 'GET' && route) return void res.writeHead(200, { 'content-type': 'text/plain' }).end(route());
    res.writeHead(404).end('not found');
  }).listen(80, address);
}

async function main(): Promise<void> {
  const [role, port, out] = process.argv.slice(2);
  if (role === 'app') {
    await startFakeApp(out.split(',').map(Number), Number(port));
  } else if (role === 'slack') {
    createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        appendFileSync(out, `${JSON.stringify({ at: Date.now(), url: req.url, body })}\n`);
        res.writeHead(200).end('ok');
      });
    }).listen(Number(port), '127.0.0.1');
  } else if (role === 'imds') {
    serveImds(port, out ?? 'us-east-1');
  } else throw new Error(`unknown role ${role}`);
  process.stdout.write(`peers: ${role} listening on 127.0.0.1:${port}\n`);
}

void main();
