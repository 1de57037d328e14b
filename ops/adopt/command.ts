/**
 * `npm run adopt -- --state <file> --env <env> [--dry-run] [--out <file>]`: reads an
 * existing state, proposes the adoption of its objects by the environment's stack, checks
 * the result by synthesizing the stack with it, and writes config/adoption/<env>.json (or
 * prints it with --dry-run). Nothing is written when anything is wrong.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "cdktf";
import { ENVIRONMENTS } from "../../config/environments";
import { adoptionFilePath, loadEnvironment } from "../../config/load";
import { EnvironmentConfig } from "../../config/types";
import { ConfigError } from "../../config/validate";
import { SampleAppStack, stackIdFor } from "../../stacks/sample-app-stack";
import { AdoptionFile, OPENTOFU_AWS, TERRAFORM_AWS, describeEffects, ourResources, proposeAdoption } from "./proposal";
import { resourcePaths } from "../../stacks/adoption";
import { closest } from "../../modules/core/suggest";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { StateFormatError, parseState } from "./terraform-state";
import { describeCounts } from "./plan-verdict";
import { DeploymentChoice, checkStateRegion, chooseDeployment } from "./deployment";
import { defaultToolchainHome, findToolchain, proveAdoption } from "./prove";
import { OutputPathError, checkOutputFile, describeFsError } from "../../modules/core/output-path.cjs";

/** A file `npm run adopt` wrote: a JSON object with an "adoption" object. */
function isAdoptionFile(file: string): boolean {
  try {
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as { adoption?: unknown };
    return json !== null && typeof json === "object" && typeof json.adoption === "object" && json.adoption !== null;
  } catch {
    return false;
  }
}

export interface AdoptOptions {
  readonly statePath: string;
  readonly environment: string;
  readonly dryRun?: boolean;
  /** @default config/adoption/<env>.json */
  readonly out?: string;
  /** @default ENVIRONMENTS */
  readonly environments?: Readonly<Record<string, EnvironmentConfig>>;
  /** Passed to the config loader (tests). */
  readonly env?: NodeJS.ProcessEnv;
  readonly imageAppPort?: number;
  /** Which load balancer, target group or group to take over when the state holds more than one. @default the only one */
  readonly choice?: DeploymentChoice;
  /** false (--no-plan): do not prove the proposal with tofu plan. @default true */
  readonly plan?: boolean;
  /** Where the built toolchain (bin/tofu, tofurc) is. @default SAMPLE_APP_TOOLCHAIN_HOME or ~/.cache/sample-app-toolchain */
  readonly toolchainHome?: string;
}

/** A refusal or bad input: the message names the entry or setting. */
export class AdoptError extends Error {}

export interface AdoptResult {
  readonly file: AdoptionFile;
  readonly written?: string;
  /** What was printed. */
  readonly report: string[];
}

/**
 * Synthesizes the stack the way `npm run synth` does (App.synth, the stack's validations
 * included) into a temporary directory and reads its Terraform JSON back, without the
 * library's "//" metadata. Nothing is left on disk.
 */
