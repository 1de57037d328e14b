"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __name = (target, value) => __defProp(target, "name", { value, configurable: true });
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// tools/rollout.ts
var rollout_exports = {};
__export(rollout_exports, {
  main: () => main,
  parseArgs: () => parseArgs
});
module.exports = __toCommonJS(rollout_exports);
var fs6 = __toESM(require("fs"));
var path6 = __toESM(require("path"));
var readline = __toESM(require("readline"));
var import_client_auto_scaling = require("@aws-sdk/client-auto-scaling");
var import_client_cloudwatch = require("@aws-sdk/client-cloudwatch");
var import_client_ec2 = require("@aws-sdk/client-ec2");

// config/load.ts
var fs4 = __toESM(require("fs"));
var path4 = __toESM(require("path"));

// lib/cidr.ts
var CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
function parseCidr(value) {
  const match = CIDR_PATTERN.exec(value);
  if (!match) {
    return "must be an IPv4 CIDR block like 10.0.0.0/16";
  }
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((octet) => octet > 255)) {
    return "has an octet above 255";
  }
  if (match.slice(1, 6).some((part) => part.length > 1 && part.startsWith("0"))) {
    return `must be written without leading zeros (${octets.join(".")}/${Number(match[5])})`;
  }
  const prefixLength = Number(match[5]);
  if (prefixLength > 32) {
    return "has a prefix length above 32";
  }
  const address = (octets[0] << 24 | octets[1] << 16 | octets[2] << 8 | octets[3]) >>> 0;
  const network = (address & prefixMask(prefixLength)) >>> 0;
  if (network !== address) {
    return `has host bits set (the network address is ${formatCidr({ network, prefixLength })})`;
  }
  return { network, prefixLength };
}
__name(parseCidr, "parseCidr");
function mustParseCidr(value) {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") {
    throw new Error(`${value} ${parsed}`);
  }
  return parsed;
}
__name(mustParseCidr, "mustParseCidr");
function formatCidr(cidr) {
  const n = cidr.network;
  return `${n >>> 24}.${n >>> 16 & 255}.${n >>> 8 & 255}.${n & 255}/${cidr.prefixLength}`;
}
__name(formatCidr, "formatCidr");
function prefixMask(prefixLength) {
  return prefixLength === 0 ? 0 : 4294967295 << 32 - prefixLength >>> 0;
}
__name(prefixMask, "prefixMask");
function size(cidr) {
  return 2 ** (32 - cidr.prefixLength);
}
__name(size, "size");
function subnetOf(base, newBits, netNum) {
  const prefixLength = base.prefixLength + newBits;
  if (newBits < 0 || prefixLength > 32) {
    throw new Error(`cannot add ${newBits} bits to a /${base.prefixLength}`);
  }
  if (netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`network number ${netNum} does not fit in ${newBits} bits`);
  }
  return { network: base.network + netNum * 2 ** (32 - prefixLength) >>> 0, prefixLength };
}
__name(subnetOf, "subnetOf");
function cidrsOverlap(a, b) {
  const aEnd = a.network + size(a);
  const bEnd = b.network + size(b);
  return a.network < bEnd && b.network < aEnd;
}
__name(cidrsOverlap, "cidrsOverlap");
function planSubnets(vpcCidr, azCount, subnetPrefixLength) {
  const newBits = subnetPrefixLength - vpcCidr.prefixLength;
  if (newBits < 1) {
    return `subnet prefix /${subnetPrefixLength} must be longer than the VPC prefix /${vpcCidr.prefixLength}`;
  }
  if (subnetPrefixLength > 28) {
    return `subnet prefix /${subnetPrefixLength} is smaller than AWS allows (/28 at most)`;
  }
  const perHalf = 2 ** (newBits - 1);
  if (azCount > perHalf) {
    return `${azCount} public and ${azCount} private /${subnetPrefixLength} subnets do not fit in ${formatCidr(vpcCidr)} (room for ${perHalf} of each); use a larger VPC CIDR or a longer subnet prefix`;
  }
  const layout = [];
  for (let az = 0; az < azCount; az++) {
    layout.push({
      public: formatCidr(subnetOf(vpcCidr, newBits, az)),
      private: formatCidr(subnetOf(vpcCidr, newBits, perHalf + az))
    });
  }
  return layout;
}
__name(planSubnets, "planSubnets");

// lib/checks.ts
function checkInteger(value, min, max) {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    return `must be a whole number from ${min} to ${max}`;
  }
  if (value < min || value > max) {
    return `must be from ${min} to ${max}`;
  }
  return void 0;
}
__name(checkInteger, "checkInteger");
function checkPort(value) {
  return checkInteger(value, 1, 65535);
}
__name(checkPort, "checkPort");
function checkHealthCheckPath(value) {
  if (typeof value !== "string" || !value.startsWith("/")) {
    return 'must start with "/"';
  }
  if (value.length > 1024 || /\s/.test(value)) {
    return "must be at most 1024 characters without whitespace";
  }
  return void 0;
}
__name(checkHealthCheckPath, "checkHealthCheckPath");
var AMI_ID = /^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
function checkAmiId(value) {
  return typeof value === "string" && AMI_ID.test(value) ? void 0 : 'must be an AMI id: "ami-" followed by 8 or 17 lowercase hex digits';
}
__name(checkAmiId, "checkAmiId");
function checkIpv4Cidr(value) {
  const parsed = typeof value === "string" ? parseCidr(value) : "must be a string";
  return typeof parsed === "string" ? parsed : void 0;
}
__name(checkIpv4Cidr, "checkIpv4Cidr");
function checkVpcCidr(value) {
  const parsed = typeof value === "string" ? parseCidr(value) : "must be a string";
  if (typeof parsed === "string") {
    return parsed;
  }
  if (parsed.prefixLength < 16 || parsed.prefixLength > 28) {
    return "must have a prefix length from /16 to /28 (AWS VPC limits)";
  }
  return void 0;
}
__name(checkVpcCidr, "checkVpcCidr");
function checkRefreshPercentages(minHealthy, maxHealthy) {
  const problems = {
    minHealthyPercentage: checkInteger(minHealthy, 0, 100),
    maxHealthyPercentage: checkInteger(maxHealthy, 100, 200)
  };
  if (!problems.minHealthyPercentage && !problems.maxHealthyPercentage && maxHealthy - minHealthy > 100) {
    problems.maxHealthyPercentage = `minus minHealthyPercentage (${minHealthy}) must be at most 100 (AWS limits the spread to 100 points)`;
  }
  return problems;
}
__name(checkRefreshPercentages, "checkRefreshPercentages");
function checkCapacity(min, max, desired) {
  const problems = {
    min: checkInteger(min, 0, 1e4),
    max: checkInteger(max, 1, 1e4),
    desired: checkInteger(desired, 0, 1e4)
  };
  if (!problems.min && !problems.max && min > max) {
    problems.min = `must not be greater than max (${max})`;
  }
  if (!problems.min && !problems.max && !problems.desired && (desired < min || desired > max)) {
    problems.desired = `must be within [min, max] = [${min}, ${max}]`;
  }
  return problems;
}
__name(checkCapacity, "checkCapacity");
function checkHealthCheckTiming(intervalSeconds, timeoutSeconds) {
  const problems = {
    intervalSeconds: checkInteger(intervalSeconds, 5, 300),
    timeoutSeconds: checkInteger(timeoutSeconds, 2, 120)
  };
  if (!problems.intervalSeconds && !problems.timeoutSeconds && timeoutSeconds >= intervalSeconds) {
    problems.timeoutSeconds = `must be below intervalSeconds (${intervalSeconds})`;
  }
  return problems;
}
__name(checkHealthCheckTiming, "checkHealthCheckTiming");
function checkInstanceType(value) {
  return typeof value === "string" && /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value) ? void 0 : 'must be an EC2 instance type like "t3.micro"';
}
__name(checkInstanceType, "checkInstanceType");
var ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/;
function checkCertificateArn(value) {
  return typeof value === "string" && ACM_ARN.test(value) ? void 0 : "must be an ACM certificate ARN (arn:aws:acm:<region>:<account id>:certificate/<id>)";
}
__name(checkCertificateArn, "checkCertificateArn");
function checkHealthCheckMatcher(value) {
  const allowed = 'must be HTTP codes from 200 to 499 like "200", "200,204" or "200-299"';
  if (typeof value !== "string" || !/^\d{3}(?:-\d{3})?(?:,\d{3}(?:-\d{3})?)*$/.test(value)) {
    return allowed;
  }
  for (const part of value.split(",")) {
    const [low, high = low] = part.split("-").map(Number);
    if (low < 200 || high > 499) {
      return `${allowed} (${part} is outside 200-499)`;
    }
    if (low > high) {
      return `has the backwards range ${part}; write it low-high (${high}-${low})`;
    }
  }
  return void 0;
}
__name(checkHealthCheckMatcher, "checkHealthCheckMatcher");
var VPC_ID = /^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
var SUBNET_ID = /^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
function checkVpcId(value) {
  return typeof value === "string" && VPC_ID.test(value) ? void 0 : "must be a VPC id like vpc-0123456789abcdef0";
}
__name(checkVpcId, "checkVpcId");
function checkSubnetIds(ids) {
  if (!Array.isArray(ids) || ids.length < 2) {
    return "must list at least 2 subnets (an ALB needs two availability zones)";
  }
  const bad = ids.filter((id) => typeof id !== "string" || !SUBNET_ID.test(id));
  if (bad.length > 0) {
    return `must be subnet ids like subnet-0123456789abcdef0 (got ${bad.join(", ")})`;
  }
  return new Set(ids).size === ids.length ? void 0 : "must not repeat a subnet";
}
__name(checkSubnetIds, "checkSubnetIds");
function checkEach(values, check2) {
  for (const value of values) {
    const problem = check2(value);
    if (problem) {
      return `entry ${JSON.stringify(value)} ${problem}`;
    }
  }
  return void 0;
}
__name(checkEach, "checkEach");
function withDefaults(defaults, props) {
  const result = { ...defaults };
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value !== void 0) {
      result[key] = value;
    }
  }
  return result;
}
__name(withDefaults, "withDefaults");
function optional(value, check2) {
  return value === void 0 ? void 0 : check2(value);
}
__name(optional, "optional");
function nested(prefix, problems) {
  return Object.fromEntries(Object.entries(problems).map(([key, problem]) => [`${prefix}.${key}`, problem]));
}
__name(nested, "nested");
var SECURITY_GROUP_CHARACTERS = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
var SECURITY_GROUP_CHARACTERS_IN_WORDS = "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*";
var NAME_RULES = {
  loadBalancer: {
    what: "load balancer name",
    minLength: 1,
    maxLength: 32,
    maxPrefixLength: 6,
    characters: /^[a-zA-Z0-9-]*$/,
    charactersInWords: "letters, digits and hyphens",
    forbiddenStarts: ["internal-"],
    noEdgeHyphens: true
  },
  targetGroup: {
    what: "target group name",
    minLength: 1,
    maxLength: 32,
    maxPrefixLength: 6,
    characters: /^[a-zA-Z0-9-]*$/,
    charactersInWords: "letters, digits and hyphens",
    noEdgeHyphens: true
  },
  securityGroup: {
    what: "security group name",
    minLength: 1,
    maxLength: 255,
    maxPrefixLength: 100,
    characters: SECURITY_GROUP_CHARACTERS,
    charactersInWords: SECURITY_GROUP_CHARACTERS_IN_WORDS,
    forbiddenStarts: ["sg-"],
    description: { maxLength: 255, characters: SECURITY_GROUP_CHARACTERS, charactersInWords: SECURITY_GROUP_CHARACTERS_IN_WORDS }
  },
  launchTemplate: {
    what: "launch template name",
    minLength: 3,
    maxLength: 128,
    maxPrefixLength: 99,
    characters: /^[a-zA-Z0-9().\-/_]*$/,
    charactersInWords: "letters, digits and ().-/_"
  },
  autoScalingGroup: {
    what: "auto scaling group name",
    minLength: 1,
    maxLength: 255,
    maxPrefixLength: 229,
    // Printable characters; a colon would be read as an ARN separator.
    characters: /^[\x20-\x39\x3b-\x7e]*$/,
    charactersInWords: "printable characters except ':'"
  },
  iamRole: {
    what: "IAM role name",
    minLength: 1,
    maxLength: 64,
    maxPrefixLength: 38,
    characters: /^[\w+=,.@-]*$/,
    charactersInWords: "letters, digits and +=,.@_-"
  },
  instanceProfile: {
    what: "instance profile name",
    minLength: 1,
    maxLength: 128,
    maxPrefixLength: 38,
    characters: /^[\w+=,.@-]*$/,
    charactersInWords: "letters, digits and +=,.@_-"
  }
};
function isUnresolved(value) {
  return value.includes("${TfToken[") || value.includes("${");
}
__name(isUnresolved, "isUnresolved");
function checkNameText(rule2, value, asPrefix) {
  if (typeof value !== "string") {
    return "must be a string";
  }
  if (isUnresolved(value)) {
    return void 0;
  }
  const max = asPrefix ? rule2.maxPrefixLength : rule2.maxLength;
  const min = asPrefix ? 1 : rule2.minLength;
  if (value.length < min || value.length > max) {
    return `must be ${min}-${max} characters (AWS's limit for a ${rule2.what}${asPrefix ? " prefix" : ""}); got ${value.length}`;
  }
  if (!rule2.characters.test(value)) {
    return `must use only ${rule2.charactersInWords}`;
  }
  const forbidden = (rule2.forbiddenStarts ?? []).find((start) => value.toLowerCase().startsWith(start));
  if (forbidden) {
    return `must not start with "${forbidden}"`;
  }
  if (rule2.noEdgeHyphens && (value.startsWith("-") || !asPrefix && value.endsWith("-"))) {
    return asPrefix ? "must not start with a hyphen" : "must not start or end with a hyphen";
  }
  return void 0;
}
__name(checkNameText, "checkNameText");
function checkPhysicalName(kind, value) {
  if (value === void 0) {
    return {};
  }
  const rule2 = NAME_RULES[kind];
  const both = value.name !== void 0 && value.namePrefix !== void 0;
  return {
    name: both ? "must not be set together with namePrefix (choose one)" : optional(value.name, (name) => checkNameText(rule2, name, false)),
    namePrefix: optional(value.namePrefix, (prefix) => checkNameText(rule2, prefix, true)),
    description: optional(value.description, (description) => {
      if (!rule2.description) {
        return `is not settable for a ${rule2.what.replace(/ name$/, "")} (its description never forces replacement)`;
      }
      if (typeof description !== "string" || isUnresolved(description)) {
        return typeof description === "string" ? void 0 : "must be a string";
      }
      if (description.length < 1 || description.length > rule2.description.maxLength) {
        return `must be 1-${rule2.description.maxLength} characters; got ${description.length}`;
      }
      return rule2.description.characters.test(description) ? void 0 : `must use only ${rule2.description.charactersInWords}`;
    })
  };
}
__name(checkPhysicalName, "checkPhysicalName");

