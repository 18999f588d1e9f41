/**
 * atlantis.yaml from the registry: one project per stack folder, the archive
 * planned and applied before the sources, and autoplan scoped so that a pull
 * request plans only the stacks its changes can affect:
 *
 * - code, dependencies and cdktf.json: every stack;
 * - the registry file (organisation-wide settings, inline accounts): every stack;
 * - an account file `<accountFiles>/<id>.yaml`: that account's stacks, and
 *   `log-archive` when Athena is on (its tables project the account ids).
 *
 * In the `committed` mode (deployment.atlantisMode) the synthesised stacks
 * are in the repository: each project plans only when its own cdk.tf.json
 * changes, so a change to the code plans exactly the stacks whose Terraform
 * changed, and no pre-workflow hook synthesises anything.
 *
 * Paths in `when_modified` are relative to the project's `dir`, as Atlantis reads them.
 *
 * The workflow's `policy_check` stage runs the plan gate (security/plan-gate,
 * docs/plan-gate.md) through Atlantis's built-in conftest integration on the
 * plan JSON ($SHOWFILE); it runs only on a server started with
 * `--enable-policy-checks` and a policy set in its repos.yaml.
 */
import { posix } from "node:path";
import { ARCHIVE_STACK, GUARDRAILS_STACK, KEYS_STACK, STACKS_DIR, TRAIL_STACK } from "../naming/names";
import type { Registry } from "../registry/parse";
import { hasGuardrailsStack, hasKeysStack, hasTrailStack, sourceTargets } from "../app/build-app";
import { deliveryWatchEnabled } from "../registry/settings";

/** Files whose change can affect every stack, relative to the repository root. */
export const SHARED_INPUTS = [
  "main.ts",
  "modules/**/*.ts",
  "package.json",
  "package-lock.json",
  "cdktf.json",
  "tsconfig.json",
  "scripts/build.mjs",
] as const;

export { STACKS_DIR };
export const WORKFLOW = "cdktf";

export interface AtlantisInputs {
  readonly registry: Registry;
  /** The registry file, relative to the repository root. */
  readonly registryFile: string;
  /** Account id -> its account file, relative to the repository root, for accounts defined in one. */
  readonly accountFiles: ReadonlyMap<string, string>;
}

export interface AtlantisProject {
  name: string;
  dir: string;
  workflow: string;
  execution_order_group: number;
  depends_on?: string[];
  autoplan: { enabled: true; when_modified: string[] };
}

export interface AtlantisConfig {
  version: 3;
  automerge: false;
  parallel_plan: true;
  parallel_apply: true;
  abort_on_execution_order_fail: true;
  projects: AtlantisProject[];
  workflows: Record<string, unknown>;
}

/** A repository path as seen from a project directory. */
function fromProject(dir: string, repoPath: string): string {
  return posix.relative(dir, repoPath) || ".";
}

function projectOf(
  name: string,
  inputs: readonly string[],
  order: number,
  committed: boolean,
  dependsOn: readonly string[],
): AtlantisProject {
  const dir = `${STACKS_DIR}/${name}`;
  return {
    name,
    dir,
    workflow: WORKFLOW,
    execution_order_group: order,
    // Atlantis applies a project only once the projects it depends on are applied.
    ...(dependsOn.length > 0 ? { depends_on: [...dependsOn] } : {}),
    autoplan: {
      enabled: true,
      // Committed: the stack's own Terraform is the only input that matters.
      when_modified: committed ? ["cdk.tf.json"] : ["*.tf*", ...inputs.map((p) => fromProject(dir, p))],
    },
  };
}

/**
 * The policy check stage: `show` writes the plan JSON to $SHOWFILE, and
 * `policy_check` runs conftest on it with each policy set of the server-side
 * repos.yaml. Conftest reads the policies from the policy sets' paths on the
 * Atlantis server, not from the pull request's checkout, so a pull request
 * cannot loosen the gate that checks it. The gate's package is conftest's
 * default namespace (`main`): no extra arguments.
 * @see https://www.runatlantis.io/docs/policy-checking
 * @see https://www.runatlantis.io/docs/custom-workflows#custom-run-command
 */
export const POLICY_CHECK_STEPS = ["show", "policy_check"] as const;

