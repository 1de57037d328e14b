import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadEnvironment } from "../../../config/load";
import {
  RefreshView,
  RollbackFacts,
  formatBar,
  formatElapsed,
  formatEnd,
  formatLine,
  outcomeOf,
  rollbackAdvice,
} from "../../../ops/rollout/refresh-report";
import { awsTargetFor, readStackOutputs } from "../../../ops/shared/stack-outputs";
import { parseArgs } from "../../../ops/rollout/main";
import { UsageError } from "../../../ops/shared/args";

const START = new Date("2026-01-01T10:00:00Z");
const VIEW: RefreshView = {
  id: "08b91cf7",
  status: "InProgress",
  percentageComplete: 50,
  instancesToUpdate: 1,
  statusReason: "Waiting for instances to warm up.",
  startTime: START,
};

describe("rollout: refresh display", () => {
  it("formats elapsed time in s, m and h", () => {
    expect([formatElapsed(0), formatElapsed(59.9), formatElapsed(61), formatElapsed(3723)]).toEqual(["0s", "59s", "1m01s", "1h02m03s"]);
  });

  it("prints one plain line with every field for CI logs", () => {
    expect(formatLine(VIEW, new Date("2026-01-01T10:01:05Z"))).toBe(
      '2026-01-01T10:01:05.000Z refresh 08b91cf7 status=InProgress complete=50% to_update=1 elapsed=1m05s reason="Waiting for instances to warm up."',
    );
  });

  it("draws a bar that fits the terminal and uses the end time once ended", () => {
    const ended = { ...VIEW, status: "Successful", percentageComplete: 100, instancesToUpdate: 0, statusReason: undefined, endTime: new Date("2026-01-01T10:00:30Z") };
    expect(formatBar(ended, new Date("2026-01-01T11:00:00Z"))).toBe(`[${"#".repeat(24)}] 100% Successful · 0 to update · 30s`);
    expect(formatBar(VIEW, new Date("2026-01-01T10:00:10Z"))).toContain(`[${"#".repeat(12)}${"-".repeat(12)}]  50% InProgress`);
    expect(formatBar(VIEW, START, 40)).toHaveLength(40);
  });

  it.each([
    ["Pending", "running"],
    ["InProgress", "running"],
    ["RollbackInProgress", "running"],
    ["Baking", "running"],
    ["Successful", "successful"],
    ["Failed", "unsuccessful"],
    ["Cancelled", "unsuccessful"],
    ["RollbackSuccessful", "unsuccessful"],
    ["RollbackFailed", "unsuccessful"],
  ])("treats %s as %s", (status, outcome) => {
    expect(outcomeOf(status)).toBe(outcome);
  });

  it("ends with the status and the reason", () => {
    expect(formatEnd({ ...VIEW, status: "RollbackSuccessful", statusReason: "alarm x is in ALARM state." })).toBe(
      "Instance refresh 08b91cf7 ended RollbackSuccessful: alarm x is in ALARM state.",
    );
  });
});

describe("rollout: what to set after a rollback", () => {
  const facts: RollbackFacts = {
    environment: "prod",
    stackId: "sample-app-prod",
    status: "RollbackSuccessful",
    target: { version: "7", imageId: "ami-0bad0000000000000" },
    group: { version: "7", imageId: "ami-0bad0000000000000" },
    instancesByVersion: { "7": 3 },
    previous: { imageId: "ami-0600d000000000000", source: "launch template lt-1 version 6" },
    imageKind: "lookup",
  };

  it("says the provider's rollback kept the new image (#34189) and names the previous image", () => {
    const text = rollbackAdvice(facts).join("\n");
    expect(text).toContain("The rollback did NOT restore the previous image.");
    expect(text).toContain("terraform-provider-aws issue #34189");
    expect(text).toContain('image: { kind: "ami", amiId: "ami-0600d000000000000" }');
    expect(text).toContain("SAMPLE_APP_IMAGE_ID_PROD=ami-0600d000000000000 npm run synth");
    expect(text).toContain("the newest match is still ami-0bad0000000000000");
  });

  it("warns that the next apply would deploy the rolled-back image again when the group really went back", () => {
    const text = rollbackAdvice({ ...facts, group: { version: "6", imageId: "ami-0600d000000000000" }, instancesByVersion: { "6": 3 }, imageKind: "ami" }).join("\n");
    expect(text).toContain("The group is back on launch template version 6 (ami-0600d000000000000); instances: 3 on version 6.");
    expect(text).toContain("the next tofu apply moves the group to version 7 again and rolls ami-0bad0000000000000 out again");
  });

  it("says so when no earlier image is known", () => {
    expect(rollbackAdvice({ ...facts, previous: undefined }).join("\n")).toContain("No earlier image was found");
  });
});

