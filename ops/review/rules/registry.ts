/**
 * Which rule judges which resource type. A type not listed here is not classified: every
 * change to it needs approval ("not classified: review by hand"). Add a type by writing its
 * rule in the file for its area (traffic, fleet, network, evidence) and listing it here.
 */
import * as evidence from "./evidence";
import * as fleet from "./fleet";
import * as network from "./network";
import { TypeRule } from "./rule";
import * as traffic from "./traffic";

export const RULES: Readonly<Record<string, TypeRule>> = {
  // traffic: the request path
  aws_lb: traffic.loadBalancer,
  aws_alb: traffic.loadBalancer,
  aws_lb_listener: traffic.listener,
  aws_alb_listener: traffic.listener,
  aws_lb_listener_rule: traffic.listenerRule,
  aws_alb_listener_rule: traffic.listenerRule,
  aws_lb_target_group: traffic.targetGroup,
  aws_alb_target_group: traffic.targetGroup,
  aws_lb_target_group_attachment: traffic.targetRegistration,
  aws_alb_target_group_attachment: traffic.targetRegistration,
  aws_autoscaling_attachment: traffic.groupAttachment,
  aws_autoscaling_traffic_source_attachment: traffic.groupAttachment,
  aws_lb_listener_certificate: traffic.listenerCertificate,
  aws_acm_certificate: traffic.certificate,
  aws_acm_certificate_validation: traffic.certificateValidation,
  aws_wafv2_web_acl: traffic.webAcl,
  aws_wafv2_web_acl_association: traffic.webAclAssociation,
  aws_wafv2_web_acl_logging_configuration: traffic.webAclLogging,
  aws_route53_record: traffic.dnsRecord,
  // fleet: the instances and what they run as
  aws_autoscaling_group: fleet.autoScalingGroup,
  aws_launch_template: fleet.launchTemplate,
  aws_autoscaling_policy: fleet.scalingPolicy,
  aws_autoscaling_schedule: fleet.scheduledAction,
  aws_autoscaling_lifecycle_hook: fleet.lifecycleHook,
  aws_iam_role: fleet.iamRole,
  aws_iam_instance_profile: fleet.instanceProfile,
  aws_iam_role_policy: fleet.rolePolicy,
  aws_iam_role_policy_attachment: fleet.rolePolicy,
  aws_iam_policy: fleet.managedPolicy,
  // network: reachability
  aws_vpc: network.vpc,
  aws_subnet: network.subnet,
  aws_internet_gateway: network.internetGateway,
  aws_nat_gateway: network.natGateway,
  aws_eip: network.elasticIp,
  aws_route: network.route,
  aws_route_table: network.routeTable,
  aws_route_table_association: network.routeTableAssociation,
  aws_security_group: network.securityGroup,
  aws_security_group_rule: network.securityGroupRule,
  aws_vpc_security_group_ingress_rule: network.securityGroupRule,
  aws_vpc_security_group_egress_rule: network.securityGroupRule,
  aws_default_security_group: network.defaultSecurityGroup,
  aws_network_acl: network.networkAcl,
  aws_network_acl_rule: network.networkAcl,
  aws_network_acl_association: network.networkAcl,
  // evidence and state
  aws_s3_bucket: evidence.bucket,
  aws_s3_bucket_versioning: evidence.bucketVersioning,
  aws_s3_bucket_public_access_block: evidence.bucketPublicAccessBlock,
  aws_s3_bucket_server_side_encryption_configuration: evidence.bucketEncryption,
  aws_s3_bucket_policy: evidence.bucketPolicy,
  aws_s3_bucket_lifecycle_configuration: evidence.bucketLifecycle,
  aws_s3_bucket_ownership_controls: evidence.bucketOwnership,
  aws_s3_bucket_logging: evidence.bucketLogging,
  aws_cloudwatch_log_group: evidence.logGroup,
  aws_flow_log: evidence.flowLog,
  aws_cloudwatch_metric_alarm: evidence.metricAlarm,
  aws_dynamodb_table: evidence.lockTable,
  aws_kms_key: evidence.kmsKey,
  aws_kms_alias: evidence.kmsAlias,
  aws_cloudtrail: evidence.trail,
};
