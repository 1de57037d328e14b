import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TOOLCHAIN } from "../../../config/toolchain";
import { providerUnavailableHint } from "../../../ops/review/provider-hint";

// What tofu 1.10 prints when the pinned version is neither in the mirror nor reachable.
const NOT_IN_MIRROR = `Error: Failed to resolve provider packages

Could not resolve provider hashicorp/aws: no available releases match the
given constraints 6.25.0`;

describe("providerUnavailableHint", () => {
  const stackDir = fs.mkdtempSync(path.join(os.tmpdir(), "hint-"));
  fs.writeFileSync(
    path.join(stackDir, "cdk.tf.json"),
    JSON.stringify({ terraform: { required_providers: { aws: { source: "registry.opentofu.org/hashicorp/aws", version: "6.25.0" } } } }),
  );

  it("names the pin, what the local mirror holds, and where to plan instead", () => {
    const hint = providerUnavailableHint(NOT_IN_MIRROR, stackDir, "dev");
    expect(hint).toContain("The stack pins registry.opentofu.org/hashicorp/aws 6.25.0, which the engine could not obtain here.");
    expect(hint).toContain(`the local provider mirror (npm run toolchain) is available, and it holds ${TOOLCHAIN.awsProvider.version}.`);
    expect(hint).toContain("where the registry is reachable (the review workflow does)");
    expect(hint).toContain(`SAMPLE_APP_AWS_PROVIDER_VERSION=${TOOLCHAIN.awsProvider.version} npm run review -- dev`);
  });

  it("also for an unreachable registry", () => {
    expect(providerUnavailableHint("- registry.opentofu.org/hashicorp/aws: could not connect to registry.opentofu.org: ...", stackDir, "prod")).toContain("npm run review -- prod");
  });

  it("adds nothing to other init failures", () => {
    expect(providerUnavailableHint("Error: Backend initialization required", stackDir, "dev")).toBe("");
    expect(providerUnavailableHint("Error: Failed to install provider\n\n... doesn't match any of the checksums previously recorded", stackDir, "dev")).toBe("");
  });

  it("still helps when the synthesized JSON cannot be read", () => {
    expect(providerUnavailableHint(NOT_IN_MIRROR, path.join(stackDir, "missing"), "dev")).toContain("The stack pins its AWS provider, which");
  });
});
