/**
 * State backend of one stack, chosen in the registry (`deployment.backend`).
 * Every stack gets its own state: a Terraform Cloud workspace, an S3 key, or a
 * local file, named after the stack.
 */
import { LocalBackend, S3Backend, type TerraformStack } from "cdktf";
import { TerraformCloudBlock } from "../constructs/terraform-cloud-block";
import type { Registry } from "../registry/parse";

type BackendSettings = Registry["deployment"]["backend"];

/** Terraform Cloud workspace of a stack: `<workspacePrefix><stack>`. */
export function workspaceName(backend: Extract<BackendSettings, { type: "cloud" }>, stackName: string): string {
  return `${backend.workspacePrefix}${stackName}`;
}

/** S3 state key of a stack: `<keyPrefix><stack>/terraform.tfstate`. */
export function stateKey(backend: Extract<BackendSettings, { type: "s3" }>, stackName: string): string {
  return `${backend.keyPrefix}${stackName}/terraform.tfstate`;
}

export function addBackend(stack: TerraformStack, stackName: string, backend: BackendSettings): void {
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
      return;
    case "cloud":
      // Not cdktf's CloudBackend, which starts `terraform version` once per stack (see the block's file).
      new TerraformCloudBlock(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaceName: workspaceName(backend, stackName),
        project: backend.project,
      });
      return;
    case "s3": {
      const s3 = new S3Backend(stack, {
        bucket: backend.bucket,
        key: stateKey(backend, stackName),
        region: backend.region,
        encrypt: true,
        kmsKeyId: backend.kmsKeyId,
        assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21 has no typed
      // property for it yet, so it is set as an override.
      s3.addOverride("use_lockfile", true);
      return;
    }
  }
}
