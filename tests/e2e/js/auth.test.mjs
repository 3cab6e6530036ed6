// Strict SigV4 (--auth strict) through the AWS SDK for JavaScript v3: the right key passes,
// a wrong secret, an unknown key, a tampered body and an old date are refused with AWS's codes.
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/auth.test.mjs
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { CreateContactListCommand, ListImportJobsCommand, SESv2Client } from "@aws-sdk/client-sesv2";

import { startServer } from "./server.mjs";

const KEY = "AKIDJSSTRICT";
const SECRET = "js/secret+value";
const BAD_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your " +
  "AWS Secret Access Key and signing method. Consult the service documentation for details.";

let server;

before(async () => {
  server = await startServer(["--auth", "strict", "--credential", `${KEY}:${SECRET}:123456789012`]);
});

after(() => server?.stop());

function client(accessKeyId, secretAccessKey, extra = {}) {
  return new SESv2Client({
    endpoint: server.endpoint,
    region: "eu-central-1",
    credentials: { accessKeyId, secretAccessKey, sessionToken: extra.sessionToken },
    maxAttempts: 1,
    ...extra.config,
  });
}

async function refused(promise, name, message) {
  await assert.rejects(promise, (err) => {
    assert.equal(err.name, name);
    assert.equal(err.$metadata.httpStatusCode, 403);
    if (message) assert.equal(err.message, message);
    return true;
  });
}

test("the right key passes, with and without a session token", async () => {
  const out = await client(KEY, SECRET).send(new ListImportJobsCommand({}));
  assert.deepEqual(out.ImportJobs, []);
  const created = await client(KEY, SECRET, { sessionToken: "FwoGZXIvYXdzEXAMPLE" }).send(
    new CreateContactListCommand({ ContactListName: "js-strict" }));
  assert.equal(created.$metadata.httpStatusCode, 200);
});

test("a wrong secret is InvalidSignatureException with AWS's message", async () => {
  await refused(client(KEY, "wrong").send(new ListImportJobsCommand({})), "InvalidSignatureException", BAD_SIGNATURE);
});

test("an unknown key is UnrecognizedClientException", async () => {
  await refused(client("AKIDNOBODY", SECRET).send(new ListImportJobsCommand({})), "UnrecognizedClientException",
    "The security token included in the request is invalid.");
});

test("a body changed after signing is refused", async () => {
  const ses = client(KEY, SECRET);
  ses.middlewareStack.add(
    (next) => async (args) => {
      args.request.body = args.request.body.replace("js-tamper", "js-other!");
      return next(args);
    },
    { step: "finalizeRequest", priority: "low", name: "tamperAfterSigning" });
  await refused(ses.send(new CreateContactListCommand({ ContactListName: "js-tamper" })),
    "InvalidSignatureException", BAD_SIGNATURE);
});

test("a request signed 20 minutes ago is expired", async () => {
  const ses = client(KEY, SECRET, { config: { systemClockOffset: -20 * 60 * 1000 } });
  await assert.rejects(ses.send(new ListImportJobsCommand({})), (err) => {
    assert.equal(err.name, "InvalidSignatureException");
    assert.match(err.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z/);
    return true;
  });
});
