import { ACCOUNT, corpusSuite, expectCompliant, expectFinding, REGION, stackOf } from "./lib/fixture";
import * as opensearch from "./rules/opensearch";

const DOMAIN = `arn:aws:es:${REGION}:${ACCOUNT}:domain/security-logs`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/search-delivery`;

/** The search delivery's domain access policy; `edit` changes the document, `policy` the resource. */
function domainPolicy(edit: (doc: any) => void = () => {}, policy: any = {}) {
  const doc: any = {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "SearchStreamIndexes",
        Effect: "Allow",
        Principal: { AWS: ROLE_ARN },
        Action: ["es:ESHttpPost", "es:ESHttpPut"],
        Resource: `${DOMAIN}/*`,
      },
      {
        Sid: "NamedPrincipalsSearch",
        Effect: "Allow",
        Principal: { AWS: ["arn:aws:iam::444455556666:role/SecurityAnalyst", "444455556666"] },
        Action: "es:ESHttpGet",
        Resource: `${DOMAIN}/*`,
      },
      {
        Sid: "NobodyElse",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "es:ESHttp*",
        Resource: `${DOMAIN}/*`,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": [ROLE_ARN] } },
      },
    ],
  };
  edit(doc);
  return stackOf({
    aws_iam_role: { Role: { name: "search-delivery" } },
    aws_opensearch_domain_policy: {
      P: {
        domain_name: "security-logs",
        access_policies: JSON.stringify(doc),
        depends_on: ["aws_iam_role.Role"],
        ...policy,
      },
    },
  });
}

test("opensearch-domain-access-policy-size", () => {
  expectCompliant(opensearch.accessPolicySize, domainPolicy());
  expectFinding(
    opensearch.accessPolicySize,
    domainPolicy((doc) => (doc.Statement[0].Sid = "S".repeat(102_400))),
    /access policy is \d+ characters, at most 102400/,
  );
  // An unresolved reference counts at its worst-case length.
  expectFinding(
    opensearch.accessPolicySize,
    domainPolicy((doc) => (doc.Statement[0].Resource = Array(400).fill("${aws_s3_bucket.Missing.arn}"))),
    /at most 102400/,
  );
});

test("opensearch-domain-access-policy-grammar", () => {
  expectCompliant(opensearch.accessPolicyGrammar, domainPolicy());
  expectCompliant(
    opensearch.accessPolicyGrammar,
    domainPolicy((doc) => delete doc.Version),
  );
  expectFinding(
    opensearch.accessPolicyGrammar,
    domainPolicy((doc) => (doc.Version = "2012-10-18")),
    /Version "2012-10-18" is not one of 2012-10-17, 2008-10-17/,
  );
  expectFinding(
    opensearch.accessPolicyGrammar,
    domainPolicy((doc) => (doc.Statement = [])),
    /has no Statement/,
  );
  expectFinding(
    opensearch.accessPolicyGrammar,
    domainPolicy((doc) => (doc.Statement[1].Effect = "allow")),
    /statement NamedPrincipalsSearch has Effect "allow"/,
  );
  expectFinding(
    opensearch.accessPolicyGrammar,
    domainPolicy((doc) => delete doc.Statement[0].Principal),
    /statement SearchStreamIndexes has no Principal/,
  );
});

test("opensearch-domain-access-policy-principals", () => {
  expectCompliant(opensearch.accessPolicyPrincipals, domainPolicy());
  expectCompliant(
    opensearch.accessPolicyPrincipals,
    domainPolicy((doc) => (doc.Statement[0].Principal.AWS = "${aws_iam_role.Role.arn}")),
  );
  expectFinding(
    opensearch.accessPolicyPrincipals,
    domainPolicy((doc) => (doc.Statement[1].Principal.AWS = "arn:aws:iam::444455556666:role/Security*")),
    /uses a wildcard inside a name or ARN/,
  );
  expectFinding(
    opensearch.accessPolicyPrincipals,
    domainPolicy((doc) => (doc.Statement[1].Principal.AWS = "SecurityAnalyst")),
    /"SecurityAnalyst" is not an account id or an IAM principal ARN/,
  );
  expectFinding(
    opensearch.accessPolicyPrincipals,
    domainPolicy((doc) => (doc.Statement[1].Principal.AWS = "arn:aws:iam::444455556666:group/Analysts")),
    /is not an account id or an IAM principal ARN/,
  );
});

test("opensearch-domain-access-policy-roles-exist-first", () => {
  expectCompliant(opensearch.accessPolicyRolesFirst, domainPolicy());
  // A reference orders the role first without depends_on.
  expectCompliant(
    opensearch.accessPolicyRolesFirst,
    domainPolicy((doc) => (doc.Statement[0].Principal.AWS = "${aws_iam_role.Role.arn}"), { depends_on: undefined }),
  );
  expectFinding(
    opensearch.accessPolicyRolesFirst,
    domainPolicy(() => {}, { depends_on: undefined }),
    /names aws_iam_role\.Role \(arn:aws:iam::111122223333:role\/search-delivery\) but does not depend on it/,
  );
});

test("opensearch-domain-access-policy-no-notprincipal", () => {
  expectCompliant(opensearch.accessPolicyNoNotPrincipal, domainPolicy());
  // "Everyone but the stream" as OpenSearch accepts it: Principal * and an ArnNotEquals condition (the policy above).
  expectCompliant(
    opensearch.accessPolicyNoNotPrincipal,
    domainPolicy((doc) => (doc.Statement[1].NotAction = ["es:ESHttpGet"])),
  );
  expectFinding(
    opensearch.accessPolicyNoNotPrincipal,
    domainPolicy((doc) => {
      const deny = doc.Statement[2];
      delete deny.Principal;
      delete deny.Condition;
      deny.NotPrincipal = { AWS: [ROLE_ARN] };
    }),
    /statement NobodyElse uses NotPrincipal/,
  );
});

corpusSuite(opensearch.rules);
