/**
 * AWS Config's Athena table over config/:
 * `config/AWSLogs/<account>/Config/<region>/YYYY/M/D/ConfigHistory or ConfigSnapshot/`
 * (Config does not zero-pad month and day).
 * @see https://docs.aws.amazon.com/config/latest/developerguide/example-configuration-history-notification.html
 */
import {
  dateParts,
  enumOf,
  OPENX_JSON,
  sorted,
  table,
  type LogTablesInput,
  type TableConfig,
} from "../../archive/glue-table";
import { CONFIG_ROOT } from "./config-layout";

export const CONFIG_TABLE = "config";

/** Config's two kinds of delivered files, each in its own folder under the day. */
export const CONFIG_FILE_TYPES = ["ConfigHistory", "ConfigSnapshot"] as const;

/**
 * AWS Config configuration history and snapshots: one JSON document per
 * file with its configuration items. Config does not zero-pad month and day.
 * @see https://docs.aws.amazon.com/config/latest/developerguide/example-configuration-snapshot-notification.html
 */
export function configTable(input: LogTablesInput): TableConfig {
  const root = `${CONFIG_ROOT}AWSLogs/`;
  return table(input, {
    name: CONFIG_TABLE,
    description: "AWS Config configuration history and snapshots of every organization account",
    root,
    partitions: [
      enumOf("account", input.accountValues),
      enumOf("region", sorted(input.serviceRegions)),
      ...dateParts(false, 1),
      enumOf("filetype", CONFIG_FILE_TYPES.join(",")),
    ],
    template: `${root}\${account}/Config/\${region}/\${year}/\${month}/\${day}/\${filetype}/`,
    classification: "json",
    serDe: OPENX_JSON,
    columns: [
      { name: "fileversion", type: "string" },
      { name: "configsnapshotid", type: "string" },
      {
        name: "configurationitems",
        type: "array<struct<configurationitemversion:string,configurationitemcapturetime:string,configurationstateid:bigint,awsaccountid:string,configurationitemstatus:string,resourcetype:string,resourceid:string,resourcename:string,arn:string,awsregion:string,availabilityzone:string,resourcecreationtime:string,tags:map<string,string>,configuration:string>>",
      },
    ],
  });
}
