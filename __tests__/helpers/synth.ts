/**
 * Synthesises a registry with the real App into a temporary directory and
 * returns the parsed cdk.tf.json of every stack: tests read what ships.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp } from "../../modules/app/build-app";
import type { Registry } from "../../modules/registry/parse";

export type TfJson = {
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  data?: Record<string, Record<string, any>>;
  locals?: Record<string, any>;
};

export interface Synthesized {
  readonly stacks: Record<string, TfJson>;
  /** Raw text of each stack's cdk.tf.json. */
  readonly text: Record<string, string>;
  readonly manifest: string;
}

export function synthRegistry(registry: Registry): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), "cwl-synth-"));
  try {
    buildApp(registry, { outdir }).synth();
    const stacks: Record<string, TfJson> = {};
    const text: Record<string, string> = {};
    for (const name of readdirSync(join(outdir, "stacks"))) {
      text[name] = readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8");
      stacks[name] = JSON.parse(text[name]!) as TfJson;
    }
    return { stacks, text, manifest: readFileSync(join(outdir, "manifest.json"), "utf8") };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** All resources of a type in a stack, as [address, config] pairs. */
export function resourcesOf(stack: TfJson, type: string): [string, any][] {
  return Object.entries(stack.resource[type] ?? {});
}

/** The only resource of a type whose construct path ends with `pathSuffix`. */
export function resource(stack: TfJson, type: string, pathSuffix: string): any {
  const matches = resourcesOf(stack, type).filter(([, r]) => r["//"].metadata.path.endsWith(pathSuffix));
  if (matches.length !== 1) {
    throw new Error(`expected one ${type} at *${pathSuffix}, found ${matches.length}`);
  }
  return matches[0]![1];
}

/** Parse a policy attribute the way Terraform would see the JSON (escapes undone). */
export function policyOf(text: string): { Statement: any[] } {
  return JSON.parse(text.replace(/\$\$\{/g, "${"));
}

export function statement(policy: { Statement: any[] }, sid: string): any {
  const found = policy.Statement.find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${policy.Statement.map((s) => s.Sid).join(", ")}`);
  return found;
}

export function resourceCount(stack: TfJson): number {
  return Object.values(stack.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** Every resource address of a stack, `<type>.<name>`. */
export function addresses(stack: TfJson): Set<string> {
  return new Set(
    Object.entries(stack.resource).flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`)),
  );
}
