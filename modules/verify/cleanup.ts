/**
 * `--cleanup <report.json>`: removes what a run created and nothing else.
 * Only names the run made are touched (the marker log group, probe objects
 * under `verify/<run>/`); anything else in the report is refused.
 */
import type { Created } from "./context";
import { isMarkerName } from "./marker";
import type { LogsPort, S3Port } from "./ports";

export interface CleanupPorts {
  readonly sourceLogs: LogsPort;
  readonly archiveS3: S3Port;
}

export async function cleanup(prefix: string, created: Created, ports: CleanupPorts): Promise<string[]> {
  const lines: string[] = [];
  for (const group of created.logGroups) {
    if (!isMarkerName(prefix, group.name)) {
      lines.push(`refused: ${group.name} is not a log group a verify run creates`);
      continue;
    }
    try {
      const out = await ports.sourceLogs.deleteLogGroup(group.name);
      lines.push(`removed log group ${group.name} (request id ${out.requestId ?? "-"})`);
    } catch (error) {
      lines.push(`could not remove log group ${group.name}: ${(error as Error).message}`);
    }
  }
  for (const object of created.objects) {
    if (!isMarkerName(prefix, object.key)) {
      lines.push(`refused: ${object.key} is not an object a verify run creates`);
      continue;
    }
    try {
      const out = await ports.archiveS3.deleteVersion(object.bucket, object.key, object.versionId);
      lines.push(
        `removed ${object.key}${object.versionId ? ` version ${object.versionId}` : ""} (request id ${out.requestId ?? "-"})`,
      );
    } catch (error) {
      lines.push(
        `kept ${object.key}: ${(error as Error).message} (Object Lock keeps a version until its retention date)`,
      );
    }
  }
  lines.push(
    "kept: the marker object Firehose delivered under the source's prefix (archived objects are never deleted; Object Lock keeps them until their retention date)",
  );
  return lines;
}
