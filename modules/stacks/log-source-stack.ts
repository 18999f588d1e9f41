/**
 * A `log-source-<accountId>-<region>` stack: the delivery pipeline of one
 * source account and Region into the archive.
 */
import type { Construct } from "constructs";
import type { Registry, SourceAccount } from "../registry/parse";
import { AccountStack } from "./account-stack";

export interface LogSourceStackProps {
  readonly registry: Registry;
  readonly account: SourceAccount;
  readonly region: string;
}

export class LogSourceStack extends AccountStack {
  constructor(scope: Construct, id: string, props: LogSourceStackProps) {
    super(scope, id, { registry: props.registry, accountId: props.account.id, region: props.region });
  }
}
