// BatchGetMetricData through the AWS SDK for JavaScript v3: a delivered, a suppressed and a
// multi-recipient send, an OPEN added through POST /_mock/messages/{id}/events, then the
// daily series (Timestamps as Date, Values as numbers) and a validation error.
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/metrics.test.mjs
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  BatchGetMetricDataCommand,
  CreateEmailIdentityCommand,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";

import { startServer } from "./server.mjs";

const DAY_MS = 86_400_000;
let server;

function client(accountId) {
  return new SESv2Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: accountId, secretAccessKey: "secret" },
    maxAttempts: 1,
  });
}

async function send(ses, to) {
  const { MessageId } = await ses.send(
    new SendEmailCommand({
      FromEmailAddress: "sender@example.com",
      Destination: { ToAddresses: to },
      Content: { Simple: { Subject: { Data: "s" }, Body: { Text: { Data: "b" } } } },
    }),
  );
  return MessageId;
}

async function control(path, body) {
  const res = await fetch(`${server.endpoint}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  server = await startServer();
});
after(() => server.stop());

describe("AWS SDK v3 BatchGetMetricData", () => {
  test("daily series of the captured mail, with an added open", async () => {
    const ses = client("520000000001");
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "example.com" }));
    await ses.send(
      new PutSuppressedDestinationCommand({ EmailAddress: "gone@gmail.com", Reason: "BOUNCE" }),
    );
    const delivered = await send(ses, ["ann@gmail.com"]);
    await send(ses, ["gone@gmail.com"]);
    await send(ses, ["a@yahoo.com", "b@yahoo.com"]); // two recipients: not counted
    const opened = await control(`/_mock/messages/${delivered}/events`, {
      Destination: "ann@gmail.com",
      Type: "OPEN",
    });
    assert.equal(opened.status, 200);
    const sentAt = (await control(`/_mock/messages/${delivered}`)).body.Timestamp * 1000;
    const today = new Date(Math.floor(sentAt / DAY_MS) * DAY_MS);

    const query = (Id, Metric, Dimensions) => ({
      Id,
      Namespace: "VDM",
      Metric,
      Dimensions,
      StartDate: today,
      EndDate: new Date(today.getTime() + DAY_MS),
    });
    const out = await ses.send(
      new BatchGetMetricDataCommand({
        Queries: [
          query("sends", "SEND"),
          query("deliveries", "DELIVERY"),
          query("opens", "OPEN", { ISP: "Gmail" }),
          query("bounces", "PERMANENT_BOUNCE"),
          query("yahoo", "SEND", { ISP: "Yahoo" }),
        ],
      }),
    );
    assert.deepEqual(out.Errors, []);
    const series = Object.fromEntries(
      out.Results.map((r) => [r.Id, [r.Timestamps.map((t) => t.getTime()), r.Values]]),
    );
    const day = [today.getTime()];
    assert.deepEqual(series, {
      sends: [day, [2]],
      deliveries: [day, [1]],
      opens: [day, [1]],
      bounces: [day, [0]], // the suppressed recipient's bounce is left out
      yahoo: [[], []],
    });
  });

  test("a reversed range is a BadRequestException", async () => {
    const ses = client("520000000002");
    const now = new Date();
    await assert.rejects(
      ses.send(
        new BatchGetMetricDataCommand({
          Queries: [
            {
              Id: "q1",
              Namespace: "VDM",
              Metric: "SEND",
              StartDate: now,
              EndDate: new Date(now.getTime() - DAY_MS),
            },
          ],
        }),
      ),
      (err) => {
        assert.equal(err.name, "BadRequestException");
        assert.equal(err.$metadata.httpStatusCode, 400);
        assert.equal(err.message, "The StartDate of query q1 must be before its EndDate.");
        return true;
      },
    );
  });
});
