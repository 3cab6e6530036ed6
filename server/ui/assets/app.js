// The inspector's client-side router: the server answers every /_mock/ui/... path with the
// same page, and this picks the view from location.pathname (deep links work on reload).
import { el, partition, replace, showStatus } from "/_mock/ui/assets/dom.js";
import { overview } from "/_mock/ui/assets/jobs.js";
import { suppression, contactLists } from "/_mock/ui/assets/lists.js";
import { messages, message } from "/_mock/ui/assets/mail.js";
import { settings } from "/_mock/ui/assets/settings.js";

const ROUTES = [
  [/^\/_mock\/ui\/?$/, overview, "/_mock/ui/"],
  [/^\/_mock\/ui\/suppression\/?$/, suppression, "/_mock/ui/suppression"],
  [/^\/_mock\/ui\/contact-lists\/?$/, contactLists, "/_mock/ui/contact-lists"],
  [/^\/_mock\/ui\/messages\/?$/, messages, "/_mock/ui/messages"],
  [/^\/_mock\/ui\/messages\/([^/]+)$/, message, "/_mock/ui/messages"],
  [/^\/_mock\/ui\/settings\/?$/, settings, "/_mock/ui/settings"],
];

let cleanup = null;  // what the current view leaves running (polling timers)
let rendering = 0;   // which render is current: a view shown after a newer one started stops

async function render() {
  const mine = ++rendering;
  if (cleanup) { cleanup(); cleanup = null; }
  showStatus("");
  const view = document.getElementById("view");
  const path = location.pathname;
  const form = document.getElementById("partition");
  const p = partition();
  form.account.value = p.account;
  form.region.value = p.region;
  for (const a of document.querySelectorAll("#nav a")) {
    const [, , navPath] = ROUTES.find(([re]) => re.test(new URL(a.href).pathname)) || [];
    const [, , here] = ROUTES.find(([re]) => re.test(path)) || [];
    a.classList.toggle("active", navPath === here);
    a.href = `${new URL(a.href).pathname}?${new URLSearchParams(p)}`;
  }
  for (const [re, show] of ROUTES) {
    const match = re.exec(path);
    if (!match) continue;
    try {
      const stop = (await show(view, ...match.slice(1).map(decodeURIComponent))) || null;
      if (mine === rendering) cleanup = stop;
      else if (stop) stop();  // the user has moved on meanwhile
    } catch (e) {
      replace(view, el("h1", {}, "Error"), el("p", { class: "error" }, String(e.message || e)));
      document.title = "Error — sesv2-mock";
    }
    return;
  }
  document.title = "Not found — sesv2-mock";
  replace(view, el("h1", {}, "Not found"), el("p", {}, "The inspector has no page ", el("code", {}, path), "."));
}

export function navigate(url) {
  history.pushState(null, "", url);
  render();
}

// Same-origin links to inspector pages are followed without a reload.
document.addEventListener("click", (event) => {
  const a = event.target.closest("a");
  if (!a || a.target || a.hasAttribute("download") || event.ctrlKey || event.metaKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith("/_mock/ui/")) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
});

document.getElementById("partition").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const q = new URLSearchParams(location.search);
  q.set("account", form.account.value.trim());
  q.set("region", form.region.value.trim());
  navigate(`${location.pathname}?${q}`);
});

window.addEventListener("popstate", render);
render();
