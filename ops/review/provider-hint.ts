import * as fs from "fs";
import * as path from "path";
import { TOOLCHAIN } from "../../config/toolchain";

/** What tofu / terraform print when they cannot obtain a provider package. */
const UNAVAILABLE = /no available releases match|could not connect to|Failed to query available provider packages|Could not retrieve the list of available versions/i;

/**
 * After a failed `init`: when the engine could not obtain the pinned provider, what the stack
 * pins, what this machine's toolchain has, and where the plan can be made instead. Empty for
 * any other failure.
 */
export function providerUnavailableHint(engineOutput: string, stackDir: string, environment: string): string {
  if (!UNAVAILABLE.test(engineOutput)) return "";
  let pinned = "its AWS provider";
  try {
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const aws = json.terraform?.required_providers?.aws;
    if (aws?.source) pinned = `${aws.source} ${aws.version ?? "(any version)"}`;
  } catch {
    // The engine's own message stands on its own.
  }
  const local = TOOLCHAIN.awsProvider.version;
  return (
    `\nThe stack pins ${pinned}, which the engine could not obtain here. Without registry access only the ` +
    `local provider mirror (npm run toolchain) is available, and it holds ${local}. Review this environment ` +
    `where the registry is reachable (the review workflow does), or try a plan with the local build, which is ` +
    `not the provider the environment runs: SAMPLE_APP_AWS_PROVIDER_VERSION=${local} npm run review -- ${environment}`
  );
}
