/**
 * policies.json: every policy document of a stack, found in its Terraform
 * JSON and pretty-printed, so that a change of one statement is a diff of a
 * few lines instead of one long line of escaped JSON.
 */
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Aspects, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "../../modules/app/build-app";
import { renderPolicies, stackPolicies } from "../../modules/app/policies-file";
import { loadRegistry } from "../../modules/registry/load";
import { corpusStacks, fixtureTest, label, SAMPLE_REGISTRY } from "../helpers/corpus";
import { scratchDir } from "../helpers/scratch";
import { allStrings, isPolicy, policyStrings, resolveAddress } from "./support/policies";

const policy = (sid: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: sid, Effect: "Allow", Action: "s3:GetObject", ...extra }],
  });

describe("the policies of a stack's Terraform JSON", () => {
  test("are found at any depth of resources, data sources, outputs and local values, keyed by address and sorted", () => {
    // GIVEN policies in a resource attribute, a nested block, a data source, an output and a local value
    const terraform = {
      "//": { metadata: { stackName: "s" } },
      resource: {
        aws_s3_bucket_policy: { Bucket_Policy_1: { "//": { metadata: { path: "s/Bucket" } }, policy: policy("Read") } },
        aws_iam_role: {
          Role_2: {
            name: "role",
            assume_role_policy: policy("Assume"),
            inline_policy: [{ name: "inline", policy: policy("Inline") }],
          },
        },
      },
      data: { aws_iam_policy: { Existing: { policy_json: policy("Data") } } },
      output: { policy: { value: policy("Output") } },
      locals: { shared: policy("Local") },
    };
    // WHEN the stack's policies are collected
    const policies = stackPolicies(terraform);
    // THEN each is keyed by its address and attribute, in code-unit order
    expect(Object.keys(policies)).toEqual([
      "aws_iam_role.Role_2.assume_role_policy",
      "aws_iam_role.Role_2.inline_policy[0].policy",
      "aws_s3_bucket_policy.Bucket_Policy_1.policy",
      "data.aws_iam_policy.Existing.policy_json",
      "local.shared",
      "output.policy.value",
    ]);
    for (const [address, document] of Object.entries(policies)) {
      expect(document).toEqual(JSON.parse(resolveAddress(terraform, address)));
    }
  });

  test("are only JSON objects with a Statement key: event patterns, arrays, text and Terraform expressions are not", () => {
    const terraform = {
      resource: {
        aws_cloudwatch_event_rule: { Rule: { event_pattern: JSON.stringify({ source: ["aws.s3"] }) } },
        aws_ssm_parameter: {
          List: { value: JSON.stringify([{ Statement: [] }]) },
          Text: { value: "the Statement of the policy" },
          Nested: { value: JSON.stringify({ Document: { Statement: [] } }) },
        },
        aws_iam_policy: { Encoded: { policy: '${jsonencode({"Statement" = []})}' } },
      },
    };
    expect(stackPolicies(terraform)).toEqual({});
  });

  test("are found with whitespace before the document, and keep the document's own key and statement order", () => {
    const document = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "B", Effect: "Deny" },
        { Sid: "A", Effect: "Allow" },
      ],
    };
    const terraform = { resource: { aws_sqs_queue_policy: { Q: { policy: `\n  ${JSON.stringify(document)}` } } } };
    const text = renderPolicies(stackPolicies(terraform));
    expect(text).toBe(`${JSON.stringify({ "aws_sqs_queue_policy.Q.policy": document }, undefined, 2)}\n`);
    expect(text.indexOf('"Sid": "B"')).toBeLessThan(text.indexOf('"Sid": "A"'));
    expect(text.indexOf('"Version"')).toBeLessThan(text.indexOf('"Statement"'));
  });

  test("keep references and escaped IAM policy variables as cdk.tf.json has them", () => {
    const raw = policy("Own", {
      Resource: "${aws_s3_bucket.Bucket.arn}/account=$${aws:PrincipalAccount}/*",
    });
    const policies = stackPolicies({ resource: { aws_s3_bucket_policy: { P: { policy: raw } } } });
    expect(renderPolicies(policies)).toContain(
      '"Resource": "${aws_s3_bucket.Bucket.arn}/account=$${aws:PrincipalAccount}/*"',
    );
  });

  test("are addressed unambiguously when a key is not an identifier", () => {
    const terraform = {
      resource: { aws_x: { X: { settings: { "a.b": policy("Dotted"), "0": [policy("Listed")] } } } },
    };
    expect(Object.keys(stackPolicies(terraform))).toEqual(['aws_x.X.settings["0"][0]', 'aws_x.X.settings["a.b"]']);
  });

  test("of a stack without any are an empty object, so that every stack folder has the file", () => {
    expect(renderPolicies(stackPolicies({ resource: { aws_s3_bucket: { B: { bucket: "b" } } } }))).toBe("{}\n");
    expect(renderPolicies(stackPolicies({}))).toBe("{}\n");
  });
});

