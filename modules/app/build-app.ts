/**
 * Builds the cdktf App from a validated registry: the `log-archive` stack, the
 * `log-keys`, `log-organization-trail` and `log-guardrails` stacks when the
 * registry asks for them, and one `log-source-<accountId>-<region>` stack per
 * source account and Region.
 * Stacks are created in stack-name order so that reordering the registry
 * changes nothing in the output.
 */
import { App, type TerraformStack } from "cdktf";
import { ARCHIVE_STACK, GUARDRAILS_STACK, KEYS_STACK, sourceStackName, TRAIL_STACK } from "../naming/names";
import type { Registry, SourceAccount } from "../registry/parse";
import { accessStackEnabled, guardrailsEnabled, sourceSettings } from "../registry/settings";
import { ACCESS_STACK, WORKSPACES_STACK } from "../naming/terraform-cloud";
import { LogAccessStack } from "../stacks/log-access-stack";
import { LogArchiveStack } from "../stacks/log-archive-stack";
import { LogGuardrailsStack } from "../stacks/log-guardrails-stack";
import { LogKeysStack } from "../stacks/log-keys-stack";
import { LogSourceStack } from "../stacks/log-source-stack";
import { LogWorkspacesStack } from "../stacks/log-workspaces-stack";
import { OrganizationTrailStack } from "../stacks/organization-trail-stack";
import { RetiredSourceStack } from "../stacks/retired-source-stack";

export interface BuildAppOptions {
  /** Directory the App synthesises into. */
  readonly outdir: string;
  /** Build only these stacks (a shard of a parallel synthesis). @default - every stack */
  readonly only?: ReadonlySet<string>;
  /** Called once per stack as it is synthesised (progress reporting). @default - nothing */
  readonly onStackSynthesized?: () => void;
  /**
   * Called once per stack with the Terraform JSON cdktf is about to write as
   * its cdk.tf.json (policies.json is read from it). @default - nothing
   */
  readonly onStackTerraform?: (stackName: string, terraform: unknown) => void;
}

/** Calls the options' callbacks whenever `stack` has been turned into Terraform JSON. */
function reportSynthesis(stack: TerraformStack, options: BuildAppOptions): void {
  const { onStackSynthesized, onStackTerraform } = options;
  if (!onStackSynthesized && !onStackTerraform) return;
  const toTerraform = stack.toTerraform.bind(stack);
  stack.toTerraform = () => {
    const json: unknown = toTerraform();
    onStackTerraform?.(stack.node.id, json);
    onStackSynthesized?.();
    return json;
  };
}

export interface SourceTarget {
  readonly stackName: string;
  readonly account: SourceAccount;
  readonly region: string;
  /** The account is being offboarded: its stack is synthesised empty, so that its plan removes the pipeline. */
  readonly retired: boolean;
}

/** Every source stack the registry implies, retired accounts' included, sorted by stack name. */
export function sourceTargets(registry: Registry): SourceTarget[] {
  const targets = (accounts: readonly SourceAccount[], retired: boolean) =>
    accounts.flatMap((account) =>
      account.regions.map((region) => ({ stackName: sourceStackName(account.id, region), account, region, retired })),
    );
  return [...targets(registry.accounts, false), ...targets(registry.retiredAccounts, true)].sort((a, b) =>
    a.stackName < b.stackName ? -1 : a.stackName > b.stackName ? 1 : 0,
  );
}

/** Whether the registry asks for the organization trail's own stack. */
export function hasTrailStack(registry: Registry): boolean {
  const { cloudTrail } = registry.sources;
  return cloudTrail.enabled && cloudTrail.createTrail && cloudTrail.managementAccountId !== undefined;
}

/** Whether the registry keeps the archive's keys in a key-management account (stack log-keys). */
export function hasKeysStack(registry: Registry): boolean {
  return registry.keys !== undefined;
}

/** Whether the registry asks for the organization guardrails' stack (log-guardrails, in the management account). */
export function hasGuardrailsStack(registry: Registry): boolean {
  return guardrailsEnabled(registry);
}

/** Whether the registry asks for the trust stack (log-access, management account): Terraform Cloud's or Atlantis's. */
export function hasAccessStack(registry: Registry): boolean {
  return accessStackEnabled(registry);
}

/** Whether the registry asks for the Terraform Cloud workspaces' stack (log-workspaces). */
export function hasWorkspacesStack(registry: Registry): boolean {
  return registry.terraformCloud.workspaces.enabled;
}

/**
 * Every stack name the registry implies, in apply order: with Terraform
 * Cloud as code, the trust (log-access) and the workspaces (log-workspaces)
 * first; then the keys, the archive, the trail, the sources, then the
 * guardrails (which exempt the deployment role, but should not stand in the
 * way of a first apply).
 */
export function stackNames(registry: Registry): string[] {
  return [
    ...(hasAccessStack(registry) ? [ACCESS_STACK] : []),
    ...(hasWorkspacesStack(registry) ? [WORKSPACES_STACK] : []),
    ...(hasKeysStack(registry) ? [KEYS_STACK] : []),
    ARCHIVE_STACK,
    ...(hasTrailStack(registry) ? [TRAIL_STACK] : []),
    ...sourceTargets(registry).map((t) => t.stackName),
    ...(hasGuardrailsStack(registry) ? [GUARDRAILS_STACK] : []),
  ];
}

export function buildApp(registry: Registry, options: BuildAppOptions): App {
  const app = new App({ outdir: options.outdir, skipValidation: false });
  const wanted = (name: string) => options.only === undefined || options.only.has(name);
  const report = (stack: TerraformStack) => reportSynthesis(stack, options);
  if (hasAccessStack(registry) && wanted(ACCESS_STACK)) {
    report(new LogAccessStack(app, ACCESS_STACK, { registry, stacks: stackNames(registry) }));
  }
  if (hasWorkspacesStack(registry) && wanted(WORKSPACES_STACK)) {
    report(new LogWorkspacesStack(app, WORKSPACES_STACK, { registry, stacks: stackNames(registry) }));
  }
  if (hasKeysStack(registry) && wanted(KEYS_STACK)) report(new LogKeysStack(app, KEYS_STACK, { registry }));
  if (wanted(ARCHIVE_STACK)) report(new LogArchiveStack(app, ARCHIVE_STACK, { registry }));
  if (hasTrailStack(registry) && wanted(TRAIL_STACK)) {
    report(new OrganizationTrailStack(app, TRAIL_STACK, { registry }));
  }
  for (const target of sourceTargets(registry)) {
    if (!wanted(target.stackName)) continue;
    const { account, region } = target;
    report(
      target.retired
        ? new RetiredSourceStack(app, target.stackName, {
            registry,
            accountId: account.id,
            region,
            drainBufferingIntervalSeconds: drainIntervalOf(registry, account),
          })
        : new LogSourceStack(app, target.stackName, { registry, account, region }),
    );
  }
  if (hasGuardrailsStack(registry) && wanted(GUARDRAILS_STACK)) {
    report(new LogGuardrailsStack(app, GUARDRAILS_STACK, { registry }));
  }
  return app;
}

/** The buffering interval of the stream a retired account had, or undefined when it delivered centrally. */
function drainIntervalOf(registry: Registry, account: Parameters<typeof sourceSettings>[1]): number | undefined {
  const settings = sourceSettings(registry, account);
  return settings.delivery === "central" ? undefined : settings.firehose.bufferingIntervalSeconds;
}