// modules/auto-scaling-group/app-auto-scaling-group.ts
var import_constructs = require("constructs");
var import_cdktf = require("cdktf");
var import_autoscaling_group = require("@cdktf/provider-aws/lib/autoscaling-group");
var import_autoscaling_policy = require("@cdktf/provider-aws/lib/autoscaling-policy");
var import_data_aws_iam_policy_document = require("@cdktf/provider-aws/lib/data-aws-iam-policy-document");
var import_data_aws_partition = require("@cdktf/provider-aws/lib/data-aws-partition");
var import_iam_instance_profile = require("@cdktf/provider-aws/lib/iam-instance-profile");
var import_iam_role = require("@cdktf/provider-aws/lib/iam-role");
var import_iam_role_policy_attachment = require("@cdktf/provider-aws/lib/iam-role-policy-attachment");
var import_launch_template = require("@cdktf/provider-aws/lib/launch-template");
var import_security_group = require("@cdktf/provider-aws/lib/security-group");
var import_vpc_security_group_egress_rule = require("@cdktf/provider-aws/lib/vpc-security-group-egress-rule");
var import_vpc_security_group_ingress_rule = require("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule");
var DEFAULT_CHECKPOINT_DELAY_SECONDS = 3600;
var MAX_REFRESH_ALARMS = 10;
function checkRefreshCheckpoints(value) {
  const percentages = value.percentages;
  let percentagesProblem;
  if (!Array.isArray(percentages) || percentages.length === 0) {
    percentagesProblem = "must list at least one percentage";
  } else if (percentages.some((p) => !Number.isInteger(p) || p < 1 || p > 100)) {
    percentagesProblem = "must be whole numbers from 1 to 100";
  } else if (percentages.some((p, i) => i > 0 && p <= percentages[i - 1])) {
    percentagesProblem = "must be ascending without repeats";
  } else if (percentages[percentages.length - 1] !== 100) {
    percentagesProblem = "must end with 100, or the refresh stops before replacing every instance";
  }
  return {
    percentages: percentagesProblem,
    delaySeconds: optional(value.delaySeconds, (seconds) => checkInteger(seconds, 0, 172800))
  };
}
__name(checkRefreshCheckpoints, "checkRefreshCheckpoints");
function checkRefreshAlarmNames(names) {
  if (!Array.isArray(names) || names.length > MAX_REFRESH_ALARMS) {
    return `must list at most ${MAX_REFRESH_ALARMS} alarm names`;
  }
  const literal2 = names.filter((name) => !import_cdktf.Token.isUnresolved(name));
  if (literal2.some((name) => typeof name !== "string" || name.length < 1 || name.length > 255)) {
    return "must be alarm names of 1 to 255 characters";
  }
  return new Set(literal2).size === literal2.length ? void 0 : "must not repeat an alarm";
}
__name(checkRefreshAlarmNames, "checkRefreshAlarmNames");
var AUTO_SCALING_GROUP_DEFAULTS = {
  healthCheckGracePeriodSeconds: 120,
  defaultInstanceWarmupSeconds: 60,
  instanceRefresh: {
    minHealthyPercentage: 100,
    maxHealthyPercentage: 200,
    autoRollback: true,
    skipMatching: false
  },
  cpuTargetTracking: { enabled: true, targetUtilizationPercent: 50 },
  rootVolume: { sizeGiB: 16, deviceName: "/dev/xvda" }
};
function checkInstanceRefresh(refresh) {
  const percentages = checkRefreshPercentages(
    refresh?.minHealthyPercentage ?? AUTO_SCALING_GROUP_DEFAULTS.instanceRefresh.minHealthyPercentage,
    refresh?.maxHealthyPercentage ?? AUTO_SCALING_GROUP_DEFAULTS.instanceRefresh.maxHealthyPercentage
  );
  return {
    minHealthyPercentage: percentages.minHealthyPercentage,
    maxHealthyPercentage: percentages.maxHealthyPercentage,
    instanceWarmupSeconds: optional(refresh?.instanceWarmupSeconds, (seconds) => checkInteger(seconds, 0, 3600)),
    alarmNames: optional(refresh?.alarmNames, checkRefreshAlarmNames),
    ...refresh?.checkpoints === void 0 ? {} : nested("checkpoints", checkRefreshCheckpoints(refresh.checkpoints))
  };
}
__name(checkInstanceRefresh, "checkInstanceRefresh");
function checkCpuTargetTracking(cpu) {
  const resolved = withDefaults(AUTO_SCALING_GROUP_DEFAULTS.cpuTargetTracking, cpu);
  return { targetUtilizationPercent: checkInteger(resolved.targetUtilizationPercent, 1, 100) };
}
__name(checkCpuTargetTracking, "checkCpuTargetTracking");
function resolveAutoScalingGroupNames(name, names) {
  const usePrefix = names?.useNamePrefix ?? true;
  const given = /* @__PURE__ */ __name((value) => value?.name !== void 0 || value?.namePrefix !== void 0, "given");
  const pick = /* @__PURE__ */ __name((value, fallback) => given(value) ? value : fallback, "pick");
  const iamPrefix = `${name}-`.slice(0, 38);
  return {
    securityGroup: {
      ...pick(names?.securityGroup, usePrefix ? { namePrefix: `${name}-instances-` } : { name: `${name}-instances` }),
      description: names?.securityGroup?.description ?? `Instances of ${name}: app port from the load balancer only, no SSH`
    },
    launchTemplate: pick(names?.launchTemplate, { namePrefix: `${name}-` }),
    autoScalingGroup: pick(names?.autoScalingGroup, { name }),
    role: pick(names?.role, { namePrefix: iamPrefix }),
    instanceProfile: pick(names?.instanceProfile, { namePrefix: iamPrefix })
  };
}
__name(resolveAutoScalingGroupNames, "resolveAutoScalingGroupNames");
function checkAutoScalingGroupNames(names) {
  const securityGroup = checkPhysicalName("securityGroup", names?.securityGroup);
  return {
    ...nested("securityGroup", securityGroup),
    "securityGroup.description": names?.securityGroup?.name !== void 0 && names.securityGroup.description === void 0 ? "must be set when securityGroup.name is fixed: a security group with a fixed name cannot be replaced (InvalidGroup.Duplicate), so its description must not follow this project's default text" : securityGroup.description,
    ...nested("launchTemplate", checkPhysicalName("launchTemplate", names?.launchTemplate)),
    ...nested("autoScalingGroup", checkPhysicalName("autoScalingGroup", names?.autoScalingGroup)),
    ...nested("role", checkPhysicalName("iamRole", names?.role)),
    ...nested("instanceProfile", checkPhysicalName("instanceProfile", names?.instanceProfile))
  };
}
__name(checkAutoScalingGroupNames, "checkAutoScalingGroupNames");
function checkDerivedNames(name, names) {
  const resolved = resolveAutoScalingGroupNames(name, names);
  const kinds = {
    securityGroup: "securityGroup",
    launchTemplate: "launchTemplate",
    autoScalingGroup: "autoScalingGroup",
    role: "iamRole",
    instanceProfile: "instanceProfile"
  };
  for (const [key, kind] of Object.entries(kinds)) {
    const value = { name: resolved[key].name, namePrefix: resolved[key].namePrefix };
    const problem = Object.values(checkPhysicalName(kind, value)).find((found) => found !== void 0);
    if (problem) {
      return `gives the ${key} the name${value.name === void 0 ? " prefix" : ""} ${JSON.stringify(value.name ?? value.namePrefix)}, which ${problem}; shorten it or set names.${key}`;
    }
  }
  return void 0;
}
__name(checkDerivedNames, "checkDerivedNames");
function checkAutoScalingGroupProps(props) {
  const capacity = props.minSize !== void 0 && props.maxSize !== void 0 ? checkCapacity(props.minSize, props.maxSize, props.desiredCapacity ?? props.minSize) : {};
  return {
    name: optional(props.name, (name) => checkDerivedNames(name, props.names)),
    ...nested("names", checkAutoScalingGroupNames(props.names)),
    subnetIds: optional(props.subnetIds, (ids) => ids.length >= 1 ? void 0 : "must list at least one subnet"),
    imageId: optional(props.imageId, (id) => import_cdktf.Token.isUnresolved(id) ? void 0 : checkAmiId(id)),
    instanceType: optional(props.instanceType, checkInstanceType),
    userData: optional(props.userData, (text2) => text2.trim().length > 0 ? void 0 : "must not be empty"),
    appPort: optional(props.appPort, checkPort),
    minSize: capacity.min,
    maxSize: capacity.max,
    desiredCapacity: capacity.desired,
    healthCheckGracePeriodSeconds: checkInteger(
      props.healthCheckGracePeriodSeconds ?? AUTO_SCALING_GROUP_DEFAULTS.healthCheckGracePeriodSeconds,
      0,
      7200
    ),
    defaultInstanceWarmupSeconds: checkInteger(
      props.defaultInstanceWarmupSeconds ?? AUTO_SCALING_GROUP_DEFAULTS.defaultInstanceWarmupSeconds,
      0,
      3600
    ),
    ...nested("instanceRefresh", checkInstanceRefresh(props.instanceRefresh)),
    ...nested("cpuTargetTracking", checkCpuTargetTracking(props.cpuTargetTracking)),
    "rootVolume.sizeGiB": checkInteger(props.rootVolume?.sizeGiB ?? AUTO_SCALING_GROUP_DEFAULTS.rootVolume.sizeGiB, 1, 16384)
  };
}
__name(checkAutoScalingGroupProps, "checkAutoScalingGroupProps");

// modules/load-balancer/load-balancer.ts
var import_constructs2 = require("constructs");
var import_lb = require("@cdktf/provider-aws/lib/lb");
var import_lb_listener = require("@cdktf/provider-aws/lib/lb-listener");
var import_lb_target_group = require("@cdktf/provider-aws/lib/lb-target-group");
var import_security_group2 = require("@cdktf/provider-aws/lib/security-group");
var import_vpc_security_group_egress_rule2 = require("@cdktf/provider-aws/lib/vpc-security-group-egress-rule");
var import_vpc_security_group_ingress_rule2 = require("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule");
var HEALTH_CHECK_DEFAULTS = {
  path: "/health",
  matcher: "200",
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2
};
var LOAD_BALANCER_DEFAULTS = {
  allowedCidrs: ["0.0.0.0/0"],
  sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
  deletionProtection: false,
  deregistrationDelaySeconds: 30,
  idleTimeoutSeconds: 60
};
function resolveLoadBalancerNames(name, names) {
  const usePrefix = names?.useNamePrefix ?? true;
  const pick = /* @__PURE__ */ __name((given, prefixed, fixed) => given?.name !== void 0 || given?.namePrefix !== void 0 ? given : usePrefix ? prefixed : fixed, "pick");
  return {
    loadBalancer: pick(names?.loadBalancer, { name }, { name }),
    targetGroup: pick(names?.targetGroup, { namePrefix: "tg-" }, { name: `${name}-tg` }),
    securityGroup: {
      ...pick(names?.securityGroup, { namePrefix: `${name}-alb-` }, { name: `${name}-alb` }),
      description: names?.securityGroup?.description ?? `ALB ${name}: listeners from allowed CIDRs, egress to its targets only`
    }
  };
}
__name(resolveLoadBalancerNames, "resolveLoadBalancerNames");
function checkLoadBalancerNames(names) {
  return {
    ...nested("loadBalancer", checkPhysicalName("loadBalancer", names?.loadBalancer)),
    ...nested("targetGroup", checkPhysicalName("targetGroup", names?.targetGroup)),
    ...nested("securityGroup", checkPhysicalName("securityGroup", names?.securityGroup)),
    "securityGroup.description": names?.securityGroup?.name !== void 0 && names.securityGroup.description === void 0 ? "must be set when securityGroup.name is fixed: a security group with a fixed name cannot be replaced (InvalidGroup.Duplicate), so its description must not follow this project's default text" : checkPhysicalName("securityGroup", names?.securityGroup).description
  };
}
__name(checkLoadBalancerNames, "checkLoadBalancerNames");
function checkDerivedNames2(name, names) {
  const resolved = resolveLoadBalancerNames(name, names);
  for (const kind of ["loadBalancer", "targetGroup", "securityGroup"]) {
    const value = { name: resolved[kind].name, namePrefix: resolved[kind].namePrefix };
    const problem = Object.values(checkPhysicalName(kind, value)).find((found) => found !== void 0);
    if (problem) {
      return `gives the ${kind} the name${value.name === void 0 ? " prefix" : ""} ${JSON.stringify(value.name ?? value.namePrefix)}, which ${problem}; shorten it or set names.${kind}`;
    }
  }
  return void 0;
}
__name(checkDerivedNames2, "checkDerivedNames");
function checkHealthCheck(healthCheck) {
  const resolved = withDefaults(HEALTH_CHECK_DEFAULTS, healthCheck);
  const timing = checkHealthCheckTiming(resolved.intervalSeconds, resolved.timeoutSeconds);
  return {
    path: checkHealthCheckPath(resolved.path),
    matcher: checkHealthCheckMatcher(resolved.matcher),
    intervalSeconds: timing.intervalSeconds,
    timeoutSeconds: timing.timeoutSeconds,
    healthyThreshold: checkInteger(resolved.healthyThreshold, 2, 10),
    unhealthyThreshold: checkInteger(resolved.unhealthyThreshold, 2, 10)
  };
}
__name(checkHealthCheck, "checkHealthCheck");
function checkAllowedCidrs(cidrs) {
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    return "must list at least one IPv4 CIDR";
  }
  return checkEach(cidrs, checkIpv4Cidr) ?? (new Set(cidrs).size === cidrs.length ? void 0 : "must not repeat a CIDR");
}
__name(checkAllowedCidrs, "checkAllowedCidrs");
function checkLoadBalancerProps(props) {
  return {
    name: optional(props.name, (name) => checkDerivedNames2(name, props.names)),
    ...nested("names", checkLoadBalancerNames(props.names)),
    subnetIds: optional(props.subnetIds, (ids) => ids.length >= 2 ? void 0 : "must list at least 2 subnets in distinct AZs"),
    appPort: optional(props.appPort, checkPort),
    allowedCidrs: checkAllowedCidrs(props.allowedCidrs ?? LOAD_BALANCER_DEFAULTS.allowedCidrs),
    certificateArn: optional(props.certificateArn, checkCertificateArn),
    ...nested("healthCheck", checkHealthCheck(props.healthCheck)),
    deregistrationDelaySeconds: checkInteger(props.deregistrationDelaySeconds ?? LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds, 0, 3600),
    slowStartSeconds: optional(props.slowStartSeconds, (seconds) => checkInteger(seconds, 30, 900)),
    idleTimeoutSeconds: optional(props.idleTimeoutSeconds, (seconds) => checkInteger(seconds, 1, 4e3))
  };
}
__name(checkLoadBalancerProps, "checkLoadBalancerProps");

// lib/packer-manifest.ts
function newestAmiForRegion(manifestText, region) {
  let manifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch (error) {
    return `is not valid JSON (${error.message})`;
  }
  if (!manifest || !Array.isArray(manifest.builds)) {
    return 'has no "builds" array; is it a Packer manifest?';
  }
  const candidates = [];
  for (const build of manifest.builds) {
    const customData = typeof build.custom_data === "object" && build.custom_data || {};
    const role = customData.image_role;
    if (role !== void 0 && role !== "app") {
      continue;
    }
    if (typeof build.artifact_id !== "string" || typeof build.build_time !== "number") {
      return 'has a build without a string "artifact_id" and a numeric "build_time"';
    }
    for (const artifact of build.artifact_id.split(",")) {
      const [artifactRegion, amiId] = artifact.split(":");
      if (artifactRegion === region && amiId) {
        candidates.push({
          amiId,
          buildTime: build.build_time,
          buildName: String(build.name ?? ""),
          runUuid: String(build.packer_run_uuid ?? ""),
          customData
        });
      }
    }
  }
  if (candidates.length === 0) {
    return `has no app image for region ${region}; build one with npm run image:build`;
  }
  return candidates.reduce((newest, candidate) => candidate.buildTime > newest.buildTime ? candidate : newest);
}
__name(newestAmiForRegion, "newestAmiForRegion");
function appImagesForRegion(manifestText, region) {
  const images = [];
  let manifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch (error) {
    return `is not valid JSON (${error.message})`;
  }
  if (!manifest || !Array.isArray(manifest.builds)) {
    return 'has no "builds" array; is it a Packer manifest?';
  }
  for (const build of manifest.builds) {
    const customData = typeof build.custom_data === "object" && build.custom_data || {};
    if (customData.image_role !== void 0 && customData.image_role !== "app") {
      continue;
    }
    if (typeof build.artifact_id !== "string" || typeof build.build_time !== "number") {
      return 'has a build without a string "artifact_id" and a numeric "build_time"';
    }
    for (const artifact of build.artifact_id.split(",")) {
      const [artifactRegion, amiId] = artifact.split(":");
      if (artifactRegion === region && amiId) {
        images.push({
          amiId,
          buildTime: build.build_time,
          buildName: String(build.name ?? ""),
          runUuid: String(build.packer_run_uuid ?? ""),
          customData
        });
      }
    }
  }
  return images.sort((a, b) => a.buildTime - b.buildTime);
}
__name(appImagesForRegion, "appImagesForRegion");

