import * as fs from "fs";
import { describeFsError } from "../modules/core/output-path.cjs";
import * as path from "path";
import { checkAmiId } from "../modules/core/checks";
import { checkAutoScalingGroupProps } from "../modules/auto-scaling-group/app-auto-scaling-group";
import { checkLoadBalancerProps } from "../modules/load-balancer/load-balancer";
import { rolloutAlarmNames } from "../modules/load-balancer/rollout-alarms";
import { checkLoadBalancerLogBucketProps } from "../modules/log-bucket/log-bucket";
import { newestAmiForRegion } from "../modules/image/packer-manifest";
import { PROJECT_ROOT } from "../modules/core/project-root";
import { promotionTagKey } from "../modules/image/promotion";
import { closest } from "../modules/core/suggest";
import { BOOTSTRAP_STACK_ID, stackIdFor } from "./stack-ids";
import { ENVIRONMENTS, PROJECT, STATE_BOOTSTRAP } from "./environments";
import { BootstrapConfig, EnvironmentConfig, ResolvedEnvironment, checkBootstrap, checkEmulatorEndpoint, checkProviderVersion } from "./schema";
import { readStateSettings, resolveStateBackend } from "./state";
import { ConfigError, describeProblem, findOverlappingVpcs, findSharedNames, validateEnvironment } from "./validate";
import { OVERRIDE_VARIABLES, checkVariableNames, imageIdVariable } from "./variables";

export { OVERRIDE_VARIABLES } from "./variables";

export const DEFAULT_MANIFEST_PATH = "packer/manifest.json";

export interface LoadOptions {
  /** The environments to choose from. @default ENVIRONMENTS */
  readonly environments?: Readonly<Record<string, EnvironmentConfig>>;
  /** The state bootstrap's configuration. @default STATE_BOOTSTRAP */
  readonly bootstrap?: BootstrapConfig;
  /** Process environment for the overrides. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Directory that relative manifest paths are resolved from. @default the project root */
  readonly projectRoot?: string;
  /**
   * Port the app in the image listens on.
   * @default env.PORT of the PM2 process file app/app.config.js, which the image runs
   */
  readonly imageAppPort?: number;
  /**
   * Directory of the adoption files `npm run adopt` writes, one `<environment>.json` each,
   * merged into that environment's configuration.
   * @default <projectRoot>/config/adoption
   */
  readonly adoptionDir?: string;
}

/** The fields an adoption file may set (everything else stays in config/environments.ts). */
export const ADOPTION_FILE_FIELDS = ["defaultVpc", "names", "adoption"] as const;

/** The adoption file of an environment. */
export function adoptionFilePath(name: string, options: Pick<LoadOptions, "adoptionDir" | "projectRoot"> = {}): string {
  return path.join(options.adoptionDir ?? path.join(options.projectRoot ?? PROJECT_ROOT, "config", "adoption"), `${name}.json`);
}

/**
 * Merges `config/adoption/<name>.json` (written by `npm run adopt`) into the environment's
 * configuration; the schema then checks it like any other field. A field set both there and
 * in config/environments.ts is an error, so nothing is silently overridden.
 */
function withAdoptionFile(name: string, config: EnvironmentConfig, options: LoadOptions, problems: string[]): EnvironmentConfig {
  const file = adoptionFilePath(name, options);
  if (!fs.existsSync(file)) {
    return config;
  }
  let content: Record<string, unknown>;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    problems.push(`${path.relative(process.cwd(), file)}: cannot be read: ${describeFsError(error)}; it must be the adoption file npm run adopt writes`);
    return config;
  }
  try {
    content = JSON.parse(text);
  } catch (error) {
    problems.push(`${path.relative(process.cwd(), file)}: not valid JSON (${(error as Error).message}); rewrite it with npm run adopt`);
    return config;
  }
  if (content === null || typeof content !== "object" || Array.isArray(content)) {
    problems.push(`${file}: must be a JSON object with ${ADOPTION_FILE_FIELDS.join(", ")}`);
    return config;
  }
  const merged: Record<string, unknown> = { ...config };
  for (const [key, value] of Object.entries(content)) {
    if (!(ADOPTION_FILE_FIELDS as readonly string[]).includes(key)) {
      problems.push(`${file}: ${key}: not allowed in an adoption file (allowed: ${ADOPTION_FILE_FIELDS.join(", ")}); set it in config/environments.ts`);
    } else if (config !== null && typeof config === "object" && (config as Record<string, unknown>)[key] !== undefined) {
      problems.push(`environment "${name}": ${key} is set both in config/environments.ts and in ${file}; keep one`);
    } else {
      merged[key] = value;
    }
  }
  return merged as EnvironmentConfig;
}

