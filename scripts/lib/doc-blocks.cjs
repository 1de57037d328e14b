// The generated blocks of docs/: where each lives, how to read and replace it, and how the
// ones not rendered by project code are rendered. Used by scripts/config-reference.mjs
// (npm run docs:config) and by __tests__/docs/docs.test.ts, so both compare the same text.
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

/** Every generated block: its name, the file (from the project root) and its start marker. */
const BLOCKS = [
  {
    name: "config-reference",
    file: "docs/configuration.md",
    start: "<!-- config-reference:start (generated from config/schema.ts by npm run docs:config) -->",
  },
  {
    name: "policy-rules",
    file: "docs/policy-rules.md",
    start: "<!-- policy-rules:start (generated from policy/rules/*.ts by npm run docs:config) -->",
  },
  ...[
    ["review-rolling-update", "image-change.json"],
    ["review-disruptive", "alb-rename.json"],
  ].map(([name, plan]) => ({
    name,
    file: "docs/review.md",
    start: `<!-- ${name}:start (npm run review -- local --plan __tests__/fixtures/plans/${plan}, its Flags section left out; npm run docs:config) -->`,
    /** The recorded plan (tofu show -json) the example report is made from. */
    plan: `__tests__/fixtures/plans/${plan}`,
  })),
];

function endMarker(name) {
  return `<!-- ${name}:end -->`;
}

function blockOf(name) {
  const block = BLOCKS.find((candidate) => candidate.name === name);
  if (!block) throw new Error(`no generated block named ${name}`);
  return block;
}

/** Where the block's content starts and ends in `text`, or undefined when a marker is missing. */
function locate(text, name) {
  const { start } = blockOf(name);
  const from = text.indexOf(start);
  const to = text.indexOf(endMarker(name));
  if (from === -1 || to < from) return undefined;
  return { contentStart: from + start.length + 1, contentEnd: to };
}

/** The text between the block's markers (without them), or undefined when they are missing. */
function blockContent(text, name) {
  const where = locate(text, name);
  return where === undefined ? undefined : text.slice(where.contentStart, where.contentEnd);
}

/** `text` with the block's content replaced; throws when its markers are missing. */
function replaceBlock(text, name, content) {
  const where = locate(text, name);
  if (where === undefined) {
    throw new Error(`${blockOf(name).file} has no ${blockOf(name).start} ... ${endMarker(name)} section`);
  }
  return `${text.slice(0, where.contentStart)}${content}${text.slice(where.contentEnd)}`;
}

function cell(text) {
  return String(text).replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** The policy rules table, one row per rule object (policy/rules/index.ts, RULES), in their order. */
function policyRulesTable(rules) {
  const rows = rules.map(
    (rule) => `| ${rule.id} | ${cell(rule.name)} | ${rule.level} | ${rule.productionOnly ? "production" : "every stack"} | ${cell(rule.rationale)} |`,
  );
  return ["| id | rule | level | applies to | why |", "|---|---|---|---|---|", ...rows].join("\n") + "\n";
}

/**
 * A review example: the Markdown report of a recorded plan, in a fence,
 * without its Flags section (whose warning depends on whether an emulator answers on this
 * machine: the review tries to read the group's instance refreshes).
 */
function reviewExample(report) {
  const withoutFlags = report.replace(/\n#### Flags\n[\s\S]*?(?=\n<sub>)/, "");
  return "```markdown\n" + withoutFlags.trimEnd() + "\n```\n";
}

/**
 * The review's Markdown report of a recorded plan, made offline as a user would
 * (`npm run review -- local --plan <plan>`: no synth, no tofu, no credentials). The
 * rollback check's emulator is a closed port, so its outcome is the same on every machine
 * (a warning flag, left out of the examples). Throws when the review made no report.
 */
function reviewReport(root, plan) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "docs-review-"));
  try {
    const result = spawnSync(process.execPath, [path.join(root, "scripts", "ops.mjs"), "review", "local", "--plan", plan, "--out", out], {
      cwd: root,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: process.env.HOME, AWS_EC2_METADATA_DISABLED: "true", SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:9" },
      timeout: 120000,
    });
    // 0: nothing needs approval; 3: needs approval (ops/shared/exit-codes.ts). Both write the report.
    if (result.status !== 0 && result.status !== 3) {
      throw new Error(`npm run review -- local --plan ${plan} exited ${result.status}: ${result.stderr || result.error}`);
    }
    return fs.readFileSync(path.join(out, "sample-app-local.md"), "utf8");
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

module.exports = { BLOCKS, blockContent, replaceBlock, policyRulesTable, reviewExample, reviewReport, endMarker };
