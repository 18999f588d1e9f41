/**
 * What each set of credentials of `npm run verify` needs, in one list: the
 * `--help` text and the table of docs/verify.md are both this list
 * (__tests__/verify/permissions.test.ts compares the table with it).
 */

export interface CredentialPermissions {
  /** Whose credentials, as the docs table's first column names them. */
  readonly credentials: string;
  /** The actions the run calls with them, as Markdown (service prefix once, then bare action names). */
  readonly actions: string;
}

export const PERMISSIONS: readonly CredentialPermissions[] = [
  {
    credentials: "log-archive account",
    actions:
      "`s3:ListBucket`, `GetObject`, `PutObject` (probes that must be refused), `GetBucketPolicy`, `GetEncryptionConfiguration`, `DeleteObjectVersion` and `DeleteObject` (cleanup), `logs:StartQuery`, `GetQueryResults`, `cloudwatch:DescribeAlarms` on `*`, `sts:AssumeRole` of the reader and log-analyst roles",
  },
  {
    credentials: "source account",
    actions:
      "`logs:CreateLogGroup`, `CreateLogStream`, `PutLogEvents`, `DeleteLogGroup` (cleanup), `iam:SimulatePrincipalPolicy`, `s3:GetObject` (must be refused), `cloudwatch:DescribeAlarms`",
  },
  {
    credentials: "SIEM reader role",
    actions:
      "what the role grants: `sqs:GetQueueUrl`, `GetQueueAttributes`, `ReceiveMessage`, `s3:ListBucket`, `GetObject`",
  },
  {
    credentials: "log-analyst role",
    actions:
      "what the role grants: `athena:StartQueryExecution`, `GetQueryExecution`, `GetQueryResults` in the interactive workgroup (and through them the Glue tables, the archive's objects and the results bucket), `s3:GetObject` of a trail object",
  },
];

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

/** The list as `--help` prints it: plain text, one paragraph per credentials. */
export function permissionsHelp(width = 78): string {
  return PERMISSIONS.map((p) =>
    [`  ${p.credentials}:`, ...wrap(p.actions.replace(/`/g, ""), width, "    ")].join("\n"),
  ).join("\n");
}
