// Small helpers shared by the views. Safety rule of the inspector: every string from the
// server (import files, requests, messages) enters the page as a text node or an attribute
// value set through the DOM, never parsed as markup (a unit test greps the assets for the
// HTML-writing DOM calls).

// el("td", {class: "num"}, "text", childNode, ...): strings become text nodes.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
}

// The partition the page looks at: ?account=&region= of the page's own URL.
export function partition() {
  const q = new URLSearchParams(location.search);
  return { account: q.get("account") || "000000000000", region: q.get("region") || "us-east-1" };
}

// A link to another inspector page that keeps the partition (and any extra query members).
export function pageUrl(path, extra = {}) {
  const q = new URLSearchParams(partition());
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") q.set(k, v);
  return `/_mock/ui/${path}?${q}`;
}

export class ApiFailure extends Error {
  constructor(message, status) { super(message); this.status = status; }
}

async function call(method, path, { query = {}, body, scoped = true } = {}) {
  const q = new URLSearchParams(scoped ? partition() : {});
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const qs = q.toString();
  const res = await fetch(path + (qs ? `?${qs}` : ""), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = {};
  try { json = text ? JSON.parse(text) : {}; } catch { json = { message: text }; }
  if (!res.ok) {
    const code = res.headers.get("x-amzn-ErrorType") || `HTTP ${res.status}`;
    throw new ApiFailure(`${code}: ${json.message || text}`, res.status);
  }
  return json;
}

export const getJson = (path, query, opts = {}) => call("GET", path, { query, ...opts });
export const postJson = (path, body = {}, opts = {}) => call("POST", path, { body, scoped: false, ...opts });
export const deleteJson = (path, opts = {}) => call("DELETE", path, { scoped: false, ...opts });

export function showStatus(message, isError = false) {
  const node = document.getElementById("status");
  node.textContent = message;
  node.className = isError ? "error" : "";
}

export function time(epochSeconds) {
  if (epochSeconds === undefined || epochSeconds === null) return "";
  return new Date(epochSeconds * 1000).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
}

export const state = (s) => el("span", { class: `state ${s}` }, s);

export function table(headings, rows, empty = "Nothing here.") {
  if (!rows.length) return el("p", { class: "muted" }, empty);
  return el("table", {}, el("thead", {}, el("tr", {}, headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

// Server-side paging with NextToken: remembers the tokens of earlier pages for "Previous".
// `version` changes with every move (and reset, which filter changes call): a load that
// started before it compares and drops its now stale answer.
export class Paging {
  constructor(onChange) { this.tokens = [undefined]; this.next = undefined; this.onChange = onChange; this.version = 0; }
  reset() { this.tokens = [undefined]; this.version++; }
  get token() { return this.tokens[this.tokens.length - 1]; }
  controls() {
    const page = this.tokens.length;
    return el("div", { class: "pager" },
      el("button", { type: "button", disabled: page === 1, onclick: () => { this.tokens.pop(); this.version++; this.onChange(); } }, "← Previous"),
      el("span", { class: "muted" }, `Page ${page}`),
      el("button", { type: "button", disabled: !this.next, onclick: () => { this.tokens.push(this.next); this.version++; this.onChange(); } }, "Next →"));
  }
}

// Live views: runs `load` now and then every `ms` while the tab is visible (a hidden tab is
// not polled and catches up when shown again). `load` reads the view's own form and paging
// state each time, so a refresh keeps the user's search and page. Returns { started (the
// first load), now() (reload at once, e.g. after a filter change), stop() (for the router) }.
export function poll(load, ms) {
  let timer = null;
  let stopped = false;
  let running = null;
  async function tick() {
    clearTimeout(timer);
    if (stopped) return;
    if (!document.hidden) {
      while (running) await running;  // one load at a time; a reload asked for meanwhile follows it
      running = load().catch((e) => showStatus(String(e.message || e), true)).finally(() => { running = null; });
      await running;
    }
    clearTimeout(timer);  // a single timer however many reloads were asked for
    if (!stopped) timer = setTimeout(tick, ms);
  }
  const onVisibility = () => { if (!document.hidden) tick(); };
  document.addEventListener("visibilitychange", onVisibility);
  return {
    started: tick(),
    now: tick,
    stop() { stopped = true; clearTimeout(timer); document.removeEventListener("visibilitychange", onVisibility); },
  };
}

// True when `value` differs from the last one seen: a poll redraws only what changed, so a
// table the user is reading (or clicking in) is not replaced every second for nothing.
export function changeTracker() {
  let last;
  return (value) => {
    const text = JSON.stringify(value);
    if (text === last) return false;
    last = text;
    return true;
  };
}
