import { ARCHIVE, SOURCE } from "../helpers/registry";
import { registryWith } from "../helpers/registry";
import { synthRegistry } from "../helpers/synth";

describe("provider and backend of every stack", () => {
  test("GIVEN no deployment settings THEN each stack assumes OrganizationAccountAccessRole in its own account, with a local backend", () => {
    const { stacks } = synthRegistry(registryWith());
    const source = stacks[`log-source-${SOURCE}-us-east-1`]!;
    expect(source.provider.aws).toEqual([
      {
        region: "us-east-1",
        allowed_account_ids: [SOURCE],
        assume_role: [
          { role_arn: `arn:aws:iam::${SOURCE}:role/OrganizationAccountAccessRole`, session_name: "cwl-log-archive" },
        ],
        default_tags: [{ tags: { ManagedBy: "cdktf", Project: "cwl-log-archive" } }],
      },
    ]);
    expect(source.terraform.backend).toEqual({ local: { path: `terraform.log-source-${SOURCE}-us-east-1.tfstate` } });
    expect(stacks["log-archive"]!.provider.aws[0]).toMatchObject({
      region: "eu-west-1",
      allowed_account_ids: [ARCHIVE],
    });
  });

  test("ambient credentials: no assume_role, still pinned to the account", () => {
    const { stacks } = synthRegistry(registryWith((r) => (r.deployment = { credentials: "ambient" })));
    for (const stack of Object.values(stacks)) {
      expect(stack.provider.aws[0].assume_role).toBeUndefined();
      expect(stack.provider.aws[0].allowed_account_ids).toHaveLength(1);
    }
  });

  test("a custom role name reaches every provider, and default tags are merged with the project's (yours win)", () => {
    const { stacks } = synthRegistry(
      registryWith(
        (r) =>
          (r.deployment = { roleName: "LogArchiveDeployer", defaultTags: { Owner: "secops", ManagedBy: "atlantis" } }),
      ),
    );
    for (const [name, stack] of Object.entries(stacks)) {
      const account = name === "log-archive" ? ARCHIVE : SOURCE;
      expect(stack.provider.aws[0].assume_role[0].role_arn).toBe(`arn:aws:iam::${account}:role/LogArchiveDeployer`);
      expect(stack.provider.aws[0].default_tags).toEqual([
        { tags: { ManagedBy: "atlantis", Project: "cwl-log-archive", Owner: "secops" } },
      ]);
    }
  });

  test("Terraform Cloud: one workspace per stack, named from the stack with the prefix", () => {
    const { stacks } = synthRegistry(
      registryWith(
        (r) =>
          (r.deployment = {
            backend: { type: "cloud", organization: "acme", project: "logs", workspacePrefix: "cwl-" },
          }),
      ),
    );
    expect(stacks["log-archive"]!.terraform.cloud).toEqual({
      hostname: "app.terraform.io",
      organization: "acme",
      workspaces: { name: "cwl-log-archive", project: "logs" },
    });
    expect(stacks[`log-source-${SOURCE}-eu-west-1`]!.terraform.cloud.workspaces.name).toBe(
      `cwl-log-source-${SOURCE}-eu-west-1`,
    );
    expect(stacks["log-archive"]!.terraform.backend).toBeUndefined();
  });

  test("S3: a key per stack, encrypted, with the native lock file", () => {
    const { stacks } = synthRegistry(
      registryWith((r) => (r.deployment = { backend: { type: "s3", bucket: "acme-tf-state", region: "eu-west-1" } })),
    );
    expect(stacks[`log-source-${SOURCE}-eu-west-1`]!.terraform.backend).toEqual({
      s3: {
        bucket: "acme-tf-state",
        key: `cwl-archive/log-source-${SOURCE}-eu-west-1/terraform.tfstate`,
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
    // The lock file needs Terraform 1.10: an older one must refuse the plan.
    expect(stacks[`log-source-${SOURCE}-eu-west-1`]!.terraform.required_version).toBe(">= 1.10");
  });

  test("every stack requires the Terraform that understands its removed blocks (1.7)", () => {
    const { stacks } = synthRegistry(registryWith(() => {}));
    for (const stack of Object.values(stacks)) expect(stack.terraform.required_version).toBe(">= 1.7");
  });
});
