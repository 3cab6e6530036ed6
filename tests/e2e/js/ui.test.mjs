// The web inspector in a real browser: Debian's chromium driven by puppeteer-core, against
// the real binary. Opens every page, watches a running import's counts move, cancels a
// manual-mode job from the page, opens a message and its HTML preview, and checks that
// hostile strings from an import request, a contact list and a mail subject stay text.
// Screenshots go to build/ui-screenshots (UI_SCREENSHOT_DIR to change).
//
// Run: SESV2_MOCK_BIN=/path/to/sesv2-mock node --test tests/e2e/js/ui.test.mjs
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import {
  CreateContactCommand,
  CreateContactListCommand,
  CreateEmailIdentityCommand,
  CreateImportJobCommand,
  PutSuppressedDestinationCommand,
  SendEmailCommand,
  SESv2Client,
} from "@aws-sdk/client-sesv2";
import puppeteer from "puppeteer-core";

import { startServer } from "./server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.UI_SCREENSHOT_DIR ||
  (process.env.SESV2_MOCK_BIN ? resolve(dirname(process.env.SESV2_MOCK_BIN), "../ui-screenshots")
    : resolve(here, "../../../build/ui-screenshots"));
const ACCOUNT = "111122223333";
const REGION = "eu-west-1";
const HOSTILE = "<img src=x onerror=window.__xss=1>";
const IMPORT_RATE = 400;          // records per second (--import-rate): a slow, visible import
const BIG_IMPORT_RECORDS = 6000;  // ~15 s at that rate: still running while the test looks
const WAIT_MS = 10_000;

let server;
let browser;
let page;
let ses;
let userDataDir;
const pageErrors = [];

const q = `account=${ACCOUNT}&region=${REGION}`;
const ui = (path) => `${server.endpoint}/_mock/ui/${path}${path.includes("?") ? "&" : "?"}${q}`;

function putFile(key, content) {
  mkdirSync(join(server.s3Dir, "ui-bucket"), { recursive: true });
  writeFileSync(join(server.s3Dir, "ui-bucket", key), content);
  return `s3://ui-bucket/${key}`;
}

async function importSuppression(key, rows) {
  const S3Url = putFile(key, ["emailAddress,reason", ...rows].join("\n") + "\n");
  const out = await ses.send(new CreateImportJobCommand({
    ImportDestination: { SuppressionListDestination: { SuppressionListImportAction: "PUT" } },
    ImportDataSource: { S3Url, DataFormat: "CSV" },
  }));
  return out.JobId;
}