/** The plan steps: in the synthesize mode, refuse to plan a stack the hook did not synthesise. */
function planSteps(committed: boolean): unknown[] {
  const missing = committed
    ? 'test -f cdk.tf.json || { echo "this stack is not committed: run npx cdktf synth and commit cdktf.out/stacks"; exit 1; }'
    : 'test -f cdk.tf.json || { echo "cdktf.out is not synthesised: add the pre-workflow hook of docs/deploying.md (Atlantis)"; exit 1; }';
  return [{ run: missing }, "init", "plan"];
}

export function atlantisConfig(inputs: AtlantisInputs): AtlantisConfig {
  const committed = inputs.registry.deployment.atlantisMode === "committed";
  const project = (name: string, projectInputs: readonly string[], order: number, dependsOn: readonly string[] = []) =>
    projectOf(name, projectInputs, order, committed, dependsOn);
  const shared = [...SHARED_INPUTS, inputs.registryFile];
  // The archive stack reads every account (Athena's projection, the delivery watch's sources,
  // the keys' policies): any account file changes it, including one added or deleted, which a
  // glob over the account files' folder matches and a list of today's files would not.
  const accountFolders = [...new Set([...inputs.accountFiles.values()].map((file) => posix.dirname(file)))].sort();
  const everyAccount = [...shared, ...accountFolders.map((folder) => `${folder}/*.yaml`)];
  const readsAccounts = inputs.registry.monitoring.athena.enabled || deliveryWatchEnabled(inputs.registry);
  const archiveInputs = readsAccounts ? everyAccount : shared;
  // Apply order: the keys, then the archive, then the trail and the sources, then the guardrails.
  const keys = hasKeysStack(inputs.registry);
  const archiveOrder = keys ? 1 : 0;
  // Each project depends on what it reads: the archive on the keys, everything else on the archive.
  const projects = [
    ...(keys ? [project(KEYS_STACK, everyAccount, 0)] : []),
    project(ARCHIVE_STACK, archiveInputs, archiveOrder, keys ? [KEYS_STACK] : []),
  ];
  if (hasTrailStack(inputs.registry)) {
    projects.push(project(TRAIL_STACK, shared, archiveOrder + 1, [ARCHIVE_STACK]));
  }
  for (const target of sourceTargets(inputs.registry)) {
    const own = inputs.accountFiles.get(target.account.id);
    projects.push(project(target.stackName, own ? [...shared, own] : shared, archiveOrder + 1, [ARCHIVE_STACK]));
  }
  // The guardrails, in the management account like the trail, after the
  // sources; every account file can change their listed log groups.
  if (hasGuardrailsStack(inputs.registry)) {
    projects.push(project(GUARDRAILS_STACK, everyAccount, archiveOrder + 2, [ARCHIVE_STACK]));
  }
  return {
    version: 3,
    automerge: false,
    parallel_plan: true,
    parallel_apply: true,
    abort_on_execution_order_fail: true,
    projects,
    workflows: {
      [WORKFLOW]: {
        plan: { steps: planSteps(committed) },
        policy_check: { steps: [...POLICY_CHECK_STEPS] },
        apply: { steps: ["apply"] },
      },
    },
  };
}

/**
 * The comment atlantis.yaml starts with: what wrote it (the first line, which
 * `npm run check` reads), and the first deployment of the roles the projects
 * assume. Comments only: Atlantis and the check read the YAML, not these.
 */
export function atlantisHeader(registry: Registry, registryFile: string): string {
  const lines = [`Generated by \`npm run atlantis\` from ${registryFile}; do not edit by hand.`];
  const { deployment, atlantis } = registry;
  if (atlantis.access.enabled) {
    lines.push(
      "First deployment: apply log-access in the management account, with its own administrator",
      "credentials (npx cdktf deploy log-access): its StackSet creates the role",
      `${deployment.roleName} in every account of atlantis.access.targetIds (and every account that`,
      "joins them later), trusted only by the Atlantis server's roles. Then let Atlantis plan:",
      "no step by hand per account.",
    );
  } else if (deployment.credentials === "assumeRole") {
    lines.push(
      `First deployment: every project assumes the role ${deployment.roleName} in its account, which`,
      "must exist there and trust the Atlantis server. Or let log-access create a role of its own",
      "in every account from the management account: atlantis.access (docs/deploying.md, Atlantis).",
    );
  }
  return lines.map((line) => `# ${line}\n`).join("");
}
