/**
 * What npm run rollout does once its command line is read (ops/rollout/main.ts): find the
 * environment's group from its applied state and watch, cancel or roll back its newest instance
 * refresh. Loaded only then, because the AWS SDK takes about a second to load and --help or a
 * mistyped flag should answer at once.
 */
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline";
import {
  AutoScalingClient,
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  InstanceRefresh,
  RollbackInstanceRefreshCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLaunchTemplateVersionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DEFAULT_MANIFEST_PATH, loadEnvironment } from "../../config/load";
import { ConfigError } from "../../config/validate";
import type { ResolvedEnvironment } from "../../config/types";
import { appImagesForRegion } from "../../modules/image/packer-manifest";
import { imageBefore } from "./rollback-history";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import {
  EXIT,
  FORWARD_STATUSES,
  RefreshView,
  RollbackFacts,
  formatBar,
  formatEnd,
  formatLine,
  outcomeOf,
  rollbackAdvice,
} from "./refresh-report";
import { OperatorError, StackOutputs, awsTargetFor, clientConfig, readStackOutputs } from "../shared/stack-outputs";
import { PROJECT } from "../../config/environments";
import type { Options } from "./main";
import { UsageError } from "../shared/args";

function viewOf(refresh: InstanceRefresh): RefreshView {
  return {
    id: refresh.InstanceRefreshId ?? "?",
    status: refresh.Status ?? "?",
    percentageComplete: refresh.PercentageComplete ?? 0,
    instancesToUpdate: refresh.InstancesToUpdate ?? 0,
    statusReason: refresh.StatusReason,
    startTime: refresh.StartTime ?? new Date(),
    endTime: refresh.EndTime,
    rollback: refresh.RollbackDetails
      ? {
          reason: refresh.RollbackDetails.RollbackReason,
          startTime: refresh.RollbackDetails.RollbackStartTime,
          percentageCompleteOnRollback: refresh.RollbackDetails.PercentageCompleteOnRollback,
          instancesToUpdateOnRollback: refresh.RollbackDetails.InstancesToUpdateOnRollback,
        }
      : undefined,
  };
}

class Session {
  readonly autoscaling: AutoScalingClient;
  readonly ec2: EC2Client;
  readonly cloudwatch: CloudWatchClient;

  constructor(
    readonly environment: ResolvedEnvironment,
    readonly stackId: string,
    readonly outputs: StackOutputs,
  ) {
    const config = clientConfig(awsTargetFor(environment));
    this.autoscaling = new AutoScalingClient(config);
    this.ec2 = new EC2Client(config);
    this.cloudwatch = new CloudWatchClient(config);
  }

  get groupName(): string {
    return this.outputs.asg_name;
  }

