// Generates a registry of N source accounts in 3 Regions each (for the synth
// benchmark), with the local (default), s3 or cloud state backend.
// Usage: node scripts/bench/generate-registry.mjs <accounts> <file> [local|s3|cloud]
import { writeFileSync } from "node:fs";

const REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"];

/** `deployment.backend` of each benchmarked backend (what a real organization would write). */
export const BACKENDS = {
  local: [],
  s3: ["deployment:", "  backend: { type: s3, bucket: bench-terraform-state, region: eu-west-1 }"],
  cloud: [
    "deployment:",
    "  backend: { type: cloud, organization: bench-org, project: log-archive, workspacePrefix: cwl- }",
  ],
};

export function generateRegistry(accounts, backend = "local") {
  if (!(backend in BACKENDS))
    throw new Error(`unknown backend ${backend}: expected ${Object.keys(BACKENDS).join(", ")}`);
  const lines = [
    "organization:",
    "  id: o-bench00001",
    "logArchive:",
    '  accountId: "100000000000"',
    "  region: eu-west-1",
    "archive:",
    "  replicaRegion: eu-central-1",
    ...BACKENDS[backend],
    "accounts:",
  ];
  for (let i = 1; i <= accounts; i++) {
    const id = String(200000000000 + i);
    lines.push(`  - id: "${id}"`, `    name: workload-${i}`, `    regions: [${REGIONS.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [count, file, backend] = process.argv.slice(2);
  writeFileSync(file, generateRegistry(Number(count), backend));
}
