/** The policy context of one source account and Region, as LogSource builds it, for the source constructs' tests. */
import { archiveNames, sourceNames } from "../../modules/naming/names";
import type { SourceContext } from "../../modules/policy/source-policies";

export const SOURCE = "222222222222";
export const ARCHIVE = "111111111111";

/** Source 222222222222 in us-east-1, archive 111111111111 in eu-west-1, which also holds the archive key. */
export function sourceContext(): SourceContext {
  return {
    accountId: SOURCE,
    region: "us-east-1",
    archiveAccountId: ARCHIVE,
    archiveKeyAccountId: ARCHIVE,
    archiveRegion: "eu-west-1",
    archiveBucketArn: archiveNames({ prefix: "cwl-archive", archiveAccountId: ARCHIVE, archiveRegion: "eu-west-1" })
      .archiveBucketArn,
    names: sourceNames("cwl-archive", SOURCE, "us-east-1"),
  };
}
