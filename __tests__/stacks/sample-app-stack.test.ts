import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../../config/environments";
import { loadEnvironment, readImageAppPort } from "../../config/load";
import { EnvironmentConfig } from "../../config/types";
import { SampleAppStack, USER_DATA_PATH, renderUserData, stackIdFor } from "../../stacks/sample-app-stack";
import { LOAD_BALANCER_DEFAULTS } from "../../modules/load-balancer/load-balancer";
import { Synthesized, onlyResource, resourcesOf } from "../helpers";
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS shared with the scripts
const { cdktfTestingText } = require("../../scripts/lib/cdk-library.cjs");

// A project root without state-backend.json, as on a fresh clone, whatever this checkout holds.
const FRESH_CLONE = { projectRoot: fs.mkdtempSync(path.join(os.tmpdir(), "stack-test-")), imageAppPort: readImageAppPort() };

function synthStack(name: string, change: Partial<EnvironmentConfig> = {}, env: NodeJS.ProcessEnv = {}): string {
  const environment = loadEnvironment(name, { ...FRESH_CLONE, environments: { ...ENVIRONMENTS, [name]: { ...ENVIRONMENTS[name], ...change } }, env });
  const app = Testing.app();
  const stack = new SampleAppStack(app, stackIdFor(name), { environment });
  return Testing.synth(stack, true);
}

const parsed = (synthesized: string): Synthesized => JSON.parse(synthesized);

describe.each(["dev", "stage", "prod", "local"])("stack sample-app-%s", (name) => {
  const synthesized = synthStack(name);
  const config = ENVIRONMENTS[name];

  it("matches the snapshot (tripwire: review the diff, then update with jest -u)", () => {
    // In cdktf's form under either library (cdktn writes empty objects as {}): SAMPLE_APP_CDK.
    expect(cdktfTestingText(synthesized)).toMatchSnapshot();
  });

  it("tags everything with project, environment and ManagedBy through provider default tags", () => {
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
      region: config.region,
      default_tags: [{ tags: { Project: "sample-app", Environment: name, ManagedBy: "cdktf" } }],
    });
  });

  it("exposes the outputs a deployment pipeline needs", () => {
    expect(Object.keys(parsed(synthesized).output ?? {}).sort()).toEqual(
      ["alb_dns_name", "alb_url", "asg_name", "launch_template_id", "rollout_alarm_names", "target_group_arn", "vpc_id"],
    );
    expect(String(parsed(synthesized).output?.alb_url.value)).toMatch(/^http:\/\/\$\{aws_lb\.[^}]+\.dns_name\}$/);
  });

  it("watches the target group's 5xx and unhealthy-host alarms during every instance refresh", () => {
    const alarms = resourcesOf(synthesized, "aws_cloudwatch_metric_alarm");
    expect(Object.values(alarms).map((alarm) => [alarm.alarm_name, alarm.metric_name, alarm.dimensions])).toEqual([
      [`sample-app-${name}-target-5xx`, "HTTPCode_Target_5XX_Count", { LoadBalancer: expect.stringContaining(".arn_suffix}"), TargetGroup: expect.stringContaining(".arn_suffix}") }],
      [`sample-app-${name}-unhealthy-hosts`, "UnHealthyHostCount", { LoadBalancer: expect.stringContaining(".arn_suffix}"), TargetGroup: expect.stringContaining(".arn_suffix}") }],
    ]);
    const names = Object.keys(alarms).map((id) => `\${aws_cloudwatch_metric_alarm.${id}.alarm_name}`);
    const group = onlyResource(synthesized, "aws_autoscaling_group") as { instance_refresh: { preferences: Record<string, unknown> } };
    expect(group.instance_refresh.preferences.alarm_specification).toEqual({ alarms: names });
    expect(String(parsed(synthesized).output?.rollout_alarm_names.value)).toContain("aws_cloudwatch_metric_alarm.");
  });

  it("keeps its state in a local file at a predictable path in the repo", () => {
    expect(parsed(synthesized).terraform?.backend).toEqual({ local: { path: `../../../.state/sample-app-${name}.tfstate` } });
  });

  it("rolls the group with the configured instance refresh", () => {
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      name: `sample-app-${name}`,
      min_size: config.capacity.min,
      max_size: config.capacity.max,
      desired_capacity: config.capacity.desired,
      instance_refresh: expect.objectContaining({
        strategy: "Rolling",
        preferences: expect.objectContaining({ min_healthy_percentage: 100, max_healthy_percentage: 200, auto_rollback: true }),
      }),
    });
  });

  it("boots instances with app/user-data.sh rendered with the environment's app port", () => {
    const template = onlyResource(synthesized, "aws_launch_template");
    const userData = Buffer.from(String(template.user_data), "base64").toString("utf8");
    expect(userData).toBe(fs.readFileSync(USER_DATA_PATH, "utf8").replace(/@APP_PORT@/g, String(config.appPort)));
    expect(userData).toContain(`readonly APP_PORT=${config.appPort}\n`);
    expect(userData).not.toMatch(/@[A-Z_]+@/);
  });

  it("places instances in private subnets when there is NAT, otherwise in public subnets with public IPs", () => {
    const group = onlyResource(synthesized, "aws_autoscaling_group");
    const subnets = resourcesOf(synthesized, "aws_subnet");
    const tierOf = (reference: string) => {
      const logicalId = reference.split(".")[1];
      return (subnets[logicalId].tags as Record<string, string>).Tier;
    };
    const tiers = new Set((group.vpc_zone_identifier as string[]).map(tierOf));
    const template = onlyResource(synthesized, "aws_launch_template");
    if (config.natMode === "none") {
      expect(tiers).toEqual(new Set(["public"]));
      expect(template.network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "true" })]);
    } else {
      expect(tiers).toEqual(new Set(["private"]));
      expect(template.network_interfaces).toBeUndefined();
    }
    expect((group.vpc_zone_identifier as string[]).length).toBe(config.azCount);
  });
});

