import { RegistryError } from "../../modules/registry/errors";
import { parseRegistry } from "../../modules/registry/parse";
import { ARCHIVE, errorsFor, MINIMAL_YAML, ORG, registryErrors, registryWith, SOURCE } from "../helpers/registry";

describe("parseRegistry", () => {
  test("GIVEN the minimal registry of the design THEN every default is applied", () => {
    const registry = parseRegistry(MINIMAL_YAML, "accounts/registry.yaml");
    expect(registry.organization.id).toBe(ORG);
    expect(registry.accounts).toEqual([{ id: SOURCE, name: "payments-prod", regions: ["eu-west-1", "us-east-1"] }]);
    expect(registry.naming.prefix).toBe("cwl-archive");
    expect(registry.archive).toMatchObject({
      retentionDays: 2557,
      minimumObjectSizeRule: "all_storage_classes_128K",
      accessLogging: true,
      abortIncompleteMultipartUploadDays: 7,
      replicationTimeControl: false,
    });
    expect(registry.archive.objectLock).toBeUndefined();
    expect(registry.archive.replicaRegion).toBeUndefined();
    expect(registry.defaults.subscription.mode).toBe("all");
    expect(registry.defaults.firehose).toEqual({
      bufferingSizeMiB: 5,
      bufferingIntervalSeconds: 300,
      compression: "GZIP",
      messageExtraction: false,
      streamEncryption: "AWS_OWNED_CMK",
      errorLogRetentionDays: 365,
    });
    expect(registry.deployment).toMatchObject({
      credentials: "assumeRole",
      roleName: "OrganizationAccountAccessRole",
      backend: { type: "local" },
    });
    expect(registry.siem).toMatchObject({ visibilityTimeoutSeconds: 300, maxReceiveCount: 10 });
    expect(registry.siem).toMatchObject({ readers: [], queues: "single" });
    expect(registry.siem.sentinel).toBeUndefined();
  });

  test("the result is deeply frozen", () => {
    const registry = parseRegistry(MINIMAL_YAML, "r.yaml");
    expect(Object.isFrozen(registry)).toBe(true);
    expect(Object.isFrozen(registry.accounts[0]!.regions)).toBe(true);
    expect(Object.isFrozen(registry.defaults.subscription.excludeLogGroups)).toBe(true);
  });

  test("the error is a RegistryError carrying each problem as data", () => {
    try {
      parseRegistry("organization: {id: nope}\n", "r.yaml");
      throw new Error("not rejected");
    } catch (error) {
      expect(error).toBeInstanceOf(RegistryError);
      expect((error as RegistryError).problems[0]).toEqual({
        file: "r.yaml",
        path: "organization.id",
        message: "expected an AWS Organization id: o- followed by 10-32 lowercase letters or digits",
        got: '"nope"',
      });
    }
  });
});

