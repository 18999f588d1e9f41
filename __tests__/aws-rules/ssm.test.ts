import { corpusSuite, expectCompliant, expectFinding, stackOf } from "./lib/fixture";
import * as ssm from "./rules/ssm";

const parameter = (config: any = {}, extra: any = {}) =>
  stackOf({
    aws_ssm_parameter: {
      P: {
        name: "/cwl-archive/delivery-watch/sources/000",
        type: "String",
        tier: "Standard",
        value: "111122223333 eu-west-1,us-east-1",
        ...config,
      },
      ...extra,
    },
  });

test("ssm-parameter-name", () => {
  expectCompliant(ssm.parameterName, parameter());
  expectCompliant(ssm.parameterName, parameter({ name: "watch.sources_000" }));
  expectFinding(ssm.parameterName, parameter({ name: "/cwl archive/sources" }), /must be of/);
  expectFinding(ssm.parameterName, parameter({ name: "awsSources" }), /prefixed with the reserved/);
  expectFinding(ssm.parameterName, parameter({ name: "/SSM/sources" }), /prefixed with the reserved/);
  expectFinding(ssm.parameterName, parameter({ name: "cwl-archive/sources" }), /must start with "\/"/);
  const deep = `/${Array.from({ length: 16 }, (_, i) => `l${i}`).join("/")}`;
  expectCompliant(ssm.parameterName, parameter({ name: deep.replace("/l15", "") }));
  expectFinding(ssm.parameterName, parameter({ name: deep }), /16 levels, at most 15/);
});

test("ssm-parameter-name-length", () => {
  // arn:aws:ssm:eu-west-1:111122223333:parameter/ is 45 characters; the name's leading / is the ARN's.
  expectCompliant(ssm.parameterNameLength, parameter({ name: `/${"n".repeat(1011 - 45)}` }));
  expectCompliant(ssm.parameterNameLength, parameter({ name: "n".repeat(1011 - 45) }));
  expectFinding(
    ssm.parameterNameLength,
    parameter({ name: `/${"n".repeat(1012 - 45)}` }),
    /1012 characters, at most 1011/,
  );
});

test("ssm-parameter-value", () => {
  expectCompliant(ssm.parameterValue, parameter({ value: "v".repeat(4096) }));
  expectCompliant(ssm.parameterValue, parameter({ value: "v".repeat(8192), tier: "Advanced" }));
  expectCompliant(ssm.parameterValue, parameter({ value: "v".repeat(5000), tier: "Intelligent-Tiering" }));
  expectFinding(ssm.parameterValue, parameter({ value: "v".repeat(4097) }), /Standard parameter value is 4097/);
  expectFinding(ssm.parameterValue, parameter({ value: "v".repeat(4097), tier: undefined }), /at most 4096/);
  expectFinding(ssm.parameterValue, parameter({ value: "é".repeat(2049) }), /4098 characters\/bytes/);
  expectFinding(ssm.parameterValue, parameter({ value: "v".repeat(8193), tier: "Advanced" }), /at most 8192/);
  expectFinding(ssm.parameterValue, parameter({ value: "{{ssm:/other}}" }), /contains \{\{\.\.\.\}\}/);
});

test("ssm-parameter-name-unique", () => {
  expectCompliant(
    ssm.parameterNamesUnique,
    parameter({}, { Q: { name: "/cwl-archive/delivery-watch/sources/000", region: "us-east-1" } }),
  );
  expectFinding(
    ssm.parameterNamesUnique,
    parameter({}, { Q: { name: "/cwl-archive/delivery-watch/sources/000" } }),
    /used by 2 resources/,
  );
});

corpusSuite(ssm.rules);