describe("every stack of every corpus registry", () => {
  const stacks = corpusStacks();

  test.each(stacks.map((s) => [label(s), s] as const))(
    "%s: policies.json holds every policy string of cdk.tf.json, and only those",
    (_, s) => {
      // GIVEN the stack's cdk.tf.json, parsed again, and every string in it that is a policy document
      const reparsed: unknown = JSON.parse(s.text);
      const strings = policyStrings(reparsed);
      // WHEN its policies are collected
      const policies = stackPolicies(reparsed);
      // THEN each entry is the document at its address, and there are as many entries as documents
      for (const [address, document] of Object.entries(policies)) {
        expect(JSON.parse(resolveAddress(reparsed, address))).toEqual(document);
      }
      expect(Object.keys(policies)).toHaveLength(strings.length);
      // and no policy is left out for being wrapped in a Terraform expression rather than plain JSON
      expect(allStrings(reparsed).filter((text) => text.includes('"Statement"') && !isPolicy(text))).toEqual([]);
    },
  );

  test("the cross-check fails for a policy where policies.json does not look (a provider's argument)", () => {
    const stack = stacks.find((s) => s.stack === "log-archive")!;
    const terraform = { ...stack.json, provider: { aws: [{ assume_role_policy: policy("InProvider") }] } };
    expect(policyStrings(terraform)).toHaveLength(Object.keys(stackPolicies(terraform)).length + 1);
  });

  fixtureTest(
    "include every kind of policy the corpus builds: IAM, bucket, key, queue, topic, domain, SCP and RCP, resource, destination and bus, and the StackSet's template",
    () => {
      const types = new Set(
        stacks.flatMap((s) => Object.keys(stackPolicies(s.json)).map((address) => address.split(".")[0])),
      );
      expect([...types].sort()).toEqual([
        "aws_cloudformation_stack_set",
        "aws_cloudwatch_event_bus_policy",
        "aws_cloudwatch_log_destination_policy",
        "aws_cloudwatch_log_resource_policy",
        "aws_iam_role",
        "aws_iam_role_policy",
        "aws_kms_key",
        "aws_opensearch_domain_policy",
        "aws_organizations_policy",
        "aws_s3_bucket_policy",
        "aws_sns_topic_policy",
        "aws_sqs_queue_policy",
      ]);
    },
  );
});

/** The lines of `after` that replace lines of `before`: everything between the common first and last lines. */
function changedLines(before: string, after: string): { removed: string[]; added: string[] } {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { removed: a.slice(start, a.length - end), added: b.slice(start, b.length - end) };
}

describe("a change of one statement", () => {
  /** The archive bucket's writers may no longer set object ACLs: one action less in one statement. */
  const dropObjectAcl: IAspect = {
    visit(node: IConstruct) {
      if (!(node instanceof S3BucketPolicy) || !node.node.path.endsWith("/ArchiveBucket/Policy")) return;
      const document = JSON.parse(node.policyInput!) as { Statement: { Sid: string; Action: string[] }[] };
      const statement = document.Statement.find((s) => s.Sid === "AllowDeliveryRolesToWriteOwnPrefix")!;
      statement.Action = statement.Action.filter((action) => action !== "s3:PutObjectAcl");
      node.policy = JSON.stringify(document);
    },
  };

  /** The sample's log-archive stack: its cdk.tf.json and policies.json, as synthesis writes them. */
  function logArchive(aspect?: IAspect): { terraform: string; policies: string } {
    const outdir = scratchDir("cwl-policies-diff-");
    let policies = "";
    const app = buildApp(loadRegistry(SAMPLE_REGISTRY), {
      outdir,
      only: new Set(["log-archive"]),
      onStackTerraform: (_, terraform) => (policies = renderPolicies(stackPolicies(terraform))),
    });
    // cdktf invokes the aspects of each stack (not the App's) at synthesis.
    if (aspect) for (const stack of app.node.children) Aspects.of(stack).add(aspect);
    app.synth();
    return { terraform: readFileSync(join(outdir, "stacks", "log-archive", "cdk.tf.json"), "utf8"), policies };
  }

  test("is a diff of a few short lines of policies.json, where cdk.tf.json changes one long line", () => {
    // GIVEN the sample's log-archive stack before and after the change
    const before = logArchive();
    const after = logArchive(dropObjectAcl);
    // WHEN the two versions of each file are compared line by line
    const terraform = changedLines(before.terraform, after.terraform);
    const policies = changedLines(before.policies, after.policies);
    // THEN cdk.tf.json changes one line of escaped JSON, several kilobytes long
    expect(terraform.removed).toHaveLength(1);
    expect(terraform.removed[0]!.length).toBeGreaterThan(2000);
    // and policies.json, of more than a thousand lines, the action and the comma before it
    expect(policies).toEqual({
      removed: ['          "s3:PutObject",', '          "s3:PutObjectAcl"'],
      added: ['          "s3:PutObject"'],
    });
    expect(before.policies.split("\n").length).toBeGreaterThan(1000);
  });
});
