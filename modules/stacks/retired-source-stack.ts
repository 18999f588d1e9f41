/**
 * The `log-source-<accountId>-<region>` stack of an account marked
 * `retired: true`: no resource at all, so that its plan destroys the
 * account's pipeline (Terraform destroys the subscription before the stream
 * it depends on, so no log group points at a deleted stream), and a
 * `removed` block for the pipeline key, which is left in AWS (the log groups'
 * older events are encrypted with it). Its one resource is the drain wait
 * (DrainWait), replaced so that its destroy-time wait runs between the
 * subscriptions' deletion and the stream's: what the stream buffers still
 * reaches the archive. Once applied, the account's file can be deleted: its
 * stacks are then no longer synthesised, and nothing plans.
 */
import { Construct } from "constructs";
import { DrainWait } from "../constructs/drain-wait";
import { retire } from "../constructs/retirement";
import { LogSource } from "../source/log-source";
import { AccountStack, type AccountStackProps } from "./account-stack";

export interface RetiredSourceStackProps extends AccountStackProps {
  /**
   * The buffering interval of the stream the account had in this Region;
   * undefined when it had none (the central topology): nothing to drain.
   */
  readonly drainBufferingIntervalSeconds?: number;
}

export class RetiredSourceStack extends AccountStack {
  constructor(scope: Construct, id: string, props: RetiredSourceStackProps) {
    super(scope, id, props);
    // The same construct path as a live source stack's LogSource ("Default"), so the addresses match.
    const source = new Construct(this, "Default");
    retire(source, LogSource.PROTECTED_CHILDREN);
    if (props.drainBufferingIntervalSeconds !== undefined) {
      new DrainWait(source, "Drain", {
        bufferingIntervalSeconds: props.drainBufferingIntervalSeconds,
        phase: "retired",
      });
    }
  }
}
