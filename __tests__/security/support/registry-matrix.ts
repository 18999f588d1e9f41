/**
 * The security proof for any registry: rows derived from the registry and
 * the stacks synthesised from it, not from the sample's account names, so
 * that `npm run check` proves an organization's own registry. For every
 * writer the stacks create (each account's delivery role, the central
 * streams, the AWS services and roles the registry lets write directly), it
 * may write its own prefix and nothing else; the SIEM reader reads and never
 * writes; nobody outside the organization writes; nobody uses a key
 * directly. A principal the registry implies but the stacks lack is a
 * failure of its own.
 */
import { partitionOfRegion } from "../../aws-rules/lib/tf";
import { DIRECT_SOURCE_ROOTS } from "../../../modules/sources/direct-sources";
import { archiveNames, centralNames, sourceNames, trailNames } from "../../../modules/naming/names";
import type { Registry } from "../../../modules/registry/parse";
import { centralRegions, sourceSettings } from "../../../modules/registry/settings";
import type { PolicyWorld } from "./policy-world";
import type { Organization, Scenario } from "./simulate";

/** An account id no registry uses: outside every organization of the tests. */
export const OUTSIDER = "999988887777";

export function organizationOf(registry: Registry): Organization {
  return {
    id: registry.organization.id,
    members: new Set([
      registry.logArchive.accountId,
      ...registry.accounts.map((a) => a.id),
      ...(registry.keys ? [registry.keys.accountId] : []),
      ...(registry.sources.cloudTrail.managementAccountId ? [registry.sources.cloudTrail.managementAccountId] : []),
    ]),
  };
}

/** A registry's rows, with the principals they need that the stacks do not create. */
export interface RegistryMatrix {
  readonly rows: Scenario[];
  readonly missing: string[];
}