async function control(path, body) {
  const res = await fetch(`${server.endpoint}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function open(path, shot) {
  await page.goto(ui(path), { waitUntil: "networkidle0" });
  if (shot) await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
}

const text = (selector) => page.$eval(selector, (n) => n.textContent);
const noXss = async () => assert.equal(await page.evaluate(() => window.__xss), undefined);

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: run tools/install-deps.sh`);
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer(["--import-rate", String(IMPORT_RATE), "--import-batch-size", "100"]);
  ses = new SESv2Client({
    endpoint: server.endpoint, region: REGION, maxAttempts: 1,
    credentials: { accessKeyId: ACCOUNT, secretAccessKey: "secret" },
  });
  userDataDir = mkdtempSync(join(tmpdir(), "sesv2-ui-chromium-"));
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", (d) => { pageErrors.push(`dialog: ${d.message()}`); d.dismiss(); });
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe("web inspector", () => {
  test("the page is served with a CSP at every deep link", async () => {
    for (const path of ["", "suppression", "contact-lists", "messages", "messages/nope", "settings"]) {
      const res = await fetch(ui(path));
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-security-policy"), /^default-src 'self'; script-src 'self';/);
    }
  });

  test("a running import's progress moves without a reload", async () => {
    const rows = [];
    for (let i = 0; i < BIG_IMPORT_RECORDS; i++) rows.push(`user${i}@big.example,BOUNCE`);
    const jobId = await importSuppression("big.csv", rows);
    await open("");
    const processed = `tr[data-job-id="${jobId}"] .processed`;
    await page.waitForSelector(processed, { timeout: WAIT_MS });
    const count = async () => parseInt(await text(processed), 10);
    await page.waitForFunction((sel) => parseInt(document.querySelector(sel)?.textContent, 10) > 0,
      { timeout: WAIT_MS }, processed);
    const first = await count();
    // The page polls: the number changes in the same document, with no navigation.
    await page.waitForFunction((sel, n) => parseInt(document.querySelector(sel)?.textContent, 10) > n,
      { timeout: WAIT_MS }, processed, first);
    const second = await count();
    assert.ok(second > first && second < BIG_IMPORT_RECORDS, `${first} -> ${second}`);
    assert.equal(await text(`tr[data-job-id="${jobId}"] .job-state`), "PROCESSING");
    // The bar is against the file's record count (the header line is no record): "n / total"
    // and a percentage that moves, with the bar's value and max to match.
    const percent = `tr[data-job-id="${jobId}"] .percent`;
    await page.waitForSelector(percent, { timeout: WAIT_MS });
    assert.match(await text(processed), new RegExp(`^\\d+ / ${BIG_IMPORT_RECORDS}$`));
    const p1 = parseInt(await text(percent), 10);
    await page.waitForFunction((sel, p) => parseInt(document.querySelector(sel)?.textContent, 10) > p,
      { timeout: WAIT_MS }, percent, p1);
    const bar = await page.$eval(`tr[data-job-id="${jobId}"] progress`, (b) => [b.max, b.value]);
    assert.equal(bar[0], BIG_IMPORT_RECORDS);
    assert.ok(bar[1] > 0 && bar[1] < BIG_IMPORT_RECORDS, String(bar));
    assert.match(await text(percent), /^\d{1,2}%$/);
    // A build with export jobs shows their table too; one without hides the section.
    const exportsStatus = (await fetch(`${server.endpoint}/_mock/export-jobs?${q}`)).status;
    assert.equal(await page.$eval("#export-jobs", (s) => s.hidden), exportsStatus !== 200);
    await page.screenshot({ path: join(SHOTS, "overview.png"), fullPage: true });
  });

  test("export jobs: the documented /_mock/export-jobs shape as a table with moves", async () => {
    // A build with export jobs answers for real; without, the browser gets the documented
    // shape from an interception (the table code is the same).
    const real = (await fetch(`${server.endpoint}/_mock/export-jobs?${q}`)).status === 200;
    const posts = [];
    const fake = {
      ExportJobs: [
        { JobId: "exp-running", ExportSourceType: "MESSAGE_INSIGHTS", JobStatus: "PROCESSING", CreatedTimestamp: 1700000100,
          Statistics: { ProcessedRecordsCount: 40, ExportedRecordsCount: 30 } },
        { JobId: "exp-done", ExportSourceType: "METRICS_DATA", JobStatus: "COMPLETED", CreatedTimestamp: 1700000000,
          CompletedTimestamp: 1700000050, Statistics: { ProcessedRecordsCount: 7, ExportedRecordsCount: 7 },
          DownloadUrl: "/_mock/export-jobs/exp-done/download" },
        { JobId: "exp-failed", ExportSourceType: "METRICS_DATA", JobStatus: "FAILED", CreatedTimestamp: 1699999999,
          Statistics: { ProcessedRecordsCount: 0, ExportedRecordsCount: 0 }, FailureInfo: { ErrorMessage: HOSTILE } },
      ],
    };
    const onRequest = (req) => {
      const url = new URL(req.url());
      if (!url.pathname.startsWith("/_mock/export-jobs")) return req.continue();
      if (req.method() === "POST") {
        posts.push(url.pathname);
        return req.respond({ status: 200, contentType: "application/json", body: JSON.stringify({ JobStatus: "CANCELLED" }) });
      }
      return req.respond({ status: 200, contentType: "application/json", body: JSON.stringify(fake) });
    };
    if (!real) {
      await page.setRequestInterception(true);
      page.on("request", onRequest);
    }
    try {
      await open("");
      await page.waitForFunction(() => document.querySelector("#export-jobs")?.hidden === false, { timeout: WAIT_MS });
      if (real) return;  // the export-jobs tests own the real data; the section is shown
      const rows = await page.$$eval("#export-jobs tbody tr", (trs) => trs.map((tr) => [
        tr.dataset.exportJobId, tr.querySelector(".job-state").textContent, tr.querySelector(".processed").textContent,
        tr.querySelector("a.download")?.getAttribute("href") ?? null, tr.querySelectorAll("button").length]));
      assert.deepEqual(rows, [
        ["exp-running", "PROCESSING", "40 processed, 30 exported", null, 3],
        ["exp-done", "COMPLETED", "7 processed, 7 exported", "/_mock/export-jobs/exp-done/download", 0],
        ["exp-failed", "FAILED", "0 processed, 0 exported", null, 0],
      ]);
      assert.equal(await text('tr[data-export-job-id="exp-failed"] .failure'), HOSTILE);
      assert.equal(await page.$("#export-jobs img"), null);
      await page.evaluate(() => document.querySelector('tr[data-export-job-id="exp-running"] button.cancel').click());
      await page.waitForFunction(() => document.querySelector("#status")?.textContent === "exp-running: CANCELLED", { timeout: WAIT_MS });
      assert.deepEqual(posts, ["/_mock/export-jobs/exp-running/cancel"]);
      await noXss();
    } finally {
      if (!real) {
        page.off("request", onRequest);
        await page.setRequestInterception(false);
      }
    }
  });

  test("a manual-mode job is cancelled from the page", async () => {
    assert.equal((await control("/_mock/config", { processingMode: "manual" })).status, 200);
    try {
      const jobId = await importSuppression("manual.csv", ["a@manual.example,BOUNCE"]);
      await open("");
      const row = `tr[data-job-id="${jobId}"]`;
      await page.waitForSelector(`${row} button.cancel`, { timeout: WAIT_MS });
      assert.equal(await text(`${row} .job-state`), "CREATED");
      // One synchronous click: the table is redrawn every second.
      await page.evaluate((sel) => document.querySelector(sel).click(), `${row} button.cancel`);
      await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "CANCELLED",
        { timeout: WAIT_MS }, `${row} .job-state`);
      assert.equal((await control(`/_mock/import-jobs/${jobId}`)).json.JobStatus, "CANCELLED");
      assert.equal(await page.$(`${row} button.cancel`), null);  // no moves on a finished job
    } finally {
      await control("/_mock/config", { processingMode: "immediate" });
    }
  });

  test("a hostile S3 key of an import job stays text", async () => {
    const jobId = await importSuppression(`${HOSTILE}.csv`, ["b@hostile.example,BOUNCE", `${HOSTILE},BOUNCE`]);
    await open("");
    const row = `tr[data-job-id="${jobId}"]`;
    await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === "COMPLETED",
      { timeout: WAIT_MS }, `${row} .job-state`);
    assert.ok((await text(row)).includes(`s3://ui-bucket/${HOSTILE}.csv`));
    assert.equal(await text(`${row} .failed`), "1");
    assert.equal(await page.$(`${row} img`), null);
    // The failed-records link downloads the file with the hostile record as data.
    const href = await page.$eval(`${row} .failure a`, (a) => a.getAttribute("href"));
    const failed = await (await fetch(`${server.endpoint}${href}`)).text();
    assert.ok(failed.includes("onerror=window.__xss=1"), failed);
    await noXss();
    await page.screenshot({ path: join(SHOTS, "overview-jobs.png"), fullPage: true });
  });

  test("suppression list: search, reason filter and paging", async () => {
    await ses.send(new PutSuppressedDestinationCommand({ EmailAddress: "complainer@search.example", Reason: "COMPLAINT" }));
    await open("suppression", "suppression");
    assert.equal(await page.title(), "Suppression list — sesv2-mock");
    await page.type("input[name=search]", "search.example");
    await page.select("select[name=reason]", "COMPLAINT");
    await page.click("form.filters button[type=submit]");
    await page.waitForFunction(() => document.querySelectorAll("main tbody tr").length === 1, { timeout: WAIT_MS });
    assert.equal(await text("main tbody tr td"), "complainer@search.example");
    // The big import has put more than a page (50) of addresses: "Next" pages on the server.
    await open("suppression");
    await page.waitForSelector("main tbody tr");
    const firstPage = await text("main tbody tr td");
    await page.evaluate(() => [...document.querySelectorAll(".pager button")].at(-1).click());
    await page.waitForFunction((t) => document.querySelector("main tbody tr td")?.textContent !== t,
      { timeout: WAIT_MS }, firstPage);
    assert.equal(await text(".pager span"), "Page 2");
    // Live: an address suppressed while the page is open appears, the search kept.
    await open("suppression");
    await page.type("input[name=search]", "late.example");
    await page.evaluate(() => document.querySelector("form.filters button[type=submit]").click());
    await page.waitForFunction(() => document.querySelector("main p.muted")?.textContent === "No suppressed addresses match.", { timeout: WAIT_MS });
    await ses.send(new PutSuppressedDestinationCommand({ EmailAddress: "came@late.example", Reason: "BOUNCE" }));
    await page.waitForFunction(() => document.querySelector("main tbody tr td")?.textContent === "came@late.example", { timeout: WAIT_MS });
    assert.equal(await page.$eval("input[name=search]", (i) => i.value), "late.example");
  });

  test("contact lists: topics, contacts and the ListContacts filters; hostile text stays text", async () => {
    await ses.send(new CreateContactListCommand({
      ContactListName: "newsletter", Description: HOSTILE,
      Topics: [{ TopicName: "news", DisplayName: HOSTILE, DefaultSubscriptionStatus: "OPT_IN" },
        { TopicName: "deals", DisplayName: "Deals", DefaultSubscriptionStatus: "OPT_OUT" }],
    }));
    await ses.send(new CreateContactCommand({ ContactListName: "newsletter", EmailAddress: "in@list.example",
      TopicPreferences: [{ TopicName: "deals", SubscriptionStatus: "OPT_IN" }] }));
    await ses.send(new CreateContactCommand({ ContactListName: "newsletter", EmailAddress: "out@list.example",
      UnsubscribeAll: true }));
    await open("contact-lists?list=newsletter", "contact-lists");
    assert.ok((await text("main table")).includes(HOSTILE));
    await page.waitForFunction(() => document.querySelectorAll("main table")[1]?.querySelectorAll("tbody tr").length === 2,
      { timeout: WAIT_MS });
    await page.select("select[name=topic]", "deals");
    await page.select("select[name=status]", "OPT_IN");
    await page.evaluate(() => document.querySelector("form.filters button[type=submit]").click());
    await page.waitForFunction(() => document.querySelectorAll("main table")[1]?.querySelectorAll("tbody tr").length === 1,
      { timeout: WAIT_MS });
    assert.equal(await page.evaluate(() => document.querySelectorAll("main table")[1].querySelector("tbody td").textContent),
      "in@list.example");
    // Live: a contact added while the page is open appears under the same filters.
    await ses.send(new CreateContactCommand({ ContactListName: "newsletter", EmailAddress: "later@list.example",
      TopicPreferences: [{ TopicName: "deals", SubscriptionStatus: "OPT_IN" }] }));
    await page.waitForFunction(() => document.querySelectorAll("main table")[1]?.querySelectorAll("tbody tr").length === 2,
      { timeout: WAIT_MS });
    assert.equal(await page.$eval("select[name=topic]", (s) => s.value), "deals");
    assert.equal(await page.$eval("select[name=status]", (s) => s.value), "OPT_IN");
    await noXss();
  });

  test("a message with a hostile subject and HTML: list, detail and sandboxed preview", async () => {
    try {
      await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: "sender@ui.example" }));
    } catch { /* identities may be verified by default in this build */ }
    const html = `<h1 id="mail-heading">Hello</h1><script>parent.__xss = 2; document.title = "ran"</script>` +
      `<img src=x onerror="parent.__xss=3">`;
    const { MessageId } = await ses.send(new SendEmailCommand({
      FromEmailAddress: "sender@ui.example",
      Destination: { ToAddresses: ["friend@ui.example"] },
      Content: { Simple: { Subject: { Data: HOSTILE }, Body: { Text: { Data: "plain words" }, Html: { Data: html } } } },
    }));
    await open("messages", "messages");
    const link = `tr[data-message-id="${MessageId}"] .subject a`;
    await page.waitForSelector(link, { timeout: WAIT_MS });
    assert.equal(await text(link), HOSTILE);
    await noXss();
    await page.evaluate((sel) => document.querySelector(sel).click(), link);
    await page.waitForSelector("iframe.preview", { timeout: WAIT_MS });
    assert.equal(new URL(page.url()).pathname, `/_mock/ui/messages/${MessageId}`);
    assert.equal(await page.title(), `${HOSTILE} — sesv2-mock`);
    assert.equal(await text("h1.subject"), HOSTILE);
    assert.equal(await text("pre.text-part"), "plain words");
    assert.equal(await page.$eval("iframe.preview", (f) => f.getAttribute("sandbox")), "");
    // The preview's own document shows the mail; its script and handler never ran.
    const frame = await (await page.$("iframe.preview")).contentFrame();
    await frame.waitForSelector("#mail-heading", { timeout: WAIT_MS });
    assert.equal(await frame.$eval("#mail-heading", (n) => n.textContent), "Hello");
    await new Promise((r) => setTimeout(r, 300));
    await noXss();
    await page.screenshot({ path: join(SHOTS, "message.png"), fullPage: true });
    // A reload of the deep link shows the same message.
    await page.reload({ waitUntil: "networkidle0" });
    assert.equal(await text("h1.subject"), HOSTILE);
    const raw = await fetch(`${server.endpoint}/_mock/messages/${MessageId}/raw`);
    assert.equal(raw.headers.get("content-type"), "message/rfc822");
    const preview = await fetch(`${server.endpoint}/_mock/messages/${MessageId}/html`);
    assert.match(preview.headers.get("content-security-policy"), /default-src 'none'.*sandbox/);
  });

  test("attachments: each downloads its bytes; a hostile file name stays text", async () => {
    const bytes = Uint8Array.from({ length: 700 }, (_, i) => (i * 37) % 256);
    const { MessageId } = await ses.send(new SendEmailCommand({
      FromEmailAddress: "sender@ui.example",
      Destination: { ToAddresses: ["files@ui.example"] },
      Content: { Simple: { Subject: { Data: "files" }, Body: { Text: { Data: "two files" } },
        Attachments: [
          { FileName: "data.bin", RawContent: bytes, ContentType: "application/octet-stream" },
          { FileName: `${HOSTILE}.html`, RawContent: new TextEncoder().encode("<script>parent.__xss=4</script>"), ContentType: "text/html" },
        ] } },
    }));
    await open(`messages/${MessageId}`);
    await page.waitForSelector("tr.attachment a", { timeout: WAIT_MS });
    const links = await page.$$eval("tr.attachment a", (as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
    assert.deepEqual(links, [
      ["data.bin", `/_mock/messages/${MessageId}/attachments/0`],
      [`${HOSTILE}.html`, `/_mock/messages/${MessageId}/attachments/1`],
    ]);
    assert.equal(await page.$("tr.attachment img"), null);
    // The page's own link, fetched as the browser would: the bytes sent, byte for byte.
    const got = await page.evaluate(async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())], links[0][1]);
    assert.deepEqual(got, [...bytes]);
    const hostile = await fetch(`${server.endpoint}${links[1][1]}`);
    assert.equal(hostile.headers.get("content-type"), "application/octet-stream");
    assert.equal(hostile.headers.get("x-content-type-options"), "nosniff");
    assert.match(hostile.headers.get("content-disposition"), /^attachment; filename="_img src_x onerror_window.__xss_1_.html"; filename\*=UTF-8''/);
    await noXss();
  });

  test("the messages page shows new mail without a reload, keeping its filter", async () => {
    await open("messages");
    await page.type("input[name=recipient]", "live@ui.example");
    await page.evaluate(() => { document.querySelector("form.filters button[type=submit]").click(); window.__samePage = true; });
    await page.waitForFunction(() => document.querySelector("main p.muted")?.textContent === "No messages match.", { timeout: WAIT_MS });
    const { MessageId } = await ses.send(new SendEmailCommand({
      FromEmailAddress: "sender@ui.example",
      Destination: { ToAddresses: ["live@ui.example"] },
      Content: { Simple: { Subject: { Data: "arrived later" }, Body: { Text: { Data: "hi" } } } },
    }));
    await page.waitForSelector(`tr[data-message-id="${MessageId}"]`, { timeout: WAIT_MS });
    assert.equal(await page.evaluate(() => window.__samePage), true);  // no navigation
    assert.equal(await page.$eval("input[name=recipient]", (i) => i.value), "live@ui.example");
    assert.equal(await page.$$eval("main tbody tr", (rows) => rows.length), 1);
    assert.equal(await text(`tr[data-message-id="${MessageId}"] .subject`), "arrived later");
  });

  test("settings: mode, faults and reset from the page", async () => {
    await open("settings", "settings");
    assert.equal(await page.title(), "Settings — sesv2-mock");
    await page.evaluate(() => document.querySelectorAll("form.filters")[1].querySelector("button").click());
    await page.waitForFunction(() => document.querySelectorAll("main table")[1]?.querySelectorAll("tbody tr").length === 1,
      { timeout: WAIT_MS });
    const faults = (await control("/_mock/faults")).json.faults;
    assert.equal(faults.length, 1);
    assert.equal(faults[0].errorCode, "TooManyRequestsException");
    await page.evaluate(() => document.querySelectorAll("main table")[1].querySelector("button").click());
    await page.waitForFunction(() => document.querySelectorAll("main table").length === 1, { timeout: WAIT_MS });
    assert.equal((await control("/_mock/faults")).json.faults.length, 0);
  });

  test("bad input to the page's JSON gets a clear 4xx", async () => {
    const bad = await fetch(`${server.endpoint}/_mock/import-jobs?account=12&region=${REGION}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("x-amzn-ErrorType"), "BadRequestException");
    assert.match((await bad.json()).message, /Value at 'account' failed to satisfy constraint/);
    const token = await fetch(`${server.endpoint}/_mock/suppressed-destinations?NextToken=garbage`);
    assert.equal(token.status, 400);
    const list = await fetch(`${server.endpoint}/_mock/contact-lists/nope/contacts?${q}`);
    assert.equal(list.status, 404);
    // The page shows the error as text rather than failing silently.
    await page.goto(`${server.endpoint}/_mock/ui/?account=12&region=${REGION}`, { waitUntil: "networkidle0" });
    assert.match(await text("#status"), /BadRequestException/);
  });

  test("no page raised an error or a dialog", () => {
    assert.deepEqual(pageErrors, []);
  });
});
