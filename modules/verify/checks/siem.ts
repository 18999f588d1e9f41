/**
 * The SIEM path: the reader role is assumed with its ExternalId (and refused
 * without it), the marker object's notification arrives on the queue, and
 * the reader reads and decrypts the object.
 */
import { deliveryDeadline, type VerifyContext } from "../context";
import { isAccessDenied } from "../ports";
import {
  errorEvidence,
  fail,
  notApplicable,
  pass,
  type CheckResult,
  messageOf,
  judged,
  failedOrInconclusive,
  isInconclusiveError,
  withoutReader,
} from "../result";

export const READER_ASSUME = { id: "siem-reader-assume", title: "SIEM reader role assumed with its ExternalId" };
export const READER_NO_EXTERNAL_ID = {
  id: "deny-reader-without-external-id",
  title: "SIEM reader role refused without the ExternalId",
};
export const NOTIFICATION = { id: "siem-notification", title: "Marker object announced on the SIEM queue" };
export const READER_READS = { id: "siem-reader-reads", title: "SIEM reader reads and decrypts the marker object" };

/** Assumes the reader role; sets ctx.reader, or ctx.readerProblem when it cannot. */
export async function assumeReader(ctx: VerifyContext): Promise<CheckResult> {
  const { target } = ctx;
  try {
    const assumed = await ctx.ports.readerVia.assume(target.siemReaderRoleArn, target.externalId);
    ctx.reader = assumed.ports;
    return pass(READER_ASSUME, `assumed ${target.siemReaderRoleArn} as ${assumed.assumedArn}`, [
      { what: "AssumeRole with the ExternalId", requestId: assumed.requestId, detail: assumed.assumedArn },
    ]);
  } catch (error) {
    // The hint about readerPrincipals only when AWS answered: a network or credential error says nothing of the trust.
    ctx.readerInconclusive = isInconclusiveError(error);
    ctx.readerProblem = ctx.readerInconclusive
      ? `AssumeRole of ${target.siemReaderRoleArn} failed: ${messageOf(error)}`
      : `AssumeRole of ${target.siemReaderRoleArn} failed: ${messageOf(error)} (is the caller in siem.readerPrincipals? pass --reader-profile or --reader-role)`;
    return failedOrInconclusive(READER_ASSUME, ctx.readerProblem, error, [errorEvidence("AssumeRole", error)]);
  }
}

export async function checkReaderRefusedWithoutExternalId(ctx: VerifyContext): Promise<CheckResult> {
  if (!ctx.reader) return notApplicable(READER_NO_EXTERNAL_ID, "the caller cannot assume the reader role at all");
  try {
    const assumed = await ctx.ports.readerVia.assume(ctx.target.siemReaderRoleArn, undefined);
    return fail(READER_NO_EXTERNAL_ID, "AssumeRole without the ExternalId succeeded; expected AccessDenied", [
      { what: "AssumeRole without ExternalId", requestId: assumed.requestId, detail: assumed.assumedArn },
    ]);
  } catch (error) {
    if (isAccessDenied(error)) {
      return pass(READER_NO_EXTERNAL_ID, "AssumeRole without the ExternalId: AccessDenied", [
        errorEvidence("AssumeRole without ExternalId", error),
      ]);
    }
    return failedOrInconclusive(
      READER_NO_EXTERNAL_ID,
      `AssumeRole without the ExternalId failed, but not with AccessDenied: ${messageOf(error)}`,
      error,
      [errorEvidence("AssumeRole without ExternalId", error)],
    );
  }
}

/**
 * Object keys of S3's notification messages. S3 URL-encodes the key in its
 * SQS notifications (`=` becomes `%3D`, a space `+`).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
 */
export function notifiedKeys(body: string, bucket: string): string[] {
  try {
    const message = JSON.parse(body) as {
      Records?: { eventName?: string; s3?: { bucket?: { name?: string }; object?: { key?: string } } }[];
    };
    return (message.Records ?? [])
      .filter((r) => r.eventName?.startsWith("ObjectCreated:") && r.s3?.bucket?.name === bucket && r.s3.object?.key)
      .map((r) => decodeURIComponent(r.s3!.object!.key!.replace(/\+/g, " ")));
  } catch {
    return [];
  }
}

