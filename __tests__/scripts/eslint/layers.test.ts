/**
 * The layering rule (scripts/eslint/layers.mjs) is a failing check: a back-import is a lint
 * error naming both files and the order, a down-import is not.
 */
import { spawnSync } from "child_process";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..", "..");

const REFUSED: Array<[string, string, string]> = [
  ["modules/core/example.ts", 'import { loadEnvironments } from "../../config/load";\nexport const x = loadEnvironments;\n', "config/load"],
  ["modules/network/example.ts", 'import { SampleAppStack } from "../../stacks/sample-app-stack";\nexport const x = SampleAppStack;\n', "stacks/sample-app-stack"],
  ["config/example.ts", 'import { SampleAppStack } from "../stacks/sample-app-stack";\nexport const x = SampleAppStack;\n', "stacks/sample-app-stack"],
  ["stacks/example.ts", 'import { reviewMain } from "../ops/review/main";\nexport const x = reviewMain;\n', "ops/review/main"],
  ["policy/example.ts", 'const x = require("../config/schema");\nexport default x;\n', "config/schema"],
];
// Production code synthesizes with App, as npm run synth does; the harness is for tests.
const TESTING_IN_PRODUCTION: [string, string] = ["ops/example.ts", 'import { App, Testing } from "cdktf";\nexport const x = [App, Testing];\n'];
const TESTING_IN_TESTS: [string, string] = ["__tests__/example.ts", 'import { Testing } from "cdktf";\nexport const x = Testing;\n'];
const TEST_IMPORT: [string, string] = ["ops/example.ts", 'import { treeListing } from "../__tests__/tree-listing";\nexport const x = treeListing;\n'];
const EMULATOR_IMPORT: [string, string] = ["stacks/example.ts", 'const cloud = require("../emulator/local-cloud");\nexport default cloud;\n'];
const ALLOWED: Array<[string, string]> = [
  ["ops/example.ts", 'import { SampleAppStack } from "../stacks/sample-app-stack";\nexport const x = SampleAppStack;\n'],
  ["stacks/example.ts", 'import { checkRegion } from "../modules/core/aws-facts";\nexport const x = checkRegion;\n'],
  ["config/example.ts", 'import { checkReason } from "../policy/suppressions";\nexport const x = checkReason;\n'],
  ["modules/network/example.ts", 'import { cidrHost } from "../core/cidr";\nexport const x = cidrHost;\n'],
  ["__tests__/example.ts", 'import { SampleAppStack } from "../stacks/sample-app-stack";\nexport const x = SampleAppStack;\n'],
];

// ESLint's flat config is an ES module, which Jest's CommonJS sandbox cannot import: lint in a
// child process with the project's config, as `npm run lint` does, every case in one go.
const LINT = `
import { ESLint } from "eslint";
import path from "node:path";
const cases = JSON.parse(process.argv[1]);
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const [file, code] of cases) {
  const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
  out.push(result.messages.filter((m) => m.ruleId === "layers/imports-point-down" || m.ruleId === "no-restricted-imports" || m.fatal).map((m) => m.message));
}
console.log(JSON.stringify(out));
`;

let results: string[][];

beforeAll(() => {
  const cases = [...REFUSED.map(([file, code]) => [file, code]), TEST_IMPORT, ...ALLOWED, TESTING_IN_PRODUCTION, TESTING_IN_TESTS, EMULATOR_IMPORT];
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", LINT, JSON.stringify(cases)], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(run.stderr);
  results = JSON.parse(run.stdout) as string[][];
}, 60000);

describe("layers/imports-point-down", () => {
  it.each(REFUSED.map((c, i) => [c[0], c[2], i] as const))("refuses %s importing %s", (_file, target, index) => {
    const messages = results[index];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(`imports ${target}`);
    expect(messages[0]).toContain("imports point down (modules < policy < config < stacks < ops < main.ts)");
  });

  it("refuses production code importing tests, e2e or scripts", () => {
    expect(results[REFUSED.length]).toEqual(["ops/ is production code and may not import __tests__/ (../__tests__/tree-listing); move what it needs down the layers."]);
  });

  it.each(ALLOWED.map((c, i) => [c[0], i] as const))("allows %s importing down", (_file, index) => {
    expect(results[REFUSED.length + 1 + index]).toEqual([]);
  });
});

describe("no Testing in production code", () => {
  const at = REFUSED.length + 1 + ALLOWED.length;

  it("refuses ops/ importing Testing from the library", () => {
    expect(results[at]).toEqual([
      "'Testing' import from 'cdktf' is restricted. Production code synthesizes with App (as npm run synth does); Testing is for __tests__/ and e2e/.",
    ]);
  });

  it("allows __tests__/ importing Testing", () => {
    expect(results[at + 1]).toEqual([]);
  });
});

describe("the local cloud is not production code", () => {
  it("refuses stacks/ importing emulator/", () => {
    expect(results[REFUSED.length + 1 + ALLOWED.length + 2]).toEqual([
      "stacks/ is production code and may not import emulator/ (../emulator/local-cloud); move what it needs down the layers.",
    ]);
  });
});

