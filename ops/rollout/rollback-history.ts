/**
 * Which images an Auto Scaling group's recent instance refreshes rolled back, read from
 * DescribeAutoScalingGroups, DescribeInstanceRefreshes and DescribeLaunchTemplateVersions.
 * `npm run review` uses it to flag a plan that deploys such an image again, or leaves the
 * group on a configuration that names it.
 *
 * The judgement (`groupHistoryFrom`) is a pure function of the describe output, so it is
 * unit-tested on output recorded from the emulator (scripts/record-rollback-fixtures.mjs).
 */
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeInstanceRefreshesCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeLaunchTemplateVersionsCommand, EC2Client, type LaunchTemplateVersion } from "@aws-sdk/client-ec2";

/** The describe output the judgement reads (the SDK's shapes; dates as Date or ISO text). */
export interface GroupDescribeOutput {
  readonly describeAutoScalingGroups: {
    readonly AutoScalingGroups?: ReadonlyArray<{
      readonly AutoScalingGroupName?: string;
      readonly LaunchTemplate?: { readonly LaunchTemplateId?: string; readonly Version?: string };
      readonly Instances?: ReadonlyArray<{ readonly LaunchTemplate?: { readonly Version?: string } }>;
    }>;
  };
  readonly describeInstanceRefreshes: {
    readonly InstanceRefreshes?: ReadonlyArray<{
      readonly InstanceRefreshId?: string;
      readonly Status?: string;
      readonly StatusReason?: string;
      readonly StartTime?: Date | string;
      readonly EndTime?: Date | string;
      readonly DesiredConfiguration?: { readonly LaunchTemplate?: { readonly LaunchTemplateId?: string; readonly Version?: string } };
      readonly RollbackDetails?: { readonly RollbackReason?: string };
    }>;
  };
  readonly describeLaunchTemplateVersions: {
    readonly LaunchTemplateVersions?: ReadonlyArray<{
      readonly LaunchTemplateId?: string;
      readonly VersionNumber?: number;
      readonly LaunchTemplateData?: { readonly ImageId?: string };
    }>;
  };
}

/** An instance refresh that was rolled back, and the image it was deploying. */
export interface RolledBackImage {
  readonly imageId: string;
  readonly refreshId: string;
  /** RollbackSuccessful or RollbackFailed. */
  readonly status: string;
  /** When the refresh ended (ISO 8601), when known. */
  readonly endTime?: string;
  /** RollbackDetails.RollbackReason, else StatusReason. */
  readonly reason?: string;
  readonly launchTemplateId: string;
  /** The launch template version the refresh was deploying. */
  readonly version: string;
}

export interface GroupHistory {
  readonly groupName: string;
  /** What the group names now (its launch template version, that version's image). */
  readonly group: { readonly launchTemplateId?: string; readonly version?: string; readonly imageId?: string };
  /** Instances per launch template version. */
  readonly instancesByVersion: Readonly<Record<string, number>>;
  /**
   * Images rolled back by a recent refresh and not deployed successfully by a later one,
   * newest first, one entry per image.
   */
  readonly rolledBack: readonly RolledBackImage[];
  /**
   * The image to deploy instead: the newest launch template version older than the
   * newest rolled-back one whose image was never rolled back.
   */
  readonly previous?: { readonly imageId: string; readonly source: string };
}

const ROLLED_BACK = ["RollbackSuccessful", "RollbackFailed"];

function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * The image an environment ran before launch template version `version`: the newest older
 * version of the same template whose image is none of `badImages`. The template's history is
 * what this environment really deployed; a manifest is shared by every environment and may hold
 * builds that never ran here, so `rollout watch` and `npm run review` both answer from this.
 */
export function imageBefore(
  versions: readonly LaunchTemplateVersion[],
  launchTemplateId: string,
  version: string,
  badImages: ReadonlySet<string>,
): { readonly imageId: string; readonly source: string } | undefined {
  const older = versions
    .filter((v) => v.LaunchTemplateId === launchTemplateId && (v.VersionNumber ?? 0) < Number(version) && v.LaunchTemplateData?.ImageId && !badImages.has(v.LaunchTemplateData.ImageId))
    .sort((a, b) => (b.VersionNumber ?? 0) - (a.VersionNumber ?? 0))[0];
  return older ? { imageId: older.LaunchTemplateData!.ImageId!, source: `launch template ${launchTemplateId} version ${older.VersionNumber}` } : undefined;
}

