/**
 * npm run image:prune -- --keep N [--region R] [--dry-run]
 *
 * Deregisters this app's AMIs (owner self, tags app=sample-app and image_role=app) beyond
 * the newest N per region and deletes their EBS snapshots (deregistering an AMI does not).
 * Never one that a launch template version in use references (a group's version, a
 * template's default or latest version, a running instance), nor the image a group
 * would roll back to.
 */
// Types only: the AWS SDK (about a second to load) is loaded once the command line is read,
// so --help and a mistyped flag answer at once.
import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { EC2Client, Image } from "@aws-sdk/client-ec2";
import { ENVIRONMENTS, PROJECT } from "../../config/environments";
import { OVERRIDE_VARIABLES } from "../../config/variables";
// From the facts module itself: config/schema would load the CDK library (the construct checks).
import { checkRegion } from "../../modules/core/aws-facts";
import { AppImage, Protection, TemplateVersion, parseKeep, planRetention, rollbackTarget } from "./retention";
import { OperatorError, clientConfig } from "../shared/stack-outputs";
import { UsageError, parseCommandLine, reportUsageError } from "../shared/args";
import { EXIT, exitCodeLines } from "../shared/exit-codes";

const USAGE = `npm run image:prune -- --keep N [--region R] [--dry-run]

Deregisters this app's AMIs (owner self, tags app=${PROJECT}, image_role=app) beyond the newest N
in each region and deletes their snapshots. Whatever its age, an image is kept when:
  - a launch template version in use references it (an Auto Scaling group's version, a
    template's default or latest version) or an instance runs it;
  - it is what a group would roll back to (the newest older version of its launch template
    with another image).

  --keep N      newest images to keep per region, at least 1 (required)
  --region R    only this region; repeat for several (default: the regions of the environments in
                config/environments.ts)
  --dry-run     print the plan, change nothing

Against the emulator: SAMPLE_APP_EMULATOR_ENDPOINT=http://127.0.0.1:<port>.
${exitCodeLines([EXIT.done, [EXIT.error, "an AWS call failed"], [EXIT.usage, "also an unknown region; nothing was changed"]])}`;

interface Options {
  keep: number;
  regions: string[];
  dryRun: boolean;
  help: boolean;
}

const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;

const COMMAND_LINE = {
  options: { keep: { type: "string" }, region: { type: "string", multiple: true }, "dry-run": { type: "boolean" } },
  maxPositionals: 1,
} as const;

