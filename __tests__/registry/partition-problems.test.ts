import { partitionOf } from "../../modules/naming/partition";
import { registryPartition } from "../../modules/registry/settings";
import { ARCHIVE, errorsFor, OTHER, registryWith, type RawRegistry } from "../helpers/registry";

/** The minimal registry moved to GovCloud (US-West). */
function inGovCloud(raw: RawRegistry): void {
  raw.logArchive = { accountId: ARCHIVE, region: "us-gov-west-1" };
  raw.accounts[0]!.regions = ["us-gov-west-1", "us-gov-east-1"];
}

describe("the registry's partition", () => {
  test("GIVEN the log-archive Region THEN the partition is that Region's", () => {
    expect(registryPartition(registryWith())).toBe("aws");
    expect(registryPartition(registryWith(inGovCloud))).toBe("aws-us-gov");
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
  });

  test("GIVEN a GovCloud registry whose Regions and ARNs are all GovCloud's THEN it is accepted", () => {
    const registry = registryWith((raw) => {
      inGovCloud(raw);
      raw.archive = { replicaRegion: "us-gov-east-1" };
      raw.siem = { readerPrincipals: [`arn:aws-us-gov:iam::${OTHER}:role/siem`], externalId: "vendor-generated-id" };
    });
    expect(registry.archive.replicaRegion).toBe("us-gov-east-1");
  });

  test.each([
    [
      "a source Region of another partition",
      (raw: RawRegistry) => {
        inGovCloud(raw);
        raw.accounts[0]!.regions = ["us-gov-west-1", "eu-west-1"];
      },
      "test.yaml: accounts[0].regions[1]: expected a Region of the aws-us-gov partition, that of logArchive.region (us-gov-west-1): a registry deploys to one partition",
    ],
    [
      "a commercial principal in a GovCloud registry",
      (raw: RawRegistry) => {
        inGovCloud(raw);
        raw.siem = { readerPrincipals: [`arn:aws:iam::${OTHER}:role/siem`], externalId: "vendor-generated-id" };
      },
      `test.yaml: siem.readerPrincipals[0]: expected an ARN of the aws-us-gov partition (arn:aws-us-gov:...), that of logArchive.region (us-gov-west-1): an account cannot use another partition's resources`,
    ],
    [
      "a GovCloud key in a commercial registry",
      (raw: RawRegistry) => {
        raw.archive = {
          previousKeyArns: [`arn:aws-us-gov:kms:eu-west-1:${ARCHIVE}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
        };
      },
      `test.yaml: archive.previousKeyArns[0]: expected an ARN of the aws partition (arn:aws:...), that of logArchive.region (eu-west-1): an account cannot use another partition's resources`,
    ],
    [
      "Sentinel in GovCloud",
      (raw: RawRegistry) => {
        inGovCloud(raw);
        raw.siem = { queues: "perPrefix", sentinel: { workspaceId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" } };
      },
      "test.yaml: siem.sentinel: is not offered in aws-us-gov: the Sentinel role trusts Microsoft Sentinel's commercial Azure issuer (remove siem.sentinel; feed the SIEM through siem.readerPrincipals)",
    ],
  ])("fails for %s, naming the field", (_, edit, message) => {
    const errors = errorsFor(edit);
    expect(errors.filter((error) => error.startsWith(message))).toHaveLength(1);
  });

  test("GIVEN Terraform Cloud access off THEN its commercial default policies are not judged; on THEN they must be set", () => {
    expect(() => registryWith(inGovCloud)).not.toThrow();
    const errors = errorsFor((raw) => {
      inGovCloud(raw);
      raw.terraformCloud = { access: { enabled: true, targetIds: ["r-ab12"] } };
    });
    expect(errors.join("\n")).toMatch(
      /terraformCloud\.access\.planRolePolicyArns\[0\]: expected an ARN of the aws-us-gov partition .*; set it explicitly, its default names the commercial partition/,
    );
  });
});
