/**
 * Changes a reviewer meets, applied to a synthesized stack (cdk.tf.json) the way a code
 * change would alter it. Shared by the review e2e test and the recorder of the classifier's
 * fixtures (scripts/record-plan-fixtures.mjs). Resources are found by type and by role
 * (what references what), never by their construct ids, so renamed constructs still work.
 *
 * CommonJS on purpose: loaded by jest tests and by an ESM script without a build.
 */
const fs = require("fs");
const path = require("path");

function readStack(stackDir) {
  return JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
}

function writeStack(stackDir, json) {
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(json, null, 2));
}

/** The one resource of a type; fails loudly when the stack has none or several. */
function only(json, type) {
  const entries = Object.entries(json.resource?.[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected one ${type} in the stack, found ${entries.length}`);
  return entries[0];
}

/** The security group the launch template gives the instances. */
function instanceSecurityGroup(json) {
  const [, template] = only(json, "aws_launch_template");
  const text = JSON.stringify([template.vpc_security_group_ids, template.network_interfaces]);
  const match = /aws_security_group\.([\w-]+)\.id/.exec(text);
  if (!match) throw new Error("the launch template references no security group");
  return json.resource.aws_security_group[match[1]];
}

/** Edits of the synthesized JSON, by scenario name. Each returns a short description. */
const SCENARIOS = {
  "alb-rename": (json) => {
    const [, alb] = only(json, "aws_lb");
    alb.name = `${alb.name}-v2`;
    return `the load balancer renamed to ${alb.name}`;
  },
  "capacity-change": (json) => {
    const [, group] = only(json, "aws_autoscaling_group");
    group.max_size += 2;
    return `the group's max_size raised to ${group.max_size}`;
  },
  "instance-sg-rename": (json) => {
    const group = instanceSecurityGroup(json);
    // Either a fixed name or a name prefix, as names.useNamePrefix chooses.
    const key = group.name_prefix !== undefined ? "name_prefix" : "name";
    group[key] = key === "name_prefix" ? `${group.name_prefix}v2-` : `${group.name}-v2`;
    return `the instances' security group's ${key} changed to ${group[key]}`;
  },
  "capacity-raise": (json) => {
    const [, group] = only(json, "aws_autoscaling_group");
    group.min_size = group.max_size;
    return `the group's min_size raised to its max_size ${group.max_size} (Auto Scaling raises the desired capacity with it)`;
  },
  "target-group-port": (json) => {
    const [, targetGroup] = only(json, "aws_lb_target_group");
    targetGroup.port += 1;
    return `the target group's port changed to ${targetGroup.port}`;
  },
  "health-check-path": (json) => {
    const [, targetGroup] = only(json, "aws_lb_target_group");
    targetGroup.health_check.path = "/healthz";
    return "the target group's health check path changed to /healthz";
  },
  "listener-fixed-503": (json) => {
    const [, listener] = only(json, "aws_lb_listener");
    listener.default_action = [{ type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "maintenance", status_code: "503" } }];
    return "the listener answers a fixed 503";
  },
  "deregistration-delay-0": (json) => {
    const [, targetGroup] = only(json, "aws_lb_target_group");
    targetGroup.deregistration_delay = "0";
    return "the target group's deregistration delay set to 0";
  },
  "scaling-policy": (json) => {
    const [, policy] = only(json, "aws_autoscaling_policy");
    policy.target_tracking_configuration.target_value = 65;
    return "the CPU target raised to 65 %";
  },
  "scheduled-scale-in": (json) => {
    const [groupId, group] = only(json, "aws_autoscaling_group");
    json.resource.aws_autoscaling_schedule = {
      "night-scale-in": {
        scheduled_action_name: "night-scale-in",
        autoscaling_group_name: `\${aws_autoscaling_group.${groupId}.name}`,
        recurrence: "0 22 * * *",
        time_zone: "Europe/Berlin",
        min_size: -1,
        max_size: group.min_size,
        desired_capacity: group.min_size,
      },
    };
    return `a nightly schedule (22:00 Europe/Berlin) that sets the group's max and desired to ${group.min_size}`;
  },
};

function applyScenario(stackDir, name) {
  const edit = SCENARIOS[name];
  if (!edit) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
  const json = readStack(stackDir);
  const description = edit(json);
  writeStack(stackDir, json);
  return description;
}

module.exports = { SCENARIOS, applyScenario, readStack, writeStack };
