/**
 * The rules LogKeys enforces on its props, written once: LogKeys refuses
 * props that break them, and the registry runs the same function over
 * `keys`, so both report the same message (the registry adds its file and
 * YAML path). `__tests__/registry/parity.test.ts` proves it for every id in
 * LOG_KEYS_RULE_IDS.
 */
import { Token } from "cdktf";
import type { SettingProblem } from "../constructs/validation";

export const LOG_KEYS_RULE_IDS = ["keys-administrators-of-key-account"] as const;

export type LogKeysRule = (typeof LOG_KEYS_RULE_IDS)[number];
export type LogKeysProblem = SettingProblem<LogKeysRule>;

/** Only the key account's own roles and users administer its keys (paths from LogKeysProps). */
export function keyAdministratorProblems(keyAccountId: string, administrators: readonly string[]): LogKeysProblem[] {
  return administrators.flatMap((principal, index): LogKeysProblem[] =>
    Token.isUnresolved(principal) ||
    Token.isUnresolved(keyAccountId) ||
    accountOfIamPrincipal(principal) === keyAccountId
      ? []
      : [
          {
            rule: "keys-administrators-of-key-account",
            path: ["administrators", index],
            message: `expected a principal of the key account ${keyAccountId}: only its own principals administer its keys`,
            value: principal,
          },
        ],
  );
}

/** `arn:<partition>:iam::<account>:role/<name>` or `…:user/<name>`: the account of an IAM role or user ARN. */
function accountOfIamPrincipal(principal: string): string | undefined {
  const [prefix, , service, region, account, resource] = principal.split(":");
  const named = /^(role|user)\/[\w+=,.@/-]+$/.test(resource ?? "");
  return prefix === "arn" && service === "iam" && region === "" && /^\d{12}$/.test(account ?? "") && named
    ? account
    : undefined;
}
