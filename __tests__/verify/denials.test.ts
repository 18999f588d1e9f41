import { checkDelivery, writeMarker } from "../../modules/verify/checks/delivery";
import {
  checkAdminCannotRead,
  checkDeliveryDeleteDenied,
  checkDeliveryOtherPrefixDenied,
  checkDeliveryReadDenied,
  checkReaderCannotWrite,
  checkSourceCannotRead,
  checkSseS3PutDenied,
  checkWrongKeyPutDenied,
  grantEverythingOnArchive,
  refusalBy,
  refusedByBucketPolicy,
} from "../../modules/verify/checks/denials";
import { assumeReader } from "../../modules/verify/checks/siem";
import { AwsCallError } from "../../modules/verify/ports";
import type { Evidence } from "../../modules/verify/result";
import { ARCHIVE, ORG, OTHER, SOURCE } from "../helpers/registry";
import { sandbox, testTarget } from "./sandbox-context";

async function delivered(knobs: Parameters<typeof sandbox>[0] = {}) {
  const { fake, ctx } = sandbox(knobs);
  await assumeReader(ctx);
  await checkDelivery(ctx, (await writeMarker(ctx)) as Evidence[]);
  return { fake, ctx };
}

describe("promised denials, as real calls", () => {
  test("GIVEN the bucket policy WHEN the administrator puts without the archive key THEN both puts are refused", async () => {
    const { ctx } = sandbox();
    const sse = await checkSseS3PutDenied(ctx);
    const wrong = await checkWrongKeyPutDenied(ctx);
    expect([sse.status, wrong.status]).toEqual(["pass", "pass"]);
    expect(wrong.summary).toContain(`arn:aws:kms:eu-west-1:${ARCHIVE}:alias/aws/s3`);
    expect(sse.summary).toMatch(/: AccessDenied, an explicit deny of the bucket policy$/);
    expect(ctx.created.objects).toEqual([]);
  });

  test("GIVEN the guardrails' RCP or SCP refuses the put THEN the check does not pass, and names what denied", async () => {
    for (const [by, words] of [
      ["rcp", "a resource control policy"],
      ["scp", "a service control policy"],
    ] as const) {
      const { ctx } = sandbox({ putRefusedBy: by });
      for (const result of [await checkSseS3PutDenied(ctx), await checkWrongKeyPutDenied(ctx)]) {
        expect(result.status).toBe("not-applicable");
        expect(result.summary).toContain(
          `refused by ${words} of AWS Organizations before the bucket policy was reached`,
        );
        expect(result.summary).toContain(`with an explicit deny in ${words}`);
      }
    }
  });

  test("fails when the put is refused without the bucket policy's explicit deny", async () => {
    const { ctx } = sandbox({ putRefusedBy: "unnamed" });
    const result = await checkSseS3PutDenied(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(
      /: AccessDenied, but not the bucket policy's explicit deny: AccessDenied: Access Denied$/,
    );
  });

  test("is inconclusive when the caller's own identity policy refused the probe before the bucket policy could", async () => {
    const { ctx } = sandbox();
    const message =
      'User: arn:aws:sts::1:assumed-role/A/s is not authorized to perform: s3:PutObject on resource: "x" because no identity-based policy allows the s3:PutObject action';
    const broken = {
      ...ctx.ports.archive.s3,
      put: async () => Promise.reject(new AwsCallError("AccessDenied", message, "DENIED01")),
    };
    const result = await checkSseS3PutDenied({
      ...ctx,
      ports: { ...ctx.ports, archive: { ...ctx.ports.archive, s3: broken } },
    });
    expect(result.status).toBe("inconclusive");
    expect(result.summary).toContain("AccessDenied by the caller's own identity policy, not the bucket policy");
  });

  test("S3's access denied messages name the policy that refused", () => {
    const m = (tail: string) =>
      `User: arn:aws:sts::1:assumed-role/A/s is not authorized to perform: s3:PutObject on resource: "x" ${tail}`;
    expect(refusalBy(m("with an explicit deny in a resource-based policy"))).toBe("bucket-policy");
    expect(refusalBy(m("with an explicit deny in a resource control policy"))).toBe("rcp");
    expect(refusalBy(m("with an explicit deny in a service control policy"))).toBe("scp");
    expect(refusalBy(m("because no identity-based policy allows the s3:PutObject action"))).toBe("other");
    expect(refusalBy("Access Denied")).toBe("other");
  });

  test("fails when a put that should be denied succeeds, and records the probe for cleanup", async () => {
    const { ctx } = sandbox({ refuseUnencrypted: false });
    const result = await checkSseS3PutDenied(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      `PutObject verify/${ctx.marker.runId}/sse-s3 with SSE-S3 as the log-archive administrator succeeded; expected AccessDenied`,
    );
    expect(ctx.created.objects).toEqual([
      {
        bucket: ctx.target.archiveBucket,
        key: `verify/${ctx.marker.runId}/sse-s3`,
        versionId: "3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY",
      },
    ]);
  });

  test("the administrator and the source cannot read the marker object; the reader cannot write", async () => {
    const { ctx } = await delivered();
    expect((await checkAdminCannotRead(ctx)).status).toBe("pass");
    expect((await checkSourceCannotRead(ctx)).status).toBe("pass");
    expect((await checkReaderCannotWrite(ctx)).status).toBe("pass");
  });

  test("fails when the source can read the archive, or the reader can write", async () => {
    const { ctx } = await delivered();
    const readable = { ...ctx.ports.source.s3, get: async () => ({ body: new Uint8Array(), requestId: "OPEN0001" }) };
    const sourceReads = await checkSourceCannotRead({
      ...ctx,
      ports: { ...ctx.ports, source: { ...ctx.ports.source, s3: readable } },
    });
    expect(sourceReads.status).toBe("fail");
    expect(sourceReads.evidence[0]!.requestId).toBe("OPEN0001");
    const writable = { ...ctx.reader!.s3, put: async () => ({ requestId: "OPEN0002", versionId: "v1" }) };
    const readerWrites = await checkReaderCannotWrite({ ...ctx, reader: { ...ctx.reader!, s3: writable } });
    expect(readerWrites.summary).toBe(
      `PutObject verify/${ctx.marker.runId}/reader-write as the SIEM reader succeeded; expected AccessDenied`,
    );
    expect(ctx.created.objects.map((o) => o.key)).toEqual([`verify/${ctx.marker.runId}/reader-write`]);
  });

  test.each([
    // A refusal other than AccessDenied is the deployment's answer: S3 judged the request and refused it otherwise.
    ["InvalidArgument", "The encryption method specified is not supported", "fail"],
    // Throttling, expired credentials and the network say nothing of the bucket policy.
    ["SlowDown", "Please reduce your request rate.", "inconclusive"],
    ["ExpiredToken", "The provided token has expired.", "inconclusive"],
    ["CredentialsProviderError", "Could not load credentials from any providers", "inconclusive"],
    ["Error", "getaddrinfo ENOTFOUND s3.eu-west-1.amazonaws.com", "inconclusive"],
  ])("a refusal %s (%s) is %s", async (code, message, status) => {
    const { ctx } = sandbox();
    const broken = {
      ...ctx.ports.archive.s3,
      put: async () => Promise.reject(new AwsCallError(code, message, "REQ0001")),
    };
    const result = await checkWrongKeyPutDenied({
      ...ctx,
      ports: { ...ctx.ports, archive: { ...ctx.ports.archive, s3: broken } },
    });
    expect(result.status).toBe(status);
    expect(result.summary).toContain(`expected AccessDenied, got ${code}: ${message}`);
  });

  test("fails when the log-archive administrator can decrypt archived logs", async () => {
    const { ctx } = await delivered({ refuseAdminRead: false });
    const result = await checkAdminCannotRead(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toMatch(
      /^GetObject cloudwatch-logs\/.* as the log-archive administrator succeeded; expected AccessDenied$/,
    );
  });
});

describe("promised denials of the delivery role, through IAM's simulator", () => {
  test("GIVEN the live bucket policy WHEN the role writes elsewhere, reads or deletes THEN each is denied and the control allowed", async () => {
    const { ctx, fake } = await delivered();
    const results = [
      await checkDeliveryOtherPrefixDenied(ctx),
      await checkDeliveryReadDenied(ctx),
      await checkDeliveryDeleteDenied(ctx),
    ];
    expect(results.map((r) => r.status)).toEqual(["pass", "pass", "pass"]);
    const other = fake.simulations.find((s) => s.resourceArn.includes(`account=${OTHER}`))!;
    expect(results.map((r) => r.summary)).toEqual([
      expect.stringMatching(/: implicitDeny \(the bucket policy grants it to no one in the source account\)$/),
      expect.stringMatching(/: implicitDeny \(the bucket policy grants it to no one in the source account\)$/),
      expect.stringMatching(/: implicitDeny \(the bucket policy grants it to no one in the source account\)$/),
    ]);
    expect(other).toMatchObject({
      policyInputList: [grantEverythingOnArchive(ctx.target.archiveBucketArn)],
      policySourceArn: `arn:aws:iam::${SOURCE}:role/cwl-archive-firehose-eu-west-1`,
      callerArn: `arn:aws:iam::${SOURCE}:user/cwl-archive-verify-simulated-caller`,
      action: "s3:PutObject",
      resourcePolicy: '{"Version":"2012-10-17","Statement":[]}',
      resourceOwner: `arn:aws:iam::${ARCHIVE}:root`,
      context: expect.objectContaining({
        "aws:PrincipalOrgID": ORG,
        "s3:x-amz-server-side-encryption-aws-kms-key-id": fake.keyArn,
      }),
    });
    expect(results[0]!.evidence[0]!.what).toBe(
      "control: simulated s3:PutObject under its own prefix: allowed; IdentityPolicy: allowed, ResourcePolicy: allowed",
    );
  });

  test("GIVEN a bucket policy that grants the role everything THEN writing elsewhere, reading and deleting fail (the role's own policy does not decide)", async () => {
    const { ctx } = await delivered({ bucketGrants: "everything" });
    const results = [
      await checkDeliveryOtherPrefixDenied(ctx),
      await checkDeliveryReadDenied(ctx),
      await checkDeliveryDeleteDenied(ctx),
    ];
    expect(results.map((r) => r.status)).toEqual(["fail", "fail", "fail"]);
    expect(results[0]!.summary).toMatch(
      new RegExp(
        `^s3:PutObject on cloudwatch-logs/account=${OTHER}/.* is allowed for the delivery role by the bucket policy$`,
      ),
    );
  });

  test("an explicit deny of the bucket policy passes, naming it", async () => {
    const { ctx } = await delivered({ bucketGrants: "everything", bucketDenies: ["s3:DeleteObject"] });
    const result = await checkDeliveryDeleteDenied(ctx);
    expect(result.status).toBe("pass");
    expect(result.summary).toMatch(/: explicitDeny \(an explicit deny of the bucket policy\)$/);
    expect(result.evidence[1]!.what).toBe(
      "simulated s3:DeleteObject: explicitDeny; matched resource ResourcePolicy; ResourcePolicy: explicitDeny",
    );
  });

  test("a refusal by an SCP or outside the resource policy is not the bucket policy's", () => {
    const base = { matched: [], details: {}, allowedByOrganizations: true } as const;
    expect(refusedByBucketPolicy({ ...base, decision: "explicitDeny", allowedByOrganizations: false })).toBe(
      "a service control policy refused it, not the bucket policy",
    );
    expect(refusedByBucketPolicy({ ...base, decision: "implicitDeny", allowedByPermissionsBoundary: false })).toBe(
      "the role's permissions boundary refused it, not the bucket policy",
    );
    expect(
      refusedByBucketPolicy({
        ...base,
        decision: "explicitDeny",
        matched: [{ sourcePolicyId: "deny-all", sourcePolicyType: "role" }],
      }),
    ).toBe("an explicit deny outside the bucket policy refused it (role)");
    expect(
      refusedByBucketPolicy({ ...base, decision: "explicitDeny", matched: [{ sourcePolicyType: "resource" }] }),
    ).toBeUndefined();
    expect(refusedByBucketPolicy({ ...base, decision: "implicitDeny" })).toBe(
      "IAM's EvalDecisionDetails do not show which policy refused it (was it simulated as cross-account?)",
    );
    expect(
      refusedByBucketPolicy({ ...base, decision: "implicitDeny", details: { a: "allowed", b: "implicitDeny" } }),
    ).toBeUndefined();
  });

  test("fails rather than passes when an SCP refuses even the control", async () => {
    const { ctx } = await delivered({ scpDeniesS3: true });
    const result = await checkDeliveryDeleteDenied(ctx);
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("it cannot judge this denial");
  });

  test("does not apply to the central topology, which has no delivery role in the source", async () => {
    const { ctx, fake } = sandbox(
      {},
      testTarget((raw) => (raw.defaults = { delivery: "central" })),
    );
    const result = await checkDeliveryOtherPrefixDenied(ctx);
    expect(result.status).toBe("not-applicable");
    expect(fake.simulations).toEqual([]);
  });
});