describe("rollout: arguments", () => {
  it("parses watch with its flags", () => {
    expect(parseArgs(["watch", "prod", "--wait", "--interval", "2", "--timeout", "600"])).toMatchObject({
      command: "watch",
      environment: "prod",
      wait: true,
      intervalSeconds: 2,
      timeoutSeconds: 600,
    });
    expect(parseArgs([]).command).toBe("help");
  });

  it.each<[string[], string]>([
    [["watch"], "watch needs an environment"],
    [["frob", "prod"], 'unknown command "frob"'],
    [["watch", "prod", "--fast"], "unknown option --fast"],
    [["watch", "prod", "--wait", "--wait"], "--wait is given more than once"],
    [["watch", "prod", "--state"], "--state needs a value"],
    [["watch", "prod", "--interval", "0"], "--interval needs a number of seconds above 0"],
    [["watch", "prod", "--timeout"], "--timeout needs a value"],
    [["cancel", "prod", "--wait"], "--wait does not apply to cancel"],
    [["watch", "prod", "--yes"], "--yes does not apply to watch"],
    [["rollback", "prod", "extra"], 'unexpected argument "extra"'],
  ])("rejects %j", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe("rollout: stack outputs and endpoint", () => {
  const local = { ...loadEnvironment("local"), backend: { kind: "local" as const, path: "../../../.state/sample-app-local.tfstate", reason: "test" } };
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-outputs-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the outputs from the state file", () => {
    const file = path.join(dir, "s.tfstate");
    fs.writeFileSync(file, JSON.stringify({ outputs: { asg_name: { value: "sample-app-local" }, launch_template_id: { value: "lt-1" } } }));
    expect(readStackOutputs(local, "sample-app-local", { stateFile: file })).toMatchObject({ asg_name: "sample-app-local", launch_template_id: "lt-1" });
  });

  it("says there is no applied state when the file is missing or the stack was destroyed", () => {
    expect(() => readStackOutputs(local, "sample-app-local", { projectRoot: dir })).toThrow(/environment "local" has no applied state: .*sample-app-local\.tfstate does not exist/);
    const file = path.join(dir, "s.tfstate");
    fs.writeFileSync(file, JSON.stringify({ version: 4, outputs: {}, resources: [] }));
    expect(() => readStackOutputs(local, "sample-app-local", { stateFile: file })).toThrow(/sample-app-local has no applied state/);
  });

  it("asks for tofu init before reading S3 state", () => {
    const remote = { ...local, backend: { kind: "s3" as const, bucket: "state-bucket", key: "sample-app/sample-app-local.tfstate", region: "us-east-1", source: "test" } };
    expect(() => readStackOutputs(remote as never, "sample-app-local", { projectRoot: dir })).toThrow(
      /environment "local" keeps its state in S3 \(s3:\/\/state-bucket\/sample-app\/sample-app-local\.tfstate\); run npm run synth and tofu init in .* first/,
    );
  });

  it("talks to the emulator for emulated environments only", () => {
    expect(awsTargetFor(local, { SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:4555" }, dir)).toEqual({ region: "us-east-1", endpoint: "http://127.0.0.1:4555" });
    expect(awsTargetFor(loadEnvironment("prod"), { SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:4555" }, dir)).toEqual({ region: "us-east-1" });
  });
});
