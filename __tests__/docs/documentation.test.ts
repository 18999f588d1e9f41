/**
 * What a newcomer reads must work: every `npm run <script>` the README, the
 * help file and docs/ mention exists in package.json, every file they link
 * to exists, and every anchor they link to is a heading or an `id` of the
 * target. A doc that outlives a renamed script or a moved section fails here.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const ROOT = join(__dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

const DOCS = [
  "README.md",
  "help",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/`/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    if (inFence) continue;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) anchors.add(anchorOf(heading[1]!));
  }
  for (const id of markdown.matchAll(/<a id="([^"]+)"/g)) anchors.add(id[1]!);
  return anchors;
}

/** Relative links of a Markdown file, code spans and fences excluded. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target));
}

test("every npm script the documentation names exists", () => {
  const scripts = Object.keys(JSON.parse(read("package.json")).scripts as Record<string, string>);
  const missing = DOCS.flatMap((doc) =>
    [...read(doc).matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*)/g)]
      .map((m) => m[1]!.replace(/:$/, ""))
      .filter((name) => !scripts.includes(name))
      .map((name) => `${doc}: npm run ${name}`),
  );
  expect(missing).toEqual([]);
});

test("every relative link of the documentation reaches a file and, when it names one, an anchor", () => {
  const broken: string[] = [];
  let checked = 0;
  for (const doc of DOCS.filter((d) => d.endsWith(".md"))) {
    for (const link of linksOf(read(doc))) {
      checked += 1;
      const [path, anchor] = link.split("#") as [string, string | undefined];
      const target = path === "" ? doc : normalize(join(dirname(doc), decodeURIComponent(path)));
      if (relative(ROOT, join(ROOT, target)).startsWith("..")) broken.push(`${doc}: ${link} leaves the repository`);
      else if (!existsSync(join(ROOT, target))) broken.push(`${doc}: ${link} (no ${target})`);
      else if (anchor !== undefined && target.endsWith(".md") && !anchorsOf(read(target)).has(anchor))
        broken.push(`${doc}: ${link} (no heading #${anchor} in ${target})`);
    }
  }
  expect(broken).toEqual([]);
  expect(checked).toBeGreaterThan(40);
});

/**
 * The README's commands: each is run by CI (.ci/run) as written, or by the
 * test named here with the same arguments.
 */
const RUN_BY_TESTS: Readonly<Record<string, string>> = {
  "npm run -s cost": "__tests__/cost/cli.test.ts",
  "npm run cost": "__tests__/cost/cli.test.ts",
  "npm run verify": "__tests__/verify/run.test.ts",
};

/** The npm and npx commands of the README's code blocks, comments and redirections removed. */
export function readmeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) =>
      line
        .replace(/\s+#.*$/, "")
        .replace(/\s*>.*$/, "")
        .trim(),
    )
    .flatMap((line) => line.split("&&").map((part) => part.trim()))
    .map((command) => command.replace(/^(?:[A-Z_]+=\S+\s+)+/, ""))
    .filter((command) => /^(npm|npx) /.test(command));
}

test("every command of the README runs as written in CI, or with the same arguments in a test", () => {
  const ci = read(".ci/run");
  const commands = readmeCommands(read("README.md"));
  expect(commands.length).toBeGreaterThan(3);
  const unchecked = commands.filter((command) => {
    if (ci.split("\n").some((line) => line.trim() === command || line.trim().startsWith(`${command} `))) return false;
    const [prefix, ...args] = command.split(" -- ");
    const test = RUN_BY_TESTS[prefix!.trim()];
    if (test === undefined) return true;
    const source = read(test);
    return !args
      .join(" ")
      .split(/\s+/)
      .filter((a) => a !== "")
      .every((arg) => source.includes(`"${arg}"`));
  });
  expect(unchecked).toEqual([]);
});

test("the checks can fail: a missing script, file or anchor is caught", () => {
  expect(anchorsOf("# Adding and removing an account\n")).toContain("adding-and-removing-an-account");
  expect(anchorsOf("## Why there is no `delivery: native`\n")).toContain("why-there-is-no-delivery-native");
  expect(anchorsOf("```\n# not a heading\n```\n").size).toBe(0);
  expect(linksOf("[a](docs/x.md#y) `[b](c.md)` [web](https://aws.amazon.com)")).toEqual(["docs/x.md#y"]);
  expect(
    readmeCommands("```sh\nnpm ci && npx cdktf synth   # main\nX=1 npm run -s cost -- --a 1 > f.md\nls\n```\n"),
  ).toEqual(["npm ci", "npx cdktf synth", "npm run -s cost -- --a 1"]);
});
