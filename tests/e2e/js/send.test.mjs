// Sending through the AWS SDK for JavaScript v3 and through nodemailer's SES transport (the
// way Node applications send with SES), reading the captured messages back from
// /_mock/messages and /_aws/ses and comparing headers, bodies and attachments.
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/send.test.mjs
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  CreateEmailIdentityCommand,
  CreateEmailTemplateCommand,
  GetMessageInsightsCommand,
  SendEmailCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import nodemailer from "nodemailer";

import { startServer } from "./server.mjs";

let server;
let accountCounter = 0;

function client(region = "us-east-1") {
  const id = String(410000000000 + process.pid * 100 + ++accountCounter).slice(0, 12).padStart(12, "4");
  const c = new SESv2Client({
    endpoint: server.endpoint,
    region,
    credentials: { accessKeyId: id, secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  return c;
}

async function captured(messageId) {
  const res = await fetch(`${server.endpoint}/_mock/messages/${messageId}`);
  assert.equal(res.status, 200);
  return res.json();
}

const header = (message, name) =>
  message.Headers.find((h) => h.Name.toLowerCase() === name.toLowerCase())?.Value;

before(async () => {
  server = await startServer();
});
after(() => server.stop());

describe("AWS SDK v3 SendEmail", () => {
  test("Simple with an attachment is captured as sent", async () => {
    const ses = client();
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "example.com" }));
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: "Ann <ann@example.com>",
        Destination: { ToAddresses: ["bob@example.com"], CcAddresses: ["cy@example.com"] },
        Content: {
          Simple: {
            Subject: { Data: "Report ✓" },
            Body: { Text: { Data: "See attached." }, Html: { Data: "<p>See attached.</p>" } },
            Headers: [{ Name: "X-Request", Value: "42" }],
            Attachments: [
              { FileName: "report.csv", ContentType: "text/csv", RawContent: new TextEncoder().encode("a,b\n1,2\n") },
            ],
          },
        },
      }),
    );
    const m = await captured(MessageId);
    assert.equal(m.Subject, "Report ✓");
    assert.equal(m.Text, "See attached.");
    assert.equal(m.Html, "<p>See attached.</p>");
    assert.equal(header(m, "X-Request"), "42");
    assert.equal(header(m, "From"), "Ann <ann@example.com>");
    assert.deepEqual(m.Attachments, [
      { FileName: "report.csv", ContentType: "text/csv", ContentId: "", Disposition: "attachment", Size: 8 },
    ]);
    assert.deepEqual(
      m.Recipients.map((r) => [r.Address, r.Kind, r.Fate]),
      [
        ["bob@example.com", "To", "DELIVERED"],
        ["cy@example.com", "Cc", "DELIVERED"],
      ],
    );
  });

  test("Template send and GetMessageInsights", async () => {
    const ses = client();
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "example.com" }));
    await ses.send(
      new CreateEmailTemplateCommand({
        TemplateName: "hello",
        TemplateContent: { Subject: "Hi {{name}}", Text: "Hello {{name}}, {{#each items}}{{this}};{{/each}}" },
      }),
    );
    const { MessageId } = await ses.send(
      new SendEmailCommand({
        FromEmailAddress: "ann@example.com",
        Destination: { ToAddresses: ["bob@gmail.com"] },
        Content: { Template: { TemplateName: "hello", TemplateData: JSON.stringify({ name: "Bob <3", items: [1, 2] }) } },
      }),
    );
    const m = await captured(MessageId);
    assert.equal(m.Subject, "Hi Bob <3");
    assert.equal(m.Text, "Hello Bob <3, 1;2;");
    const insights = await ses.send(new GetMessageInsightsCommand({ MessageId }));
    assert.equal(insights.Insights[0].Isp, "Gmail");
    assert.deepEqual(
      insights.Insights[0].Events.map((e) => e.Type),
      ["SEND", "DELIVERY"],
    );
  });

  test("an unverified sender is MessageRejected", async () => {
    const ses = client("eu-central-1");
    await assert.rejects(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: "x@nowhere.org",
          Destination: { ToAddresses: ["bob@example.com"] },
          Content: { Simple: { Subject: { Data: "s" }, Body: { Text: { Data: "t" } } } },
        }),
      ),
      (err) => {
        assert.equal(err.name, "MessageRejected");
        assert.equal(
          err.message,
          "Email address is not verified. The following identities failed the check in region EU-CENTRAL-1: x@nowhere.org",
        );
        return true;
      },
    );
  });
});

describe("nodemailer SES transport", () => {
  test("a message with cc, bcc, html, headers and attachments arrives intact", async () => {
    const ses = client();
    await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "example.com" }));
    const transport = nodemailer.createTransport({ SES: { sesClient: ses, SendEmailCommand } });
    const info = await transport.sendMail({
      from: '"Ann Sender" <ann@example.com>',
      to: "bob@example.com",
      cc: ["cy@example.com"],
      bcc: "dee@example.com",
      subject: "Nodemailer über SES",
      text: "plain text body",
      html: "<h1>html body</h1>",
      headers: { "X-Trace": "abc-123" },
      attachments: [
        { filename: "hello.txt", content: "hello world" },
        { filename: "pixel.png", content: Buffer.from([0x89, 0x50, 0x4e, 0x47]), cid: "pixel@local" },
      ],
    });
    const id = /^<([^@>]+)@/.exec(info.messageId)[1];
    const m = await captured(id);
    assert.equal(m.Kind, "RAW");
    assert.equal(m.Source, "Ann Sender <ann@example.com>");  // FromEmailAddress as nodemailer sends it
    assert.equal(m.Subject, "Nodemailer über SES");
    assert.equal(m.Text, "plain text body");
    assert.equal(m.Html, "<h1>html body</h1>");
    assert.equal(header(m, "X-Trace"), "abc-123");
    assert.equal(header(m, "Cc"), "cy@example.com");
    assert.equal(header(m, "Bcc"), undefined);
    // nodemailer puts the inline (cid) part in multipart/related, before the attachment.
    assert.deepEqual(
      m.Attachments.map((a) => [a.FileName, a.ContentType, a.Size]).sort(),
      [
        ["hello.txt", "text/plain", 11],
        ["pixel.png", "image/png", 4],
      ],
    );
    assert.equal(m.Attachments.find((a) => a.FileName === "pixel.png").ContentId, "pixel@local");
    assert.deepEqual(m.Recipients.map((r) => r.Address).sort(), ["bob@example.com", "cy@example.com", "dee@example.com"]);
    const raw = await (await fetch(`${server.endpoint}/_mock/messages/${id}/raw`)).text();
    assert.match(raw, /^X-Trace: abc-123\r$/m);
    const aws = await (await fetch(`${server.endpoint}/_aws/ses?id=${id}`)).json();
    assert.equal(aws.messages.length, 1);
    assert.equal(aws.messages[0].Subject, "Nodemailer über SES");
    assert.equal(aws.messages[0].RawData, raw);
  });
});
