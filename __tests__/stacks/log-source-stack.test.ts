import { ARCHIVE, registryWith, SOURCE } from "../helpers/registry";
import {
  policyOf,
  resource,
  resourceCount,
  resourcesOf,
  statement,
  synthRegistry,
  type TfJson,
} from "../helpers/synth";

const STACK = `log-source-${SOURCE}-us-east-1`;
const BUCKET_ARN = `arn:aws:s3:::cwl-archive-${ARCHIVE}-eu-west-1`;
const OWN_ERROR_LOG = "/aws/kinesisfirehose/cwl-archive-to-archive";

function sourceStack(edit?: (r: any) => void): TfJson {
  return synthRegistry(registryWith(edit)).stacks[STACK]!;
}

describe("source stack with defaults (mode all)", () => {
  const stack = sourceStack();
  const stream = resource(stack, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream");

  test("Firehose writes cross-account into the archive bucket by name, with no cross-stack reference", () => {
    expect(stream.destination).toBe("extended_s3");
    expect(stream.extended_s3_configuration.bucket_arn).toBe(BUCKET_ARN);
    expect(JSON.stringify(stack)).not.toMatch(/terraform_remote_state/);
  });

  test("key layout of DESIGN.md contract 4, with an error prefix carrying the error type", () => {
    expect(stream.extended_s3_configuration.prefix).toBe(
      `cloudwatch-logs/account=${SOURCE}/region=us-east-1/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`,
    );
    expect(stream.extended_s3_configuration.error_output_prefix).toBe(
      `cloudwatch-logs-errors/account=${SOURCE}/region=us-east-1/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`,
    );
  });

  test("native processors only: decompress, then a newline after every record; GZIP output; default buffering", () => {
    expect(stream.extended_s3_configuration).toMatchObject({
      compression_format: "GZIP",
      buffering_size: 5,
      buffering_interval: 300,
      file_extension: ".json.gz",
      processing_configuration: {
        enabled: true,
        processors: [
          { type: "Decompression", parameters: [{ parameter_name: "CompressionFormat", parameter_value: "GZIP" }] },
          { type: "AppendDelimiterToRecord" },
        ],
      },
    });
    expect(JSON.stringify(stream)).not.toContain("Lambda");
  });

  test("stream is encrypted and logs its errors to its own log group with a retention; no customer key by default", () => {
    expect(stream.server_side_encryption).toEqual({ enabled: true, key_type: "AWS_OWNED_CMK" });
    const group = resource(stack, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup");
    expect(group).toMatchObject({ name: OWN_ERROR_LOG, retention_in_days: 365 });
    // A key ($1 a month per account and Region) comes only with per-account alarms or a customer-managed stream key.
    expect(group.kms_key_id).toBeUndefined();
    expect(resourcesOf(stack, "aws_kms_key")).toEqual([]);
    const keyed = sourceStack((r) => (r.defaults = { firehose: { streamEncryption: "CUSTOMER_MANAGED_CMK" } }));
    expect(resource(keyed, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup").kms_key_id).toMatch(
      /^\$\{aws_kms_key\.PipelineKey/,
    );
    expect(stream.extended_s3_configuration.cloudwatch_logging_options.enabled).toBe(true);
  });

  test("delivery role: Firehose of this account only; writes only its own prefixes; archive key only through S3", () => {
    const role = resource(stack, "aws_iam_role", "Delivery/Role");
    expect(role.name).toBe("cwl-archive-firehose-us-east-1");
    expect(policyOf(role.assume_role_policy).Statement).toEqual([
      {
        Sid: "FirehoseOfThisAccountAssumes",
        Effect: "Allow",
        Principal: { Service: "firehose.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": SOURCE } },
      },
    ]);
    const policy = policyOf(resource(stack, "aws_iam_role_policy", "Delivery/RolePolicy").policy);
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "WriteOwnPrefixes",
      "LocateArchiveBucket",
      "UseArchiveKeyThroughS3",
      "WriteOwnErrorLog",
    ]);
    expect(statement(policy, "UseArchiveKeyThroughS3")).toEqual({
      Sid: "UseArchiveKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: `arn:aws:kms:eu-west-1:${ARCHIVE}:key/*`,
      Condition: {
        StringEquals: {
          "kms:ViaService": "s3.eu-west-1.amazonaws.com",
          "kms:EncryptionContext:aws:s3:arn": BUCKET_ARN,
        },
      },
    });
    expect(statement(policy, "WriteOwnErrorLog").Resource).toBe(
      `arn:aws:logs:us-east-1:${SOURCE}:log-group:${OWN_ERROR_LOG}:log-stream:DestinationDelivery`,
    );
  });

  test("a delivery role can name no prefix but its own account's", () => {
    const policy = policyOf(resource(stack, "aws_iam_role_policy", "Delivery/RolePolicy").policy);
    const objectResources = policy.Statement.flatMap((s) => [s.Resource].flat()).filter((r: string) =>
      r.startsWith(`${BUCKET_ARN}/`),
    );
    expect(objectResources).toEqual([
      `${BUCKET_ARN}/cloudwatch-logs/account=${SOURCE}/*`,
      `${BUCKET_ARN}/cloudwatch-logs-errors/account=${SOURCE}/*`,
    ]);
    // Every other source stack's role is confined to its own account in the same way.
    const { stacks } = synthRegistry(
      registryWith((r) => r.accounts.push({ id: "333333333333", name: "other", regions: ["eu-west-1"] })),
    );
    for (const [name, other] of Object.entries(stacks).filter(([n]) => n.startsWith("log-source-"))) {
      const account = name.split("-")[2]!;
      const resources = policyOf(resource(other, "aws_iam_role_policy", "Delivery/RolePolicy").policy)
        .Statement.flatMap((s) => [s.Resource].flat())
        .filter((r: string) => r.startsWith(`${BUCKET_ARN}/`));
      for (const arn of resources)
        expect(arn).toMatch(new RegExp(`/cloudwatch-logs(-errors)?/account=${account}/\\*$`));
    }
  });

  test("CloudWatch Logs role: trusted for this account and Region only; may put records into this stream only", () => {
    const role = resource(stack, "aws_iam_role", "SubscriptionRole/Role");
    expect(policyOf(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: "logs.amazonaws.com" },
      Condition: { StringLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${SOURCE}:*` } },
    });
    expect(policyOf(resource(stack, "aws_iam_role_policy", "SubscriptionRole/Policy").policy).Statement).toEqual([
      {
        Sid: "PutRecordsIntoDeliveryStream",
        Effect: "Allow",
        Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
        Resource: `arn:aws:firehose:us-east-1:${SOURCE}:deliverystream/cwl-archive-to-archive`,
      },
    ]);
  });

  test("one account-level subscription policy that excludes the pipeline's own log group", () => {
    const policy = resource(stack, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy");
    expect(policy).toMatchObject({
      policy_type: "SUBSCRIPTION_FILTER_POLICY",
      scope: "ALL",
      selection_criteria: `LogGroupName NOT IN ["${OWN_ERROR_LOG}"]`,
    });
    expect(JSON.parse(policy.policy_document)).toEqual({
      DestinationArn: `arn:aws:firehose:us-east-1:${SOURCE}:deliverystream/cwl-archive-to-archive`,
      RoleArn: `arn:aws:iam::${SOURCE}:role/cwl-archive-cwl-us-east-1`,
      FilterPattern: "",
    });
    expect(resourcesOf(stack, "aws_cloudwatch_log_subscription_filter")).toEqual([]);
  });

  test("ordering: the subscription waits for the stream, its drain wait and IAM to propagate the role; the stream waits for the role policy", () => {
    const policy = resource(stack, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy");
    expect(policy.depends_on).toEqual([
      expect.stringMatching(/^aws_kinesis_firehose_delivery_stream\.Delivery_Stream/),
      expect.stringMatching(/^terraform_data\.Drain_Wait/),
      expect.stringMatching(/^terraform_data\.SubscriptionRolePropagation_Wait/),
    ]);
    expect(stream.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy\.SubscriptionRole_Policy/)]),
    );
  });
});

describe("mode all at scale", () => {
  test("the resource count does not depend on how many log groups are excluded, and exclusions follow the own group", () => {
    const counts = [0, 5, 200].map((n) => {
      const exclude = Array.from({ length: n }, (_, i) => `/app/service-${i}`);
      const stack = sourceStack((r) => (r.defaults = { subscription: { excludeLogGroups: exclude } }));
      const criteria = resource(
        stack,
        "aws_cloudwatch_log_account_policy",
        "Subscriptions/AccountPolicy",
      ).selection_criteria;
      expect(criteria.startsWith(`LogGroupName NOT IN ["${OWN_ERROR_LOG}"`)).toBe(true);
      return resourceCount(stack);
    });
    expect(new Set(counts).size).toBe(1);
  });

  test("naming the pipeline's own log group as an exclusion is harmless and not duplicated", () => {
    const stack = sourceStack((r) => (r.defaults = { subscription: { excludeLogGroups: [OWN_ERROR_LOG, "/x"] } }));
    expect(resource(stack, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy").selection_criteria).toBe(
      `LogGroupName NOT IN ["${OWN_ERROR_LOG}", "/x"]`,
    );
  });
});

describe("source stack in mode listed", () => {
  const stack = sourceStack(
    (r) =>
      (r.accounts[0].subscription = {
        mode: "listed",
        filterPattern: "ERROR",
        logGroups: [{ name: "/ecs/api" }, { name: "/aws/rds/cluster/db/audit", filterPattern: "" }],
      }),
  );

  test("one filter per listed log group, all with the same stable name and their own pattern", () => {
    const filters = resourcesOf(stack, "aws_cloudwatch_log_subscription_filter").map(([, f]) => f);
    expect(filters.map((f) => [f.log_group_name, f.name, f.filter_pattern]).sort()).toEqual(
      [
        ["/aws/rds/cluster/db/audit", "cwl-archive-to-archive", ""],
        ["/cwl-archive/heartbeat", "cwl-archive-to-archive", ""],
        ["/ecs/api", "cwl-archive-to-archive", "ERROR"],
      ].sort(),
    );
    for (const filter of filters) {
      expect(filter.destination_arn).toBe(`arn:aws:firehose:us-east-1:${SOURCE}:deliverystream/cwl-archive-to-archive`);
      expect(filter.role_arn).toBe(`arn:aws:iam::${SOURCE}:role/cwl-archive-cwl-us-east-1`);
    }
    expect(resourcesOf(stack, "aws_cloudwatch_log_account_policy")).toEqual([]);
  });

  test("filter addresses are keyed by log group name, not list position", () => {
    const reordered = sourceStack(
      (r) =>
        (r.accounts[0].subscription = {
          mode: "listed",
          filterPattern: "ERROR",
          logGroups: [{ name: "/aws/rds/cluster/db/audit", filterPattern: "" }, { name: "/ecs/api" }],
        }),
    );
    expect(Object.keys(reordered.resource.aws_cloudwatch_log_subscription_filter).sort()).toEqual(
      Object.keys(stack.resource.aws_cloudwatch_log_subscription_filter).sort(),
    );
  });

  test("no filter is ever put on the pipeline's own log group", () => {
    const groups = resourcesOf(stack, "aws_cloudwatch_log_subscription_filter").map(([, f]) => f.log_group_name);
    expect(groups).not.toContain(OWN_ERROR_LOG);
  });
});

describe("registry options of the source stack", () => {
  test("message extraction, other buffering, no compression, customer-managed stream key", () => {
    const stack = sourceStack(
      (r) =>
        (r.accounts[0].firehose = {
          messageExtraction: true,
          bufferingSizeMiB: 64,
          bufferingIntervalSeconds: 60,
          compression: "UNCOMPRESSED",
          streamEncryption: "CUSTOMER_MANAGED_CMK",
        }),
    );
    const stream = resource(stack, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream");
    expect(stream.extended_s3_configuration.processing_configuration.processors.map((p: any) => p.type)).toEqual([
      "Decompression",
      "CloudWatchLogProcessing",
      "AppendDelimiterToRecord",
    ]);
    expect(stream.extended_s3_configuration).toMatchObject({
      buffering_size: 64,
      buffering_interval: 60,
      compression_format: "UNCOMPRESSED",
      file_extension: ".log",
    });
    expect(stream.server_side_encryption).toEqual({
      enabled: true,
      key_type: "CUSTOMER_MANAGED_CMK",
      key_arn: expect.stringMatching(/^\$\{aws_kms_key\.PipelineKey/),
    });
    expect(resource(stack, "aws_cloudwatch_log_group", "Delivery/ErrorLogGroup").kms_key_id).toMatch(/aws_kms_key/);
    expect(resource(stack, "aws_kms_key", "PipelineKey/Key").enable_key_rotation).toBe(true);
  });

  test("an account's override wins over the organisation default, which applies elsewhere", () => {
    const { stacks } = synthRegistry(
      registryWith((r) => {
        r.defaults = { firehose: { bufferingIntervalSeconds: 120 } };
        r.accounts.push({
          id: "333333333333",
          name: "b",
          regions: ["eu-west-1"],
          firehose: { bufferingIntervalSeconds: 600 },
        });
      }),
    );
    const interval = (name: string) =>
      resource(stacks[name]!, "aws_kinesis_firehose_delivery_stream", "Delivery/Stream").extended_s3_configuration
        .buffering_interval;
    expect(interval(STACK)).toBe(120);
    expect(interval("log-source-333333333333-eu-west-1")).toBe(600);
  });
});

// A subscription on a log group that the pipeline itself writes to loops
// forever ("leading to an unexpected billing increase").
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Subscriptions-recursion-prevention.html
describe("the log-archive account as a source", () => {
  const CENTRAL_ERROR_LOG = "/aws/kinesisfirehose/cwl-archive-central-eu-west-1";
  // The delivery watch's log groups in the archive's Region: every archived object adds an event there.
  const WATCH_LOGS = '"/aws/events/cwl-archive-delivery-watch", "/aws/lambda/cwl-archive-delivery-watch"';
  const stacks = synthRegistry(
    registryWith((r) => {
      r.accounts[0].delivery = "central";
      r.accounts.push({ id: ARCHIVE, name: "log-archive", regions: ["eu-west-1", "us-east-1"] });
    }),
  ).stacks;

  test("never subscribes the central stream's error log group of its Region", () => {
    const archiveAsSource = stacks[`log-source-${ARCHIVE}-eu-west-1`]!;
    const criteria = resource(
      archiveAsSource,
      "aws_cloudwatch_log_account_policy",
      "Subscriptions/AccountPolicy",
    ).selection_criteria;
    expect(criteria).toBe(`LogGroupName NOT IN ["${OWN_ERROR_LOG}", "${CENTRAL_ERROR_LOG}", ${WATCH_LOGS}]`);
    // The central stream that log group belongs to exists in that Region.
    expect(resourcesOf(stacks["log-archive"]!, "aws_cloudwatch_log_group").map(([, g]) => g.name)).toContain(
      CENTRAL_ERROR_LOG,
    );
  });

  test("in a Region without a central stream only its own stream's error log group is excluded", () => {
    const noCentral = synthRegistry(
      registryWith((r) => r.accounts.push({ id: ARCHIVE, name: "log-archive", regions: ["eu-west-1"] })),
    ).stacks[`log-source-${ARCHIVE}-eu-west-1`]!;
    expect(
      resource(noCentral, "aws_cloudwatch_log_account_policy", "Subscriptions/AccountPolicy").selection_criteria,
    ).toBe(`LogGroupName NOT IN ["${OWN_ERROR_LOG}", ${WATCH_LOGS}]`);
  });

  test("fails to list the central stream's error log group", () => {
    expect(() =>
      registryWith((r) => {
        r.accounts[0].delivery = "central";
        r.accounts.push({
          id: ARCHIVE,
          name: "log-archive",
          regions: ["eu-west-1"],
          subscription: { mode: "listed", logGroups: [{ name: CENTRAL_ERROR_LOG }] },
        });
      }),
    ).toThrow(
      `test.yaml: accounts[1].subscription.logGroups[0].name: is the pipeline's own log group in eu-west-1: subscribing it would loop forever, got "${CENTRAL_ERROR_LOG}"`,
    );
  });
});

// PutSubscriptionFilter fails with ResourceNotFoundException where the log
// group does not exist, so a listed group is subscribed only in its Regions.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutSubscriptionFilter.html
describe("listed log groups per Region", () => {
  const listed = (r: any) => {
    r.accounts[0].subscription = {
      mode: "listed",
      logGroups: [{ name: "/ecs/everywhere" }, { name: "/ecs/only-in-us", regions: ["us-east-1"] }],
    };
  };
  const stacks = synthRegistry(registryWith(listed)).stacks;
  const groupsIn = (region: string) =>
    resourcesOf(stacks[`log-source-${SOURCE}-${region}`]!, "aws_cloudwatch_log_subscription_filter")
      .map(([, f]) => f.log_group_name)
      .filter((name: string) => name.startsWith("/ecs/"))
      .sort();

  test("a group without regions is subscribed in every Region of the account", () => {
    expect(groupsIn("eu-west-1")).toEqual(["/ecs/everywhere"]);
  });

  test("a group naming its Regions is subscribed only there", () => {
    expect(groupsIn("us-east-1")).toEqual(["/ecs/everywhere", "/ecs/only-in-us"]);
  });

  test("fails on a Region the account does not forward", () => {
    expect(() =>
      registryWith((r) => {
        listed(r);
        (r.accounts[0] as any).subscription.logGroups[1].regions = ["eu-central-1"];
      }),
    ).toThrow(
      'test.yaml: accounts[0].subscription.logGroups[1].regions[0]: expected one of the Regions of account 222222222222 (eu-west-1, us-east-1), got "eu-central-1"',
    );
  });
});
