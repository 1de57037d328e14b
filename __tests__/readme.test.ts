/** The README's reference sections cannot drift from the code they describe. */
import * as fs from "fs";
import * as path from "path";
import { fieldReference, referenceTable } from "../config/schema";
import { OTHER_VARIABLES, OVERRIDE_VARIABLES } from "../config/variables";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("README", () => {
  it("has the configuration reference generated from config/schema.ts (npm run docs:config)", () => {
    const start = README.indexOf("<!-- config-reference:start");
    const end = README.indexOf("<!-- config-reference:end -->");
    expect(start).toBeGreaterThan(-1);
    const section = README.slice(README.indexOf("\n", start) + 1, end);
    expect(section).toBe(referenceTable());
  });

  it("lists every field of the schema, nested ones included", () => {
    const fields = fieldReference().map((row) => row.field);
    expect(fields).toEqual(expect.arrayContaining(["region", "healthCheck.intervalSeconds", "instanceRefresh.autoRollback", "s3Backend.bucket"]));
    for (const field of fields) {
      expect(README).toContain(`| \`${field}\` |`);
    }
  });

  it("names every SAMPLE_APP_* variable the project knows", () => {
    const variables = [...Object.values(OVERRIDE_VARIABLES).map((name) => (name.endsWith("_") ? `${name}<ENV>` : name)), ...Object.keys(OTHER_VARIABLES)];
    for (const variable of variables) {
      expect(README).toContain(`\`${variable}\``);
    }
  });
});
