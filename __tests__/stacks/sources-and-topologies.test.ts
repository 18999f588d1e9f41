import { CENTRAL_PARTITION_QUERY } from "../../modules/archive/central-delivery";
import { atlantisConfig } from "../../modules/atlantis/atlantis-config";
import { ARCHIVE, errorsFor, ORG, registryWith, SOURCE } from "../helpers/registry";
import { policyOf, resource, resourcesOf, statement, synthRegistry, type TfJson } from "../helpers/synth";

const BUCKET_ARN = `arn:aws:s3:::cwl-archive-${ARCHIVE}-eu-west-1`;
const MANAGEMENT = "999999999999";
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-1:${MANAGEMENT}:trail/cwl-archive-organization`;

const allSources = (r: any) => {
  r.sources = {
    cloudTrail: { enabled: true, managementAccountId: MANAGEMENT },
    config: { enabled: true },
    vpcFlowLogs: { enabled: true },
    guardDuty: { accounts: [SOURCE] },
    notifySiem: ["cloudtrail"],
  };
  r.accounts[0].vpcFlowLogs = [{ region: "us-east-1", vpcId: "vpc-0123456789abcdef0" }];
  r.deployment = { managementAccount: { credentials: "assumeRole", roleName: "log-archive-deployer" } };
};

describe("direct S3 sources", () => {
  const { stacks } = synthRegistry(registryWith(allSources));
  const archive = stacks["log-archive"]!;
  const bucketPolicy = policyOf(resource(archive, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy);
  const keyPolicy = policyOf(resource(archive, "aws_kms_key", "ArchiveKey/Key").policy);

  test("CloudTrail: exactly the organization trail, under cloudtrail/, with the ACL it sends", () => {
    expect(statement(bucketPolicy, "AllowOrganizationTrailWrite")).toEqual({
      Sid: "AllowOrganizationTrailWrite",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: [`${BUCKET_ARN}/cloudtrail/AWSLogs/${MANAGEMENT}/*`, `${BUCKET_ARN}/cloudtrail/AWSLogs/${ORG}/*`],
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL_ARN } },
    });
    expect(statement(bucketPolicy, "AllowOrganizationTrailAclCheck").Condition).toEqual({
      StringEquals: { "aws:SourceArn": TRAIL_ARN },
    });
  });

  // CloudTrail's KMS guide: GenerateDataKey (under the trail's encryption
  // context) and DescribeKey, "or you cannot create or update a trail" on a
  // bucket with an S3 Bucket Key; kms:Decrypt for whoever creates it.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
  test("CloudTrail: the archive key admits GenerateDataKey and DescribeKey for the trail, and Decrypt under its context", () => {
    expect(statement(keyPolicy, "AllowOrganizationTrailToEncrypt")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Condition: {
        StringEquals: { "aws:SourceArn": TRAIL_ARN, "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN },
      },
    });
    expect(statement(keyPolicy, "AllowOrganizationTrailToDescribeKey")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN } },
    });
    expect(statement(keyPolicy, "AllowManagementAccountToValidateTrailKey")).toMatchObject({
      Principal: { AWS: `arn:aws:iam::${MANAGEMENT}:root` },
      Action: "kms:Decrypt",
      Condition: { StringEquals: { "kms:EncryptionContext:aws:cloudtrail:arn": TRAIL_ARN } },
    });
  });

  // "Digest files are encrypted with Amazon S3-managed encryption keys (SSE-S3)"
  // whatever the trail's key: the SSE-KMS-only deny must leave them out.
  // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
  test("CloudTrail: digest files may be SSE-S3, every other object SSE-KMS only, with the key or its alias", () => {
    const digests = [
      `${BUCKET_ARN}/cloudtrail/AWSLogs/${MANAGEMENT}/CloudTrail-Digest/*`,
      `${BUCKET_ARN}/cloudtrail/AWSLogs/${ORG}/*/CloudTrail-Digest/*`,
    ];
    const kmsOnly = statement(bucketPolicy, "DenyObjectsNotEncryptedWithSseKms");
    expect(kmsOnly.NotResource).toEqual(digests);
    expect(kmsOnly.Resource).toBeUndefined();
    expect(statement(bucketPolicy, "DenyObjectsNotEncryptedWithSseS3OrSseKms")).toMatchObject({
      Effect: "Deny",
      Resource: digests,
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": ["AES256", "aws:kms"] } },
    });
    expect(
      statement(bucketPolicy, "DenyObjectsEncryptedWithAnotherKey").Condition.StringNotEquals[
        "s3:x-amz-server-side-encryption-aws-kms-key-id"
      ],
    ).toEqual([
      expect.stringMatching(/^\$\{aws_kms_key\.ArchiveKey/),
      `arn:aws:kms:eu-west-1:${ARCHIVE}:alias/cwl-archive-archive`,
    ]);
  });

  test("AWS Config: recorder roles of the organization, each under its own account's prefix", () => {
    expect(statement(bucketPolicy, "AllowConfigRecordersToWriteOwnPrefix")).toMatchObject({
      Action: ["s3:PutObject", "s3:PutObjectAcl"],
      Resource: `${BUCKET_ARN}/config/AWSLogs/\${aws:PrincipalAccount}/Config/*`,
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": ORG },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/aws-controltower-ConfigRecorderRole" },
      },
    });
  });

  test("VPC Flow Logs: the log delivery service on behalf of the organization, each account in its own folder", () => {
    expect(statement(bucketPolicy, "AllowFlowLogDeliveryWrite")).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Resource: `${BUCKET_ARN}/vpc-flow-logs/AWSLogs/\${aws:SourceAccount}/*`,
      Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceOrgID": ORG } },
    });
  });

  test("VPC Flow Logs: the key only through S3 in the archive's Region, for the archive bucket", () => {
    expect(statement(keyPolicy, "AllowFlowLogDeliveryToEncrypt")).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Condition: {
        StringEquals: {
          "aws:SourceOrgID": ORG,
          "kms:ViaService": "s3.eu-west-1.amazonaws.com",
          "kms:EncryptionContext:aws:s3:arn": BUCKET_ARN,
        },
      },
    });
  });

  test("no direct source writes under the CloudWatch Logs data prefix", () => {
    const direct = bucketPolicy.Statement.filter((s) => /Trail|Config|FlowLog/.test(s.Sid));
    for (const arn of direct.flatMap((s) => [s.Resource].flat())) expect(arn).not.toContain("/cloudwatch-logs/");
  });

  test("off by default: the policies have none of these statements", () => {
    const plain = policyOf(
      resource(synthRegistry(registryWith()).stacks["log-archive"]!, "aws_s3_bucket_policy", "ArchiveBucket/Policy")
        .policy,
    );
    expect(plain.Statement.map((s) => s.Sid).filter((sid) => /Trail|Config|FlowLog/.test(sid))).toEqual([]);
  });

  test("the SIEM queue also hears of the sources the registry adds, and the reader may read them", () => {
    const notification = resource(archive, "aws_s3_bucket_notification", "SiemNotifications/BucketNotification");
    expect(notification.queue.map((q: any) => q.filter_prefix)).toEqual(["cloudwatch-logs/", "cloudtrail/"]);
    const reader = policyOf(resource(archive, "aws_iam_role_policy", "SiemReader/Policy").policy);
    expect(statement(reader, "ReadArchivedLogs").Resource).toEqual([
      `${BUCKET_ARN}/cloudwatch-logs/*`,
      `${BUCKET_ARN}/cloudtrail/*`,
    ]);
  });

  test("the organization trail lives in its own stack in the management account", () => {
    const trail = stacks["log-organization-trail"]!;
    expect(trail.provider.aws[0]).toMatchObject({ region: "eu-west-1", allowed_account_ids: [MANAGEMENT] });
    expect(resource(trail, "aws_cloudtrail", "Trail")).toMatchObject({
      name: "cwl-archive-organization",
      // The key's ARN, read by its alias (an alias would show a change on every plan).
      kms_key_id: "${data.aws_kms_key.ArchiveKey.arn}",
      s3_bucket_name: `cwl-archive-${ARCHIVE}-eu-west-1`,
      s3_key_prefix: "cloudtrail",
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
    });
    expect(trail.data!.aws_kms_key.ArchiveKey).toMatchObject({
      key_id: `arn:aws:kms:eu-west-1:${ARCHIVE}:alias/cwl-archive-archive`,
    });
    const noTrail = synthRegistry(
      registryWith(
        (r) => (r.sources = { cloudTrail: { enabled: true, managementAccountId: MANAGEMENT, createTrail: false } }),
      ),
    );
    expect(Object.keys(noTrail.stacks)).not.toContain("log-organization-trail");
  });

  // Organizations creates OrganizationAccountAccessRole only in member accounts
  // it creates, never in the management account.
  // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_create-cross-account-role.html
  test("the trail stack never assumes the member-account role in the management account", () => {
    const provider = stacks["log-organization-trail"]!.provider.aws[0];
    expect(provider.assume_role).toEqual([
      { role_arn: `arn:aws:iam::${MANAGEMENT}:role/log-archive-deployer`, session_name: "cwl-log-archive" },
    ]);
    const ambient = synthRegistry(
      registryWith((r) => {
        allSources(r);
        r.deployment = { managementAccount: { credentials: "ambient" } };
      }),
    ).stacks["log-organization-trail"]!;
    expect(ambient.provider.aws[0].assume_role).toBeUndefined();
    expect(ambient.provider.aws[0].allowed_account_ids).toEqual([MANAGEMENT]);
    // Member accounts keep the registry's role.
    expect(stacks["log-archive"]!.provider.aws[0].assume_role[0].role_arn).toBe(
      `arn:aws:iam::${ARCHIVE}:role/OrganizationAccountAccessRole`,
    );
  });

  test("Atlantis plans the trail after the archive", () => {
    const registry = registryWith(allSources);
    const config = atlantisConfig({ registry, registryFile: "accounts/registry.yaml", accountFiles: new Map() });
    expect(config.projects.find((p) => p.name === "log-organization-trail")).toMatchObject({
      execution_order_group: 1,
      depends_on: ["log-archive"],
    });
  });

  test("VPC flow logs are created in the stack of their Region only, straight to vpc-flow-logs/", () => {
    const flowLogs = resourcesOf(stacks[`log-source-${SOURCE}-us-east-1`]!, "aws_flow_log").map(([, f]) => f);
    expect(flowLogs).toEqual([
      expect.objectContaining({
        vpc_id: "vpc-0123456789abcdef0",
        log_destination_type: "s3",
        log_destination: `${BUCKET_ARN}/vpc-flow-logs/`,
        traffic_type: "ALL",
      }),
    ]);
    expect(resourcesOf(stacks[`log-source-${SOURCE}-eu-west-1`]!, "aws_flow_log")).toEqual([]);
  });

  test("GuardDuty findings go to a log group the pipeline subscribes, through the shared event log policy", () => {
    const source = stacks[`log-source-${SOURCE}-eu-west-1`]!;
    expect(JSON.parse(resource(source, "aws_cloudwatch_event_rule", "GuardDuty/Rule").event_pattern)).toEqual({
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
    });
    expect(resource(source, "aws_cloudwatch_log_group", "GuardDuty/LogGroup").name).toBe("/cwl-archive/guardduty");
    const policy = policyOf(
      resource(source, "aws_cloudwatch_log_resource_policy", "EventLogPolicy/Policy").policy_document,
    );
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "HeartbeatRuleWritesHeartbeats",
      "GuardDutyRuleWritesFindings",
    ]);
    const listed = synthRegistry(
      registryWith((r) => {
        allSources(r);
        r.accounts[0].subscription = { mode: "listed", logGroups: [{ name: "/ecs/api" }] };
      }),
    ).stacks[`log-source-${SOURCE}-eu-west-1`]!;
    const groups = resourcesOf(listed, "aws_cloudwatch_log_subscription_filter")
      .map(([, f]) => f.log_group_name)
      .sort();
    expect(groups).toEqual(["/cwl-archive/guardduty", "/cwl-archive/heartbeat", "/ecs/api"]);
  });
});

// Log agents that write to S3 themselves: their roles, in organization
// accounts, each only under agents/<its account>/, the key only through S3.
describe("log agents (sources.agents)", () => {
  const agents = (r: any, roleNamePattern?: string) => {
    r.sources = { agents: { enabled: true, ...(roleNamePattern ? { roleNamePattern } : {}) }, notifySiem: ["agents"] };
  };
  const archive = synthRegistry(registryWith((r) => agents(r))).stacks["log-archive"]!;
  const bucketPolicy = policyOf(resource(archive, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy);
  const keyPolicy = policyOf(resource(archive, "aws_kms_key", "ArchiveKey/Key").policy);

  test("the agents' roles write only under their own account's agents/ folder", () => {
    expect(statement(bucketPolicy, "AllowLogAgentsToWriteOwnPrefix")).toEqual({
      Sid: "AllowLogAgentsToWriteOwnPrefix",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: `${BUCKET_ARN}/agents/\${aws:PrincipalAccount}/*`,
      Condition: {
        StringEquals: { "aws:PrincipalOrgID": ORG },
        ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/cwl-archive-log-agent-*" },
      },
    });
  });

  test("the archive key only through S3 for the archive bucket", () => {
    expect(statement(keyPolicy, "AllowLogAgentsToEncryptThroughS3").Condition).toEqual({
      StringEquals: {
        "aws:PrincipalOrgID": ORG,
        "kms:ViaService": "s3.eu-west-1.amazonaws.com",
        "kms:EncryptionContext:aws:s3:arn": BUCKET_ARN,
      },
      ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/cwl-archive-log-agent-*" },
    });
  });

  test("a registry pattern replaces the default, and the SIEM hears of agent objects", () => {
    const named = synthRegistry(registryWith((r) => agents(r, "syslog-forwarder"))).stacks["log-archive"]!;
    const policy = policyOf(resource(named, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy);
    expect(statement(policy, "AllowLogAgentsToWriteOwnPrefix").Condition.ArnLike).toEqual({
      "aws:PrincipalArn": "arn:aws:iam::*:role/syslog-forwarder",
    });
    const notification = resource(named, "aws_s3_bucket_notification", "SiemNotifications/BucketNotification");
    expect(notification.queue.map((q: any) => q.filter_prefix)).toContain("agents/");
  });

  test("off by default: no agent statement", () => {
    const plain = synthRegistry(registryWith()).stacks["log-archive"]!;
    const policy = policyOf(resource(plain, "aws_s3_bucket_policy", "ArchiveBucket/Policy").policy);
    expect(policy.Statement.map((s) => s.Sid)).not.toContain("AllowLogAgentsToWriteOwnPrefix");
  });

  test("fails on a role name pattern IAM cannot hold", () => {
    expect(errorsFor((r) => (r.sources = { agents: { enabled: true, roleNamePattern: "log agent" } }))).toContain(
      'test.yaml: sources.agents.roleNamePattern: expected an IAM role name, * matching any characters: 1-64 characters of letters, digits and +=,.@_-*, got "log agent"',
    );
  });
});

describe("registry checks of the sources", () => {
  test.each<[string, (r: any) => void, string]>([
    [
      "AWS Config with Object Lock",
      (r) => {
        r.sources = { config: { enabled: true } };
        r.archive = { objectLock: { mode: "GOVERNANCE", days: 30 } };
      },
      "test.yaml: sources.config.enabled: cannot be combined with archive.objectLock: AWS Config does not deliver into a bucket with Object Lock (its delivery channel is rejected)",
    ],
    [
      "CloudTrail without the management account",
      (r) => (r.sources = { cloudTrail: { enabled: true } }),
      "test.yaml: sources.cloudTrail.managementAccountId: is required when sources.cloudTrail.enabled is true: the organization trail belongs to the management account",
    ],
    [
      "the trail stack with assumed roles but no management account credentials",
      (r) => (r.sources = { cloudTrail: { enabled: true, managementAccountId: MANAGEMENT } }),
      "test.yaml: deployment.managementAccount: is required when the organization trail stack is created with deployment.credentials assumeRole: the management account has no OrganizationAccountAccessRole (Organizations creates it only in accounts it creates); name a role you created there, or use ambient credentials",
    ],
    [
      "management account role without a name",
      (r) => (r.deployment = { managementAccount: { credentials: "assumeRole" } }),
      "test.yaml: deployment.managementAccount.roleName: is required when deployment.managementAccount.credentials is assumeRole",
    ],
    [
      "a role name with ambient management credentials",
      (r) => (r.deployment = { managementAccount: { credentials: "ambient", roleName: "x" } }),
      'test.yaml: deployment.managementAccount.roleName: is only used with credentials assumeRole; remove it or set credentials: assumeRole, got "x"',
    ],
    [
      "more central accounts in a Region than the stream's active partitions allow",
      (r) => {
        r.defaults = { delivery: "central" };
        r.accounts = Array.from({ length: 251 }, (_, i) => ({
          id: String(500000000000 + i),
          name: `account-${i}`,
          regions: ["eu-west-1"],
        }));
      },
      'test.yaml: central.activePartitionQuota: is too low for eu-west-1: 251 accounts deliver centrally there, up to 502 active partitions of the central stream, and records beyond the quota go to the error prefix. Request a Firehose quota increase for the stream and raise this value, or move accounts to delivery "perAccount"',
    ],
    [
      "GuardDuty of an unknown account",
      (r) => (r.sources = { guardDuty: { accounts: ["444444444444"] } }),
      'test.yaml: sources.guardDuty.accounts[0]: is not an account of the registry, got "444444444444"',
    ],
    [
      "announcing a source that is off",
      (r) => (r.sources = { notifySiem: ["config"] }),
      'test.yaml: sources.notifySiem[0]: names a direct source the archive does not admit: enable that source first, got "config"',
    ],
    [
      "flow logs while they are not admitted",
      (r) => (r.accounts[0].vpcFlowLogs = [{ region: "eu-west-1", vpcId: "vpc-0123456789abcdef0" }]),
      'test.yaml: accounts[0].vpcFlowLogs[0].vpcId: needs sources.vpcFlowLogs.enabled: true, which admits flow logs into the archive, got "vpc-0123456789abcdef0"',
    ],
    [
      "flow logs in a Region the account does not forward",
      (r) => {
        r.sources = { vpcFlowLogs: { enabled: true } };
        r.accounts[0].vpcFlowLogs = [{ region: "eu-central-1", vpcId: "vpc-0123456789abcdef0" }];
      },
      'test.yaml: accounts[0].vpcFlowLogs[0].region: expected one of the account\'s Regions (eu-west-1, us-east-1), got "eu-central-1"',
    ],
    [
      "message extraction in the central topology",
      (r) => {
        r.accounts[0].delivery = "central";
        r.accounts[0].firehose = { messageExtraction: true };
      },
      'test.yaml: accounts[0].firehose.messageExtraction: cannot be combined with delivery "central" (account 222222222222): the central stream partitions by the envelope\'s owner, which message extraction removes, got true',
    ],
  ])("fails on %s", (_name, edit, expected) => {
    expect(errorsFor(edit)).toContain(expected);
  });
});

describe("central-destination topology", () => {
  const central = (r: any) => {
    r.accounts[0].delivery = "central";
    r.accounts.push({ id: "333333333333", name: "per-account", regions: ["eu-west-1"] });
  };
  const { stacks } = synthRegistry(registryWith(central));
  const archive = stacks["log-archive"]!;

  test("the log-archive account holds a destination and a Firehose per source Region", () => {
    const destinations = resourcesOf(archive, "aws_cloudwatch_log_destination").map(([, d]) => [d.region, d.name]);
    expect(destinations.sort()).toEqual([
      ["eu-west-1", "cwl-archive-central"],
      ["us-east-1", "cwl-archive-central"],
    ]);
    const stream = resource(archive, "aws_kinesis_firehose_delivery_stream", "Central-us-east-1/Stream");
    expect(stream.region).toBe("us-east-1");
    expect(stream.extended_s3_configuration).toMatchObject({
      bucket_arn: BUCKET_ARN,
      prefix:
        "!{partitionKeyFromQuery:root}/account=!{partitionKeyFromQuery:account}/region=us-east-1/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
      error_output_prefix: expect.stringMatching(
        /^cloudwatch-logs-errors\/account=central\/region=us-east-1\/!\{firehose:error-output-type\}\//,
      ),
      buffering_size: 64,
      dynamic_partitioning_configuration: { enabled: true, retry_duration: 300 },
    });
    expect(stream.extended_s3_configuration.processing_configuration.processors.map((p: any) => p.type)).toEqual([
      "Decompression",
      "MetadataExtraction",
      "AppendDelimiterToRecord",
    ]);
  });

  test("the account in each key comes from the envelope CloudWatch Logs writes; control messages never reach the data prefix", () => {
    expect(CENTRAL_PARTITION_QUERY).toBe(
      '{root: (if .messageType == "DATA_MESSAGE" then "cloudwatch-logs" else "cloudwatch-logs-control" end), account: .owner}',
    );
  });

  test("the destination admits the organization, in a policy whose size does not grow with the accounts", () => {
    const policyText = (stack: TfJson) =>
      resource(stack, "aws_cloudwatch_log_destination_policy", "Central-eu-west-1/DestinationAccess").access_policy;
    expect(policyOf(policyText(archive)).Statement).toEqual([
      {
        Sid: "OrganizationSubscribes",
        Effect: "Allow",
        Principal: "*",
        Action: ["logs:PutAccountPolicy", "logs:PutSubscriptionFilter"],
        Resource: `arn:aws:logs:eu-west-1:${ARCHIVE}:destination:cwl-archive-central`,
        Condition: { StringEquals: { "aws:PrincipalOrgID": ORG } },
      },
    ]);
    const many = synthRegistry(
      registryWith((r) => {
        r.accounts = Array.from({ length: 60 }, (_, i) => ({
          id: String(400000000000 + i),
          name: `c${i}`,
          regions: ["eu-west-1"],
          delivery: "central",
        }));
      }),
    ).stacks["log-archive"]!;
    expect(policyText(many).length).toBe(policyText(archive).length);
    expect(Buffer.byteLength(policyText(archive))).toBeLessThan(5120);
  });

  test("a source in the central topology holds only the subscription and its role, pointed at the destination", () => {
    const source = stacks[`log-source-${SOURCE}-us-east-1`]!;
    expect(resourcesOf(source, "aws_kinesis_firehose_delivery_stream")).toEqual([]);
    expect(resourcesOf(source, "aws_cloudwatch_metric_alarm")).toEqual([]);
    const accountPolicy = JSON.parse(
      resource(source, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy").policy_document,
    );
    expect(accountPolicy).toEqual({
      DestinationArn: `arn:aws:logs:us-east-1:${ARCHIVE}:destination:cwl-archive-central`,
      RoleArn: `arn:aws:iam::${SOURCE}:role/cwl-archive-cwl-us-east-1`,
      FilterPattern: "",
    });
    expect(policyOf(resource(source, "aws_iam_role_policy", "SubscriptionRole/Policy").policy).Statement).toEqual([
      {
        Sid: "ForwardOwnLogGroups",
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: `arn:aws:logs:us-east-1:${SOURCE}:log-group:*`,
      },
    ]);
    // The other account keeps its own Firehose.
    expect(
      resourcesOf(stacks["log-source-333333333333-eu-west-1"]!, "aws_kinesis_firehose_delivery_stream"),
    ).toHaveLength(1);
  });

  test("central streams are watched by alarms in their own Region", () => {
    const alarms = resourcesOf(archive, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.region, a.alarm_name]);
    expect(alarms).toEqual(expect.arrayContaining([["us-east-1", "cwl-archive-archive-central-us-east-1-silence"]]));
    expect(resource(archive, "aws_sns_topic", "CentralAlarmTopic-us-east-1/Topic").region).toBe("us-east-1");
  });

  // Dynamic partitioning: 500 active partitions per stream by default; beyond
  // it records go to the error prefix and PartitionCountExceeded is 1.
  // https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html
  test("central streams alarm when the active-partition quota is exceeded, and at 80 % of it", () => {
    const byName = Object.fromEntries(
      resourcesOf(archive, "aws_cloudwatch_metric_alarm").map(([, a]) => [a.alarm_name, a]),
    );
    expect(byName["cwl-archive-archive-central-eu-west-1-partition-count-exceeded"]).toMatchObject({
      namespace: "AWS/Firehose",
      metric_name: "PartitionCountExceeded",
      dimensions: { DeliveryStreamName: expect.stringMatching(/Central-eu-west-1_Stream_\w+\.name/) },
      statistic: "Maximum",
      comparison_operator: "GreaterThanThreshold",
      threshold: 0,
    });
    expect(byName["cwl-archive-archive-central-eu-west-1-partition-count-high"]).toMatchObject({
      metric_name: "PartitionCount",
      threshold: 400,
    });
    // Per-account streams do not partition dynamically: no partition alarms there.
    const source = Object.values(stacks).flatMap((stack) =>
      resourcesOf(stack, "aws_cloudwatch_metric_alarm").map(([, a]) => a.alarm_name as string),
    );
    expect(source.filter((n) => n.includes("partition") && !n.includes("central"))).toEqual([]);
  });

  test("optionally behind a Kinesis data stream", () => {
    const withKinesis = synthRegistry(
      registryWith((r) => {
        central(r);
        r.central = { kinesisStream: { enabled: true, mode: "PROVISIONED", shards: 2 } };
      }),
    ).stacks["log-archive"]!;
    expect(resource(withKinesis, "aws_kinesis_stream", "Central-eu-west-1/KinesisStream")).toMatchObject({
      region: "eu-west-1",
      name: "cwl-archive-central-eu-west-1",
      shard_count: 2,
      stream_mode_details: { stream_mode: "PROVISIONED" },
      encryption_type: "KMS",
    });
    expect(resource(withKinesis, "aws_cloudwatch_log_destination", "Central-eu-west-1/Destination").target_arn).toMatch(
      /aws_kinesis_stream/,
    );
    expect(
      resource(withKinesis, "aws_kinesis_firehose_delivery_stream", "Central-eu-west-1/Stream")
        .kinesis_source_configuration,
    ).toBeDefined();
  });
});
