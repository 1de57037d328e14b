import { Construct } from "constructs";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { Problems, checkInteger, throwIfProblems } from "../core/checks";

/** Target tracking on the load balancer's requests per instance (ALBRequestCountPerTarget). */
export interface RequestCountTargetTrackingSettings {
  /**
   * Requests per minute per instance (the target group's RequestCountPerTarget, summed over
   * one minute) the group scales to hold, 1 to 1000000.
   */
  readonly targetRequestsPerTarget: number;
}

export interface RequestCountTargetTrackingProps extends RequestCountTargetTrackingSettings {
  /** Name of the policy. */
  readonly name: string;
  /** Name of the group it scales (a token from the group). */
  readonly autoScalingGroupName: string;
  /** The load balancer's ARN suffix (`app/<name>/<id>`, the `arn_suffix` attribute; a token). */
  readonly loadBalancerArnSuffix: string;
  /** The target group's ARN suffix (`targetgroup/<name>/<id>`, the `arn_suffix` attribute; a token). */
  readonly targetGroupArnSuffix: string;
}

/** Every rule of {@link RequestCountTargetTrackingSettings}, by prop. */
export function checkRequestCountTargetTracking(settings: RequestCountTargetTrackingSettings): Problems {
  return { targetRequestsPerTarget: checkInteger(settings.targetRequestsPerTarget, 1, 1000000) };
}

/**
 * A target tracking scaling policy on ALBRequestCountPerTarget: the group grows when each
 * instance gets more requests than the target, and shrinks when fewer. The metric's resource
 * label is built from the load balancer's and target group's ARN suffixes.
 */
export class RequestCountTargetTracking extends Construct {
  /** The policy's name. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: RequestCountTargetTrackingProps) {
    super(scope, id);
    throwIfProblems(`RequestCountTargetTracking ${this.node.path}`, checkRequestCountTargetTracking(props));
    const policy = new AutoscalingPolicy(this, "policy", {
      name: props.name,
      autoscalingGroupName: props.autoScalingGroupName,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: {
          predefinedMetricType: "ALBRequestCountPerTarget",
          resourceLabel: `${props.loadBalancerArnSuffix}/${props.targetGroupArnSuffix}`,
        },
        targetValue: props.targetRequestsPerTarget,
      },
    });
    this.policyName = policy.name;
  }
}
