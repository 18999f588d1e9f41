/**
 * Joins the outputs of several shard processes into one cdktf output
 * directory: stack folders moved side by side, whole (cdk.tf.json,
 * policies.json, assets), and one manifest written the way cdktf writes it
 * (json-stable-stringify, two spaces), so a sharded synthesis is
 * byte-identical to a single-process one.
 */
import stringify from "json-stable-stringify";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface Manifest {
  version: string;
  stacks: Record<string, unknown>;
}

export function mergeShards(shardDirs: readonly string[], outdir: string): void {
  mkdirSync(join(outdir, "stacks"), { recursive: true });
  const merged: Manifest = { version: "", stacks: {} };
  for (const dir of shardDirs) {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    merged.version = manifest.version;
    for (const [name, stack] of Object.entries(manifest.stacks)) {
      if (name in merged.stacks) throw new Error(`stack ${name} was synthesised by two shards`);
      merged.stacks[name] = stack;
    }
    for (const stack of readdirSync(join(dir, "stacks"))) {
      renameSync(join(dir, "stacks", stack), join(outdir, "stacks", stack));
    }
  }
  writeFileSync(join(outdir, "manifest.json"), stringify(merged, { space: 2 }) ?? "");
}