  async newestRefresh(): Promise<InstanceRefresh | undefined> {
    const { InstanceRefreshes = [] } = await this.autoscaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: this.groupName, MaxRecords: 1 }),
    );
    return InstanceRefreshes[0];
  }

  async imageOf(templateId: string, version: string): Promise<string | undefined> {
    const { LaunchTemplateVersions = [] } = await this.ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [version] }),
    );
    return LaunchTemplateVersions[0]?.LaunchTemplateData?.ImageId;
  }

  async alarmsInAlarm(): Promise<string[]> {
    const names = (this.outputs.rollout_alarm_names ?? "").split(",").filter(Boolean);
    if (names.length === 0) return [];
    const { MetricAlarms = [] } = await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names }));
    return MetricAlarms.filter((alarm) => alarm.StateValue === "ALARM").map((alarm) => alarm.AlarmName ?? "?");
  }

  /** Facts for the advice after an unsuccessful refresh. */
  async rollbackFacts(refresh: InstanceRefresh): Promise<RollbackFacts> {
    const { AutoScalingGroups = [] } = await this.autoscaling.send(
      new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.groupName] }),
    );
    const group = AutoScalingGroups[0];
    const templateId = group?.LaunchTemplate?.LaunchTemplateId ?? this.outputs.launch_template_id;
    const groupVersion = group?.LaunchTemplate?.Version ?? "?";
    const targetVersion = refresh.DesiredConfiguration?.LaunchTemplate?.Version ?? groupVersion;
    const instancesByVersion: Record<string, number> = {};
    for (const instance of group?.Instances ?? []) {
      const version = instance.LaunchTemplate?.Version ?? "?";
      instancesByVersion[version] = (instancesByVersion[version] ?? 0) + 1;
    }
    const targetImage = /^\d+$/.test(targetVersion) ? await this.imageOf(templateId, targetVersion) : undefined;
    const groupImage = /^\d+$/.test(groupVersion) ? await this.imageOf(templateId, groupVersion) : undefined;
    return {
      environment: this.environment.name,
      stackId: this.stackId,
      status: refresh.Status ?? "?",
      target: { version: targetVersion, imageId: targetImage },
      group: { version: groupVersion, imageId: groupImage },
      instancesByVersion,
      previous: targetImage ? await this.previousImage(templateId, targetVersion, targetImage) : undefined,
      imageKind: this.environment.config.image.kind,
    };
  }

  /**
   * The image deployed before `badImage`: what the launch template ran before (the same answer
   * as `npm run review`), else, when the template has no older version, the manifest's build before it.
   */
  private async previousImage(templateId: string, targetVersion: string, badImage: string): Promise<RollbackFacts["previous"]> {
    const { LaunchTemplateVersions = [] } = await this.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId }));
    const fromTemplate = imageBefore(LaunchTemplateVersions, templateId, targetVersion, new Set([badImage]));
    const image = this.environment.config.image;
    if (fromTemplate || image.kind !== "packer-manifest") {
      return fromTemplate;
    }
    const manifestPath = image.manifestPath ?? DEFAULT_MANIFEST_PATH;
    const file = path.resolve(PROJECT_ROOT, manifestPath);
    if (!fs.existsSync(file)) {
      return undefined;
    }
    const images = appImagesForRegion(fs.readFileSync(file, "utf8"), this.environment.config.region);
    if (typeof images === "string") {
      return undefined;
    }
    const index = images.findIndex((candidate) => candidate.amiId === badImage);
    const before = images.slice(0, index === -1 ? 0 : index).reverse().find((candidate) => candidate.amiId !== badImage);
    return before ? { imageId: before.amiId, source: `${manifestPath}, the build before ${badImage} (run ${before.runUuid})` } : undefined;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function watch(session: Session, options: Options): Promise<number> {
  const tty = Boolean(process.stdout.isTTY);
  const first = await session.newestRefresh();
  if (!first) {
    console.log(`No instance refresh has run on ${session.groupName} yet.`);
    return EXIT.successful;
  }
  console.log(`Watching instance refresh ${first.InstanceRefreshId} of ${session.groupName} (${session.stackId}, ${session.environment.config.region}).`);
  const deadline = options.timeoutSeconds ? Date.now() + options.timeoutSeconds * 1000 : undefined;
  let refresh: InstanceRefresh = first;
  let lastLine = "";
  let lastAlarms = "";
  for (;;) {
    const view = viewOf(refresh);
    const now = new Date();
    if (tty) {
      process.stdout.write(`\r\x1b[2K${formatBar(view, now, process.stdout.columns ?? 100)}`);
    } else {
      // One line per change, not per poll (elapsed time alone is not a change).
      const line = formatLine(view, now);
      const key = line.replace(/^\S+ /, "").replace(/ elapsed=\S+/, "");
      if (key !== lastLine) {
        console.log(line);
        lastLine = key;
      }
    }
    const alarms = (await session.alarmsInAlarm().catch(() => [])).join(", ");
    if (alarms !== lastAlarms && outcomeOf(view.status) === "running") {
      if (tty) process.stdout.write("\n");
      console.log(alarms ? `Alarm in ALARM: ${alarms}` : "No watched alarm in ALARM.");
      lastAlarms = alarms;
    }
    if (outcomeOf(view.status) !== "running" || options.once) break;
    if (deadline && Date.now() > deadline) {
      if (tty) process.stdout.write("\n");
      console.log(`Gave up after ${options.timeoutSeconds} s: the refresh is still ${view.status}.`);
      return EXIT.timeout;
    }
    await sleep(options.intervalSeconds * 1000);
    refresh = (await session.newestRefresh()) ?? refresh;
  }
  if (tty) process.stdout.write("\n");
  const view = viewOf(refresh);
  const outcome = outcomeOf(view.status);
  console.log(formatEnd(view));
  if (view.rollback) {
    console.log(
      `Rollback: ${view.rollback.reason ?? "?"} (started at ${view.rollback.percentageCompleteOnRollback ?? "?"}% complete, ${view.rollback.instancesToUpdateOnRollback ?? "?"} instances still to update).`,
    );
  }
  if (outcome === "unsuccessful" && view.status !== "Cancelled") {
    for (const line of rollbackAdvice(await session.rollbackFacts(refresh))) console.log(line);
  }
  if (!options.wait) return EXIT.successful;
  return outcome === "successful" ? EXIT.successful : outcome === "running" ? EXIT.successful : EXIT.unsuccessful;
}

