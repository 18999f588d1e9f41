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
// The smallest embed: the organization and the Region (the account is given
// here so that the source stack can name the archive without its state).
new LogArchive(archiveStack, "Archive", {
  organizationId: ORGANIZATION_ID,
  region: ARCHIVE_REGION,
  accountId: ARCHIVE_ACCOUNT,
});

const sourceStack = new TerraformStack(app, "source");
new AwsProvider(sourceStack, "aws", { region: ARCHIVE_REGION });
new LogSource(sourceStack, "Source", {
  region: ARCHIVE_REGION,
  accountId: SOURCE_ACCOUNT,
  archive: { accountId: ARCHIVE_ACCOUNT, region: ARCHIVE_REGION },
});

app.synth();
