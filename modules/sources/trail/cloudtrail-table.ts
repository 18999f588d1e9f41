/**
 * The organization trail's Athena table over cloudtrail/, with partition
 * projection matched to the trail's layout
 * `cloudtrail/AWSLogs/<org id>/<account>/CloudTrail/<region>/YYYY/MM/DD/`.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html
 */
import { dateParts, enumOf, sorted, table, type LogTablesInput, type TableConfig } from "../../archive/glue-table";
import { TRAIL_ROOT } from "./trail-layout";

export const CLOUDTRAIL_TABLE = "cloudtrail";

/**
 * The organization trail: every account of the organization, every Region.
 * Columns as in AWS's CloudTrail table for Athena; the variable JSON fields
 * stay strings for json_extract.
 * @see https://docs.aws.amazon.com/athena/latest/ug/cloudtrail-serde.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 */
export function cloudTrailTable(input: LogTablesInput, organizationId: string): TableConfig {
  const root = `${TRAIL_ROOT}AWSLogs/${organizationId}/`;
  return table(input, {
    name: CLOUDTRAIL_TABLE,
    description: "The organization trail: management events of every account and Region",
    root,
    partitions: [
      enumOf("account", input.accountValues),
      enumOf("region", sorted(input.serviceRegions)),
      ...dateParts(false, 2),
    ],
    template: `${root}\${account}/CloudTrail/\${region}/\${year}/\${month}/\${day}/`,
    classification: "cloudtrail",
    serDe: { name: "cloudtrail", serializationLibrary: "com.amazon.emr.hive.serde.CloudTrailSerde", parameters: {} },
    inputFormat: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
    columns: [
      { name: "eventversion", type: "string" },
      {
        name: "useridentity",
        type: "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string,sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>,sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>>>",
      },
      { name: "eventtime", type: "string" },
      { name: "eventsource", type: "string" },
      { name: "eventname", type: "string" },
      { name: "awsregion", type: "string" },
      { name: "sourceipaddress", type: "string" },
      { name: "useragent", type: "string" },
      { name: "errorcode", type: "string" },
      { name: "errormessage", type: "string" },
      { name: "requestparameters", type: "string" },
      { name: "responseelements", type: "string" },
      { name: "additionaleventdata", type: "string" },
      { name: "requestid", type: "string" },
      { name: "eventid", type: "string" },
      { name: "resources", type: "array<struct<arn:string,accountid:string,type:string>>" },
      { name: "eventtype", type: "string" },
      { name: "readonly", type: "string" },
      { name: "recipientaccountid", type: "string" },
      { name: "sharedeventid", type: "string" },
      { name: "vpcendpointid", type: "string" },
      { name: "eventcategory", type: "string" },
    ],
  });
}