// lib/project-root.ts
var fs = __toESM(require("fs"));
var path = __toESM(require("path"));
function findProjectRoot(start) {
  let dir = start;
  for (; ; ) {
    if (fs.existsSync(path.join(dir, "cdktf.json"))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cdktf.json not found above ${start}: run from the project checkout`);
    }
    dir = parent;
  }
}
__name(findProjectRoot, "findProjectRoot");
var PROJECT_ROOT = findProjectRoot(__dirname);

// lib/promotion.ts
var PROMOTION_TAG_PREFIX = "sample-app:promoted-to-";
function promotionTagKey(environment) {
  return `${PROMOTION_TAG_PREFIX}${environment}`;
}
__name(promotionTagKey, "promotionTagKey");

// lib/suggest.ts
function editDistance(a, b) {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_2, j) => i === 0 ? j : j === 0 ? i : 0));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
__name(editDistance, "editDistance");
function closest(name, known) {
  const fold = /* @__PURE__ */ __name((value) => value.toLowerCase().replace(/[-_]/g, ""), "fold");
  const exact = known.find((candidate) => fold(candidate) === fold(name));
  if (exact !== void 0) {
    return exact;
  }
  const extended = known.filter((candidate) => name.length >= 4 && fold(candidate).startsWith(fold(name)));
  if (extended.length === 1) {
    return extended[0];
  }
  let best;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : void 0;
}
__name(closest, "closest");
function suggestion(name, known, what = "allowed") {
  const match = closest(name, known);
  return match !== void 0 ? `did you mean "${match}"?` : `${what}: ${known.join(", ")}`;
}
__name(suggestion, "suggestion");

// config/toolchain.ts
var fs2 = __toESM(require("fs"));
var path2 = __toESM(require("path"));
var TOOLCHAIN = JSON.parse(
  fs2.readFileSync(path2.join(PROJECT_ROOT, "toolchain.json"), "utf8")
);

// config/environments.ts
var PROJECT = "sample-app";
var PACKER_IMAGE_LOOKUP = { kind: "lookup", namePattern: "sample-app-packer-*", owners: ["self"] };
var BOOTSTRAP_BUCKET = {};
var STATE_BOOTSTRAP = {
  region: "us-east-1"
};
var HEALTH_CHECK = { path: "/health", matcher: "200", intervalSeconds: 10, timeoutSeconds: 5 };
var ENVIRONMENTS = {
  dev: {
    region: "us-east-1",
    vpcCidr: "10.10.0.0/16",
    azCount: 2,
    // Instances in public subnets with public IPs: no NAT gateway charges in dev.
    natMode: "none",
    instanceType: "t3.micro",
    capacity: { min: 1, max: 3, desired: 1 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    allowedCidrs: ["0.0.0.0/0"],
    image: PACKER_IMAGE_LOOKUP,
    deletionProtection: false
  },
  stage: {
    region: "us-east-1",
    vpcCidr: "10.20.0.0/16",
    azCount: 2,
    natMode: "single",
    instanceType: "t3.small",
    capacity: { min: 2, max: 6, desired: 2 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    allowedCidrs: ["0.0.0.0/0"],
    image: PACKER_IMAGE_LOOKUP,
    deletionProtection: false,
    s3Backend: BOOTSTRAP_BUCKET
  },
  prod: {
    region: "us-east-1",
    vpcCidr: "10.30.0.0/16",
    azCount: 3,
    natMode: "per-az",
    instanceType: "t3.small",
    // As in the book: 3 instances, up to 10; a rollout briefly runs 6.
    capacity: { min: 3, max: 10, desired: 3 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 200, autoRollback: true },
    slowStartSeconds: 30,
    allowedCidrs: ["0.0.0.0/0"],
    // Only an image promoted to prod (npm run image:promote -- <ami> --to prod), never
    // merely the newest build: stage runs every build first.
    image: { kind: "promoted", namePattern: "sample-app-packer-*", owners: ["self"] },
    deletionProtection: true,
    s3Backend: BOOTSTRAP_BUCKET,
    // Production policy rules: HTTPS, deletion protection, remote state, promoted image, WAF.
    production: true
  },
  /**
   * The local loop: everything points at the AWS emulator started by `npm start`
   * (moto on 127.0.0.1); state is local unless the settings file comes from a bootstrap
   * against the same emulator (the end-to-end tests do that). The endpoint comes from
   * SAMPLE_APP_EMULATOR_ENDPOINT, the image from SAMPLE_APP_IMAGE_ID_LOCAL.
   */
  local: {
    region: "us-east-1",
    vpcCidr: "10.99.0.0/16",
    azCount: 2,
    natMode: "single",
    instanceType: "t3.micro",
    capacity: { min: 2, max: 4, desired: 2 },
    appPort: 8080,
    healthCheck: HEALTH_CHECK,
    allowedCidrs: ["0.0.0.0/0"],
    image: { kind: "ami", amiId: "ami-0a0000000000000a1" },
    deletionProtection: false,
    awsProviderVersion: TOOLCHAIN.awsProvider.version,
    emulator: { endpoint: "http://127.0.0.1:5000" },
    // The emulator's own S3, once a bootstrap against the same emulator wrote its settings.
    s3Backend: BOOTSTRAP_BUCKET
  }
};

// lib/stack-ids.ts
function stackIdFor(environment) {
  return `${PROJECT}-${environment}`;
}
__name(stackIdFor, "stackIdFor");
var BOOTSTRAP_STACK_ID = `${PROJECT}-bootstrap`;
function localStatePath(stackId) {
  return `../../../.state/${stackId}.tfstate`;
}
__name(localStatePath, "localStatePath");

// config/schema.ts
var v = __toESM(require("valibot"));

// modules/load-balancer/rollout-alarms.ts
var import_constructs3 = require("constructs");
var import_cloudwatch_metric_alarm = require("@cdktf/provider-aws/lib/cloudwatch-metric-alarm");
var ROLLOUT_ALARM_DEFAULTS = {
  target5xx: { threshold: 10, periodSeconds: 60, evaluationPeriods: 1 },
  unhealthyHosts: { threshold: 1, periodSeconds: 60, evaluationPeriods: 2 }
};
var ROLLOUT_ALARM_COUNT = 2;
function checkRolloutAlarmSettings(props) {
  return {
    ...checkAlarmThreshold("target5xx", props.target5xx, MAX_TARGET_5XX_THRESHOLD),
    ...checkAlarmThreshold("unhealthyHosts", props.unhealthyHosts, MAX_UNHEALTHY_HOSTS_THRESHOLD)
  };
}
__name(checkRolloutAlarmSettings, "checkRolloutAlarmSettings");
function checkAlarmThreshold(prefix, value, maxThreshold) {
  const problems = {};
  if (value === void 0) {
    return problems;
  }
  if (value.threshold !== void 0) {
    problems[`${prefix}.threshold`] = checkInteger(value.threshold, 1, maxThreshold);
  }
  if (value.periodSeconds !== void 0) {
    problems[`${prefix}.periodSeconds`] = checkInteger(value.periodSeconds, 60, 86400) ?? (value.periodSeconds % 60 === 0 ? void 0 : "must be a multiple of 60 (ALB metrics are per minute)");
  }
  if (value.evaluationPeriods !== void 0) {
    problems[`${prefix}.evaluationPeriods`] = checkInteger(value.evaluationPeriods, 1, 10);
  }
  return problems;
}
__name(checkAlarmThreshold, "checkAlarmThreshold");
var MAX_TARGET_5XX_THRESHOLD = 1e6;
var MAX_UNHEALTHY_HOSTS_THRESHOLD = 1e3;

// modules/image/ami-lookup.ts
var import_constructs4 = require("constructs");
var import_data_aws_ami = require("@cdktf/provider-aws/lib/data-aws-ami");
var AMI_OWNER = /^(?:self|amazon|aws-marketplace|\d{12})$/;
function checkAmiLookupProps(props) {
  return {
    namePattern: typeof props.namePattern === "string" && /^[\w.*?()[\]/ -]{1,128}$/.test(props.namePattern) ? void 0 : "must be an AMI name pattern of 1-128 characters, * and ? as wildcards",
    owners: Array.isArray(props.owners) && props.owners.length > 0 ? checkEach(
      props.owners,
      (owner) => AMI_OWNER.test(owner) ? void 0 : 'must be "self", "amazon", "aws-marketplace" or a 12-digit account id'
    ) : "must list at least one owner",
    requiredTagKeys: props.requiredTagKeys === void 0 ? void 0 : checkEach(
      props.requiredTagKeys,
      (key) => typeof key === "string" && key.length >= 1 && key.length <= 128 && !key.startsWith("aws:") ? void 0 : "must be a tag key of 1-128 characters, not starting with aws:"
    )
  };
}
__name(checkAmiLookupProps, "checkAmiLookupProps");

// modules/network/existing-network.ts
var import_constructs5 = require("constructs");
function checkExistingNetworkProps(props) {
  const publicIds = Array.isArray(props.publicSubnetIds) ? props.publicSubnetIds : [];
  const overlap = publicIds.filter((subnet) => Array.isArray(props.privateSubnetIds) && props.privateSubnetIds.includes(subnet));
  return {
    vpcId: checkVpcId(props.vpcId),
    publicSubnetIds: checkSubnetIds(props.publicSubnetIds),
    privateSubnetIds: checkSubnetIds(props.privateSubnetIds) ?? (overlap.length > 0 ? `must not also be public subnets (${overlap.join(", ")})` : void 0)
  };
}
__name(checkExistingNetworkProps, "checkExistingNetworkProps");

// modules/network/network.ts
var import_constructs6 = require("constructs");
var import_cdktf2 = require("cdktf");
var import_data_aws_availability_zones = require("@cdktf/provider-aws/lib/data-aws-availability-zones");
var import_eip = require("@cdktf/provider-aws/lib/eip");
var import_internet_gateway = require("@cdktf/provider-aws/lib/internet-gateway");
var import_nat_gateway = require("@cdktf/provider-aws/lib/nat-gateway");
var import_route = require("@cdktf/provider-aws/lib/route");
var import_route_table = require("@cdktf/provider-aws/lib/route-table");
var import_route_table_association = require("@cdktf/provider-aws/lib/route-table-association");
var import_subnet = require("@cdktf/provider-aws/lib/subnet");
var import_vpc = require("@cdktf/provider-aws/lib/vpc");
var NAT_MODES = ["none", "single", "per-az"];
var NETWORK_DEFAULTS = {
  cidrBlock: "10.0.0.0/16",
  azCount: 2,
  natMode: "single"
};
function defaultSubnetPrefixLength(vpcPrefixLength) {
  return Math.min(vpcPrefixLength + 4, 28);
}
__name(defaultSubnetPrefixLength, "defaultSubnetPrefixLength");
function checkNetworkProps(props) {
  const cidrBlock = props.cidrBlock ?? NETWORK_DEFAULTS.cidrBlock;
  const azCount = props.azCount ?? NETWORK_DEFAULTS.azCount;
  const natMode = props.natMode ?? NETWORK_DEFAULTS.natMode;
  const problems = {
    cidrBlock: checkVpcCidr(cidrBlock),
    azCount: checkInteger(azCount, 2, 16),
    natMode: NAT_MODES.includes(natMode) ? void 0 : `must be one of ${NAT_MODES.join(", ")}`,
    availabilityZones: props.availabilityZones && props.availabilityZones.length < azCount ? `must name at least azCount (${azCount}) zones` : void 0
  };
  if (Object.values(problems).every((problem) => problem === void 0)) {
    const vpc = mustParseCidr(cidrBlock);
    const prefix = props.subnetPrefixLength ?? defaultSubnetPrefixLength(vpc.prefixLength);
    const layout = Number.isInteger(prefix) ? planSubnets(vpc, azCount, prefix) : "must be a whole number";
    if (typeof layout === "string") {
      problems[props.subnetPrefixLength === void 0 ? "cidrBlock" : "subnetPrefixLength"] = layout;
    }
  }
  return problems;
}
__name(checkNetworkProps, "checkNetworkProps");

// policy/stack-view.ts
function resourcesOfType(stack, ...types) {
  return stack.resources.filter((resource) => !resource.isData && types.includes(resource.type));
}
__name(resourcesOfType, "resourcesOfType");
function refersTo(value, target) {
  const needle = `${target.address}.`;
  const visit = /* @__PURE__ */ __name((item) => {
    if (typeof item === "string") {
      return item.includes(`\${${needle}`) || item.includes(`(${needle}`) || item.includes(` ${needle}`);
    }
    if (Array.isArray(item)) {
      return item.some(visit);
    }
    if (item !== null && typeof item === "object") {
      return Object.entries(item).some(([key, child]) => key !== "//" && visit(child));
    }
    return false;
  }, "visit");
  return visit(value);
}
__name(refersTo, "refersTo");
function referencedResource(stack, value) {
  if (typeof value !== "string") {
    return void 0;
  }
  const match = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_]+\}$/.exec(value);
  return match ? stack.resources.find((resource) => resource.address === match[1]) : void 0;
}
__name(referencedResource, "referencedResource");
function block(value) {
  const item = Array.isArray(value) ? value[0] : value;
  return item !== null && typeof item === "object" ? item : void 0;
}
__name(block, "block");
function blocks(value) {
  if (value === void 0 || value === null) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).filter(
    (item) => item !== null && typeof item === "object"
  );
}
__name(blocks, "blocks");
function isTrue(value) {
  return value === true || value === "true";
}
__name(isTrue, "isTrue");

// policy/rules/sa-001-imdsv2.ts
var SA001_IMDSV2 = {
  id: "SA-001",
  name: "IMDSv2 only, hop limit 1",
  rationale: "IMDSv1 hands instance credentials to any SSRF; a hop limit above 1 hands them to containers on the host.",
  level: "error",
  check(stack) {
    const violations = [];
    for (const resource of resourcesOfType(stack, "aws_launch_template", "aws_instance")) {
      const options = block(resource.values.metadata_options);
      if (options?.http_endpoint === "disabled") {
        continue;
      }
      if (options?.http_tokens !== "required") {
        violations.push({ resource, message: 'metadata_options.http_tokens must be "required" (IMDSv2 only)' });
      }
      if (Number(options?.http_put_response_hop_limit) !== 1) {
        violations.push({ resource, message: "metadata_options.http_put_response_hop_limit must be set to 1" });
      }
    }
    return violations;
  }
};

// policy/rules/sa-002-encrypted-volumes.ts
var SA002_ENCRYPTED_VOLUMES = {
  id: "SA-002",
  name: "Encrypted EBS volumes",
  rationale: "Unencrypted volumes and their snapshots expose data to anyone who can copy or share a snapshot.",
  level: "error",
  check(stack) {
    const violations = [];
    for (const resource of resourcesOfType(stack, "aws_launch_template")) {
      const mappings = blocks(resource.values.block_device_mappings).filter((mapping) => mapping.ebs !== void 0);
      if (mappings.length === 0) {
        violations.push({ resource, message: "declares no EBS block device mapping: the root volume's encryption is left to the AMI; map it with ebs.encrypted = true" });
      }
      for (const mapping of mappings) {
        if (!isTrue(block(mapping.ebs)?.encrypted)) {
          violations.push({ resource, message: `block device ${String(mapping.device_name)}: ebs.encrypted must be true` });
        }
      }
    }
    for (const resource of resourcesOfType(stack, "aws_instance")) {
      const devices = [block(resource.values.root_block_device) ?? {}, ...blocks(resource.values.ebs_block_device)];
      for (const device of devices) {
        if (!isTrue(device.encrypted)) {
          violations.push({ resource, message: `volume ${String(device.device_name ?? "root")}: encrypted must be true` });
        }
      }
    }
    for (const resource of resourcesOfType(stack, "aws_ebs_volume")) {
      if (!isTrue(resource.values.encrypted)) {
        violations.push({ resource, message: "encrypted must be true" });
      }
    }
    return violations;
  }
};

// policy/security-group-rules.ts
var ALL_PROTOCOLS = /* @__PURE__ */ new Set(["-1", "all"]);
var PROTOCOL_NUMBERS = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };
function normaliseProtocol(value) {
  const text2 = String(value ?? "").toLowerCase();
  return ALL_PROTOCOLS.has(text2) ? "-1" : PROTOCOL_NUMBERS[text2] ?? text2;
}
__name(normaliseProtocol, "normaliseProtocol");
function strings(value) {
  if (typeof value === "string") {
    return [value];
  }
  return Array.isArray(value) ? value.filter((item) => typeof item === "string") : [];
}
__name(strings, "strings");
function make(resource, direction, protocolValue, fromPort, toPort, cidrs, securityGroup) {
  const protocol = normaliseProtocol(protocolValue);
  const all = protocol === "-1";
  const from = Number(fromPort);
  const to = Number(toPort);
  return {
    resource,
    direction,
    protocol,
    // A missing or -1 port on tcp/udp means every port, as AWS reads it.
    fromPort: all || !Number.isFinite(from) || from < 0 ? 0 : from,
    toPort: all || !Number.isFinite(to) || to < 0 ? 65535 : to,
    cidrs,
    securityGroup
  };
}
__name(make, "make");
function securityGroupRules(stack) {
  const rules = [];
  for (const resource of resourcesOfType(stack, "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")) {
    const v2 = resource.values;
    const direction = resource.type.endsWith("ingress_rule") ? "ingress" : "egress";
    rules.push(make(resource, direction, v2.ip_protocol, v2.from_port, v2.to_port, [...strings(v2.cidr_ipv4), ...strings(v2.cidr_ipv6)], v2.security_group_id));
  }
  for (const resource of resourcesOfType(stack, "aws_security_group_rule")) {
    const v2 = resource.values;
    const direction = v2.type === "egress" ? "egress" : "ingress";
    rules.push(make(resource, direction, v2.protocol, v2.from_port, v2.to_port, [...strings(v2.cidr_blocks), ...strings(v2.ipv6_cidr_blocks)], v2.security_group_id));
  }
  for (const resource of resourcesOfType(stack, "aws_security_group", "aws_default_security_group")) {
    const groupRef = `\${${resource.address}.id}`;
    for (const direction of ["ingress", "egress"]) {
      for (const inline of blocks(resource.values[direction])) {
        rules.push(
          make(resource, direction, inline.protocol, inline.from_port, inline.to_port, [...strings(inline.cidr_blocks), ...strings(inline.ipv6_cidr_blocks)], groupRef)
        );
      }
    }
  }
  return rules;
}
__name(securityGroupRules, "securityGroupRules");
function isWorld(cidr) {
  return /\/0$/.test(cidr.trim());
}
__name(isWorld, "isWorld");
function coversPort(rule2, port) {
  if (rule2.protocol !== "-1" && rule2.protocol !== "tcp") {
    return false;
  }
  return rule2.fromPort <= port && port <= rule2.toPort;
}
__name(coversPort, "coversPort");

// policy/rules/sa-003-no-ssh.ts
var SA003_NO_SSH = {
  id: "SA-003",
  name: "No SSH ingress",
  rationale: "SSH keys are long-lived shared secrets and port 22 an attack surface; Session Manager gives audited access without either.",
  level: "error",
  check(stack) {
    return securityGroupRules(stack).filter((rule2) => rule2.direction === "ingress" && coversPort(rule2, 22)).map((rule2) => ({
      resource: rule2.resource,
      message: `ingress ${rule2.protocol === "-1" ? "of all traffic" : `on ports ${rule2.fromPort}-${rule2.toPort}`} includes port 22 (SSH); use SSM Session Manager`
    }));
  }
};

// policy/rules/sa-004-no-world-ingress.ts
var LISTENER_PORTS = /* @__PURE__ */ new Set([80, 443]);
var SA004_NO_WORLD_INGRESS = {
  id: "SA-004",
  name: "No world-open ingress except the ALB's 80/443",
  rationale: "Anything reachable from 0.0.0.0/0 or ::/0 is scanned within minutes; only the public listeners need to be.",
  level: "error",
  check(stack) {
    const publicLoadBalancers = resourcesOfType(stack, "aws_lb", "aws_alb").filter((lb) => !isTrue(lb.values.internal));
    const violations = [];
    for (const rule2 of securityGroupRules(stack)) {
      const open = rule2.cidrs.filter(isWorld);
      if (rule2.direction !== "ingress" || open.length === 0) {
        continue;
      }
      const group = stack.resources.find((resource) => refersTo(rule2.securityGroup, resource));
      const onPublicLoadBalancer = group !== void 0 && publicLoadBalancers.some((lb) => refersTo(lb.values.security_groups, group));
      const listenerPort = rule2.protocol === "tcp" && rule2.fromPort === rule2.toPort && LISTENER_PORTS.has(rule2.fromPort);
      if (!(onPublicLoadBalancer && listenerPort)) {
        const ports = rule2.protocol === "-1" ? "all traffic" : `${rule2.protocol} ${rule2.fromPort}-${rule2.toPort}`;
        violations.push({
          resource: rule2.resource,
          message: `ingress of ${ports} from ${open.join(", ")}: only an internet-facing load balancer's security group may be open to the world, on 80 or 443`
        });
      }
    }
    return violations;
  }
};

// policy/rules/sa-005-no-world-egress.ts
var SA005_NO_WORLD_EGRESS = {
  id: "SA-005",
  name: "No all-traffic egress to the world",
  rationale: "Unrestricted egress is how a compromised host exfiltrates data and fetches tools; name the ports it needs.",
  level: "error",
  check(stack) {
    return securityGroupRules(stack).filter((rule2) => rule2.direction === "egress" && rule2.protocol === "-1" && rule2.cidrs.some(isWorld)).map((rule2) => ({
      resource: rule2.resource,
      message: `egress of all traffic to ${rule2.cidrs.filter(isWorld).join(", ")}: allow only the protocols and ports needed (e.g. tcp 443)`
    }));
  }
};

