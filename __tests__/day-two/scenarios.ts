/**
 * The registry changes people make on a live deployment, each as a before
 * and an after registry, with what the plan does and what the operator must
 * do. The tests (registry-changes.test.ts) synthesise both sides and prove
 * the table's claims; docs/day-two.md's table is generated from this list
 * (`npm run day-two`), so the documentation cannot drift from what is tested.
 */
import type { MigrationAcknowledgement } from "../../modules/options/values";
import { OTHER, SOURCE, type RawRegistry } from "../helpers/registry";

/** The key-management account of the scenarios. */
export const KEY_ACCOUNT = "444444444444";

export interface DayTwoScenario {
  /** Anchor in docs/day-two.md. */
  readonly id: string;
  /** The registry change, as the user writes it. */
  readonly change: string;
  /** Edits from the base registry to the deployment as it runs. */
  readonly before?: (raw: RawRegistry) => void;
  /** Edits from the deployment as it runs (base and `before`) to the deployment as changed. */
  readonly after: (raw: RawRegistry) => void;
  /** What the tests must find. */
  readonly expect: {
    /** Stacks (by name pattern) whose protected resources are forgotten, never destroyed, and at least one each. */
    readonly forgottenIn?: readonly RegExp[];
    /** Protected resources updated in place (address patterns), whose update the plan gate reviews. */
    readonly updated?: readonly RegExp[];
    /** Protected resources whose replacement prevent_destroy refuses (address patterns). */
    readonly refusedByTerraform?: readonly RegExp[];
    /** Resources that are not protected but are left in AWS when no longer generated (address patterns). */
    readonly retained?: readonly RegExp[];
    /** Stacks no longer synthesised. */
    readonly stacksGone?: readonly string[];
  };
  /** The acknowledgement the plan gate asks for, if any. */
  readonly acknowledge?: MigrationAcknowledgement;
  /** What the plan does, for the table. */
  readonly plan: string;
  /** What to do, for the table (Markdown). */
  readonly procedure: string;
  /** A delivery gap the change opens, and its bound; none when omitted. */
  readonly gap?: string;
}

/**
 * The deployment the scenarios start from: a replica, Athena, alarms and
 * access logs (all defaults or common choices), two source accounts.
 */
export function baseRegistry(raw: RawRegistry): void {
  raw.archive = { replicaRegion: "eu-central-1" };
  raw.accounts.push({ id: OTHER, name: "data-prod", regions: ["eu-west-1"] });
}

const forgotten =
  "protected resources leave Terraform's management and stay in AWS (`removed` blocks, `destroy = false`)";

