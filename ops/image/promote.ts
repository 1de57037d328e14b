/**
 * npm run image:promote -- <ami-id> --to <environment> [--region <region>] [--dry-run]
 *
 * Promotes an app image to an environment whose config selects promoted images
 * (image.kind "promoted", e.g. prod): tags it `sample-app:promoted-to-<environment>` with
 * the time of promotion. The environment's next plan then picks the newest image that
 * carries the tag; nothing else (a newer build, an image someone registered with a
 * matching name) reaches it. Exit codes: 0 promoted (or already promoted), 1 refused,
 * 2 bad invocation.
 */
// A type only: the AWS SDK (about a second to load) is loaded once the command line is read.
import type { Image } from "@aws-sdk/client-ec2";
import { ENVIRONMENTS } from "../../config/environments";
import { promotionTagKey } from "../../modules/image/promotion";
import { checkRegion } from "../../modules/core/aws-facts";
import { UsageError, parseCommandLine, reportUsageError } from "../shared/args";
import { EXIT, exitCodeLines } from "../shared/exit-codes";

const USAGE = `npm run image:promote -- <ami-id> --to <environment> [--region <region>] [--dry-run]

  Tags an app image (tags app=sample-app, image_role=app, built by npm run image:build)
  with sample-app:promoted-to-<environment>, so that environment's next plan deploys it.
  Only environments whose image.kind is "promoted" can be promoted to.

  --to <environment>   target environment (${Object.keys(ENVIRONMENTS).join(", ")})
  --region <region>    region of the image (default: the environment's region)
  --dry-run            check and print what would be tagged, change nothing

${exitCodeLines([[EXIT.done, "tagged (or, with --dry-run, checked)"], [EXIT.error, "refused (not an app image, environment not promoted) or an AWS call failed"], EXIT.usage])}`;

class Refused extends Error {}

interface Options {
  readonly amiId: string;
  readonly environment: string;
  readonly region?: string;
  readonly dryRun: boolean;
}

async function parse(argv: string[]): Promise<Options | "help"> {
  const parsed = parseCommandLine(argv, {
    options: { to: { type: "string" }, region: { type: "string" }, "dry-run": { type: "boolean" } },
    maxPositionals: 1,
    tooMany: (positionals) => `one image at a time, got ${positionals.join(", ")}`,
  } as const);
  if (parsed === "help") return "help";
  const { values, positionals } = parsed;
  const { to: environment, region } = values;
  // Every refusal here prints the usage too, as it always has.
  if (positionals.length === 0) throw new UsageError("name the image to promote (an AMI id)", true);
  // The value checks load the CDK library (they also check construct props): only past --help and the flags.
  const { checkAmiId } = await import("../../modules/core/checks");
  const amiProblem = checkAmiId(positionals[0]);
  if (amiProblem) {
    throw new UsageError(`${JSON.stringify(positionals[0])} ${amiProblem}`, true);
  }
  if (environment === undefined) {
    throw new UsageError("--to <environment> is required", true);
  }
  if (!(environment in ENVIRONMENTS)) {
    throw new UsageError(`--to ${environment}: unknown environment; known: ${Object.keys(ENVIRONMENTS).join(", ")}`, true);
  }
  // Checked offline against the regions AWS has (modules/core/aws-facts.json), before any credentials are looked for.
  const regionProblem = region === undefined ? undefined : checkRegion(region);
  if (regionProblem !== undefined) {
    throw new UsageError(`--region ${region}: ${regionProblem}; nothing was changed`, true);
  }
  return { amiId: positionals[0], environment, region, dryRun: values["dry-run"] === true };
}

/** `*` and `?` of an AMI name filter as a regular expression. */
function namePatternRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

const tagOf = (image: Image, key: string) => image.Tags?.find((tag) => tag.Key === key)?.Value;

async function promote(options: Options): Promise<void> {
  const config = ENVIRONMENTS[options.environment];
  if (config.image.kind !== "promoted") {
    throw new Refused(
      `environment "${options.environment}" selects its image with image.kind "${config.image.kind}", not "promoted": a promotion tag would change nothing there`,
    );
  }
  const region = options.region ?? config.region;
  const { CreateTagsCommand, DescribeImagesCommand, EC2Client } = await import("@aws-sdk/client-ec2");
  const ec2 = new EC2Client({ region });
  let images: Image[];
  try {
    images = (await ec2.send(new DescribeImagesCommand({ ImageIds: [options.amiId] }))).Images ?? [];
  } catch (error) {
    // AWS answers an unknown id with an error, not an empty list.
    if ((error as { name?: string }).name !== "InvalidAMIID.NotFound") {
      throw error;
    }
    images = [];
  }
  const image = images[0];
  if (!image) {
    throw new Refused(`${options.amiId}: no such image in ${region}`);
  }
  const name = image.Name ?? "";
  if (image.State !== "available") {
    throw new Refused(`${options.amiId} (${name}) is ${image.State}, not available`);
  }
  if (tagOf(image, "app") !== "sample-app" || tagOf(image, "image_role") !== "app") {
    throw new Refused(`${options.amiId} (${name}) is not a sample-app app image: it lacks the tags app=sample-app and image_role=app that npm run image:build sets`);
  }
  if (!namePatternRegExp(config.image.namePattern).test(name)) {
    throw new Refused(`${options.amiId} is named "${name}", which the ${options.environment} lookup (${config.image.namePattern}) never selects`);
  }
  const key = promotionTagKey(options.environment);
  const already = tagOf(image, key);
  if (already !== undefined) {
    process.stdout.write(`${options.amiId} (${name}) is already promoted to ${options.environment} (${key}=${already}); nothing to do\n`);
    return;
  }
  const value = new Date().toISOString();
  if (options.dryRun) {
    process.stdout.write(`would tag ${options.amiId} (${name}, version ${tagOf(image, "version") ?? "?"}) in ${region} with ${key}=${value}\n`);
    return;
  }
  await ec2.send(new CreateTagsCommand({ Resources: [options.amiId], Tags: [{ Key: key, Value: value }] }));
  process.stdout.write(
    `promoted ${options.amiId} (${name}, version ${tagOf(image, "version") ?? "?"}) to ${options.environment}: ${key}=${value}\n` +
      `next: synthesize and plan sample-app-${options.environment}; it deploys the newest promoted image\n`,
  );
}

async function main(): Promise<number> {
  try {
    const options = await parse(process.argv.slice(2));
    if (options === "help") {
      process.stdout.write(`${USAGE}\n`);
      return EXIT.done;
    }
    await promote(options);
    return EXIT.done;
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError("image:promote", USAGE, error);
    process.stderr.write(`image:promote: ${error instanceof Refused ? "refused: " : ""}${(error as Error).message}\n`);
    return EXIT.error;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