// policy/rules/sa-006-tls-policy.ts
var TLS12_POLICY = /^ELBSecurityPolicy-(?:TLS13-1-[23]|TLS-1-2|FS-1-2)-/;
var SA006_TLS_POLICY = {
  id: "SA-006",
  name: "HTTPS listeners use a TLS 1.2+ policy",
  rationale: "TLS 1.0 and 1.1 are deprecated (RFC 8996); AWS's default listener policy still accepts them.",
  level: "error",
  check(stack) {
    return resourcesOfType(stack, "aws_lb_listener", "aws_alb_listener").filter((listener) => ["HTTPS", "TLS"].includes(String(listener.values.protocol).toUpperCase())).filter((listener) => !TLS12_POLICY.test(String(listener.values.ssl_policy ?? ""))).map((resource) => ({
      resource,
      message: `ssl_policy ${resource.values.ssl_policy === void 0 ? "is not set (AWS then uses ELBSecurityPolicy-2016-08, TLS 1.0+)" : `"${String(resource.values.ssl_policy)}" allows TLS below 1.2`}; use e.g. ELBSecurityPolicy-TLS13-1-2-2021-06`
    }));
  }
};

// policy/rules/sa-007-https-in-production.ts
var SA007_HTTPS_IN_PRODUCTION = {
  id: "SA-007",
  name: "HTTPS only in production",
  rationale: "Plain HTTP exposes sessions and content to anyone on the path and lets them alter responses.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const listeners = resourcesOfType(stack, "aws_lb_listener", "aws_alb_listener");
    const violations = [];
    for (const lb of resourcesOfType(stack, "aws_lb", "aws_alb").filter((candidate) => !isTrue(candidate.values.internal))) {
      const own = listeners.filter((listener) => refersTo(listener.values.load_balancer_arn, lb));
      const hasHttps = own.some((listener) => String(listener.values.protocol).toUpperCase() === "HTTPS");
      for (const listener of own.filter((candidate) => String(candidate.values.protocol ?? "HTTP").toUpperCase() === "HTTP")) {
        const actions = blocks(listener.values.default_action);
        const redirectsToHttps = actions.length > 0 && actions.every((action) => action.type === "redirect" && block(action.redirect)?.protocol === "HTTPS");
        if (redirectsToHttps) {
          continue;
        }
        violations.push(
          hasHttps ? { resource: listener, message: "the HTTP listener must redirect to HTTPS, not serve the app" } : {
            resource: listener,
            message: "serves the app over plain HTTP; give the load balancer a certificate so HTTP redirects to HTTPS",
            missingSetting: "certificateArn"
          }
        );
      }
    }
    return violations;
  }
};

// policy/rules/sa-008-deletion-protection.ts
var SA008_DELETION_PROTECTION = {
  id: "SA-008",
  name: "Deletion protection in production",
  rationale: "A destroy or a replacement in a reviewed-too-quickly plan takes the service's front door down.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    return resourcesOfType(stack, "aws_lb", "aws_alb").filter((lb) => !isTrue(lb.values.enable_deletion_protection)).map((resource) => ({ resource, message: "enable_deletion_protection must be true in production" }));
  }
};

// policy/rules/sa-011-remote-state.ts
var MANAGED_BACKENDS = /* @__PURE__ */ new Set(["remote", "cloud"]);
var SA011_REMOTE_STATE = {
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
          message: `state is kept by the "${kind}" backend; production state must be remote (S3 with encryption and locking)`,
          missingSetting: kind === "local" ? "s3Backend" : void 0
        }
      ];
    }
    const problems = [];
    if (!isTrue(settings.encrypt) && settings.kms_key_id === void 0) {
      problems.push("encrypt = true (or a kms_key_id)");
    }
    if (!isTrue(settings.use_lockfile) && settings.dynamodb_table === void 0) {
      problems.push("use_lockfile = true (or a dynamodb_table)");
    }
    return problems.length === 0 ? [] : [{ setting: "terraform.backend.s3", message: `the S3 backend must set ${problems.join(" and ")}` }];
  }
};

// policy/rules/sa-012-promoted-image.ts
var AMI_ID2 = /^ami-[0-9a-f]{8,17}$/;
function requiresPromotionTag(filters) {
  return filters.some((filter) => {
    const name = String(filter.name ?? "");
    const values = Array.isArray(filter.values) ? filter.values.map(String) : [];
    if (name === "tag-key") {
      return values.length > 0 && values.every((value) => value.startsWith(PROMOTION_TAG_PREFIX));
    }
    return name.startsWith(`tag:${PROMOTION_TAG_PREFIX}`);
  });
}
__name(requiresPromotionTag, "requiresPromotionTag");
var SA012_PROMOTED_IMAGE = {
  id: "SA-012",
  name: "Pinned or promoted image in production",
  rationale: "Selecting the newest image by name deploys whatever was registered last, including images stage never ran.",
  level: "error",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const violations = [];
    for (const resource of resourcesOfType(stack, "aws_launch_template", "aws_instance")) {
      const image = resource.type === "aws_instance" ? resource.values.ami : resource.values.image_id;
      if (typeof image === "string" && AMI_ID2.test(image)) {
        continue;
      }
      const source = referencedResource(stack, image);
      if (source?.type === "aws_ami" && source.isData && requiresPromotionTag(blocks(source.values.filter))) {
        continue;
      }
      violations.push({
        resource,
        message: source?.type === "aws_ami" ? `image comes from ${source.address}, which matches by name only; require a ${PROMOTION_TAG_PREFIX}<environment> tag (image.kind "promoted") or pin an AMI id` : `image ${JSON.stringify(image)} is neither a pinned AMI id nor a promoted-image lookup`
      });
    }
    return violations;
  }
};

// policy/rules/sa-013-no-wildcard-actions.ts
function statementsOf(stack, policy) {
  const document = referencedResource(stack, policy);
  if (document?.type === "aws_iam_policy_document" && document.isData) {
    return blocks(document.values.statement).map((statement) => ({
      effect: String(statement.effect ?? "Allow"),
      actions: Array.isArray(statement.actions) ? statement.actions.map(String) : []
    }));
  }
  if (typeof policy !== "string" || policy.includes("${")) {
    return void 0;
  }
  try {
    const parsed = JSON.parse(policy);
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    return statements.filter((statement) => statement !== null && typeof statement === "object").map((statement) => ({
      effect: String(statement.Effect ?? "Allow"),
      actions: (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a) => a !== void 0).map(String)
    }));
  } catch {
    return void 0;
  }
}
__name(statementsOf, "statementsOf");
function check(stack, resource, policy, where, violations) {
  const statements = statementsOf(stack, policy);
  if (statements === void 0) {
    violations.push({
      resource,
      message: `${where} cannot be read at synth time; write it as JSON or an aws_iam_policy_document so its actions can be checked`
    });
    return;
  }
  const wildcards = statements.filter((statement) => statement.effect === "Allow").flatMap((statement) => statement.actions.filter((action) => action.includes("*")));
  if (wildcards.length > 0) {
    violations.push({ resource, message: `${where} allows wildcard actions ${[...new Set(wildcards)].join(", ")}; list the actions needed` });
  }
}
__name(check, "check");
var SA013_NO_WILDCARD_ACTIONS = {
  id: "SA-013",
  name: "No wildcard IAM actions in the stack's policies",
  rationale: "A wildcard grants every action the service adds later too; least privilege needs the list written out.",
  level: "error",
  check(stack) {
    const violations = [];
    for (const resource of resourcesOfType(stack, "aws_iam_role_policy", "aws_iam_policy", "aws_iam_user_policy", "aws_iam_group_policy")) {
      check(stack, resource, resource.values.policy, "policy", violations);
    }
    for (const resource of resourcesOfType(stack, "aws_iam_role")) {
      for (const inline of blocks(resource.values.inline_policy)) {
        check(stack, resource, inline.policy, `inline_policy ${String(inline.name ?? "")}`.trim(), violations);
      }
    }
    return violations;
  }
};

// policy/rules/sa-015-waf-in-production.ts
var SA015_WAF_IN_PRODUCTION = {
  id: "SA-015",
  name: "WAF web ACL in production",
  rationale: "Managed rule groups and a rate limit stop known exploits and floods before they reach the instances.",
  level: "warning",
  productionOnly: true,
  check(stack) {
    if (!stack.production) {
      return [];
    }
    const associations = resourcesOfType(stack, "aws_wafv2_web_acl_association");
    return resourcesOfType(stack, "aws_lb", "aws_alb").filter((lb) => !isTrue(lb.values.internal)).filter((lb) => !associations.some((association) => refersTo(association.values.resource_arn, lb))).map((resource) => ({ resource, message: "no WAFv2 web ACL is associated with this internet-facing load balancer (config: waf)" }));
  }
};

// policy/rules/index.ts
var RULES = [
  SA001_IMDSV2,
  SA002_ENCRYPTED_VOLUMES,
  SA003_NO_SSH,
  SA004_NO_WORLD_INGRESS,
  SA005_NO_WORLD_EGRESS,
  SA006_TLS_POLICY,
  SA007_HTTPS_IN_PRODUCTION,
  SA008_DELETION_PROTECTION,
  SA011_REMOTE_STATE,
  SA012_PROMOTED_IMAGE,
  SA013_NO_WILDCARD_ACTIONS,
  SA015_WAF_IN_PRODUCTION
];
var RULE_IDS = RULES.map((rule2) => rule2.id);

// policy/suppressions.ts
var MIN_REASON_LENGTH = 20;
function checkRuleId(value) {
  if (RULE_IDS.includes(value)) {
    return void 0;
  }
  const match = closest(value, RULE_IDS);
  return `is not a rule id${match ? `; did you mean "${match}"?` : ""} Rules: ${RULE_IDS.join(", ")}`;
}
__name(checkRuleId, "checkRuleId");
function checkReason(value) {
  return typeof value === "string" && value.trim().length >= MIN_REASON_LENGTH ? void 0 : `must say why the rule does not apply here, in at least ${MIN_REASON_LENGTH} characters`;
}
__name(checkReason, "checkReason");
function checkResourcePath(value) {
  return typeof value === "string" && /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/.test(value) ? void 0 : 'must be a construct path below the stack as the synth output prints it, e.g. "auto-scaling-group/egress-https"';
}
__name(checkResourcePath, "checkResourcePath");

// modules/state/state-bucket.ts
var import_constructs7 = require("constructs");
var import_cdktf3 = require("cdktf");
var import_kms_alias = require("@cdktf/provider-aws/lib/kms-alias");
var import_kms_key = require("@cdktf/provider-aws/lib/kms-key");
var import_s3_bucket = require("@cdktf/provider-aws/lib/s3-bucket");
var import_s3_bucket_lifecycle_configuration = require("@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration");
var import_s3_bucket_ownership_controls = require("@cdktf/provider-aws/lib/s3-bucket-ownership-controls");
var import_s3_bucket_policy = require("@cdktf/provider-aws/lib/s3-bucket-policy");
var import_s3_bucket_public_access_block = require("@cdktf/provider-aws/lib/s3-bucket-public-access-block");
var import_s3_bucket_server_side_encryption_configuration = require("@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration");
var import_s3_bucket_versioning = require("@cdktf/provider-aws/lib/s3-bucket-versioning");
var STATE_BUCKET_DEFAULTS = {
  noncurrentVersionDays: 90,
  noncurrentVersionsToKeep: 10
};
function checkStateBucketProps(props) {
  return {
    noncurrentVersionDays: props.noncurrentVersionDays === void 0 ? void 0 : checkInteger(props.noncurrentVersionDays, 1, 3650),
    noncurrentVersionsToKeep: props.noncurrentVersionsToKeep === void 0 ? void 0 : checkInteger(props.noncurrentVersionsToKeep, 1, 100)
  };
}
__name(checkStateBucketProps, "checkStateBucketProps");

// modules/state/state-lock-table.ts
var import_constructs8 = require("constructs");
var import_dynamodb_table = require("@cdktf/provider-aws/lib/dynamodb-table");
var STATE_LOCK_TABLE_DEFAULTS = { name: "sample-app-tfstate-lock" };

