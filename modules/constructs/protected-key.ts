/**
 * A customer-managed KMS key that cannot be lost by accident: rotation on,
 * the longest deletion window, an alias, and `prevent_destroy`.
 */
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";
import { policyDocument, toPolicyJson, type Statement } from "../policy/document";

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
  /** Escape hatch: the key resource. */
  readonly resource: KmsKey;
  readonly alias: KmsAlias;

  constructor(scope: Construct, id: string, props: ProtectedKeyProps) {
    super(scope, id);
    const deletionWindowInDays = props.deletionWindowInDays ?? 30;
    if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
      throw new Error(
        `ProtectedKey ${id}: deletionWindowInDays must be an integer from 7 to 30, got ${deletionWindowInDays}`,
      );
    }
    this.resource = new KmsKey(this, "Key", {
      region: props.region,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays,
      policy: toPolicyJson(policyDocument(props.statements)),
      lifecycle: { preventDestroy: true },
    });
    this.alias = new KmsAlias(this, "Alias", {
      region: props.region,
      name: props.alias,
      targetKeyId: this.resource.keyId,
    });
  }

  get arn(): string {
    return this.resource.arn;
  }
}
