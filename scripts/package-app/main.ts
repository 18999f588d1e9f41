/**
 * The app `npm run check:package` builds outside the repository: a newcomer's
 * first cdktf app with the published package, its own cdktf, constructs and
 * AWS provider, and only the package's public entry point. Keep it the
 * smallest embed the public API allows: as props gain defaults, delete the
 * lines that restate them.
 *
 * In the repository it is type-checked against the source (tsconfig.json maps
 * "cwl-log-archive" to modules/index.ts); the check compiles it again in the
 * fresh app against the installed lib/index.d.ts, and synthesises it into
 * that app's cdktf.out.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, TerraformStack } from "cdktf";
import { LogArchive, LogSource } from "cwl-log-archive";

const ORGANIZATION_ID = "o-exampleorg1";
const ARCHIVE_ACCOUNT = "123456789012";
const ARCHIVE_REGION = "eu-west-1";
const SOURCE_ACCOUNT = "210987654321";

const app = new App();

const archiveStack = new TerraformStack(app, "archive");
new AwsProvider(archiveStack, "aws", { region: ARCHIVE_REGION });
new LogArchive(archiveStack, "Archive", {
  organizationId: ORGANIZATION_ID,
  accountId: ARCHIVE_ACCOUNT,
  region: ARCHIVE_REGION,
  archive: {
    retentionDays: 2557,
    noncurrentVersionRetentionDays: 365,
    transitions: [],
    minimumObjectSizeRule: "all_storage_classes_128K",
    abortIncompleteMultipartUploadDays: 7,
    replicationTimeControl: false,
    accessLogging: true,
    accessLogRetentionDays: 2557,
  },
  siem: { visibilityTimeoutSeconds: 300, messageRetentionSeconds: 345600, maxReceiveCount: 10 },
});

const sourceStack = new TerraformStack(app, "source");
new AwsProvider(sourceStack, "aws", { region: ARCHIVE_REGION });
new LogSource(sourceStack, "Source", {
  accountId: SOURCE_ACCOUNT,
  region: ARCHIVE_REGION,
  archiveAccountId: ARCHIVE_ACCOUNT,
  archiveRegion: ARCHIVE_REGION,
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
});

app.synth();