describe("parseRegistry error classes (exact messages)", () => {
  test.each<[string, (raw: any) => void, string]>([
    [
      "malformed organization id",
      (r) => (r.organization.id = "org-123"),
      'test.yaml: organization.id: expected an AWS Organization id: o- followed by 10-32 lowercase letters or digits, got "org-123"',
    ],
    [
      "account id that is not 12 digits",
      (r) => (r.accounts[0].id = "12345"),
      'test.yaml: accounts[0].id: expected a 12-digit account id as a quoted string, got "12345"',
    ],
    [
      "unknown region",
      (r) => (r.accounts[0].regions = ["eu-west-4"]),
      'test.yaml: accounts[0].regions[0]: unknown AWS Region; expected one of the Regions listed in modules/naming/regions.ts, got "eu-west-4"',
    ],
    [
      "malformed region",
      (r) => (r.logArchive.region = "Ireland"),
      'test.yaml: logArchive.region: expected an AWS Region name such as eu-west-1, got "Ireland"',
    ],
    [
      "region of another partition",
      (r) => (r.accounts[0].regions = ["us-gov-west-1"]),
      'test.yaml: accounts[0].regions[0]: expected a Region of the aws partition, that of logArchive.region (eu-west-1): a registry deploys to one partition, got "us-gov-west-1"',
    ],
    [
      "replica in another partition than the archive",
      (r) => {
        r.logArchive.region = "us-gov-west-1";
        r.accounts[0].regions = ["us-gov-west-1"];
        r.archive = { replicaRegion: "cn-north-1" };
      },
      'test.yaml: archive.replicaRegion: expected a Region of the aws-us-gov partition, that of logArchive.region (us-gov-west-1): a registry deploys to one partition, got "cn-north-1"',
    ],
    [
      "an isolated Region",
      (r) => (r.accounts[0].regions = ["us-iso-east-1"]),
      'test.yaml: accounts[0].regions[0]: expected a Region of the aws, aws-us-gov or aws-cn partition; the European Sovereign Cloud and the isolated Regions are not supported, got "us-iso-east-1"',
    ],
    [
      "empty regions list",
      (r) => (r.accounts[0].regions = []),
      "test.yaml: accounts[0].regions: expected at least one Region, got []",
    ],
    [
      "unknown key, with a suggestion",
      (r) => (r.accounts[0].regoins = ["eu-west-1"]),
      'test.yaml: accounts[0].regoins: unknown key (did you mean "regions"?); allowed keys here: alarms, delivery, expectsLogs, firehose, id, name, regions, retired, subscription, vpcFlowLogs, got ["eu-west-1"]',
    ],
    [
      "duplicate account id",
      (r) => r.accounts.push({ id: SOURCE, name: "other", regions: ["eu-west-1"] }),
      'test.yaml: accounts[1].id: duplicate account id (also accounts[0].id), got "222222222222"',
    ],
    [
      "duplicate account name",
      (r) => r.accounts.push({ id: "333333333333", name: "payments-prod", regions: ["eu-west-1"] }),
      'test.yaml: accounts[1].name: duplicate account name (also accounts[0].name), got "payments-prod"',
    ],
    [
      "duplicate region of an account",
      (r) => (r.accounts[0].regions = ["eu-west-1", "eu-west-1"]),
      'test.yaml: accounts[0].regions[1]: duplicate Region (also regions[0]), got "eu-west-1"',
    ],
    [
      "invalid display name",
      (r) => (r.accounts[0].name = "Payments Prod!"),
      'test.yaml: accounts[0].name: expected a display name: 1-64 letters, digits, . _ - starting with a letter or digit, got "Payments Prod!"',
    ],
    [
      "missing required section",
      (r) => delete r.logArchive,
      "test.yaml: logArchive: missing required key (expected a mapping with accountId and region)",
    ],
    [
      "buffer size out of range",
      (r) => (r.defaults = { firehose: { bufferingSizeMiB: 129 } }),
      "test.yaml: defaults.firehose.bufferingSizeMiB: expected a Firehose buffer size in MiB: an integer from 1 to 128, got 129",
    ],
    [
      "buffer interval out of range",
      (r) => (r.accounts[0].firehose = { bufferingIntervalSeconds: 901 }),
      "test.yaml: accounts[0].firehose.bufferingIntervalSeconds: expected a Firehose buffer interval in seconds: an integer from 0 to 900, got 901",
    ],
    [
      "log retention CloudWatch Logs does not offer",
      (r) => (r.defaults = { firehose: { errorLogRetentionDays: 42 } }),
      "test.yaml: defaults.firehose.errorLogRetentionDays: expected a CloudWatch Logs retention period: one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 42",
    ],
    [
      "unknown backend type",
      (r) => (r.deployment = { backend: { type: "gcs" } }),
      'test.yaml: deployment.backend.type: expected a backend type: "local", "cloud" or "s3", got "gcs"',
    ],
    [
      "cloud backend without organization",
      (r) => (r.deployment = { backend: { type: "cloud" } }),
      "test.yaml: deployment.backend.organization: missing required key (expected a Terraform Cloud organization name)",
    ],
    [
      "replica in the archive Region",
      (r) => (r.archive = { replicaRegion: "eu-west-1" }),
      `test.yaml: archive.replicaRegion: expected a Region other than the archive's (eu-west-1): a replica in the same Region does not survive a regional outage, got "eu-west-1"`,
    ],
    [
      "a hunting cutoff below the interactive one",
      (r) => (r.monitoring = { athena: { bytesScannedCutoffGiB: 100, huntingBytesScannedCutoffGiB: 50 } }),
      "test.yaml: monitoring.athena.huntingBytesScannedCutoffGiB: expected at least the interactive workgroup's bytesScannedCutoffGiB (100): the hunting workgroup is the larger one, got 50",
    ],
    [
      "replication time control without replication",
      (r) => (r.archive = { replicationTimeControl: true }),
      "test.yaml: archive.replicationTimeControl: needs archive.replicaRegion: replication time control applies to a replication rule, got true",
    ],
    [
      "Object Lock longer than the retention",
      (r) => (r.archive = { retentionDays: 365, objectLock: { mode: "COMPLIANCE", days: 400 } }),
      "test.yaml: archive.objectLock.days: expected at most archive.retentionDays (365): lifecycle expiry cannot remove a locked version, so the two must agree, got 400",
    ],
    [
      "unknown Object Lock mode",
      (r) => (r.archive = { objectLock: { mode: "STRICT", days: 1 } }),
      'test.yaml: archive.objectLock.mode: expected "GOVERNANCE" or "COMPLIANCE", got "STRICT"',
    ],
    [
      "transition to Standard-IA before 30 days",
      (r) => (r.archive = { transitions: [{ storageClass: "STANDARD_IA", days: 10 }] }),
      "test.yaml: archive.transitions[0].days: expected at least 30 days: S3 does not transition to STANDARD_IA earlier, got 10",
    ],
    [
      "transitions out of order",
      (r) =>
        (r.archive = {
          transitions: [
            { storageClass: "GLACIER", days: 90 },
            { storageClass: "GLACIER_IR", days: 120 },
          ],
        }),
      'test.yaml: archive.transitions[1].storageClass: expected a colder storage class than GLACIER: lifecycle transitions only go down the S3 waterfall, got "GLACIER_IR"',
    ],
    [
      "transition after expiry",
      (r) => (r.archive = { retentionDays: 60, transitions: [{ storageClass: "GLACIER", days: 90 }] }),
      "test.yaml: archive.transitions[0].days: expected fewer days than archive.retentionDays (60): objects expire before this transition, got 90",
    ],
    [
      "listed mode without log groups",
      (r) => (r.accounts[0].subscription = { mode: "listed" }),
      'test.yaml: accounts[0].subscription.logGroups: expected at least one log group: mode "listed" subscribes only the log groups listed here',
    ],
    [
      "the pipeline's own log group listed",
      (r) =>
        (r.accounts[0].subscription = {
          mode: "listed",
          logGroups: [{ name: "/aws/kinesisfirehose/cwl-archive-to-archive" }],
        }),
      'test.yaml: accounts[0].subscription.logGroups[0].name: is the pipeline\'s own log group in eu-west-1: subscribing it would loop forever, got "/aws/kinesisfirehose/cwl-archive-to-archive"',
    ],
    [
      "duplicate listed log group",
      (r) => (r.accounts[0].subscription = { mode: "listed", logGroups: [{ name: "/a" }, { name: "/a" }] }),
      'test.yaml: accounts[0].subscription.logGroups[1].name: duplicate log group (also logGroups[0]), got "/a"',
    ],
    [
      "filter pattern CloudWatch Logs would refuse at apply",
      (r) => (r.defaults = { subscription: { filterPattern: "%Access Denied%" } }),
      'test.yaml: defaults.subscription.filterPattern: expected a regular expression of letters, digits, : _ # = @ / ; , - and the operators ^ $ ? [ ] { } | \\ * + . only, got " " in %Access Denied%, got "%Access Denied%"',
    ],
    [
      "listed log group's filter pattern with an unclosed JSON pattern",
      (r) =>
        (r.accounts[0].subscription = {
          mode: "listed",
          logGroups: [{ name: "/app/api", filterPattern: '{ $.level = "ERROR"' }],
        }),
      'test.yaml: accounts[0].subscription.logGroups[0].filterPattern: expected a JSON filter pattern to end with }, got "{ $.level = \\"ERROR\\""',
    ],
    [
      "an account's exclusions in mode listed",
      (r) =>
        (r.accounts[0].subscription = {
          mode: "listed",
          logGroups: [{ name: "/app/api" }],
          excludeLogGroups: ["/app/noisy"],
        }),
      'test.yaml: accounts[0].subscription.excludeLogGroups: is ignored: account 222222222222 subscribes only its listed logGroups (mode "listed"); remove it, or set mode "all"',
    ],
    [
      "an account's listed log groups in mode all",
      (r) => (r.accounts[0].subscription = { logGroups: [{ name: "/app/api" }] }),
      'test.yaml: accounts[0].subscription.logGroups: is ignored: account 222222222222 subscribes every log group (mode "all"); remove it, or set mode "listed"',
    ],
    [
      "default listed log groups no account reads",
      (r) => (r.defaults = { subscription: { logGroups: [{ name: "/app/api" }] } }),
      'test.yaml: defaults.subscription.logGroups: is ignored: no account uses mode "listed", the only mode that reads it',
    ],
    [
      "a retired account's GuardDuty findings",
      (r) => {
        r.accounts[0].retired = true;
        r.sources = { guardDuty: { accounts: [SOURCE] } };
      },
      'test.yaml: sources.guardDuty.accounts[0]: is a retired account, which has no pipeline to carry its findings: remove it here, got "222222222222"',
    ],
    [
      "ExternalId too short",
      (r) => (r.siem = { externalId: "x" }),
      'test.yaml: siem.externalId: expected an ExternalId: 2-1224 characters of letters, digits and +=,.@:/-, got "x"',
    ],
    [
      "a named reader that is an account root",
      (r) => (r.siem = { readers: ["arn:aws:iam::222222222222:root"] }),
      'test.yaml: siem.readers[0]: expected an IAM role or user ARN such as arn:aws:iam::123456789012:role/splunk-forwarder, got "arn:aws:iam::222222222222:root"',
    ],
    [
      "a Sentinel workspace id that is not a GUID",
      (r) => (r.siem = { sentinel: { workspaceId: "my-workspace" } }),
      'test.yaml: siem.sentinel.workspaceId: expected a Sentinel workspace id: a lowercase GUID such as 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d, got "my-workspace"',
    ],
    [
      "Sentinel on one queue carrying several log types",
      (r) => {
        r.siem = { sentinel: { workspaceId: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d" } };
        r.sources = { vpcFlowLogs: { enabled: true }, notifySiem: ["vpc-flow-logs"] };
      },
      "test.yaml: siem.queues: expected one queue per prefix with siem.sentinel and direct sources announced to the SIEM: Sentinel's connector binds one queue to one log type and one path",
    ],
    [
      "a reader principal outside the registry's accounts without siem.externalId (the organization id is guessable)",
      (r) => (r.siem = { readerPrincipals: ["arn:aws:iam::444455556666:role/hosted-siem"] }),
      "test.yaml: siem.externalId: is required when siem.readerPrincipals names a principal of an account outside this registry (arn:aws:iam::444455556666:role/hosted-siem): set the ExternalId your SIEM vendor generated for you (unique to you; the organization id is guessable), and configure the same in the SIEM. An account of your organization that the registry does not list counts as outside: its principal can use the ExternalId too",
    ],
    [
      "an outside reader principal with the organization id as siem.externalId",
      (r) => (r.siem = { readerPrincipals: ["arn:aws:iam::444455556666:role/hosted-siem"], externalId: ORG }),
      'test.yaml: siem.externalId: must not be the organization id when siem.readerPrincipals names a principal of an account outside this registry (arn:aws:iam::444455556666:role/hosted-siem): set the ExternalId your SIEM vendor generated for you (unique to you; the organization id is guessable), and configure the same in the SIEM. An account of your organization that the registry does not list counts as outside: its principal can use the ExternalId too, got "o-a1b2c3d4e5"',
    ],
    [
      "a member account's root as a reader principal (it would need no ExternalId)",
      (r) => (r.siem = { readerPrincipals: [`arn:aws:iam::${SOURCE}:root`] }),
      `test.yaml: siem.readerPrincipals[0]: is the root of ${SOURCE}, an account of this organization: inside the organization the reader role needs no ExternalId, so every principal of that account allowed sts:AssumeRole could assume it; name the SIEM's own role or user instead, got "arn:aws:iam::${SOURCE}:root"`,
    ],
    [
      "maxReceiveCount below AWS's recommendation",
      (r) => (r.siem = { maxReceiveCount: 1 }),
      "test.yaml: siem.maxReceiveCount: expected a maxReceiveCount: an integer from 5 to 1000, got 1",
    ],
    [
      "invalid name prefix",
      (r) => (r.naming = { prefix: "CWL_Archive" }),
      'test.yaml: naming.prefix: expected a name prefix: 3-20 lowercase letters, digits and -, starting with a letter, got "CWL_Archive"',
    ],
  ])("fails on %s", (_name, edit, expected) => {
    expect(errorsFor(edit)).toContain(expected);
  });

  test("accepts reader principals of the organization without an ExternalId, the log-archive root, and an outsider with the vendor's ExternalId", () => {
    expect(() =>
      registryWith(
        (r) =>
          (r.siem = {
            readerPrincipals: [`arn:aws:iam::${SOURCE}:role/splunk-addon`, `arn:aws:iam::${ARCHIVE}:root`],
          }),
      ),
    ).not.toThrow();
    expect(() =>
      registryWith(
        (r) =>
          (r.siem = { readerPrincipals: ["arn:aws:iam::444455556666:role/hosted-siem"], externalId: "vendor-7f2c9a" }),
      ),
    ).not.toThrow();
  });

  test("fails on an account id written as a YAML number, quoting it as written", () => {
    const errors = registryErrors(
      MINIMAL_YAML.replace(`id: "${SOURCE}"`, "id: 022222222222"),
      "accounts/registry.yaml",
    );
    expect(errors).toEqual([
      "accounts/registry.yaml: accounts[0].id: expected a 12-digit account id as a quoted string (a YAML number loses leading zeros), got 022222222222",
    ]);
  });

  test("fails on an account-level selection criteria over 25,000 bytes", () => {
    const exclude = Array.from({ length: 600 }, (_, i) => `/aws/lambda/a-rather-long-function-name-number-${i}-x`);
    expect(errorsFor((r) => (r.defaults = { subscription: { excludeLogGroups: exclude } }))).toEqual([
      expect.stringMatching(
        /^test\.yaml: defaults\.subscription\.excludeLogGroups: makes the account-level selection criteria \d+ bytes in eu-west-1; CloudWatch Logs accepts at most 25000 \(use fewer, or mode "listed"\)$/,
      ),
    ]);
  });

  test("reports every problem at once", () => {
    const errors = errorsFor((r: any) => {
      r.organization.id = "bad";
      r.accounts[0].id = "1";
      r.accounts[0].regions = [];
      r.accounts.push({ id: "333333333333", name: "payments-prod", regions: ["mars-1"] });
    });
    expect(errors).toHaveLength(5);
  });

  test("fails on invalid YAML with its line and column", () => {
    expect(registryErrors("organization:\n  id: [unclosed\n", "r.yaml")).toEqual([
      expect.stringMatching(/^r\.yaml: line \d+, column \d+: invalid YAML: /),
    ]);
  });

  test("fails on a duplicate YAML key", () => {
    expect(registryErrors(`${MINIMAL_YAML}accounts: []\n`, "r.yaml")).toEqual([
      expect.stringMatching(/^r\.yaml: line 10, column 1: invalid YAML: Map keys must be unique/),
    ]);
  });

  test("fails on an empty document and on a document that is not a mapping", () => {
    expect(registryErrors("", "r.yaml")).toEqual([
      "r.yaml: (root): the registry is empty; expected organization, logArchive and accounts",
    ]);
    expect(registryErrors("- a\n- b\n", "r.yaml")[0]).toMatch(/^r\.yaml: \(root\): /);
  });

  test("accepts the log-archive account as a source of its own log groups", () => {
    const registry = registryWith((r) => r.accounts.push({ id: ARCHIVE, name: "log-archive", regions: ["eu-west-1"] }));
    expect(registry.accounts.map((a) => a.id)).toContain(ARCHIVE);
  });

  test.each([
    ["bufferingSizeMiB", 1],
    ["bufferingSizeMiB", 128],
    ["bufferingIntervalSeconds", 0],
    ["bufferingIntervalSeconds", 900],
  ])("accepts the edge %s = %d", (key, value) => {
    const registry = registryWith((r) => (r.defaults = { firehose: { [key]: value } }));
    expect((registry.defaults.firehose as Record<string, unknown>)[key]).toBe(value);
  });
});
