/**
 * A customer-managed KMS key that cannot be lost by accident: rotation on,
 * the longest deletion window, an alias, and `prevent_destroy` on both
 * (modules/constructs/retirement.ts: never destroyed by Terraform).
 */
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Token } from "cdktf";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson, type Statement } from "../policy/document";
import { PROTECTED, type ProtectedChild } from "./retirement";
import { throwIfProblems } from "./validation";

/**
 * What KMS accepts as the alias of a customer managed key: `alias/` and a
 * name of letters, digits, `/`, `_` and `-`, at most 256 characters in all,
 * never under `alias/aws/` (reserved for AWS managed keys).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-create.html
 */
const ALIAS = /^alias\/[A-Za-z0-9/_-]+$/;
const ALIAS_MAX_LENGTH = 256;

/**
 * Days KMS accepts as the waiting period of a scheduled key deletion.
 * @see https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
 */
const DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

export interface ProtectedKeyProps {
  /** What the key protects, shown in the console. */
  readonly description: string;
  /** Alias, including the `alias/` prefix. */
  readonly alias: string;
  /** Key policy statements. */
  readonly statements: readonly Statement[];
  /** Region of the key. @default - the stack's Region */
  readonly region?: string;
  /**
   * Days before a scheduled deletion takes effect (7-30).
   * @default 30 - the longest window AWS allows, to undo a mistaken deletion
   */
  readonly deletionWindowInDays?: number;
}

export class ProtectedKey extends Construct {
  /** What a ProtectedKey creates that guards data: retired, never destroyed, when it is no longer generated. */
  static readonly PROTECTED_CHILDREN: readonly ProtectedChild[] = [
    { type: "aws_kms_key", path: ["Key"] },
    { type: "aws_kms_alias", path: ["Alias"] },
  ];

  /** Escape hatch: the key resource. */
  readonly resource: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: ProtectedKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? DELETION_WINDOW_DAYS.max;
    const problems = [...aliasProblems(props.alias)];
    if (
      !Token.isUnresolved(deletionWindowInDays) &&
      !(
        Number.isInteger(deletionWindowInDays) &&
        deletionWindowInDays >= DELETION_WINDOW_DAYS.min &&
        deletionWindowInDays <= DELETION_WINDOW_DAYS.max
      )
    ) {
      problems.push(
        `deletionWindowInDays: expected a whole number of days from ${DELETION_WINDOW_DAYS.min} to ${DELETION_WINDOW_DAYS.max}, got ${deletionWindowInDays}`,
      );
    }
    throwIfProblems("ProtectedKey", this, problems);
    this.resource = new KmsKey(this, "Key", {
      region: props.region,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: toPolicyJson(policyDocument(props.statements)),
      lifecycle: PROTECTED,
    });
    // The alias is how the trail and the key account's readers find the key.
    this.alias = new KmsAlias(this, "Alias", {
      region: props.region,
      name: props.alias,
      targetKeyId: this.resource.keyId,
      lifecycle: PROTECTED,
    });
  }

  get arn(): string {
    return this.resource.arn;
  }
}

function aliasProblems(alias: string): string[] {
  if (Token.isUnresolved(alias)) return [];
  const got = `got ${JSON.stringify(alias)}`;
  if (!alias.startsWith("alias/")) return [`alias: expected a name starting with "alias/", ${got}`];
  if (alias.startsWith("alias/aws/")) {
    return [`alias: expected a name outside "alias/aws/", which AWS reserves for its managed keys, ${got}`];
  }
  if (!ALIAS.test(alias) || alias.length > ALIAS_MAX_LENGTH) {
    return [
      `alias: expected "alias/" and a name of letters, digits, /, _ and -, at most ${ALIAS_MAX_LENGTH} characters in all, ${got}`,
    ];
  }
  return [];
}
