// Records what the review's rolled-back-image check reads, by running the real OpenTofu
// and AWS provider against the emulator (__tests__/fixtures/rollback/):
//
//   provider-order/  deploy image 1, apply image 2 (the provider moves the group to launch
//                    template version 2, then starts the refresh: #34189), an alarm in ALARM
//                    mid-refresh rolls it back. Recorded: the AWS describe output the review
//                    reads, and the plans a user meets next: no changes, a launch template
//                    change, a capacity change, image 1 set again.
//   true-rollback/   the refresh redone in the order AWS intends (group on version 1, desired
//                    configuration version 2), rolled back: the group is back on version 1 and
//                    the next plan moves it to version 2 again.
//
// Re-run after a provider, emulator or stack change: node scripts/record-rollback-fixtures.mjs
// (needs npm run toolchain). Prints what each plan changes.
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLaunchTemplateVersionsCommand, EC2Client } from "@aws-sdk/client-ec2";

const require = createRequire(import.meta.url);
// The pinned SDK warns on Node 20 about future releases; it supports Node 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
const harness = require("../emulator/local-cloud.js");
const { applyScenario } = require("../e2e/plan-scenarios.js");

const FIRST_IMAGE = "ami-0a0000000000000a1";
const SECOND_IMAGE = "ami-0b0000000000000b2";
const FIXTURES = join(harness.ROOT, "__tests__", "fixtures", "rollback");

const toolchain = harness.findToolchain();
harness.buildApp();
const emulator = await harness.startEmulator(toolchain, { extraArgs: ["--refresh-pending-seconds", "1", "--refresh-step-seconds", "3"] });
const config = { endpoint: emulator.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } };
const autoscaling = new AutoScalingClient(config);
const ec2 = new EC2Client(config);
const cloudwatch = new CloudWatchClient(config);
const work = mkdtempSync(join(tmpdir(), "sample-app-rollback-fixtures-"));
const outdir = join(work, "cdktf.out");

const tofu = (args, stackDir, options) => harness.tofu(toolchain, args, stackDir, options);
const synth = (imageId) => harness.synthLocal(outdir, { endpoint: emulator.endpoint, imageId });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function newestRefresh(group) {
  return (await autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group }))).InstanceRefreshes[0];
}

async function waitFor(group, done) {
  for (let i = 0; i < 600; i++) {
    const refresh = await newestRefresh(group);
    if (done(refresh)) return refresh;
    await sleep(250);
  }
  throw new Error("the refresh did not get there in 150 s");
}

/** The describe output the review reads (as the SDK returns it, without $metadata). */
async function recordAws(dir, group) {
  const strip = (output) => {
    const copy = { ...output };
    delete copy.$metadata;
    return copy;
  };
  const groups = strip(await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] })));
  const templateId = groups.AutoScalingGroups[0].LaunchTemplate.LaunchTemplateId;
  const aws = {
    describeAutoScalingGroups: groups,
    describeInstanceRefreshes: strip(await autoscaling.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: group }))),
    describeLaunchTemplateVersions: strip(await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId }))),
  };
  writeFileSync(join(dir, "aws.json"), `${JSON.stringify(aws, null, 2)}\n`);
}

function recordPlan(dir, name, stackDir) {
  const text = tofu(["plan", "-input=false", "-no-color", "-out=fixture.plan"], stackDir).stdout;
  const json = tofu(["show", "-json", "fixture.plan"], stackDir).stdout;
  const plan = JSON.parse(json);
  writeFileSync(join(dir, `${name}.plan.json`), json.endsWith("\n") ? json : `${json}\n`);
  rmSync(join(stackDir, "fixture.plan"), { force: true });
  const summary = /Plan: .*|No changes\..*/.exec(text)?.[0];
  const changed = plan.resource_changes.filter((rc) => rc.change.actions.join() !== "no-op").map((rc) => `${rc.type}:${rc.change.actions.join("+")}`);
  console.log(`${dir.slice(FIXTURES.length + 1)}/${name}: ${summary} ${changed.join(", ")}`);
}

