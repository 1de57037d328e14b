import * as fs from "fs";
import * as path from "path";

/** Where the committed dependency lock files live: `<dir>/<stack id>.terraform.lock.hcl`. */
export const PROVIDER_LOCKS_DIR = "provider-locks";

/** The file name OpenTofu and Terraform read in a stack's working directory. */
export const LOCK_FILE_NAME = ".terraform.lock.hcl";

/** Path of a stack's committed lock file. */
export function committedLockFile(projectRoot: string, stackId: string): string {
  return path.join(projectRoot, PROVIDER_LOCKS_DIR, `${stackId}${LOCK_FILE_NAME}`);
}

/**
 * Copies each stack's committed lock file into its synthesized directory
 * (`<synthDir>/stacks/<stack id>/.terraform.lock.hcl`), so that `tofu init` (and cdktf's
 * own lock-file check, run by `cdktf diff` / `deploy`) find the reviewed provider
 * checksums instead of locking afresh. Stacks without a committed lock file are left
 * alone: tofu then locks what it installs, as it would without this project.
 * Returns the stack ids whose lock file was restored.
 */
export function restoreLockFiles(projectRoot: string, synthDir: string): string[] {
  const stacksDir = path.join(synthDir, "stacks");
  if (!fs.existsSync(stacksDir)) {
    return [];
  }
  const restored: string[] = [];
  const problems: string[] = [];
  for (const stackId of fs.readdirSync(stacksDir).sort()) {
    const committed = committedLockFile(projectRoot, stackId);
    if (fs.existsSync(committed)) {
      const shown = path.relative(projectRoot, committed);
      const problem = checkLockFile(fs.readFileSync(committed, "utf8"), requiredProviders(path.join(stacksDir, stackId)));
      if (problem !== undefined) {
        problems.push(`${shown}: ${problem}; run npm run lock -- --env ${stackId.replace(/^sample-app-/, "")} and commit it (or delete it to let tofu lock afresh)`);
        continue;
      }
      fs.copyFileSync(committed, path.join(stacksDir, stackId, LOCK_FILE_NAME));
      restored.push(stackId);
    }
  }
  if (problems.length > 0) {
    throw new Error(`committed provider lock file${problems.length > 1 ? "s" : ""} not usable:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
  return restored;
}

/** `{ source, version }` of every provider a synthesized stack directory's cdk.tf.json requires. */
function requiredProviders(stackDir: string): { source: string; version?: string }[] {
  const file = path.join(stackDir, "cdk.tf.json");
  if (!fs.existsSync(file)) return [];
  const json = JSON.parse(fs.readFileSync(file, "utf8")) as { terraform?: { required_providers?: Record<string, { source?: string; version?: string }> } };
  return Object.entries(json.terraform?.required_providers ?? {}).map(([name, provider]) => ({ source: provider.source ?? name, version: provider.version }));
}

/** The provider blocks of a dependency lock file, or what is wrong with its text. */
export function parseLockFile(text: string): { source: string; version: string; hashes: string[] }[] | string {
  const conflict = text.split("\n").findIndex((line) => /^(<{7}|={7}|>{7}|\|{7})( |$)/.test(line));
  if (conflict !== -1) {
    return `has merge-conflict markers (line ${conflict + 1}: ${JSON.stringify(text.split("\n")[conflict])})`;
  }
  const body = text.replace(/^\s*(#|\/\/).*$/gm, "");
  const block = /provider\s+"([^"]+)"\s*\{([^{}]*)\}/g;
  const providers: { source: string; version: string; hashes: string[] }[] = [];
  let rest = body;
  for (let match = block.exec(body); match !== null; match = block.exec(body)) {
    const [whole, source, content] = match;
    rest = rest.replace(whole, "");
    const version = /^\s*version\s*=\s*"([^"]+)"\s*$/m.exec(content)?.[1];
    const hashes = /^\s*hashes\s*=\s*\[([^\]]*)\]/m.exec(content)?.[1];
    if (version === undefined || hashes === undefined) {
      return `provider "${source}" has no ${version === undefined ? "version" : "hashes"}; it is not a lock file tofu writes`;
    }
    const list = [...hashes.matchAll(/"([^"]+)"/g)].map((hash) => hash[1]);
    if (list.length === 0 || list.some((hash) => !/^(h1|zh):[A-Za-z0-9+/=]+$/.test(hash))) {
      return `provider "${source}" has ${list.length === 0 ? "no hashes" : "a malformed hash"}; it is not a lock file tofu writes`;
    }
    providers.push({ source, version, hashes: list });
  }
  if (rest.trim() !== "") {
    return `does not parse as a dependency lock file (unexpected ${JSON.stringify(rest.trim().slice(0, 40))})`;
  }
  return providers;
}

/** What keeps a lock file from serving a stack that requires `required` (undefined: it serves). */
export function checkLockFile(text: string, required: { source: string; version?: string }[]): string | undefined {
  const providers = parseLockFile(text);
  if (typeof providers === "string") {
    return providers;
  }
  for (const provider of required) {
    const locked = providers.find((candidate) => candidate.source === provider.source);
    if (locked === undefined) {
      return `does not lock ${provider.source}, which the stack requires (it locks ${providers.map((p) => p.source).join(", ") || "nothing"})`;
    }
    if (provider.version !== undefined && /^\d/.test(provider.version) && locked.version !== provider.version) {
      return `locks ${provider.source} ${locked.version}, and the stack pins ${provider.version}`;
    }
  }
  return undefined;
}
