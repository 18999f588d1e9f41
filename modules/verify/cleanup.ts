/**
 * `--cleanup <report.json>`: removes what a run created and nothing else.
 * Only names that run made are touched (its marker log group, probe objects
 * under its own `verify/<run>/`); anything else in the report is refused.
 */
import type { Created } from "./context";
import { isMarkerName } from "./marker";
import { isAccessDenied, type LogsPort, type S3Port } from "./ports";

export interface CleanupPorts {
  readonly sourceLogs: LogsPort;
  readonly archiveS3: S3Port;
}

/**
 * Why S3 kept an object version. Object Lock refuses a version's deletion
 * with AccessDenied too, so only a message that names Object Lock (or the
 * retention or legal hold) is put down to it; any other refusal, such as the
 * guardrails' RCP or SCP denying s3:DeleteObjectVersion, is reported as AWS
 * worded it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshoot-403-errors.html
 */
function keptBecause(error: unknown): string {
  const message = (error as Error).message;
  const requestId = (error as { requestId?: string }).requestId ?? "-";
  if (/object lock|retention|legal hold/i.test(message)) {
    return `${message} (Object Lock keeps a version until its retention date; request id ${requestId})`;
  }
  if (isAccessDenied(error)) return `refused: ${message} (request id ${requestId})`;
  return `${message} (request id ${requestId})`;
}

export async function cleanup(prefix: string, runId: string, created: Created, ports: CleanupPorts): Promise<string[]> {
  const lines: string[] = [];
  for (const group of created.logGroups) {
    if (!isMarkerName(prefix, runId, group.name)) {
      lines.push(`refused: ${group.name} is not the log group verify run ${runId} creates`);
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
    if (!isMarkerName(prefix, runId, object.key)) {
      lines.push(`refused: ${object.key} is not an object verify run ${runId} creates`);
      continue;
    }
    try {
      const out = await ports.archiveS3.deleteVersion(object.bucket, object.key, object.versionId);
      lines.push(
        `removed ${object.key}${object.versionId ? ` version ${object.versionId}` : ""} (request id ${out.requestId ?? "-"})`,
      );
    } catch (error) {
      lines.push(`kept ${object.key}: ${keptBecause(error)}`);
    }
  }
  lines.push(
    "kept: the marker object Firehose delivered under the source's prefix (archived objects are never deleted; Object Lock keeps them until their retention date)",
  );
  return lines;
}
