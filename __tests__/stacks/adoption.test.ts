/**
 * Default-VPC network mode and the adoption mapping: moved for the same type, import +
 * removed (destroy = false) for a type change, leftovers forgotten or destroyed, and a
 * clear error naming the entry for every bad mapping.
 */
import { Testing } from "cdktf";
import { ENVIRONMENTS } from "../../config/environments";
import { loadEnvironment } from "../../config/load";
import { EnvironmentConfig } from "../../config/types";
import { resourceTypeOf } from "../../stacks/adoption";
import { SampleAppStack } from "../../stacks/sample-app-stack";

/** The book's chapter 3 deployment, as `npm run adopt` maps it. */
const BOOK_ADOPTION: NonNullable<EnvironmentConfig["adoption"]> = {
  resources: {
    "load-balancer/load-balancer": { from: "module.alb.aws_lb.sample_app" },
    "load-balancer/target-group": { from: "module.alb.aws_lb_target_group.sample_app" },
    "load-balancer/http-listener": { from: "module.alb.aws_lb_listener.sample_app" },
    "load-balancer/security-group": { from: "module.alb.aws_security_group.alb" },
    "load-balancer/ingress-80-0-0-0-0-0": { from: "module.alb.aws_security_group_rule.alb_allow_http_inbound", importId: "sgr-0123456789abcdef0" },
    "auto-scaling-group/security-group": { from: "module.asg.aws_security_group.sample_app" },
    "auto-scaling-group/launch-template": { from: "module.asg.aws_launch_template.sample_app" },
    "auto-scaling-group/asg": { from: "module.asg.aws_autoscaling_group.sample_app" },
  },
  leftovers: {
    "module.alb.aws_security_group_rule.alb_allow_all_outbound": "destroy",
    "module.asg.aws_security_group_rule.sample_app_allow_http_inbound": "destroy",
  },
};

const BOOK_NAMES: EnvironmentConfig["names"] = {
  loadBalancer: { name: "sample-app-alb" },
  targetGroup: { name: "sample-app-alb" },
  loadBalancerSecurityGroup: { name: "sample-app-alb", description: "Allow HTTP traffic into sample-app-alb" },
  instanceSecurityGroup: { name: "sample-app-asg", description: "Allow HTTP traffic into sample-app-asg" },
  launchTemplate: { namePrefix: "sample-app-asg" },
  autoScalingGroup: { namePrefix: "sample-app-asg" },
};

function synthAdopted(change: Partial<EnvironmentConfig> = {}): Record<string, unknown> {
  const config: EnvironmentConfig = { ...ENVIRONMENTS.dev, defaultVpc: {}, names: BOOK_NAMES, adoption: BOOK_ADOPTION, ...change };
  const environment = loadEnvironment("legacy", { environments: { legacy: config }, env: {} });
  const stack = new SampleAppStack(Testing.app(), "sample-app-legacy", { environment });
  return JSON.parse(Testing.synth(stack));
}

const addressOf = (synthesized: Record<string, unknown>, type: string, prefix: string) => {
  const ids = Object.keys((synthesized.resource as Record<string, Record<string, unknown>>)[type]).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return `${type}.${ids[0]}`;
};

describe("default-VPC network", () => {
  const synthesized = synthAdopted({ adoption: undefined, names: undefined });
  const resource = synthesized.resource as Record<string, Record<string, Record<string, unknown>>>;
  const data = synthesized.data as Record<string, Record<string, Record<string, unknown>>>;

  it("creates no network and looks up the default VPC and every one of its subnets", () => {
    expect(resource.aws_vpc).toBeUndefined();
    expect(resource.aws_subnet).toBeUndefined();
    expect(Object.values(data.aws_vpc)).toEqual([expect.objectContaining({ default: true })]);
    const [subnets] = Object.values(data.aws_subnets);
    expect(subnets.filter).toEqual([{ name: "vpc-id", values: [expect.stringMatching(/^\$\{data\.aws_vpc\.network_vpc_\w+\.id\}$/)] }]);
  });

  it("puts the ALB and the instances (with public addresses) in those subnets", () => {
    const subnetsRef = `\${data.aws_subnets.${Object.keys(data.aws_subnets)[0]}.ids}`;
    expect(Object.values(resource.aws_lb)[0].subnets).toBe(subnetsRef);
    expect(Object.values(resource.aws_autoscaling_group)[0].vpc_zone_identifier).toBe(subnetsRef);
    expect(Object.values(resource.aws_launch_template)[0].network_interfaces).toEqual([
      expect.objectContaining({ associate_public_ip_address: "true" }),
    ]);
  });

  it("can be limited to the default subnets", () => {
    const limited = synthAdopted({ adoption: undefined, names: undefined, defaultVpc: { defaultSubnetsOnly: true } });
    const [subnets] = Object.values((limited.data as Record<string, Record<string, Record<string, unknown>>>).aws_subnets);
    expect(subnets.filter).toContainEqual({ name: "default-for-az", values: ["true"] });
  });

  it("rejects defaultVpc together with existingNetwork", () => {
    expect(() =>
      synthAdopted({
        existingNetwork: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0000000a", "subnet-0000000b"], privateSubnetIds: ["subnet-0000000c", "subnet-0000000d"] },
      }),
    ).toThrow('environment "legacy": defaultVpc = {}: must not be set together with existingNetwork');
  });
});

