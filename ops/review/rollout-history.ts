/**
 * Reads, for each existing Auto Scaling group in a plan, its recent instance refreshes from
 * AWS (or the emulator) and returns the checks that judge the plan against them
 * (ops/review/rollback-check.ts). Kept apart from the pure check so that is unit-tested on
 * recorded output.
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { loadEnvironment } from "../../config/load";
import { describeGroup, groupHistoryFrom, GroupHistory } from "../rollout/rollback-history";
import { awsTargetFor, clientConfig } from "../shared/stack-outputs";
import type { PlanJson } from "./plan";
import type { ReviewCheck } from "./report";
import { ROLLED_BACK_IMAGE, rolledBackImageCheck } from "./rollback-check";

/** Names of the groups that exist already (the plan's prior values). */
export function existingGroups(plan: unknown): string[] {
  const changes = (plan as PlanJson).resource_changes ?? [];
  return changes
    .filter((rc) => rc.mode === "managed" && rc.type === "aws_autoscaling_group" && typeof rc.change.before?.name === "string")
    .map((rc) => rc.change.before!.name as string);
}

export async function rolloutHistoryChecks(plan: unknown, environmentName: string): Promise<ReviewCheck[]> {
  const groups = existingGroups(plan);
  if (groups.length === 0) return [];
  try {
    // The pinned SDK warns on Node 20 about future releases; it supports Node 20 (see scripts/ops.mjs).
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const config = clientConfig(awsTargetFor(loadEnvironment(environmentName)));
    const clients = { autoscaling: new AutoScalingClient({ ...config, maxAttempts: 3 }), ec2: new EC2Client({ ...config, maxAttempts: 3 }) };
    const histories: GroupHistory[] = [];
    for (const group of groups) {
      const described = await describeGroup(clients, group);
      if (described) histories.push(groupHistoryFrom(group, described));
    }
    return [rolledBackImageCheck(histories, environmentName)];
  } catch (error) {
    const name = (error as { name?: string }).name;
    const reason = `${name && name !== "Error" ? `${name}: ` : ""}${(error as Error).message}`;
    return [
      () => [
        {
          id: ROLLED_BACK_IMAGE,
          severity: "warning",
          message:
            `could not read the instance refreshes of ${groups.join(", ")} (${reason}), so this review cannot tell whether the plan deploys an image a refresh just rolled back. ` +
            "Check npm run rollout -- watch before applying; the review needs autoscaling:DescribeAutoScalingGroups, autoscaling:DescribeInstanceRefreshes and ec2:DescribeLaunchTemplateVersions.",
        },
      ],
    ];
  }
}
