/**
 * The organization's CloudTrail trail, in the management account and its home
 * Region, delivering straight to the archive under cloudtrail/. Every Region
 * and every account of the organization, global service events, log file
 * validation; optionally watched by tamper detection where it lives.
 *
 * Log files are encrypted with the archive key, whose ARN the construct reads
 * by the alias ARN the naming module derives (the stack that holds the key is
 * applied first) unless given. Digest files are SSE-S3, as CloudTrail always
 * writes them.
 */
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { Construct } from "constructs";
import { isAccountIdOrToken, namePrefixProblem } from "../../constructs/validation";
import { ExternalKeysLookup } from "../../constructs/external-keys-lookup";
import { TamperWatch } from "../../monitoring/tamper-watch";
import { archiveNames, DEFAULT_NAME_PREFIX, trailNames } from "../../naming/names";
import { trailWatches } from "../../policy/tamper-patterns";
import { TRAIL_ROOT } from "./trail-layout";

/** Tamper detection of the trail (stopping, deleting or narrowing it silences detection everywhere). */
export interface OrganizationTrailTamperSettings {
  /** ARN of the archive's tamper bus, which the watch forwards to. */
  readonly busArn: string;
  /** IAM role ARNs whose configuration calls do not notify. @default - none */
  readonly exemptRoleArns?: readonly string[];
  /**
   * Whether this watch also watches its own forwarder; false when the
   * management account is a source account, whose stack already does.
   * @default true
   */
  readonly watchForwarder?: boolean;
}

export interface OrganizationTrailProps {
  /** The organization's management account, where the trail lives. */
  readonly managementAccountId: string;
  /** The log-archive account, which holds the archive bucket. */
  readonly archiveAccountId: string;
  /** The archive's Region. */
  readonly archiveRegion: string;
  /** The trail's home Region, the enclosing stack's provider Region. @default - archiveRegion */
  readonly homeRegion?: string;
  /** Prefix of every name the pipeline creates. @default DEFAULT_NAME_PREFIX */
  readonly namePrefix?: string;
  /** Name of the trail. @default `<namePrefix>-organization` */
  readonly trailName?: string;
  /** The account that holds the archive key. @default - archiveAccountId */
  readonly keyAccountId?: string;
  /** ARN of the archive key. @default - read by its alias ARN in keyAccountId when the stack plans */
  readonly archiveKeyArn?: string;
  /** Tamper detection of the trail. @default - not watched */
  readonly tamper?: OrganizationTrailTamperSettings;
}

export class OrganizationTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly tamperWatch?: TamperWatch;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    const problems = [
      ...(["managementAccountId", "archiveAccountId", "keyAccountId"] as const)
        .filter((prop) => props[prop] !== undefined && !isAccountIdOrToken(props[prop]))
        .map((prop) => `${prop}: expected a 12-digit AWS account id, got ${JSON.stringify(props[prop])}`),
      namePrefixProblem(props.namePrefix),
    ].filter((p) => p !== undefined);
    if (problems.length > 0) {
      throw new Error(problems.map((p) => `OrganizationTrail ${this.node.path}: ${p}`).join("\n"));
    }
    const { managementAccountId, archiveAccountId, archiveRegion } = props;
    const prefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    const homeRegion = props.homeRegion ?? archiveRegion;
    const names = trailNames(prefix, managementAccountId, homeRegion, props.trailName);
    const archive = archiveNames({ prefix, archiveAccountId, archiveRegion });
    this.trail = new Cloudtrail(this, "Trail", {
      name: names.name,
      s3BucketName: archive.archiveBucket,
      s3KeyPrefix: TRAIL_ROOT.replace(/\/$/, ""),
      // SSE-KMS with the archive key: without a key CloudTrail encrypts log
      // files with SSE-S3, which the archive's bucket policy refuses.
      // @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
      // The key's ARN, read by its alias ARN when this stack plans (no
      // cross-stack reference): CloudTrail stores the key ARN, so naming the
      // alias would show a change on every plan (hashicorp/terraform-provider-aws#33928).
      // The lookup's id is `Default`, which cdktf leaves out of addresses:
      // the data source stays data.aws_kms_key.ArchiveKey.
      kmsKeyId:
        props.archiveKeyArn ??
        new ExternalKeysLookup(this, "Default", {
          keyAccountId: props.keyAccountId ?? archiveAccountId,
          archiveAccountId,
          archiveRegion,
          providerRegion: homeRegion,
          namePrefix: prefix,
          queueKey: false,
        }).archiveKeyArn,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
    });
    if (props.tamper) {
      // Stopping, deleting or narrowing the organization trail silences
      // tamper detection in every account: it is watched where it lives.
      this.tamperWatch = new TamperWatch(this, "TamperWatch", {
        accountId: managementAccountId,
        stackRegion: homeRegion,
        kind: "trail",
        namePrefix: prefix,
        busArn: props.tamper.busArn,
        exemptRoleArns: props.tamper.exemptRoleArns,
        regions: [{ region: homeRegion, watches: trailWatches(names.name, names.arn) }],
        watchForwarder: props.tamper.watchForwarder ?? true,
      });
    }
  }
}