/**
 * A receive counts towards a message's maxReceiveCount even with a visibility
 * timeout of 0: once a message's receive count exceeds the queue's
 * maxReceiveCount, SQS moves it to the dead-letter queue (where the SIEM
 * never sees it and the dead-letter alarm fires). So verify looks only at a
 * small backlog, which one ReceiveMessage of 10 messages can cover, and
 * receives at most a third of maxReceiveCount times (3 at most) per run,
 * leaving the SIEM the rest.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
export const MAX_BACKLOG = 10;
export const MAX_RECEIVES = 3;

/** How many ReceiveMessage calls a run may make on a queue whose redrive policy allows `maxReceiveCount`. */
export function receiveBudget(maxReceiveCount: number | undefined): number {
  if (maxReceiveCount === undefined) return MAX_RECEIVES;
  // A redrive policy verify cannot read: one receive, as cautious as it can be and still look.
  if (!Number.isFinite(maxReceiveCount)) return 1;
  return Math.min(MAX_RECEIVES, Math.floor(maxReceiveCount / 3));
}

export async function checkNotification(ctx: VerifyContext): Promise<CheckResult> {
  const { found, reader, target } = ctx;
  if (!found) return notApplicable(NOTIFICATION, "no marker object (see delivery)");
  if (!reader) return withoutReader(ctx, NOTIFICATION);
  try {
    const url = await reader.sqs.queueUrl(target.queueName, target.archiveAccountId);
    const state = await reader.sqs.attributes(url);
    if (state.approximateMessages > MAX_BACKLOG) {
      return notApplicable(
        NOTIFICATION,
        `not looked at: ${state.approximateMessages} messages wait on ${target.queueName} (more than ${MAX_BACKLOG}); receiving them would count towards their maxReceiveCount and could push the SIEM's messages into the dead-letter queue (GetQueueAttributes request id ${state.requestId ?? "-"})`,
      );
    }
    const budget = receiveBudget(state.maxReceiveCount);
    if (budget === 0) {
      return notApplicable(
        NOTIFICATION,
        `not looked at: the queue's maxReceiveCount is ${state.maxReceiveCount}; a receive by verify would take one of the SIEM's`,
      );
    }
    // S3 sends the notification within seconds; the receives are spread over the margin.
    const deadline = Math.max(ctx.ports.clock.now(), deliveryDeadline(ctx)) + ctx.options.marginMs;
    let received = 0;
    let receives = 0;
    for (;;) {
      const peeked = await reader.sqs.peek(url);
      receives += 1;
      received += peeked.messages.length;
      const message = peeked.messages.find((m) => notifiedKeys(m.body, target.archiveBucket).includes(found.key));
      if (message) {
        return pass(NOTIFICATION, `notification for the marker object on ${target.queueName}`, [
          { what: `ReceiveMessage, message ${message.messageId}`, requestId: peeked.requestId, key: found.key },
          { what: `GetQueueAttributes: ${state.approximateMessages} message(s) waiting`, requestId: state.requestId },
        ]);
      }
      const left = deadline - ctx.ports.clock.now();
      if (receives >= budget || left <= 0) break;
      await ctx.ports.clock.sleep(Math.min(ctx.options.pollMs, left));
    }
    return fail(
      NOTIFICATION,
      `no notification for the marker object on ${target.queueName} in ${receives} receive(s) (${received} message(s) seen; a SIEM that consumes the queue may have deleted it first)`,
      [
        { what: "marker object", key: found.key },
        { what: `GetQueueAttributes: ${state.approximateMessages} message(s) waiting`, requestId: state.requestId },
      ],
    );
  } catch (error) {
    return judged(
      error,
      fail(NOTIFICATION, `could not read the SIEM queue as the reader: ${messageOf(error)}`, [
        errorEvidence("GetQueueUrl/GetQueueAttributes/ReceiveMessage", error),
      ]),
    );
  }
}

export function checkReaderReads(ctx: VerifyContext): CheckResult {
  const { found } = ctx;
  if (!found) return notApplicable(READER_READS, "no marker object (see delivery)");
  const evidence = [
    {
      what: "GetObject as the SIEM reader",
      requestId: found.requestId,
      key: found.key,
      detail: `${found.serverSideEncryption ?? "no"} encryption, key ${found.kmsKeyId ?? "none"}`,
    },
  ];
  if (found.serverSideEncryption !== "aws:kms") {
    return fail(READER_READS, `the marker object is not SSE-KMS (${found.serverSideEncryption ?? "none"})`, evidence);
  }
  if (ctx.archiveKeyArn && found.kmsKeyId !== ctx.archiveKeyArn) {
    return fail(
      READER_READS,
      `the marker object is encrypted with ${found.kmsKeyId}, not the archive key ${ctx.archiveKeyArn}`,
      evidence,
    );
  }
  return pass(READER_READS, "read and decrypted (SSE-KMS with the archive key)", evidence);
}
