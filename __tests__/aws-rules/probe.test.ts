import { mkdirSync, writeFileSync, readdirSync } from "node:fs";
import { loadRegistry } from "../../modules/registry/load";
import { synthRegistry } from "../helpers/synth";
test("probe", () => {
  const files = ["accounts/registry.yaml", "accounts/minimal.yaml", ...readdirSync("/tmp/dev-examples").map((f) => "/tmp/dev-examples/" + f)];
  for (const f of files) {
    const t = Date.now();
    try {
      const { text } = synthRegistry(loadRegistry(f));
      const dir = "/tmp/corpus/" + f.replace(/\//g, "_");
      mkdirSync(dir, { recursive: true });
      for (const [k, v] of Object.entries(text)) writeFileSync(`${dir}/${k}.json`, v);
      console.log(f, Object.keys(text).length, Date.now() - t);
    } catch (e) { console.log(f, String(e)); }
  }
});
