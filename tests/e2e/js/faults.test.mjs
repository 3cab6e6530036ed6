// Fault injection seen through the AWS SDK for JavaScript v3: how the SDK's own retries
// meet a fault that fails the next N calls (documented in the README).
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/faults.test.mjs
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { CreateImportJobCommand, GetImportJobCommand, SESv2Client } from "@aws-sdk/client-sesv2";

import { startServer } from "./server.mjs";

let server;
let endpoint;

before(async () => {
  server = await startServer(["--processing-mode", "manual"]);
  endpoint = server.endpoint;
});

after(() => server?.stop());

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
