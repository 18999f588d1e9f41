/**
 * The first plan reads no data source about a resource the same stack has
 * yet to create. Terraform reads a data source at plan time unless one of its
 * arguments is unknown or it depends on a resource with pending changes; a
 * data source that names a bucket, alias, role, queue or log group of its own
 * stack by a literal is read before that resource exists and fails the plan
 * (ListObjectsV2 answers NoSuchBucket, DescribeKey NotFoundException). It must
 * name the resource by reference, so the read waits for the apply.
 * @see https://developer.hashicorp.com/terraform/language/data-sources#data-resource-behavior
 */
import { corpusStacks, label } from "../helpers/corpus";
import type { TfJson } from "../helpers/synth";

/** The argument of each resource type that holds the name other resources refer to it by. */
const NAME_ARGUMENTS: Record<string, string> = {
  aws_s3_bucket: "bucket",
  aws_kms_alias: "name",
  aws_iam_role: "name",
  aws_sqs_queue: "name",
  aws_cloudwatch_log_group: "name",
  aws_sns_topic: "name",
};

/** Literal names (and their ARNs' last segment) of the resources a stack creates. */
function createdNames(stack: TfJson): Set<string> {
  const names = new Set<string>();
  for (const [type, argument] of Object.entries(NAME_ARGUMENTS)) {
    for (const config of Object.values(stack.resource[type] ?? {})) {
      const value = (config as Record<string, unknown>)[argument];
      if (typeof value === "string" && !value.includes("${")) names.add(value);
    }
  }
  return names;
}

/** Every string leaf of a data source's arguments, with its path. */
function stringLeaves(value: unknown, path: string): [string, string][] {
  if (typeof value === "string") return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : stringLeaves(v, `${path}.${k}`)));
  }
  return [];
}

/** Data-source arguments that name, by a literal, a resource the same stack creates. */
export function literalReadsOfOwnResources(stack: TfJson): string[] {
  const names = createdNames(stack);
  const data = (stack as { data?: Record<string, Record<string, unknown>> }).data ?? {};
  const found: string[] = [];
  for (const [type, byName] of Object.entries(data)) {
    for (const [name, config] of Object.entries(byName)) {
      if ((config as { depends_on?: unknown }).depends_on !== undefined) continue;
      for (const [path, value] of stringLeaves(config, `data.${type}.${name}`)) {
        if (value.includes("${")) continue;
        const lastSegment = value.split(/[:/]/).slice(-1)[0]!;
        if (
          names.has(value) ||
          (value.startsWith("arn:") && names.has(lastSegment)) ||
          names.has(`alias/${lastSegment}`)
        ) {
          found.push(`${path} = ${value}`);
        }
      }
    }
  }
  return found;
}

const stacks = corpusStacks();

test("the check finds a listing that names its own stack's bucket by a literal, and accepts a reference", () => {
  const stack = {
    resource: { aws_s3_bucket: { Archive: { bucket: "cwl-archive-1" } } },
    data: { aws_s3_objects: { Folders: { bucket: "cwl-archive-1", delimiter: "/" } } },
  } as unknown as TfJson;
  expect(literalReadsOfOwnResources(stack)).toEqual(["data.aws_s3_objects.Folders.bucket = cwl-archive-1"]);
  const referenced = {
    ...stack,
    data: { aws_s3_objects: { Folders: { bucket: "${aws_s3_bucket.Archive.bucket}", delimiter: "/" } } },
  } as unknown as TfJson;
  expect(literalReadsOfOwnResources(referenced)).toEqual([]);
});

test("the corpus reads the archive's folders at plan time (the case this guards)", () => {
  const listings = stacks.filter((s) => (s.json as { data?: Record<string, unknown> }).data?.["aws_s3_objects"]);
  expect(listings.length).toBeGreaterThan(0);
});

test.each(stacks.map((s) => [label(s), s] as const))(
  "%s: no data source names a resource of its own stack by a literal",
  (_label, s) => {
    expect(literalReadsOfOwnResources(s.json)).toEqual([]);
  },
);