describe("adoption mapping", () => {
  const synthesized = synthAdopted();
  const moved = synthesized.moved as { from: string; to: string }[];

  it("moves each resource of the same type from its old address", () => {
    expect(moved).toEqual(
      expect.arrayContaining([
        { from: "module.alb.aws_lb.sample_app", to: addressOf(synthesized, "aws_lb", "load-balancer_") },
        { from: "module.alb.aws_lb_target_group.sample_app", to: addressOf(synthesized, "aws_lb_target_group", "load-balancer_target-group") },
        { from: "module.alb.aws_lb_listener.sample_app", to: addressOf(synthesized, "aws_lb_listener", "load-balancer_http-listener") },
        { from: "module.alb.aws_security_group.alb", to: addressOf(synthesized, "aws_security_group", "load-balancer_security-group") },
        { from: "module.asg.aws_security_group.sample_app", to: addressOf(synthesized, "aws_security_group", "auto-scaling-group_security-group") },
        { from: "module.asg.aws_launch_template.sample_app", to: addressOf(synthesized, "aws_launch_template", "auto-scaling-group_launch-template") },
        { from: "module.asg.aws_autoscaling_group.sample_app", to: addressOf(synthesized, "aws_autoscaling_group", "auto-scaling-group_asg") },
      ]),
    );
    expect(moved).toHaveLength(7);
  });

  it("imports a rule whose type changes by its id and forgets (never destroys) the old address", () => {
    expect(synthesized.import).toEqual([
      { to: addressOf(synthesized, "aws_vpc_security_group_ingress_rule", "load-balancer_ingress-80"), id: "sgr-0123456789abcdef0" },
    ]);
    expect(synthesized.removed).toEqual([
      { from: "module.alb.aws_security_group_rule.alb_allow_http_inbound", lifecycle: { destroy: false } },
      { from: "module.alb.aws_security_group_rule.alb_allow_all_outbound", lifecycle: { destroy: true } },
      { from: "module.asg.aws_security_group_rule.sample_app_allow_http_inbound", lifecycle: { destroy: true } },
    ]);
  });

  it("keeps the adopted names", () => {
    const resource = synthesized.resource as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.values(resource.aws_lb)[0].name).toBe("sample-app-alb");
    expect(Object.values(resource.aws_autoscaling_group)[0].name_prefix).toBe("sample-app-asg");
  });

  const withResources = (resources: Record<string, { from: string; importId?: string }>, extra: object = {}) => ({
    adoption: { ...BOOK_ADOPTION, ...extra, resources: { ...BOOK_ADOPTION.resources, ...resources } },
  });

  it.each<[string, Partial<EnvironmentConfig>, string]>([
    [
      "a construct path that names no resource",
      withResources({ "load-balancer/load-balancr": { from: "module.alb.aws_lb.other" } }),
      'adoption.resources["load-balancer/load-balancr"]: names no resource of the stack; did you mean "load-balancer/load-balancer"?',
    ],
    [
      "a type change without an import id",
      withResources({ "load-balancer/ingress-80-0-0-0-0-0": { from: "module.alb.aws_security_group_rule.alb_allow_http_inbound" } }),
      'adoption.resources["load-balancer/ingress-80-0-0-0-0-0"]: the old resource is a aws_security_group_rule, this one a aws_vpc_security_group_ingress_rule; a moved block cannot change the type, so set importId',
    ],
    [
      "two resources mapped to one old address",
      withResources({ "auto-scaling-group/security-group": { from: "module.alb.aws_security_group.alb" } }),
      'adoption.resources["auto-scaling-group/security-group"].from = "module.alb.aws_security_group.alb": already taken over by adoption.resources["load-balancer/security-group"]',
    ],
    [
      "an old address that is not in the old state",
      withResources({}, { stateAddresses: ["module.alb.aws_lb.sample_app"] }),
      'adoption.resources["load-balancer/target-group"].from = "module.alb.aws_lb_target_group.sample_app": no such resource in the old state',
    ],
    [
      "a malformed old address",
      withResources({ "load-balancer/load-balancer": { from: "module.alb" } }),
      'adoption.resources["load-balancer/load-balancer"].from = "module.alb": must be a managed resource instance address like module.alb.aws_lb.sample_app or module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound[0] ("module.alb" is not a resource address: expected ".<resource type>.<name>" after the module path (a module is not a resource) at the end)',
    ],
  ])("rejects %s, naming the entry", (_case, change, message) => {
    expect(() => synthAdopted(change)).toThrow(message);
  });

  it("rejects an unknown leftover action in the config, naming the entry", () => {
    expect(() =>
      synthAdopted({ adoption: { ...BOOK_ADOPTION, leftovers: { "module.alb.aws_security_group_rule.alb_allow_all_outbound": "keep" as never } } }),
    ).toThrow('environment "legacy": adoption.leftovers.module.alb.aws_security_group_rule.alb_allow_all_outbound = "keep": must be "forget" or "destroy"');
  });

  describe("instance keys", () => {
    const SSH = "module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound";
    const removedOf = (synthesized: Record<string, unknown>) => synthesized.removed as { from: string; lifecycle: { destroy: boolean } }[];

    it("a counted leftover is removed by its resource address, never with the key", () => {
      const synthesized = synthAdopted({ adoption: { ...BOOK_ADOPTION, leftovers: { ...BOOK_ADOPTION.leftovers, [`${SSH}[0]`]: "destroy" } } });
      expect(removedOf(synthesized)).toContainEqual({ from: SSH, lifecycle: { destroy: true } });
      expect(JSON.stringify(synthesized.removed)).not.toContain("[0]");
    });

    it("moves each adopted instance and removes the rest of the resource with one block", () => {
      const listener = 'module.alb.aws_lb_listener.this["http"]';
      const synthesized = synthAdopted({
        adoption: {
          resources: { ...BOOK_ADOPTION.resources, "load-balancer/http-listener": { from: listener } },
          leftovers: { ...BOOK_ADOPTION.leftovers, 'module.alb.aws_lb_listener.this["https"]': "forget", "module.alb.aws_lb_listener.sample_app": "forget" },
        },
      });
      expect(synthesized.moved).toContainEqual({ from: listener, to: addressOf(synthesized, "aws_lb_listener", "load-balancer_http-listener") });
      expect(removedOf(synthesized).filter((block) => block.from.startsWith("module.alb.aws_lb_listener"))).toEqual([
        { from: "module.alb.aws_lb_listener.this", lifecycle: { destroy: false } },
        { from: "module.alb.aws_lb_listener.sample_app", lifecycle: { destroy: false } },
      ]);
      // In the Terraform JSON the key's quotes are escaped by JSON, once.
      expect(JSON.stringify(synthesized.moved)).toContain('"from":"module.alb.aws_lb_listener.this[\\"http\\"]"');
    });

    it("drops module instance keys from removed (module.x[0] -> module.x), keeps them in moved", () => {
      const synthesized = synthAdopted({
        adoption: {
          ...BOOK_ADOPTION,
          resources: { ...BOOK_ADOPTION.resources, "auto-scaling-group/asg": { from: 'module.fleet["blue"].aws_autoscaling_group.this[0]' } },
          leftovers: { ...BOOK_ADOPTION.leftovers, "module.asg.aws_autoscaling_group.sample_app": "forget", 'module.fleet["green"].aws_autoscaling_group.this[0]': "forget" },
        },
      });
      expect(synthesized.moved).toContainEqual({ from: 'module.fleet["blue"].aws_autoscaling_group.this[0]', to: addressOf(synthesized, "aws_autoscaling_group", "auto-scaling-group_asg") });
      expect(removedOf(synthesized)).toContainEqual({ from: "module.fleet.aws_autoscaling_group.this", lifecycle: { destroy: false } });
    });

    it("writes a key as OpenTofu prints it, whatever form the mapping used", () => {
      const synthesized = synthAdopted({
        adoption: { ...BOOK_ADOPTION, leftovers: { ...BOOK_ADOPTION.leftovers, [`${SSH}[00]`]: "forget" }, stateAddresses: undefined },
      });
      expect(removedOf(synthesized)).toContainEqual({ from: SSH, lifecycle: { destroy: false } });
    });

    it("refuses instances of one resource that would need both kept and destroyed, naming them", () => {
      const rule = "module.alb.aws_security_group_rule.rules";
      expect(() =>
        synthAdopted({
          adoption: {
            resources: { ...BOOK_ADOPTION.resources, "load-balancer/ingress-80-0-0-0-0-0": { from: `${rule}[0]`, importId: "sgr-0123456789abcdef0" } },
            leftovers: { ...BOOK_ADOPTION.leftovers, "module.alb.aws_security_group_rule.alb_allow_http_inbound": "forget", [`${rule}[1]`]: "destroy" },
          },
        }),
      ).toThrow(
        `removed { from = ${rule} } would have to keep ${rule}[0] (imported into adoption.resources["load-balancer/ingress-80-0-0-0-0-0"]) and destroy ${rule}[1] (adoption.leftovers["${rule}[1]"] = "destroy"): ` +
          `a removed block names the resource, not an instance, so every instance left at that address is forgotten or destroyed alike. ` +
          `Set adoption.leftovers["${rule}[1]"] to "forget" (and delete the object by hand after the apply), or map it to a resource of the stack`,
      );
    });

    it("refuses a removed block that would take an unlisted instance of the old state along", () => {
      const stateAddresses = [
        ...Object.values(BOOK_ADOPTION.resources).map((entry) => entry.from),
        ...Object.keys(BOOK_ADOPTION.leftovers!),
        `${SSH}[0]`,
        `${SSH}[1]`,
      ];
      expect(() => synthAdopted({ adoption: { ...BOOK_ADOPTION, leftovers: { ...BOOK_ADOPTION.leftovers, [`${SSH}[0]`]: "destroy" }, stateAddresses } })).toThrow(
        `removed { from = ${SSH} } would also destroy ${SSH}[1], which the mapping neither adopts nor lists in adoption.leftovers; list it there`,
      );
    });

    it("refuses an old-state address that is neither mapped nor a leftover (tofu would destroy it)", () => {
      const stateAddresses = [
        ...Object.values(BOOK_ADOPTION.resources).map((entry) => entry.from),
        ...Object.keys(BOOK_ADOPTION.leftovers!),
        "module.alb.aws_lb_listener_rule.static",
        'module.asg.aws_cloudwatch_metric_alarm.cpu["high"]',
      ];
      expect(() => synthAdopted({ adoption: { ...BOOK_ADOPTION, stateAddresses } })).toThrow(
        'adoption.stateAddresses: module.alb.aws_lb_listener_rule.static, module.asg.aws_cloudwatch_metric_alarm.cpu["high"] are in the old state but neither taken over in adoption.resources ' +
          'nor listed in adoption.leftovers, so tofu would destroy them; map each to a resource of the stack, or list them in adoption.leftovers as "forget" or "destroy"',
      );
      const accounted = [...Object.values(BOOK_ADOPTION.resources).map((entry) => entry.from), ...Object.keys(BOOK_ADOPTION.leftovers!)];
      expect(() => synthAdopted({ adoption: { ...BOOK_ADOPTION, stateAddresses: accounted } })).not.toThrow();
    });

    it("rejects a malformed key, saying where", () => {
      expect(() => synthAdopted({ adoption: { ...BOOK_ADOPTION, leftovers: { [`${SSH}[zero]`]: "forget" } } })).toThrow(
        `adoption.leftovers["${SSH}[zero]"]: must be a managed resource instance address like module.alb.aws_lb.sample_app or module.asg.aws_security_group_rule.sample_app_allow_ssh_inbound[0] ("${SSH}[zero]" is not a resource address: expected an instance key: a number or a quoted string at character 65 ("zero]"))`,
      );
    });
  });

  it("reads resource types from addresses, modules and indexes included", () => {
    expect(resourceTypeOf("module.alb.aws_lb.sample_app")).toBe("aws_lb");
    expect(resourceTypeOf('module.x["a"].module.y[0].aws_instance.web[2]')).toBe("aws_instance");
    expect(resourceTypeOf("data.aws_vpc.default")).toBeUndefined();
    expect(resourceTypeOf("module.alb")).toBeUndefined();
  });
});

