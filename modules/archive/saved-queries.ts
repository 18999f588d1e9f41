/**
 * The saved queries (Athena named queries) of the everyday investigations,
 * and the README's examples: the same text. Each is a template with literal
 * values to edit (the account, the IP, the window), written so that
 *
 * - partitions are pruned by literals only (`year = '2026' AND day = '03'`):
 *   computed filters (`now() - interval ...`) may make Athena enumerate
 *   every projected partition;
 * - late arrivals are found: partitions hold the arrival time (Firehose: the
 *   oldest record of the object; CloudTrail and Flow Logs: the file's time),
 *   so the partition window reaches past the question's window by the
 *   writer's delay (`LATE_ARRIVAL`), and the event time decides;
 * - early objects are found: a Firehose object is dated by its oldest
 *   record, and its buffer stays open up to 900 s, so an object started at
 *   09:58 (under hour=09) holds events of 10:00-10:13. The CloudWatch Logs
 *   partitions start one hour before the window (`EARLY_START`: the previous
 *   hour, or the previous day's last hour at midnight). CloudTrail and Flow
 *   Logs need no such margin: their folders hold the file's delivery or
 *   creation time, which is never earlier than the events it holds;
 * - message-extraction objects are not dropped: their rows have no event
 *   time (it is not in the object), so they pass the event-time filter and
 *   are bounded by their arrival partitions only.
 */
import { cloudTrailEventSource } from "../naming/partition";
import { CLOUDTRAIL_TABLE, DELIVERY_ERRORS_TABLE, FLOW_LOGS_TABLE, type DirectSourceTables } from "./log-tables";
import { EVENTS_VIEW, qualified } from "./log-views";

/** How far past the window the partition window reaches, per writer. */
export const LATE_ARRIVAL = {
  /** Firehose buffers up to 15 minutes; subscription delivery and retries add more. */
  cloudWatchHours: 3,
  /** CloudTrail delivers within about 15 minutes, under the delivery date's folder. */
  cloudTrailDays: 1,
  /** Flow Logs aggregate for up to 10 minutes and publish every 5. */
  flowLogHours: 1,
} as const;

/**
 * How far before the window the CloudWatch Logs partitions start. Firehose
 * names an object by the approximate arrival time of the oldest record it
 * holds, and keeps adding records for up to the buffering interval (at most
 * 900 s), so an object under hour=09 may hold events of 10:00 to 10:15; an
 * event is never logged after it arrives, so one hour before the window is
 * enough. CloudTrail's day folder is the file's delivery date and Flow Logs'
 * hour folder the file's creation, both after the events they hold (Flow Logs
 * publish the records of the previous 5 minutes): the window's own first
 * folder is the earliest that can hold its events.
 * @see https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html ("the approximate arrival timestamp of the oldest record")
 * @see https://docs.aws.amazon.com/firehose/latest/dev/buffering-hints.html (S3 buffering interval 0 to 900 seconds)
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/how-cloudtrail-works.html
 */
export const EARLY_START = {
  /** One Firehose buffering interval (up to 900 s) before the window: the previous hour's partition. */
  cloudWatchHours: 1,
} as const;

/** Which workgroup a query belongs in: its scan cutoff. */
export type QueryWorkgroup = "interactive" | "hunting";

export interface SavedQuery {
  /** Stable id: the construct id and the named query's name suffix. */
  readonly id: string;
  readonly title: string;
  readonly workgroup: QueryWorkgroup;
  readonly sql: string;
}

/** The literal values the templates carry, for the docs and the tests. */
export const EXAMPLE = {
  account: "222222222222",
  region: "eu-west-1",
  ip: "203.0.113.7",
  logGroup: "/aws/lambda/payments-api",
  /** The role is named by its account and name: its path (`role/ci/ci-deployer`) is matched whatever it is. */
  roleAccount: "444444444444",
  roleName: "ci-deployer",
  port: 22,
} as const;

/**
 * A regular expression that finds an IPv4 address as a whole, not inside a
 * longer address or number: `10.0.0.1` does not match `10.0.0.12`,
 * `110.0.0.1` or `10.0.0.1.5`, and does match `10.0.0.1/32`, `ip=10.0.0.1,`
 * and a sentence's final `10.0.0.1.`. Boundaries are written as character
 * classes (no look-around), which Athena's and DuckDB's engines both read.
 */
export function wholeIpPattern(ip: string): string {
  return `(^|[^0-9.])${ip.replace(/\./g, "\\.")}($|[^0-9.]|\\.($|[^0-9]))`;
}

