// A consumer that uses only plain node: no TypeScript, no ts-node, no jest.
const assert = require("assert");
const { mkdtempSync, readdirSync, rmSync } = require("fs");
const { tmpdir } = require("os");
const { join } = require("path");
const { App } = require("cdktf");
const lgtm = require("lgtm-platform");

for (const name of ["ObservabilityPlatform", "loadPlatformConfig", "validatePlatformConfig", "renderHostFiles", "ALERT_CATALOG"]) {
  assert.ok(lgtm[name], `lgtm-platform exports ${name}`);
}
const outdir = mkdtempSync(join(tmpdir(), "lgtm-consumer-"));
try {
  const app = new App({ outdir });
  new lgtm.ObservabilityPlatform(app, "platform", { config: lgtm.loadPlatformConfig("platform.yaml"), configFile: "platform.yaml" });
  app.synth();
  const stacks = readdirSync(join(outdir, "stacks")).sort();
  assert.deepStrictEqual(stacks, ["shop-grafana", "shop-infra"]);
  console.log(`plain node synthesized ${stacks.join(", ")}`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