describe("state of an adopted deployment", () => {
  it("keeps an existing S3 key path exactly (s3Backend.key), with a DynamoDB lock table", () => {
    const synthesized = synthAdopted({
      adoption: undefined,
      names: undefined,
      s3Backend: { bucket: "team-terraform-state", key: "live/asg-sample/terraform.tfstate", dynamodbTable: "terraform-locks" },
    });
    expect((synthesized.terraform as { backend: { s3: Record<string, unknown> } }).backend.s3).toMatchObject({
      bucket: "team-terraform-state",
      key: "live/asg-sample/terraform.tfstate",
      dynamodb_table: "terraform-locks",
    });
  });

  it("rejects key together with keyPrefix, and a key that is no state key", () => {
    expect(() => synthAdopted({ s3Backend: { bucket: "team-terraform-state", key: "a/terraform.tfstate", keyPrefix: "a" } })).toThrow(
      'environment "legacy": s3Backend.key = "a/terraform.tfstate": must not be set together with keyPrefix',
    );
    expect(() => synthAdopted({ s3Backend: { bucket: "team-terraform-state", key: "/abs/state" } })).toThrow("s3Backend.key = \"/abs/state\": must be an S3 key like");
  });
});

describe("ExistingNetwork from another stack's outputs", () => {
  it("accepts tokens from terraform_remote_state and checks pasted ids as before", () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { TerraformStack, DataTerraformRemoteStateS3, Fn } = require("cdktf");
    const { ExistingNetwork } = require("../../modules/network/existing-network");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const stack = new TerraformStack(Testing.app(), "s");
    const remote = new DataTerraformRemoteStateS3(stack, "network-state", { bucket: "team-terraform-state", key: "network/terraform.tfstate", region: "us-east-1" });
    const network = new ExistingNetwork(stack, "network", {
      vpcId: remote.getString("vpc_id"),
      publicSubnetIds: Fn.tolist(remote.get("public_subnet_ids")),
      privateSubnetIds: Fn.tolist(remote.get("private_subnet_ids")),
    });
    expect(network.vpcId).toContain("${TfToken[");
    expect(() => new ExistingNetwork(stack, "pasted", { vpcId: "vpc-1", publicSubnetIds: [], privateSubnetIds: [] })).toThrow("vpcId must be a VPC id");
  });
});

