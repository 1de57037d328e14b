import { IAspect, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { PolicyRule } from "./rule";
import { RULES } from "./rules";
import { stackViewOf } from "./stack-view";
import { Suppression, checkReason, checkResourcePath, checkRuleId, suppressionsOn } from "./suppressions";

/** One violation as reported. */
export interface Finding {
  readonly rule: string;
  /** Level after strict mode: a deferred error is reported as a warning. */
  readonly level: "error" | "warning";
  /** Construct path below the stack, or a stack setting. */
  readonly subject: string;
  /** Terraform address of the resource, when the subject is one. */
  readonly address?: string;
  readonly message: string;
  /** The setting that cannot ship in the repo and is missing (an error in strict mode). */
  readonly missingSetting?: string;
}

export interface SuppressedFinding {
  readonly rule: string;
  readonly subject: string;
  readonly message: string;
  readonly reason: string;
}

/** Everything the policy checks found in one stack. */
export interface PolicyReport {
  readonly stackId: string;
  readonly production: boolean;
  readonly strict: boolean;
  readonly rulesChecked: number;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched a subject without a violation (harmless, but worth deleting). */
  readonly unusedSuppressions: readonly Suppression[];
  /** Problems with the suppressions themselves (unknown rule, no reason, no such resource): errors. */
  readonly suppressionErrors: readonly string[];
}

export interface PolicyChecksProps {
  /**
   * Apply the production-only rules (HTTPS, deletion protection, remote state, promoted image, WAF).
   * @default false
   */
  readonly production?: boolean;
  /**
   * Make violations that only lack a setting the repo cannot ship (certificate ARN,
   * state bucket) errors instead of warnings. Used before applying to production.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Rules switched off for single resources, each with a reason.
   * @default []
   */
  readonly suppressions?: readonly Suppression[];
  /**
   * The rules to apply.
   * @default every rule (RULES)
   */
  readonly rules?: readonly PolicyRule[];
}

/**
 * The project's policy rules, applied as an Aspect: added to a stack, it checks the
 * stack's synthesized Terraform JSON when the stack is validated (after every other
 * construct and aspect has done its work). Errors fail the synth with the rule id,
 * the resource and the fix; warnings and suppressions are in {@link report}.
 */
export class PolicyChecks implements IAspect {
  /** The last report, per stack id; set when a stack has been validated. */
  public readonly reports = new Map<string, PolicyReport>();
  private readonly production: boolean;
  private readonly strict: boolean;
  private readonly suppressions: readonly Suppression[];
  private readonly rules: readonly PolicyRule[];
  private readonly stacks = new Set<TerraformStack>();
  private readonly codeSuppressions = new Map<TerraformStack, Suppression[]>();
  /** The Terraform JSON a stack's validation checked, until the synthesizer takes it. */
  private readonly checkedJson = new WeakMap<TerraformStack, unknown>();

  constructor(props: PolicyChecksProps = {}) {
    this.production = props.production ?? false;
    this.strict = props.strict ?? false;
    this.suppressions = props.suppressions ?? [];
    this.rules = props.rules ?? RULES;
  }

  public visit(node: IConstruct): void {
    if (node instanceof TerraformStack) {
      if (!this.stacks.has(node)) {
        this.stacks.add(node);
        this.codeSuppressions.set(node, []);
        node.node.addValidation({
          validate: () => {
            // Never hand out JSON from an earlier validation: the stack may have changed since.
            this.checkedJson.delete(node);
            const json = node.toTerraform();
            const report = this.checkJson(node, json);
            this.checkedJson.set(node, json);
            return this.errorsOf(report);
          },
        });
      }
      return;
    }
    const inCode = suppressionsOn(node);
    if (inCode.length > 0 && TerraformResource.isTerraformResource(node)) {
      const stack = TerraformStack.of(node);
      const path = node.node.path.slice(stack.node.path.length + 1);
      this.codeSuppressions.get(stack)?.push(...inCode.map((entry) => ({ ...entry, resource: path })));
    }
  }

  /** Runs every rule on the stack as it would be synthesized now. */
  public check(stack: TerraformStack): PolicyReport {
    return this.checkJson(stack, stack.toTerraform());
  }

  /**
   * The JSON the stack's validation just checked, once: cdktf's synthesizer runs the
   * validations and then resolves the whole stack again for the same JSON (nothing changes
   * the stack in between), which a stack can skip by returning this from `toTerraform()`
   * (SampleAppStack does). Undefined when there is none, or it was taken already.
   */
  public takeCheckedJson(stack: TerraformStack): unknown {
    const json = this.checkedJson.get(stack);
    this.checkedJson.delete(stack);
    return json;
  }

  private checkJson(stack: TerraformStack, json: unknown): PolicyReport {
    const stackId = stack.node.id;
    const view = stackViewOf(json, stackId, this.production);
    const subjects = new Set([...view.resources.map((resource) => resource.path), "terraform.backend", "terraform.backend.s3"]);
    const suppressionErrors: string[] = [];
    const suppressions = [...this.suppressions, ...(this.codeSuppressions.get(stack) ?? [])];
    for (const suppression of this.suppressions) {
      const problems = [
        checkRuleId(suppression.rule) && `rule ${checkRuleId(suppression.rule)}`,
        checkReason(suppression.reason) && `reason ${checkReason(suppression.reason)}`,
        checkResourcePath(suppression.resource) && `resource ${checkResourcePath(suppression.resource)}`,
        !checkResourcePath(suppression.resource) && !subjects.has(suppression.resource)
          ? `resource: no resource of ${stackId} has this path; the paths are printed by the synth next to each finding`
          : undefined,
      ].filter(Boolean);
      if (problems.length > 0) {
        suppressionErrors.push(`suppression of ${JSON.stringify(suppression.rule)} for ${JSON.stringify(suppression.resource)}: ${problems.join("; ")}`);
      }
    }

    const findings: Finding[] = [];
    const suppressed: SuppressedFinding[] = [];
    const used = new Set<Suppression>();
    for (const rule of this.rules) {
      if (rule.productionOnly && !this.production) {
        continue;
      }
      for (const violation of rule.check(view)) {
        const subject = violation.resource?.path ?? violation.setting ?? stackId;
        const suppression = suppressions.find((candidate) => candidate.rule === rule.id && candidate.resource === subject);
        if (suppression) {
          used.add(suppression);
          suppressed.push({ rule: rule.id, subject, message: violation.message, reason: suppression.reason });
          continue;
        }
        const deferred = rule.level === "error" && violation.missingSetting !== undefined && !this.strict;
        findings.push({
          rule: rule.id,
          level: deferred ? "warning" : rule.level,
          subject,
          address: violation.resource?.address,
          message: violation.message,
          missingSetting: violation.missingSetting,
        });
      }
    }
    const report: PolicyReport = {
      stackId,
      production: this.production,
      strict: this.strict,
      rulesChecked: this.rules.filter((rule) => this.production || !rule.productionOnly).length,
      findings,
      suppressed,
      unusedSuppressions: suppressions.filter((suppression) => !used.has(suppression) && subjects.has(suppression.resource)),
      suppressionErrors,
    };
    this.reports.set(stackId, report);
    return report;
  }

  private errorsOf(report: PolicyReport): string[] {
    return [
      ...report.suppressionErrors,
      ...report.findings
        .filter((finding) => finding.level === "error")
        .map((finding) => `${finding.rule} ${finding.subject}: ${finding.message}`),
    ];
  }
}