/**
 * A regular expression for every ARN of a role, whatever its path and
 * partition: a role's name is unique in its account whatever its path, and
 * the ARN carries the path (`role/ci/ci-deployer`) while the session ARN
 * (`assumed-role/ci-deployer/...`) drops it, so an ARN copied from a session
 * would miss the role's records. `.` and `+`, allowed in role names, are escaped.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html (friendly names and paths)
 */
export function roleArnPattern(account: string, roleName: string): string {
  return `^arn:aws[a-z-]*:iam::${account}:role/(.+/)?${roleName.replace(/[.+]/g, "\\$&")}$`;
}

export interface SavedQueriesInput {
  readonly database: string;
  /** The heartbeat log group of the sources, `/<prefix>/heartbeat`. */
  readonly heartbeatLogGroup: string;
  /** The heartbeat rule's name, which message-extraction heartbeats carry. */
  readonly heartbeatRule: string;
  readonly direct: DirectSourceTables;
}

function ipInAccountRegion(input: SavedQueriesInput): SavedQuery {
  const { database, direct } = input;
  const where = `account = '${EXAMPLE.account}' AND region = '${EXAMPLE.region}'`;
  const parts = [
    [
      "SELECT 'cloudwatch-logs' AS source, event_time, log_group AS origin, message AS detail",
      `FROM ${qualified(database, EVENTS_VIEW)}`,
      `WHERE ${where}`,
      "  AND year = '2026' AND month = '12' AND day = '03' AND hour BETWEEN '09' AND '14'",
      "  AND (event_time IS NULL OR (event_time >= TIMESTAMP '2026-12-03 10:00:00' AND event_time < TIMESTAMP '2026-12-03 12:00:00'))",
      `  AND regexp_like(message, '${wholeIpPattern(EXAMPLE.ip)}')`,
    ],
  ];
  if (direct.cloudTrailOrganizationId) {
    parts.push([
      "SELECT 'cloudtrail', CAST(from_iso8601_timestamp(eventtime) AS timestamp(3)), eventsource || ' ' || eventname, useridentity.arn",
      `FROM ${qualified(database, CLOUDTRAIL_TABLE)}`,
      `WHERE ${where}`,
      "  AND year = '2026' AND month = '12' AND day IN ('03', '04')",
      "  AND eventtime >= '2026-12-03T10:00:00Z' AND eventtime < '2026-12-03T12:00:00Z'",
      `  AND (sourceipaddress = '${EXAMPLE.ip}' OR regexp_like(requestparameters, '${wholeIpPattern(EXAMPLE.ip)}'))`,
    ]);
  }
  if (direct.vpcFlowLogs) {
    parts.push([
      "SELECT 'vpc-flow-logs', CAST(from_unixtime(\"start\") AS timestamp(3)), interface_id,",
      "       action || ' ' || srcaddr || ':' || CAST(srcport AS varchar) || ' > ' || dstaddr || ':' || CAST(dstport AS varchar)",
      `FROM ${qualified(database, FLOW_LOGS_TABLE)}`,
      `WHERE ${where}`,
      "  AND year = '2026' AND month = '12' AND day = '03' AND hour BETWEEN '10' AND '12'",
      "  AND from_unixtime(\"start\") >= TIMESTAMP '2026-12-03 10:00:00' AND from_unixtime(\"start\") < TIMESTAMP '2026-12-03 12:00:00'",
      `  AND (srcaddr = '${EXAMPLE.ip}' OR dstaddr = '${EXAMPLE.ip}')`,
    ]);
  }
  return {
    id: "ip-in-account-region",
    title: "An IP address in one account and Region over two hours (CloudWatch Logs, CloudTrail, Flow Logs)",
    workgroup: "interactive",
    sql: [
      `-- Edit: account ${EXAMPLE.account}, Region ${EXAMPLE.region}, IP ${EXAMPLE.ip} (five places; in the two patterns`,
      "-- with its dots escaped), 2026-12-03 10:00 to 12:00 UTC. The IP is matched whole (10.0.0.1 is not 10.0.0.12):",
      "-- equal to CloudTrail's sourceIPAddress and Flow Logs' addresses, bounded by non-digits in log messages and in",
      "-- CloudTrail's requestParameters (203.0.113.7/32 is found; a CIDR that merely contains it, 203.0.113.0/24, is not).",
      "-- CloudWatch Logs partitions start an hour early (Firehose dates an object by its oldest record)",
      "-- and reach past the window for late arrivals; the event time decides.",
      parts.map((p) => p.join("\n")).join("\nUNION ALL\n"),
      "ORDER BY event_time",
    ].join("\n"),
  };
}