// config/schema.ts
function field(schema, info) {
  return v.pipe(schema, v.metadata(info));
}
__name(field, "field");
function describeType(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `a string`;
  if (typeof value === "object") return "an object";
  return typeof value === "number" || typeof value === "boolean" ? `a ${typeof value}` : String(typeof value);
}
__name(describeType, "describeType");
var mustBe = /* @__PURE__ */ __name((expected) => (issue) => `must be ${expected}, not ${describeType(issue.input)}`, "mustBe");
var text = /* @__PURE__ */ __name(() => v.string(mustBe("a string")), "text");
var number2 = /* @__PURE__ */ __name(() => v.number(mustBe("a number")), "number");
var flag = /* @__PURE__ */ __name(() => v.boolean(mustBe("true or false")), "flag");
var list = /* @__PURE__ */ __name((item) => v.array(item, mustBe("a list")), "list");
function rule(check2) {
  return v.rawCheck(({ dataset, addIssue }) => {
    if (dataset.typed) {
      const problem = check2(dataset.value);
      if (problem !== void 0) {
        addIssue({ message: problem });
      }
    }
  });
}
__name(rule, "rule");
function withRules(schema, check2) {
  return v.pipe(schema, v.rawCheck(({ dataset, addIssue }) => {
    const value = dataset.value;
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      return;
    }
    const bad = new Set((dataset.issues ?? []).map((issue) => issue.path?.[0]?.key));
    const clean = Object.fromEntries(Object.entries(value).filter(([key]) => !bad.has(key)));
    for (const [path7, problem] of Object.entries(check2(clean))) {
      const keys = path7.split(".");
      if (problem === void 0 || bad.has(keys[0])) {
        continue;
      }
      let parent = value;
      const pathItems = keys.map((key) => {
        const container = parent ?? {};
        parent = container[key];
        return { type: "object", origin: "value", input: container, key, value: container[key] };
      });
      addIssue({ message: problem, input: pathItems[pathItems.length - 1].value, path: pathItems });
    }
  }));
}
__name(withRules, "withRules");
function strict(entries) {
  return v.strictObject(entries, (issue) => issue.expected === "never" ? "unknown field" : `must be an object, not ${describeType(issue.input)}`);
}
__name(strict, "strict");
function renamed(problems, names) {
  return Object.fromEntries(Object.entries(names).map(([prop, configName]) => [configName, problems[prop]]));
}
__name(renamed, "renamed");
var REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d$/;
var S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
var PROVIDER_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
var LOOPBACK_HOSTS = /* @__PURE__ */ new Set(["127.0.0.1", "localhost", "[::1]"]);
function checkRegion(value) {
  return REGION.test(value) ? void 0 : 'must be an AWS region like "us-east-1"';
}
__name(checkRegion, "checkRegion");
function checkBucketName(value) {
  return S3_BUCKET.test(value) ? void 0 : "must be an S3 bucket name: 3-63 lowercase letters, digits, dots, hyphens";
}
__name(checkBucketName, "checkBucketName");
function checkProviderVersion(value) {
  return PROVIDER_VERSION.test(value) ? void 0 : 'must be an exact version like "6.25.0"';
}
__name(checkProviderVersion, "checkProviderVersion");
function checkEmulatorEndpoint(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    return "must be a URL like http://127.0.0.1:5000";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return "must be an http:// or https:// URL";
  }
  return LOOPBACK_HOSTS.has(url.hostname) ? void 0 : "must point at a loopback address (127.0.0.1, localhost, [::1])";
}
__name(checkEmulatorEndpoint, "checkEmulatorEndpoint");
function checkKeyPrefix(value) {
  if (value.startsWith("/")) {
    return "must not start with / (the state key is <keyPrefix>/<stack id>.tfstate); write it like team/sample-app";
  }
  return /^[\w.-]+(?:\/[\w.-]+)*$/.test(value) ? void 0 : "must be a key prefix like team/sample-app (letters, digits, _ . -, no trailing or double /)";
}
__name(checkKeyPrefix, "checkKeyPrefix");
function checkManifestPath(value) {
  return value.endsWith(".json") ? void 0 : "must be a path to a .json file";
}
__name(checkManifestPath, "checkManifestPath");
var HEALTH_CHECK_FIELDS = {
  path: field(text(), { description: "path the load balancer requests", allowed: 'starts with "/", no whitespace' }),
  matcher: v.optional(field(text(), { description: "HTTP codes that count as healthy", allowed: '200-499: "200", "200,204", "200-299"', default: `"${HEALTH_CHECK_DEFAULTS.matcher}"` })),
  intervalSeconds: v.optional(field(number2(), { description: "seconds between checks", allowed: "5 to 300", default: `${HEALTH_CHECK_DEFAULTS.intervalSeconds}` })),
  timeoutSeconds: v.optional(field(number2(), { description: "seconds before a check fails", allowed: "2 to 120, below the interval", default: `${HEALTH_CHECK_DEFAULTS.timeoutSeconds}` })),
  healthyThreshold: v.optional(field(number2(), { description: "successes before traffic", allowed: "2 to 10", default: `${HEALTH_CHECK_DEFAULTS.healthyThreshold}` })),
  unhealthyThreshold: v.optional(field(number2(), { description: "failures before no traffic", allowed: "2 to 10", default: `${HEALTH_CHECK_DEFAULTS.unhealthyThreshold}` }))
};
var HealthCheckSchema = withRules(strict(HEALTH_CHECK_FIELDS), checkHealthCheck);
var refreshDefaults = AUTO_SCALING_GROUP_DEFAULTS.instanceRefresh;
var INSTANCE_REFRESH_FIELDS = {
  minHealthyPercentage: v.optional(field(number2(), { description: "capacity kept healthy during a refresh", allowed: "0 to 100", default: `${refreshDefaults.minHealthyPercentage}` })),
  maxHealthyPercentage: v.optional(field(number2(), { description: "capacity the group may grow to", allowed: "100 to 200, at most 100 above min", default: `${refreshDefaults.maxHealthyPercentage}` })),
  autoRollback: v.optional(field(flag(), { description: "roll back a failed refresh", allowed: "true or false", default: `${refreshDefaults.autoRollback}` })),
  instanceWarmupSeconds: v.optional(field(number2(), { description: "seconds before a new instance counts as healthy", allowed: "0 to 3600", default: `${AUTO_SCALING_GROUP_DEFAULTS.defaultInstanceWarmupSeconds}` })),
  skipMatching: v.optional(field(flag(), { description: "skip instances already on the new template", allowed: "true or false", default: `${refreshDefaults.skipMatching}` })),
  alarmNames: v.optional(field(list(text()), { description: "more CloudWatch alarms the refresh watches (besides rolloutAlarms)", allowed: `alarm names, no repeats; at most ${MAX_REFRESH_ALARMS} with the rollout alarms`, default: "none" })),
  checkpoints: v.optional(
    field(
      strict({
        percentages: field(list(number2()), { description: "shares of the group replaced at each pause", allowed: "ascending whole numbers 1 to 100, ending with 100" }),
        delaySeconds: v.optional(field(number2(), { description: "seconds to wait at each checkpoint", allowed: "0 to 172800", default: `${DEFAULT_CHECKPOINT_DELAY_SECONDS}` }))
      }),
      { description: "pause the refresh to let the alarms judge the new image", allowed: "{ percentages, delaySeconds? }", default: "no pause" }
    )
  )
};
var InstanceRefreshSchema = withRules(strict(INSTANCE_REFRESH_FIELDS), checkInstanceRefresh);
var alarmDefaults = ROLLOUT_ALARM_DEFAULTS;
var alarmThresholdFields = /* @__PURE__ */ __name((defaults, unit) => ({
  threshold: v.optional(field(number2(), { description: `${unit} at or above which a period breaches`, allowed: "a whole number from 1", default: `${defaults.threshold}` })),
  periodSeconds: v.optional(field(number2(), { description: "length of one period", allowed: "a multiple of 60, up to 86400", default: `${defaults.periodSeconds}` })),
  evaluationPeriods: v.optional(field(number2(), { description: "consecutive breaching periods before ALARM", allowed: "1 to 10", default: `${defaults.evaluationPeriods}` }))
}), "alarmThresholdFields");
var ROLLOUT_ALARMS_FIELDS = {
  enabled: v.optional(field(flag(), { description: "create the alarms and pass them to the instance refresh", allowed: "true or false", default: "true" })),
  target5xx: v.optional(field(strict(alarmThresholdFields(alarmDefaults.target5xx, "5xx responses from the app")), { description: "HTTPCode_Target_5XX_Count (sum)", allowed: "{ threshold?, periodSeconds?, evaluationPeriods? }", default: ">= 10 in one 60 s period" })),
  unhealthyHosts: v.optional(field(strict(alarmThresholdFields(alarmDefaults.unhealthyHosts, "unhealthy targets")), { description: "UnHealthyHostCount (maximum)", allowed: "{ threshold?, periodSeconds?, evaluationPeriods? }", default: ">= 1 in two consecutive 60 s periods" }))
};
var RolloutAlarmsSchema = withRules(strict(ROLLOUT_ALARMS_FIELDS), checkRolloutAlarmSettings);
var cpuDefaults = AUTO_SCALING_GROUP_DEFAULTS.cpuTargetTracking;
var CPU_TARGET_TRACKING_FIELDS = {
  enabled: v.optional(field(flag(), { description: "create the CPU target tracking policy", allowed: "true or false", default: `${cpuDefaults.enabled}` })),
  targetUtilizationPercent: v.optional(field(number2(), { description: "average CPU the group holds", allowed: "1 to 100", default: `${cpuDefaults.targetUtilizationPercent}` }))
};
var CpuTargetTrackingSchema = withRules(strict(CPU_TARGET_TRACKING_FIELDS), checkCpuTargetTracking);
var EXISTING_NETWORK_FIELDS = {
  vpcId: field(text(), { description: "the existing VPC", allowed: "vpc-<8 or 17 hex digits>" }),
  publicSubnetIds: field(list(text()), { description: "subnets for the load balancer", allowed: ">= 2 subnet ids, no repeats" }),
  privateSubnetIds: field(list(text()), { description: "subnets for the instances", allowed: ">= 2 subnet ids, none of them public" }),
  privateSubnetsHaveEgress: v.optional(field(flag(), { description: "private subnets route to the internet (NAT)", allowed: "true or false", default: "true" }))
};
var ExistingNetworkSchema = withRules(
  strict(EXISTING_NETWORK_FIELDS),
  (network) => checkExistingNetworkProps({ vpcId: network.vpcId ?? "", publicSubnetIds: network.publicSubnetIds ?? [], privateSubnetIds: network.privateSubnetIds ?? [] })
);
var CAPACITY_FIELDS = {
  min: field(number2(), { description: "lower bound of the group size", allowed: "0 to 10000, <= max" }),
  max: field(number2(), { description: "upper bound of the group size", allowed: "1 to 10000" }),
  desired: field(number2(), { description: "initial group size", allowed: "min to max" })
};
var CapacitySchema = withRules(
  strict(CAPACITY_FIELDS),
  (capacity) => renamed(
    checkAutoScalingGroupProps({ minSize: capacity.min, maxSize: capacity.max, desiredCapacity: capacity.desired }),
    { minSize: "min", maxSize: "max", desiredCapacity: "desired" }
  )
);
var IMAGE_SOURCE_KINDS = ["ami", "packer-manifest", "lookup", "promoted"];
var ImageSourceSchema = v.variant(
  "kind",
  [
    /** A fixed AMI id. */
    strict({
      kind: v.literal("ami"),
      amiId: field(v.pipe(text(), rule(checkAmiId)), { description: "the AMI", allowed: "ami-<8 or 17 hex digits>" })
    }),
    /** The newest AMI for the region in a Packer manifest, read at synth time so the plan shows the id. */
    strict({
      kind: v.literal("packer-manifest"),
      manifestPath: v.optional(field(v.pipe(text(), rule(checkManifestPath)), { description: "the Packer manifest", allowed: "a .json path", default: '"packer/manifest.json"' }))
    }),
    /** The newest AMI matching a name pattern and owners, looked up at plan time (`aws_ami`). */
    withRules(
      strict({
        kind: v.literal("lookup"),
        namePattern: field(text(), { description: "AMI name pattern", allowed: "1-128 characters, * and ? as wildcards" }),
        owners: field(list(text()), { description: "accounts to search", allowed: '"self", "amazon", "aws-marketplace" or 12-digit account ids' })
      }),
      (lookup) => checkAmiLookupProps({ namePattern: lookup.namePattern ?? "", owners: lookup.owners ?? [] })
    ),
    /**
     * The newest AMI matching a name pattern and owners that carries the environment's
     * promotion tag (`sample-app:promoted-to-<environment>`, set by `npm run image:promote`).
     */
    withRules(
      strict({
        kind: v.literal("promoted"),
        namePattern: field(text(), { description: "AMI name pattern", allowed: "1-128 characters, * and ? as wildcards" }),
        owners: field(list(text()), { description: "accounts to search", allowed: '"self", "amazon", "aws-marketplace" or 12-digit account ids' })
      }),
      (lookup) => checkAmiLookupProps({ namePattern: lookup.namePattern ?? "", owners: lookup.owners ?? [] })
    )
  ],
  (issue) => issue.path ? `must be one of ${IMAGE_SOURCE_KINDS.map((kind) => `"${kind}"`).join(", ")}` : `must be an object like { kind: "lookup", namePattern, owners }, not ${describeType(issue.input)}`
);
var KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
var DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
function checkKmsKeyArn(value) {
  return KMS_KEY_ARN.test(value) ? void 0 : "must be a KMS key ARN like arn:aws:kms:us-east-1:123456789012:key/<key id>";
}
__name(checkKmsKeyArn, "checkKmsKeyArn");
function checkDynamodbTableName(value) {
  return DYNAMODB_TABLE.test(value) ? void 0 : "must be a DynamoDB table name: 3-255 letters, digits, _ . -";
}
__name(checkDynamodbTableName, "checkDynamodbTableName");
var S3_BACKEND_FIELDS = {
  bucket: v.optional(field(v.pipe(text(), rule(checkBucketName)), { description: "an existing bucket for the state files", allowed: "an S3 bucket name", default: "the bucket of the bootstrap settings file (state-backend.json); local state until it exists" })),
  region: v.optional(field(v.pipe(text(), rule(checkRegion)), { description: "region of the bucket", allowed: "an AWS region", default: "the bootstrap bucket's region, else the environment's" })),
  keyPrefix: v.optional(field(v.pipe(text(), rule(checkKeyPrefix)), { description: "prefix of the state key", allowed: "a/b/c, no leading or trailing /", default: '"sample-app"' })),
  kmsKeyId: v.optional(field(v.pipe(text(), rule(checkKmsKeyArn)), { description: "KMS key that encrypts the state object", allowed: "a KMS key ARN", default: "the bootstrap's key, else the bucket's default encryption" })),
  dynamodbTable: v.optional(field(v.pipe(text(), rule(checkDynamodbTableName)), { description: "DynamoDB lock table, besides the S3 lock file", allowed: "a table name with a LockID string hash key", default: "the bootstrap's table, else the lock file only" }))
};
var EMULATOR_FIELDS = {
  endpoint: field(v.pipe(text(), rule(checkEmulatorEndpoint)), { description: "base URL of the emulator", allowed: "http(s) URL on 127.0.0.1, localhost or [::1]" })
};
var SUPPRESSION_FIELDS = {
  rule: field(v.pipe(text(), rule(checkRuleId)), { description: "the rule switched off", allowed: 'a rule id, e.g. "SA-005" (README: Policy rules)' }),
  resource: field(v.pipe(text(), rule(checkResourcePath)), { description: "the one resource it is switched off for", allowed: "construct path below the stack, as the synth output prints it" }),
  reason: field(v.pipe(text(), rule(checkReason)), { description: "why the rule does not apply there", allowed: "a sentence, at least 20 characters" })
};
var POLICY_FIELDS = {
  suppressions: v.optional(field(list(strict(SUPPRESSION_FIELDS)), { description: "rules switched off per resource", allowed: "[{ rule, resource, reason }]", default: "none" }))
};
var PHYSICAL_NAME_FIELDS = {
  name: v.optional(field(text(), { description: "fixed name (keeps an existing object's name)", allowed: "AWS's rules for the object" })),
  namePrefix: v.optional(field(text(), { description: "name prefix; AWS appends a unique suffix", allowed: "AWS's rules for the object's prefix" })),
  description: v.optional(field(text(), { description: "security group description", allowed: "1-255 characters" }))
};
var PhysicalNameSchema = strict(PHYSICAL_NAME_FIELDS);
var physicalName = /* @__PURE__ */ __name((what, defaultText) => v.optional(field(PhysicalNameSchema, { description: what, allowed: "{ name } or { namePrefix }, plus description for security groups", default: defaultText })), "physicalName");
var NAMES_FIELDS = {
  useNamePrefix: v.optional(field(flag(), { description: "name prefixes for the target group and both security groups, so replacements apply", allowed: "true or false", default: "true" })),
  loadBalancer: physicalName("the ALB (prefix at most 6 characters)", "name <stack id>"),
  targetGroup: physicalName("the target group (prefix at most 6 characters)", 'prefix "tg-" (useNamePrefix) or name <stack id>-tg'),
  loadBalancerSecurityGroup: physicalName("the ALB's security group", "prefix <stack id>-alb- or name <stack id>-alb"),
  instanceSecurityGroup: physicalName("the instances' security group", "prefix <stack id>-instances- or name <stack id>-instances"),
  launchTemplate: physicalName("the launch template", "prefix <stack id>-"),
  autoScalingGroup: physicalName("the auto scaling group", "name <stack id>"),
  instanceRole: physicalName("the instances' IAM role", "prefix <stack id>-"),
  instanceProfile: physicalName("the instance profile", "prefix <stack id>-")
};
var NamesSchema = withRules(strict(NAMES_FIELDS), (names) => ({
  ...renamed(
    checkLoadBalancerNames({ useNamePrefix: names.useNamePrefix, loadBalancer: names.loadBalancer, targetGroup: names.targetGroup, securityGroup: names.loadBalancerSecurityGroup }),
    {
      "loadBalancer.name": "loadBalancer.name",
      "loadBalancer.namePrefix": "loadBalancer.namePrefix",
      "loadBalancer.description": "loadBalancer.description",
      "targetGroup.name": "targetGroup.name",
      "targetGroup.namePrefix": "targetGroup.namePrefix",
      "targetGroup.description": "targetGroup.description",
      "securityGroup.name": "loadBalancerSecurityGroup.name",
      "securityGroup.namePrefix": "loadBalancerSecurityGroup.namePrefix",
      "securityGroup.description": "loadBalancerSecurityGroup.description"
    }
  ),
  ...renamed(
    checkAutoScalingGroupNames({
      useNamePrefix: names.useNamePrefix,
      securityGroup: names.instanceSecurityGroup,
      launchTemplate: names.launchTemplate,
      autoScalingGroup: names.autoScalingGroup,
      role: names.instanceRole,
      instanceProfile: names.instanceProfile
    }),
    Object.fromEntries(
      [
        ["securityGroup", "instanceSecurityGroup"],
        ["launchTemplate", "launchTemplate"],
        ["autoScalingGroup", "autoScalingGroup"],
        ["role", "instanceRole"],
        ["instanceProfile", "instanceProfile"]
      ].flatMap(([prop, configName]) => ["name", "namePrefix", "description"].map((key) => [`${prop}.${key}`, `${configName}.${key}`]))
    )
  )
}));
var ENVIRONMENT_FIELDS = {
  region: field(v.pipe(text(), rule(checkRegion)), { description: "AWS region", allowed: 'e.g. "us-east-1"' }),
  vpcCidr: field(text(), { description: "VPC IPv4 CIDR", allowed: "/16 to /28, no host bits; must not overlap another environment's VPC" }),
  azCount: field(number2(), { description: "availability zones", allowed: "2 to 16 (an ALB needs two)" }),
  natMode: field(v.picklist(NAT_MODES, () => `must be one of ${NAT_MODES.map((mode) => `"${mode}"`).join(", ")}`), {
    description: "egress of private subnets",
    allowed: '"none" (instances then run in public subnets with public IPs), "single", "per-az"'
  }),
  subnetPrefixLength: v.optional(field(number2(), { description: "size of each subnet", allowed: "the subnets must fit the VPC, /28 at most", default: "VPC prefix + 4" })),
  existingNetwork: v.optional(field(ExistingNetworkSchema, { description: "use an existing VPC instead", allowed: "{ vpcId, publicSubnetIds, privateSubnetIds, privateSubnetsHaveEgress? }", default: "a VPC is created" })),
  instanceType: field(text(), { description: "EC2 instance type", allowed: 'e.g. "t3.small"' }),
  capacity: field(CapacitySchema, { description: "group size", allowed: "{ min, max, desired }, min <= desired <= max" }),
  appPort: field(number2(), { description: "port the app listens on", allowed: "1 to 65535" }),
  healthCheck: field(HealthCheckSchema, { description: "target group health check", allowed: "{ path, matcher?, intervalSeconds?, timeoutSeconds?, healthyThreshold?, unhealthyThreshold? }" }),
  instanceRefresh: v.optional(field(InstanceRefreshSchema, { description: "rolling refresh preferences", allowed: "{ minHealthyPercentage?, maxHealthyPercentage?, autoRollback?, instanceWarmupSeconds?, skipMatching?, alarmNames?, checkpoints? }", default: "100 % / 200 %, auto rollback" })),
  rolloutAlarms: v.optional(field(RolloutAlarmsSchema, { description: "CloudWatch alarms a refresh watches: one in ALARM fails (and rolls back) the refresh", allowed: "{ enabled?, target5xx?, unhealthyHosts? }", default: "on: target 5xx and unhealthy hosts" })),
  cpuTargetTracking: v.optional(field(CpuTargetTrackingSchema, { description: "CPU target tracking", allowed: "{ enabled?, targetUtilizationPercent? }", default: `on, ${cpuDefaults.targetUtilizationPercent} %` })),
  certificateArn: v.optional(field(text(), { description: "ACM certificate: HTTP redirects to HTTPS", allowed: "an ACM certificate ARN", default: "HTTP only" })),
  allowedCidrs: field(list(text()), { description: "who may reach the ALB", allowed: "IPv4 CIDRs, no repeats" }),
  image: field(ImageSourceSchema, { description: "where the AMI comes from", allowed: '{ kind: "ami", amiId } | { kind: "packer-manifest", manifestPath? } | { kind: "lookup", namePattern, owners }' }),
  deletionProtection: field(flag(), { description: "ALB deletion protection", allowed: "true or false" }),
  deregistrationDelaySeconds: v.optional(field(number2(), { description: "ALB drain time", allowed: "0 to 3600", default: `${LOAD_BALANCER_DEFAULTS.deregistrationDelaySeconds}` })),
  slowStartSeconds: v.optional(field(number2(), { description: "traffic ramp for new instances", allowed: "30 to 900", default: "off" })),
  s3Backend: v.optional(field(strict(S3_BACKEND_FIELDS), { description: "remote state in S3 (with emulator: the emulator's S3)", allowed: "{ bucket?, region?, keyPrefix?, kmsKeyId?, dynamodbTable? }; {} = the bootstrap's bucket", default: "local state file" })),
  emulator: v.optional(field(strict(EMULATOR_FIELDS), { description: "talk to an AWS emulator", allowed: "{ endpoint } on a loopback address", default: "real AWS" })),
  production: v.optional(field(flag(), { description: "apply the production policy rules (HTTPS, deletion protection, remote state, promoted image, WAF)", allowed: "true or false", default: "false" })),
  policy: v.optional(field(strict(POLICY_FIELDS), { description: "policy rule suppressions", allowed: "{ suppressions? }", default: "no suppressions" })),
  names: v.optional(field(NamesSchema, { description: "names and security group descriptions whose change forces a replacement", allowed: "{ useNamePrefix?, loadBalancer?, targetGroup?, loadBalancerSecurityGroup?, instanceSecurityGroup?, launchTemplate?, autoScalingGroup?, instanceRole?, instanceProfile? }", default: "prefixes where AWS has them" })),
  awsProviderVersion: v.optional(field(v.pipe(text(), rule(checkProviderVersion)), { description: "exact AWS provider pin", allowed: 'an exact version like "6.25.0"', default: "6.25.0, the bindings' version" }))
};
var EnvironmentObject = strict(ENVIRONMENT_FIELDS);
function environmentRules(config) {
  const network = config.existingNetwork === void 0 ? renamed(
    checkNetworkProps({ cidrBlock: config.vpcCidr, azCount: config.azCount, natMode: config.natMode, subnetPrefixLength: config.subnetPrefixLength }),
    { cidrBlock: "vpcCidr", azCount: "azCount", natMode: "natMode", subnetPrefixLength: "subnetPrefixLength" }
  ) : {};
  const loadBalancer = renamed(
    checkLoadBalancerProps({
      appPort: config.appPort,
      allowedCidrs: config.allowedCidrs,
      certificateArn: config.certificateArn,
      deregistrationDelaySeconds: config.deregistrationDelaySeconds,
      slowStartSeconds: config.slowStartSeconds
    }),
    {
      appPort: "appPort",
      allowedCidrs: "allowedCidrs",
      certificateArn: "certificateArn",
      deregistrationDelaySeconds: "deregistrationDelaySeconds",
      slowStartSeconds: "slowStartSeconds"
    }
  );
  const group = renamed(checkAutoScalingGroupProps({ instanceType: config.instanceType }), { instanceType: "instanceType" });
  const ownAlarms = config.rolloutAlarms?.enabled === false ? 0 : ROLLOUT_ALARM_COUNT;
  const extraAlarms = config.instanceRefresh?.alarmNames ?? [];
  return {
    ...network,
    ...loadBalancer,
    ...group,
    "instanceRefresh.alarmNames": extraAlarms.length + ownAlarms > MAX_REFRESH_ALARMS && extraAlarms.length <= MAX_REFRESH_ALARMS ? `must list at most ${MAX_REFRESH_ALARMS - ownAlarms} alarms: AWS watches at most ${MAX_REFRESH_ALARMS}, and the rollout alarms take ${ownAlarms}` : void 0
  };
}
__name(environmentRules, "environmentRules");
var EnvironmentSchema = withRules(EnvironmentObject, environmentRules);
var BOOTSTRAP_FIELDS = {
  region: field(v.pipe(text(), rule(checkRegion)), { description: "region of the state bucket", allowed: 'e.g. "us-east-1"' }),
  bucketName: v.optional(field(v.pipe(text(), rule(checkBucketName)), { description: "name of the state bucket", allowed: "an S3 bucket name", default: '"sample-app-tfstate-<account id>-<region>"' })),
  kms: v.optional(field(strict({
    keyArn: v.optional(field(v.pipe(text(), rule(checkKmsKeyArn)), { description: "an existing KMS key", allowed: "a KMS key ARN", default: "a key is created (rotation on)" }))
  }), { description: "SSE-KMS instead of SSE-S3", allowed: "{ keyArn? }; {} creates a key", default: "SSE-S3 (AES256)" })),
  noncurrentVersionDays: v.optional(field(number2(), { description: "days a replaced state version is kept", allowed: "1 to 3650", default: `${STATE_BUCKET_DEFAULTS.noncurrentVersionDays}` })),
  noncurrentVersionsToKeep: v.optional(field(number2(), { description: "newest replaced versions kept regardless of age", allowed: "1 to 100", default: `${STATE_BUCKET_DEFAULTS.noncurrentVersionsToKeep}` })),
  lockTable: v.optional(field(strict({
    name: v.optional(field(v.pipe(text(), rule(checkDynamodbTableName)), { description: "name of the lock table", allowed: "a DynamoDB table name", default: `"${STATE_LOCK_TABLE_DEFAULTS.name}"` }))
  }), { description: "DynamoDB lock table, for Terraform/OpenTofu versions without S3 lock files", allowed: "{ name? }", default: "none: S3 lock files (use_lockfile)" })),
  emulator: v.optional(field(strict(EMULATOR_FIELDS), { description: "create the bucket in an AWS emulator", allowed: "{ endpoint } on a loopback address", default: "real AWS" })),
  awsProviderVersion: v.optional(field(v.pipe(text(), rule(checkProviderVersion)), { description: "exact AWS provider pin", allowed: 'an exact version like "6.25.0"', default: "6.25.0, the bindings' version" }))
};
function bootstrapRules(config) {
  return renamed(checkStateBucketProps(config), { noncurrentVersionDays: "noncurrentVersionDays", noncurrentVersionsToKeep: "noncurrentVersionsToKeep" });
}
__name(bootstrapRules, "bootstrapRules");
var BootstrapObject = strict(BOOTSTRAP_FIELDS);
var BootstrapSchema = withRules(BootstrapObject, bootstrapRules);
function checkBootstrap(config) {
  return checkAgainst(BootstrapSchema, BOOTSTRAP_FIELDS, config);
}
__name(checkBootstrap, "checkBootstrap");
var STATE_SETTINGS_FIELDS = {
  bucket: field(v.pipe(text(), rule(checkBucketName)), { description: "the state bucket", allowed: "an S3 bucket name" }),
  region: field(v.pipe(text(), rule(checkRegion)), { description: "the bucket's region", allowed: "an AWS region" }),
  kmsKeyId: v.optional(field(v.pipe(text(), rule(checkKmsKeyArn)), { description: "KMS key of the state objects", allowed: "a KMS key ARN", default: "SSE-S3" })),
  dynamodbTable: v.optional(field(v.pipe(text(), rule(checkDynamodbTableName)), { description: "DynamoDB lock table", allowed: "a table name", default: "lock file only" })),
  emulatorEndpoint: v.optional(field(v.pipe(text(), rule(checkEmulatorEndpoint)), { description: "the emulator holding the bucket", allowed: "a loopback URL", default: "real AWS" })),
  createdBy: v.optional(field(text(), { description: "the stack that wrote these settings", allowed: "a stack id", default: "unknown" }))
};
var StateSettingsSchema = strict(STATE_SETTINGS_FIELDS);
function checkStateSettings(settings) {
  return checkAgainst(StateSettingsSchema, STATE_SETTINGS_FIELDS, settings);
}
__name(checkStateSettings, "checkStateSettings");
function entriesOf(schema, input) {
  let current = schema;
  while (current && current.type === "optional") {
    current = current.wrapped;
  }
  if (!current) {
    return void 0;
  }
  if (current.type === "variant" && input && typeof input === "object") {
    const key = current.key;
    const options = current.options;
    const option = options.find((candidate) => {
      const discriminator = candidate.entries[key];
      return discriminator?.literal === input[key];
    });
    return option?.entries;
  }
  return current.entries;
}
__name(entriesOf, "entriesOf");
function unknownKeys(schema, input, prefix = "") {
  const entries = entriesOf(schema, input);
  if (!entries || !input || typeof input !== "object" || Array.isArray(input)) {
    return [];
  }
  const known = Object.keys(entries);
  const problems = [];
  for (const [key, value] of Object.entries(input)) {
    const path7 = `${prefix}${key}`;
    if (!known.includes(key)) {
      problems.push({ field: path7, value, problem: `unknown field; ${suggestion(key, known, "allowed fields")}` });
    } else {
      problems.push(...unknownKeys(entries[key], value, `${path7}.`));
    }
  }
  return problems;
}
__name(unknownKeys, "unknownKeys");
function infoAt(path7, input, root = EnvironmentSchema) {
  let schema = root;
  let value = input;
  for (const key of path7) {
    schema = entriesOf(schema, value)?.[key];
    value = value && typeof value === "object" ? value[key] : void 0;
  }
  while (schema && schema.type === "optional") {
    schema = schema.wrapped;
  }
  const info = schema ? v.getMetadata(schema) : {};
  return info.allowed !== void 0 ? info : void 0;
}
__name(infoAt, "infoAt");
function checkEnvironment(config) {
  return checkAgainst(EnvironmentSchema, ENVIRONMENT_FIELDS, config);
}
__name(checkEnvironment, "checkEnvironment");
function checkAgainst(schema, fields, config) {
  const result = v.safeParse(schema, config);
  const problems = unknownKeys(schema, config);
  for (const issue of result.issues ?? []) {
    if (issue.expected === "never") {
      continue;
    }
    const keys = (issue.path ?? []).map((item) => item.key);
    const field2 = keys.join(".");
    const info = infoAt(keys, config, schema);
    if (issue.kind === "schema" && issue.input === void 0 && issue.type !== "variant") {
      problems.push({ field: field2, value: void 0, problem: `is required${info ? `; allowed: ${info.allowed}` : ""}` });
    } else if (issue.kind === "schema" && info && !issue.message.includes(info.allowed) && issue.type !== "variant" && issue.type !== "picklist") {
      problems.push({ field: field2, value: issue.input, problem: `${issue.message} (allowed: ${info.allowed})` });
    } else {
      problems.push({ field: field2, value: issue.input, problem: issue.message, default: issue.input === void 0 ? info?.default : void 0 });
    }
  }
  const order = Object.keys(fields);
  const rank = /* @__PURE__ */ __name((problem) => {
    const index = order.indexOf(problem.field.split(".")[0]);
    return index === -1 ? order.length : index;
  }, "rank");
  return problems.map((problem, index) => ({ problem, index })).sort((a, b) => rank(a.problem) - rank(b.problem) || a.index - b.index).map(({ problem }) => problem);
}
__name(checkAgainst, "checkAgainst");

