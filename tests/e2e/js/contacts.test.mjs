// Contact lists, contacts and contact-list import jobs through the AWS SDK for JavaScript
// v3 (@aws-sdk/client-sesv2), against the real sesv2-mock binary.
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/contacts.test.mjs
// One server for the file (--db :memory:, a temp S3 folder); every test signs with its own
// 12-digit access key, i.e. its own account, so tests never see each other's lists.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import {
  CreateContactCommand,
  CreateContactListCommand,
  CreateImportJobCommand,
  DeleteContactCommand,
  DeleteContactListCommand,
  GetContactCommand,
  GetContactListCommand,
  GetImportJobCommand,
  ListContactListsCommand,
  ListContactsCommand,
  SESv2Client,
  UpdateContactCommand,
  UpdateContactListCommand,
  paginateListContacts,
} from "@aws-sdk/client-sesv2";

import { startServer } from "./server.mjs";


const TOPICS = [
  { TopicName: "news", DisplayName: "News", Description: "Weekly news", DefaultSubscriptionStatus: "OPT_IN" },
  { TopicName: "deals", DisplayName: "Deals", DefaultSubscriptionStatus: "OPT_OUT" },
];

let server;
let endpoint;
let accounts = 0;

// A client signing as a fresh account (a 12-digit access key id is the account id).
function newClient(region = "us-east-1", account = null) {
  const id = account ?? String(400_000_000_000 + (process.pid % 1000) * 100_000 + ++accounts);
  const client = new SESv2Client({
    endpoint,
    region,
    credentials: { accessKeyId: id, secretAccessKey: "secret" },
    maxAttempts: 1,
  });
  client.account = id;
  return client;
}

// The error a call rejects with: { code, status, message }.
async function errorOf(promise) {
  try {
    await promise;
  } catch (err) {
    return { code: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
  }
  assert.fail("expected an error, the call succeeded");
}

async function expectError(promise, code, status, message = undefined) {
  const err = await errorOf(promise);
  assert.equal(err.code, code, `wrong error: ${err.message}`);
  assert.equal(err.status, status);
  if (message !== undefined) assert.equal(err.message, message);
  return err.message;
}

const prefs = (items) => Object.fromEntries((items ?? []).map((p) => [p.TopicName, p.SubscriptionStatus]));

async function withShopList(client) {
  await client.send(new CreateContactListCommand({
    ContactListName: "shop",
    Topics: TOPICS,
    Description: "The shop's list",
    Tags: [{ Key: "team", Value: "growth" }],
  }));
  return client;
}

const addContact = (client, email, extra = {}) =>
  client.send(new CreateContactCommand({ ContactListName: "shop", EmailAddress: email, ...extra }));
const getContact = (client, email, list = "shop") =>
  client.send(new GetContactCommand({ ContactListName: list, EmailAddress: email }));

async function listedEmails(client, Filter = undefined) {
  const emails = [];
  for await (const page of paginateListContacts({ client }, { ContactListName: "shop", Filter })) {
    emails.push(...page.Contacts.map((c) => c.EmailAddress));
  }
  return emails.sort();
}

async function waitForJob(client, JobId, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.send(new GetImportJobCommand({ JobId }));
    if (["COMPLETED", "FAILED", "CANCELLED"].includes(job.JobStatus)) return job;
    if (Date.now() > deadline) assert.fail(`job ${JobId} still ${job.JobStatus}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function importContacts(client, key, content, { action = "PUT", format = "CSV" } = {}) {
  const bucket = `js-${client.account}`;
  mkdirSync(join(server.s3Dir, bucket), { recursive: true });
  writeFileSync(join(server.s3Dir, bucket, key), content);
  const { JobId } = await client.send(new CreateImportJobCommand({
    ImportDestination: { ContactListDestination: { ContactListName: "shop", ContactListImportAction: action } },
    ImportDataSource: { S3Url: `s3://${bucket}/${key}`, DataFormat: format },
  }));
  return waitForJob(client, JobId);
}

