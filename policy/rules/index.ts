/**
 * Every policy rule, in id order. A rule's id is stable: a retired rule's id is never
 * given to another rule, so suppressions keep meaning what they said.
 */
import { PolicyRule } from "../rule";
import { SA001_IMDSV2 } from "./sa-001-imdsv2";
import { SA002_ENCRYPTED_VOLUMES } from "./sa-002-encrypted-volumes";
import { SA003_NO_SSH } from "./sa-003-no-ssh";
import { SA004_NO_WORLD_INGRESS } from "./sa-004-no-world-ingress";
import { SA005_NO_WORLD_EGRESS } from "./sa-005-no-world-egress";
import { SA006_TLS_POLICY } from "./sa-006-tls-policy";
import { SA007_HTTPS_IN_PRODUCTION } from "./sa-007-https-in-production";
import { SA008_DELETION_PROTECTION } from "./sa-008-deletion-protection";
import { SA009_ACCESS_LOGS } from "./sa-009-access-logs";
import { SA010_FLOW_LOGS } from "./sa-010-flow-logs";
import { SA011_REMOTE_STATE } from "./sa-011-remote-state";
import { SA012_PROMOTED_IMAGE } from "./sa-012-promoted-image";
import { SA013_NO_WILDCARD_ACTIONS } from "./sa-013-no-wildcard-actions";
import { SA014_DEFAULT_SECURITY_GROUP } from "./sa-014-default-security-group";
import { SA015_WAF_IN_PRODUCTION } from "./sa-015-waf-in-production";
import { SA016_PRIVATE_ENCRYPTED_BUCKETS } from "./sa-016-private-encrypted-buckets";
import { SA017_SPOT_IN_PRODUCTION } from "./sa-017-spot-in-production";
import { SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR } from "./sa-018-production-schedules-keep-floor";
import { SA019_TERMINATING_HOOK_OUTLASTS_DRAIN } from "./sa-019-terminating-hook-outlasts-drain";

export const RULES: readonly PolicyRule[] = [
  SA001_IMDSV2,
  SA002_ENCRYPTED_VOLUMES,
  SA003_NO_SSH,
  SA004_NO_WORLD_INGRESS,
  SA005_NO_WORLD_EGRESS,
  SA006_TLS_POLICY,
  SA007_HTTPS_IN_PRODUCTION,
  SA008_DELETION_PROTECTION,
  SA009_ACCESS_LOGS,
  SA010_FLOW_LOGS,
  SA011_REMOTE_STATE,
  SA012_PROMOTED_IMAGE,
  SA013_NO_WILDCARD_ACTIONS,
  SA014_DEFAULT_SECURITY_GROUP,
  SA015_WAF_IN_PRODUCTION,
  SA016_PRIVATE_ENCRYPTED_BUCKETS,
  SA017_SPOT_IN_PRODUCTION,
  SA018_PRODUCTION_SCHEDULES_KEEP_FLOOR,
  SA019_TERMINATING_HOOK_OUTLASTS_DRAIN,
];

export const RULE_IDS: readonly string[] = RULES.map((rule) => rule.id);
