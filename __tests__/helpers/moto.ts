/**
 * A local AWS API emulator for tests: moto's server mode, installed at a
 * pinned version into the project-local, git-ignored `.venv-moto/` (as
 * scripts/scan.mjs installs checkov into `.venv/`), started on a free
 * loopback port and stopped by the test that started it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

export const MOTO_VERSION = "5.2.5";
const VENV = ".venv-moto";
const SERVER = `${VENV}/bin/moto_server`;

function installedVersion(): string | undefined {
  if (!existsSync(SERVER)) return undefined;
  const out = spawnSync(`${VENV}/bin/python`, ["-c", "import moto; print(moto.__version__)"], { encoding: "utf8" });
  return out.status === 0 ? out.stdout.trim() : undefined;
}

/** Installs moto (server extra) once; throws with pip's output when it cannot. */
export function ensureMoto(): void {
  if (installedVersion() === MOTO_VERSION) return;
  const run = (command: string, args: string[]) => {
    const out = spawnSync(command, args, { encoding: "utf8" });
    if (out.status !== 0) throw new Error(`${command} ${args.join(" ")} failed:\n${out.stdout}\n${out.stderr}`);
  };
  if (!existsSync(`${VENV}/bin/pip`)) run("python3", ["-m", "venv", VENV]);
  run(`${VENV}/bin/pip`, ["install", "--quiet", "--disable-pip-version-check", `moto[server]==${MOTO_VERSION}`]);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface Moto {
  readonly endpoint: string;
  /** Forgets every resource (moto's reset API), so each case starts from an empty account. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMoto(): Promise<Moto> {
  ensureMoto();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(SERVER, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  // Ready when it answers; bounded, so a server that cannot start fails the test instead of hanging it.
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (attempt >= 100 || child.exitCode !== null) {
      child.kill();
      throw new Error(`moto_server did not start on ${endpoint}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    endpoint,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}
