/**
 * The policies the documentation asks users to create (docs/agents/) are
 * checked like every synthesised policy: they parse, and every action,
 * condition key and resource type exists in AWS's catalogue.
 */
import { readFileSync } from "node:fs";
import { checkPolicy, loadCatalogue } from "./support/policy-catalogue";

const PLACEHOLDERS: Record<string, string> = {
  "<archive bucket>": "cwl-archive-210987654321-eu-west-1",
  "<account id>": "639104857201",
  "<archive region>": "eu-west-1",
  "<archive account>": "210987654321",
};

function document(file: string): unknown {
  let text = readFileSync(file, "utf8");
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS)) text = text.split(placeholder).join(value);
  return JSON.parse(text);
}

describe("policies of the documentation", () => {
  test("docs/agents/agent-role-policy.json matches AWS's catalogue of actions", async () => {
    const catalogue = await loadCatalogue(["s3", "kms"]);
    const check = checkPolicy(catalogue, document("docs/agents/agent-role-policy.json"), "agent-role-policy.json");
    expect(check.problems).toEqual([]);
    expect(check.actions).toBe(4);
  });
});
