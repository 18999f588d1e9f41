import { ACCOUNT, REGION, corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import { mergeAccount } from "./lib/run";
import * as logs from "./rules/logs";

const group = (name: string, extra: any = {}) => stackOf({ aws_cloudwatch_log_group: { G: { name, ...extra } } });

describe("log groups and streams", () => {
  test("logs-log-group-name", () => {
    expectCompliant(logs.logGroupName, group("/aws/kinesisfirehose/cwl-archive#1"));
    expectFinding(logs.logGroupName, group("/ecs/payments api"), /must be 1-512 of/);
    expectFinding(logs.logGroupName, group("aws/reserved"), /reserved aws\//);
    expectFinding(logs.logGroupName, group("g".repeat(513)), /must be 1-512/);
  });

  test("logs-log-group-name-unique", () => {
    const groups = (region?: string) =>
      stackOf({
        aws_cloudwatch_log_group: {
          A: { name: "/cwl/heartbeat" },
          B: { name: "/cwl/heartbeat", ...(region ? { region } : {}) },
        },
      });
    expectCompliant(logs.logGroupNamesUnique, groups("us-east-1"));
    expectFinding(logs.logGroupNamesUnique, groups(), /used by 2 resources/);
  });

  test("logs-retention-in-days", () => {
    expectCompliant(logs.retention, group("/g", { retention_in_days: 2557 }));
    expectCompliant(logs.retention, group("/g", { retention_in_days: 0 }));
    expectFinding(
      logs.retention,
      group("/g", { retention_in_days: 100 }),
      /retention_in_days 100 is not an allowed value/,
    );
  });

  test("logs-log-stream-name", () => {
    const stream = (name: string) => stackOf({ aws_cloudwatch_log_stream: { S: { name, log_group_name: "/g" } } });
    expectCompliant(logs.logStreamName, stream("DestinationDelivery"));
    expectFinding(logs.logStreamName, stream("delivery:errors"), /without : or \*/);
  });
});

describe("subscription filters", () => {
  const filter = (config: any, extra: any = {}) =>
    stackOf({
      aws_cloudwatch_log_subscription_filter: {
        F: {
          name: "cwl-archive-to-archive",
          log_group_name: "/ecs/payments-api",
          filter_pattern: "",
          destination_arn: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/to-archive`,
          ...config,
        },
        ...extra,
      },
    });

  test("logs-subscription-filter", () => {
    expectCompliant(logs.subscriptionFilter, filter({ filter_pattern: "%ERROR%" }));
    expectFinding(logs.subscriptionFilter, filter({ name: "to:archive" }), /without : or \*/);
    expectFinding(
      logs.subscriptionFilter,
      filter({ filter_pattern: "x".repeat(1025) }),
      /1025 characters, at most 1024/,
    );
    expectFinding(
      logs.subscriptionFilter,
      filter({ filter_pattern: "%a% %b% %c%" }),
      /3 regular expressions, at most 2/,
    );
    expectFinding(
      logs.subscriptionFilter,
      filter({ destination_arn: `arn:aws:firehose:us-east-1:${ACCOUNT}:deliverystream/to-archive` }),
      /is in us-east-1, the log group in eu-west-1/,
    );
  });

  test("logs-subscription-filters-per-log-group", () => {
    const more = (n: number) =>
      filter(
        {},
        Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`G${i}`, { name: `other-${i}`, log_group_name: "/ecs/payments-api" }]),
        ),
      );
    expectCompliant(logs.subscriptionFiltersPerLogGroup, more(1));
    expectFinding(logs.subscriptionFiltersPerLogGroup, more(2), /3 subscription filters on one log group, at most 2/);
  });
});

describe("destinations and resource policies", () => {
  test("logs-destination-name", () => {
    const dest = (name: string) =>
      stackOf({ aws_cloudwatch_log_destination: { D: { name, role_arn: "r", target_arn: "t" } } });
    expectCompliant(logs.destinationName, dest("cwl-archive-central"));
    expectFinding(logs.destinationName, dest("central*"), /without : or \*/);
  });

  const accessPolicy = (accounts: number) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { AWS: Array.from({ length: accounts }, (_, i) => String(100000000000 + i)) },
          Action: "logs:PutSubscriptionFilter",
          Resource: "${aws_cloudwatch_log_destination.D.arn}",
        },
      ],
    });

  test("logs-destination-policy-size", () => {
    const policy = (accounts: number) =>
      stackOf({
        aws_cloudwatch_log_destination: { D: { name: "central" } },
        aws_cloudwatch_log_destination_policy: {
          P: { destination_name: "central", access_policy: accessPolicy(accounts) },
        },
      });
    expectCompliant(logs.destinationPolicySize, policy(50));
    expectFinding(logs.destinationPolicySize, policy(400), /bytes, at most 5120/);
  });

  test("logs-resource-policy-size", () => {
    const policy = (accounts: number) =>
      stackOf({
        aws_cloudwatch_log_resource_policy: { P: { policy_name: "events", policy_document: accessPolicy(accounts) } },
      });
    expectCompliant(logs.resourcePolicySize, policy(50));
    expectFinding(logs.resourcePolicySize, policy(400), /characters, at most 5120/);
  });

  test("logs-resource-policies-per-region", () => {
    const policies = (n: number) =>
      stackOf({
        aws_cloudwatch_log_resource_policy: Object.fromEntries(
          Array.from({ length: n }, (_, i) => [`P${i}`, { policy_name: `p${i}`, policy_document: "{}" }]),
        ),
      });
    expectCompliant(logs.resourcePoliciesPerRegion, policies(10));
    expectFinding(logs.resourcePoliciesPerRegion, policies(11), /11 resource policies in eu-west-1, at most 10/);
  });
});

const DESTINATION = `arn:aws:logs:${REGION}:${ACCOUNT}:destination:central`;

function accountPolicy(config: any = {}, document: any = {}) {
  return {
    policy_name: "to-archive",
    policy_type: "SUBSCRIPTION_FILTER_POLICY",
    scope: "ALL",
    selection_criteria: 'LogGroupName NOT IN ["/aws/kinesisfirehose/to-archive"]',
    policy_document: JSON.stringify({ DestinationArn: DESTINATION, FilterPattern: "", ...document }),
    ...config,
  };
}

describe("account-level subscription policies", () => {
  test("logs-account-subscription-policy", () => {
    const stack = (config: any = {}, document: any = {}) =>
      stackOf({ aws_cloudwatch_log_account_policy: { P: accountPolicy(config, document) } });
    expectCompliant(logs.accountPolicy, stack());
    expectFinding(
      logs.accountPolicy,
      stack({ selection_criteria: 'LogGroupName IN ["/a"]' }),
      /is not LogGroupName NOT IN/,
    );
    expectFinding(
      logs.accountPolicy,
      stack({
        selection_criteria: `LogGroupName NOT IN ${JSON.stringify(Array.from({ length: 900 }, (_, i) => `/aws/lambda/function-number-${i}`))}`,
      }),
      /selection criteria is \d+ bytes, at most 25000/,
    );
    expectFinding(logs.accountPolicy, stack({ scope: "SOME" }), /only ALL/);
    expectFinding(logs.accountPolicy, stack({}, { FilterPattern: "%a% %b% %c%" }), /3 regular expressions/);
    expectFinding(
      logs.accountPolicy,
      stack({}, { DestinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:destination:central` }),
      /DestinationArn is in us-east-1, the policy in eu-west-1/,
    );
  });

  test("logs-one-subscription-policy-per-region", () => {
    const two = (region?: string) =>
      stackOf({
        aws_cloudwatch_log_account_policy: {
          A: accountPolicy(),
          B: accountPolicy({ policy_name: "other", ...(region ? { region } : {}) }),
        },
      });
    expectCompliant(logs.oneSubscriptionPolicyPerRegion, two("us-east-1"));
    expectFinding(logs.oneSubscriptionPolicyPerRegion, two(), /2 subscription filter account policies in eu-west-1/);
  });
});

describe("the pipeline never subscribes its own log groups", () => {
  /** A delivery stream logging its errors into a log group, and what subscribes the account's log groups. */
  function pipeline(subscription: any) {
    return stackOf({
      aws_cloudwatch_log_group: { Errors: { name: "/aws/kinesisfirehose/to-archive" } },
      aws_kinesis_firehose_delivery_stream: {
        Stream: {
          name: "to-archive",
          extended_s3_configuration: {
            cloudwatch_logging_options: {
              enabled: true,
              log_group_name: "${aws_cloudwatch_log_group.Errors.name}",
              log_stream_name: "S3Delivery",
            },
          },
        },
      },
      ...subscription,
    });
  }

  test("logs-pipeline-log-groups-not-subscribed", () => {
    expectCompliant(
      logs.pipelineNotSubscribed,
      pipeline({ aws_cloudwatch_log_account_policy: { P: accountPolicy() } }),
    );
    expectFinding(
      logs.pipelineNotSubscribed,
      pipeline({ aws_cloudwatch_log_account_policy: { P: accountPolicy({ selection_criteria: undefined }) } }),
      /not excluded by aws_cloudwatch_log_account_policy.P/,
    );
    expectFinding(
      logs.pipelineNotSubscribed,
      pipeline({
        aws_cloudwatch_log_subscription_filter: {
          F: {
            name: "f",
            log_group_name: "/aws/kinesisfirehose/to-archive",
            filter_pattern: "",
            destination_arn: DESTINATION,
          },
        },
      }),
      /subscribed by aws_cloudwatch_log_subscription_filter.F/,
    );
  });

  test("logs-pipeline-log-groups-not-subscribed covers Lambda functions and rules on the archive's events", () => {
    // A Lambda function logs into /aws/lambda/<name> unless told otherwise; an EventBridge
    // rule on S3's events writes one event per archived object into its log group.
    const world = (excluded: string[]) =>
      stackOf({
        aws_lambda_function: { Transform: { function_name: "search-transform" } },
        aws_cloudwatch_log_group: {
          Watch: { name: "/aws/events/watch" },
          Heartbeat: { name: "/archive/heartbeat" },
        },
        aws_cloudwatch_event_rule: {
          Objects: { name: "objects", event_pattern: JSON.stringify({ source: ["aws.s3"] }) },
          Beat: { name: "beat", schedule_expression: "rate(15 minutes)" },
        },
        aws_cloudwatch_event_target: {
          ToWatch: { rule: "${aws_cloudwatch_event_rule.Objects.name}", arn: "${aws_cloudwatch_log_group.Watch.arn}" },
          ToHeartbeat: {
            rule: "${aws_cloudwatch_event_rule.Beat.name}",
            arn: "${aws_cloudwatch_log_group.Heartbeat.arn}",
          },
        },
        aws_cloudwatch_log_account_policy: {
          P: accountPolicy({ selection_criteria: `LogGroupName NOT IN ${JSON.stringify(excluded)}` }),
        },
      });
    // The heartbeat is fed by a schedule, not by the pipeline: archiving it is the point.
    expectCompliant(logs.pipelineNotSubscribed, world(["/aws/lambda/search-transform", "/aws/events/watch"]));
    expectFinding(
      logs.pipelineNotSubscribed,
      world(["/aws/events/watch"]),
      /not excluded.*aws_lambda_function.Transform writes to it/,
    );
    expectFinding(
      logs.pipelineNotSubscribed,
      world(["/aws/lambda/search-transform"]),
      /not excluded.*aws_cloudwatch_event_target.ToWatch writes to it/,
    );
  });

  test("logs-pipeline-log-groups-not-subscribed across the stacks of one account", () => {
    // The log-archive stack's central stream logs into its own group; the same account's
    // source stack subscribes every log group of the Region except its own stream's.
    const archive = {
      stack: "log-archive",
      json: stackOf({
        aws_cloudwatch_log_group: { Errors: { name: "/aws/kinesisfirehose/central-eu-west-1" } },
        aws_kinesis_firehose_delivery_stream: {
          Central: {
            name: "central-eu-west-1",
            extended_s3_configuration: {
              cloudwatch_logging_options: { enabled: true, log_group_name: "${aws_cloudwatch_log_group.Errors.name}" },
            },
          },
        },
      }),
    };
    const source = (excluded: string[]) => ({
      stack: `log-source-${ACCOUNT}-eu-west-1`,
      json: stackOf({
        aws_cloudwatch_log_account_policy: {
          P: accountPolicy({ selection_criteria: `LogGroupName NOT IN ${JSON.stringify(excluded)}` }),
        },
      }),
    });
    expectCompliant(
      logs.pipelineNotSubscribed,
      mergeAccount([archive, source(["/aws/kinesisfirehose/central-eu-west-1"])]),
    );
    expectFinding(
      logs.pipelineNotSubscribed,
      mergeAccount([archive, source(["/aws/kinesisfirehose/to-archive"])]),
      /not excluded by aws_cloudwatch_log_account_policy.log-source-111122223333-eu-west-1\/P.*log-archive\/Central writes to it/,
    );
  });
});

corpusSuite(logs.rules);