export function registryMatrix(registry: Registry, world: PolicyWorld): RegistryMatrix {
  const prefix = registry.naming.prefix;
  const archiveAccount = registry.logArchive.accountId;
  const region = registry.logArchive.region;
  // Principals of the organization, in its partition (AWS's, modelled by the test support).
  const partition = partitionOfRegion(region);
  const names = archiveNames({ prefix, archiveAccountId: archiveAccount, archiveRegion: region });
  const bucket = names.archiveBucketArn;
  const keyAccount = registry.keys?.accountId ?? archiveAccount;
  const archiveKey = world.keysByAlias.get(`${keyAccount}/${region}/${names.archiveKeyAlias}`);
  const missing: string[] = [];
  const rows: Scenario[] = [];
  const role = (arn: string): { role: string } | undefined => {
    if (world.roles.has(arn)) return { role: arn };
    missing.push(arn);
    return undefined;
  };
  if (!archiveKey) missing.push(`the archive key ${names.archiveKeyAlias} in ${keyAccount}`);
  const sse: Record<string, string> = archiveKey
    ? { "s3:x-amz-server-side-encryption": "aws:kms", "s3:x-amz-server-side-encryption-aws-kms-key-id": archiveKey }
    : {};
  const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": bucket };
  const data = (account: string, r: string) =>
    `${bucket}/cloudwatch-logs/account=${account}/region=${r}/year=2026/month=12/day=01/hour=10/o.gz`;
  const accounts = registry.accounts.map((a) => a.id);
  const another = (account: string) => accounts.find((a) => a !== account) ?? archiveAccount;

  // --- Each account's own stream writes its own prefix, and nothing else -----------------
  for (const account of registry.accounts) {
    if (sourceSettings(registry, account).delivery !== "perAccount") continue;
    for (const r of account.regions) {
      const delivery = role(sourceNames(prefix, account.id, r).deliveryRoleArn);
      if (!delivery) continue;
      const who = `${account.id} ${r} delivery role`;
      rows.push(
        {
          name: `${who} writes its own prefix`,
          principal: delivery,
          action: "s3:PutObject",
          resource: data(account.id, r),
          context: sse,
          expect: "Allowed",
        },
        {
          name: `${who} writes another account's prefix`,
          principal: delivery,
          action: "s3:PutObject",
          resource: data(another(account.id), r),
          context: sse,
          expect: "Denied",
        },
        {
          name: `${who} reads its own objects`,
          principal: delivery,
          action: "s3:GetObject",
          resource: data(account.id, r),
          expect: "Denied",
        },
        {
          name: `${who} deletes its own objects`,
          principal: delivery,
          action: "s3:DeleteObject",
          resource: data(account.id, r),
          expect: "Denied",
        },
      );
      if (archiveKey) {
        rows.push({
          name: `${who} gets a data key through S3`,
          principal: delivery,
          action: "kms:GenerateDataKey",
          resource: archiveKey,
          context: viaS3,
          expect: "Allowed",
        });
      }
    }
  }

  // --- The central streams write any account's prefix, never elsewhere -----------------------
  for (const r of centralRegions(registry)) {
    const central = role(
      `arn:${partition}:iam::${archiveAccount}:role/${centralNames(prefix, archiveAccount, r).firehoseRole}`,
    );
    if (!central) continue;
    const someone = registry.accounts.find((a) => a.regions.includes(r))?.id ?? archiveAccount;
    rows.push(
      {
        name: `central stream of ${r} writes a source's prefix`,
        principal: central,
        action: "s3:PutObject",
        resource: data(someone, r),
        context: sse,
        expect: "Allowed",
      },
      {
        name: `central stream of ${r} writes under cloudtrail/`,
        principal: central,
        action: "s3:PutObject",
        resource: `${bucket}/${DIRECT_SOURCE_ROOTS.cloudtrail}x`,
        context: sse,
        expect: "Denied",
      },
      {
        name: `central stream of ${r} reads an object`,
        principal: central,
        action: "s3:GetObject",
        resource: data(someone, r),
        expect: "Denied",
      },
    );
  }

  // --- The SIEM reader reads and never writes --------------------------------------------------
  const reader = role(names.siemReaderRoleArn);
  // A member account that owns neither the archive nor its keys: its administrators have no say there.
  const member = registry.accounts.find((a) => a.id !== archiveAccount && a.id !== keyAccount);
  const someAccount = member?.id ?? OUTSIDER;
  const someRegion = member?.regions[0] ?? region;
  if (reader) {
    rows.push(
      {
        name: "the SIEM reader reads an archived object",
        principal: reader,
        action: "s3:GetObject",
        resource: data(someAccount, someRegion),
        expect: "Allowed",
      },
      {
        name: "the SIEM reader writes an object",
        principal: reader,
        action: "s3:PutObject",
        resource: data(someAccount, someRegion),
        context: sse,
        expect: "Denied",
      },
      {
        name: "the SIEM reader deletes an object version",
        principal: reader,
        action: "s3:DeleteObjectVersion",
        resource: data(someAccount, someRegion),
        expect: "Denied",
      },
    );
    if (archiveKey) {
      rows.push({
        name: "the SIEM reader decrypts through S3",
        principal: reader,
        action: "kms:Decrypt",
        resource: archiveKey,
        context: viaS3,
        expect: "Allowed",
      });
    }
  }

  // --- Named readers and Sentinel's role read what the reader reads, never write ---------------
  // (A named reader is simulated with AdministratorAccess in its own account: only the archive's policies limit it.)
  const sentinel = registry.siem.sentinel ? role(names.sentinelRoleArn) : undefined;
  const siemPrincipals: [string, Scenario["principal"]][] = [
    ...registry.siem.readers.map((r): [string, Scenario["principal"]] => [`the named reader ${r}`, { admin: r }]),
    ...(sentinel ? [["the Sentinel role", sentinel] as [string, Scenario["principal"]]] : []),
  ];
  for (const [who, principal] of siemPrincipals) {
    rows.push(
      {
        name: `${who} reads an archived object`,
        principal,
        action: "s3:GetObject",
        resource: data(someAccount, someRegion),
        expect: "Allowed",
      },
      {
        name: `${who} writes an object`,
        principal,
        action: "s3:PutObject",
        resource: data(someAccount, someRegion),
        context: sse,
        expect: "Denied",
      },
      {
        name: `${who} reads an error object`,
        principal,
        action: "s3:GetObject",
        resource: `${bucket}/cloudwatch-logs-errors/account=${someAccount}/x`,
        expect: "Denied",
      },
    );
    if (archiveKey) {
      rows.push(
        {
          name: `${who} decrypts through S3`,
          principal,
          action: "kms:Decrypt",
          resource: archiveKey,
          context: viaS3,
          expect: "Allowed",
        },
        {
          name: `${who} decrypts outside S3`,
          principal,
          action: "kms:Decrypt",
          resource: archiveKey,
          expect: "Denied",
        },
      );
    }
  }

  // --- Outside the organization, nobody; inside, nobody uses a key directly ------------------------
  const outsider = { admin: `arn:${partition}:iam::${OUTSIDER}:role/Administrator` };
  rows.push(
    {
      name: "an administrator outside the organization writes",
      principal: outsider,
      action: "s3:PutObject",
      resource: data(OUTSIDER, someRegion),
      context: sse,
      expect: "Denied",
    },
    {
      name: "an administrator outside the organization reads",
      principal: outsider,
      action: "s3:GetObject",
      resource: data(someAccount, someRegion),
      expect: "Denied",
    },
    {
      name: "an administrator of a source account reads the archive",
      principal: { admin: `arn:${partition}:iam::${someAccount}:role/Administrator` },
      action: "s3:GetObject",
      resource: data(someAccount, someRegion),
      expect: "Denied",
    },
  );
  if (archiveKey) {
    for (const account of [...new Set([archiveAccount, keyAccount])]) {
      const admin = { admin: `arn:${partition}:iam::${account}:role/Administrator` };
      rows.push(
        {
          name: `an administrator of ${account} decrypts with the archive key directly`,
          principal: admin,
          action: "kms:Decrypt",
          resource: archiveKey,
          expect: "Denied",
        },
        {
          name: `an administrator of ${account} grants itself the archive key`,
          principal: admin,
          action: "kms:CreateGrant",
          resource: archiveKey,
          expect: "Denied",
        },
      );
    }
  }

  // --- AWS services and roles the registry lets write directly: their own prefix only ---------------
  const { cloudTrail, config, agents } = registry.sources;
  if (cloudTrail.enabled && cloudTrail.managementAccountId) {
    const trail = trailNames(
      prefix,
      cloudTrail.managementAccountId,
      cloudTrail.homeRegion ?? region,
      cloudTrail.trailName,
    );
    const object = `${bucket}/${DIRECT_SOURCE_ROOTS.cloudtrail}AWSLogs/${registry.organization.id}/${someAccount}/CloudTrail/${someRegion}/2026/12/01/x.json.gz`;
    const context = { "s3:x-amz-acl": "bucket-owner-full-control", ...sse };
    rows.push(
      {
        name: "the organization trail delivers",
        principal: { service: "cloudtrail.amazonaws.com" },
        action: "s3:PutObject",
        resource: object,
        context: { ...context, "aws:SourceArn": trail.arn },
        expect: "Allowed",
      },
      {
        name: "another trail delivers",
        principal: { service: "cloudtrail.amazonaws.com" },
        action: "s3:PutObject",
        resource: object,
        context: { ...context, "aws:SourceArn": `${trail.arn}-other` },
        expect: "Denied",
      },
    );
  }
  if (config.enabled) {
    const recorder = { admin: `arn:${partition}:iam::${someAccount}:role/${config.recorderRoleName}` };
    const own = `${bucket}/${DIRECT_SOURCE_ROOTS.config}AWSLogs/${someAccount}/Config/${someRegion}/2026/12/01/x.json.gz`;
    rows.push(
      {
        name: "a Config recorder writes its own account's prefix",
        principal: recorder,
        action: "s3:PutObject",
        resource: own,
        context: { "s3:x-amz-acl": "bucket-owner-full-control" },
        expect: "Allowed",
      },
      {
        name: "a Config recorder writes another account's prefix",
        principal: recorder,
        action: "s3:PutObject",
        resource: own.replace(`/${someAccount}/`, `/${another(someAccount)}/`),
        context: { "s3:x-amz-acl": "bucket-owner-full-control" },
        expect: "Denied",
      },
      {
        name: "a Config recorder lists the archive",
        principal: recorder,
        action: "s3:ListBucket",
        resource: bucket,
        expect: "Denied",
      },
    );
  }
  if (agents.enabled) {
    const agent = {
      admin: `arn:${partition}:iam::${someAccount}:role/${(agents.roleNamePattern ?? `${prefix}-log-agent-*`).replace(/\*/g, "host")}`,
    };
    const own = `${bucket}/${DIRECT_SOURCE_ROOTS.agents}${someAccount}/syslog/x.gz`;
    rows.push(
      {
        name: "a log agent writes its own account's folder",
        principal: agent,
        action: "s3:PutObject",
        resource: own,
        expect: "Allowed",
      },
      {
        name: "a log agent writes another account's folder",
        principal: agent,
        action: "s3:PutObject",
        resource: own.replace(`/${someAccount}/`, `/${another(someAccount)}/`),
        expect: "Denied",
      },
      {
        name: "a log agent reads its folder",
        principal: agent,
        action: "s3:GetObject",
        resource: own,
        expect: "Denied",
      },
    );
  }
  return { rows, missing };
}