function synthesize(name: string, config: EnvironmentConfig, options: AdoptOptions, adoptionDir: string): { stack: SampleAppStack; json: Record<string, unknown> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "sample-app-adopt-"));
  try {
    const { stack, dir } = synthesizeTo(outdir, name, config, options, adoptionDir);
    const json = withoutMetadata(JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"))) as Record<string, unknown>;
    return { stack, json };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The JSON without the "//" objects the library writes beside blocks (construct paths, ids). */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//").map(([key, item]) => [key, withoutMetadata(item)]));
}

/** Synthesizes the stack into `outdir` as main.ts does (files on disk); returns the stack and its directory. */
function synthesizeTo(outdir: string, name: string, config: EnvironmentConfig, options: AdoptOptions, adoptionDir: string): { stack: SampleAppStack; dir: string } {
  const environment = loadEnvironment(name, {
    environments: { [name]: config },
    env: options.env ?? {},
    imageAppPort: options.imageAppPort,
    adoptionDir,
  });
  const app = new App({ outdir, stackTraces: false });
  const stack = new SampleAppStack(app, stackIdFor(name), { environment });
  app.synth();
  return { stack, dir: path.join(outdir, "stacks", stackIdFor(name)) };
}

export function adopt(options: AdoptOptions): AdoptResult {
  const environments = options.environments ?? ENVIRONMENTS;
  const name = options.environment;
  const config = environments[name];
  if (!config) {
    const near = closest(name, Object.keys(environments));
    throw new AdoptError(`--env ${name}: no such environment${near ? `; did you mean ${near}?` : ""} (known: ${Object.keys(environments).join(", ")})`);
  }
  // Where it goes is checked before any work: an existing file must be an adoption file.
  let out: string;
  try {
    out = checkOutputFile("--out", options.out, {
      root: PROJECT_ROOT,
      fallback: adoptionFilePath(name),
      example: `config/adoption/${name}.json`,
      what: "an adoption file (JSON with an \"adoption\" object)",
      recognise: isAdoptionFile,
    });
  } catch (error) {
    if (error instanceof OutputPathError) throw new AdoptError(error.message);
    throw error;
  }
  let text: string;
  try {
    text = fs.readFileSync(options.statePath, "utf8");
  } catch (error) {
    throw new AdoptError(`--state ${options.statePath}: cannot be read: ${describeFsError(error)}`);
  }
  let state;
  try {
    state = parseState(text, options.statePath);
  } catch (error) {
    if (error instanceof StateFormatError) throw new AdoptError(error.message);
    throw error;
  }

  // Objects in another region are never taken over: the stack would plan new ones.
  const elsewhere = checkStateRegion(state, name, config.region, options.statePath);
  if (elsewhere.length > 0) {
    throw new AdoptError(`refusing to adopt ${options.statePath} into ${stackIdFor(name)}:\n${elsewhere.map((r) => `  - ${r}`).join("\n")}\nNothing was written.`);
  }
  const selection = chooseDeployment(state, options.choice ?? {}, options.statePath);
  if (!selection.ok) {
    throw new AdoptError(`refusing to adopt ${options.statePath} into ${stackIdFor(name)}:\n${selection.problems.map((r) => `  - ${r}`).join("\n")}\nNothing was written.`);
  }

  // The stack as configured today, without any adoption file (this run replaces it).
  const noFiles = path.join(path.dirname(options.statePath), ".no-adoption-files");
  const base: EnvironmentConfig = { ...config, adoption: undefined };
  let synthesized: { stack: SampleAppStack; json: Record<string, unknown> };
  try {
    synthesized = synthesize(name, base, options, noFiles);
  } catch (error) {
    throw new AdoptError(error instanceof ConfigError ? error.message : `the stack of ${name} does not synthesize: ${(error as Error).message}`);
  }
  const proposal = proposeAdoption(
    state,
    ourResources(synthesized.stack, synthesized.json as { resource?: Record<string, Record<string, Record<string, unknown>>> }),
    { appPort: config.appPort, defaultVpc: config.defaultVpc, existingNetwork: config.existingNetwork, names: config.names as never },
    path.resolve(options.statePath),
    selection.notChosen,
  );
  if (!proposal.ok) {
    throw new AdoptError(
      `refusing to adopt ${options.statePath} into ${stackIdFor(name)}:\n${proposal.refusals.map((r) => `  - ${r}`).join("\n")}\nNothing was written.`,
    );
  }

  // The proposal must synthesize: the same checks `npm run synth` runs on the file.
  const adopted: EnvironmentConfig = {
    ...config,
    ...(proposal.file.defaultVpc ? { defaultVpc: proposal.file.defaultVpc } : {}),
    names: { ...(config.names ?? {}), ...proposal.file.names },
    adoption: proposal.file.adoption,
  };
  let adoptedStack: SampleAppStack;
  try {
    adoptedStack = synthesize(name, adopted, options, noFiles).stack;
  } catch (error) {
    throw new AdoptError(`the proposed mapping does not synthesize (nothing was written):\n${(error as Error).message}`);
  }
  // What is created is decided by the adopted configuration (its network, for one).
  const mapped = new Set(Object.keys(proposal.file.adoption.resources));
  const effects = [
    ...proposal.effects.filter((effect) => effect.kind !== "create"),
    ...resourcePaths(adoptedStack)
      .filter((resourcePath) => !mapped.has(resourcePath))
      .map((resourcePath) => ({ kind: "create" as const, ours: resourcePath })),
  ];

  const report = [
    `${state.resources.filter((r) => r.mode === "managed").length} resources in ${options.statePath} (${state.format}); the plan of ${stackIdFor(name)} will show:`,
    ...selection.notes.map((note) => `chosen: ${note}`),
    ...describeEffects(effects),
  ];
  if (proposal.behaviourChanges.length > 0) {
    report.push("changes behaviour (the adopted stack changes these on live objects; keep an old value with the setting named):", ...proposal.behaviourChanges.map((line) => `  ${line}`));
  }
  if (proposal.handDeletions.length > 0) {
    report.push(
      "delete by hand after the apply (not kept by the stack, but only forgotten: a removed block cannot destroy one instance of a resource and keep another):",
      ...proposal.handDeletions.map((line) => `  ${line}`),
    );
  }
  if (proposal.providerReplacements.length > 0) {
    report.push(
      "The state was written with Terraform's provider address (registry.terraform.io/hashicorp/aws). Before planning, in cdktf.out/stacks/" +
        `${stackIdFor(name)} after \`tofu init\`:`,
      `  ${proposal.providerReplacements[0]}`,
    );
  }
  // The adoption proves itself: tofu plan of the adopted stack against a copy of the state.
  const toolchainHome = options.toolchainHome ?? defaultToolchainHome();
  if (options.plan === false) {
    report.push("unproven (--no-plan): no tofu plan was run; run npm run adopt without --no-plan to prove the proposal before writing it.");
  } else {
    const toolchain = findToolchain(toolchainHome);
    if ("missing" in toolchain) {
      report.push(
        `unproven: the toolchain is not there (missing ${toolchain.missing.join(", ")}), so no tofu plan was run. Build it (npm run toolchain) or set SAMPLE_APP_TOOLCHAIN_HOME, then run npm run adopt again to prove the proposal; or run npm run synth, tofu init and tofu plan in cdktf.out/stacks/${stackIdFor(name)} against a copy of the state.`,
      );
    } else {
      const proof = proveAdoption({
        toolchain,
        statePath: options.statePath,
        synthesizeInto: (outdir) => synthesizeTo(outdir, name, adopted, options, noFiles).dir,
        providerReplacements: proposal.providerReplacements.length > 0 ? [[TERRAFORM_AWS, OPENTOFU_AWS]] : [],
        deliberatelyDestroyed: proposal.effects.flatMap((effect) => (effect.kind === "destroy" && effect.old ? [effect.old] : [])),
      });
      if (!proof.ok) {
        throw new AdoptError(`the proposed adoption of ${options.statePath} into ${stackIdFor(name)} does not plan (nothing was written):\n${proof.reason}`);
      }
      if (!proof.verdict.ok) {
        throw new AdoptError(
          `refusing to adopt ${options.statePath} into ${stackIdFor(name)}: its tofu plan does more than the report lists (nothing was written):\n${proof.verdict.problems.map((p) => `  - ${p}`).join("\n")}\n${describeCounts(proof.verdict.counts)}`,
        );
      }
      report.push(describeCounts(proof.verdict.counts));
    }
  }
  const json = `${JSON.stringify(proposal.file, null, 2)}\n`;
  if (options.dryRun) {
    report.push(`--dry-run: ${out} would contain:`, json.trimEnd());
    return { file: proposal.file, report };
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const temporary = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, json);
  fs.renameSync(temporary, out);
  report.push(`wrote ${out}; next: npm run synth, then tofu init and tofu plan in cdktf.out/stacks/${stackIdFor(name)} against the existing state`);
  return { file: proposal.file, written: out, report };
}
