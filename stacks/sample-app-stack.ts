import * as fs from "fs";
import * as path from "path";
import { Construct } from "constructs";
import { Aspects, DataTerraformRemoteStateS3, Fn, TerraformOutput, Token } from "cdktf";
import { PROJECT } from "../config/environments";
import { EnvironmentConfig, ResolvedEnvironment, StateBackend } from "../config/schema";
import { PROJECT_ROOT } from "../modules/core/project-root";
import { renderTemplate } from "./user-data";
import { AppAutoScalingGroup } from "../modules/auto-scaling-group/app-auto-scaling-group";
import { terminatingHookTimeoutSeconds } from "../modules/auto-scaling-group/warm-pool-and-hooks";
import { readAppDrainSeconds } from "./app-drain";
import { AmiLookup } from "../modules/image/ami-lookup";
import { AccessLogsProps, LOAD_BALANCER_DEFAULTS, LoadBalancer } from "../modules/load-balancer/load-balancer";
import { DefaultVpcNetwork } from "../modules/network/default-vpc-network";
import { RolloutAlarms } from "../modules/load-balancer/rollout-alarms";
import { ExistingNetwork } from "../modules/network/existing-network";
import { applyAdoption } from "./adoption";
import { INetwork } from "../modules/network/network-ref";
import { Network } from "../modules/network/network";
import { capacityPropsOf, flowLogsPropsOf, groupNamesOf, loadBalancerNamesOf, scheduledActionsPropsOf } from "../config/to-props";
import { LoadBalancerLogBucket } from "../modules/log-bucket/log-bucket";
import { PolicyChecks } from "../policy/policy-checks";
import { SelfContainedStack } from "./synth/self-contained-stack";
import { declareAwsProvider } from "./aws-provider";
import { declareStateBackend } from "./state-backend";

/** The one file that holds the instances' boot script (checked by shellcheck in CI); a template. */
export const USER_DATA_PATH = path.join(PROJECT_ROOT, "app", "user-data.sh");

/**
 * The group's lifecycle hooks for an environment: the terminating hook (unless disabled) holds
 * an instance for the deregistration delay plus the app's drain time unless a timeout is given.
 * `appDrainSeconds` defaults to the image's (app/app.config.js, read only when needed).
 */
export function lifecycleHooksOf(config: EnvironmentConfig, appDrainSeconds?: number) {
  const hooks = config.lifecycleHooks;
  if (hooks === undefined) {
    return undefined;
  }
  const delay = config.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds;
  const terminating =
    hooks.terminating?.enabled === false
      ? undefined
      : { heartbeatTimeoutSeconds: hooks.terminating?.heartbeatTimeoutSeconds ?? terminatingHookTimeoutSeconds(delay, appDrainSeconds ?? readAppDrainSeconds()) };
  return { terminating, launching: hooks.launching };
}

/** app/user-data.sh rendered for an environment: `@APP_PORT@` becomes its appPort. */
export function renderUserData(appPort: number, template: string = fs.readFileSync(USER_DATA_PATH, "utf8")): string {
  return renderTemplate(template, { APP_PORT: String(appPort) }, USER_DATA_PATH);
}

export { localStatePath, stackIdFor } from "../config/stack-ids";

export interface SampleAppStackProps {
  /** The validated environment. */
  readonly environment: ResolvedEnvironment;
  /**
   * Boot script of the instances.
   * @default app/user-data.sh rendered with the environment's appPort
   */
  readonly userData?: string;
  /**
   * Policy strict mode: violations that only lack a setting the repo cannot ship
   * (certificate ARN, state bucket) fail the synth instead of warning.
   * @default false
   */
  readonly strict?: boolean;
}

/**
 * One environment of the sample app: network, load balancer and auto scaling group,
 * with the provider, backend and outputs that environment needs.
 */
