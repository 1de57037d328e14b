import { PolicyRule } from "../rule";
import { coversPort, securityGroupRules } from "../security-group-rules";

/** SA-003: nothing opens port 22; shell access goes through SSM Session Manager. */
export const SA003_NO_SSH: PolicyRule = {
  id: "SA-003",
  name: "No SSH ingress",
  rationale: "SSH keys are long-lived shared secrets and port 22 an attack surface; Session Manager gives audited access without either.",
  level: "error",
  check(stack) {
    return securityGroupRules(stack)
      .filter((rule) => rule.direction === "ingress" && coversPort(rule, 22))
      .map((rule) => ({
        resource: rule.resource,
        message: `ingress ${rule.protocol === "-1" ? "of all traffic" : `on ports ${rule.fromPort}-${rule.toPort}`} includes port 22 (SSH); use SSM Session Manager`,
      }));
  },
};
