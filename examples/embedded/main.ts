/**
 * An example of the library embedded in a cdktf app of your own: a platform
 * team's existing stacks, one per account, gain the CloudWatch Logs archive
 * by adding one construct each, with no registry and no stack of ours.
 *
 * - `LogArchiveAccountStack` is the log-archive account's own stack (it
 *   already holds, say, a bucket of the team's); `LogArchive` goes into it.
 * - `WorkloadAccountStack` is what an account factory stamps out for every
 *   new account; `LogSource` goes into it, next to the team's own resources.
 *
 * It imports only the package's public entry point. `npm run example`
 * synthesises it into examples/embedded/cdktf.out (CI does, after
 * `npm run build:lib`); `__tests__/examples/embedded.test.ts` checks what it
 * builds.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { App, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { LogArchive, LogSource } from "cwl-log-archive";

const ORGANIZATION_ID = "o-exampleorg1";
const LOG_ARCHIVE_ACCOUNT = "123456789012";
const HOME_REGION = "eu-west-1";

/** The log-archive account's existing stack, with the archive added. */
export class LogArchiveAccountStack extends TerraformStack {
  readonly archive: LogArchive;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: HOME_REGION, allowedAccountIds: [LOG_ARCHIVE_ACCOUNT] });
    // The team's own resource, untouched by the archive.
    new SsmParameter(this, "Owner", { name: "/platform/owner", type: "String", value: "security-engineering" });
    this.archive = new LogArchive(this, "CloudWatchLogsArchive", {
      accountId: LOG_ARCHIVE_ACCOUNT,
      region: HOME_REGION,
      organizationId: ORGANIZATION_ID,
      archive: {
        retentionDays: 2557,
        noncurrentVersionRetentionDays: 365,
        transitions: [
          { storageClass: "GLACIER_IR", days: 90 },
          { storageClass: "DEEP_ARCHIVE", days: 365 },
        ],
        minimumObjectSizeRule: "all_storage_classes_128K",
        abortIncompleteMultipartUploadDays: 7,
        replicationTimeControl: false,
        replicaRegion: "eu-central-1",
        accessLogging: true,
        accessLogRetentionDays: 2557,
      },
      siem: { visibilityTimeoutSeconds: 300, messageRetentionSeconds: 345600, maxReceiveCount: 10 },
    });
  }
}

/** What the account factory stamps out for each workload account and Region. */
export class WorkloadAccountStack extends TerraformStack {
  readonly logs: LogSource;

  constructor(scope: Construct, id: string, accountId: string, region: string) {
    super(scope, id);
    new AwsProvider(this, "aws", { region, allowedAccountIds: [accountId] });
    new SsmParameter(this, "Baseline", { name: "/platform/baseline", type: "String", value: "v42" });
    this.logs = new LogSource(this, "CloudWatchLogsArchive", {
      accountId,
      region,
      archiveAccountId: LOG_ARCHIVE_ACCOUNT,
      archiveRegion: HOME_REGION,
      delivery: "perAccount",
      firehose: {
        bufferingSizeMiB: 5,
        bufferingIntervalSeconds: 300,
        compression: "GZIP",
        messageExtraction: false,
        streamEncryption: "AWS_OWNED_CMK",
        errorLogRetentionDays: 365,
      },
      subscription: { mode: "all", filterPattern: "", excludeLogGroups: [], logGroups: [] },
      heartbeat: { intervalMinutes: 5, retentionDays: 30 },
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
