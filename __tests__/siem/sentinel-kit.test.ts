/**
 * Microsoft Sentinel's Amazon Web Services S3 connector against the
 * synthesised example with siem.sentinel and siem.queues perPrefix
 * (examples/registries/config-central-plain.yaml): a role named OIDC_…, one
 * queue per log type and path, each read by that role; and the formats
 * Microsoft accepts, against what the archive writes.
 * @see https://learn.microsoft.com/en-us/azure/sentinel/connect-aws?tabs=s3
 */
import { readFileSync } from "node:fs";
import { DATA_ROOT } from "../../modules/naming/key-layout";
import { DIRECT_SOURCE_ROOTS } from "../../modules/sources/direct-sources";
import { objectExtension } from "../../modules/source/delivery-stream";
import { corpusStacks, EXAMPLES_DIR } from "../helpers/corpus";
import { policyOf, resourcesOf } from "../helpers/synth";

const REGISTRY = `${EXAMPLES_DIR}/config-central-plain.yaml`;
const archive = corpusStacks().find((s) => s.registry === REGISTRY && s.stack === "log-archive")!.json;

describe("Sentinel kit", () => {
  const [, role] = resourcesOf(archive, "aws_iam_role").find(([, r]) => String(r.name).startsWith("OIDC_"))!;
  const [, notification] = resourcesOf(archive, "aws_s3_bucket_notification")[0]!;
  const queues: { filter_prefix: string; queue_arn: string }[] = notification.queue;

  test("the connector's role is named OIDC_… and trusts only web identities of Entra ID", () => {
    expect(role.name).toBe("OIDC_cwl-archive-sentinel");
    const trust = policyOf(role.assume_role_policy);
    expect(trust.Statement.map((s: { Action: string }) => s.Action)).toEqual(["sts:AssumeRoleWithWebIdentity"]);
  });

  test("each queue carries one log type under one path, as the connector requires", () => {
    const announced = [DATA_ROOT, ...Object.values(DIRECT_SOURCE_ROOTS)];
    expect(queues.map((q) => q.filter_prefix).sort()).toEqual([...announced].sort());
    expect(new Set(queues.map((q) => q.queue_arn)).size).toBe(queues.length);
  });

  test("the role consumes every queue", () => {
    const [roleKey] = resourcesOf(archive, "aws_iam_role").find(([, r]) => r === role)!;
    const [, policy] = resourcesOf(archive, "aws_iam_role_policy").find(
      ([, p]) => p.role === `\${aws_iam_role.${roleKey}.name}`,
    )!;
    const consumed = [
      policyOf(policy.policy).Statement.find((s: { Sid: string }) => s.Sid === "ConsumeNotifications").Resource,
    ].flat();
    // The notification names its queues by reference; the role's policy by ARN.
    const queueArn = (ref: string) => {
      const [, name] = /^\$\{aws_sqs_queue\.([\w-]+)\.arn\}$/.exec(ref)!;
      return `arn:aws:sqs:eu-west-1:300000000001:${archive.resource.aws_sqs_queue[name!].name}`;
    };
    for (const q of queues) expect(consumed).toContain(queueArn(q.queue_arn));
  });

  test("the archive's CloudWatch Logs objects are never the header-less CSV Sentinel takes, and docs/siem.md says so", () => {
    const extensions = [true, false].flatMap((messageExtraction) =>
      (["GZIP", "UNCOMPRESSED"] as const).map((compression) => objectExtension({ messageExtraction, compression })),
    );
    expect(extensions.filter((e) => e.endsWith(".csv.gz"))).toEqual([]);
    const doc = readFileSync("docs/siem.md", "utf8");
    expect(doc).toMatch(/Sentinel cannot ingest the archive's CloudWatch Logs/);
    expect(doc).toMatch(/Sentinel cannot ingest GuardDuty findings/);
  });
});
