import { PolicyRule, Violation } from "../rule";
import { ResourceView, StackView, blocks, referencedResource, resourcesOfType } from "../stack-view";

/** Statements of a policy: `undefined` when it cannot be read at synth time. */
function statementsOf(stack: StackView, policy: unknown): { effect: string; actions: string[] }[] | undefined {
  const document = referencedResource(stack, policy);
  if (document?.type === "aws_iam_policy_document" && document.isData) {
    return blocks(document.values.statement).map((statement) => ({
      effect: String(statement.effect ?? "Allow"),
      actions: Array.isArray(statement.actions) ? statement.actions.map(String) : [],
    }));
  }
  if (typeof policy !== "string" || policy.includes("${")) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(policy) as { Statement?: unknown };
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    return statements
      .filter((statement): statement is Record<string, unknown> => statement !== null && typeof statement === "object")
      .map((statement) => ({
        effect: String(statement.Effect ?? "Allow"),
        actions: (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a) => a !== undefined).map(String),
      }));
  } catch {
    return undefined;
  }
}

function check(stack: StackView, resource: ResourceView, policy: unknown, where: string, violations: Violation[]): void {
  const statements = statementsOf(stack, policy);
  if (statements === undefined) {
    violations.push({
      resource,
      message: `${where} cannot be read at synth time; write it as JSON or an aws_iam_policy_document so its actions can be checked`,
    });
    return;
  }
  const wildcards = statements.filter((statement) => statement.effect === "Allow").flatMap((statement) => statement.actions.filter((action) => action.includes("*")));
  if (wildcards.length > 0) {
    violations.push({ resource, message: `${where} allows wildcard actions ${[...new Set(wildcards)].join(", ")}; list the actions needed` });
  }
}

/** SA-013: policies the stack writes name their actions; no `*`, no `service:*`, no `service:Get*`. */
export const SA013_NO_WILDCARD_ACTIONS: PolicyRule = {
  id: "SA-013",
  name: "No wildcard IAM actions in the stack's policies",
  rationale: "A wildcard grants every action the service adds later too; least privilege needs the list written out.",
  level: "error",
  check(stack) {
    const violations: Violation[] = [];
    for (const resource of resourcesOfType(stack, "aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy")) {
      check(stack, resource, resource.values.policy, "policy", violations);
    }
    for (const resource of resourcesOfType(stack, "aws_iam_role")) {
      for (const inline of blocks(resource.values.inline_policy)) {
        check(stack, resource, inline.policy, `inline_policy ${String(inline.name ?? "")}`.trim(), violations);
      }
    }
    return violations;
  },
};
