/**
 * What a reviewer checks by hand in .github/workflows/review.yml (actionlint checks that it is
 * a valid workflow, not that it does the right thing): nothing is posted or uploaded after a
 * failed review, the comment is found again and updated, approving a disruptive plan by label
 * re-runs the review, and the merge applies the reviewed plan file only after a re-plan matched.
 */
import * as fs from "fs";
import * as path from "path";
import { EXIT } from "../../../ops/shared/exit-codes";

const WORKFLOW = fs.readFileSync(path.join(__dirname, "..", "..", "..", ".github", "workflows", "review.yml"), "utf8");

/** The steps of a job as text blocks, in order, each starting at its "- " line. */
function steps(job: string): string[] {
  const start = WORKFLOW.indexOf(`\n  ${job}:\n`);
  expect(start).toBeGreaterThan(-1);
  const next = WORKFLOW.slice(start + 1).search(/\n  [a-z-]+:\n/);
  const body = next === -1 ? WORKFLOW.slice(start) : WORKFLOW.slice(start, start + 1 + next);
  const stepsAt = body.indexOf("\n    steps:\n");
  return body
    .slice(stepsAt)
    .split(/\n {6}- /)
    .slice(1);
}
const named = (list: string[], pattern: RegExp) => {
  const index = list.findIndex((step) => pattern.test(step));
  expect(index).toBeGreaterThan(-1);
  return { index, text: list[index] };
};

describe("the review workflow", () => {
  it("runs on pull requests, including when a label is added or removed, and on pushes to main", () => {
    expect(WORKFLOW).toMatch(/\n {2}pull_request:\n {4}branches: \[main\]\n(?: {4}#.*\n)* {4}types: \[opened, synchronize, reopened, labeled, unlabeled\]\n/);
    expect(WORKFLOW).toMatch(/\n {2}push:\n {4}branches: \[main\]\n/);
  });

  it("plans with the OpenTofu version the toolchain builds", () => {
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "toolchain.json"), "utf8")).opentofu.version;
    expect(WORKFLOW).toContain(`TOFU_VERSION: "${version}"`);
  });

  it("posts and uploads only after a review that produced a report, with no always()-style condition", () => {
    const review = steps("review");
    const run = named(review, /npm run --silent review -- "\$ENVIRONMENT"/);
    // Exit 0 and 3 (needs approval) are reports; anything else (1 error, 2 bad usage) ends the step (and the job) with that status.
    expect(EXIT.needsApproval).toBe(3);
    expect(run.text).toContain(`if [ "$status" -ne ${EXIT.done} ] && [ "$status" -ne ${EXIT.needsApproval} ]; then`);
    expect(run.text).toContain('exit "$status"');
    for (const later of [named(review, /upload-artifact/), named(review, /post or update the PR comment/)]) {
      expect(later.index).toBeGreaterThan(run.index);
      expect(later.text).not.toMatch(/\n\s+if:/);
    }
  });

  it("updates the environment's own comment, found by its marker, instead of adding another", () => {
    const comment = named(steps("review"), /post or update the PR comment/).text;
    expect(comment).toContain('MARKER: "<!-- sample-app-review:sample-app-${{ matrix.environment }} -->"');
    expect(comment).toContain("c.body?.startsWith(process.env.MARKER)");
    expect(comment).toMatch(/if \(mine\) \{\s+await github\.rest\.issues\.updateComment/);
  });

  it("fails a disruptive plan unless the pull request carries the approval label", () => {
    const gate = named(steps("review"), /a disruptive plan needs an explicit approval/).text;
    expect(gate).toContain(`steps.review.outputs.exit_code == '${EXIT.needsApproval}' && !contains(github.event.pull_request.labels.*.name, 'disruptive-change-approved')`);
    expect(gate).toContain(`exit ${EXIT.needsApproval}`);
    expect(WORKFLOW).not.toMatch(/exit_code == '2'|-ne 2 \]/);
  });

  it("on merge, re-plans against the reviewed fingerprint before applying the reviewed plan file itself", () => {
    const apply = steps("apply");
    const fetch = named(apply, /fetch the plan reviewed in the pull request/);
    const replan = named(apply, /--expect-fingerprint "reviewed\/sample-app-\$ENVIRONMENT\.json"/);
    const tofu = named(apply, /tofu apply -input=false "\$GITHUB_WORKSPACE\/reviewed\/sample-app-\$ENVIRONMENT\.tfplan"/);
    expect(fetch.index).toBeLessThan(replan.index);
    expect(replan.index).toBeLessThan(tofu.index);
    // The newest finished review decides, not any older success.
    expect(fetch.text).toContain("--status completed --limit 1 --json databaseId,conclusion");
    expect(fetch.text).toContain('[ "$conclusion" != success ]');
    for (const step of [replan.text, tofu.text]) expect(step).not.toMatch(/\n\s+(if|continue-on-error):/);
    // Needs approval was approved on the pull request; any other failure stops the apply.
    expect(replan.text).toContain(`if [ "$status" -ne ${EXIT.done} ] && [ "$status" -ne ${EXIT.needsApproval} ]; then`);
  });
});

describe("the lock workflow", () => {
  const LOCK = fs.readFileSync(path.join(__dirname, "..", "..", "..", ".github", "workflows", "lock.yml"), "utf8");

  it("runs only by hand, with read-only permissions, and records the three platforms by default", () => {
    expect(LOCK).toMatch(/\non:\n {2}workflow_dispatch:\n/);
    expect(LOCK).not.toMatch(/\n {2}(push|pull_request|schedule):/);
    expect(LOCK).toMatch(/\npermissions:\n {2}contents: read\n/);
    expect(LOCK).not.toMatch(/: write\b/);
    expect(LOCK).toMatch(/platforms:\n(?: {8}.*\n)*? {8}default: linux_amd64,linux_arm64,darwin_arm64\n/);
    expect(LOCK).toMatch(/environments:\n(?: {8}.*\n)*? {8}default: bootstrap dev stage prod\n/);
  });

  it("locks from the registry with the toolchain's OpenTofu and uploads the files it wrote", () => {
    expect(LOCK).toContain('npm run --silent lock -- "${args[@]}" --platform "$PLATFORMS"');
    expect(LOCK).not.toContain("--offline");
    expect(LOCK).toContain("tofu_version: ${{ env.TOFU_VERSION }}");
    expect(LOCK).toMatch(/TOFU_VERSION: "(\d+\.\d+\.\d+)"/);
    expect(LOCK.match(/TOFU_VERSION: "(\d+\.\d+\.\d+)"/)![1]).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "toolchain.json"), "utf8")).opentofu.version);
    expect(LOCK).toMatch(/name: provider-locks\n\s+path: provider-locks\/\*\.terraform\.lock\.hcl\n\s+if-no-files-found: error/);
  });
});
