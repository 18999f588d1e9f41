/**
 * The catalogue as a whole: every rule names its AWS (or HashiCorp) source,
 * ids are unique, and every rule applies to at least one stack of the corpus,
 * so a rule that can never run is caught rather than passing vacuously.
 */
import { fixtureTest } from "../helpers/corpus";
import { runOverCorpus } from "./lib/run";
import { catalogue } from "./rules";

/** Hosts of AWS and HashiCorp documentation. */
const DOC_HOSTS = [
  /(^|\.)docs\.aws\.amazon\.com$/,
  /(^|\.)aws\.amazon\.com$/,
  /(^|\.)hashicorp\.com$/,
  /^registry\.terraform\.io$/,
];
/** GitHub organisations AWS and HashiCorp publish from (AWS docs sources, aws-cdk, the Terraform AWS provider). */
// aws-cloudformation: the CloudFormation team's public coverage roadmap and registry.
const GITHUB_ORGS = ["aws", "awsdocs", "aws-cloudformation", "hashicorp"];

function officialSource(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:") return false;
  if (DOC_HOSTS.some((host) => host.test(parsed.hostname))) return true;
  return parsed.hostname === "github.com" && GITHUB_ORGS.includes(parsed.pathname.split("/")[1] ?? "");
}

describe("the AWS rule catalogue", () => {
  test("has rules for every service the app deploys", () => {
    expect([...new Set(catalogue.map((r) => r.service))].sort()).toEqual([
      "cloudtrail",
      "cloudwatch",
      "events",
      "firehose",
      "glue-athena",
      "iam",
      "kinesis",
      "kms",
      "lambda",
      "logs",
      "opensearch",
      "organizations",
      "s3",
      "sns",
      "sqs",
      "ssm",
    ]);
  });

  test("rule ids are unique and start with (a part of) their service", () => {
    const ids = catalogue.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const misnamed = catalogue.filter((r) => !r.service.split("-").some((part) => r.id.startsWith(`${part}-`)));
    expect(misnamed.map((r) => r.id)).toEqual([]);
  });

  test("every rule cites an https source on an AWS or HashiCorp domain (or their GitHub organisations)", () => {
    expect(catalogue.filter((r) => !officialSource(r.source)).map((r) => `${r.id}: ${r.source}`)).toEqual([]);
  });

  test("every rule has a description and says which registry option exercises it", () => {
    expect(catalogue.filter((r) => r.description.length < 20 || r.needs.length === 0).map((r) => r.id)).toEqual([]);
  });

  fixtureTest("every rule applies to at least one stack of the corpus", () => {
    const runs = catalogue.map((rule) => ({ rule, run: runOverCorpus(rule) }));
    process.stdout.write(
      `AWS rules over the corpus (applied / ${runs[0]?.run.targets ?? 0} stacks; account-scoped rules count account views):\n` +
        runs
          .map(
            ({ rule, run }) =>
              `  ${rule.id}: ${run.applied}/${run.targets}${run.failures.length ? ` (${run.failures.length} findings)` : ""}`,
          )
          .join("\n") +
        "\n",
    );
    const unused = runs
      .filter(({ run }) => run.applied === 0)
      .map(
        ({ rule }) =>
          `${rule.id} applies to no stack of the corpus: add an option registry under examples/registries/ with ${rule.needs}`,
      );
    expect(unused).toEqual([]);
  });
});
