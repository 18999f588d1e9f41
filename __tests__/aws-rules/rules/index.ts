/** The whole catalogue, service by service. */
import type { Rule } from "../lib/rule";
import { rules as cloudtrail } from "./cloudtrail";
import { rules as cloudwatch } from "./cloudwatch";
import { rules as events } from "./events";
import { rules as firehose } from "./firehose";
import { rules as glueAthena } from "./glue-athena";
import { rules as iam } from "./iam";
import { rules as kinesis } from "./kinesis";
import { rules as kms } from "./kms";
import { rules as lambda } from "./lambda";
import { rules as logs } from "./logs";
import { rules as opensearch } from "./opensearch";
import { rules as organizations } from "./organizations";
import { rules as s3 } from "./s3";
import { rules as sns } from "./sns";
import { rules as sqs } from "./sqs";
import { rules as ssm } from "./ssm";

export const catalogue: readonly Rule[] = [
  ...s3,
  ...kms,
  ...sqs,
  ...sns,
  ...firehose,
  ...logs,
  ...iam,
  ...cloudtrail,
  ...glueAthena,
  ...cloudwatch,
  ...events,
  ...kinesis,
  ...lambda,
  ...ssm,
  ...opensearch,
  ...organizations,
];
