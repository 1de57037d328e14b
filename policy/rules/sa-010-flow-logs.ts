import { PolicyRule } from "../rule";
import { refersTo, resourcesOfType } from "../stack-view";

/** SA-010: every VPC the stack creates records flow logs. */
export const SA010_FLOW_LOGS: PolicyRule = {
  id: "SA-010",
  name: "VPC flow logs on",
  rationale: "Flow logs are the only record of which hosts talked to which, needed to scope any network incident.",
  level: "error",
  check(stack) {
    const flowLogs = resourcesOfType(stack, "aws_flow_log");
    return resourcesOfType(stack, "aws_vpc")
      .filter((vpc) => !flowLogs.some((flowLog) => refersTo(flowLog.values.vpc_id, vpc)))
      .map((resource) => ({ resource, message: "no aws_flow_log records this VPC's traffic (config: flowLogs)" }));
  },
};
