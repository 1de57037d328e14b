/**
 * review --out: the directory the report and plan go to is review's own, checked like
 * every output directory (modules/core/output-path.cjs): not empty, not /, $HOME, the
 * project root or above, no tracked files, not a file or a symbolic link, and either new,
 * empty, marked by REVIEW_MARKER, or holding only reports of an earlier version
 * (sample-app-<env>.{md,json,tfplan}).
 */
import * as fs from "fs";
import * as path from "path";
import { checkOutputDirectory } from "../../modules/core/output-path.cjs";

export const REVIEW_MARKER = ".sample-app-review.json";
const EARLIER_REPORT = /^sample-app-[a-z0-9-]+\.(md|json|tfplan|tfplan\.partial)$/;

/** The absolute directory for `--out <raw>` (raw undefined: `fallback`); throws OutputPathError naming --out. */
export function checkReviewOutDir(raw: string | undefined, root: string, fallback: string): string {
  return checkOutputDirectory("--out", raw, {
    root,
    fallback,
    example: "cdktf.out/review",
    marker: REVIEW_MARKER,
    owner: "npm run review",
    recognise: (_dir, entries) => entries.every((entry) => EARLIER_REPORT.test(entry)),
  });
}

/** Creates the directory (and its marker) before the first report is written into it. */
export function claimReviewOutDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const marker = path.join(dir, REVIEW_MARKER);
  if (!fs.existsSync(marker)) {
    fs.writeFileSync(marker, `${JSON.stringify({ writtenBy: "npm run review (sample-app-infra)", note: "review writes <stack>.md, <stack>.json and <stack>.tfplan here" }, null, 2)}\n`);
  }
}
