import { ACCOUNT, corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as kms from "./rules/kms";

const ADMIN = {
  Sid: "AccountAdministersKey",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: ["kms:Create*", "kms:Describe*", "kms:Put*", "kms:ScheduleKeyDeletion"],
  Resource: "*",
};

function key(config: any, statements: any[] = [ADMIN], options = {}) {
  return stackOf(
    {
      aws_kms_key: {
        K: {
          deletion_window_in_days: 30,
          enable_key_rotation: true,
          ...config,
          policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }),
        },
      },
    },
    options,
  );
}

describe("key policies", () => {
  test("kms-key-policy-keeps-account-administration", () => {
    expectCompliant(kms.keyPolicyKeepsAdministration, key({}));
    expectCompliant(
      kms.keyPolicyKeepsAdministration,
      key({}, [{ ...ADMIN, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Deployer` }, Action: "kms:*" }], {
        assumeRole: `arn:aws:iam::${ACCOUNT}:role/Deployer`,
      }),
    );
    expectFinding(
      kms.keyPolicyKeepsAdministration,
      key({}, [{ ...ADMIN, Action: ["kms:Describe*", "kms:ScheduleKeyDeletion"] }]),
      /no unconditional Allow of kms:PutKeyPolicy/,
    );
    expectFinding(
      kms.keyPolicyKeepsAdministration,
      key({}, [{ ...ADMIN, Principal: { AWS: "arn:aws:iam::999999999999:root" } }]),
      /locked out/,
    );
    expectFinding(
      kms.keyPolicyKeepsAdministration,
      key({}, [{ ...ADMIN, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }]),
      /no unconditional Allow/,
    );
    expectFinding(
      kms.keyPolicyKeepsAdministration,
      key({}, [ADMIN, { Sid: "Freeze", Effect: "Deny", Principal: "*", Action: "kms:Put*", Resource: "*" }]),
      /Freeze denies kms:PutKeyPolicy to every principal/,
    );
  });

  test("kms-key-policy-statements-have-principals", () => {
    expectCompliant(kms.keyPolicyStatementsHavePrincipals, key({}));
    expectFinding(
      kms.keyPolicyStatementsHavePrincipals,
      key({}, [ADMIN, { Sid: "Nobody", Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }]),
      /Nobody has no Principal/,
    );
  });

  test("kms-eventbridge-to-encrypted-topic-no-source-conditions", () => {
    const events = (condition: object) => ({
      Sid: "EventBridgeUsesKey",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: condition,
    });
    expectCompliant(
      kms.eventBridgeTopicKeyGrant,
      key({}, [
        ADMIN,
        events({ StringEquals: { "kms:EncryptionContext:aws:sns:topicArn": "arn:aws:sns:eu-west-1:1:t" } }),
      ]),
    );
    expectFinding(
      kms.eventBridgeTopicKeyGrant,
      key({}, [ADMIN, events({ ArnEquals: { "aws:SourceArn": "arn:aws:events:eu-west-1:1:rule/r" } })]),
      /EventBridgeUsesKey grants EventBridge with aws:SourceArn/,
    );
    expectFinding(
      kms.eventBridgeTopicKeyGrant,
      key({}, [ADMIN, events({ StringEquals: { "aws:SourceAccount": "111111111111" } })]),
      /with aws:SourceAccount/,
    );
  });

  test("kms-key-policy-size", () => {
    const grant = (i: number) => ({
      Sid: `Grant${i}`,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader-${i}` },
      Action: ["kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:aws:s3:arn": "${aws_s3_bucket.B.arn}" } },
    });
    expectCompliant(kms.keyPolicySize, key({}, [ADMIN, ...Array.from({ length: 20 }, (_, i) => grant(i))]));
    expectFinding(
      kms.keyPolicySize,
      key({}, [ADMIN, ...Array.from({ length: 150 }, (_, i) => grant(i))]),
      /key policy is \d+ bytes, at most 32768/,
    );
  });
});

describe("key settings", () => {
  test("kms-deletion-window", () => {
    expectCompliant(kms.deletionWindow, key({ deletion_window_in_days: 7 }));
    expectFinding(kms.deletionWindow, key({ deletion_window_in_days: 6 }), /must be 7-30/);
    expectFinding(kms.deletionWindow, key({ deletion_window_in_days: 31 }), /must be 7-30/);
  });

  test("kms-rotation-period", () => {
    expectCompliant(kms.rotationPeriod, key({ rotation_period_in_days: 2560 }));
    expectFinding(kms.rotationPeriod, key({ rotation_period_in_days: 89 }), /must be 90-2560/);
    expectFinding(
      kms.rotationPeriod,
      key({ enable_key_rotation: false, rotation_period_in_days: 365 }),
      /without enable_key_rotation/,
    );
  });

  test("kms-alias-name", () => {
    const alias = (name: string) =>
      stackOf({ aws_kms_alias: { A: { name, target_key_id: "${aws_kms_key.K.key_id}" } } });
    expectCompliant(kms.aliasName, alias("alias/cwl-archive/archive_key"));
    expectFinding(kms.aliasName, alias("cwl-archive"), /not alias\/ followed by/);
    expectFinding(kms.aliasName, alias("alias/aws/s3"), /reserved alias\/aws\//);
  });

  test("kms-alias-unique-per-region", () => {
    const aliases = (secondRegion?: string) =>
      stackOf({
        aws_kms_alias: {
          A: { name: "alias/monitoring" },
          B: { name: "alias/monitoring", ...(secondRegion ? { region: secondRegion } : {}) },
        },
      });
    expectCompliant(kms.aliasUnique, aliases("us-east-1"));
    expectFinding(kms.aliasUnique, aliases(), /used by 2 resources: aws_kms_alias.A, aws_kms_alias.B/);
  });
});

corpusSuite(kms.rules);