describe("the app and the load balancer in front of it", () => {
  it("keep idle connections open longer than the ALB does, so the ALB never reuses one the app is closing (502s)", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { DEFAULTS } = require("../../app/config");
    const processFile = require("../../app/app.config.js");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const keepAliveMs = Number(processFile.apps[0].env.KEEP_ALIVE_TIMEOUT_MS ?? DEFAULTS.keepAliveTimeoutMs);
    expect(keepAliveMs).toBeGreaterThan(LOAD_BALANCER_DEFAULTS.idleTimeoutSeconds * 1000);
  });
});

describe("user data", () => {
  it("takes the port from appPort, the port the target group checks", () => {
    expect(renderUserData(9090, "readonly APP_PORT=@APP_PORT@\n")).toBe("readonly APP_PORT=9090\n");
  });

  it("fails on a placeholder without a value, or a value without a placeholder", () => {
    expect(() => renderUserData(8080, "@APP_PORT@ @APP_USER@")).toThrow("user-data.sh: no value for @APP_USER@");
    expect(() => renderUserData(8080, "echo hello")).toThrow("user-data.sh: no placeholder for @APP_PORT@");
  });
});

describe("provider", () => {
  it("pins the AWS provider the bindings were generated from", () => {
    expect((parsed(synthStack("prod")).terraform?.required_providers as Record<string, unknown>).aws).toEqual({
      source: "registry.opentofu.org/hashicorp/aws",
      version: "6.25.0",
    });
  });

  // cdktf's lock-file check (cdktf diff / deploy) looks the provider up in .terraform.lock.hcl
  // under the source as written; a bare "aws" would be read as registry.terraform.io.
  it("spells out the provider's registry host, OpenTofu's by default and Terraform's when configured", () => {
    const source = (name: string, change: Partial<EnvironmentConfig> = {}) =>
      (parsed(synthStack(name, change)).terraform?.required_providers as Record<string, { source: string }>).aws.source;
    expect(source("local")).toBe("registry.opentofu.org/hashicorp/aws");
    expect(source("dev", { providerRegistry: "registry.terraform.io" })).toBe("registry.terraform.io/hashicorp/aws");
  });

  it("restricts the provider to accountId when it is set (allowed_account_ids), and to no account otherwise", () => {
    expect(synthStack("prod", { accountId: "111122223333" })).toHaveProviderWithProperties(AwsProvider, { allowed_account_ids: ["111122223333"] });
    expect(synthStack("local", { accountId: "123456789012" })).toHaveProviderWithProperties(AwsProvider, { allowed_account_ids: ["123456789012"] });
    expect((parsed(synthStack("prod")).provider?.aws as Record<string, unknown>[])[0].allowed_account_ids).toBeUndefined();
    expect(() => synthStack("dev", { accountId: "1111-2222-3333" })).toThrow('environment "dev": accountId = "1111-2222-3333": must be a 12-digit AWS account id like "123456789012"');
  });

  it("rejects a provider registry that is not a hostname", () => {
    for (const bad of ["https://registry.terraform.io", "registry.terraform.io/hashicorp", "Registry.Example.com", "localhost"]) {
      expect(() => synthStack("dev", { providerRegistry: bad })).toThrow(/providerRegistry.*must be a registry hostname/);
    }
  });

  it("pins the locally built provider for the local environment, and an overridden version when asked", () => {
    const toolchain = JSON.parse(fs.readFileSync(`${__dirname}/../../toolchain.json`, "utf8"));
    expect((parsed(synthStack("local")).terraform?.required_providers as Record<string, { version: string }>).aws.version).toBe(
      toolchain.awsProvider.version,
    );
    const overridden = synthStack("prod", {}, { SAMPLE_APP_AWS_PROVIDER_VERSION: "6.30.0" });
    expect((parsed(overridden).terraform?.required_providers as Record<string, { version: string }>).aws.version).toBe("6.30.0");
  });

  it("points every service the stack uses at the emulator for the local environment, with dummy credentials", () => {
    const synthesized = synthStack("local", {}, { SAMPLE_APP_EMULATOR_ENDPOINT: "http://127.0.0.1:4999" });
    const endpoint = "http://127.0.0.1:4999";
    expect(synthesized).toHaveProviderWithProperties(AwsProvider, {
      access_key: "test",
      secret_key: "test",
      skip_credentials_validation: true,
      skip_metadata_api_check: "true",
      endpoints: [expect.objectContaining({ ec2: endpoint, elbv2: endpoint, autoscaling: endpoint, iam: endpoint, sts: endpoint })],
    });
  });

  it("keeps a normal provider block for the real environments", () => {
    const provider = (parsed(synthStack("prod")).provider?.aws as Record<string, unknown>[])[0];
    expect(Object.keys(provider).sort()).toEqual(["default_tags", "region"]);
  });
});

