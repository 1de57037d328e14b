import { PolicyRule } from "../rule";
import { isTrue } from "../stack-view";

/** Backends that store state remotely, encrypted and locked by the service itself. */
const MANAGED_BACKENDS = new Set(["remote", "cloud"]);

/** SA-011: production state is remote, encrypted at rest and locked against concurrent applies. */
export const SA011_REMOTE_STATE: PolicyRule = {
  id: "SA-011",
  name: "Remote, encrypted, locked state in production",
  rationale: "State holds every resource's secrets and ids: a laptop file gets lost, an unlocked one gets corrupted by two applies.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const [kind, settings = {}] = Object.entries(stack.backend)[0] ?? ["local", {}];
    if (MANAGED_BACKENDS.has(kind)) {
      return [];
    }
    if (kind !== "s3") {
      return [
        {
          setting: "terraform.backend",
          message: `state is kept by the "${kind}" backend; production state must be remote (S3 with encryption and locking): set s3Backend, or apply sample-app-bootstrap and run npm run state:settings`,
          missingSetting: kind === "local" ? "s3Backend" : undefined,
        },
      ];
    }
    const problems: string[] = [];
    if (!isTrue(settings.encrypt) && settings.kms_key_id === undefined) {
      problems.push("encrypt = true (or a kms_key_id)");
    }
    if (!isTrue(settings.use_lockfile) && settings.dynamodb_table === undefined) {
      problems.push("use_lockfile = true (or a dynamodb_table)");
    }
    return problems.length === 0
      ? []
      : [{ setting: "terraform.backend.s3", message: `the S3 backend must set ${problems.join(" and ")}` }];
  },
};
