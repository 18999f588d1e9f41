/**
 * The `log-source-<accountId>-<region>` stack of an account marked
 * `retired: true`: no resource at all, so that its plan destroys the
 * account's pipeline (Terraform destroys the subscription before the stream
 * it depends on, so no log group points at a deleted stream), and a
 * `removed` block for the pipeline key, which is left in AWS (the log groups'
 * older events are encrypted with it). Once applied, the account's file can
 * be deleted: its stacks are then no longer synthesised, and nothing plans.
 */
import { Construct } from "constructs";
import { retire } from "../constructs/retirement";
import { LogSource } from "../source/log-source";
import { AccountStack, type AccountStackProps } from "./account-stack";

export class RetiredSourceStack extends AccountStack {
  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id, props);
    // The same construct path as a live source stack's LogSource ("Default"), so the addresses match.
    retire(new Construct(this, "Default"), LogSource.PROTECTED_CHILDREN);
  }
}
