// Overview: the partition's import jobs, newest first, refreshed every second so a running
// import's counts move without a reload; control moves are POSTs to /_mock/import-jobs.
import { el, getJson, postJson, replace, showStatus, state, table, time, Paging } from "/_mock/ui/assets/dom.js";

const POLL_MS = 1000;
const PAGE_SIZE = 50;
const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

function progress(job) {
  const processed = job.ProcessedRecordsCount ?? 0;
  const done = FINISHED.has(job.JobStatus);
  // The job store does not know a file's record count before the file is read, so a
  // running job shows an indeterminate bar and its counts; a completed one a full bar, a
  // failed or cancelled one an empty bar.
  const bar = done ? el("progress", { max: 1, value: job.JobStatus === "COMPLETED" ? 1 : 0 })
    : el("progress", {});
  return el("td", { class: "progress" }, bar, " ",
    el("span", { class: "processed mono" }, `${processed} processed`));
}

function controls(job, refresh) {
  if (FINISHED.has(job.JobStatus)) return el("td", {});
  const move = (what) => async () => {
    try {
      const body = what === "fail" ? { message: "Failed from the web inspector." } : {};
      const out = await postJson(`/_mock/import-jobs/${encodeURIComponent(job.JobId)}/${what}`, body);
      showStatus(`${job.JobId}: ${out.JobStatus}`);
    } catch (e) {
      showStatus(e.message, true);
    }
    refresh();
  };
  return el("td", {}, el("div", { class: "actions" },
    el("button", { type: "button", class: "advance", onclick: move("advance") }, "Advance"),
    el("button", { type: "button", class: "cancel", onclick: move("cancel") }, "Cancel"),
    el("button", { type: "button", class: "fail danger", onclick: move("fail") }, "Fail")));
}

function row(job, refresh) {
  const dest = job.ImportDestination || {};
  const target = dest.ContactListDestination
    ? `contact list ${dest.ContactListDestination.ContactListName}`
    : "suppression list";
  const source = job.ImportDataSource || {};
  const info = job.FailureInfo || {};
  return el("tr", { "data-job-id": job.JobId },
    el("td", {}, el("code", {}, job.JobId), el("div", { class: "muted" }, time(job.CreatedTimestamp))),
    el("td", {}, target, el("div", { class: "muted mono" }, source.S3Url || "")),
    el("td", { class: "job-state" }, state(job.JobStatus)),
    progress(job),
    el("td", { class: "num failed" }, String(job.FailedRecordsCount ?? 0)),
    el("td", { class: "failure" },
      info.ErrorMessage || "",
      info.FailedRecordsS3Url
        ? el("div", {}, el("a", { href: `/_mock/import-jobs/${encodeURIComponent(job.JobId)}/failed-records`, download: `${job.JobId}-failed-records` }, "failed records"))
        : ""),
    controls(job, refresh));
}

export async function overview(view) {
  document.title = "Import jobs — sesv2-mock";
  const body = el("div", {});
  const paging = new Paging(() => load());
  replace(view, el("h1", {}, "Import jobs"),
    el("p", { class: "note" }, "Newest first; refreshed every second. The record count of a file is not known before the job has read it, so running jobs show their processed and failed counts."),
    body);
  let timer = null;
  let stopped = false;
  async function load() {
    clearTimeout(timer);
    try {
      const out = await getJson("/_mock/import-jobs", { PageSize: PAGE_SIZE, NextToken: paging.token });
      if (stopped) return;
      paging.next = out.NextToken;
      replace(body, table(["Job", "Destination", "State", "Progress", "Failed", "Failure", "Control"],
        out.ImportJobs.map((j) => row(j, load)), "No import jobs in this account and region."),
        paging.controls());
    } catch (e) {
      showStatus(e.message, true);
    }
    if (!stopped) timer = setTimeout(load, POLL_MS);
  }
  await load();
  return () => { stopped = true; clearTimeout(timer); };
}
