/**
 * The first apply needs no retry: every resource that the AWS provider does
 * not retry on IAM eventual consistency waits, in the dependency graph
 * Terraform builds from the synthesised JSON, for an explicit propagation
 * wait that itself follows the role and its policy.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency
 */
import { loadRegistry } from "../../modules/registry/load";
import { corpusStacks, fixtureTest, label, type CorpusStack } from "../helpers/corpus";
import { registryWith } from "../helpers/registry";
import { resourcesOf, synthRegistry, type TfJson } from "../helpers/synth";

/** Edges of Terraform's graph: explicit depends_on and `${type.name...}` references. */
function dependencies(stack: TfJson): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [type, byName] of Object.entries(stack.resource)) {
    for (const [name, config] of Object.entries(byName)) {
      const rest = { ...(config as Record<string, unknown>) };
      delete rest["//"];
      const text = JSON.stringify(rest);
      const refs = [...text.matchAll(/\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[.}]/g)].map((m) => m[1]!);
      const explicit = (rest.depends_on as string[] | undefined) ?? [];
      graph.set(`${type}.${name}`, new Set([...refs, ...explicit].filter((d) => !d.startsWith("data."))));
    }
  }
  return graph;
}

function ancestors(graph: Map<string, Set<string>>, start: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(start) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(graph.get(next) ?? []));
  }
  return seen;
}

/** Subscriptions that CloudWatch Logs validates against the subscription role when they are put. */
function subscriptions(stack: TfJson): string[] {
  return [
    ...resourcesOf(stack, "aws_cloudwatch_log_account_policy").map(([n]) => `aws_cloudwatch_log_account_policy.${n}`),
    ...resourcesOf(stack, "aws_cloudwatch_log_subscription_filter").map(
      ([n]) => `aws_cloudwatch_log_subscription_filter.${n}`,
    ),
  ];
}

const sourceStacks = corpusStacks().filter((s) => s.stack.startsWith("log-source-"));
/** Whether a stack belongs to an account its registry marks `retired: true`. */
function isRetired(s: CorpusStack): boolean {
  return loadRegistry(s.registry).retiredAccounts.some((a) => s.stack.startsWith(`log-source-${a.id}-`));
}
/** A retired account's stacks keep no subscription (only what retiring needs), so nothing waits for IAM there. */
const activeSourceStacks = sourceStacks.filter((s) => !isRetired(s));

describe("apply order", () => {
  fixtureTest("the corpus has source stacks in both subscription modes", () => {
    const types = new Set(sourceStacks.flatMap((s) => Object.keys(s.json.resource)));
    expect(types).toContain("aws_cloudwatch_log_account_policy");
    expect(types).toContain("aws_cloudwatch_log_subscription_filter");
  });

  test("a retired account's stacks keep no subscription", () => {
    // Over every retired account's stacks, however many (an organization's registry may have none).
    const keeping = sourceStacks.filter(isRetired).filter((s) => subscriptions(s.json).length > 0);
    expect(keeping.map(label)).toEqual([]);
  });

  fixtureTest("the corpus has a retired account's stack (the case above)", () => {
    expect(sourceStacks.filter(isRetired).length).toBeGreaterThan(0);
  });

  test.each(activeSourceStacks.map((s) => [label(s), s] as const))(
    "%s: every subscription waits for IAM to propagate the subscription role and its policy",
    (_label, { json }) => {
      const graph = dependencies(json);
      // The IAM wait, found by its construct path (the drain wait runs only on destroy).
      const waits = resourcesOf(json, "terraform_data")
        .filter(([, config]) => String(config["//"]?.metadata?.path).endsWith("/SubscriptionRolePropagation/Wait"))
        .map(([name, config]) => ({ address: `terraform_data.${name}`, config }));
      expect(waits).toHaveLength(1);
      const wait = waits[0]!;
      // The wait is a real pause, run by Terraform itself (no provider binary).
      expect(wait.config.provisioner).toEqual([
        { "local-exec": { command: expect.stringMatching(/^sleep [1-9]\d*$/) } },
      ]);
      // Found by its construct path, not its name: a registry's prefix may contain anything.
      const role = resourcesOf(json, "aws_iam_role").find(([, r]) =>
        String(r["//"]?.metadata?.path).endsWith("/SubscriptionRole/Role"),
      );
      expect(role).toBeDefined();
      const roleAddress = `aws_iam_role.${role![0]}`;
      const rolePolicy = resourcesOf(json, "aws_iam_role_policy").find(([, p]) => p.role.includes(role![0]));
      const waitAfter = ancestors(graph, wait.address);
      expect(waitAfter).toContain(roleAddress);
      expect(waitAfter).toContain(`aws_iam_role_policy.${rolePolicy![0]}`);
      // A changed role or policy replaces the wait, so the pause runs again.
      expect(Object.values(wait.config.triggers_replace).join(" ")).toContain(roleAddress);
      const subs = subscriptions(json);
      expect(subs.length).toBeGreaterThan(0);
      for (const sub of subs) expect(ancestors(graph, sub)).toContain(wait.address);
    },
  );

  test("iamPropagationSeconds: 0 removes the wait and keeps the role before the subscriptions", () => {
    const { stacks } = synthRegistry(registryWith((r) => (r.deployment = { iamPropagationSeconds: 0 })));
    const stack = stacks["log-source-222222222222-eu-west-1"]!;
    expect(
      resourcesOf(stack, "terraform_data").filter(([, c]) => !String(c["//"]?.metadata?.path).endsWith("/Drain/Wait")),
    ).toEqual([]);
    const graph = dependencies(stack);
    for (const sub of subscriptions(stack)) {
      expect([...ancestors(graph, sub)].some((a) => a.startsWith("aws_iam_role_policy."))).toBe(true);
    }
  });

  test("fails on a negative or fractional wait", () => {
    expect(() => registryWith((r) => (r.deployment = { iamPropagationSeconds: -1 }))).toThrow(
      "deployment.iamPropagationSeconds: expected a number of seconds: an integer from 0 to 600",
    );
  });
});