export function parseArgs(argv: string[]): Options {
  const parsed = parseCommandLine(argv, COMMAND_LINE);
  // `npm run image:prune help` is help too.
  if (parsed === "help" || parsed.positionals[0] === "help") return { keep: 1, regions: [], dryRun: true, help: true };
  const { values, positionals } = parsed;
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, true);
  const regions: string[] = [];
  for (const region of values.region ?? []) {
    if (!REGION.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not an AWS region name like us-east-1`);
    // Checked offline against the regions AWS has (modules/core/aws-facts.json), before any call.
    const problem = checkRegion(region);
    if (problem) throw new UsageError(`--region ${JSON.stringify(region)}: ${problem}. Nothing was changed.`);
    if (!regions.includes(region)) regions.push(region);
  }
  const keep = parseKeep(values.keep);
  if (typeof keep === "string") throw new UsageError(keep);
  return {
    keep,
    regions: regions.length ? regions.sort() : [...new Set(Object.values(ENVIRONMENTS).map((config) => config.region))].sort(),
    dryRun: values["dry-run"] === true,
    help: false,
  };
}

function tagOf(image: Image, key: string): string | undefined {
  return image.Tags?.find((tag) => tag.Key === key)?.Value;
}

function appImageOf(image: Image): AppImage {
  const built = Date.parse(tagOf(image, "build_time") ?? "");
  return {
    imageId: image.ImageId!,
    name: image.Name ?? "",
    createdAt: new Date(Number.isNaN(built) ? Date.parse(image.CreationDate ?? "") || 0 : built),
    snapshotIds: (image.BlockDeviceMappings ?? []).map((mapping) => mapping.Ebs?.SnapshotId).filter((id): id is string => Boolean(id)),
  };
}

/** Everything in the region that still needs an image. */
async function protections(ec2: EC2Client, autoscaling: AutoScalingClient): Promise<Protection[]> {
  const { paginateDescribeInstances, paginateDescribeLaunchTemplates, paginateDescribeLaunchTemplateVersions } = await import("@aws-sdk/client-ec2");
  const { paginateDescribeAutoScalingGroups } = await import("@aws-sdk/client-auto-scaling");
  const found: Protection[] = [];
  const versionsOf = new Map<string, TemplateVersion[]>();
  const templates: { id: string; name: string; defaultVersion: number; latestVersion: number }[] = [];
  for await (const page of paginateDescribeLaunchTemplates({ client: ec2 }, {})) {
    for (const template of page.LaunchTemplates ?? []) {
      templates.push({
        id: template.LaunchTemplateId!,
        name: template.LaunchTemplateName ?? template.LaunchTemplateId!,
        defaultVersion: template.DefaultVersionNumber ?? 0,
        latestVersion: template.LatestVersionNumber ?? 0,
      });
    }
  }
  for (const template of templates) {
    const versions: TemplateVersion[] = [];
    for await (const page of paginateDescribeLaunchTemplateVersions({ client: ec2 }, { LaunchTemplateId: template.id })) {
      for (const version of page.LaunchTemplateVersions ?? []) {
        versions.push({ version: version.VersionNumber ?? 0, imageId: version.LaunchTemplateData?.ImageId });
      }
    }
    versionsOf.set(template.id, versions);
    for (const [label, number] of [["default", template.defaultVersion], ["latest", template.latestVersion]] as const) {
      const imageId = versions.find((v) => v.version === number)?.imageId;
      if (imageId) found.push({ imageId, reason: `${label} version ${number} of launch template ${template.name}` });
    }
  }
  for await (const page of paginateDescribeAutoScalingGroups({ client: autoscaling }, {})) {
    for (const group of page.AutoScalingGroups ?? []) {
      const spec = group.LaunchTemplate ?? group.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
      const template = templates.find((t) => t.id === spec?.LaunchTemplateId || t.name === spec?.LaunchTemplateName);
      if (!spec || !template) continue;
      const version = spec.Version === "$Latest" ? template.latestVersion : spec.Version === "$Default" || !spec.Version ? template.defaultVersion : Number(spec.Version);
      const versions = versionsOf.get(template.id) ?? [];
      const current = versions.find((v) => v.version === version);
      if (current?.imageId) {
        found.push({ imageId: current.imageId, reason: `in use: group ${group.AutoScalingGroupName} runs launch template ${template.name} version ${version}` });
      }
      const target = rollbackTarget(versions, version);
      if (target?.imageId) {
        found.push({ imageId: target.imageId, reason: `rollback target of group ${group.AutoScalingGroupName} (launch template ${template.name} version ${target.version})` });
      }
    }
  }
  for await (const page of paginateDescribeInstances(
    { client: ec2 },
    { Filters: [{ Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped", "shutting-down"] }] },
  )) {
    for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
      if (instance.ImageId) found.push({ imageId: instance.ImageId, reason: `in use: instance ${instance.InstanceId} runs it` });
    }
  }
  return found;
}

function describe(image: AppImage): string {
  return `${image.imageId} ${image.name || "(no name)"} ${image.createdAt.getTime() ? image.createdAt.toISOString() : "(no date)"}`;
}

async function pruneRegion(region: string, options: Options, endpoint: string | undefined): Promise<{ images: number; snapshots: number }> {
  const { DeleteSnapshotCommand, DeregisterImageCommand, DescribeImagesCommand, EC2Client } = await import("@aws-sdk/client-ec2");
  const { AutoScalingClient } = await import("@aws-sdk/client-auto-scaling");
  const config = clientConfig({ region, endpoint });
  const ec2 = new EC2Client(config);
  const autoscaling = new AutoScalingClient(config);
  const { Images = [] } = await ec2.send(
    new DescribeImagesCommand({
      Owners: ["self"],
      Filters: [
        { Name: "tag:app", Values: [PROJECT] },
        { Name: "tag:image_role", Values: ["app"] },
      ],
    }),
  );
  const decisions = planRetention(Images.map(appImageOf), options.keep, await protections(ec2, autoscaling));
  const deletions = decisions.filter((d) => d.action === "delete");
  console.log(`Region ${region}: ${decisions.length} app image${decisions.length === 1 ? "" : "s"}, keeping the newest ${options.keep} and every image still needed.`);
  for (const decision of decisions) {
    if (decision.action === "keep") {
      console.log(`  keep    ${describe(decision.image)}: ${decision.reasons.join("; ")}`);
    } else {
      const snapshots = decision.image.snapshotIds.length ? `snapshots ${decision.image.snapshotIds.join(", ")}` : "no snapshots";
      console.log(`  delete  ${describe(decision.image)} (${snapshots})`);
    }
  }
  const snapshotCount = deletions.reduce((n, d) => n + d.image.snapshotIds.length, 0);
  if (options.dryRun) {
    console.log(`  dry run: nothing changed; a real run deregisters ${deletions.length} image(s) and deletes ${snapshotCount} snapshot(s).`);
    return { images: 0, snapshots: 0 };
  }
  let images = 0;
  let snapshots = 0;
  for (const { image } of deletions) {
    // Deregister first: AWS refuses to delete a snapshot that a registered AMI uses.
    await ec2.send(new DeregisterImageCommand({ ImageId: image.imageId }));
    images++;
    console.log(`  deregistered ${image.imageId}`);
    for (const snapshotId of image.snapshotIds) {
      await ec2.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }));
      snapshots++;
      console.log(`  deleted snapshot ${snapshotId} (of ${image.imageId})`);
    }
  }
  console.log(`  deregistered ${images} image(s), deleted ${snapshots} snapshot(s) in ${region}.`);
  return { images, snapshots };
}

async function checkRegions(regions: string[], endpoint: string | undefined): Promise<void> {
  // Asked in a region that exists (the first environment's), so an unknown one is reported
  // by name instead of failing on its endpoint.
  const { DescribeRegionsCommand, EC2Client } = await import("@aws-sdk/client-ec2");
  const ec2 = new EC2Client(clientConfig({ region: Object.values(ENVIRONMENTS)[0]?.region ?? "us-east-1", endpoint }));
  const { Regions = [] } = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
  const known = Regions.map((region) => region.RegionName!).sort();
  const unknown = regions.filter((region) => !known.includes(region));
  if (unknown.length > 0) {
    throw new UsageError(`unknown region ${unknown.map((r) => JSON.stringify(r)).join(", ")}; known regions: ${known.join(", ")}. Nothing was changed.`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return EXIT.done;
  }
  const endpoint = process.env[OVERRIDE_VARIABLES.emulatorEndpoint] || undefined;
  await checkRegions(options.regions, endpoint);
  if (endpoint) console.log(`Using the emulator at ${endpoint}.`);
  for (const region of options.regions) {
    await pruneRegion(region, options, endpoint);
  }
  return EXIT.done;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) process.exit(reportUsageError("image:prune", USAGE, error));
      if (error instanceof OperatorError) {
        console.error(`image:prune: ${error.message}`);
        process.exit(error.exitCode);
      }
      const name = (error as { name?: string }).name;
      console.error(`image:prune: ${name && name !== "Error" ? `${name}: ` : ""}${(error as Error).message ?? String(error)}`);
      process.exit(EXIT.error);
    },
  );
}