// config/state.ts
var fs3 = __toESM(require("fs"));
var path3 = __toESM(require("path"));

// config/validate.ts
var ConfigError = class extends Error {
  constructor(problems) {
    super(`Invalid configuration:
${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.problems = problems;
    this.name = "ConfigError";
  }
  problems;
  static {
    __name(this, "ConfigError");
  }
};
function describeProblem(environment, field2, value, problem, defaultValue) {
  const shown = value === void 0 ? defaultValue === void 0 ? "" : ` (not set; default ${defaultValue})` : ` = ${JSON.stringify(value)}`;
  return field2 === "" ? `environment "${environment}"${shown}: ${problem}` : `environment "${environment}": ${field2}${shown}: ${problem}`;
}
__name(describeProblem, "describeProblem");
function validateEnvironment(name, config) {
  return checkEnvironment(config).map((problem) => describeProblem(name, problem.field, problem.value, problem.problem, problem.default));
}
__name(validateEnvironment, "validateEnvironment");
function findOverlappingVpcs(environments, checked) {
  const created = Object.entries(environments).filter(
    ([, config]) => config !== null && typeof config === "object" && !config.existingNetwork && typeof config.vpcCidr === "string" && typeof parseCidr(config.vpcCidr) !== "string"
  );
  const problems = [];
  created.forEach(([name, config], index) => {
    if (!checked.includes(name)) {
      return;
    }
    for (const [otherName, other] of created.filter(([otherName2], otherIndex) => otherIndex > index || !checked.includes(otherName2))) {
      if (otherName !== name && cidrsOverlap(mustParseCidr(config.vpcCidr), mustParseCidr(other.vpcCidr))) {
        problems.push(
          describeProblem(name, "vpcCidr", config.vpcCidr, `overlaps environment "${otherName}" (${other.vpcCidr}); VPC CIDRs must be disjoint`)
        );
      }
    }
  });
  return problems;
}
__name(findOverlappingVpcs, "findOverlappingVpcs");

// config/variables.ts
var OVERRIDE_VARIABLES = {
  environments: "SAMPLE_APP_ENVIRONMENTS",
  imageIdPrefix: "SAMPLE_APP_IMAGE_ID_",
  emulatorEndpoint: "SAMPLE_APP_EMULATOR_ENDPOINT",
  awsProviderVersion: "SAMPLE_APP_AWS_PROVIDER_VERSION",
  /** The backend settings file (default state-backend.json), see config/state.ts. */
  stateSettings: "SAMPLE_APP_STATE_SETTINGS",
  /** Synthesize the state bootstrap against this emulator (tests, local trials). */
  bootstrapEmulatorEndpoint: "SAMPLE_APP_BOOTSTRAP_EMULATOR_ENDPOINT"
};
var OTHER_VARIABLES = {
  SAMPLE_APP_STRICT: "main.ts: policy strict mode (missing production settings are errors)",
  SAMPLE_APP_TOOLCHAIN_HOME: "scripts/toolchain.sh, e2e/harness.js, packer/: the toolchain cache",
  SAMPLE_APP_REFRESH_PENDING_SECONDS: "e2e/moto/server.py: emulated instance refresh timing",
  SAMPLE_APP_REFRESH_STEP_SECONDS: "e2e/moto/server.py: emulated instance refresh timing"
};
function imageIdVariable(environment) {
  return `${OVERRIDE_VARIABLES.imageIdPrefix}${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}
__name(imageIdVariable, "imageIdVariable");
function checkVariableNames(env, environments, selected) {
  const problems = [];
  const imageVariables = new Map(environments.map((name) => [imageIdVariable(name), name]));
  const fixed = [
    OVERRIDE_VARIABLES.environments,
    OVERRIDE_VARIABLES.emulatorEndpoint,
    OVERRIDE_VARIABLES.awsProviderVersion,
    OVERRIDE_VARIABLES.stateSettings,
    OVERRIDE_VARIABLES.bootstrapEmulatorEndpoint,
    ...Object.keys(OTHER_VARIABLES)
  ];
  for (const variable of Object.keys(env).sort()) {
    if (!variable.startsWith("SAMPLE_APP_") || fixed.includes(variable) || env[variable] === void 0) {
      continue;
    }
    const environment = imageVariables.get(variable);
    if (environment !== void 0) {
      if (!selected.includes(environment)) {
        problems.push(
          `${variable}: environment "${environment}" is not being synthesized (${OVERRIDE_VARIABLES.environments}=${selected.join(",")}); add it there or unset ${variable}`
        );
      }
      continue;
    }
    if (variable.startsWith(OVERRIDE_VARIABLES.imageIdPrefix)) {
      const suffix = variable.slice(OVERRIDE_VARIABLES.imageIdPrefix.length);
      const suffixes = [...imageVariables.keys()].map((name) => name.slice(OVERRIDE_VARIABLES.imageIdPrefix.length));
      const closestSuffix = closest(suffix, suffixes);
      const match2 = closestSuffix === void 0 ? void 0 : `${OVERRIDE_VARIABLES.imageIdPrefix}${closestSuffix}`;
      problems.push(
        `${variable}: no environment matches the suffix "${suffix}"${match2 ? `; did you mean ${match2}?` : ""} Environments: ${environments.map((name) => `${name} (${imageIdVariable(name)})`).join(", ")}`
      );
      continue;
    }
    const known = [...fixed, `${OVERRIDE_VARIABLES.imageIdPrefix}<ENV>`];
    const match = closest(variable, [...fixed, ...imageVariables.keys()]);
    problems.push(`${variable}: unknown variable${match ? `; did you mean ${match}?` : ""} Known: ${known.join(", ")}`);
  }
  return problems;
}
__name(checkVariableNames, "checkVariableNames");

// config/state.ts
var DEFAULT_STATE_SETTINGS_PATH = "state-backend.json";
function readStateSettings(env, projectRoot, problems) {
  const variable = OVERRIDE_VARIABLES.stateSettings;
  const configured = env[variable];
  const file = path3.resolve(projectRoot, configured ?? DEFAULT_STATE_SETTINGS_PATH);
  const relative3 = path3.relative(projectRoot, file);
  const displayPath = relative3.startsWith("..") || path3.isAbsolute(relative3) ? file : relative3;
  let text2;
  try {
    text2 = fs3.readFileSync(file, "utf8");
  } catch (error) {
    if (configured !== void 0) {
      problems.push(`${variable} = ${JSON.stringify(configured)}: cannot read ${file} (${error.code}); write it with npm run state:settings after applying ${BOOTSTRAP_STACK_ID}`);
    }
    return { displayPath };
  }
  let parsed;
  try {
    parsed = JSON.parse(text2);
  } catch (error) {
    problems.push(`${displayPath}: not valid JSON (${error.message}); regenerate it with npm run state:settings`);
    return { displayPath };
  }
  const found = checkStateSettings(parsed);
  for (const problem of found) {
    const shown = problem.value === void 0 ? "" : ` = ${JSON.stringify(problem.value)}`;
    problems.push(`${displayPath}: ${problem.field || "(file)"}${shown}: ${problem.problem}`);
  }
  return found.length === 0 ? { displayPath, settings: parsed } : { displayPath };
}
__name(readStateSettings, "readStateSettings");
function resolveStateBackend(name, stackId, config, settingsFile, problems) {
  const local = /* @__PURE__ */ __name((reason) => ({ kind: "local", path: localStatePath(stackId), reason }), "local");
  const s3 = config.s3Backend;
  if (s3 === void 0) {
    return local("no s3Backend in its configuration");
  }
  const key = `${s3.keyPrefix ?? PROJECT}/${stackId}.tfstate`;
  const emulatorEndpoint = config.emulator?.endpoint;
  if (s3.bucket !== void 0) {
    return {
      kind: "s3",
      bucket: s3.bucket,
      key,
      region: s3.region ?? config.region,
      kmsKeyId: s3.kmsKeyId,
      dynamodbTable: s3.dynamodbTable,
      emulatorEndpoint,
      source: "s3Backend.bucket"
    };
  }
  const { settings, displayPath } = settingsFile;
  if (settings === void 0) {
    return local(`no ${displayPath} yet: apply ${BOOTSTRAP_STACK_ID}, then npm run state:settings; see help`);
  }
  if (settings.emulatorEndpoint !== void 0 && emulatorEndpoint === void 0) {
    problems.push(
      describeProblem(
        name,
        "s3Backend",
        s3,
        `the backend settings ${displayPath} describe a bucket in the emulator at ${settings.emulatorEndpoint}; an environment on real AWS cannot keep its state there. Synthesize only emulated environments with these settings, or point ${OVERRIDE_VARIABLES.stateSettings} at the settings of a real bootstrap`
      )
    );
    return local("invalid settings");
  }
  if (settings.emulatorEndpoint === void 0 && emulatorEndpoint !== void 0) {
    return local(`${displayPath} describes a bucket in real AWS, and this environment talks to the emulator`);
  }
  if (settings.emulatorEndpoint !== void 0 && emulatorEndpoint !== void 0 && !sameEndpoint(settings.emulatorEndpoint, emulatorEndpoint)) {
    problems.push(
      describeProblem(
        name,
        "emulator.endpoint",
        emulatorEndpoint,
        `the backend settings ${displayPath} were written for the emulator at ${settings.emulatorEndpoint}, whose bucket does not exist in this one; apply ${BOOTSTRAP_STACK_ID} against this emulator and run npm run state:settings again`
      )
    );
    return local("invalid settings");
  }
  if (s3.region !== void 0 && s3.region !== settings.region) {
    problems.push(
      describeProblem(
        name,
        "s3Backend.region",
        s3.region,
        `the bootstrap bucket ${settings.bucket} is in ${settings.region} (${displayPath}); leave s3Backend.region out or set it to ${settings.region}`
      )
    );
  }
  return {
    kind: "s3",
    bucket: settings.bucket,
    key,
    region: settings.region,
    kmsKeyId: s3.kmsKeyId ?? settings.kmsKeyId,
    dynamodbTable: s3.dynamodbTable ?? settings.dynamodbTable,
    emulatorEndpoint,
    source: displayPath
  };
}
__name(resolveStateBackend, "resolveStateBackend");
function sameEndpoint(a, b) {
  const normalise = /* @__PURE__ */ __name((url) => {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname === "localhost" ? "127.0.0.1" : parsed.hostname}:${parsed.port}`;
  }, "normalise");
  try {
    return normalise(a) === normalise(b);
  } catch {
    return a === b;
  }
}
__name(sameEndpoint, "sameEndpoint");

// config/load.ts
var DEFAULT_MANIFEST_PATH = "packer/manifest.json";
function readImageAppPort(projectRoot = PROJECT_ROOT) {
  const processFile = path4.join(projectRoot, "app", "app.config.js");
  const port = Number(require(processFile).apps?.[0]?.env?.PORT);
  if (!Number.isInteger(port)) {
    throw new Error(`${processFile}: apps[0].env.PORT must be the app's port number`);
  }
  return port;
}
__name(readImageAppPort, "readImageAppPort");
function selectNames(known, env, problems) {
  const variable = OVERRIDE_VARIABLES.environments;
  const raw = env[variable];
  if (raw === void 0) {
    return known;
  }
  const names = raw.split(",").map((name) => name.trim());
  if (names.every((name) => name === "")) {
    problems.push(
      `${variable} = ${JSON.stringify(raw)}: names no environment; unset it to synthesize all, or list some of: ${known.join(", ")}`
    );
    return [];
  }
  const selected = [];
  for (const name of names) {
    if (name === "") {
      problems.push(`${variable} = ${JSON.stringify(raw)}: has an empty entry; separate names with single commas`);
    } else if (!known.includes(name)) {
      const match = closest(name, known);
      problems.push(
        `${variable}: unknown environment "${name}"${match ? `; did you mean "${match}"?` : ""}; known environments: ${known.join(", ")}`
      );
    } else if (selected.includes(name)) {
      problems.push(`${variable} = ${JSON.stringify(raw)}: names "${name}" twice`);
    } else {
      selected.push(name);
    }
  }
  return selected;
}
__name(selectNames, "selectNames");
function checkEnvironmentName(name, config) {
  if (name === BOOTSTRAP_NAME) {
    return `environment name "${name}": is reserved for the state bootstrap stack ${BOOTSTRAP_STACK_ID}; choose another name`;
  }
  if (!/^[a-z][a-z0-9-]*$/.test(name) || name.endsWith("-")) {
    return `environment name "${name}": must be lowercase letters, digits and hyphens, starting with a letter (it becomes the stack id ${PROJECT}-<name>)`;
  }
  const stackId = `${PROJECT}-${name}`;
  const names = config && typeof config === "object" && config.names && typeof config.names === "object" ? config.names : void 0;
  const problem = checkLoadBalancerProps({
    name: stackId,
    names: { useNamePrefix: names?.useNamePrefix, loadBalancer: names?.loadBalancer, targetGroup: names?.targetGroup, securityGroup: names?.loadBalancerSecurityGroup }
  }).name ?? checkAutoScalingGroupProps({
    name: stackId,
    names: {
      useNamePrefix: names?.useNamePrefix,
      securityGroup: names?.instanceSecurityGroup,
      launchTemplate: names?.launchTemplate,
      autoScalingGroup: names?.autoScalingGroup,
      role: names?.instanceRole,
      instanceProfile: names?.instanceProfile
    }
  }).name;
  return problem === void 0 ? void 0 : `environment name "${name}": the stack id ${stackId} ${problem}`;
}
__name(checkEnvironmentName, "checkEnvironmentName");
function applyOverrides(names, environments, env, problems) {
  const endpoint = env[OVERRIDE_VARIABLES.emulatorEndpoint];
  const endpointProblem = endpoint === void 0 ? void 0 : checkEmulatorEndpoint(endpoint);
  if (endpointProblem) {
    problems.push(`${OVERRIDE_VARIABLES.emulatorEndpoint} = ${JSON.stringify(endpoint)}: ${endpointProblem}`);
  }
  const providerVersion = env[OVERRIDE_VARIABLES.awsProviderVersion];
  const versionProblem = providerVersion === void 0 ? void 0 : checkProviderVersion(providerVersion);
  if (versionProblem) {
    problems.push(`${OVERRIDE_VARIABLES.awsProviderVersion} = ${JSON.stringify(providerVersion)}: ${versionProblem}`);
  }
  const configs = {};
  for (const name of names) {
    let config = environments[name];
    const isObject = config !== null && typeof config === "object";
    const imageVariable = imageIdVariable(name);
    const imageId = env[imageVariable];
    if (imageId !== void 0) {
      const problem = checkAmiId(imageId);
      if (problem) {
        problems.push(`${imageVariable} = ${JSON.stringify(imageId)}: ${problem}`);
      } else if (isObject) {
        config = { ...config, image: { kind: "ami", amiId: imageId } };
      }
    }
    if (isObject && endpoint !== void 0 && !endpointProblem && config.emulator) {
      config = { ...config, emulator: { endpoint } };
    }
    if (isObject && providerVersion !== void 0 && !versionProblem) {
      config = { ...config, awsProviderVersion: providerVersion };
    }
    configs[name] = config;
  }
  return configs;
}
__name(applyOverrides, "applyOverrides");
function resolveImage(name, config, projectRoot, problems) {
  const image = config.image;
  if (image.kind === "ami") {
    return { kind: "ami", amiId: image.amiId, origin: "config" };
  }
  if (image.kind === "lookup") {
    return { kind: "lookup", namePattern: image.namePattern, owners: [...image.owners] };
  }
  if (image.kind === "promoted") {
    return { kind: "lookup", namePattern: image.namePattern, owners: [...image.owners], requiredTagKeys: [promotionTagKey(name)] };
  }
  const manifestPath = image.manifestPath ?? DEFAULT_MANIFEST_PATH;
  let text2;
  try {
    text2 = fs4.readFileSync(path4.resolve(projectRoot, manifestPath), "utf8");
  } catch {
    problems.push(
      describeProblem(name, "image.manifestPath", manifestPath, "file not found; run npm run image:build, or choose another image.kind")
    );
    return void 0;
  }
  const newest = newestAmiForRegion(text2, config.region);
  if (typeof newest === "string") {
    problems.push(describeProblem(name, "image.manifestPath", manifestPath, newest));
    return void 0;
  }
  const amiProblem = checkAmiId(newest.amiId);
  if (amiProblem) {
    problems.push(describeProblem(name, "image.manifestPath", manifestPath, `newest build's AMI id ${newest.amiId} ${amiProblem}`));
    return void 0;
  }
  return { kind: "ami", amiId: newest.amiId, origin: `${manifestPath} (run ${newest.runUuid})` };
}
__name(resolveImage, "resolveImage");
var BOOTSTRAP_NAME = "bootstrap";
function loadBootstrap(config, env, problems) {
  let result = config;
  const endpointVariable = OVERRIDE_VARIABLES.bootstrapEmulatorEndpoint;
  const endpoint = env[endpointVariable];
  if (endpoint !== void 0) {
    const problem = checkEmulatorEndpoint(endpoint);
    if (problem) {
      problems.push(`${endpointVariable} = ${JSON.stringify(endpoint)}: ${problem}`);
    } else {
      result = { ...result, emulator: { endpoint } };
    }
  }
  const providerVersion = env[OVERRIDE_VARIABLES.awsProviderVersion];
  if (providerVersion !== void 0 && checkProviderVersion(providerVersion) === void 0) {
    result = { ...result, awsProviderVersion: providerVersion };
  }
  for (const problem of checkBootstrap(result)) {
    problems.push(
      describeProblem(BOOTSTRAP_NAME, problem.field, problem.value, problem.problem, problem.default).replace(/^environment "bootstrap"/, `bootstrap (${BOOTSTRAP_STACK_ID})`)
    );
  }
  return { config: result };
}
__name(loadBootstrap, "loadBootstrap");
function loadEnvironments(options = {}) {
  return loadStacks(options).environments;
}
__name(loadEnvironments, "loadEnvironments");
function loadStacks(options = {}) {
  const environments = options.environments ?? ENVIRONMENTS;
  const env = options.env ?? process.env;
  const projectRoot = options.projectRoot ?? PROJECT_ROOT;
  const problems = [];
  const known = Object.keys(environments);
  for (const name of known) {
    const problem = checkEnvironmentName(name, environments[name]);
    if (problem) {
      problems.push(problem);
    }
  }
  const selected = selectNames([...known, BOOTSTRAP_NAME], env, problems);
  const names = selected.filter((name) => name !== BOOTSTRAP_NAME);
  const bootstrap = selected.includes(BOOTSTRAP_NAME) ? loadBootstrap(options.bootstrap ?? STATE_BOOTSTRAP, env, problems) : void 0;
  problems.push(...checkVariableNames(env, known, names));
  const configs = applyOverrides(names, environments, env, problems);
  const imageAppPort = options.imageAppPort ?? readImageAppPort(projectRoot);
  for (const name of names) {
    const environmentProblems = validateEnvironment(name, configs[name]);
    problems.push(...environmentProblems);
    const appPort = configs[name]?.appPort;
    if (environmentProblems.length === 0 && appPort !== imageAppPort) {
      problems.push(
        describeProblem(
          name,
          "appPort",
          appPort,
          `must be ${imageAppPort}, the port the image's app listens on (app/app.config.js env.PORT); change both together`
        )
      );
    }
  }
  problems.push(...findOverlappingVpcs({ ...environments, ...configs }, names));
  const resolved = [];
  if (problems.length === 0) {
    const settingsFile = readStateSettings(env, projectRoot, problems);
    for (const name of names) {
      const image = resolveImage(name, configs[name], projectRoot, problems);
      const backend = resolveStateBackend(name, stackIdFor(name), configs[name], settingsFile, problems);
      if (image) {
        resolved.push({ name, config: configs[name], image, backend });
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return { environments: resolved, bootstrap };
}
__name(loadStacks, "loadStacks");
function loadEnvironment(name, options = {}) {
  const [environment] = loadEnvironments({
    ...options,
    env: { ...options.env ?? {}, [OVERRIDE_VARIABLES.environments]: name }
  });
  return environment;
}
__name(loadEnvironment, "loadEnvironment");

// lib/operate/refresh-report.ts
var ACTIVE_STATUSES = ["Pending", "InProgress", "Cancelling", "RollbackInProgress", "Baking"];
var FORWARD_STATUSES = ["Pending", "InProgress"];
function outcomeOf(status) {
  if (ACTIVE_STATUSES.includes(status)) {
    return "running";
  }
  return status === "Successful" ? "successful" : "unsuccessful";
}
__name(outcomeOf, "outcomeOf");
var EXIT = { successful: 0, unsuccessful: 1, usage: 2, timeout: 3 };
function formatElapsed(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor(s % 3600 / 60);
  const rest = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m${String(rest).padStart(2, "0")}s` : m > 0 ? `${m}m${String(rest).padStart(2, "0")}s` : `${rest}s`;
}
__name(formatElapsed, "formatElapsed");
function elapsedOf(view, now) {
  return formatElapsed(((view.endTime ?? now).getTime() - view.startTime.getTime()) / 1e3);
}
__name(elapsedOf, "elapsedOf");
function formatLine(view, now) {
  const parts = [
    `status=${view.status}`,
    `complete=${view.percentageComplete}%`,
    `to_update=${view.instancesToUpdate}`,
    `elapsed=${elapsedOf(view, now)}`
  ];
  if (view.statusReason) {
    parts.push(`reason=${JSON.stringify(view.statusReason)}`);
  }
  return `${now.toISOString()} refresh ${view.id} ${parts.join(" ")}`;
}
__name(formatLine, "formatLine");
function formatBar(view, now, columns = 100) {
  const width = 24;
  const filled = Math.round(Math.min(100, Math.max(0, view.percentageComplete)) / 100 * width);
  const bar = `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
  const head = `${bar} ${String(view.percentageComplete).padStart(3)}% ${view.status} \xB7 ${view.instancesToUpdate} to update \xB7 ${elapsedOf(view, now)}`;
  const line = view.statusReason ? `${head} \xB7 ${view.statusReason}` : head;
  return line.length > columns ? `${line.slice(0, Math.max(0, columns - 1))}\u2026` : line;
}
__name(formatBar, "formatBar");
function formatEnd(view) {
  const reason = view.statusReason ? `: ${view.statusReason}` : "";
  switch (outcomeOf(view.status)) {
    case "successful":
      return `Instance refresh ${view.id} Successful.`;
    case "running":
      return `Instance refresh ${view.id} is still ${view.status}${reason}`;
    default:
      return `Instance refresh ${view.id} ended ${view.status}${reason}`;
  }
}
__name(formatEnd, "formatEnd");
function envVariableFor(environment) {
  return `SAMPLE_APP_IMAGE_ID_${environment.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}
__name(envVariableFor, "envVariableFor");
function rollbackAdvice(facts) {
  const { target, group } = facts;
  const bad = target.imageId ?? `the image of launch template version ${target.version}`;
  const fleet = Object.entries(facts.instancesByVersion).sort(([a], [b]) => Number(a) - Number(b)).map(([version, count]) => `${count} on version ${version}`).join(", ");
  const lines = [];
  const rolledBack = facts.status === "RollbackSuccessful" || facts.status === "RollbackFailed";
  if (rolledBack && group.version === target.version) {
    lines.push(
      `The rollback did NOT restore the previous image. The provider moved the group to launch template version ${target.version} (${bad}) before it started the refresh (terraform-provider-aws issue #34189), so "the configuration before the refresh" was already the new one.`,
      `The group still launches ${bad}; instances: ${fleet || "none"}. tofu plan shows no changes: state, config and group all name ${bad}.`
    );
  } else if (rolledBack) {
    lines.push(
      `The group is back on launch template version ${group.version}${group.imageId ? ` (${group.imageId})` : ""}; instances: ${fleet || "none"}.`,
      `But the state and the config still name ${bad} (version ${target.version}): the next tofu apply moves the group to version ${target.version} again and rolls ${bad} out again.`
    );
  } else {
    lines.push(`The group names launch template version ${group.version}${group.imageId ? ` (${group.imageId})` : ""}; instances: ${fleet || "none"}.`);
  }
  if (!facts.previous) {
    lines.push(
      `No earlier image was found (no older launch template version with another image, and none before ${bad} in packer/manifest.json). Set the environment's image to a known good AMI id before the next apply.`
    );
    return lines;
  }
  const prev = facts.previous.imageId;
  lines.push(
    `To roll back for real, deploy the previous image ${prev} (from ${facts.previous.source}):`,
    `  in config/environments.ts, environment "${facts.environment}": image: { kind: "ami", amiId: "${prev}" }`,
    `  or for one run: ${envVariableFor(facts.environment)}=${prev} npm run synth`,
    `  then in cdktf.out/stacks/${facts.stackId}: tofu plan (the launch template gets a new version with ${prev}, the group moves to it) and tofu apply.`
  );
  if (facts.imageKind === "lookup") {
    lines.push(`  The environment looks its image up by name: the newest match is still ${bad}, so pin the id as above (or deregister ${bad}).`);
  } else if (facts.imageKind === "promoted") {
    lines.push(`  The environment deploys the newest image promoted to it, still ${bad}: pin the id as above, or promote ${prev} again.`);
  } else if (facts.imageKind === "packer-manifest") {
    lines.push(`  The environment takes the newest build from packer/manifest.json, which is still ${bad}: pin the id as above, or revert the manifest commit that added it.`);
  }
  return lines;
}
__name(rollbackAdvice, "rollbackAdvice");

// lib/operate/stack-outputs.ts
var import_child_process = require("child_process");
var fs5 = __toESM(require("fs"));
var os = __toESM(require("os"));
var path5 = __toESM(require("path"));
var OperatorError = class extends Error {
  constructor(message, exitCode = 2) {
    super(message);
    this.exitCode = exitCode;
    this.name = "OperatorError";
  }
  exitCode;
  static {
    __name(this, "OperatorError");
  }
};
function fromStateJson(text2, where, stackId) {
  let state;
  try {
    state = JSON.parse(text2);
  } catch (error) {
    throw new OperatorError(`${where} is not a Terraform state file (${error.message})`);
  }
  const outputs = Object.fromEntries(Object.entries(state.outputs ?? {}).map(([k, v2]) => [k, typeof v2.value === "string" ? v2.value : void 0]));
  if (!outputs.asg_name || !outputs.launch_template_id) {
    throw new OperatorError(
      `${stackId} has no applied state: ${where} has no asg_name / launch_template_id outputs (was the stack applied, or destroyed since?)`
    );
  }
  return outputs;
}
__name(fromStateJson, "fromStateJson");
function readStackOutputs(environment, stackId, source = {}) {
  const root = source.projectRoot ?? PROJECT_ROOT;
  const stackDir = path5.join(root, "cdktf.out", "stacks", stackId);
  const backend = environment.backend;
  if (source.stateFile || backend.kind === "local") {
    const file = path5.resolve(source.stateFile ?? path5.resolve(stackDir, backend.kind === "local" ? backend.path : "."));
    if (!fs5.existsSync(file)) {
      throw new OperatorError(
        `environment "${environment.name}" has no applied state: ${path5.relative(process.cwd(), file) || file} does not exist. Apply the stack first (tofu apply in cdktf.out/stacks/${stackId}${environment.config.emulator ? ", or npm start" : ""}).`
      );
    }
    return fromStateJson(fs5.readFileSync(file, "utf8"), file, stackId);
  }
  if (!fs5.existsSync(path5.join(stackDir, ".terraform"))) {
    throw new OperatorError(
      `environment "${environment.name}" keeps its state in S3 (s3://${backend.bucket}/${backend.key}); run npm run synth and tofu init in ${path5.relative(process.cwd(), stackDir)} first, so tofu can read its outputs`
    );
  }
  const toolchainTofu = path5.join(process.env.SAMPLE_APP_TOOLCHAIN_HOME ?? path5.join(os.homedir(), ".cache", "sample-app-toolchain"), "bin", "tofu");
  const tofu = process.env.TOFU ?? (fs5.existsSync(toolchainTofu) ? toolchainTofu : "tofu");
  const result = (0, import_child_process.spawnSync)(tofu, ["output", "-json"], { cwd: stackDir, encoding: "utf8" });
  if (result.error || result.status !== 0) {
    throw new OperatorError(`tofu output -json in ${stackDir} failed: ${result.error?.message ?? result.stderr.trim()}`);
  }
  const outputs = JSON.parse(result.stdout || "{}");
  return fromStateJson(JSON.stringify({ outputs }), `the state of ${stackId} (s3://${backend.bucket}/${backend.key})`, stackId);
}
__name(readStackOutputs, "readStackOutputs");
function awsTargetFor(environment, env = process.env, projectRoot = PROJECT_ROOT) {
  const region = environment.config.region;
  if (!environment.config.emulator) {
    return { region };
  }
  const fromEnv = env[OVERRIDE_VARIABLES.emulatorEndpoint];
  if (fromEnv) {
    return { region, endpoint: fromEnv };
  }
  const recorded = path5.join(projectRoot, ".state", "emulator.json");
  if (fs5.existsSync(recorded)) {
    const endpoint = JSON.parse(fs5.readFileSync(recorded, "utf8")).endpoint;
    if (typeof endpoint === "string") {
      return { region, endpoint };
    }
  }
  return { region, endpoint: environment.config.emulator.endpoint };
}
__name(awsTargetFor, "awsTargetFor");
function clientConfig(target) {
  return target.endpoint ? { region: target.region, endpoint: target.endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } } : { region: target.region };
}
__name(clientConfig, "clientConfig");

// tools/rollout.ts
var USAGE = `npm run rollout -- <command> <environment> [options]

Commands
  watch <env>      follow the group's newest instance refresh until it ends: status, percentage
                   complete, instances to update, status reason, elapsed time (a progress bar on
                   a terminal, one plain line per change otherwise). After a rollback or failure
                   it says exactly which image to set.
      --wait         exit 0 on Successful, 1 on Failed, Cancelled, RollbackSuccessful, RollbackFailed
      --once         print the current state once and exit (with --wait: its exit code)
      --interval S   seconds between polls (default 5)
      --timeout S    with --wait: give up after S seconds, exit 3 (default: no limit)
  cancel <env>     CancelInstanceRefresh on the refresh in progress (asks first)
  rollback <env>   RollbackInstanceRefresh on the refresh in progress: replace what it replaced with
                   the group's configuration from before it started (asks first)
      --yes          do not ask (needed when stdin is not a terminal)
  help             this text

Common options
  --state FILE     read the stack outputs from this state file (default .state/<stack>.tfstate, or
                   tofu output in cdktf.out/stacks/<stack> for S3 state)

Exit codes: 0 done / Successful, 1 the refresh did not succeed or the AWS call failed, 2 bad input
(unknown environment or flag, no applied state, nothing in progress), 3 --wait timed out.`;
var COMMANDS = ["watch", "cancel", "rollback", "help"];
function parseArgs(argv) {
  const options = { command: "", wait: false, once: false, yes: false, intervalSeconds: 5 };
  const positional = [];
  const number3 = /* @__PURE__ */ __name((flag2, value, min) => {
    const parsed = Number(value);
    if (value === void 0 || !Number.isFinite(parsed) || parsed < min) {
      throw new OperatorError(`${flag2} needs a number of seconds${min > 0 ? ` above 0` : ""}, got ${value === void 0 ? "nothing" : JSON.stringify(value)}`);
    }
    return parsed;
  }, "number");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--wait":
        options.wait = true;
        break;
      case "--once":
        options.once = true;
        break;
      case "--yes":
      case "-y":
        options.yes = true;
        break;
      case "--interval":
        options.intervalSeconds = number3(arg, argv[++i], 0.1);
        break;
      case "--timeout":
        options.timeoutSeconds = number3(arg, argv[++i], 0.1);
        break;
      case "--state":
        if (!argv[i + 1]) throw new OperatorError("--state needs a file");
        options.stateFile = argv[++i];
        break;
      case "--help":
      case "-h":
        positional.unshift("help");
        break;
      default:
        if (arg.startsWith("-")) {
          throw new OperatorError(`unknown option ${arg}; see npm run rollout -- help`);
        }
        positional.push(arg);
    }
  }
  options.command = positional[0] ?? "help";
  if (!COMMANDS.includes(options.command)) {
    throw new OperatorError(`unknown command "${options.command}"; commands: ${COMMANDS.join(", ")}`);
  }
  options.environment = positional[1];
  if (options.command !== "help") {
    if (!options.environment) {
      throw new OperatorError(`${options.command} needs an environment: npm run rollout -- ${options.command} <environment>`);
    }
    if (positional.length > 2) {
      throw new OperatorError(`unexpected argument ${JSON.stringify(positional[2])}`);
    }
    const forCommand = { watch: ["yes"], cancel: ["wait", "once"], rollback: ["wait", "once"] };
    for (const flag2 of forCommand[options.command] ?? []) {
      if (options[flag2]) {
        throw new OperatorError(`--${flag2} does not apply to ${options.command}`);
      }
    }
  }
  return options;
}
__name(parseArgs, "parseArgs");
function viewOf(refresh) {
  return {
    id: refresh.InstanceRefreshId ?? "?",
    status: refresh.Status ?? "?",
    percentageComplete: refresh.PercentageComplete ?? 0,
    instancesToUpdate: refresh.InstancesToUpdate ?? 0,
    statusReason: refresh.StatusReason,
    startTime: refresh.StartTime ?? /* @__PURE__ */ new Date(),
    endTime: refresh.EndTime,
    rollback: refresh.RollbackDetails ? {
      reason: refresh.RollbackDetails.RollbackReason,
      startTime: refresh.RollbackDetails.RollbackStartTime,
      percentageCompleteOnRollback: refresh.RollbackDetails.PercentageCompleteOnRollback,
      instancesToUpdateOnRollback: refresh.RollbackDetails.InstancesToUpdateOnRollback
    } : void 0
  };
}
__name(viewOf, "viewOf");
var Session = class {
  constructor(environment, stackId, outputs) {
    this.environment = environment;
    this.stackId = stackId;
    this.outputs = outputs;
    const config = clientConfig(awsTargetFor(environment));
    this.autoscaling = new import_client_auto_scaling.AutoScalingClient(config);
    this.ec2 = new import_client_ec2.EC2Client(config);
    this.cloudwatch = new import_client_cloudwatch.CloudWatchClient(config);
  }
  environment;
  stackId;
  outputs;
  static {
    __name(this, "Session");
  }
  autoscaling;
  ec2;
  cloudwatch;
  get groupName() {
    return this.outputs.asg_name;
  }
  async newestRefresh() {
    const { InstanceRefreshes = [] } = await this.autoscaling.send(
      new import_client_auto_scaling.DescribeInstanceRefreshesCommand({ AutoScalingGroupName: this.groupName, MaxRecords: 1 })
    );
    return InstanceRefreshes[0];
  }
  async imageOf(templateId, version) {
    const { LaunchTemplateVersions = [] } = await this.ec2.send(
      new import_client_ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, Versions: [version] })
    );
    return LaunchTemplateVersions[0]?.LaunchTemplateData?.ImageId;
  }
  async alarmsInAlarm() {
    const names = (this.outputs.rollout_alarm_names ?? "").split(",").filter(Boolean);
    if (names.length === 0) return [];
    const { MetricAlarms = [] } = await this.cloudwatch.send(new import_client_cloudwatch.DescribeAlarmsCommand({ AlarmNames: names }));
    return MetricAlarms.filter((alarm) => alarm.StateValue === "ALARM").map((alarm) => alarm.AlarmName ?? "?");
  }
  /** Facts for the advice after an unsuccessful refresh. */
  async rollbackFacts(refresh) {
    const { AutoScalingGroups = [] } = await this.autoscaling.send(
      new import_client_auto_scaling.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.groupName] })
    );
    const group = AutoScalingGroups[0];
    const templateId = group?.LaunchTemplate?.LaunchTemplateId ?? this.outputs.launch_template_id;
    const groupVersion = group?.LaunchTemplate?.Version ?? "?";
    const targetVersion = refresh.DesiredConfiguration?.LaunchTemplate?.Version ?? groupVersion;
    const instancesByVersion = {};
    for (const instance of group?.Instances ?? []) {
      const version = instance.LaunchTemplate?.Version ?? "?";
      instancesByVersion[version] = (instancesByVersion[version] ?? 0) + 1;
    }
    const targetImage = /^\d+$/.test(targetVersion) ? await this.imageOf(templateId, targetVersion) : void 0;
    const groupImage = /^\d+$/.test(groupVersion) ? await this.imageOf(templateId, groupVersion) : void 0;
    return {
      environment: this.environment.name,
      stackId: this.stackId,
      status: refresh.Status ?? "?",
      target: { version: targetVersion, imageId: targetImage },
      group: { version: groupVersion, imageId: groupImage },
      instancesByVersion,
      previous: targetImage ? await this.previousImage(templateId, targetVersion, targetImage) : void 0,
      imageKind: this.environment.config.image.kind
    };
  }
  /** The image deployed before `badImage`: the manifest's build before it, else the newest older template version with another image. */
  async previousImage(templateId, targetVersion, badImage) {
    const image = this.environment.config.image;
    if (image.kind === "packer-manifest") {
      const manifestPath = image.manifestPath ?? DEFAULT_MANIFEST_PATH;
      const file = path6.resolve(PROJECT_ROOT, manifestPath);
      if (fs6.existsSync(file)) {
        const images = appImagesForRegion(fs6.readFileSync(file, "utf8"), this.environment.config.region);
        if (typeof images !== "string") {
          const index = images.findIndex((candidate) => candidate.amiId === badImage);
          const before = images.slice(0, index === -1 ? 0 : index).reverse().find((candidate) => candidate.amiId !== badImage);
          if (before) {
            return { imageId: before.amiId, source: `${manifestPath}, the build before ${badImage} (run ${before.runUuid})` };
          }
        }
      }
    }
    const { LaunchTemplateVersions = [] } = await this.ec2.send(new import_client_ec2.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId }));
    const older = LaunchTemplateVersions.filter((v2) => (v2.VersionNumber ?? 0) < Number(targetVersion) && v2.LaunchTemplateData?.ImageId && v2.LaunchTemplateData.ImageId !== badImage).sort(
      (a, b) => (b.VersionNumber ?? 0) - (a.VersionNumber ?? 0)
    );
    return older[0] ? { imageId: older[0].LaunchTemplateData.ImageId, source: `launch template ${templateId} version ${older[0].VersionNumber}` } : void 0;
  }
};
function sleep(ms) {
  return new Promise((resolve5) => setTimeout(resolve5, ms));
}
__name(sleep, "sleep");
async function watch(session, options) {
  const tty = Boolean(process.stdout.isTTY);
  const first = await session.newestRefresh();
  if (!first) {
    console.log(`No instance refresh has run on ${session.groupName} yet.`);
    return EXIT.successful;
  }
  console.log(`Watching instance refresh ${first.InstanceRefreshId} of ${session.groupName} (${session.stackId}, ${session.environment.config.region}).`);
  const deadline = options.timeoutSeconds ? Date.now() + options.timeoutSeconds * 1e3 : void 0;
  let refresh = first;
  let lastLine = "";
  let lastAlarms = "";
  for (; ; ) {
    const view2 = viewOf(refresh);
    const now = /* @__PURE__ */ new Date();
    if (tty) {
      process.stdout.write(`\r\x1B[2K${formatBar(view2, now, process.stdout.columns ?? 100)}`);
    } else {
      const line = formatLine(view2, now);
      const key = line.replace(/^\S+ /, "").replace(/ elapsed=\S+/, "");
      if (key !== lastLine) {
        console.log(line);
        lastLine = key;
      }
    }
    const alarms = (await session.alarmsInAlarm().catch(() => [])).join(", ");
    if (alarms !== lastAlarms && outcomeOf(view2.status) === "running") {
      if (tty) process.stdout.write("\n");
      console.log(alarms ? `Alarm in ALARM: ${alarms}` : "No watched alarm in ALARM.");
      lastAlarms = alarms;
    }
    if (outcomeOf(view2.status) !== "running" || options.once) break;
    if (deadline && Date.now() > deadline) {
      if (tty) process.stdout.write("\n");
      console.log(`Gave up after ${options.timeoutSeconds} s: the refresh is still ${view2.status}.`);
      return EXIT.timeout;
    }
    await sleep(options.intervalSeconds * 1e3);
    refresh = await session.newestRefresh() ?? refresh;
  }
  if (tty) process.stdout.write("\n");
  const view = viewOf(refresh);
  const outcome = outcomeOf(view.status);
  console.log(formatEnd(view));
  if (view.rollback) {
    console.log(
      `Rollback: ${view.rollback.reason ?? "?"} (started at ${view.rollback.percentageCompleteOnRollback ?? "?"}% complete, ${view.rollback.instancesToUpdateOnRollback ?? "?"} instances still to update).`
    );
  }
  if (outcome === "unsuccessful" && view.status !== "Cancelled") {
    for (const line of rollbackAdvice(await session.rollbackFacts(refresh))) console.log(line);
  }
  if (!options.wait) return EXIT.successful;
  return outcome === "successful" ? EXIT.successful : outcome === "running" ? EXIT.successful : EXIT.unsuccessful;
}
__name(watch, "watch");
async function confirm(question, options) {
  if (options.yes) return true;
  if (!process.stdin.isTTY) {
    throw new OperatorError("not confirmed: stdin is not a terminal; pass --yes to confirm");
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise((resolve5) => rl.question(`${question} [y/N] `, resolve5));
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
__name(confirm, "confirm");
async function activeRefresh(session, command) {
  const refresh = await session.newestRefresh();
  if (!refresh || !FORWARD_STATUSES.includes(refresh.Status ?? "")) {
    const newest = refresh ? ` (the newest, ${refresh.InstanceRefreshId}, is ${refresh.Status})` : " (none has run yet)";
    throw new OperatorError(`nothing to ${command}: no instance refresh is Pending or InProgress on ${session.groupName}${newest}. Nothing was changed.`);
  }
  return refresh;
}
__name(activeRefresh, "activeRefresh");
async function cancel(session, options) {
  const refresh = await activeRefresh(session, "cancel");
  const view = viewOf(refresh);
  console.log(formatLine(view, /* @__PURE__ */ new Date()));
  if (!await confirm(`Cancel instance refresh ${view.id} of ${session.groupName}? Instances already replaced stay replaced.`, options)) {
    console.log("Not cancelled.");
    return EXIT.unsuccessful;
  }
  const { InstanceRefreshId } = await session.autoscaling.send(new import_client_auto_scaling.CancelInstanceRefreshCommand({ AutoScalingGroupName: session.groupName }));
  console.log(`Cancelling instance refresh ${InstanceRefreshId}. Follow it with: npm run rollout -- watch ${session.environment.name}`);
  return EXIT.successful;
}
__name(cancel, "cancel");
async function rollback(session, options) {
  const refresh = await activeRefresh(session, "roll back");
  const view = viewOf(refresh);
  console.log(formatLine(view, /* @__PURE__ */ new Date()));
  const facts = await session.rollbackFacts(refresh);
  if (facts.group.version === facts.target.version) {
    console.log(
      `Warning: the group already names launch template version ${facts.target.version} (${facts.target.imageId ?? "?"}), the version this refresh deploys: the provider set it before starting the refresh (terraform-provider-aws issue #34189). A rollback returns to that same version and re-launches that image.` + (facts.previous ? ` To get back to ${facts.previous.imageId}, cancel instead and deploy it (npm run rollout -- watch ${facts.environment} prints how).` : "")
    );
  }
  if (!await confirm(`Roll back instance refresh ${view.id} of ${session.groupName} to the group's configuration from before it started?`, options)) {
    console.log("Not rolled back.");
    return EXIT.unsuccessful;
  }
  const { InstanceRefreshId } = await session.autoscaling.send(new import_client_auto_scaling.RollbackInstanceRefreshCommand({ AutoScalingGroupName: session.groupName }));
  console.log(`Rolling back instance refresh ${InstanceRefreshId}. Follow it with: npm run rollout -- watch ${session.environment.name}`);
  return EXIT.successful;
}
__name(rollback, "rollback");
async function main(argv) {
  const options = parseArgs(argv);
  if (options.command === "help") {
    console.log(USAGE);
    return EXIT.successful;
  }
  if (!Object.prototype.hasOwnProperty.call(ENVIRONMENTS, options.environment)) {
    throw new OperatorError(`unknown environment "${options.environment}"; known environments: ${Object.keys(ENVIRONMENTS).join(", ")}`);
  }
  let environment;
  try {
    environment = loadEnvironment(options.environment);
  } catch (error) {
    if (error instanceof ConfigError) throw new OperatorError(error.message);
    throw error;
  }
  const stackId = `${PROJECT}-${environment.name}`;
  const session = new Session(environment, stackId, readStackOutputs(environment, stackId, { stateFile: options.stateFile }));
  switch (options.command) {
    case "watch":
      return watch(session, options);
    case "cancel":
      return cancel(session, options);
    default:
      return rollback(session, options);
  }
}
__name(main, "main");
if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      if (error instanceof OperatorError) {
        console.error(`rollout: ${error.message}`);
        process.exit(error.exitCode);
      }
      const name = error.name;
      console.error(`rollout: ${name && name !== "Error" ? `${name}: ` : ""}${error.message ?? String(error)}`);
      process.exit(EXIT.unsuccessful);
    }
  );
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  main,
  parseArgs
});
//# sourceMappingURL=rollout.js.map
