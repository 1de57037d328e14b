import * as fs from "fs";
import * as path from "path";
import { CheckovFailure, baseName, classify, parseSkips } from "../../../ops/scan/checkov-skips";

const SKIP = { check: "CKV_AWS_2", resource: "load-balancer_http-listener", reason: "HTTP until a certificate is configured; SA-007 in strict mode" };
const failure = (overrides: Partial<CheckovFailure> = {}): CheckovFailure => ({
  stack: "sample-app-dev",
  check: "CKV_AWS_2",
  resource: "aws_lb_listener.load-balancer_http-listener_283EE2AF",
  name: "Ensure ALB protocol is HTTPS",
  ...overrides,
});

describe("checkov skip list", () => {
  it("the committed list parses: every entry has a check id, a resource and a reason", () => {
    const file = path.join(__dirname, "..", "..", "..", "policy", "checkov", "checkov-skips.json");
    expect(parseSkips(fs.readFileSync(file, "utf8"), "policy/checkov/checkov-skips.json").length).toBeGreaterThan(0);
  });

  it("matches by check and by resource without cdktf's hash, whichever prefix checkov puts on the id", () => {
    expect(baseName("aws_lb.load-balancer_30A23327")).toBe("load-balancer");
    expect(baseName("resource.load-balancer_http-listener_283EE2AF")).toBe("load-balancer_http-listener");
    const result = classify([failure(), failure({ resource: "resource.load-balancer_http-listener_283EE2AF" })], [SKIP]);
    expect(result.unlisted).toEqual([]);
    expect(result.accepted).toHaveLength(2);
  });

  it("reports a finding of another check, another resource or a stack the entry does not name as unlisted", () => {
    const scoped = { ...SKIP, stacks: ["sample-app-dev"] };
    const result = classify(
      [failure({ check: "CKV_AWS_103" }), failure({ resource: "aws_lb_listener.other-listener_283EE2AF" }), failure({ stack: "sample-app-prod" })],
      [scoped],
    );
    expect(result.unlisted).toHaveLength(3);
    expect(result.unused).toEqual([scoped]);
  });

  it("rejects entries without a reason, with a malformed check id or an unknown field, and repeats", () => {
    const text = JSON.stringify({
      skips: [
        { check: "CKV_AWS_2", resource: "x" },
        { check: "AWS_2", resource: "x", reason: SKIP.reason },
        { ...SKIP, because: "y" },
        SKIP,
      ],
    });
    expect(() => parseSkips(text, "skips.json")).toThrow(
      [
        "skips.json: skips[0].reason: must say why the finding is accepted, in at least 20 characters",
        'skips.json: skips[1].check = "AWS_2": must be a checkov AWS check id like "CKV_AWS_2"',
        'skips.json: skips[2]: unknown field "because" (allowed: check, resource, stacks, reason)',
        "skips.json: skips[3]: repeats an earlier entry for CKV_AWS_2 on load-balancer_http-listener",
      ].join("\n"),
    );
    expect(() => parseSkips("{", "skips.json")).toThrow("skips.json: not valid JSON");
  });
});
