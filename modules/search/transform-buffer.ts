/**
 * The Lambda processor's buffer of the search streams, of *compressed*
 * CloudWatch Logs records: "The buffering size hint ranges between 0.2 MB and
 * 3MB" and "The Lambda buffering interval hint ranges between 0 and 900
 * seconds" (https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html).
 * The transform's response is the buffer decompressed, re-encoded as
 * documents and base64. On the seeded record corpus (__tests__/helpers/records;
 * `npm run bench:search`, docs/benchmarks.md) the worst realistic kind,
 * CloudTrail (about 11:1 gzip), returns about 15 response bytes per buffered
 * byte: 1 MiB of it is about 15.6 MB of response, 0.2 MiB about 3.1 MB, under
 * Lambda's 6 MB even with the record that crosses the buffer (at most about
 * 4.5 MB measured). So the documented minimum; what still does not fit is
 * re-ingested through the overflow stream, not failed. The previous 1 MB
 * indexed 9 records of 51 on 1 MB of CloudTrail-like batches (issue 19).
 *
 * A separate module so that the benchmark and the tests read it without cdktf.
 */
export const TRANSFORM_BUFFER_MB = 0.2;

/** Seconds Firehose waits to fill the buffer: the documents reach the index within a minute when traffic is low. */
export const TRANSFORM_BUFFER_SECONDS = 60;
