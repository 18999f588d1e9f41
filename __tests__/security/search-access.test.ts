/**
 * IAM simulation rows for search delivery's access (issue 19, defects 8 and
 * 9), over the synthesised policies of one SearchDelivery with a search
 * principal in another account, one in the domain's own account (with
 * AdministratorAccess: its identity policies allow everything, so only the
 * domain policy's denies keep it read-only), and a named domain administrator.
 *
 * - Search principals read and search (GET, HEAD, POST on the search APIs)
 *   and can neither bulk-index, update, delete by query nor index a document
 *   (OpenSearch Service scopes ESHttp* actions by subresource URI:
 *   https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html).
 * - The named administrator can make the calls the README asks of the domain
 *   owner (the index template, the role mapping); a search principal and the
 *   domain account's other administrators cannot.
 * - The transform may re-ingest into the overflow stream only, never into the
 *   central Kinesis stream or another Firehose (the archive's).
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { App, Testing, TerraformStack } from "cdktf";
import { SearchDelivery, type SearchDeliveryProps } from "../../modules/search/search-delivery";
import { buildWorld, type PolicyWorld } from "./support/policy-world";
import { simulate, type Organization, type Scenario } from "./support/simulate";

const ACCOUNT = "111111111111";
const REGION = "eu-west-1";
const DOMAIN = `arn:aws:es:${REGION}:${ACCOUNT}:domain/security-logs`;
const ANALYST = "arn:aws:iam::222222222222:role/SecurityAnalyst";
const LOCAL_ANALYST = `arn:aws:iam::${ACCOUNT}:role/LocalAnalyst`;
const DOMAIN_ADMIN = `arn:aws:iam::${ACCOUNT}:role/SearchDomainAdmin`;
const OTHER_ADMIN = `arn:aws:iam::${ACCOUNT}:role/Administrator`;
const STREAM_ROLE = `arn:aws:iam::${ACCOUNT}:role/cwl-archive-search-delivery`;
const TRANSFORM_ROLE = `arn:aws:iam::${ACCOUNT}:role/cwl-archive-search-transform`;
const org: Organization = { id: "o-a1b2c3d4e5", members: new Set([ACCOUNT, "222222222222"]) };

const PROPS: SearchDeliveryProps = {
  accountId: ACCOUNT,
  region: REGION,
  namePrefix: "cwl-archive",
  archiveBucketArn: `arn:aws:s3:::cwl-archive-${ACCOUNT}-${REGION}`,
  archiveKeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000000`,
  kinesisStreamArn: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/cwl-archive-central-${REGION}`,
  domainArn: DOMAIN,
  indexName: "cloudwatch-logs",
  indexRotation: "OneDay",
  principals: [ANALYST, LOCAL_ANALYST],
  administrators: [DOMAIN_ADMIN],
  retryDurationSeconds: 300,
  logRetentionDays: 365,
};

/** The policies of one SearchDelivery in a stack of the log-archive account, as the policy world reads them. */
function worldOf(props: SearchDeliveryProps): PolicyWorld {
  const app = new App({ stackTraces: false });
  const stack = new TerraformStack(app, "log-archive");
  new AwsProvider(stack, "aws", { region: REGION, allowedAccountIds: [ACCOUNT] });
  new SearchDelivery(stack, "Search", props);
  return buildWorld({ "log-archive": JSON.parse(Testing.synth(stack)) });
}

const http = (method: string, path: string) => ({ action: `es:ESHttp${method}`, resource: `${DOMAIN}/${path}` });

function searchPrincipalRows(name: string, principal: Scenario["principal"]): Scenario[] {
  const row = (what: string, method: string, path: string, expect: Scenario["expect"]): Scenario => ({
    name: `${name} ${what}`,
    principal,
    ...http(method, path),
    expect,
  });
  return [
    row("searches an index (POST _search)", "Post", "cloudwatch-logs-2026-12-01/_search", "Allowed"),
    row("searches an index (GET _search)", "Get", "cloudwatch-logs-2026-12-01/_search", "Allowed"),
    row("searches every index at once (POST _msearch)", "Post", "_msearch", "Allowed"),
    row("counts (POST <index>/_count)", "Post", "cloudwatch-logs-2026-12-01/_count", "Allowed"),
    row(
      "reads a document",
      "Get",
      "cloudwatch-logs-2026-12-01/_doc/49546986683135544286507457936321625675700192471156785154",
      "Allowed",
    ),
    row("bulk-indexes (POST _bulk)", "Post", "_bulk", "Denied"),
    row("bulk-indexes into an index (POST <index>/_bulk)", "Post", "cloudwatch-logs-2026-12-01/_bulk", "Denied"),
    row("deletes by query", "Post", "cloudwatch-logs-2026-12-01/_delete_by_query", "Denied"),
    row("updates by query", "Post", "cloudwatch-logs-2026-12-01/_update_by_query", "Denied"),
    row("updates a document", "Post", "cloudwatch-logs-2026-12-01/_update/1", "Denied"),
    row(
      "indexes a document whose id is _search (POST <index>/_doc/_search)",
      "Post",
      "cloudwatch-logs-2026-12-01/_doc/_search",
      "Denied",
    ),
    row("indexes a document (PUT _doc)", "Put", "cloudwatch-logs-2026-12-01/_doc/1", "Denied"),
    row("deletes an index", "Delete", "cloudwatch-logs-2026-12-01", "Denied"),
    row("puts the index template", "Put", "_index_template/cloudwatch-logs", "Denied"),
    row("stores a script (POST _scripts/_search)", "Post", "_scripts/_search", "Denied"),
  ];
}

