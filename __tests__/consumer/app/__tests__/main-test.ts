import "cdktf/lib/testing/adapters/jest"; // Load types for expect matchers
import { createHash } from "crypto";
import { Testing } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { S3Object } from "@cdktf/provider-aws/lib/s3-object";
import { Observability } from "../observability";

describe("the platform in a consumer's app", () => {
  const app = Testing.app();
  const { platform } = new Observability(app, "observability");
  const infra = Testing.synth(platform.infra);
  const grafana = Testing.synth(platform.grafana);

  it("has a monitoring host of the default size", () => {
    expect(infra).toHaveResourceWithProperties(Instance, { instance_type: "t3.large" });
  });

  it("embeds the DORA exporter bundle the library was built with, byte for byte", () => {
    const objects = JSON.parse(infra).resource[S3Object.tfResourceType] as Record<string, { key: string; content: string }>;
    const program = Object.values(objects).find((object) => object.key.endsWith("/opt/dora-exporter/dora-exporter.js"));
    expect(program).toBeDefined();
    const bytes = program!.content.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(process.env.LGTM_EXPECTED_DORA_SHA256);
  });

  it("synthesizes the Grafana stack's folders, data sources and dashboards as when the snapshot was taken", () => {
    // What the app wires to and sees in Grafana (names, uids, folders); panels and settings are the library's.
    const resources = JSON.parse(grafana).resource as Record<string, Record<string, Record<string, unknown>>>;
    const summary = (type: string, pick: (resource: Record<string, unknown>) => unknown) =>
      Object.fromEntries(Object.entries(resources[type]).map(([name, resource]) => [name, pick(resource)]));
    expect({
      folders: summary("grafana_folder", ({ uid, title }) => ({ uid, title })),
      dataSources: summary("grafana_data_source", ({ uid, type, name }) => ({ uid, type, name })),
      dashboards: summary("grafana_dashboard", ({ config_json, folder }) => ({ title: JSON.parse(String(config_json)).title, folder })),
    }).toMatchSnapshot();
  });
});
