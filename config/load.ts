import * as fs from "fs";
import * as path from "path";
import { checkAmiId } from "../lib/checks";
import { newestAmiForRegion } from "../lib/packer-manifest";
import { PROJECT_ROOT } from "../lib/project-root";
import { ENVIRONMENTS } from "./environments";
import { ConfigError, describeProblem, findOverlappingVpcs, validateEnvironment } from "./validate";
import { EnvironmentConfig, ResolvedEnvironment } from "./types";

/** Environment variables that adjust the committed configuration for one run. */
export const OVERRIDE_VARIABLES = {
  environments: "SAMPLE_APP_ENVIRONMENTS",
  imageIdPrefix: "SAMPLE_APP_IMAGE_ID_",
  emulatorEndpoint: "SAMPLE_APP_EMULATOR_ENDPOINT",
  awsProviderVersion: "SAMPLE_APP_AWS_PROVIDER_VERSION",
} as const;

export const DEFAULT_MANIFEST_PATH = "packer/manifest.json";

export interface LoadOptions {
  /** The environments to choose from. @default ENVIRONMENTS */
  readonly environments?: Readonly<Record<string, EnvironmentConfig>>;
  /** Process environment for the overrides. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory that relative manifest paths are resolved from. @default the project root */
  readonly projectRoot?: string;
  /**
   * Port the app in the image listens on.
   * @default env.PORT of the PM2 process file app/app.config.js, which the image runs
   */
  readonly imageAppPort?: number;
}

/** The port the baked app listens on: the PM2 process file the image starts (app/app.config.js). */
export function readImageAppPort(projectRoot: string = PROJECT_ROOT): number {
  const processFile = path.join(projectRoot, "app", "app.config.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const port = Number(require(processFile).apps?.[0]?.env?.PORT);
  if (!Number.isInteger(port)) {
    throw new Error(`${processFile}: apps[0].env.PORT must be the app's port number`);
  }
  return port;
}

function selectNames(known: string[], env: NodeJS.ProcessEnv, problems: string[]): string[] {
  const raw = env[OVERRIDE_VARIABLES.environments];
  if (raw === undefined || raw.trim() === "") {
    return known;
  }
  const names = raw.split(",").map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!known.includes(name)) {
      problems.push(
        `${OVERRIDE_VARIABLES.environments}: unknown environment "${name}"; known environments: ${known.join(", ")}`,
      );
    }
  }
  return names.filter((name) => known.includes(name));
}

/** Applies the per-run overrides; a bad override is reported under its variable's name. */
function applyOverrides(name: string, config: EnvironmentConfig, env: NodeJS.ProcessEnv, problems: string[]): EnvironmentConfig {
  let result = config;
  const imageVariable = `${OVERRIDE_VARIABLES.imageIdPrefix}${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
  const imageId = env[imageVariable];
  if (imageId !== undefined) {
    const problem = checkAmiId(imageId);
    if (problem) {
      problems.push(`${imageVariable} = ${JSON.stringify(imageId)}: ${problem}`);
    } else {
      result = { ...result, image: { kind: "ami", amiId: imageId } };
    }
  }
  const endpoint = env[OVERRIDE_VARIABLES.emulatorEndpoint];
  if (endpoint !== undefined && result.emulator) {
    result = { ...result, emulator: { endpoint } };
  }
  const providerVersion = env[OVERRIDE_VARIABLES.awsProviderVersion];
  if (providerVersion !== undefined) {
    result = { ...result, awsProviderVersion: providerVersion };
  }
  return result;
}

function resolveImage(
  name: string,
  config: EnvironmentConfig,
  projectRoot: string,
  problems: string[],
): ResolvedEnvironment["image"] | undefined {
  const image = config.image;
  if (image.kind === "ami") {
    return { kind: "ami", amiId: image.amiId, origin: "config" };
  }
  if (image.kind === "lookup") {
    return { kind: "lookup", namePattern: image.namePattern, owners: [...image.owners] };
  }
  const manifestPath = image.manifestPath ?? DEFAULT_MANIFEST_PATH;
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(projectRoot, manifestPath), "utf8");
  } catch {
    problems.push(
      describeProblem(name, "image.manifestPath", manifestPath, "file not found; run npm run image:build, or choose another image.kind"),
    );
    return undefined;
  }
  const newest = newestAmiForRegion(text, config.region);
  if (typeof newest === "string") {
    problems.push(describeProblem(name, "image.manifestPath", manifestPath, newest));
    return undefined;
  }
  const amiProblem = checkAmiId(newest.amiId);
  if (amiProblem) {
    problems.push(describeProblem(name, "image.manifestPath", manifestPath, `newest build's AMI id ${newest.amiId} ${amiProblem}`));
    return undefined;
  }
  return { kind: "ami", amiId: newest.amiId, origin: `${manifestPath} (run ${newest.runUuid})` };
}

/**
 * Selects, overrides, validates and resolves the environments to synthesize.
 * Throws a {@link ConfigError} listing every problem; nothing has been written then.
 */
export function loadEnvironments(options: LoadOptions = {}): ResolvedEnvironment[] {
  const environments = options.environments ?? ENVIRONMENTS;
  const env = options.env ?? process.env;
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const problems: string[] = [];

  const names = selectNames(Object.keys(environments), env, problems);
  const configs: Record<string, EnvironmentConfig> = {};
  for (const name of names) {
    configs[name] = applyOverrides(name, environments[name], env, problems);
  }
  const imageAppPort = options.imageAppPort ?? readImageAppPort(projectRoot);
  for (const name of names) {
    problems.push(...validateEnvironment(name, configs[name]));
    // The target group and the instances' security group must use the port the baked app
    // listens on, or every new instance fails its health check and the refresh rolls back.
    if (configs[name].appPort !== imageAppPort && Number.isInteger(configs[name].appPort)) {
      problems.push(
        describeProblem(
          name,
          "appPort",
          configs[name].appPort,
          `must be ${imageAppPort}, the port the image's app listens on (app/app.config.js env.PORT); change both together`,
        ),
      );
    }
  }
  // Overlap is a property of the whole set, not of the ones selected for this run.
  problems.push(...findOverlappingVpcs({ ...environments, ...configs }, names));

  const resolved: ResolvedEnvironment[] = [];
  if (problems.length === 0) {
    for (const name of names) {
      const image = resolveImage(name, configs[name], projectRoot, problems);
      if (image) {
        resolved.push({ name, config: configs[name], image });
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return resolved;
}

/** One environment, for tests and tools. */
export function loadEnvironment(name: string, options: LoadOptions = {}): ResolvedEnvironment {
  const [environment] = loadEnvironments({
    ...options,
    env: { ...(options.env ?? {}), [OVERRIDE_VARIABLES.environments]: name },
  });
  return environment;
}