function rows(): Scenario[] {
  return [
    ...searchPrincipalRows("a search principal of another account", { admin: ANALYST }),
    ...searchPrincipalRows("a search principal of the domain's account, with AdministratorAccess,", {
      admin: LOCAL_ANALYST,
    }),
    {
      name: "the domain administrator puts the index template",
      principal: { admin: DOMAIN_ADMIN },
      ...http("Put", "_index_template/cloudwatch-logs"),
      expect: "Allowed",
    },
    {
      name: "the domain administrator maps the delivery role (fine-grained access control)",
      principal: { admin: DOMAIN_ADMIN },
      ...http("Put", "_plugins/_security/api/rolesmapping/search_delivery"),
      expect: "Allowed",
    },
    {
      name: "the domain administrator deletes an old index",
      principal: { admin: DOMAIN_ADMIN },
      ...http("Delete", "cloudwatch-logs-2026-10-01"),
      expect: "Allowed",
    },
    {
      name: "another administrator of the domain's account puts the index template",
      principal: { admin: OTHER_ADMIN },
      ...http("Put", "_index_template/cloudwatch-logs"),
      expect: "Denied",
    },
    {
      name: "another administrator of the domain's account searches",
      principal: { admin: OTHER_ADMIN },
      ...http("Get", "cloudwatch-logs-2026-12-01/_search"),
      expect: "Denied",
    },
    {
      name: "a principal of another account of the organization searches",
      principal: { admin: "arn:aws:iam::222222222222:role/Administrator" },
      ...http("Post", "cloudwatch-logs-2026-12-01/_search"),
      expect: "Denied",
    },
    {
      name: "the search stream bulk-indexes",
      principal: { role: STREAM_ROLE },
      ...http("Post", "_bulk"),
      expect: "Allowed",
    },
    {
      name: "the transform re-ingests into the overflow stream",
      principal: { role: TRANSFORM_ROLE },
      action: "firehose:PutRecordBatch",
      resource: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/cwl-archive-search-overflow`,
      expect: "Allowed",
    },
    {
      name: "the transform puts records into the central Kinesis stream (the archive would get them twice)",
      principal: { role: TRANSFORM_ROLE },
      action: "kinesis:PutRecords",
      resource: `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/cwl-archive-central-${REGION}`,
      expect: "Denied",
    },
    {
      name: "the transform puts records into the archive's central Firehose",
      principal: { role: TRANSFORM_ROLE },
      action: "firehose:PutRecordBatch",
      resource: `arn:aws:firehose:${REGION}:${ACCOUNT}:deliverystream/cwl-archive-central-${REGION}`,
      expect: "Denied",
    },
  ];
}

async function failures(world: PolicyWorld, scenarios: Scenario[], title: string): Promise<string[]> {
  const results: string[] = [];
  for (const row of scenarios) {
    const outcome = await simulate(world, org, row);
    results.push(
      `${outcome.decision === row.expect ? "ok  " : "FAIL"} ${outcome.decision} (expected ${row.expect}) ${row.name} [${outcome.result}; ${outcome.decisive.join(", ")}]`,
    );
  }
  process.stdout.write(`${title}\n${results.join("\n")}\n`);
  return results.filter((r) => r.startsWith("FAIL"));
}

test("search access rows reach the decision AWS must reach", async () => {
  expect(await failures(worldOf(PROPS), rows(), "search access rows")).toEqual([]);
});

test("without named administrators, nobody can put the index template once the stack owns the policy", async () => {
  const { administrators: _none, ...withoutAdministrators } = PROPS;
  void _none;
  const world = worldOf(withoutAdministrators);
  const scenarios: Scenario[] = [OTHER_ADMIN, DOMAIN_ADMIN, ANALYST, LOCAL_ANALYST].map((who) => ({
    name: `${who} puts the index template`,
    principal: { admin: who },
    ...http("Put", "_index_template/cloudwatch-logs"),
    expect: "Denied",
  }));
  expect(await failures(world, scenarios, "no administrators")).toEqual([]);
});
