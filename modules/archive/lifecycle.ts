/**
 * Lifecycle rules of the archive and replica buckets, from the registry's
 * archive settings. One lifecycle configuration per bucket (S3 allows only
 * one), with two rules: tiering and expiry, and expired delete-marker cleanup
 * (which S3 does not allow in a rule that also expires by age).
 */
import type { S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import type { TransitionStorageClass } from "../options/values";

/** Lifecycle of the archive (and replica) bucket. */
export interface ArchiveLifecycleSettings {
  /** Current object versions expire after this many days. @default 2557 (in LogArchive, LOG_ARCHIVE_DEFAULTS) */
  readonly retentionDays: number;
  /** Noncurrent versions expire after this many days. @default 365 (in LogArchive) */
  readonly noncurrentVersionRetentionDays: number;
  /**
   * Storage-class transitions, ascending days, colder each step (S3's waterfall).
   * @default STANDARD_IA at 30 days, GLACIER_IR at 90, DEEP_ARCHIVE at 365 (in LogArchive)
   */
  readonly transitions: readonly { readonly storageClass: TransitionStorageClass; readonly days: number }[];
  /** Incomplete multipart uploads are aborted after this many days. @default 7 (in LogArchive) */
  readonly abortIncompleteMultipartUploadDays: number;
}

/** Lifecycle of an access-log bucket. */
export interface AccessLogLifecycleSettings {
  /** Access logs expire after this many days. @default 2557 (in LogArchive) */
  readonly accessLogRetentionDays: number;
  /** Incomplete multipart uploads are aborted after this many days. */
  readonly abortIncompleteMultipartUploadDays: number;
}

export function archiveLifecycleRules(archive: ArchiveLifecycleSettings): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "tiering-and-expiry",
      status: "Enabled",
      filter: [{}],
      transition: archive.transitions.map((t) => ({ days: t.days, storageClass: t.storageClass })),
      expiration: [{ days: archive.retentionDays }],
      noncurrentVersionExpiration: [{ noncurrentDays: archive.noncurrentVersionRetentionDays }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: archive.abortIncompleteMultipartUploadDays }],
    },
    {
      id: "expired-delete-markers",
      status: "Enabled",
      filter: [{}],
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
  ];
}

/** Access logs: expire after their retention; nothing else to manage. */
export function accessLogLifecycleRules(archive: AccessLogLifecycleSettings): S3BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expiry",
      status: "Enabled",
      filter: [{}],
      expiration: [{ days: archive.accessLogRetentionDays }],
      noncurrentVersionExpiration: [{ noncurrentDays: 30 }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: archive.abortIncompleteMultipartUploadDays }],
    },
    {
      id: "expired-delete-markers",
      status: "Enabled",
      filter: [{}],
      expiration: [{ expiredObjectDeleteMarker: true }],
    },
  ];
}
