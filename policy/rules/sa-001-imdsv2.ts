import { PolicyRule, Violation } from "../rule";
import { block, resourcesOfType } from "../stack-view";

/** SA-001: instances answer only IMDSv2 (session tokens), and its responses never leave the host. */
export const SA001_IMDSV2: PolicyRule = {
  id: "SA-001",
  name: "IMDSv2 only, hop limit 1",
  rationale: "IMDSv1 hands instance credentials to any SSRF; a hop limit above 1 hands them to containers on the host.",
  level: "error",
  check(stack) {
    const violations: Violation[] = [];
    for (const resource of resourcesOfType(stack, "aws_launch_template", "aws_instance")) {
      const options = block(resource.values.metadata_options);
      if (options?.http_endpoint === "disabled") {
        continue; // no metadata service at all
      }
      if (options?.http_tokens !== "required") {
        violations.push({ resource, message: 'metadata_options.http_tokens must be "required" (IMDSv2 only)' });
      }
      // Unset means the AMI's or account's default, which for Amazon Linux 2023 is 2.
      if (Number(options?.http_put_response_hop_limit) !== 1) {
        violations.push({ resource, message: "metadata_options.http_put_response_hop_limit must be set to 1" });
      }
    }
    return violations;
  },
};
