/**
 * The README and docs/ cannot drift from the code they describe: the generated blocks
 * (npm run docs:config) equal what their sources produce, every relative link resolves,
 * every SAMPLE_APP_* variable is documented, and the README stays a short page that lists
 * the commands CI runs.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { fieldReference, referenceTable } from "../../config/schema";
import { OTHER_VARIABLES, OTHER_VARIABLE_FAMILIES, OVERRIDE_VARIABLES } from "../../config/variables";
import { RULES } from "../../policy/rules";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const docBlocks = require("../../scripts/lib/doc-blocks.cjs");

const ROOT = path.join(__dirname, "..", "..");
const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8");

/** README.md and every Markdown file under docs/, as paths from the project root. */
function markdownFiles(): string[] {
  const found: string[] = ["README.md"];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith(".md")) found.push(relative);
    }
  };
  walk("docs");
  return found.sort();
}

/** The text without fenced code blocks, where neither `](` nor `#` means anything. */
function withoutFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The text without fenced code blocks and inline code, where `](` is not a link. */
function prose(text: string): string {
  return withoutFences(text).replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchors for the headings of a Markdown text (lower case, punctuation dropped, spaces as -). */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const match of withoutFences(text).replace(/`([^`\n]*)`/g, "$1").matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = match[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** Every relative link target of a Markdown text: `](path)`, `](path#anchor)`, `](#anchor)`. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)]
    .map((match) => match[1])
    .filter((target) => !/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(target));
}

describe("docs/configuration.md", () => {
  const CONFIGURATION = read("docs/configuration.md");

  it("has the configuration reference generated from config/schema.ts (npm run docs:config)", () => {
    expect(docBlocks.blockContent(CONFIGURATION, "config-reference")).toBe(referenceTable());
  });

  it("lists every field of the schema, nested ones included (also the fields of each entry of an object keyed by name, as <key>)", () => {
    const fields = fieldReference().map((row) => row.field);
    expect(fields).toEqual(expect.arrayContaining(["region", "healthCheck.intervalSeconds", "instanceRefresh.autoRollback", "s3Backend.bucket", "scheduledActions.<key>.recurrence", "adoption.resources.<key>.from"]));
    for (const field of fields) {
      expect(CONFIGURATION).toContain(`| \`${field}\` |`);
    }
  });

  it("names every SAMPLE_APP_* variable the project knows", () => {
    const variables = [...Object.values(OVERRIDE_VARIABLES).map((name) => (name.endsWith("_") ? `${name}<ENV>` : name)), ...Object.keys(OTHER_VARIABLES), ...Object.keys(OTHER_VARIABLE_FAMILIES).map((prefix) => `${prefix}*`)];
    for (const variable of variables) {
      expect(CONFIGURATION).toContain(`\`${variable}\``);
    }
  });
});

describe("docs/policy-rules.md", () => {
  const POLICY = read("docs/policy-rules.md");

  it("has the rule table generated from the rule objects (npm run docs:config)", () => {
    expect(docBlocks.blockContent(POLICY, "policy-rules")).toBe(docBlocks.policyRulesTable(RULES));
  });

  it("has one row per rule, with its id, level and scope", () => {
    const rows = (docBlocks.blockContent(POLICY, "policy-rules") as string).split("\n").filter((line) => /^\| SA-\d{3} \|/.test(line));
    expect(rows.map((row) => row.split(" | ")[0].slice(2))).toEqual(RULES.map((rule) => rule.id));
    for (const [index, rule] of RULES.entries()) {
      expect(rows[index]).toContain(`| ${rule.level} | ${rule.productionOnly ? "production" : "every stack"} |`);
    }
  });
});

describe("npm run docs:config", () => {
  it("--check finds every generated block current: the configuration reference, the rule table, the review examples", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "scripts", "config-reference.mjs"), "--check"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeout: 120000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    for (const block of docBlocks.BLOCKS) {
      expect(result.stdout).toContain(`${block.file}: ${block.name} matches its source`);
    }
  }, 120000);

  it("leaves out only the Flags section of a review report", () => {
    const report = "### Plan review\n\nverdict\n\n| a | b |\n\n#### Flags\n\n- **warning** `X`: y\n\n<sub>plan fingerprint `f`</sub>\n";
    expect(docBlocks.reviewExample(report)).toBe("```markdown\n### Plan review\n\nverdict\n\n| a | b |\n\n<sub>plan fingerprint `f`</sub>\n```\n");
    expect(docBlocks.reviewExample("### Plan review\n\n<sub>x</sub>\n")).toBe("```markdown\n### Plan review\n\n<sub>x</sub>\n```\n");
  });
});

describe("links", () => {
  const files = markdownFiles();

  it("finds the README and the docs pages", () => {
    expect(files).toEqual(expect.arrayContaining(["README.md", "docs/configuration.md", "docs/policy-rules.md", "docs/ci.md"]));
  });

  it.each(files)("every relative link in %s points at a file that exists, and an anchor at a heading in it", (file) => {
    const text = read(file);
    const broken: string[] = [];
    for (const link of relativeLinks(text)) {
      const [target, anchor] = link.split("#", 2);
      const resolved = target === "" ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target)));
      if (resolved.startsWith("..") || !fs.existsSync(path.join(ROOT, resolved))) {
        broken.push(`${link}: ${resolved} does not exist`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor)) {
        broken.push(`${link}: ${resolved} has no heading with the anchor #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("the README links every page of docs/", () => {
    const linked = new Set(relativeLinks(read("README.md")).map((link) => path.posix.normalize(link.split("#")[0])));
    expect(files.filter((file) => file.startsWith("docs/") && !linked.has(file))).toEqual([]);
  });

  it("a link into a file that does not exist, or to a heading it lacks, is caught", () => {
    expect(relativeLinks("see [a](docs/none.md), [b](https://x.y/z), [c](#here), `[d](not-a-link.md)`")).toEqual(["docs/none.md", "#here"]);
    expect(anchors("# Title\n\n## What `npm run review` says, after a rollback\n\n```\n# not a heading\n```\n## Title\n")).toEqual(
      new Set(["title", "what-npm-run-review-says-after-a-rollback", "title-1"]),
    );
  });
});

describe("README.md", () => {
  const README = read("README.md");

  it("is a page a newcomer reads in five minutes (at most 150 lines)", () => {
    expect(README.split("\n").length).toBeLessThanOrEqual(150);
  });

  it("keeps the headings other pages and the help text point at", () => {
    for (const heading of ["## Quick start", "## Main commands", "## Architecture", "## Real or emulated", "## Tests", "## Documentation"]) {
      expect(README).toContain(`\n${heading}\n`);
    }
  });

  it("lists every npm command CI runs (.ci/run), and the CI budget variables", () => {
    const commands = [...read(".ci/run").matchAll(/^ci_step \S+ "[^"]*" (npm .+)$/gm)].map((match) =>
      match[1]
        .split(/\s+/)
        .filter((word) => !word.startsWith("--"))
        .join(" "),
    );
    expect(commands).toEqual(expect.arrayContaining(["npm ci", "npm test", "npm run test:e2e"]));
    const tests = README.slice(README.indexOf("\n## Tests\n"));
    for (const command of commands) {
      expect(tests).toMatch(new RegExp(`^${command.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s|$)`, "m"));
    }
    for (const variable of ["SAMPLE_APP_CI_BUDGET_<STEP>", "SAMPLE_APP_CI_BUDGET_RUN", "SAMPLE_APP_CI_BUDGET_TOTAL"]) {
      expect(tests).toContain(`\`${variable}\``);
    }
  });
});
