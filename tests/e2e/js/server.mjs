// Starts the real sesv2-mock binary for a JS test file and stops it again.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.SESV2_MOCK_BIN || resolve(here, "../../../build/bin/sesv2-mock");
const READY = /sesv2-mock listening on (http:\/\/127\.0\.0\.1:\d+)/;

// Resolves with {endpoint, s3Dir, stop()} once the server prints its ready line. The server
// runs on a free port with a throw-away database and a fresh s3 folder; `extraArgs` are
// further flags. The caller's SESV2_MOCK_* variables are kept out of its environment.
export function startServer(extraArgs = []) {
  const workdir = mkdtempSync(join(tmpdir(), "sesv2-e2e-js-"));
  const s3Dir = join(workdir, "s3");
  mkdirSync(s3Dir);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SESV2_MOCK_")));
  const server = spawn(BINARY, ["--port", "0", "--db", ":memory:", "--s3-dir", s3Dir, ...extraArgs], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  server.stderr.on("data", (chunk) => (log += chunk));
  const stop = () => {
    server.kill("SIGTERM");
    rmSync(workdir, { recursive: true, force: true });
  };
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within 10s\n${log}`)), 10_000);
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const match = READY.exec(out);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ endpoint: match[1], s3Dir, stop });
      }
    });
    server.on("exit", (code) => reject(new Error(`server exited with ${code} before ready\n${log}`)));
    server.on("error", reject);
  });
}