async function confirm(question: string, options: Options): Promise<boolean> {
  if (options.yes) return true;
  if (!process.stdin.isTTY) {
    throw new UsageError("not confirmed: stdin is not a terminal; pass --yes to confirm");
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function activeRefresh(session: Session, command: string): Promise<InstanceRefresh> {
  const refresh = await session.newestRefresh();
  if (!refresh || !(FORWARD_STATUSES as readonly string[]).includes(refresh.Status ?? "")) {
    const newest = refresh ? ` (the newest, ${refresh.InstanceRefreshId}, is ${refresh.Status})` : " (none has run yet)";
    throw new OperatorError(`nothing to ${command}: no instance refresh is Pending or InProgress on ${session.groupName}${newest}. Nothing was changed.`);
  }
  return refresh;
}

async function cancel(session: Session, options: Options): Promise<number> {
  const refresh = await activeRefresh(session, "cancel");
  const view = viewOf(refresh);
  console.log(formatLine(view, new Date()));
  if (!(await confirm(`Cancel instance refresh ${view.id} of ${session.groupName}? Instances already replaced stay replaced.`, options))) {
    console.log("Not cancelled.");
    return EXIT.unsuccessful;
  }
  const { InstanceRefreshId } = await session.autoscaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: session.groupName }));
  console.log(`Cancelling instance refresh ${InstanceRefreshId}. Follow it with: npm run rollout -- watch ${session.environment.name}`);
  return EXIT.successful;
}

async function rollback(session: Session, options: Options): Promise<number> {
  const refresh = await activeRefresh(session, "roll back");
  const view = viewOf(refresh);
  console.log(formatLine(view, new Date()));
  const facts = await session.rollbackFacts(refresh);
  if (facts.group.version === facts.target.version) {
    console.log(
      `Warning: the group already names launch template version ${facts.target.version} (${facts.target.imageId ?? "?"}), the version this refresh deploys: ` +
        `the provider set it before starting the refresh (terraform-provider-aws issue #34189). A rollback returns to that same version and re-launches that image.` +
        (facts.previous ? ` To get back to ${facts.previous.imageId}, cancel instead and deploy it (npm run rollout -- watch ${facts.environment} prints how).` : ""),
    );
  }
  if (!(await confirm(`Roll back instance refresh ${view.id} of ${session.groupName} to the group's configuration from before it started?`, options))) {
    console.log("Not rolled back.");
    return EXIT.unsuccessful;
  }
  const { InstanceRefreshId } = await session.autoscaling.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: session.groupName }));
  console.log(`Rolling back instance refresh ${InstanceRefreshId}. Follow it with: npm run rollout -- watch ${session.environment.name}`);
  return EXIT.successful;
}

/** Runs a parsed command other than help against the environment's applied state. */
export async function runRollout(options: Options): Promise<number> {
  let environment: ResolvedEnvironment;
  try {
    environment = loadEnvironment(options.environment!);
  } catch (error) {
    if (error instanceof ConfigError) throw new OperatorError(error.message);
    throw error;
  }
  const stackId = `${PROJECT}-${environment.name}`;
  const session = new Session(environment, stackId, readStackOutputs(environment, stackId, { stateFile: options.stateFile }));
  switch (options.command) {
    case "watch":
      return watch(session, options);
    case "cancel":
      return cancel(session, options);
    default:
      return rollback(session, options);
  }
}
