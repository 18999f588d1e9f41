/**
 * The account dimension of every Glue table: the accounts the project knows
 * (the registry's, active and retired, and the log-archive and management
 * accounts) plus every account that has a folder in the archive, listed from
 * the bucket itself each time log-archive is planned.
 *
 * Why this and not the alternatives (docs/investigating.md#accounts):
 * - the registry alone misses accounts that write without an entry (the
 *   organization trail covers every account; any organization account may
 *   send to a central destination, deliver flow logs, Config or agent logs);
 * - Athena's `injected` projection never misses an account but refuses every
 *   query that does not name its accounts literally, so the organization-wide
 *   questions could not be asked;
 * - a date-first layout is not available: AWS services write account first,
 *   and the per-account prefix is what confines each delivery role to its
 *   own folder in the bucket policy.
 * What remains: an account whose first object arrives after the last apply
 * of log-archive is projected from the next apply on; until then each
 * table's `_any_account` twin (account injected) reads it when a query names
 * it (log-tables.ts anyAccountTable).
 *
 * One listing per root (S3 ListObjectsV2 with a delimiter: folders only).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
 */
import { DataAwsS3Objects } from "@cdktf/provider-aws/lib/data-aws-s3-objects";
import { Fn, TerraformLocal } from "cdktf";
import { Construct } from "constructs";

/** A folder whose sub-folders are named after (or by) account ids. */
export interface AccountFolderRoot {
  /** Construct id suffix. */
  readonly id: string;
  /** The folder, e.g. `cloudwatch-logs/` (sub-folders `account=<id>/`) or `vpc-flow-logs/AWSLogs/` (`<id>/`). */
  readonly prefix: string;
}

/**
 * Account ids in a listing's common prefixes, as the Terraform expression
 * computes them: the root removed, then every run of 12 digits.
 */
export function accountsFromCommonPrefixes(commonPrefixes: readonly string[], root: string): string[] {
  const text = commonPrefixes.join(",").split(root).join("");
  return text.match(/[0-9]{12}/g) ?? [];
}

/** The comma-separated list the tables project, computed the same way in TypeScript (for tests). */
export function accountValues(known: readonly string[], discovered: readonly string[]): string {
  return [...new Set([...known, ...discovered])].sort().join(",");
}

export interface ArchiveAccountsProps {
  /** The bucket, as a reference to its resource when the same stack creates it (read at plan time). */
  readonly bucket: string;
  /** Accounts always projected, whether or not they wrote yet. */
  readonly knownAccountIds: readonly string[];
  /** Folders to list. @default - none: the known accounts only */
  readonly roots?: readonly AccountFolderRoot[];
}

/** The account list, as a Terraform expression over the archive's listings. */
export class ArchiveAccounts extends Construct {
  /** Comma-separated, sorted, distinct account ids. */
  readonly values: string;

  constructor(scope: Construct, id: string, props: ArchiveAccountsProps) {
    super(scope, id);
    if (props.knownAccountIds.length === 0) {
      throw new Error(
        `ArchiveAccounts ${this.node.path}: knownAccountIds: expected at least one account (an empty enum projects nothing)`,
      );
    }
    const discovered = (props.roots ?? []).map((root) => {
      const listing = new DataAwsS3Objects(this, `Folders-${root.id}`, {
        bucket: props.bucket,
        prefix: root.prefix,
        delimiter: "/",
        // Folders count towards MaxKeys: room for every account an organization can hold.
        maxKeys: 100000,
      });
      return Fn.regexall("[0-9]{12}", Fn.replace(Fn.join(",", listing.commonPrefixes), root.prefix, ""));
    });
    // One local value that every table names, rather than the expression repeated in each.
    const list = new TerraformLocal(
      this,
      "Values",
      Fn.join(",", Fn.sort(Fn.distinct(Fn.concat([[...props.knownAccountIds].sort(), ...discovered])))),
    );
    this.values = list.asString;
  }
}