function errorAccountsYesterday(input: SavedQueriesInput): SavedQuery {
  const level = [
    "upper(coalesce(json_extract_scalar(message, '$.level'),",
    "json_extract_scalar(message, '$.severity'), json_extract_scalar(message, '$.levelname'))) = 'ERROR'",
  ].join(" ");
  return {
    id: "error-accounts-yesterday",
    title: "Accounts with ERROR-level JSON logs yesterday, across the organization",
    workgroup: "hunting",
    sql: [
      "-- Edit: yesterday = 2026-12-03 (UTC). Objects from 23:00 the day before (Firehose dates an object",
      "-- by its oldest record) to 03:00 the next day (late arrivals) are read; the event time decides.",
      "SELECT account, region, count(*) AS error_events,",
      "       min(event_time) AS first_error, max(event_time) AS last_error",
      `FROM ${qualified(input.database, EVENTS_VIEW)}`,
      "WHERE year = '2026' AND month = '12'",
      `  AND ((day = '02' AND hour = '23') OR day = '03' OR (day = '04' AND hour < '0${LATE_ARRIVAL.cloudWatchHours}'))`,
      "  AND (event_time IS NULL OR (event_time >= TIMESTAMP '2026-12-03 00:00:00' AND event_time < TIMESTAMP '2026-12-04 00:00:00'))",
      `  AND ${level}`,
      "GROUP BY account, region",
      "ORDER BY error_events DESC",
    ].join("\n"),
  };
}

function logGroupAcrossOrganization(input: SavedQueriesInput): SavedQuery {
  return {
    id: "log-group-across-organization",
    title: "One log group in every account and Region over 24 hours",
    workgroup: "hunting",
    sql: [
      `-- Edit: log group ${EXAMPLE.logGroup}, 2026-12-03 06:00 to 2026-12-04 06:00 UTC.`,
      "-- Message-extraction accounts keep no log group: their lines cannot be attributed to one.",
      "-- Partitions from an hour before the window (Firehose dates an object by its oldest record) to 3 hours past it.",
      "SELECT account, region, event_time, log_stream, message",
      `FROM ${qualified(input.database, EVENTS_VIEW)}`,
      "WHERE year = '2026' AND month = '12'",
      `  AND ((day = '03' AND hour >= '0${6 - EARLY_START.cloudWatchHours}') OR (day = '04' AND hour < '0${6 + LATE_ARRIVAL.cloudWatchHours}'))`,
      "  AND event_time >= TIMESTAMP '2026-12-03 06:00:00' AND event_time < TIMESTAMP '2026-12-04 06:00:00'",
      `  AND log_group = '${EXAMPLE.logGroup}'`,
      "ORDER BY event_time",
    ].join("\n"),
  };
}

function roleAssumeRoleLastWeek(input: SavedQueriesInput): SavedQuery {
  return {
    id: "role-assume-role-last-week",
    title:
      "A role's AssumeRole calls across the organization last week (made by it, and of it, OIDC and SAML included)",
    workgroup: "hunting",
    sql: roleQuerySql(input.database, EXAMPLE.roleAccount, EXAMPLE.roleName),
  };
}

/**
 * The role's assumptions and the calls its sessions made to assume others.
 * The three STS operations that create a role session all carry the role in
 * `requestParameters.roleArn` (and in `resources[]`); OIDC callers (CI) have
 * no `userIdentity.arn`, only a principal id naming the provider and subject.
 * A cross-account call is recorded in both accounts (one event each, with
 * their own eventID and one sharedEventID), and the organization trail holds
 * both: the query keeps one, the role account's, and counts the copies.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html (sharedEventID)
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html (WebIdentityUser, SAMLUser)
 */
function roleQuerySql(database: string, account: string, roleName: string): string {
  const role = roleArnPattern(account, roleName);
  const issuer = "useridentity.sessioncontext.sessionissuer.arn";
  const target = "json_extract_scalar(requestparameters, '$.roleArn')";
  const event = "coalesce(sharedeventid, eventid)";
  return [
    `-- Edit: role ${roleName} of account ${account} (the three patterns match any path; the account also in ORDER BY),`,
    "-- 2026-11-26 to 2026-12-03 UTC.",
    "-- Delivery-date folders reach one day past the week. AssumeRole, AssumeRoleWithWebIdentity (OIDC: CI)",
    "-- and AssumeRoleWithSAML. A cross-account call is in both accounts' trails: listed once (copies = 2).",
    "SELECT eventtime, account, region, eventname, sourceipaddress, direction, caller, target_role, errorcode, copies",
    "FROM (",
    "  SELECT eventtime, account, region, eventname, sourceipaddress,",
    `         CASE WHEN regexp_like(${issuer}, '${role}') THEN 'made by the role' ELSE 'assumed the role' END AS direction,`,
    `         coalesce(useridentity.arn, useridentity.principalid) AS caller, ${target} AS target_role, errorcode,`,
    `         count(*) OVER (PARTITION BY ${event}) AS copies,`,
    `         row_number() OVER (PARTITION BY ${event} ORDER BY account = '${account}' DESC, eventid) AS copy`,
    `  FROM ${qualified(database, CLOUDTRAIL_TABLE)}`,
    "  WHERE year = '2026' AND ((month = '11' AND day >= '26') OR (month = '12' AND day <= '03'))",
    "    AND eventtime >= '2026-11-26T00:00:00Z' AND eventtime < '2026-12-03T00:00:00Z'",
    `    AND eventsource = '${cloudTrailEventSource("sts")}'`,
    "    AND eventname IN ('AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML')",
    `    AND (regexp_like(${issuer}, '${role}') OR regexp_like(${target}, '${role}'))`,
    ") AS calls",
    "WHERE copy = 1",
    "ORDER BY eventtime",
  ].join("\n");
}

