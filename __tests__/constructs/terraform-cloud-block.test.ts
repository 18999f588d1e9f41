import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, CloudBackend, NamedCloudWorkspace, TerraformOutput, TerraformStack } from "cdktf";
import { TerraformCloudBlock } from "../../modules/constructs/terraform-cloud-block";
import { scratchDir } from "../helpers/scratch";

interface Workspace {
  readonly organization: string;
  readonly workspaceName: string;
  readonly project?: string;
  readonly hostname?: string;
}

/** Synthesises one stack with the given backend; returns its cdk.tf.json and manifest.json as written. */
function synth(addBackend: (stack: TerraformStack) => void, skipValidation: boolean) {
  const outdir = scratchDir("cwl-cloud-block-");
  const app = new App({ outdir, skipValidation });
  const stack = new TerraformStack(app, "log-source-222222222222-eu-west-1");
  addBackend(stack);
  new TerraformOutput(stack, "x", { value: "y" });
  app.synth();
  return {
    stack: readFileSync(join(outdir, "stacks", "log-source-222222222222-eu-west-1", "cdk.tf.json"), "utf8"),
    manifest: readFileSync(join(outdir, "manifest.json"), "utf8"),
  };
}

describe("TerraformCloudBlock", () => {
  const cases: [string, Workspace][] = [
    [
      "Terraform Cloud with a project",
      { organization: "acme", workspaceName: "cwl-log-archive", project: "logs", hostname: "app.terraform.io" },
    ],
    ["no project, no hostname", { organization: "acme", workspaceName: "log-archive" }],
    ["Terraform Enterprise", { organization: "acme", workspaceName: "w", hostname: "tfe.example.com" }],
  ];

  test.each(cases)("writes the same cdk.tf.json and manifest as cdktf's CloudBackend (%s)", (_, ws) => {
    // GIVEN cdktf's CloudBackend, whose own version check is skipped here so that the test starts no process
    const reference = synth(
      (stack) =>
        new CloudBackend(stack, {
          organization: ws.organization,
          hostname: ws.hostname,
          workspaces: new NamedCloudWorkspace(ws.workspaceName, ws.project),
        }),
      true,
    );
    // WHEN the block is used with every validation on
    const ours = synth((stack) => new TerraformCloudBlock(stack, ws), false);
    // THEN the bytes are the same
    expect(ours.stack).toBe(reference.stack);
    expect(ours.manifest).toBe(reference.manifest);
  });

  test("the HCL form names the project as the JSON form does (cdktf's own HCL form drops it)", () => {
    const app = new App({ outdir: scratchDir("cwl-cloud-block-hcl-") });
    const stack = new TerraformStack(app, "log-archive");
    const withProject = new TerraformCloudBlock(stack, { organization: "acme", workspaceName: "w", project: "logs" });
    const hcl = withProject.toHclTerraform() as any;
    expect(hcl.terraform.cloud.workspaces.value).toEqual({
      name: { value: "w", type: "simple", storageClassType: "string" },
      project: { value: "logs", type: "simple", storageClassType: "string" },
    });
    const other = new TerraformStack(app, "log-keys");
    const without = new TerraformCloudBlock(other, {
      organization: "acme",
      workspaceName: "w",
    }).toHclTerraform() as any;
    expect(Object.keys(without.terraform.cloud.workspaces.value)).toEqual(["name"]);
  });

  test("the stack metadata tells cdktf-cli whether the host is Terraform Cloud or Enterprise", () => {
    const metadataOf = (hostname?: string) =>
      JSON.parse(
        synth((stack) => new TerraformCloudBlock(stack, { organization: "a", workspaceName: "w", hostname }), false)
          .stack,
      )["//"].metadata;
    expect(metadataOf()).toMatchObject({ backend: "cloud", cloud: "tfc" });
    expect(metadataOf("app.terraform.io")).toMatchObject({ backend: "cloud", cloud: "tfc" });
    expect(metadataOf("tfe.acme.io")).toMatchObject({ backend: "cloud", cloud: "tfe" });
  });

  test("starts no process when validated, where CloudBackend runs `terraform version`", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const childProcess = require("node:child_process") as typeof import("node:child_process");
    const exec = jest.spyOn(childProcess, "execSync").mockImplementation(() => Buffer.from("Terraform v1.9.8"));
    try {
      const stack = new TerraformStack(new App({ outdir: scratchDir("cwl-cloud-block-") }), "s");
      const block = new TerraformCloudBlock(stack, { organization: "a", workspaceName: "w" });
      expect(block.node.validate()).toEqual([]);
      expect(exec).not.toHaveBeenCalled();
      // the proof can fail: cdktf's own backend spawns on validation
      const other = new TerraformStack(new App({ outdir: scratchDir("cwl-cloud-block-") }), "t");
      const cdktfs = new CloudBackend(other, { organization: "a", workspaces: new NamedCloudWorkspace("w") });
      expect(cdktfs.node.validate()).toEqual([]);
      expect(exec).toHaveBeenCalledWith("terraform version", expect.anything());
    } finally {
      exec.mockRestore();
    }
  });

  test("fails on an override instead of merging it partially", () => {
    const app = new App({ outdir: scratchDir("cwl-cloud-block-") });
    const stack = new TerraformStack(app, "s");
    const block = new TerraformCloudBlock(stack, { organization: "a", workspaceName: "w" });
    block.addOverride("token", "x");
    expect(() => block.toTerraform()).toThrow("s/backend: overrides of the cloud block are not supported");
  });
});
