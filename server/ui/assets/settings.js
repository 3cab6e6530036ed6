// Settings (processing mode and delay), injected faults, and reset of this partition or all.
import { el, getJson, postJson, deleteJson, partition, replace, showStatus, table } from "/_mock/ui/assets/dom.js";

export async function settings(view) {
  document.title = "Settings — sesv2-mock";
  const [config, faults] = await Promise.all([
    getJson("/_mock/config", {}, { scoped: false }), getJson("/_mock/faults", {}, { scoped: false })]);
  const act = (fn, done) => async (e) => {
    e?.preventDefault?.();
    try { await fn(); showStatus(done); await settings(view); } catch (err) { showStatus(err.message, true); }
  };
  const modeForm = el("form", { class: "filters" },
    el("label", {}, "Processing mode", el("select", { name: "mode" },
      ["immediate", "delayed", "manual"].map((m) => el("option", { value: m, selected: m === config.processingMode }, m)))),
    el("label", {}, "Delay (ms)", el("input", { name: "delay", type: "number", min: 0, value: config.processingDelayMs })),
    el("button", { type: "submit" }, "Save"));
  modeForm.addEventListener("submit", act(() => postJson("/_mock/config",
    { processingMode: modeForm.mode.value, processingDelayMs: Number(modeForm.delay.value) }), "Settings saved."));
  const faultForm = el("form", { class: "filters" },
    el("label", {}, "Operation", el("input", { name: "operation", value: "*", required: true })),
    el("label", {}, "Error code", el("input", { name: "errorCode", value: "TooManyRequestsException", required: true })),
    el("label", {}, "Status", el("input", { name: "status", type: "number", value: 429, min: 400, max: 599 })),
    el("label", {}, "Count", el("input", { name: "count", type: "number", min: 1, placeholder: "unlimited" })),
    el("button", { type: "submit" }, "Add fault"));
  faultForm.addEventListener("submit", act(() => postJson("/_mock/faults", {
    operation: faultForm.operation.value, errorCode: faultForm.errorCode.value, status: Number(faultForm.status.value),
    ...(faultForm.count.value ? { count: Number(faultForm.count.value) } : {}),
  }), "Fault added."));
  const p = partition();
  replace(view,
    el("h1", {}, "Settings"), modeForm,
    table(["Setting", "Value"], Object.entries(config).map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", { class: "mono" }, String(v))))),
    el("h2", {}, "Faults"), faultForm,
    table(["Id", "Operation", "Error", "Status", "Remaining", "Matched", ""], faults.faults.map((f) => el("tr", {},
      el("td", { class: "mono" }, f.id), el("td", {}, f.operation), el("td", {}, f.errorCode), el("td", {}, String(f.status)),
      el("td", {}, f.remaining === undefined ? "∞" : String(f.remaining)), el("td", {}, String(f.matched)),
      el("td", {}, el("button", { type: "button", onclick: act(() => deleteJson(`/_mock/faults/${encodeURIComponent(f.id)}`), "Fault removed.") }, "Remove")))),
    "No faults injected."),
    el("h2", {}, "Reset"),
    el("p", {}, "Clears jobs, suppression list, contact lists, messages and templates."),
    el("div", { class: "actions" },
      el("button", { type: "button", class: "danger", onclick: act(() => postJson("/_mock/reset", p), `Reset ${p.account} ${p.region}.`) }, `Reset ${p.account} / ${p.region}`),
      el("button", { type: "button", class: "danger", onclick: act(() => postJson("/_mock/reset", {}), "Reset everything.") }, "Reset everything")));
}
