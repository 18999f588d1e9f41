// npm run check:package (CI, after npm run build:lib): the built package as a
// caller gets it. Requires "cwl-log-archive" by name (Node resolves the
// package's own "exports"), embeds LogArchive and LogSource in stacks of a
// fresh cdktf App from this project's node_modules (the library keeps cdktf
// external, so both share one construct tree), synthesises, and checks that
// the declarations name both constructs.
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const { App, TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const lib = require("cwl-log-archive");

function fail(message) {
  console.error(`check:package: ${message}`);
  process.exit(1);
}

for (const name of ["LogArchive", "LogSource", "SecureBucket", "archiveNames", "arn", "firehoseDataPrefix"]) {
  if (lib[name] === undefined) fail(`the package does not export ${name}`);
}
const types = readFileSync("lib/index.d.ts", "utf8");
for (const name of ["LogArchive", "LogArchiveProps", "LogSource", "LogSourceProps"]) {
  if (!types.includes(name)) fail(`lib/index.d.ts does not declare ${name}`);
}

const outdir = mkdtempSync(join(tmpdir(), "cwl-package-"));
try {
  const app = new App({ outdir });
  const archiveStack = new TerraformStack(app, "archive");
  new AwsProvider(archiveStack, "aws", { region: "eu-west-1" });
  new lib.LogArchive(archiveStack, "Archive", {
    accountId: "123456789012",
    region: "eu-west-1",
    organizationId: "o-exampleorg1",
    archive: {
      retentionDays: 400,
      noncurrentVersionRetentionDays: 30,
      transitions: [],
      minimumObjectSizeRule: "all_storage_classes_128K",
      abortIncompleteMultipartUploadDays: 7,
      replicationTimeControl: false,
      accessLogging: false,
      accessLogRetentionDays: 400,
    },
    siem: { visibilityTimeoutSeconds: 300, messageRetentionSeconds: 345600, maxReceiveCount: 10 },
  });
  const sourceStack = new TerraformStack(app, "source");
  new AwsProvider(sourceStack, "aws", { region: "eu-west-1" });
  new lib.LogSource(sourceStack, "Logs", {
    accountId: "210987654321",
    region: "eu-west-1",
    archiveAccountId: "123456789012",
    archiveRegion: "eu-west-1",
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
  const stacks = readdirSync(join(outdir, "stacks")).sort();
  if (stacks.join(",") !== "archive,source") fail(`unexpected stacks ${stacks}`);
  const source = JSON.parse(readFileSync(join(outdir, "stacks", "source", "cdk.tf.json"), "utf8"));
  if (!source.resource.aws_kinesis_firehose_delivery_stream) fail("the source stack has no delivery stream");
  const archive = JSON.parse(readFileSync(join(outdir, "stacks", "archive", "cdk.tf.json"), "utf8"));
  if (!archive.resource.aws_s3_bucket) fail("the archive stack has no bucket");
  console.log("check:package: the built package embeds LogArchive and LogSource in a caller's stacks");
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