before(async () => {
  server = await startServer();
  endpoint = server.endpoint;
});

after(() => server?.stop());

describe("contact lists", () => {
  test("create, get, list, update, delete", async () => {
    const ses = await withShopList(newClient());
    const got = await ses.send(new GetContactListCommand({ ContactListName: "shop" }));
    assert.equal(got.ContactListName, "shop");
    assert.equal(got.Description, "The shop's list");
    assert.deepEqual(got.Topics, TOPICS);
    assert.deepEqual(got.Tags, [{ Key: "team", Value: "growth" }]);
    assert.ok(got.CreatedTimestamp instanceof Date);
    assert.ok(Math.abs(got.CreatedTimestamp.getTime() - Date.now()) < 60_000);

    const listed = await ses.send(new ListContactListsCommand({}));
    assert.deepEqual(listed.ContactLists.map((l) => l.ContactListName), ["shop"]);
    assert.ok(listed.ContactLists[0].LastUpdatedTimestamp instanceof Date);

    const topics = [{ TopicName: "events", DisplayName: "Events", DefaultSubscriptionStatus: "OPT_OUT" }];
    await ses.send(new UpdateContactListCommand({ ContactListName: "shop", Topics: topics }));
    const updated = await ses.send(new GetContactListCommand({ ContactListName: "shop" }));
    assert.deepEqual(updated.Topics, topics);
    assert.equal(updated.Description, undefined);

    await addContact(ses, "a@example.com");
    await ses.send(new DeleteContactListCommand({ ContactListName: "shop" }));
    await expectError(ses.send(new GetContactListCommand({ ContactListName: "shop" })),
      "NotFoundException", 404, "List with name: shop doesn't exist.");
    assert.deepEqual((await ses.send(new ListContactListsCommand({}))).ContactLists, []);
  });

  test("errors: AlreadyExists, LimitExceeded, NotFound, BadRequest", async () => {
    const ses = await withShopList(newClient());
    await expectError(ses.send(new CreateContactListCommand({ ContactListName: "shop" })),
      "AlreadyExistsException", 400);
    const limit = await expectError(ses.send(new CreateContactListCommand({ ContactListName: "second" })),
      "LimitExceededException", 400);
    assert.match(limit, /limit of 1 contact list/);
    await newClient("eu-west-1", ses.account).send(new CreateContactListCommand({ ContactListName: "second" }));

    await expectError(ses.send(new UpdateContactListCommand({ ContactListName: "nope", Topics: [] })),
      "NotFoundException", 404);
    await expectError(ses.send(new DeleteContactListCommand({ ContactListName: "nope" })), "NotFoundException", 404);

    const other = newClient();
    await expectError(other.send(new CreateContactListCommand({ ContactListName: "bad name" })),
      "BadRequestException", 400);
    const many = Array.from({ length: 21 }, (_, i) => ({
      TopicName: `t${i}`, DisplayName: "T", DefaultSubscriptionStatus: "OPT_IN",
    }));
    await expectError(other.send(new CreateContactListCommand({ ContactListName: "big", Topics: many })),
      "BadRequestException", 400);
    await expectError(other.send(new CreateContactListCommand({ ContactListName: "dups", Topics: [TOPICS[0], TOPICS[0]] })),
      "BadRequestException", 400, "Duplicate topic names are not allowed within a List.");
  });
});

