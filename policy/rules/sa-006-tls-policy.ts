import { PolicyRule } from "../rule";
import { resourcesOfType } from "../stack-view";

/** AWS's TLS policies whose minimum is TLS 1.2 (the FS, TLS-1-2 and TLS13 families). */
export const TLS12_POLICY = /^ELBSecurityPolicy-(?:TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/** SA-006: HTTPS listeners negotiate TLS 1.2 or newer. */
export const SA006_TLS_POLICY: PolicyRule = {
  id: "SA-006",
  name: "HTTPS listeners use a TLS 1.2+ policy",
  rationale: "TLS 1.0 and 1.1 are deprecated (RFC 8996); AWS's default listener policy still accepts them.",
  level: "error",
  check(stack) {
    return resourcesOfType(stack, "aws_lb_listener", "aws_alb_listener")
      .filter((listener) => ["HTTPS", "TLS"].includes(String(listener.values.protocol).toUpperCase()))
      .filter((listener) => !TLS12_POLICY.test(String(listener.values.ssl_policy ?? "")))
      .map((resource) => ({
        resource,
        message: `ssl_policy ${resource.values.ssl_policy === undefined ? "is not set (AWS then uses ELBSecurityPolicy-2016-08, TLS 1.0+)" : `"${String(resource.values.ssl_policy)}" allows TLS below 1.2`}; use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06`,
      }));
  },
};