describe("backend", () => {
  it("uses S3 with a key per stack, encryption and a lock file when a bucket is named", () => {
    const synthesized = synthStack("prod", { s3Backend: { bucket: "acme-tofu-state", keyPrefix: "platform/sample-app", region: "eu-west-1" } });
    expect(parsed(synthesized).terraform?.backend).toEqual({
      s3: {
        bucket: "acme-tofu-state",
        key: "platform/sample-app/sample-app-prod.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  });
});

describe("image sources", () => {
  it("uses an explicit AMI id as is", () => {
    expect(synthStack("dev", { image: { kind: "ami", amiId: "ami-0123456789abcdef0" } })).toHaveResourceWithProperties(LaunchTemplate, {
      image_id: "ami-0123456789abcdef0",
    });
  });

  it("looks up the newest image by name pattern and owner at plan time", () => {
    const synthesized = synthStack("dev");
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsAmi, {
      most_recent: true,
      owners: ["self"],
      filter: expect.arrayContaining([{ name: "name", values: ["sample-app-packer-*"] }]),
    });
    expect(String(onlyResource(synthesized, "aws_launch_template").image_id)).toMatch(/^\$\{data\.aws_ami\.[^}]+\.id\}$/);
  });

  it("changing only the image id changes only the launch template", () => {
    const before = parsed(synthStack("local", {}, { SAMPLE_APP_IMAGE_ID_LOCAL: "ami-0aaaaaaaaaaaaaaa1" })).resource ?? {};
    const after = parsed(synthStack("local", {}, { SAMPLE_APP_IMAGE_ID_LOCAL: "ami-0bbbbbbbbbbbbbbb2" })).resource ?? {};
    const changed = Object.keys(after).flatMap((type) =>
      Object.keys(after[type]).filter((id) => JSON.stringify(after[type][id]) !== JSON.stringify(before[type]?.[id])).map((id) => `${type}.${id}`),
    );
    expect(changed).toEqual([expect.stringMatching(/^aws_launch_template\./)]);
  });
});

describe("existing network", () => {
  it("creates no network resources and runs in the given subnets", () => {
    const synthesized = synthStack("stage", {
      existingNetwork: {
        vpcId: "vpc-0123456789abcdef0",
        publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
        privateSubnetIds: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
      },
    });
    for (const type of ["aws_vpc", "aws_subnet", "aws_nat_gateway", "aws_internet_gateway", "aws_route_table"]) {
      expect(resourcesOf(synthesized, type)).toEqual({});
    }
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      vpc_zone_identifier: ["subnet-0000000000000000c", "subnet-0000000000000000d"],
    });
    expect(parsed(synthesized).output?.vpc_id.value).toBe("vpc-0123456789abcdef0");
  });
});

describe("HTTPS", () => {
  it("serves the app over HTTPS and says so in alb_url when a certificate is configured", () => {
    const synthesized = synthStack("prod", {
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1f2e3d4c-0000-4000-8000-123456789abc",
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_lb_listener"))).toHaveLength(2);
    expect(String(parsed(synthesized).output?.alb_url.value)).toMatch(/^https:\/\//);
  });
});

describe("rollout alarms in the stack", () => {
  it("can be switched off, leaving user-named alarms in the specification", () => {
    const synthesized = synthStack("stage", { rolloutAlarms: { enabled: false }, instanceRefresh: { alarmNames: ["team-latency"] } });
    expect(resourcesOf(synthesized, "aws_cloudwatch_metric_alarm")).toEqual({});
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      instance_refresh: expect.objectContaining({ preferences: expect.objectContaining({ alarm_specification: { alarms: ["team-latency"] } }) }),
    });
  });

  it("passes thresholds, periods and checkpoints from the config", () => {
    const synthesized = synthStack("stage", {
      rolloutAlarms: { target5xx: { threshold: 25, periodSeconds: 120, evaluationPeriods: 2 } },
      instanceRefresh: { checkpoints: { percentages: [50, 100], delaySeconds: 600 } },
    });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: "sample-app-stage-target-5xx",
      threshold: 25,
      period: 120,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      statistic: "Sum",
      comparison_operator: "GreaterThanOrEqualToThreshold",
      treat_missing_data: "notBreaching",
    });
    expect(synthesized).toHaveResourceWithProperties(AutoscalingGroup, {
      instance_refresh: expect.objectContaining({
        preferences: expect.objectContaining({ checkpoint_percentages: [50, 100], checkpoint_delay: "600", auto_rollback: true }),
      }),
    });
  });
});