export const SCENARIOS: readonly DayTwoScenario[] = [
  {
    id: "keys-to-key-account",
    change: "Add `keys.accountId` (move the keys to a key-management account)",
    after: (raw) => {
      raw.keys = { accountId: KEY_ACCOUNT, administrators: [`arn:aws:iam::${KEY_ACCOUNT}:role/KeyAdministrators`] };
    },
    expect: { forgottenIn: [/^log-archive$/] },
    acknowledge: "forget-protected",
    plan: `log-keys creates new keys; in log-archive the archive, replica and queue keys ${forgotten}, so every object written before stays readable`,
    procedure:
      "Add a `migrations` entry `allow: forget-protected` for `log-archive`, and the old archive key's ARN to `archive.previousKeyArns` so the SIEM reader, the analyst and replication can still decrypt older objects. Apply `log-keys`, then `log-archive`, then the sources.",
  },
  {
    id: "remove-replica",
    change: "Remove `archive.replicaRegion`",
    after: (raw) => {
      delete (raw.archive as Record<string, unknown>).replicaRegion;
    },
    expect: { forgottenIn: [/^log-archive$/] },
    acknowledge: "forget-protected",
    plan: `the replica bucket, its key, its settings, its access-log bucket and the replication configuration ${forgotten}. Replication stops; the copies stay, locked and encrypted as they were`,
    procedure:
      "Add `allow: forget-protected` for `log-archive`. The replica bucket keeps its lifecycle; empty and delete it by hand only if no retention obligation remains.",
  },
  {
    id: "shorten-retention",
    change: "Lower `archive.retentionDays` (or `noncurrentVersionRetentionDays`)",
    after: (raw) => {
      raw.archive = { ...(raw.archive as object), retentionDays: 1825 };
    },
    expect: { updated: [/aws_s3_bucket_lifecycle_configuration\.ArchiveBucket_Lifecycle/, /ReplicaBucket_Lifecycle/] },
    acknowledge: "shorten-retention",
    plan: "the lifecycle of the archive and of the replica is updated in place: objects older than the new retention expire at the next lifecycle run",
    procedure:
      "Add `allow: shorten-retention` for `log-archive` with the reason (the retention obligation that changed). Objects under Object Lock are kept until their lock ends whatever the lifecycle.",
  },
  {
    id: "remove-object-lock",
    change: "Remove `archive.objectLock`",
    before: (raw) => {
      raw.archive = { ...(raw.archive as object), objectLock: { mode: "GOVERNANCE", days: 365 } };
    },
    after: (raw) => {
      delete (raw.archive as Record<string, unknown>).objectLock;
    },
    expect: { forgottenIn: [/^log-archive$/] },
    acknowledge: "forget-protected",
    plan: `the default-retention settings of the archive and the replica ${forgotten}. New objects stay locked by the default retention left in AWS; a bucket's Object Lock itself can never be turned off`,
    procedure:
      "Add `allow: forget-protected` for `log-archive`. To stop locking new objects, remove the default retention by hand (`aws s3api put-object-lock-configuration` with no rule), knowingly; versions already locked stay locked until their date.",
  },
  {
    id: "weaken-object-lock",
    change: "Lower `archive.objectLock.days`, or COMPLIANCE to GOVERNANCE",
    before: (raw) => {
      raw.archive = { ...(raw.archive as object), objectLock: { mode: "COMPLIANCE", days: 365 } };
    },
    after: (raw) => {
      raw.archive = { ...(raw.archive as object), objectLock: { mode: "GOVERNANCE", days: 90 } };
    },
    expect: { updated: [/ArchiveBucket_ObjectLock/, /ReplicaBucket_ObjectLock/] },
    acknowledge: "weaken-object-lock",
    plan: "the default retention of the archive and the replica is updated in place: new objects get the weaker lock; versions already locked keep theirs",
    procedure: "Add `allow: weaken-object-lock` for `log-archive` with the reason.",
  },
  {
    id: "watch-instead-of-alarms",
    change: "Switch `monitoring.alarms.sources` from `perAccount` to `deliveryWatch`",
    before: (raw) => {
      raw.monitoring = { alarms: { sources: "perAccount" } };
    },
    after: (raw) => {
      raw.monitoring = { alarms: { sources: "deliveryWatch" } };
    },
    expect: { forgottenIn: [/^log-source-/] },
    acknowledge: "forget-protected",
    plan: `each source's pipeline key (it encrypted the alarm topic and the pipeline's log groups) is left in AWS as it is, no longer managed (\`removed\` block). Alarms and topics of the sources are deleted; the log-archive account's watch takes over`,
    procedure:
      "Add `allow: forget-protected` for the source stacks (or for every stack). Apply `log-archive` first, then the sources. A forgotten key costs $1 a month: schedule its deletion by hand once its log groups' events have expired.",
  },
  {
    id: "aws-owned-stream-key",
    change: "Set a source's `firehose.streamEncryption` to `AWS_OWNED_CMK`",
    before: (raw) => {
      raw.monitoring = { alarms: { sources: "deliveryWatch" } };
      raw.defaults = { firehose: { streamEncryption: "CUSTOMER_MANAGED_CMK" } };
    },
    after: (raw) => {
      raw.monitoring = { alarms: { sources: "deliveryWatch" } };
      raw.defaults = { firehose: { streamEncryption: "AWS_OWNED_CMK" } };
    },
    expect: { forgottenIn: [/^log-source-/] },
    acknowledge: "forget-protected",
    plan: `the source's pipeline key is left in AWS as it is, no longer managed (\`removed\` block); the stream switches to the AWS-owned key in place`,
    procedure: "Add `allow: forget-protected` for the source stacks.",
  },
  {
    id: "athena-off",
    change: "Set `monitoring.athena.enabled: false`",
    after: (raw) => {
      raw.monitoring = { athena: { enabled: false } };
    },
    expect: { forgottenIn: [/^log-archive$/] },
    acknowledge: "forget-protected",
    plan: `the Athena results bucket and its key ${forgotten}; tables, views, saved queries, workgroups and analyst role are deleted (they hold no data)`,
    procedure: "Add `allow: forget-protected` for `log-archive`.",
  },
  {
    id: "access-logging-off",
    change: "Set `archive.accessLogging: false`",
    after: (raw) => {
      raw.archive = { ...(raw.archive as object), accessLogging: false };
    },
    expect: { forgottenIn: [/^log-archive$/] },
    acknowledge: "forget-protected",
    plan: `the access-log buckets and the archive's and replica's logging settings ${forgotten}; S3 keeps logging into them until you turn it off by hand`,
    procedure: "Add `allow: forget-protected` for `log-archive`.",
  },
  {
    id: "alarms-off",
    change: "Set `monitoring.alarms.enabled: false`",
    after: (raw) => {
      raw.monitoring = { alarms: { enabled: false } };
    },
    expect: { forgottenIn: [/^log-archive$/] },
    acknowledge: "forget-protected",
    plan: `the monitoring key is left in AWS as it is, no longer managed (\`removed\` block); topics, alarms and the delivery watch are deleted`,
    procedure: "Add `allow: forget-protected` for `log-archive`.",
  },
  {
    id: "search-off",
    change: "Set `search.enabled: false`",
    before: (raw) => {
      raw.defaults = { delivery: "central" };
      raw.central = { kinesisStream: { enabled: true } };
      raw.search = { enabled: true, domainArn: "arn:aws:es:eu-west-1:111111111111:domain/security-logs" };
    },
    after: (raw) => {
      raw.search = { enabled: false };
    },
    expect: { retained: [/^aws_opensearch_domain_policy\.Search_DomainPolicy/] },
    plan: "the search streams, the transform and their alarms are deleted; the domain's access policy is left as it was (`removed` block), so the owner keeps its access and the domain keeps its documents",
    procedure:
      "Nothing to acknowledge. Edit the domain's access policy by hand afterwards if the search principals should lose access.",
  },
  {
    id: "change-prefix",
    change: "Change `naming.prefix` or `logArchive.region`",
    after: (raw) => {
      raw.naming = { prefix: "acme-logs" };
    },
    expect: { refusedByTerraform: [/aws_s3_bucket\.ArchiveBucket/, /aws_kms_alias\.ArchiveKey/] },
    acknowledge: "repoint-delivery",
    plan: "every named resource would be replaced: the archive's bucket and keys refuse it (`prevent_destroy` fails the plan of log-archive); source stacks still plan, repointing their streams at a bucket that does not exist",
    procedure:
      "Do not. A new prefix or Region is a new archive: deploy it as a second registry, move the sources to it with `allow: repoint-delivery`, and keep the old archive until its retention ends.",
    gap: "If source stacks were applied before the new archive exists, their deliveries fail into their error log group and are lost after the stream's 24 hours of retries.",
  },
  {
    id: "exclude-log-groups",
    change: "Edit `excludeLogGroups` (mode `all`)",
    after: (raw) => {
      raw.defaults = { subscription: { excludeLogGroups: ["/aws/lambda/noisy"] } };
    },
    expect: {},
    acknowledge: "replace-subscription-policy",
    plan: "each affected account and Region's account-level subscription policy is replaced (its selection criteria cannot change in place): deleted, then put again",
    procedure:
      "Add `allow: replace-subscription-policy` for the affected source stacks. Apply outside the busiest hour.",
    gap: "Events ingested between the delete and the put (seconds, one API round trip each) are not forwarded; they stay in their log groups, from which `aws logs create-export-task` can copy them.",
  },
  {
    id: "to-central",
    change: "Switch an account from `delivery: perAccount` to `central`",
    after: (raw) => {
      raw.defaults = { delivery: "central" };
    },
    expect: {},
    acknowledge: "repoint-delivery",
    plan: "log-archive creates the central destination of the Region; the source's subscription policy is repointed in place at it and the source's own stream and role are deleted",
    procedure:
      "Add `allow: repoint-delivery` for the source stacks. Apply `log-archive` first (Atlantis orders it). Then, for each source stack, first apply only its subscription (`terraform apply -target` on the account policy or filters, the addresses its plan shows; in Atlantis `atlantis plan -p <stack> -- -target=<address>`), wait the stream's buffering interval and a minute, then apply the whole stack.",
    gap: "Terraform deletes the old stream before it updates the subscription that points at it (and the drain wait does not help here: it runs before the stream's deletion, while the subscription still feeds the stream), so a single apply loses what the stream buffers (at most its buffering interval) and what CloudWatch Logs sends it until the subscription is repointed. The two applies of the procedure lose nothing.",
  },
  {
    id: "retire-account",
    change: "Retire an account with a pipeline key (`retired: true`)",
    before: (raw) => {
      raw.monitoring = { alarms: { sources: "perAccount" } };
    },
    after: (raw) => {
      raw.monitoring = { alarms: { sources: "perAccount" } };
      raw.accounts = raw.accounts.map((a) => (a.id === OTHER ? { ...a, retired: true } : a));
    },
    expect: { forgottenIn: [new RegExp(`^log-source-${OTHER}-`)] },
    acknowledge: "forget-protected",
    plan: "its stacks keep only the drain wait: the subscription is deleted, the stream flushes (its buffering interval and a minute), then the stream, roles, heartbeat and alarms are deleted; its pipeline key is left in AWS, no longer managed; `log-archive`'s delivery watch stops expecting it, Athena keeps projecting it",
    procedure:
      "Add `allow: forget-protected` for the account's source stacks. Apply `log-archive` and the account's stacks. Delete the file later (README, section Adding and removing an account): Athena keeps projecting the account while it has a folder in the archive.",
  },
  {
    id: "siem-queue-per-prefix",
    change: "Set `siem.queues: perPrefix` (one queue per announced prefix)",
    before: (raw) => {
      raw.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
    },
    after: (raw) => {
      raw.siem = { queues: "perPrefix" };
    },
    expect: {},
    plan: "each direct source announced to the SIEM gets its own queue, dead-letter queue, queue policy and two alarms; `cloudwatch-logs/` keeps its queue; the bucket's notification configuration and the reader role's policy are updated in place, and S3 sends each queue a `s3:TestEvent`",
    procedure:
      "Apply `log-archive`, point each SIEM input of a direct source at its new queue (`siem_queue_url_<source>`), then drain the old queue of that source's notifications (they stop arriving there). Clear the test events ([siem.md](siem.md#queues)).",
  },
  {
    id: "siem-readers-and-sentinel",
    change: "Add `siem.readers` or `siem.sentinel`",
    after: (raw) => {
      raw.siem = {
        readers: [`arn:aws:iam::${SOURCE}:role/splunk-heavy-forwarder`],
        sentinel: { workspaceId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" },
      };
    },
    expect: {
      updated: [/ArchiveBucket_Policy/, /aws_kms_key\.ArchiveKey_/, /aws_kms_key\.SiemNotifications_QueueKey_/],
    },
    plan: "the bucket policy and the archive and queue key policies are updated in place to admit the readers (and the Sentinel role); the Sentinel option adds the OIDC provider and the role `OIDC_<prefix>-sentinel`",
    procedure:
      "Apply `log-archive` (and `log-keys` first when a key account holds the keys). Give named readers the identity policy of [siem.md](siem.md#who-may-read). With `createOidcProvider: false`, the provider must exist already.",
  },
  {
    id: "remove-account",
    change: "Remove an account from the registry",
    after: (raw) => {
      raw.accounts = raw.accounts.filter((a) => a.id !== OTHER);
    },
    expect: { stacksGone: [`log-source-${OTHER}-eu-west-1`] },
    plan: "its stacks are no longer synthesised, so nothing plans them: nothing is destroyed, and nothing is cleaned up either",
    procedure:
      "Retire the account first (README, section Adding and removing an account), so that a plan destroys its pipeline, then remove it.",
  },
];

/** The scenario accounts, for tests that look up their stacks. */
export const SCENARIO_ACCOUNTS = [SOURCE, OTHER] as const;
