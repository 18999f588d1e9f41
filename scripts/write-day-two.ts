/**
 * npm run day-two: writes the table of docs/day-two.md from the tested
 * day-two scenarios (__tests__/day-two/scenarios.ts).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { SCENARIOS } from "../__tests__/day-two/scenarios";
import { dayTwoTable, withTable } from "../__tests__/day-two/table";

const FILE = "docs/day-two.md";
writeFileSync(FILE, withTable(readFileSync(FILE, "utf8"), dayTwoTable(SCENARIOS)));
process.stdout.write(`wrote the table of ${FILE}: ${SCENARIOS.length} changes\n`);
