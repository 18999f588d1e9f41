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
  type ArchiveTamperSettings,
  type CentralTopologyOptions,
  type ResolvedLogArchiveProps,
  type SearchOptions,
} from "./archive/log-archive";
// The defaults of every optional setting, the registry's too.
export { LOG_ARCHIVE_DEFAULTS } from "./archive/log-archive-defaults";
export { LOG_SOURCE_DEFAULTS } from "./source/log-source-defaults";
// The archive's keys in a key-management account (stack log-keys), and their
// ARNs read by alias in the stacks that use them.
export { LogKeys, type LogKeysProps, type KeyTamperSettings } from "./keys/log-keys";
export { ExternalKeysLookup, type ExternalKeysLookupProps } from "./constructs/external-keys-lookup";
// The organization's CloudTrail trail, delivering to the archive (stack log-organization-trail).
export {
  OrganizationTrail,
  type OrganizationTrailProps,
  type OrganizationTrailTamperSettings,
} from "./sources/trail/organization-trail";
// Organization guardrails: SCPs and RCPs from the management account (stack log-guardrails).
export {
  OrganizationGuardrails,
  type OrganizationGuardrailsProps,
  type SourceGuardrails,
  type ArchiveGuardrails,
  type RoleCreatorNames,
} from "./guardrails/organization-guardrails";
export {
  LogSource,
  DEFAULT_IAM_PROPAGATION_SECONDS,
  type LogSourceProps,
  type SourceAlarmSettings,
  type HeartbeatSettings,
  type SourceTamperSettings,
  type ArchiveReference,
} from "./source/log-source";

// Building blocks.
export {
  SecureBucket,
  type SecureBucketProps,
  type BucketEncryption,
  type OptionalBucketSetting,
} from "./constructs/secure-bucket";
export { ProtectedKey, type ProtectedKeyProps } from "./constructs/protected-key";
export { type ProtectedChild } from "./constructs/retirement";
export { IamPropagationWait, TerraformData, type IamPropagationWaitProps } from "./constructs/iam-propagation-wait";
export { AccessLogBucket, type AccessLogBucketProps } from "./archive/access-log-bucket";
export { ArchiveAthena, type ArchiveAthenaProps, type AthenaSettings } from "./archive/athena";
export { CentralDelivery, type CentralDeliveryProps, type CentralStreamSettings } from "./archive/central-delivery";
export { type ArchiveLifecycleSettings, type AccessLogLifecycleSettings } from "./archive/lifecycle";
export { Replication, REPLICATION_RULE_ID, type ReplicationProps, type ReplicaSettings } from "./archive/replication";
export {
  SiemNotifications,
  type SiemNotificationsProps,
  type SiemQueueSettings,
  type SiemQueue,
} from "./archive/siem-notifications";
export { SiemReaderRole, type SiemReaderRoleProps } from "./archive/siem-reader-role";
export { SiemOperatorRole, type SiemOperatorRoleProps } from "./archive/siem-operator-role";
export { SentinelRole, type SentinelRoleProps } from "./archive/sentinel-role";
export { type DirectSourceTables } from "./archive/log-tables";
export { type ArchiveKeyInputs } from "./archive/key-statements";
export { DeliveryStream, type DeliveryStreamProps, type FirehoseStreamSettings } from "./source/delivery-stream";
export { EventLog, EventLogPolicy, type EventLogProps } from "./constructs/event-log";
export { SubscriptionRole, type SubscriptionRoleProps } from "./source/subscription-role";
export { Subscriptions, type SubscriptionsProps, type SubscriptionSelection } from "./source/subscriptions";
export {
  AlarmTopic,
  ALARM_TOPIC_PROTOCOLS,
  type AlarmTopicProps,
  type AlarmTopicProtocol,
  type Subscriber,
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
export { TamperBus, type TamperBusProps } from "./monitoring/tamper-bus";
export { TamperWatch, type TamperWatchProps, type TamperWatchRegion } from "./monitoring/tamper-watch";
// Named apart from the TamperWatch construct: one watched set of calls of a Region.
export {
  type TamperWatch as TamperWatchedCalls,
  type EventPattern,
  TAMPER_SERVICES,
  type TamperService,
  type TamperServiceName,
} from "./policy/tamper-patterns";
export {
  type TamperBusNames,
  type TamperWatchNames,
  type TamperWatchKind,
  TAMPER_RULE_GROUPS,
  type TamperRuleGroup,
} from "./naming/tamper-names";
export { SearchDelivery, type SearchDeliveryProps } from "./search/search-delivery";
export { type IndexTemplate, type IndexMappings, type FieldMapping } from "./search/index-template";

// The contexts the building blocks take (account, Region, organization and the
// names their policies need), and the typed policy documents they build.
export { type ArchiveContext } from "./policy/archive-policies";
export { type AthenaContext } from "./policy/athena-policies";
export { type CentralContext } from "./policy/central-policies";
export { type ReplicationContext } from "./policy/replication-policies";
export { type SourceContext, type EventLogTarget } from "./policy/source-policies";
export { type AlarmScope } from "./policy/monitoring-policies";
export { type PolicyDocument, type Statement, type Principal, type Conditions } from "./policy/document";

// Pure helpers: names, ARNs, the archive's key layout, option values.
export {
  arn,
  DEFAULT_PARTITION,
  type ArnParts,
  type ArnCommon,
  type RegionalArnParts,
  type GlobalArnParts,
  type Partition,
} from "./naming/arn";
export { PARTITIONS, partitionOf, servicePrincipal, dnsSuffix } from "./naming/partition";
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
  type DeliveryWatchNames,
  type SearchNames,
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
  accountDataPrefix,
  accountErrorPrefix,
  firehoseDataPrefix,
  firehoseErrorPrefix,
} from "./naming/key-layout";
export { DIRECT_SOURCE_ROOTS } from "./sources/direct-sources";
export { excludedLogGroups, selectionCriteria, listedLogGroupsIn, type ListedLogGroup } from "./naming/log-groups";
// The value types the props name (and their value lists), by name: the rest of
// options/values (registry-only settings, patterns) is internal.
export {
  SUBSCRIPTION_MODES,
  COMPRESSION_FORMATS,
  STREAM_ENCRYPTION,
  DELIVERY_TOPOLOGIES,
  TRANSITION_STORAGE_CLASSES,
  MINIMUM_OBJECT_SIZE_RULES,
  OBJECT_LOCK_MODES,
  SUBSCRIBER_PROTOCOLS,
  INDEX_ROTATIONS,
  KINESIS_STREAM_MODES,
  type SubscriptionMode,
  type CompressionFormat,
  type StreamEncryption,
  type DeliveryTopology,
  type TransitionStorageClass,
  type MinimumObjectSizeRule,
  type ObjectLockMode,
  type SubscriberProtocol,
  type IndexRotation,
  type KinesisStreamMode,
} from "./options/values";
