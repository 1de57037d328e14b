/**
 * Entry point of `npm run adopt` (bundled to dist/adopt.js by scripts/build.mjs); see
 * ops/adopt/command.ts.
 */
import { ADOPT_USAGE, AdoptError, adopt, parseAdoptArguments } from "./command";

try {
  const parsed = parseAdoptArguments(process.argv.slice(2));
  if (parsed === "help") {
    process.stdout.write(`${ADOPT_USAGE}\n`);
    process.exit(0);
  }
  const result = adopt(parsed);
  process.stdout.write(`${result.report.join("\n")}\n`);
} catch (error) {
  process.stderr.write(`adopt: ${(error as Error).message}\n`);
  process.exitCode = error instanceof AdoptError ? 1 : 2;
}
