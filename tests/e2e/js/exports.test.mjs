// Export jobs through the AWS SDK for JavaScript v3: CreateExportJob, GetExportJob (with the
// file downloaded from its S3Url), ListExportJobs with filters, CancelExportJob in manual mode
// and on a finished job.
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/exports.test.mjs
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CancelExportJobCommand,
  CreateEmailIdentityCommand,
  CreateExportJobCommand,
  GetExportJobCommand,
  ListExportJobsCommand,
  SendEmailCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";

import { startServer } from "./server.mjs";

let server;
let accountCounter = 0;

function client() {
  const id = String(420000000000 + process.pid * 100 + ++accountCounter).slice(0, 12);
  return new SESv2Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: id, secretAccessKey: "secret" },
    maxAttempts: 1,
  });
}

async function setMode(processingMode) {
  const res = await fetch(`${server.endpoint}/_mock/config`, {
    method: "POST",
    body: JSON.stringify({ processingMode }),
  });
  assert.equal(res.status, 200);
}

async function finished(ses, JobId) {
  for (let i = 0; i < 400; i++) {
    const job = await ses.send(new GetExportJobCommand({ JobId }));
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(job.JobStatus)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`export ${JobId} did not finish`);
}

before(async () => {
  server = await startServer();
});
after(() => server.stop());

test("create, get, download, list and cancel", async () => {
  const ses = client();
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "example.com" }));
  const start = new Date(Date.now() - 1000);
  const ids = [];
  for (const to of ["ann@example.com", "bounce@simulator.amazonses.com"]) {
    const out = await ses.send(new SendEmailCommand({
      FromEmailAddress: "sender@example.com",
      Destination: { ToAddresses: [to] },
      Content: { Simple: { Subject: { Data: "Hi" }, Body: { Text: { Data: "x" } } } },
    }));
    ids.push(out.MessageId);
  }
  const end = new Date(Date.now() + 1000);
  const source = { MessageInsightsDataSource: { StartDate: start, EndDate: end } };
  const { JobId } = await ses.send(new CreateExportJobCommand({
    ExportDataSource: source,
    ExportDestination: { DataFormat: "JSON" },
  }));
  const job = await finished(ses, JobId);
  assert.equal(job.JobStatus, "COMPLETED");
  assert.equal(job.ExportSourceType, "MESSAGE_INSIGHTS");
  assert.deepEqual(job.Statistics, { ProcessedRecordsCount: 2, ExportedRecordsCount: 2 });
  assert.ok(job.CompletedTimestamp instanceof Date);
  assert.equal(job.ExportDataSource.MessageInsightsDataSource.StartDate.getTime(), start.getTime());
  assert.equal(job.ExportDestination.S3Url, `${server.endpoint}/_mock/export-jobs/${JobId}/file`);
  const file = await fetch(job.ExportDestination.S3Url);
  assert.equal(file.status, 200);
  const rows = (await file.text()).trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => [r.MessageId, r.Destination, r.LastDeliveryEvent]), [
    [ids[0], "ann@example.com", "DELIVERY"],
    [ids[1], "bounce@simulator.amazonses.com", "PERMANENT_BOUNCE"],
  ]);

  await assert.rejects(ses.send(new CancelExportJobCommand({ JobId })), (err) => {
    assert.equal(err.name, "BadRequestException");
    assert.equal(err.message, `Export job ${JobId} is COMPLETED and can no longer be cancelled.`);
    return true;
  });

  await setMode("manual");
  try {
    const created = await ses.send(new CreateExportJobCommand({
      ExportDataSource: source,
      ExportDestination: { DataFormat: "CSV" },
    }));
    assert.equal((await ses.send(new GetExportJobCommand(created))).JobStatus, "CREATED");
    await ses.send(new CancelExportJobCommand(created));
    assert.equal((await ses.send(new GetExportJobCommand(created))).JobStatus, "CANCELLED");
    const listed = await ses.send(new ListExportJobsCommand({ JobStatus: "CANCELLED" }));
    assert.deepEqual(listed.ExportJobs.map((j) => j.JobId), [created.JobId]);
    const all = await ses.send(new ListExportJobsCommand({ ExportSourceType: "MESSAGE_INSIGHTS" }));
    assert.deepEqual(all.ExportJobs.map((j) => j.JobId), [created.JobId, JobId]);
  } finally {
    await setMode("immediate");
  }
});

test("validation: both data sources is a BadRequestException", async () => {
  const ses = client();
  await assert.rejects(ses.send(new CreateExportJobCommand({
    ExportDataSource: {},
    ExportDestination: { DataFormat: "CSV" },
  })), (err) => {
    assert.equal(err.name, "BadRequestException");
    assert.match(err.message, /exactly one of MetricsDataSource or MessageInsightsDataSource/);
    return true;
  });
});