/**
 * Every file in the adoption directory must be `<environment>.json` of a configured
 * environment, exactly: another name (a typo, the wrong case, an environment since removed)
 * would be ignored, and the environment synthesized without the adoption it needs.
 */
function checkAdoptionFileNames(known: string[], options: LoadOptions, problems: string[]): void {
  const dir = path.dirname(adoptionFilePath("x", options));
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return; // no adoption files (a missing directory is the usual case)
  }
  for (const entry of entries.sort()) {
    if (!entry.toLowerCase().endsWith(".json") || (entry.endsWith(".json") && known.includes(entry.slice(0, -".json".length)))) {
      continue;
    }
    const stem = entry.slice(0, -".json".length);
    const match = closest(stem, known);
    problems.push(
      `${path.relative(process.cwd(), path.join(dir, entry)) || entry}: an adoption file for no environment (file names are the environment's name, exact case, with .json); ` +
        `${match ? `rename it to ${match}.json` : `known environments: ${known.join(", ")}`}, or delete it if its environment is gone`,
    );
  }
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

/** The environments SAMPLE_APP_ENVIRONMENTS selects (all when it is unset). */
function selectNames(known: string[], env: NodeJS.ProcessEnv, problems: string[]): string[] {
  const variable = OVERRIDE_VARIABLES.environments;
  const raw = env[variable];
  if (raw === undefined) {
    return known;
  }
  const names = raw.split(",").map((name) => name.trim());
  if (names.every((name) => name === "")) {
    problems.push(
      `${variable} = ${JSON.stringify(raw)}: names no environment; unset it to synthesize all, or list some of: ${known.join(", ")}`,
    );
    return [];
  }
  const selected: string[] = [];
  for (const name of names) {
    if (name === "") {
      problems.push(`${variable} = ${JSON.stringify(raw)}: has an empty entry; separate names with single commas`);
    } else if (!known.includes(name)) {
      const match = closest(name, known);
      problems.push(
        `${variable}: unknown environment "${name}"${match ? `; did you mean "${match}"?` : ""}; known environments: ${known.join(", ")}`,
      );
    } else if (selected.includes(name)) {
      problems.push(`${variable} = ${JSON.stringify(raw)}: names "${name}" twice`);
    } else {
      selected.push(name);
    }
  }
  return selected;
}

/**
 * The environment name becomes the stack id `sample-app-<name>` and, through it, the AWS
 * names that `names` does not set; the tightest is the ALB's (32 characters).
 */
