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
import { CreateTagsCommand, DescribeImagesCommand, EC2Client, Image } from "@aws-sdk/client-ec2";
import { ENVIRONMENTS } from "../../config/environments";
import { checkRegion } from "../../config/schema";
import { checkAmiId } from "../../modules/core/checks";
import { promotionTagKey } from "../../modules/image/promotion";

const USAGE = `npm run image:promote -- <ami-id> --to <environment> [--region <region>] [--dry-run]

  Tags an app image (tags app=sample-app, image_role=app, built by npm run image:build)
  with sample-app:promoted-to-<environment>, so that environment's next plan deploys it.
  Only environments whose image.kind is "promoted" can be promoted to.

  --to <environment>   target environment (${Object.keys(ENVIRONMENTS).join(", ")})
  --region <region>    region of the image (default: the environment's region)
  --dry-run            check and print what would be tagged, change nothing`;

class Refused extends Error {}
class Usage extends Error {}

interface Options {
  readonly amiId: string;
  readonly environment: string;
  readonly region?: string;
  readonly dryRun: boolean;
}

function parse(argv: string[]): Options {
  const positional: string[] = [];
  let environment: string | undefined;
  let region: string | undefined;
  let dryRun = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === "--to" || argument === "--region") {
      const value = argv[++index];
      if (value === undefined || value.startsWith("--")) {
        throw new Usage(`${argument} needs a value`);
      }
      if (argument === "--to") environment = value;
      else region = value;
    } else if (argument === "--dry-run") {
      dryRun = true;
    } else if (argument === "--help" || argument === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (argument.startsWith("-")) {
      throw new Usage(`unknown option ${argument}`);
    } else {
      positional.push(argument);
    }
  }
  if (positional.length !== 1) {
    throw new Usage(positional.length === 0 ? "name the image to promote (an AMI id)" : `one image at a time, got ${positional.join(", ")}`);
  }
  const amiProblem = checkAmiId(positional[0]);
  if (amiProblem) {
    throw new Usage(`${JSON.stringify(positional[0])} ${amiProblem}`);
  }
  if (environment === undefined) {
    throw new Usage("--to <environment> is required");
  }
  if (!(environment in ENVIRONMENTS)) {
    throw new Usage(`--to ${environment}: unknown environment; known: ${Object.keys(ENVIRONMENTS).join(", ")}`);
  }
  // Checked offline against the regions AWS has (modules/core/aws-facts.json), before any credentials are looked for.
  const regionProblem = region === undefined ? undefined : checkRegion(region);
  if (regionProblem !== undefined) {
    throw new Usage(`--region ${region}: ${regionProblem}; nothing was changed`);
  }
  return { amiId: positional[0], environment, region, dryRun };
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

async function main(): Promise<void> {
  try {
    await promote(parse(process.argv.slice(2)));
  } catch (error) {
    if (error instanceof Usage) {
      process.stderr.write(`image:promote: ${error.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`image:promote: ${error instanceof Refused ? "refused: " : ""}${(error as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

void main();
