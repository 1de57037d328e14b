import { PolicyRule } from "../rule";
import { block, isTrue, resourcesOfType } from "../stack-view";

/** SA-009: every application load balancer writes access logs. */
export const SA009_ACCESS_LOGS: PolicyRule = {
  id: "SA-009",
  name: "Load balancer access logs on",
  rationale: "Without request logs an incident cannot be reconstructed: who called what, when, from where, with what answer.",
  level: "error",
  check(stack) {
    return resourcesOfType(stack, "aws_lb", "aws_alb")
      .filter((lb) => (lb.values.load_balancer_type ?? "application") === "application")
      .filter((lb) => {
        const logs = block(lb.values.access_logs);
        return !(isTrue(logs?.enabled) && typeof logs?.bucket === "string" && logs.bucket !== "");
      })
      .map((resource) => ({ resource, message: "access_logs must be enabled with a bucket (config: accessLogs)" }));
  },
};
