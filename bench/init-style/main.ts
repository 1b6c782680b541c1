// The same platform written the way the stock `cdktf init --template=typescript` app is: the provider imported
// as a namespace from the package root and the app run by a type-checking ts-node. Used only by `npm run bench`
// as the baseline that the project's own app is measured against.
import * as aws from '@cdktf/provider-aws';
import { App } from 'cdktf';
import { loadPlatformConfig } from '../../lib/config/loader';
import { ObservabilityPlatform } from '../../lib/platform';

const app = new App();
const config = loadPlatformConfig(process.env.PLATFORM_CONFIG ?? 'config/platform.yaml');
new ObservabilityPlatform(app, 'platform', { config });
// The template touches the namespace (e.g. `new aws.provider.AwsProvider(...)`), which loads every binding.
void Object.keys(aws).length;
app.synth();
