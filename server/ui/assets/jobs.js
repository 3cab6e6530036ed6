// Overview: the partition's import jobs and export jobs, newest first, refreshed every second
// so a running job's progress moves without a reload; control moves are POSTs to
// /_mock/import-jobs and /_mock/export-jobs. The export section shows only when the server
// answers GET /_mock/export-jobs (a build without export jobs answers 404).
import { el, getJson, postJson, replace, showStatus, state, table, time, changeTracker, poll, Paging } from "/_mock/ui/assets/dom.js";

const POLL_MS = 1000;
const PAGE_SIZE = 50;
const FINISHED = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

// "n / total" and a percentage against the file's record count (TotalRecordsCount, known
// once a run has counted the file); before that an indeterminate bar and "n processed".
function progress(job) {
  const processed = job.ProcessedRecordsCount ?? 0;
  const total = job.TotalRecordsCount;
  if (total === undefined) {
    const bar = FINISHED.has(job.JobStatus) ? el("progress", { max: 1, value: job.JobStatus === "COMPLETED" ? 1 : 0 })
      : el("progress", {});
    return el("td", { class: "progress" }, bar, " ", el("span", { class: "processed mono" }, `${processed} processed`));
  }
  const percent = total > 0 ? Math.floor((processed * 100) / total) : (job.JobStatus === "COMPLETED" ? 100 : 0);
  return el("td", { class: "progress" },
    el("progress", { max: Math.max(total, 1), value: total > 0 ? processed : percent / 100, title: `${percent}%` }), " ",
    el("span", { class: "processed mono" }, `${processed} / ${total}`), " ",
    el("span", { class: "percent" }, `${percent}%`));
}

function moves(kind, id, refresh) {
  const move = (what) => async () => {
    try {
      const body = what === "fail" ? { message: "Failed from the web inspector." } : {};
      const out = await postJson(`/_mock/${kind}/${encodeURIComponent(id)}/${what}`, body);
      showStatus(`${id}: ${out.JobStatus}`);
    } catch (e) {
      showStatus(e.message, true);
    }
    refresh();
  };
  return el("div", { class: "actions" },
    el("button", { type: "button", class: "advance", onclick: move("advance") }, "Advance"),
    el("button", { type: "button", class: "cancel", onclick: move("cancel") }, "Cancel"),
    el("button", { type: "button", class: "fail danger", onclick: move("fail") }, "Fail"));
}

function importRow(job, refresh) {
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
    el("td", {}, FINISHED.has(job.JobStatus) ? "" : moves("import-jobs", job.JobId, refresh)));
}

// Export jobs in the shape of GET /_mock/export-jobs: {JobId, ExportSourceType, JobStatus,
// CreatedTimestamp, CompletedTimestamp, Statistics{ProcessedRecordsCount,
// ExportedRecordsCount}, FailureInfo?, DownloadUrl}.
function exportRow(job, refresh) {
  const stats = job.Statistics || {};
  const info = job.FailureInfo || {};
  return el("tr", { "data-export-job-id": job.JobId },
    el("td", {}, el("code", {}, job.JobId), el("div", { class: "muted" }, time(job.CreatedTimestamp))),
    el("td", {}, job.ExportSourceType || ""),
    el("td", { class: "job-state" }, state(job.JobStatus)),
    el("td", { class: "progress" },
      FINISHED.has(job.JobStatus) ? "" : el("progress", {}), " ",
      el("span", { class: "processed mono" }, `${stats.ProcessedRecordsCount ?? 0} processed, ${stats.ExportedRecordsCount ?? 0} exported`)),
    el("td", { class: "failure" }, info.ErrorMessage || ""),
    el("td", {}, job.JobStatus === "COMPLETED" && job.DownloadUrl
      ? el("a", { class: "download", href: job.DownloadUrl, download: `${job.JobId}-export` }, "export file") : ""),
    el("td", {}, FINISHED.has(job.JobStatus) ? "" : moves("export-jobs", job.JobId, refresh)));
}

export async function overview(view) {
  document.title = "Jobs — sesv2-mock";
  const imports = el("div", {});
  const exportsSection = el("section", { id: "export-jobs", hidden: true });
  const exportsBody = el("div", {});
  replace(exportsSection, el("h2", {}, "Export jobs"), exportsBody);
  const refresh = () => live.now();
  const importPaging = new Paging(refresh);
  const exportPaging = new Paging(refresh);
  const importsChanged = changeTracker();
  const exportsChanged = changeTracker();
  let exportsAvailable = true;  // until the server says it has no export jobs
  replace(view, el("h1", {}, "Jobs"),
    el("p", { class: "note" }, "Newest first; refreshed every second. Progress counts records against the file's record count, known once the job has started reading it."),
    el("h2", {}, "Import jobs"), imports, exportsSection);

  async function loadImports() {
    const version = importPaging.version;
    const out = await getJson("/_mock/import-jobs", { PageSize: PAGE_SIZE, NextToken: importPaging.token });
    if (version !== importPaging.version) return;  // paged meanwhile
    importPaging.next = out.NextToken;
    if (!importsChanged([out, importPaging.tokens.length])) return;
    replace(imports, table(["Job", "Destination", "State", "Progress", "Failed", "Failure", "Control"],
      out.ImportJobs.map((j) => importRow(j, refresh)), "No import jobs in this account and region."),
    importPaging.controls());
  }

  async function loadExports() {
    if (!exportsAvailable) return;
    const version = exportPaging.version;
    let out;
    try {
      out = await getJson("/_mock/export-jobs", { PageSize: PAGE_SIZE, NextToken: exportPaging.token });
    } catch (e) {
      if (e.status === 404 && !exportPaging.token) { exportsAvailable = false; return; }
      throw e;
    }
    if (version !== exportPaging.version) return;
    exportPaging.next = out.NextToken;
    exportsSection.hidden = false;
    if (!exportsChanged([out, exportPaging.tokens.length])) return;
    replace(exportsBody, table(["Job", "Source", "State", "Progress", "Failure", "Download", "Control"],
      (out.ExportJobs || []).map((j) => exportRow(j, refresh)), "No export jobs in this account and region."),
    exportPaging.controls());
  }

  const live = poll(async () => {
    try {
      await Promise.all([loadImports(), loadExports()]);
    } catch (e) {
      showStatus(e.message, true);
    }
  }, POLL_MS);
  await live.started;
  return live.stop;
}
