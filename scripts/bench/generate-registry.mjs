// Generates a registry of N source accounts in 3 Regions each (for the synth
// benchmark). Usage: node scripts/bench/generate-registry.mjs <accounts> <file>
import { writeFileSync } from "node:fs";

const REGIONS = ["eu-west-1", "us-east-1", "ap-southeast-2"];

export function generateRegistry(accounts) {
  const lines = [
    "organization:",
    "  id: o-bench00001",
    "logArchive:",
    '  accountId: "100000000000"',
    "  region: eu-west-1",
    "archive:",
    "  replicaRegion: eu-central-1",
    "accounts:",
  ];
  for (let i = 1; i <= accounts; i++) {
    const id = String(200000000000 + i);
    lines.push(`  - id: "${id}"`, `    name: workload-${i}`, `    regions: [${REGIONS.join(", ")}]`);
  }
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [count, file] = process.argv.slice(2);
  writeFileSync(file, generateRegistry(Number(count)));
}