describe("existing networks for adopted deployments", () => {
  it("reads the network from another stack's outputs (terraform_remote_state in S3)", () => {
    const synthesized = synthAdopted({
      adoption: undefined,
      names: undefined,
      defaultVpc: undefined,
      existingNetworkFromState: { bucket: "team-terraform-state", key: "network/terraform.tfstate", outputs: { vpcId: "main_vpc_id" } },
    });
    const remote = Object.values((synthesized.data as Record<string, Record<string, Record<string, unknown>>>).terraform_remote_state)[0];
    expect(remote).toMatchObject({ backend: "s3", config: { bucket: "team-terraform-state", key: "network/terraform.tfstate", region: "us-east-1" } });
    const resource = synthesized.resource as Record<string, Record<string, Record<string, unknown>>>;
    expect(resource.aws_vpc).toBeUndefined();
    expect(String(Object.values(resource.aws_lb_target_group)[0].vpc_id)).toMatch(/^\$\{data\.terraform_remote_state\.network-state\.outputs\.main_vpc_id\}$/);
    expect(String(Object.values(resource.aws_lb)[0].subnets)).toContain("outputs.public_subnet_ids");
    expect(String(Object.values(resource.aws_autoscaling_group)[0].vpc_zone_identifier)).toContain("outputs.private_subnet_ids");
  });

  it("rejects it together with defaultVpc", () => {
    expect(() => synthAdopted({ existingNetworkFromState: { bucket: "team-terraform-state", key: "network/terraform.tfstate" } })).toThrow(
      "existingNetworkFromState",
    );
  });

  it("takes existing public-only subnets: the instances share them, with public addresses", () => {
    const synthesized = synthAdopted({
      adoption: undefined,
      names: undefined,
      defaultVpc: undefined,
      existingNetwork: { vpcId: "vpc-0123456789abcdef0", publicSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"] },
    });
    const resource = synthesized.resource as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.values(resource.aws_autoscaling_group)[0].vpc_zone_identifier).toEqual(["subnet-0000000000000000a", "subnet-0000000000000000b"]);
    expect(Object.values(resource.aws_launch_template)[0].network_interfaces).toEqual([expect.objectContaining({ associate_public_ip_address: "true" })]);
  });
});