describe("contacts", () => {
  test("create, get with topic defaults, update, list, delete", async () => {
    const ses = await withShopList(newClient());
    await addContact(ses, "Ann@Example.COM", {
      TopicPreferences: [{ TopicName: "deals", SubscriptionStatus: "OPT_IN" }],
      AttributesData: JSON.stringify({ name: "Ann" }),
    });
    let got = await getContact(ses, "Ann@example.com");
    assert.equal(got.ContactListName, "shop");
    assert.equal(got.EmailAddress, "Ann@example.com");
    assert.deepEqual(prefs(got.TopicPreferences), { deals: "OPT_IN" });
    assert.deepEqual(prefs(got.TopicDefaultPreferences), { news: "OPT_IN" });
    assert.equal(got.UnsubscribeAll, false);
    assert.deepEqual(JSON.parse(got.AttributesData), { name: "Ann" });
    assert.ok(got.CreatedTimestamp instanceof Date);

    await ses.send(new UpdateContactCommand({
      ContactListName: "shop", EmailAddress: "Ann@example.com", UnsubscribeAll: true,
      TopicPreferences: [{ TopicName: "news", SubscriptionStatus: "OPT_OUT" }],
    }));
    got = await getContact(ses, "Ann@example.com");
    assert.equal(got.UnsubscribeAll, true);
    assert.deepEqual(prefs(got.TopicPreferences), { news: "OPT_OUT" });
    assert.deepEqual(prefs(got.TopicDefaultPreferences), { deals: "OPT_OUT" });
    assert.deepEqual(JSON.parse(got.AttributesData), { name: "Ann" });  // not given: kept

    const listed = await ses.send(new ListContactsCommand({ ContactListName: "shop" }));
    assert.equal(listed.Contacts.length, 1);
    assert.deepEqual(Object.keys(listed.Contacts[0]).sort(),
      ["EmailAddress", "LastUpdatedTimestamp", "TopicDefaultPreferences", "TopicPreferences", "UnsubscribeAll"]);

    await ses.send(new DeleteContactCommand({ ContactListName: "shop", EmailAddress: "Ann@example.com" }));
    await expectError(getContact(ses, "Ann@example.com"), "NotFoundException", 404,
      "Ann@example.com doesn't exist in List.");
  });

  test("errors of every contact operation", async () => {
    const ses = await withShopList(newClient());
    await addContact(ses, "a@example.com");
    await expectError(addContact(ses, "a@example.com"), "AlreadyExistsException", 400,
      "a@example.com already exists in List.");
    await expectError(addContact(ses, "b@example.com", {
      TopicPreferences: [{ TopicName: "golf", SubscriptionStatus: "OPT_IN" }],
    }), "BadRequestException", 400, "List: shop doesn't contain Topic: golf");
    await expectError(addContact(ses, "b@example.com", { AttributesData: "[1]" }), "BadRequestException", 400,
      "AttributesData must be a JSON object; it is an array.");
    await expectError(addContact(ses, "not-an-address"), "BadRequestException", 400);
    await expectError(ses.send(new UpdateContactCommand({ ContactListName: "shop", EmailAddress: "zz@example.com" })),
      "NotFoundException", 404);
    await expectError(ses.send(new DeleteContactCommand({ ContactListName: "shop", EmailAddress: "zz@example.com" })),
      "NotFoundException", 404);
    const missingList = [
      () => ses.send(new CreateContactCommand({ ContactListName: "nope", EmailAddress: "a@example.com" })),
      () => getContact(ses, "a@example.com", "nope"),
      () => ses.send(new UpdateContactCommand({ ContactListName: "nope", EmailAddress: "a@example.com" })),
      () => ses.send(new DeleteContactCommand({ ContactListName: "nope", EmailAddress: "a@example.com" })),
      () => ses.send(new ListContactsCommand({ ContactListName: "nope" })),
    ];
    for (const call of missingList) {
      await expectError(call(), "NotFoundException", 404, "List with name: nope doesn't exist.");
    }
  });

  test("ListContacts filters, UseDefaultIfPreferenceUnavailable both ways", async () => {
    const ses = await withShopList(newClient());
    await addContact(ses, "in@example.com", { TopicPreferences: [{ TopicName: "news", SubscriptionStatus: "OPT_IN" }] });
    await addContact(ses, "out@example.com", { TopicPreferences: [{ TopicName: "news", SubscriptionStatus: "OPT_OUT" }] });
    await addContact(ses, "none@example.com");
    await addContact(ses, "all-off@example.com", { UnsubscribeAll: true });
    const byTopic = (FilteredStatus, TopicName, UseDefaultIfPreferenceUnavailable) =>
      listedEmails(ses, { FilteredStatus, TopicFilter: { TopicName, UseDefaultIfPreferenceUnavailable } });

    assert.deepEqual(await byTopic("OPT_IN", "news", true), ["all-off@example.com", "in@example.com", "none@example.com"]);
    assert.deepEqual(await byTopic("OPT_IN", "news", false), ["in@example.com"]);
    assert.deepEqual(await byTopic("OPT_OUT", "news", true), ["out@example.com"]);
    assert.deepEqual(await byTopic("OPT_OUT", "deals", true), ["all-off@example.com", "in@example.com", "none@example.com", "out@example.com"]);
    assert.deepEqual(await byTopic("OPT_OUT", "deals", false), []);
    assert.deepEqual(await listedEmails(ses, { FilteredStatus: "OPT_OUT" }), ["all-off@example.com"]);
    assert.equal((await listedEmails(ses)).length, 4);
    await expectError(ses.send(new ListContactsCommand({
      ContactListName: "shop", Filter: { FilteredStatus: "OPT_IN", TopicFilter: { TopicName: "golf" } },
    })), "BadRequestException", 400);
  });

  test("paging through 250 contacts with PageSize 100", async () => {
    const ses = await withShopList(newClient());
    const expected = Array.from({ length: 250 }, (_, i) => `user${String(i).padStart(3, "0")}@example.com`);
    for (const email of [...expected].reverse()) await addContact(ses, email);
    const sizes = [];
    const seen = [];
    let NextToken;
    do {
      const page = await ses.send(new ListContactsCommand({ ContactListName: "shop", PageSize: 100, NextToken }));
      sizes.push(page.Contacts.length);
      seen.push(...page.Contacts.map((c) => c.EmailAddress));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.deepEqual(sizes, [100, 100, 50]);
    assert.deepEqual(seen, expected);

    const pages = [];
    for await (const page of paginateListContacts({ client: ses, pageSize: 100 }, { ContactListName: "shop" })) {
      pages.push(page.Contacts.length);
    }
    assert.deepEqual(pages, [100, 100, 50]);
    await expectError(ses.send(new ListContactsCommand({ ContactListName: "shop", NextToken: "forged" })),
      "BadRequestException", 400);
  });
});

describe("contact-list import jobs", () => {
  // What the CSV and JSON imports below both put, checked one contact at a time.
  async function checkImported(ses) {
    const ann = await getContact(ses, "ann@example.com");
    assert.deepEqual(prefs(ann.TopicPreferences), { news: "OPT_OUT", deals: "OPT_IN" });
    assert.deepEqual(ann.TopicDefaultPreferences ?? [], []);
    assert.equal(ann.UnsubscribeAll, false);
    assert.deepEqual(JSON.parse(ann.AttributesData), { name: "Ann", tags: ["a", "b"] });
    const bob = await getContact(ses, "Bob@example.com");
    assert.equal(bob.UnsubscribeAll, true);
    assert.deepEqual(prefs(bob.TopicDefaultPreferences), { news: "OPT_IN", deals: "OPT_OUT" });
    assert.equal(bob.AttributesData, undefined);
    const cy = await getContact(ses, "cy@example.com");
    assert.deepEqual(prefs(cy.TopicPreferences), { deals: "OPT_OUT" });
    assert.deepEqual(JSON.parse(cy.AttributesData), { city: "Oslo, Norway" });
    for (const bad of ["broken", "bad-bool@example.com", "unknown-topic@example.com"]) {
      await expectError(getContact(ses, bad), "NotFoundException", 404);
    }
  }

  test("CSV: PUT then DELETE", async () => {
    const ses = await withShopList(newClient());
    const csv = [
      "\ufeffemailAddress,unsubscribeAll,attributesData,topicPreferences.news,topicPreferences.deals",
      'ann@example.com,false,{"name": "Ann", "tags": ["a", "b"]},OPT_OUT,OPT_IN',
      " Bob@EXAMPLE.com ,true,,,",
      '"cy@example.com",false,"{""city"": ""Oslo, Norway""}",,OPT_OUT',
      "broken,false,,,",
      "bad-bool@example.com,maybe,,,",
      "",
    ].join("\r\n");
    let job = await importContacts(ses, "put.csv", csv);
    assert.equal(job.JobStatus, "COMPLETED");
    assert.equal(job.ProcessedRecordsCount, 5);
    assert.equal(job.FailedRecordsCount, 2);
    assert.ok(job.FailureInfo.FailedRecordsS3Url);
    const failed = await (await fetch(job.FailureInfo.FailedRecordsS3Url)).text();
    assert.match(failed, /unsubscribeAll is 'maybe'; expected true or false\./);
    await checkImported(ses);

    job = await importContacts(ses, "delete.csv", "emailAddress\nann@example.com\nBob@example.com\n", { action: "DELETE" });
    assert.equal(job.JobStatus, "COMPLETED");
    assert.equal(job.ProcessedRecordsCount, 2);
    await expectError(getContact(ses, "ann@example.com"), "NotFoundException", 404);
    await expectError(getContact(ses, "Bob@example.com"), "NotFoundException", 404);
    assert.deepEqual(await listedEmails(ses), ["cy@example.com"]);
  });

  test("JSON: PUT then DELETE", async () => {
    const ses = await withShopList(newClient());
    const records = [
      {
        emailAddress: "ann@example.com", unsubscribeAll: false,
        attributesData: JSON.stringify({ name: "Ann", tags: ["a", "b"] }),
        topicPreferences: [
          { topicName: "news", subscriptionStatus: "OPT_OUT" },
          { topicName: "deals", subscriptionStatus: "OPT_IN" },
        ],
      },
      { emailAddress: " Bob@EXAMPLE.com ", unsubscribeAll: true },
      { emailAddress: "unknown-topic@example.com", topicPreferences: [{ topicName: "golf", subscriptionStatus: "OPT_IN" }] },
      { emailAddress: "bad-bool@example.com", unsubscribeAll: "yes" },
    ];
    const cy = {
      emailAddress: "cy@example.com", attributesData: '{"city": "Oslo, Norway"}',
      topicPreferences: [{ topicName: "deals", subscriptionStatus: "OPT_OUT" }],
    };
    const text = records.map((r) => JSON.stringify(r)).join("\n") + "\n" + JSON.stringify(cy, null, 2) + "\n";
    let job = await importContacts(ses, "put.json", text, { format: "JSON" });
    assert.equal(job.JobStatus, "COMPLETED");
    assert.equal(job.ProcessedRecordsCount, 5);
    assert.equal(job.FailedRecordsCount, 2);
    await checkImported(ses);

    job = await importContacts(ses, "delete.json", '{"emailAddress":"ann@example.com"}\n{"emailAddress":"cy@example.com"}\n',
      { action: "DELETE", format: "JSON" });
    assert.equal(job.JobStatus, "COMPLETED");
    assert.equal(job.ProcessedRecordsCount, 2);
    assert.deepEqual(await listedEmails(ses), ["Bob@example.com"]);
  });

  test("a missing list at create time, and a file without an emailAddress column", async () => {
    const ses = await withShopList(newClient());
    await expectError(ses.send(new CreateImportJobCommand({
      ImportDestination: { ContactListDestination: { ContactListName: "nope", ContactListImportAction: "PUT" } },
      ImportDataSource: { S3Url: "s3://b/k.csv", DataFormat: "CSV" },
    })), "NotFoundException", 404, "ContactList nope doesn't exist");
    const job = await importContacts(ses, "noheader.csv", "a@example.com,false\n");
    assert.equal(job.JobStatus, "FAILED");
    assert.match(job.FailureInfo.ErrorMessage, /no emailAddress column/);
  });
});
