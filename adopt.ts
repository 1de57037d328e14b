/**
 * Entry point of `npm run adopt` (bundled to dist/adopt.js by scripts/build.mjs); see
 * lib/adopt-command.ts.
 */
import { AdoptError, adopt, parseAdoptArguments } from "./lib/adopt-command";

try {
  const result = adopt(parseAdoptArguments(process.argv.slice(2)));
  process.stdout.write(`${result.report.join("\n")}\n`);
} catch (error) {
  process.stderr.write(`adopt: ${(error as Error).message}\n`);
  process.exitCode = error instanceof AdoptError ? 1 : 2;
}
