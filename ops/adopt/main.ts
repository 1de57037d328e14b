/**
 * Entry point of `npm run adopt` (bundled to dist/adopt.js by scripts/ops.mjs); see
 * ops/adopt/command.ts.
 */
import { ADOPT_USAGE, parseAdoptArguments } from "./arguments";
import { UsageError, reportUsageError } from "../shared/args";
import { EXIT } from "../shared/exit-codes";

async function main(): Promise<void> {
  const parsed = parseAdoptArguments(process.argv.slice(2));
  if (parsed === "help") {
    process.stdout.write(`${ADOPT_USAGE}\n`);
  } else {
    // The CDK library and the stack load only now: usage answers at once.
    const { adopt } = await import("./command");
    const result = adopt(parsed);
    process.stdout.write(`${result.report.join("\n")}\n`);
  }
  process.exitCode = EXIT.done;
}

main().catch((error: unknown) => {
  if (error instanceof UsageError) process.exitCode = reportUsageError("adopt", ADOPT_USAGE, error);
  else {
    // A refusal (AdoptError) or any other failure: both are "could not be done" (was 2 for the latter).
    process.stderr.write(`adopt: ${(error as Error).message}\n`);
    process.exitCode = EXIT.error;
  }
});