/** An edit of the launch template that is not the image: the instance type. */
function templateChange(stackDir) {
  const file = join(stackDir, "cdk.tf.json");
  const json = JSON.parse(readFileSync(file, "utf8"));
  const [, template] = Object.entries(json.resource.aws_launch_template)[0];
  template.instance_type = template.instance_type === "t3.small" ? "t3.medium" : "t3.small";
  writeFileSync(file, JSON.stringify(json, null, 2));
}

try {
  // --- the provider's order of calls
  let dir = join(FIXTURES, "provider-order");
  mkdirSync(dir, { recursive: true });
  let stackDir = synth(FIRST_IMAGE);
  tofu(["init", "-input=false"], stackDir);
  tofu(["apply", "-input=false", "-auto-approve"], stackDir);
  const outputs = JSON.parse(tofu(["output", "-json"], stackDir).stdout);
  const group = outputs.asg_name.value;
  const templateId = outputs.launch_template_id.value;
  const [alarm] = outputs.rollout_alarm_names.value.split(",");
  stackDir = synth(SECOND_IMAGE);
  tofu(["apply", "-input=false", "-auto-approve"], stackDir);
  await waitFor(group, (r) => r.Status === "InProgress");
  await sleep(1000);
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: "ALARM", StateReason: "recording: ALARM" }));
  const ended = await waitFor(group, (r) => !["Pending", "InProgress", "RollbackInProgress"].includes(r.Status));
  console.log(`provider order: refresh ${ended.InstanceRefreshId} ended ${ended.Status}`);
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: "OK", StateReason: "recording: OK" }));
  await recordAws(dir, group);
  recordPlan(dir, "no-changes", stackDir);
  templateChange(stackDir);
  recordPlan(dir, "template-change", stackDir);
  stackDir = synth(SECOND_IMAGE);
  applyScenario(stackDir, "capacity-change");
  recordPlan(dir, "capacity-change", stackDir);
  stackDir = synth(FIRST_IMAGE);
  recordPlan(dir, "image-fixed", stackDir);

  // --- the order AWS intends: the group on version 1 while version 2 rolls out
  dir = join(FIXTURES, "true-rollback");
  mkdirSync(dir, { recursive: true });
  stackDir = synth(SECOND_IMAGE);
  tofu(["apply", "-input=false", "-auto-approve"], stackDir); // nothing to do: state names version 2
  await autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" } }));
  await autoscaling.send(
    new StartInstanceRefreshCommand({
      AutoScalingGroupName: group,
      Strategy: "Rolling",
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: "2" } },
      Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, AutoRollback: true, AlarmSpecification: { Alarms: outputs.rollout_alarm_names.value.split(",") } },
    }),
  );
  await waitFor(group, (r) => r.Status === "InProgress");
  await sleep(1000); // within the first step: one batch replaces every instance here
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: "ALARM", StateReason: "recording: ALARM" }));
  const second = await waitFor(group, (r) => !["Pending", "InProgress", "RollbackInProgress"].includes(r.Status));
  console.log(`true rollback: refresh ${second.InstanceRefreshId} ended ${second.Status}`);
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarm, StateValue: "OK", StateReason: "recording: OK" }));
  await recordAws(dir, group);
  recordPlan(dir, "no-config-change", stackDir);
  stackDir = synth(FIRST_IMAGE);
  recordPlan(dir, "image-fixed", stackDir);

  // --- the image set back, rolled out successfully: nothing left to flag
  dir = join(FIXTURES, "fixed");
  mkdirSync(dir, { recursive: true });
  tofu(["apply", "-input=false", "-auto-approve"], stackDir);
  const fixed = await waitFor(group, (r) => !["Pending", "InProgress", "RollbackInProgress"].includes(r.Status));
  console.log(`image set back: refresh ${fixed.InstanceRefreshId} ended ${fixed.Status}`);
  await recordAws(dir, group);
  recordPlan(dir, "no-changes", stackDir);
  stackDir = synth(SECOND_IMAGE);
  recordPlan(dir, "bad-image-again", stackDir);
  tofu(["destroy", "-input=false", "-auto-approve"], stackDir);
} finally {
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
