import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as glue from "./rules/glue-athena";

function catalog(edit: (res: any) => void = () => {}) {
  const res: any = {
    aws_glue_catalog_database: { Db: { name: "cwl_archive_logs" } },
    aws_glue_catalog_table: {
      T: {
        name: "cloudwatch_logs",
        database_name: "cwl_archive_logs",
        depends_on: ["aws_glue_catalog_database.Db"],
        partition_keys: [{ name: "account", type: "string" }],
        storage_descriptor: { columns: [{ name: "loggroup", type: "string" }] },
        parameters: {
          "projection.enabled": "true",
          "projection.account.type": "enum",
          "projection.account.values": "222222222222",
          "storage.location.template": "s3://archive/cloudwatch-logs/account=$${account}/",
        },
      },
    },
    aws_athena_named_query: {
      Q: { name: "silent-sources", description: "Silent sources", database: "cwl_archive_logs", query: "SELECT 1" },
    },
    aws_athena_workgroup: {
      W: { name: "cwl-archive-logs", configuration: { bytes_scanned_cutoff_per_query: 1_099_511_627_776 } },
    },
  };
  edit(res);
  return stackOf(res);
}

test("glue-athena-catalog-names", () => {
  expectCompliant(glue.catalogNamesForAthena, catalog());
  expectFinding(
    glue.catalogNamesForAthena,
    catalog((r) => (r.aws_glue_catalog_table.T.name = "CloudWatchLogs")),
    /table name "CloudWatchLogs" is not lower case/,
  );
  expectFinding(
    glue.catalogNamesForAthena,
    catalog((r) => (r.aws_glue_catalog_table.T.storage_descriptor.columns[0].name = "logGroup")),
    /column name "logGroup" is not lower case/,
  );
  expectFinding(
    glue.catalogNamesForAthena,
    catalog((r) => (r.aws_glue_catalog_database.Db.name = "d".repeat(256))),
    /256 bytes, must be 1-255/,
  );
});

test("glue-table-waits-for-database", () => {
  expectCompliant(glue.tableWaitsForDatabase, catalog());
  expectCompliant(
    glue.tableWaitsForDatabase,
    catalog((r) =>
      Object.assign(r.aws_glue_catalog_table.T, {
        database_name: "${aws_glue_catalog_database.Db.name}",
        depends_on: [],
      }),
    ),
  );
  expectFinding(
    glue.tableWaitsForDatabase,
    catalog((r) => delete r.aws_glue_catalog_table.T.depends_on),
    /without depending on aws_glue_catalog_database.Db/,
  );
});

test("athena-workgroup", () => {
  expectCompliant(glue.workgroup, catalog());
  expectFinding(
    glue.workgroup,
    catalog((r) => (r.aws_athena_workgroup.W.name = "cwl archive")),
    /must be 1-128/,
  );
  expectFinding(
    glue.workgroup,
    catalog((r) => (r.aws_athena_workgroup.W.configuration.bytes_scanned_cutoff_per_query = 1_000_000)),
    /at least 10000000/,
  );
});

test("athena-named-query", () => {
  expectCompliant(glue.namedQuery, catalog());
  expectFinding(
    glue.namedQuery,
    catalog((r) => (r.aws_athena_named_query.Q.name = "q".repeat(129))),
    /name is 129 characters, must be 1-128/,
  );
  expectFinding(
    glue.namedQuery,
    catalog((r) => (r.aws_athena_named_query.Q.query = "x".repeat(262145))),
    /query is 262145 characters, must be 1-262144/,
  );
});

test("athena-partition-projection", () => {
  expectCompliant(glue.partitionProjection, catalog());
  expectFinding(
    glue.partitionProjection,
    catalog((r) => delete r.aws_glue_catalog_table.T.parameters["projection.account.type"]),
    /partition account has no projection.account.type/,
  );
  expectFinding(
    glue.partitionProjection,
    catalog(
      (r) => (r.aws_glue_catalog_table.T.parameters["storage.location.template"] = "s3://archive/cloudwatch-logs/"),
    ),
    /does not name partition account/,
  );
  expectFinding(
    glue.partitionProjection,
    catalog((r) => (r.aws_glue_catalog_table.T.parameters["projection.account.values"] = "")),
    /enum partition account has no value/,
  );
});

test("athena-alarm-needs-published-metrics", () => {
  const withAlarm = (publishes: boolean, workgroup = "cwl-archive-logs") =>
    catalog((r) => {
      r.aws_athena_workgroup.W.configuration.publish_cloudwatch_metrics_enabled = publishes;
      r.aws_cloudwatch_metric_alarm = {
        A: {
          alarm_name: "scanned",
          metric_query: [
            {
              id: "m1",
              metric: {
                namespace: "AWS/Athena",
                metric_name: "ProcessedBytes",
                dimensions: { WorkGroup: workgroup, QueryType: "DML", QueryState: "SUCCEEDED" },
                period: 86400,
                stat: "Sum",
              },
            },
            { id: "e1", expression: "FILL(m1, 0)", return_data: true },
          ],
        },
      };
    });
  expectCompliant(glue.athenaAlarmNeedsMetrics, withAlarm(true));
  expectFinding(glue.athenaAlarmNeedsMetrics, withAlarm(false), /does not publish them/);
  expectFinding(glue.athenaAlarmNeedsMetrics, withAlarm(true, "primary"), /which this stack does not define/);
});

corpusSuite(glue.rules);
