/**
 * The minimal embed builds what the app builds: the example's LogArchive
 * (organization and Region only) and LogSource (Region and archive only)
 * against the app's log-archive and log-source stacks for a registry with the
 * same settings, resource by resource and data source by data source.
 *
 * What differs on purpose, and is set aside here:
 * - the stacks themselves (names, provider, backend, outputs, the example's
 *   own parameter): only what the constructs build is compared;
 * - construct paths and logical ids: the example's construct is
 *   `CloudWatchLogsArchive`, the app's is `Default`; resources are keyed by
 *   type and path inside the construct, and references are rewritten to those
 *   keys;
 * - the account: the example reads it from the provider (the
 *   `aws_caller_identity` data source), the app writes the registry's
 *   literal. The references are replaced with the account the provider would
 *   return (a quoted string inside an expression), and the data source itself
 *   is set aside.
 * The registries use ambient credentials: with assumeRole, the app exempts
 * its deployment role from tamper notifications, which an embedder names
 * itself (tamper.exemptRoleArns).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { App } from "cdktf";
import { buildExampleApp, HOME_REGION, LOG_ARCHIVE_ACCOUNT, ORGANIZATION_ID } from "../../examples/embedded/main";
import { buildApp } from "../../modules/app/build-app";
import { parseRegistry } from "../../modules/registry/parse";

const WORKLOAD = "210987654321";

type Blocks = Record<string, Record<string, Record<string, unknown> & { "//"?: { metadata: { path: string } } }>>;
interface StackJson {
  resource?: Blocks;
  data?: Blocks;
  locals?: Record<string, unknown>;
}

function synthStacks(build: (outdir: string) => App, names: readonly string[]): StackJson[] {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-embed-equal-"));
  try {
    build(outdir).synth();
    return names.map((name) => JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * What the construct with id `constructId` built in `stack`, keyed by
 * `<type> <path inside the construct>`, references rewritten to those keys,
 * the provider's account replaced with `accountId`.
 */
function built(stack: StackJson, constructId: string, accountId: string): Record<string, unknown> {
  const keys = new Map<string, string>();
  const entries: [string, Record<string, unknown>][] = [];
  for (const [kind, blocks] of [
    ["resource", stack.resource ?? {}],
    ["data", stack.data ?? {}],
  ] as const) {
    for (const [type, byId] of Object.entries(blocks)) {
      for (const [logicalId, body] of Object.entries(byId)) {
        const [, owner, ...inside] = body["//"]!.metadata.path.split("/");
        if (owner !== constructId || type === "aws_caller_identity") continue;
        const key = `${kind === "data" ? "data." : ""}${type}.${inside.join("/")}`;
        keys.set(`${kind === "data" ? "data." : ""}${type}.${logicalId}`, key);
        const rest = { ...body };
        delete rest["//"];
        entries.push([key, rest]);
      }
    }
  }
  // Locals are named by logical id (the construct's path and a hash): named here by that path.
  const locals = Object.keys(stack.locals ?? {});
  for (const local of locals) {
    const inside = local.replace(new RegExp(`^${constructId}_`), "").replace(/_[0-9A-F]{8}$/, "");
    keys.set(`local.${local}`, `local.${inside}`);
  }
  const references = [...keys.keys()].sort((a, b) => b.length - a.length);
  const rewrite = (text: string) =>
    references
      .reduce((t, ref) => t.split(ref).join(keys.get(ref)!), text)
      .replace(/\$\{data\.aws_caller_identity\.[A-Za-z0-9_]+\.account_id\}/g, accountId)
      // Inside an expression the account is a quoted string (escaped, as this is JSON text).
      .replace(/data\.aws_caller_identity\.[A-Za-z0-9_]+\.account_id/g, `\\"${accountId}\\"`);
  const result = Object.fromEntries(entries.map(([key, body]) => [key, JSON.parse(rewrite(JSON.stringify(body)))]));
  // The locals the construct's resources read, with their values.
  for (const local of locals) {
    const key = keys.get(`local.${local}`)!;
    if (JSON.stringify(result).includes(`\${${key}}`))
      result[key] = JSON.parse(rewrite(JSON.stringify(stack.locals![local])));
  }
  return result;
}

const registry = (accounts: string) =>
  parseRegistry(
    `organization:
  id: ${ORGANIZATION_ID}
logArchive:
  accountId: "${LOG_ARCHIVE_ACCOUNT}"
  region: ${HOME_REGION}
deployment:
  credentials: ambient
accounts: ${accounts}
`,
    "embedded.yaml",
  );

describe("GIVEN the minimal embed of examples/embedded and a registry with the same settings", () => {
  const [exampleArchive, exampleSource] = synthStacks(buildExampleApp, [
    "platform-log-archive",
    `platform-workload-${WORKLOAD}-eu-west-1`,
  ]);

  test("THEN LogArchive builds what the app's log-archive stack builds (a registry with no source yet)", () => {
    const [appArchive] = synthStacks((outdir) => buildApp(registry("[]"), { outdir }), ["log-archive"]);
    const embedded = built(exampleArchive!, "CloudWatchLogsArchive", LOG_ARCHIVE_ACCOUNT);
    expect(Object.keys(embedded).length).toBeGreaterThan(50);
    expect(embedded).toEqual(built(appArchive!, "Default", LOG_ARCHIVE_ACCOUNT));
  });

  test("THEN LogSource builds what the app's log-source stack builds (whose account also has us-east-1, which watches its roles)", () => {
    const [appSource] = synthStacks(
      (outdir) =>
        buildApp(registry(`\n  - { id: "${WORKLOAD}", name: workload, regions: [eu-west-1, us-east-1] }`), {
          outdir,
        }),
      [`log-source-${WORKLOAD}-eu-west-1`],
    );
    const embedded = built(exampleSource!, "CloudWatchLogsArchive", WORKLOAD);
    expect(Object.keys(embedded).length).toBeGreaterThan(10);
    expect(embedded).toEqual(built(appSource!, "Default", WORKLOAD));
  });
});
