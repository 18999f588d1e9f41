/**
 * npm run verify: the live verification of a sandbox deployment
 * (modules/verify/cli.ts; `--help` says what it does). This file is only the
 * process, the file system and the AWS SDK clients around it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { registryFileFromEnv, registrySources } from "../modules/registry/load";
import {
  alarmsPort,
  assumedConfig,
  callerIdentity,
  iamPort,
  logsPort,
  s3Port,
  stsPort,
  type ClientConfig,
} from "../modules/verify/aws-ports";
import { runVerifyCli, type Credentials } from "../modules/verify/cli";
import { toolVersionOf } from "../modules/verify/tool-version";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function toolVersion() {
  const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
  const git = (...args: string[]) =>
    execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  return toolVersionOf(git, version);
}

async function configFor(credentials: Credentials, region: string, session: string): Promise<ClientConfig> {
  if (credentials.role) return assumedConfig({ region }, credentials.role, session);
  return { region, profile: credentials.profile };
}

runVerifyCli(process.argv.slice(2), {
  registryFile: registryFileFromEnv(process.env),
  readRegistrySources: registrySources,
  synthesisedStacks: (names) =>
    new Map(
      names
        .map((name) => [name, `cdktf.out/stacks/${name}/cdk.tf.json`] as const)
        .filter(([, file]) => existsSync(file))
        .map(([name, file]) => [name, JSON.parse(readFileSync(file, "utf8")) as unknown]),
    ),
  readText: (file) => readFileSync(file, "utf8"),
  writeText: (file, text) => writeFileSync(file, text),
  makeDirectory: (dir) => mkdirSync(dir, { recursive: true }),
  now: () => Date.now(),
  async makePorts(args, target, runId) {
    const session = `verify-${runId}`.slice(0, 64);
    const archive = await configFor(args.archive, target.archiveRegion, session);
    const source = await configFor(args.source, target.sourceRegion, session);
    const readerVia =
      args.reader.profile || args.reader.role ? await configFor(args.reader, target.archiveRegion, session) : archive;
    const analystVia =
      args.analyst.profile || args.analyst.role
        ? await configFor(args.analyst, target.archiveRegion, session)
        : archive;
    return {
      archive: {
        s3: s3Port(archive),
        logs: logsPort(archive, sleep),
        alarms: alarmsPort(archive),
        sts: stsPort(archive, session),
      },
      source: { s3: s3Port(source), logs: logsPort(source, sleep), iam: iamPort(source), alarms: alarmsPort(source) },
      readerVia: stsPort(readerVia, session),
      analystVia: stsPort(analystVia, session),
      clock: { now: () => Date.now(), sleep },
    };
  },
  async makeCleanupPorts(args, report) {
    const session = `verify-cleanup-${report.runId}`.slice(0, 64);
    const archive = await configFor(args.archive, report.target.archiveRegion, session);
    const source = await configFor(args.source, report.target.sourceRegion, session);
    return { sourceLogs: logsPort(source, sleep), archiveS3: s3Port(archive) };
  },
  async callerIdentity(set) {
    return callerIdentity(await configFor(set.credentials, set.region, `verify-whoami-${set.name}`));
  },
  defaultProfile: process.env.AWS_PROFILE,
  toolVersion,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`verify: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