/** The judgement: which images were rolled back, what the group names, what to set instead. */
export function groupHistoryFrom(groupName: string, aws: GroupDescribeOutput): GroupHistory {
  const groupDescription = (aws.describeAutoScalingGroups.AutoScalingGroups ?? []).find((g) => g.AutoScalingGroupName === groupName);
  const versions = aws.describeLaunchTemplateVersions.LaunchTemplateVersions ?? [];
  const imageOf = (templateId: string | undefined, version: string | undefined): string | undefined =>
    versions.find((v) => (templateId === undefined || v.LaunchTemplateId === templateId) && String(v.VersionNumber) === version)?.LaunchTemplateData?.ImageId;

  // AWS lists refreshes newest first; sorted here anyway so the order never depends on it.
  const refreshes = [...(aws.describeInstanceRefreshes.InstanceRefreshes ?? [])].sort(
    (a, b) => (iso(b.StartTime) ?? "").localeCompare(iso(a.StartTime) ?? ""),
  );
  const deployedLater = new Set<string>();
  const rolledBack: RolledBackImage[] = [];
  for (const refresh of refreshes) {
    const spec = refresh.DesiredConfiguration?.LaunchTemplate;
    const templateId = spec?.LaunchTemplateId ?? groupDescription?.LaunchTemplate?.LaunchTemplateId;
    const imageId = imageOf(templateId, spec?.Version);
    if (!imageId || !templateId || !spec?.Version) continue;
    if (refresh.Status === "Successful") {
      deployedLater.add(imageId);
    } else if (ROLLED_BACK.includes(refresh.Status ?? "") && !deployedLater.has(imageId) && !rolledBack.some((r) => r.imageId === imageId)) {
      rolledBack.push({
        imageId,
        refreshId: refresh.InstanceRefreshId ?? "?",
        status: refresh.Status!,
        endTime: iso(refresh.EndTime),
        reason: refresh.RollbackDetails?.RollbackReason ?? refresh.StatusReason,
        launchTemplateId: templateId,
        version: spec.Version,
      });
    }
  }

  const instancesByVersion: Record<string, number> = {};
  for (const instance of groupDescription?.Instances ?? []) {
    const version = instance.LaunchTemplate?.Version ?? "?";
    instancesByVersion[version] = (instancesByVersion[version] ?? 0) + 1;
  }
  const groupTemplate = groupDescription?.LaunchTemplate;
  const newest = rolledBack[0];
  const previous = newest
    ? imageBefore(versions, newest.launchTemplateId, newest.version, new Set(rolledBack.map((r) => r.imageId)))
    : undefined;
  return {
    groupName,
    group: { launchTemplateId: groupTemplate?.LaunchTemplateId, version: groupTemplate?.Version, imageId: imageOf(groupTemplate?.LaunchTemplateId, groupTemplate?.Version) },
    instancesByVersion,
    rolledBack,
    previous,
  };
}

export interface HistoryClients {
  readonly autoscaling: AutoScalingClient;
  readonly ec2: EC2Client;
}

/**
 * Reads the describe output for one group (undefined when the group does not exist).
 * The launch template's versions are read in pages, at most 1,000 of them.
 */
export async function describeGroup(clients: HistoryClients, groupName: string): Promise<GroupDescribeOutput | undefined> {
  const groups = await clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
  const group = groups.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === groupName);
  if (!group) return undefined;
  const refreshes = await clients.autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: groupName, MaxRecords: 100 }));
  const templateIds = new Set<string>();
  if (group.LaunchTemplate?.LaunchTemplateId) templateIds.add(group.LaunchTemplate.LaunchTemplateId);
  for (const refresh of refreshes.InstanceRefreshes ?? []) {
    const id = refresh.DesiredConfiguration?.LaunchTemplate?.LaunchTemplateId;
    if (id) templateIds.add(id);
  }
  const versions: NonNullable<GroupDescribeOutput["describeLaunchTemplateVersions"]["LaunchTemplateVersions"]>[number][] = [];
  for (const templateId of templateIds) {
    let token: string | undefined;
    for (let page = 0; page < 5; page++) {
      const out = await clients.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, MaxResults: 200, NextToken: token }));
      versions.push(...(out.LaunchTemplateVersions ?? []));
      token = out.NextToken;
      if (!token) break;
    }
  }
  return {
    describeAutoScalingGroups: { AutoScalingGroups: [group] },
    describeInstanceRefreshes: { InstanceRefreshes: refreshes.InstanceRefreshes ?? [] },
    describeLaunchTemplateVersions: { LaunchTemplateVersions: versions },
  };
}