function checkEnvironmentName(name: string, config: EnvironmentConfig | undefined): string | undefined {
  if (name === BOOTSTRAP_NAME) {
    return `environment name "${name}": is reserved for the state bootstrap stack ${BOOTSTRAP_STACK_ID}; choose another name`;
  }
  if (!/^[a-z][a-z0-9-]*$/.test(name) || name.endsWith("-")) {
    return `environment name "${name}": must be lowercase letters, digits and hyphens, starting with a letter (it becomes the stack id ${PROJECT}-<name>)`;
  }
  const stackId = `${PROJECT}-${name}`;
  const names = config && typeof config === "object" && config.names && typeof config.names === "object" ? config.names : undefined;
  const problem =
    checkLoadBalancerProps({
      name: stackId,
      names: { useNamePrefix: names?.useNamePrefix, loadBalancer: names?.loadBalancer, targetGroup: names?.targetGroup, securityGroup: names?.loadBalancerSecurityGroup },
    }).name ??
    checkAutoScalingGroupProps({
      name: stackId,
      names: {
        useNamePrefix: names?.useNamePrefix,
        securityGroup: names?.instanceSecurityGroup,
        launchTemplate: names?.launchTemplate,
        autoScalingGroup: names?.autoScalingGroup,
        role: names?.instanceRole,
        instanceProfile: names?.instanceProfile,
      },
    }).name;
  if (problem !== undefined) {
    return `environment name "${name}": the stack id ${stackId} ${problem}`;
  }
  // The access-log bucket the stack creates is named <stack id>-logs-<26 characters from S3>.
  const logs = config && typeof config === "object" && config.accessLogs && typeof config.accessLogs === "object" ? config.accessLogs : undefined;
  const logPrefix = `${stackId}-logs-`;
  if (logs?.bucketName === undefined && logs?.existingBucketName === undefined && checkLoadBalancerLogBucketProps({ namePrefix: logPrefix }).namePrefix !== undefined) {
    const longest = LOG_BUCKET_PREFIX_MAX - `${PROJECT}-`.length - "-logs-".length;
    return (
      `environment name "${name}": is too long for the access-log bucket the stack creates: its name prefix "${logPrefix}" has ${logPrefix.length} characters, ` +
      `S3 allows ${LOG_BUCKET_PREFIX_MAX} before its 26-character suffix; shorten the name to at most ${longest} characters, or set accessLogs.bucketName`
    );
  }
  return undefined;
}

/** The longest bucket name prefix S3 accepts (63 characters less the 26 it appends). */
const LOG_BUCKET_PREFIX_MAX = 37;

/**
 * Checks the override variables' values once, under their own names, and applies
 * the valid ones.
 */