describe("request-count scaling and scheduled actions from the configuration", () => {
  const synthesized = synthStack("stage", {
    requestCountTargetTracking: { targetRequestsPerTarget: 1200 },
    scheduledActions: {
      "weekday-morning": { recurrence: "0 8 * * MON-FRI", timeZone: "Europe/Berlin", min: 4, desired: 4 },
      "weekday-evening": { recurrence: "0 19 * * MON-FRI", timeZone: "Europe/Berlin", min: 2 },
    },
  });

  it("tracks the stack's own load balancer and target group, and names the schedules as configured (min/max/desired to the provider's sizes)", () => {
    const policy = Object.values(resourcesOf(synthesized, "aws_autoscaling_policy")).find((p) => p.name === "sample-app-stage-request-count-target-tracking")!;
    const lb = Object.keys(resourcesOf(synthesized, "aws_lb"))[0];
    const tg = Object.keys(resourcesOf(synthesized, "aws_lb_target_group"))[0];
    expect(policy.target_tracking_configuration).toEqual({
      predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: `\${aws_lb.${lb}.arn_suffix}/\${aws_lb_target_group.${tg}.arn_suffix}` },
      target_value: 1200,
    });
    const schedules = Object.values(resourcesOf(synthesized, "aws_autoscaling_schedule"));
    expect(schedules.map((s) => [s.scheduled_action_name, s.min_size, s.max_size, s.desired_capacity, s.time_zone]).sort()).toEqual([
      ["weekday-evening", 2, -1, -1, "Europe/Berlin"],
      ["weekday-morning", 4, -1, 4, "Europe/Berlin"],
    ]);
  });

  it("leaves every shipped environment without them", () => {
    for (const name of ["dev", "stage", "prod", "local"]) {
      expect(resourcesOf(synthStack(name), "aws_autoscaling_schedule")).toEqual({});
      expect(Object.values(resourcesOf(synthStack(name), "aws_autoscaling_policy")).map((p) => p.name)).toEqual([`sample-app-${name}-cpu-target-tracking`]);
    }
  });
});
