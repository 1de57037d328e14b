/**
 * npm run scan [-- <cdktf.out or its stacks dir>]
 *
 * Runs checkov (pinned, installed by `npm run toolchain -- --only checkov`) offline on every
 * synthesized stack in cdktf.out/stacks (the terraform_json framework reads cdk.tf.json
 * directly), and fails on any finding not listed with its reason in
 * policy/checkov/checkov-skips.json, and on any listed entry that no longer matches a finding.
 * Exit codes: 0 clean, 1 unlisted findings or stale entries, 2 checkov missing or failing.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CheckovFailure, classify, parseSkips } from "./checkov-skips";
import { PROJECT_ROOT } from "../../modules/core/project-root";
import { OutputPathError, checkInputDirectory } from "../../modules/core/output-path.cjs";
import { UsageError, parseCommandLine, reportUsageError } from "../shared/args";
import { EXIT, exitCodeLines } from "../shared/exit-codes";

const USAGE = `usage: npm run scan [-- <directory>]

Runs checkov (offline, pinned: npm run toolchain -- --only checkov) on every synthesized stack
and fails on any finding not listed with its reason in policy/checkov/checkov-skips.json, and on
any listed entry that no longer matches a finding.
  <directory>   the synth output (cdktf.out) or its stacks/ directory (default: cdktf.out/stacks)
  -h, --help    this help

${exitCodeLines([
  [EXIT.done, "clean: every finding accepted with a reason"],
  [EXIT.error, "unlisted findings or stale entries, or checkov missing or failing"],
  [EXIT.usage, "also a directory without synthesized stacks"],
])}`;

/** The stacks directory to scan, from the arguments; "help" for --help. */
function parseArguments(argv: string[]): string | "help" {
  const parsed = parseCommandLine(argv, {
    options: {},
    maxPositionals: 1,
    tooMany: (positionals) => `one directory, got ${positionals.length}: ${positionals.join(" ")}`,
  });
  if (parsed === "help") return "help";
  const [directory] = parsed.positionals;
  let dir: string;
  try {
    dir = checkInputDirectory("scan directory", directory, { root: process.cwd(), fallback: path.join(PROJECT_ROOT, "cdktf.out", "stacks"), hint: "run npm run synth first, or name cdktf.out" });
  } catch (error) {
    if (error instanceof OutputPathError) throw new UsageError(error.message);
    throw error;
  }
  // The synth output itself (cdktf.out) is read as its stacks/ directory.
  const stacks = path.join(dir, "stacks");
  return fs.existsSync(path.join(dir, "manifest.json")) && fs.statSync(stacks, { throwIfNoEntry: false })?.isDirectory() ? stacks : dir;
}

const SKIPS_FILE = path.join(PROJECT_ROOT, "policy", "checkov", "checkov-skips.json");

function findCheckov(): string {
  const home = process.env.SAMPLE_APP_TOOLCHAIN_HOME ?? path.join(os.homedir(), ".cache", "sample-app-toolchain");
  const candidates = [process.env.CHECKOV, path.join(home, "bin", "checkov")].filter((c): c is string => !!c);
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(`checkov not found (${candidates.join(", ")}); run: npm run toolchain -- --only checkov`);
  }
  return found;
}

interface CheckovReport {
  summary?: { passed: number; failed: number; skipped: number; parsing_errors: number; checkov_version?: string };
  results?: { failed_checks?: { check_id: string; resource: string; check_name?: string }[] };
}

function scan(checkov: string, stack: string, file: string): CheckovReport {
  const result = spawnSync(checkov, ["-f", file, "--framework", "terraform_json", "--skip-download", "--quiet", "--compact", "-o", "json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, BC_SKIP_MAPPING: "TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: "false" },
  });
  if (result.error || (result.status !== 0 && result.status !== 1)) {
    throw new Error(`checkov failed on ${stack} (exit ${result.status}): ${result.error?.message ?? result.stderr.slice(-2000)}`);
  }
  const parsed = JSON.parse(result.stdout) as CheckovReport | CheckovReport[];
  const report = Array.isArray(parsed) ? parsed[0] : parsed;
  // With --quiet and nothing failed, checkov prints only a summary object.
  return report ?? {};
}

function main(): number {
  const parsed = parseArguments(process.argv.slice(2));
  if (parsed === "help") {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.done;
  }
  const stacksDir = parsed;
  const stacks = fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).filter((name) => fs.existsSync(path.join(stacksDir, name, "cdk.tf.json"))).sort() : [];
  if (stacks.length === 0) {
    throw new UsageError(`no synthesized stacks in ${stacksDir}; run npm run synth first`);
  }
  const skips = parseSkips(fs.readFileSync(SKIPS_FILE, "utf8"), path.relative(PROJECT_ROOT, SKIPS_FILE));
  const checkov = findCheckov();
  const failures: CheckovFailure[] = [];
  const summaries: string[] = [];
  let parsingErrors = 0;
  for (const stack of stacks) {
    const report = scan(checkov, stack, path.join(stacksDir, stack, "cdk.tf.json"));
    const summary = report.summary ?? { passed: 0, failed: 0, skipped: 0, parsing_errors: 0 };
    parsingErrors += summary.parsing_errors;
    const stackFailures = (report.results?.failed_checks ?? []).map((failed) => ({ stack, check: failed.check_id, resource: failed.resource, name: failed.check_name ?? "" }));
    failures.push(...stackFailures);
    const { unlisted } = classify(stackFailures, skips);
    summaries.push(
      `checkov ${summary.checkov_version ?? ""} ${stack}: Passed checks: ${summary.passed}, Failed checks: ${summary.failed}, Skipped checks: ${summary.skipped}, ` +
        `Parsing errors: ${summary.parsing_errors}; ${summary.failed - unlisted.length} accepted in policy/checkov/checkov-skips.json, ${unlisted.length} unlisted`,
    );
  }
  const { unlisted, unused } = classify(failures, skips);
  for (const line of summaries) process.stdout.write(`${line.replace(/ {2,}/g, " ")}\n`);
  for (const failure of unlisted) {
    process.stdout.write(`UNLISTED ${failure.check} ${failure.stack} ${failure.resource}: ${failure.name}\n`);
  }
  for (const skip of unused) {
    process.stdout.write(`STALE ${skip.check} ${skip.resource}${skip.stacks ? ` (${skip.stacks.join(", ")})` : ""}: matches no finding any more; delete the entry\n`);
  }
  if (parsingErrors > 0) {
    process.stdout.write(`checkov could not parse ${parsingErrors} file(s)\n`);
  }
  const ok = unlisted.length === 0 && unused.length === 0 && parsingErrors === 0;
  process.stdout.write(
    ok
      ? `checkov: ${stacks.length} stacks, every finding accepted with a reason (${failures.length} findings, ${skips.length} entries)\n`
      : `checkov: ${unlisted.length} unlisted finding(s), ${unused.length} stale entr${unused.length === 1 ? "y" : "ies"}: fix the stack, or add/remove an entry in policy/checkov/checkov-skips.json with its reason\n`,
  );
  return ok ? EXIT.done : EXIT.error;
}

try {
  process.exitCode = main();
} catch (error) {
  if (error instanceof UsageError) process.exitCode = reportUsageError("scan", USAGE, error);
  else {
    process.stderr.write(`scan: ${(error as Error).message}\n`);
    process.exitCode = EXIT.error;
  }
}
