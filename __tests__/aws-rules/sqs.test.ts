import { ACCOUNT, REGION, corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import { mergeRegistry } from "./lib/run";
import * as sqs from "./rules/sqs";

const SOURCE_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT}:notifications`;

/** A source queue redriving into a dead-letter queue; `edit` changes them. */
function queues(edit: (res: any) => void = () => {}) {
  const res: any = {
    aws_sqs_queue: {
      Dlq: {
        name: "notifications-dlq",
        message_retention_seconds: 1_209_600,
        redrive_allow_policy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [SOURCE_ARN] }),
      },
      Queue: {
        name: "notifications",
        message_retention_seconds: 345_600,
        visibility_timeout_seconds: 300,
        redrive_policy: JSON.stringify({ deadLetterTargetArn: "${aws_sqs_queue.Dlq.arn}", maxReceiveCount: 10 }),
      },
    },
  };
  edit(res);
  return stackOf(res);
}

describe("dead-letter queues", () => {
  test("sqs-dlq-retention-longer-than-source", () => {
    expectCompliant(sqs.dlqRetentionLonger, queues());
    expectFinding(
      sqs.dlqRetentionLonger,
      queues((r) => (r.aws_sqs_queue.Dlq.message_retention_seconds = 345_600)),
      /keeps messages 345600 s, not longer than the source's 345600 s/,
    );
    expectFinding(
      sqs.dlqRetentionLonger,
      queues((r) => delete r.aws_sqs_queue.Dlq.message_retention_seconds),
      /keeps messages 345600 s/,
    );
  });

  test("sqs-dlq-same-type-and-region", () => {
    expectCompliant(sqs.dlqSameTypeAndRegion, queues());
    expectFinding(
      sqs.dlqSameTypeAndRegion,
      queues((r) => Object.assign(r.aws_sqs_queue.Dlq, { name: "notifications-dlq.fifo", fifo_queue: true })),
      /source is standard, dead-letter queue aws_sqs_queue.Dlq is not/,
    );
    expectFinding(
      sqs.dlqSameTypeAndRegion,
      queues((r) => (r.aws_sqs_queue.Dlq.region = "us-east-1")),
      /source in eu-west-1, dead-letter queue in us-east-1/,
    );
  });

  test("sqs-redrive-allow-policy-admits-source", () => {
    expectCompliant(sqs.redriveAllowPolicyAdmitsSource, queues());
    expectFinding(
      sqs.redriveAllowPolicyAdmitsSource,
      queues(
        (r) =>
          (r.aws_sqs_queue.Dlq.redrive_allow_policy = JSON.stringify({
            redrivePermission: "byQueue",
            sourceQueueArns: [`arn:aws:sqs:${REGION}:${ACCOUNT}:other`],
          })),
      ),
      /does not admit arn:aws:sqs:eu-west-1:111122223333:notifications/,
    );
    expectFinding(
      sqs.redriveAllowPolicyAdmitsSource,
      queues((r) => (r.aws_sqs_queue.Dlq.redrive_allow_policy = JSON.stringify({ redrivePermission: "denyAll" }))),
      /denyAll/,
    );
  });
});

describe("queue attributes and names", () => {
  test("sqs-queue-attribute-ranges", () => {
    expectCompliant(sqs.attributeRanges, queues());
    expectFinding(
      sqs.attributeRanges,
      queues((r) => (r.aws_sqs_queue.Queue.visibility_timeout_seconds = 43_201)),
      /visibility_timeout_seconds is 43201, must be 0-43200/,
    );
    expectFinding(
      sqs.attributeRanges,
      queues((r) => (r.aws_sqs_queue.Dlq.message_retention_seconds = 1_209_601)),
      /message_retention_seconds is 1209601, must be 60-1209600/,
    );
    expectFinding(
      sqs.attributeRanges,
      queues(
        (r) =>
          (r.aws_sqs_queue.Queue.redrive_policy = JSON.stringify({ deadLetterTargetArn: "x", maxReceiveCount: 0 })),
      ),
      /maxReceiveCount is 0/,
    );
  });

  test("sqs-queue-name", () => {
    expectCompliant(sqs.queueName, queues());
    expectFinding(
      sqs.queueName,
      queues((r) => (r.aws_sqs_queue.Queue.name = "q".repeat(81))),
      /1-80/,
    );
    expectFinding(
      sqs.queueName,
      queues((r) => (r.aws_sqs_queue.Queue.name = "siem.queue")),
      /1-80 of/,
    );
    expectFinding(
      sqs.queueName,
      queues((r) => (r.aws_sqs_queue.Queue.fifo_queue = true)),
      /must end in .fifo/,
    );
  });

  test("sqs-queue-name-unique", () => {
    expectCompliant(sqs.queueNamesUnique, queues());
    expectFinding(
      sqs.queueNamesUnique,
      queues((r) => (r.aws_sqs_queue.Dlq.name = "notifications")),
      /used by 2 resources/,
    );
  });
});

describe("queue policy", () => {
  const policy = (statements: number, actions = 1) =>
    stackOf({
      aws_sqs_queue: { Q: { name: "q" } },
      aws_sqs_queue_policy: {
        P: {
          queue_url: "${aws_sqs_queue.Q.url}",
          policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: Array.from({ length: statements }, (_, i) => ({
              Sid: `S${i}`,
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: [
                "sqs:SendMessage",
                "sqs:GetQueueUrl",
                "sqs:GetQueueAttributes",
                "sqs:ReceiveMessage",
                "sqs:DeleteMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:ListQueues",
                "sqs:PurgeQueue",
              ].slice(0, actions),
              Resource: "${aws_sqs_queue.Q.arn}",
            })),
          }),
        },
      },
    });

  test("sqs-queue-policy-quotas", () => {
    expectCompliant(sqs.queuePolicyQuotas, policy(2, 7));
    expectFinding(sqs.queuePolicyQuotas, policy(21), /21 statements, at most 20/);
    expectFinding(sqs.queuePolicyQuotas, policy(1, 8), /has 8 actions, at most 7/);
    expectFinding(sqs.queuePolicyQuotas, policy(60), /bytes, at most 8192/);
  });
});

/** A bucket notifying an encrypted queue; `edit` changes them. */
function notified(edit: (res: any) => void = () => {}) {
  const res: any = {
    aws_kms_key: {
      K: {
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "S3",
              Effect: "Allow",
              Principal: { Service: "s3.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
            },
          ],
        }),
      },
    },
    aws_sqs_queue: { Q: { name: "q", kms_master_key_id: "${aws_kms_key.K.arn}" } },
    aws_s3_bucket_notification: {
      N: { bucket: "b", queue: [{ queue_arn: "${aws_sqs_queue.Q.arn}", events: ["s3:ObjectCreated:*"] }] },
    },
  };
  edit(res);
  return stackOf(res);
}

describe("queues receiving S3 notifications", () => {
  test("sqs-s3-notification-queue-not-fifo", () => {
    expectCompliant(sqs.notifiedQueueNotFifo, notified());
    expectFinding(
      sqs.notifiedQueueNotFifo,
      notified((r) => Object.assign(r.aws_sqs_queue.Q, { name: "q.fifo", fifo_queue: true })),
      /is a FIFO queue/,
    );
  });

  test("sqs-s3-notification-queue-customer-managed-key", () => {
    expectCompliant(sqs.notifiedQueueKeyUsableByS3, notified());
    expectFinding(
      sqs.notifiedQueueKeyUsableByS3,
      notified((r) => (r.aws_sqs_queue.Q.kms_master_key_id = "alias/aws/sqs")),
      /alias\/aws\/sqs, which S3 cannot use/,
    );
    expectFinding(
      sqs.notifiedQueueKeyUsableByS3,
      notified((r) => (r.aws_kms_key.K.policy = JSON.stringify({ Version: "2012-10-17", Statement: [] }))),
      /does not allow s3.amazonaws.com/,
    );
  });

  test("sqs-s3-notification-queue-customer-managed-key follows a key of the key account read by alias", () => {
    const KEYS = "333333333333";
    const keyStack = (statements: unknown[]) =>
      stackOf({
        aws_kms_key: { K: { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) } },
        aws_kms_alias: { A: { name: "alias/queue", target_key_id: "${aws_kms_key.K.key_id}" } },
      });
    const archive = notified((r) => {
      delete r.aws_kms_key;
      r.aws_sqs_queue.Q.kms_master_key_id = "${data.aws_kms_key.Queue.arn}";
    });
    archive.data = { aws_kms_key: { Queue: { key_id: `arn:aws:kms:${REGION}:${KEYS}:alias/queue` } } };
    const inKeyAccount = (key: ReturnType<typeof keyStack>) => {
      key.provider.aws[0].allowed_account_ids = [KEYS];
      return mergeRegistry([
        { stack: "log-archive", json: archive },
        { stack: "log-keys", json: key },
      ]);
    };
    const s3 = {
      Sid: "S3",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
    };
    expectCompliant(sqs.notifiedQueueKeyUsableByS3, inKeyAccount(keyStack([s3])));
    expectFinding(sqs.notifiedQueueKeyUsableByS3, inKeyAccount(keyStack([])), /does not allow s3.amazonaws.com/);
    // A key no stack of the registry creates cannot be checked: that is a finding too.
    expectFinding(
      sqs.notifiedQueueKeyUsableByS3,
      mergeRegistry([{ stack: "log-archive", json: archive }]),
      /cannot be checked/,
    );
  });
});

corpusSuite(sqs.rules);
