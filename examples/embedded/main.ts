/**
 * An example of the library embedded in a cdktf app of your own: a platform
 * team's existing stacks, one per account, gain the CloudWatch Logs archive
 * by adding one construct each, with no registry and no stack of ours.
 *
 * - `LogArchiveAccountStack` is the log-archive account's own stack (it
 *   already holds, say, a parameter of the team's); `LogArchive` goes into it
 *   with two values: the organization and the Region. Its account is the
 *   provider's; every other setting takes the default the registry gives
 *   (LOG_ARCHIVE_DEFAULTS).
 * - `WorkloadAccountStack` is what an account factory stamps out for every
 *   new account and Region; `LogSource` goes into it, next to the team's own
 *   resources, with the Region and where the archive is. Its account is the
 *   provider's; every other setting takes its default (LOG_SOURCE_DEFAULTS).
 *
 * It imports only the package's public entry point. `npm run example`
 * synthesises it into examples/embedded/cdktf.out (CI does, after
 * `npm run build:lib`); `__tests__/examples/embedded.test.ts` checks what it
 * builds, and that it equals what the app builds from a registry with the
 * same settings.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { LogArchive, LogSource } from "cwl-log-archive";

export const ORGANIZATION_ID = "o-exampleorg1";
export const LOG_ARCHIVE_ACCOUNT = "123456789012";
export const HOME_REGION = "eu-west-1";

/** The log-archive account's existing stack, with the archive added. */
export class LogArchiveAccountStack extends TerraformStack {
  readonly archive: LogArchive;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: HOME_REGION, allowedAccountIds: [LOG_ARCHIVE_ACCOUNT] });
    // The team's own resource, untouched by the archive.
    new SsmParameter(this, "Owner", { name: "/platform/owner", type: "String", value: "security-engineering" });
    this.archive = new LogArchive(this, "CloudWatchLogsArchive", {
      organizationId: ORGANIZATION_ID,
      region: HOME_REGION,
    });
  }
}

/** What the account factory stamps out for each workload account and Region. */
export class WorkloadAccountStack extends TerraformStack {
  readonly logs: LogSource;

  constructor(scope: Construct, id: string, accountId: string, region: string) {
    super(scope, id);
    // The provider guards the account; LogSource reads it from the provider.
    new AwsProvider(this, "aws", { region, allowedAccountIds: [accountId] });
    new SsmParameter(this, "Baseline", { name: "/platform/baseline", type: "String", value: "v42" });
    this.logs = new LogSource(this, "CloudWatchLogsArchive", {
      region,
      // Literals: a source stack derives the archive's names, never reads its state.
      archive: { accountId: LOG_ARCHIVE_ACCOUNT, region: HOME_REGION },
    });
  }
}

export function buildExampleApp(outdir: string): App {
  const app = new App({ outdir });
  new LogArchiveAccountStack(app, "platform-log-archive");
  new WorkloadAccountStack(app, "platform-workload-210987654321-eu-west-1", "210987654321", "eu-west-1");
  return app;
}

if (require.main === module) {
  buildExampleApp(process.env.CDKTF_OUTDIR ?? "examples/embedded/cdktf.out").synth();
}
