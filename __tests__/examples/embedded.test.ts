/**
 * The example app (examples/embedded/main.ts): the library embedded in a
 * caller's own stacks, next to the caller's own resources, with the caller's
 * provider, through the public entry point only.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildExampleApp } from "../../examples/embedded/main";
import { resourcesOf, type TfJson } from "../helpers/synth";

function synthExample(): Record<string, TfJson> {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-example-"));
  try {
    buildExampleApp(outdir).synth();
    return Object.fromEntries(
      readdirSync(join(outdir, "stacks")).map((name) => [
        name,
        JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as TfJson,
      ]),
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

describe("examples/embedded", () => {
  const stacks = synthExample();
  const archive = stacks["platform-log-archive"]!;
  const workload = stacks["platform-workload-210987654321-eu-west-1"]!;

  test("the caller's stacks keep their own provider and resources", () => {
    for (const stack of [archive, workload]) {
      expect(stack.provider.aws).toHaveLength(1);
      expect(resourcesOf(stack, "aws_ssm_parameter")).toHaveLength(1);
    }
  });

  test("LogArchive brings the archive, named with the provider's account, and the SIEM queue into the caller's stack", () => {
    const [account] = Object.keys(archive.data?.aws_caller_identity ?? {});
    const buckets = resourcesOf(archive, "aws_s3_bucket").map(([, b]) => b.bucket);
    expect(buckets).toContain(`cwl-archive-\${data.aws_caller_identity.${account}.account_id}-eu-west-1`);
    expect(resourcesOf(archive, "aws_sqs_queue").map(([, q]) => q.name)).toContain("cwl-archive-siem-notifications");
  });

  test("LogSource brings the stream into the caller's stack, writing into the archive by name", () => {
    const [[, stream]] = resourcesOf(workload, "aws_kinesis_firehose_delivery_stream");
    expect(stream.extended_s3_configuration.bucket_arn).toBe("arn:aws:s3:::cwl-archive-123456789012-eu-west-1");
    expect(resourcesOf(workload, "aws_cloudwatch_log_account_policy")).toHaveLength(1);
  });

  test("the example imports only the package's public entry point", () => {
    const source = readFileSync("examples/embedded/main.ts", "utf8");
    const imports = [...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect(imports.filter((i) => i!.startsWith(".") || i!.includes("modules/"))).toEqual([]);
    expect(imports).toContain("cwl-log-archive");
  });
});
