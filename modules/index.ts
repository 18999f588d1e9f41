/**
 * The public entry point of the library (`require("cwl-log-archive")`): the
 * two composite constructs, the constructs they are made of, their props, and
 * the pure helpers a caller needs to name, find and parse what they build.
 * Everything else under modules/ is internal and may change without notice.
 */

// Composite constructs: the whole log-archive account, one source account and Region.
export {
  LogArchive,
  type LogArchiveProps,
  type ArchiveBucketSettings,
  type SiemSettings,
  type ArchiveAlarmSettings,
  type ArchiveAthenaSettings,
  type DirectSourceSettings,
  type CentralTopologySettings,
  type DeliveryWatchSettings,
  type ExternalKeys,
  type SearchSettings,
  type CentralTopologyOptions,
  type SearchOptions,
} from "./archive/log-archive";
// The defaults of every optional setting, the registry's too.
export { LOG_ARCHIVE_DEFAULTS } from "./archive/log-archive-defaults";
export { LOG_SOURCE_DEFAULTS } from "./source/log-source-defaults";
// The archive's keys in a key-management account (stack log-keys).
export { LogKeys, type LogKeysProps } from "./keys/log-keys";
// Organization guardrails: SCPs and RCPs from the management account (stack log-guardrails).
export {
  OrganizationGuardrails,
  type OrganizationGuardrailsProps,
  type SourceGuardrails,
  type ArchiveGuardrails,
} from "./guardrails/organization-guardrails";
export {
  LogSource,
  DEFAULT_IAM_PROPAGATION_SECONDS,
  type LogSourceProps,
  type SourceAlarmSettings,
  type HeartbeatSettings,
  type ArchiveReference,
} from "./source/log-source";

// Building blocks.
export { SecureBucket, type SecureBucketProps, type BucketEncryption } from "./constructs/secure-bucket";
export { ProtectedKey, type ProtectedKeyProps } from "./constructs/protected-key";
export { IamPropagationWait, type IamPropagationWaitProps } from "./constructs/iam-propagation-wait";
export { AccessLogBucket, type AccessLogBucketProps } from "./archive/access-log-bucket";
export { ArchiveAthena, type ArchiveAthenaProps, type AthenaSettings } from "./archive/athena";
export { CentralDelivery, type CentralDeliveryProps, type CentralStreamSettings } from "./archive/central-delivery";
export { type ArchiveLifecycleSettings, type AccessLogLifecycleSettings } from "./archive/lifecycle";
export { Replication, REPLICATION_RULE_ID, type ReplicationProps, type ReplicaSettings } from "./archive/replication";
export { SiemNotifications, type SiemNotificationsProps, type SiemQueueSettings } from "./archive/siem-notifications";
export { SiemReaderRole, type SiemReaderRoleProps } from "./archive/siem-reader-role";
export { SiemOperatorRole, type SiemOperatorRoleProps } from "./archive/siem-operator-role";
export { DeliveryStream, type DeliveryStreamProps, type FirehoseStreamSettings } from "./source/delivery-stream";
export { EventLog, EventLogPolicy, type EventLogProps } from "./source/event-log";
export { SubscriptionRole, type SubscriptionRoleProps } from "./source/subscription-role";
export { Subscriptions, type SubscriptionsProps, type SubscriptionSelection } from "./source/subscriptions";
export {
  AlarmTopic,
  ALARM_TOPIC_PROTOCOLS,
  type AlarmTopicProps,
  type AlarmTopicProtocol,
} from "./monitoring/alarm-topic";
export { ArchiveAlarms, type ArchiveAlarmsProps } from "./monitoring/archive-alarms";
export { DeliveryAlarms, type DeliveryAlarmsProps } from "./monitoring/delivery-alarms";
export {
  DeliveryWatch,
  DELIVERY_WATCH_DEFAULTS,
  type DeliveryWatchProps,
  type DeliveryWatchSource,
  type ExpectedSource,
  type SourceObjectFormat,
} from "./monitoring/delivery-watch";
export { SearchDelivery, type SearchDeliveryProps } from "./search/search-delivery";

// Pure helpers: names, ARNs, the archive's key layout, option values.
export { arn, DEFAULT_PARTITION, type ArnParts } from "./naming/arn";
export {
  DEFAULT_NAME_PREFIX,
  archiveNames,
  sourceNames,
  centralNames,
  trailNames,
  heartbeatLogGroup,
  guardDutyLogGroup,
  type ArchiveNames,
  type SourceNames,
  type NamingInputs,
} from "./naming/names";
export {
  pipelineLogGroups,
  archiveAccountLogGroups,
  type PipelineLogGroup,
  type ArchiveAccountFeatures,
} from "./naming/pipeline-log-groups";
export {
  DATA_ROOT,
  ERROR_ROOT,
  CONTROL_ROOT,
  DIRECT_SOURCE_ROOTS,
  accountDataPrefix,
  accountErrorPrefix,
  firehoseDataPrefix,
  firehoseErrorPrefix,
} from "./naming/key-layout";
export { excludedLogGroups, selectionCriteria, listedLogGroupsIn, type ListedLogGroup } from "./naming/log-groups";
export * from "./options/values";
