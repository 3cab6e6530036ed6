// Fault injection seen through the AWS SDK for JavaScript v3: how the SDK's own retries
// meet a fault that fails the next N calls (documented in the README).
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/faults.test.mjs
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { CreateImportJobCommand, GetImportJobCommand, SESv2Client } from "@aws-sdk/client-sesv2";

const here = dirname(fileURLToPath(import.meta.url));
const BINARY = process.env.SESV2_MOCK_BIN || resolve(here, "../../../build/bin/sesv2-mock");
const READY = /sesv2-mock listening on (http:\/\/127\.0\.0\.1:\d+)/;

let server;
let endpoint;
let workdir;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), "sesv2-e2e-js-faults-"));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SESV2_MOCK_")));
  server = spawn(BINARY, ["--port", "0", "--db", ":memory:", "--s3-dir", workdir,
                          "--processing-mode", "manual"], { env, stdio: ["ignore", "pipe", "inherit"] });
  endpoint = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error("no ready line within 10s")), 10_000);
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const match = READY.exec(out);
      if (match) {
        clearTimeout(timer);
        ok(match[1]);
      }
    });
    server.on("exit", (code) => fail(new Error(`server exited with ${code}`)));
  });
});

after(() => {
  server?.kill("SIGTERM");
  rmSync(workdir, { recursive: true, force: true });
});

async function control(method, path, body) {
  const response = await fetch(endpoint + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function client(maxAttempts) {
  return new SESv2Client({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "000000000000", secretAccessKey: "x" },
    maxAttempts,
  });
}

async function newJob() {
  const out = await client(1).send(new CreateImportJobCommand({
    ImportDestination: { SuppressionListDestination: { SuppressionListImportAction: "PUT" } },
    ImportDataSource: { S3Url: "s3://bucket/file.csv", DataFormat: "CSV" },
  }));
  return out.JobId;
}

test("with retries off, the next two calls throttle and the third succeeds", async () => {
  const jobId = await newJob();
  await control("DELETE", "/_mock/faults");
  const added = await control("POST", "/_mock/faults", {
    operation: "GetImportJob", errorCode: "TooManyRequestsException", message: "slow down", count: 2,
  });
  assert.equal(added.status, 200);
  const ses = client(1);
  for (let i = 0; i < 2; i++) {
    await assert.rejects(ses.send(new GetImportJobCommand({ JobId: jobId })), (err) => {
      assert.equal(err.name, "TooManyRequestsException");
      assert.equal(err.$metadata.httpStatusCode, 429);
      assert.equal(err.message, "slow down");
      return true;
    });
  }
  const ok = await ses.send(new GetImportJobCommand({ JobId: jobId }));
  assert.equal(ok.JobStatus, "CREATED");
  assert.equal(ok.$metadata.attempts, 1);
});

test("the SDK's standard retries (3 attempts) absorb two throttled calls", async () => {
  const jobId = await newJob();
  await control("DELETE", "/_mock/faults");
  await control("POST", "/_mock/faults", {
    operation: "GetImportJob", errorCode: "TooManyRequestsException", count: 2,
  });
  const ok = await client(3).send(new GetImportJobCommand({ JobId: jobId }));
  assert.equal(ok.JobStatus, "CREATED");
  assert.equal(ok.$metadata.attempts, 3);
  const faults = await control("GET", "/_mock/faults");
  assert.deepEqual(faults.body.faults, []);
});

test("three throttled calls exhaust the SDK's three attempts", async () => {
  const jobId = await newJob();
  await control("DELETE", "/_mock/faults");
  await control("POST", "/_mock/faults", {
    operation: "GetImportJob", errorCode: "TooManyRequestsException", count: 3,
  });
  await assert.rejects(client(3).send(new GetImportJobCommand({ JobId: jobId })), (err) => {
    assert.equal(err.name, "TooManyRequestsException");
    assert.equal(err.$metadata.attempts, 3);
    return true;
  });
});

test("an error the SDK does not retry fails at once", async () => {
  const jobId = await newJob();
  await control("DELETE", "/_mock/faults");
  await control("POST", "/_mock/faults", {
    operation: "GetImportJob", errorCode: "BadRequestException", message: "no", count: 2,
  });
  await assert.rejects(client(3).send(new GetImportJobCommand({ JobId: jobId })), (err) => {
    assert.equal(err.name, "BadRequestException");
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.equal(err.$metadata.attempts, 1);
    return true;
  });
  const faults = await control("GET", "/_mock/faults");
  assert.equal(faults.body.faults.length, 1);
  assert.equal(faults.body.faults[0].remaining, 1);
});

test("the JS SDK counts LimitExceededException as throttling and retries it", async () => {
  const jobId = await newJob();
  await control("DELETE", "/_mock/faults");
  await control("POST", "/_mock/faults", {
    operation: "GetImportJob", errorCode: "LimitExceededException", count: 2,
  });
  const ok = await client(3).send(new GetImportJobCommand({ JobId: jobId }));
  assert.equal(ok.$metadata.attempts, 3);
});