function applyOverrides(
  names: string[],
  environments: Readonly<Record<string, EnvironmentConfig>>,
  env: NodeJS.ProcessEnv,
  problems: string[],
): Record<string, EnvironmentConfig> {
  const endpoint = env[OVERRIDE_VARIABLES.emulatorEndpoint];
  const endpointProblem = endpoint === undefined ? undefined : checkEmulatorEndpoint(endpoint);
  if (endpointProblem) {
    problems.push(`${OVERRIDE_VARIABLES.emulatorEndpoint} = ${JSON.stringify(endpoint)}: ${endpointProblem}`);
  }
  const providerVersion = env[OVERRIDE_VARIABLES.awsProviderVersion];
  const versionProblem = providerVersion === undefined ? undefined : checkProviderVersion(providerVersion);
  if (versionProblem) {
    problems.push(`${OVERRIDE_VARIABLES.awsProviderVersion} = ${JSON.stringify(providerVersion)}: ${versionProblem}`);
  }
  const configs: Record<string, EnvironmentConfig> = {};
  for (const name of names) {
    let config = environments[name];
    const isObject = config !== null && typeof config === "object";
    const imageVariable = imageIdVariable(name);
    const imageId = env[imageVariable];
    if (imageId !== undefined) {
      const problem = checkAmiId(imageId);
      if (problem) {
        problems.push(`${imageVariable} = ${JSON.stringify(imageId)}: ${problem}`);
      } else if (isObject) {
        config = { ...config, image: { kind: "ami", amiId: imageId } };
      }
    }
    if (isObject && endpoint !== undefined && !endpointProblem && config.emulator) {
      config = { ...config, emulator: { endpoint } };
    }
    if (isObject && providerVersion !== undefined && !versionProblem) {
      config = { ...config, awsProviderVersion: providerVersion };
    }
    configs[name] = config;
  }
  return configs;
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
  if (image.kind === "promoted") {
    return { kind: "lookup", namePattern: image.namePattern, owners: [...image.owners], requiredTagKeys: [promotionTagKey(name)] };
  }
  const manifestPath = image.manifestPath ?? DEFAULT_MANIFEST_PATH;
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(projectRoot, manifestPath), "utf8");
  } catch (error) {
    problems.push(
      describeProblem(
        name,
        "image.manifestPath",
        manifestPath,
        (error as NodeJS.ErrnoException).code === "ENOENT"
          ? "file not found; run npm run image:build, or choose another image.kind"
          : `cannot be read: ${describeFsError(error)}; it must be the Packer manifest npm run image:build writes`,
      ),
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

/** The name that selects the state bootstrap in SAMPLE_APP_ENVIRONMENTS. */
export const BOOTSTRAP_NAME = "bootstrap";

/** The state bootstrap after validation and the per-run overrides. */
export interface ResolvedBootstrap {
  readonly config: BootstrapConfig;
}

/** Everything to synthesize in this run. */
export interface LoadedStacks {
  readonly environments: ResolvedEnvironment[];
  /** The state bootstrap, when selected (it is, unless SAMPLE_APP_ENVIRONMENTS leaves it out). */
  readonly bootstrap?: ResolvedBootstrap;
  /** Settings that change nothing in this run but may be meant for another (each says how to silence it). */
  readonly warnings: string[];
}

/** Checks the bootstrap's config and applies its overrides. */
function loadBootstrap(config: BootstrapConfig, env: NodeJS.ProcessEnv, problems: string[]): ResolvedBootstrap {
  let result = config;
  const endpointVariable = OVERRIDE_VARIABLES.bootstrapEmulatorEndpoint;
  const endpoint = env[endpointVariable];
  if (endpoint !== undefined) {
    const problem = checkEmulatorEndpoint(endpoint);
    if (problem) {
      problems.push(`${endpointVariable} = ${JSON.stringify(endpoint)}: ${problem}`);
    } else {
      result = { ...result, emulator: { endpoint } };
    }
  }
  const providerVersion = env[OVERRIDE_VARIABLES.awsProviderVersion];
  if (providerVersion !== undefined && checkProviderVersion(providerVersion) === undefined) {
    result = { ...result, awsProviderVersion: providerVersion };
  }
  for (const problem of checkBootstrap(result)) {
    problems.push(
      describeProblem(BOOTSTRAP_NAME, problem.field, problem.value, problem.problem, problem.default).replace(/^environment "bootstrap"/, `bootstrap (${BOOTSTRAP_STACK_ID})`),
    );
  }
  return { config: result };
}

/**
 * Selects, overrides, validates and resolves the environments to synthesize.
 * Throws a {@link ConfigError} listing every problem; nothing has been written then.
 */
export function loadEnvironments(options: LoadOptions = {}): ResolvedEnvironment[] {
  return loadStacks(options).environments;
}

/**
 * The environments and the state bootstrap to synthesize, with each environment's
 * state backend decided. Throws a {@link ConfigError} listing every problem.
 */
export function loadStacks(options: LoadOptions = {}): LoadedStacks {
  const environments = options.environments ?? ENVIRONMENTS;
  const env = options.env ?? process.env;
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const problems: string[] = [];

  const known = Object.keys(environments);
  for (const name of known) {
    const problem = checkEnvironmentName(name, environments[name]);
    if (problem) {
      problems.push(problem);
    }
  }
  const selected = selectNames([...known, BOOTSTRAP_NAME], env, problems);
  const names = selected.filter((name) => name !== BOOTSTRAP_NAME);
  const bootstrap = selected.includes(BOOTSTRAP_NAME) ? loadBootstrap(options.bootstrap ?? STATE_BOOTSTRAP, env, problems) : undefined;
  problems.push(...checkVariableNames(env, known, names));
  checkAdoptionFileNames(known, options, problems);
  const withFiles = Object.fromEntries(
    Object.entries(environments).map(([name, config]) => [name, names.includes(name) ? withAdoptionFile(name, config, options, problems) : config]),
  );
  const configs = applyOverrides(names, withFiles, env, problems);
  const imageAppPort = options.imageAppPort ?? readImageAppPort(projectRoot);
  for (const name of names) {
    const environmentProblems = validateEnvironment(name, configs[name]);
    problems.push(...environmentProblems);
    // The target group and the instances' security group must use the port the baked app
    // listens on, or every new instance fails its health check and the refresh rolls back.
    // The rollout alarms are already watched; listing one again is a copy-paste of the plan output.
    const listed = configs[name]?.instanceRefresh?.alarmNames ?? [];
    const created: string[] = configs[name]?.rolloutAlarms?.enabled === false ? [] : rolloutAlarmNames(stackIdFor(name));
    const repeated = environmentProblems.length === 0 ? listed.filter((alarm) => created.includes(alarm)) : [];
    if (repeated.length > 0) {
      problems.push(
        describeProblem(
          name,
          "instanceRefresh.alarmNames",
          listed,
          `must not list ${repeated.join(", ")}: the stack creates ${repeated.length > 1 ? "these rollout alarms" : "this rollout alarm"} and the refresh already watches it; ` +
            "list only your own alarms (rolloutAlarms configures the stack's)",
        ),
      );
    }
    const appPort = configs[name]?.appPort;
    if (environmentProblems.length === 0 && appPort !== imageAppPort) {
      problems.push(
        describeProblem(
          name,
          "appPort",
          appPort,
          `must be ${imageAppPort}, the port the image's app listens on (app/app.config.js env.PORT); change both together`,
        ),
      );
    }
  }
  // Overlap is a property of the whole set, not of the ones selected for this run.
  problems.push(...findOverlappingVpcs({ ...environments, ...configs }, names));
  problems.push(...findSharedNames({ ...withFiles, ...configs }, names));

  const resolved: ResolvedEnvironment[] = [];
  if (problems.length === 0) {
    const settingsFile = readStateSettings(env, projectRoot, problems);
    for (const name of names) {
      const image = resolveImage(name, configs[name], projectRoot, problems);
      const backend = resolveStateBackend(name, stackIdFor(name), configs[name], settingsFile, problems);
      if (image) {
        resolved.push({ name, config: configs[name], image, backend });
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return { environments: resolved, bootstrap, warnings: unusedOverrides(names, configs, bootstrap !== undefined, env) };
}

/**
 * Emulator overrides that reach no stack of this run: legitimate when a shell or CI job sets
 * them for every run, so a warning (an image id for an unselected environment is an error).
 */
function unusedOverrides(names: string[], configs: Record<string, EnvironmentConfig>, bootstrapSelected: boolean, env: NodeJS.ProcessEnv): string[] {
  const warnings: string[] = [];
  const selected = `${OVERRIDE_VARIABLES.environments}=${[...names, ...(bootstrapSelected ? [BOOTSTRAP_NAME] : [])].join(",")}`;
  if (env[OVERRIDE_VARIABLES.emulatorEndpoint] !== undefined && !names.some((name) => configs[name]?.emulator !== undefined)) {
    warnings.push(
      `${OVERRIDE_VARIABLES.emulatorEndpoint} is set, but no environment of this run (${selected}) talks to an emulator, so it changes nothing; ` +
        `unset it for this run to silence this`,
    );
  }
  if (env[OVERRIDE_VARIABLES.bootstrapEmulatorEndpoint] !== undefined && !bootstrapSelected) {
    warnings.push(
      `${OVERRIDE_VARIABLES.bootstrapEmulatorEndpoint} is set, but the state bootstrap is not synthesized in this run (${selected}), so it changes nothing; ` +
        `add ${BOOTSTRAP_NAME} to ${OVERRIDE_VARIABLES.environments}, or unset it for this run to silence this`,
    );
  }
  return warnings;
}

/** One environment, for tests and tools. */
export function loadEnvironment(name: string, options: LoadOptions = {}): ResolvedEnvironment {
  const [environment] = loadEnvironments({
    ...options,
    env: { ...(options.env ?? {}), [OVERRIDE_VARIABLES.environments]: name },
  });
  return environment;
}