export class SampleAppStack extends SelfContainedStack {
  /** The policy rules applied to this stack; its report is filled in when the stack is synthesized. */
  public readonly policy: PolicyChecks;
  /**
   * Where this stack keeps its state (local file or S3 bucket and key, lock table, KMS
   * key), as declared in its backend block; read by policy checks.
   */
  public readonly stateBackend: StateBackend;

  constructor(scope: Construct, id: string, props: SampleAppStackProps) {
    super(scope, id);
    const { name, config, image } = props.environment;

    this.policy = new PolicyChecks({
      production: config.production ?? false,
      strict: props.strict ?? false,
      suppressions: config.policy?.suppressions ?? [],
    });
    Aspects.of(this).add(this.policy);

    this.configureProvider(name, props.environment);
    this.stateBackend = props.environment.backend;
    declareStateBackend(this, this.stateBackend);

    const network: INetwork = config.defaultVpc
      ? new DefaultVpcNetwork(this, "network", config.defaultVpc)
      : config.existingNetworkFromState
      ? this.networkFromState(config.existingNetworkFromState, config.region)
      : config.existingNetwork
      ? new ExistingNetwork(this, "network", config.existingNetwork)
      : new Network(this, "network", {
          name: id,
          cidrBlock: config.vpcCidr,
          azCount: config.azCount,
          natMode: config.natMode,
          subnetPrefixLength: config.subnetPrefixLength,
          flowLogs: flowLogsPropsOf(config.flowLogs),
        });

    const names = config.names;
    const accessLogs = this.accessLogsOf(id, config.accessLogs);

    const loadBalancer = new LoadBalancer(this, "load-balancer", {
      name: id,
      names: loadBalancerNamesOf(names),
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      appPort: config.appPort,
      allowedCidrs: config.allowedCidrs,
      certificateArn: config.certificateArn,
      deletionProtection: config.deletionProtection,
      healthCheck: config.healthCheck,
      deregistrationDelaySeconds: config.deregistrationDelaySeconds,
      slowStartSeconds: config.slowStartSeconds,
      accessLogs,
      waf: config.waf,
    });

    // A refresh that trips one of these fails, and with auto rollback rolls back.
    const rolloutAlarms =
      config.rolloutAlarms?.enabled === false
        ? undefined
        : new RolloutAlarms(this, "rollout-alarms", {
            name: id,
            loadBalancerArnSuffix: loadBalancer.loadBalancerArnSuffix,
            targetGroupArnSuffix: loadBalancer.targetGroupArnSuffix,
            target5xx: config.rolloutAlarms?.target5xx,
            unhealthyHosts: config.rolloutAlarms?.unhealthyHosts,
          });
    const refreshAlarmNames = [...(rolloutAlarms?.alarmNames ?? []), ...(config.instanceRefresh?.alarmNames ?? [])];

    const imageId =
      image.kind === "ami"
        ? image.amiId
        : new AmiLookup(this, "image", { namePattern: image.namePattern, owners: image.owners, requiredTagKeys: image.requiredTagKeys }).imageId;

    // Without NAT the private subnets have no way out, so instances run in the public
    // subnets with public addresses (still reachable only from the ALB's security group).
    const instancesInPublicSubnets = !network.privateSubnetsHaveEgress;
    const group = new AppAutoScalingGroup(this, "auto-scaling-group", {
      name: id,
      names: groupNamesOf(names),
      vpcId: network.vpcId,
      subnetIds: instancesInPublicSubnets ? network.publicSubnetIds : network.privateSubnetIds,
      associatePublicIpAddress: instancesInPublicSubnets,
      imageId,
      instanceType: config.instanceType,
      mixedInstances: config.mixedInstances,
      warmPool: config.warmPool,
      lifecycleHooks: lifecycleHooksOf(config),
      deregistrationDelaySeconds: config.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds,
      userData: props.userData ?? renderUserData(config.appPort),
      appPort: config.appPort,
      loadBalancer,
      ...capacityPropsOf(config.capacity),
      instanceRefresh: {
        ...config.instanceRefresh,
        alarmNames: refreshAlarmNames.length > 0 ? refreshAlarmNames : undefined,
      },
      cpuTargetTracking: config.cpuTargetTracking,
      requestCountTargetTracking: config.requestCountTargetTracking,
      scheduledActions: scheduledActionsPropsOf(config.scheduledActions),
      instanceTags: { Project: PROJECT, Environment: name },
      ssmAccess: config.ssmAccess,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      alb_dns_name: { value: loadBalancer.dnsName, description: "DNS name of the load balancer" },
      alb_url: { value: loadBalancer.url, description: "URL of the app through the load balancer" },
      target_group_arn: { value: loadBalancer.targetGroupArn, description: "Target group the instances register into" },
      asg_name: { value: group.autoScalingGroupName, description: "Name of the auto scaling group" },
      launch_template_id: { value: group.launchTemplateId, description: "Launch template of the instances" },
      vpc_id: { value: network.vpcId, description: "VPC of the stack" },
      rollout_alarm_names: {
        value: Fn.join(",", refreshAlarmNames),
        description: "CloudWatch alarms the instance refresh watches (comma-separated; npm run rollout reads them)",
      },
    };
    for (const [outputName, output] of Object.entries(outputs)) {
      new TerraformOutput(this, outputName, output).overrideLogicalId(outputName);
    }

    // Last, once every resource exists: the mapping names them by construct path.
    if (config.adoption) {
      applyAdoption(this, config.adoption);
    }
  }

  /**
   * An existing network read from another stack's outputs: the ids are tokens resolved at
   * plan time, so the synth-time id checks are skipped (the provider checks them).
   */
  private networkFromState(from: NonNullable<EnvironmentConfig["existingNetworkFromState"]>, region: string): INetwork {
    const state = new DataTerraformRemoteStateS3(this, "network-state", { bucket: from.bucket, key: from.key, region: from.region ?? region });
    return new ExistingNetwork(this, "network", {
      vpcId: state.getString(from.outputs?.vpcId ?? "vpc_id"),
      publicSubnetIds: Token.asList(Fn.tolist(state.get(from.outputs?.publicSubnetIds ?? "public_subnet_ids"))),
      privateSubnetIds: Token.asList(Fn.tolist(state.get(from.outputs?.privateSubnetIds ?? "private_subnet_ids"))),
      privateSubnetsHaveEgress: from.privateSubnetsHaveEgress,
    });
  }

  /** ALB access logs: to the existing bucket the config names, or to one the stack creates. */
  private accessLogsOf(id: string, config: EnvironmentConfig["accessLogs"]): AccessLogsProps {
    if (config?.existingBucketName !== undefined) {
      return { bucketName: config.existingBucketName, prefix: config.prefix };
    }
    const bucket = new LoadBalancerLogBucket(this, "access-logs", {
      ...(config?.bucketName !== undefined ? { bucketName: config.bucketName } : { namePrefix: `${id}-logs-` }),
      logPrefix: config?.prefix,
      expirationDays: config?.expirationDays,
    });
    return { bucketName: bucket.bucketName, prefix: bucket.logPrefix, dependsOn: [bucket.policy] };
  }

  private configureProvider(name: string, environment: ResolvedEnvironment): void {
    const { config } = environment;
    declareAwsProvider(this, {
      region: config.region,
      tags: { Project: PROJECT, Environment: name, ManagedBy: "cdktf" },
      emulatorEndpoint: config.emulator?.endpoint,
      awsProviderVersion: config.awsProviderVersion,
      providerRegistry: config.providerRegistry,
      accountId: config.accountId,
    });
  }

  /** The JSON the policy checks resolved when the stack was validated (once). */
  protected takeCheckedJson(): unknown {
    return this.policy.takeCheckedJson(this);
  }
}
