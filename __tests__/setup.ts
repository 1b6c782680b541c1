import { Testing } from 'cdktf';
import { releaseReservedPorts } from '../bench/processes';

// Adds cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, ...) to expect.
Testing.setupJest();

// The ports a test file reserved for its daemons (bench/processes.ts) are free for others once it is done.
afterAll(releaseReservedPorts);
