import { PolicyReport } from "./policy-checks";

/** How a run is made strict; printed with every deferred warning. */
export const STRICT_HINT = "an error with --strict or SAMPLE_APP_STRICT=1";

/** The report as the synth prints it: a summary line, then one line per finding and suppression. */
export function formatReport(report: PolicyReport): string[] {
  const errors = report.findings.filter((finding) => finding.level === "error").length + report.suppressionErrors.length;
  const warnings = report.findings.length - report.findings.filter((finding) => finding.level === "error").length;
  const mode = [report.production ? "production" : undefined, report.strict ? "strict" : undefined].filter(Boolean).join(", ");
  const lines = [
    `policy ${report.stackId}${mode ? ` (${mode})` : ""}: ${report.rulesChecked} rules, ${errors} error${errors === 1 ? "" : "s"}, ` +
      `${warnings} warning${warnings === 1 ? "" : "s"}, ${report.suppressed.length} suppressed`,
  ];
  for (const problem of report.suppressionErrors) {
    lines.push(`  error ${problem}`);
  }
  for (const finding of report.findings) {
    const where = finding.address ? `${finding.subject} (${finding.address})` : finding.subject;
    const deferred = finding.missingSetting && finding.level === "warning" ? ` [missing setting ${finding.missingSetting}: ${STRICT_HINT}]` : "";
    lines.push(`  ${finding.level} ${finding.rule} ${where}: ${finding.message}${deferred}`);
  }
  for (const suppression of report.suppressed) {
    lines.push(`  suppressed ${suppression.rule} ${suppression.subject}: ${suppression.reason}`);
  }
  for (const suppression of report.unusedSuppressions) {
    lines.push(`  unused suppression ${suppression.rule} ${suppression.resource}: nothing to suppress there any more; delete it`);
  }
  return lines;
}
