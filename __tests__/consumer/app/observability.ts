import { Construct } from "constructs";
import { ObservabilityPlatform, loadPlatformConfig } from "lgtm-platform";

/** The consumer's own construct: the platform is one piece of its app. */
export class Observability extends Construct {
  readonly platform: ObservabilityPlatform;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.platform = new ObservabilityPlatform(this, "platform", {
      config: loadPlatformConfig("platform.yaml"),
      configFile: "platform.yaml",
    });
  }
}