function rejectedFlowsToPort(input: SavedQueriesInput): SavedQuery {
  return {
    id: "rejected-flows-to-port",
    title: `Rejected flows to port ${EXAMPLE.port} over three days, across the organization`,
    workgroup: "hunting",
    sql: [
      `-- Edit: port ${EXAMPLE.port}, 2026-12-01 to 2026-12-04 00:00 UTC (plus the first hour of the 4th for late files).`,
      "SELECT account, region, srcaddr, dstaddr, count(*) AS records, sum(packets) AS packets,",
      '       min(from_unixtime("start")) AS first_seen, max(from_unixtime("end")) AS last_seen',
      `FROM ${qualified(input.database, FLOW_LOGS_TABLE)}`,
      "WHERE year = '2026' AND month = '12'",
      `  AND (day IN ('01', '02', '03') OR (day = '04' AND hour < '0${LATE_ARRIVAL.flowLogHours}'))`,
      "  AND from_unixtime(\"start\") >= TIMESTAMP '2026-12-01 00:00:00' AND from_unixtime(\"start\") < TIMESTAMP '2026-12-04 00:00:00'",
      `  AND action = 'REJECT' AND dstport = ${EXAMPLE.port}`,
      "GROUP BY account, region, srcaddr, dstaddr",
      "ORDER BY records DESC",
    ].join("\n"),
  };
}

function silentSources(input: SavedQueriesInput): SavedQuery {
  const heartbeatTime = [
    "coalesce(event_time, CAST(from_iso8601_timestamp(json_extract_scalar(message, '$.time')) AS timestamp(3)))",
  ].join("");
  return {
    id: "silent-sources",
    title: "Silent sources: heartbeat heard in the last day but not in the last hour, and delivery errors",
    workgroup: "hunting",
    sql: [
      "-- Edit: now = 2026-12-04 12:00 UTC. A source that never delivered is not listed: the delivery watch reports it.",
      "SELECT account, region, 'silent' AS problem, CAST(max(heard) AS varchar) AS detail",
      "FROM (",
      `  SELECT account, region, ${heartbeatTime} AS heard`,
      `  FROM ${qualified(input.database, EVENTS_VIEW)}`,
      "  WHERE year = '2026' AND month = '12' AND ((day = '03' AND hour >= '11') OR day = '04')",
      `    AND (log_group = '${input.heartbeatLogGroup}' OR (log_group IS NULL AND strpos(message, 'rule/${input.heartbeatRule}') > 0))`,
      ") AS heartbeats",
      "WHERE heard >= TIMESTAMP '2026-12-03 12:00:00'",
      "GROUP BY account, region",
      "HAVING max(heard) < TIMESTAMP '2026-12-04 11:00:00'",
      "UNION ALL",
      "SELECT account, region, 'delivery errors' AS problem,",
      "       CAST(count(*) AS varchar) || ' record(s) under ' || regexp_extract(\"$path\", 'region=[^/]+/([^/]+)/', 1) AS detail",
      `FROM ${qualified(input.database, DELIVERY_ERRORS_TABLE)}`,
      "WHERE arrivaltimestamp >= 1796299200000 -- 2026-12-03 12:00 UTC, in milliseconds",
      "GROUP BY account, region, regexp_extract(\"$path\", 'region=[^/]+/([^/]+)/', 1)",
      "ORDER BY account, region",
    ].join("\n"),
  };
}

/** The saved queries of the enabled sources. */
export function savedQueries(input: SavedQueriesInput): SavedQuery[] {
  return [
    ipInAccountRegion(input),
    errorAccountsYesterday(input),
    logGroupAcrossOrganization(input),
    ...(input.direct.cloudTrailOrganizationId ? [roleAssumeRoleLastWeek(input)] : []),
    ...(input.direct.vpcFlowLogs ? [rejectedFlowsToPort(input)] : []),
    silentSources(input),
  ];
}
