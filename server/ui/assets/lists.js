// The suppression list (search, reason filter, paging) and contact lists with their topics
// and contacts (the ListContacts filters), all paged on the server. The suppression list and
// a list's contacts refresh while shown (an import may be filling them), keeping the
// filters and page the user chose.
import { el, getJson, pageUrl, replace, showStatus, table, time, changeTracker, poll, Paging } from "/_mock/ui/assets/dom.js";

const PAGE_SIZE = 50;
const POLL_MS = 2000;

function filterForm(fields, onSubmit) {
  const form = el("form", { class: "filters" }, fields,
    el("button", { type: "submit" }, "Apply"));
  form.addEventListener("submit", (e) => { e.preventDefault(); onSubmit(form); });
  return form;
}

const select = (name, options, value = "") =>
  el("select", { name }, options.map(([v, label]) => el("option", { value: v, selected: v === value }, label)));

export async function suppression(view) {
  document.title = "Suppression list — sesv2-mock";
  const results = el("div", {});
  const refresh = () => live.now();
  const paging = new Paging(refresh);
  const changed = changeTracker();
  const form = filterForm([
    el("label", {}, "Address contains", el("input", { name: "search", type: "search", placeholder: "example.com" })),
    el("label", {}, "Reason", select("reason", [["", "any"], ["BOUNCE", "BOUNCE"], ["COMPLAINT", "COMPLAINT"]])),
  ], () => { paging.reset(); refresh(); });
  replace(view, el("h1", {}, "Suppression list"), form, results);
  async function load() {
    const version = paging.version;
    try {
      const out = await getJson("/_mock/suppressed-destinations", {
        Search: form.search.value, Reason: form.reason.value, PageSize: PAGE_SIZE, NextToken: paging.token,
      });
      if (version !== paging.version) return;  // the user paged or filtered meanwhile
      paging.next = out.NextToken;
      if (!changed([out, paging.tokens.length])) return;
      replace(results, table(["Address", "Reason", "Last update"],
        out.SuppressedDestinationSummaries.map((d) => el("tr", {},
          el("td", { class: "mono" }, d.EmailAddress), el("td", {}, d.Reason), el("td", {}, time(d.LastUpdateTime)))),
        "No suppressed addresses match."), paging.controls());
    } catch (e) {
      showStatus(e.message, true);
    }
  }
  const live = poll(load, POLL_MS);
  await live.started;
  return live.stop;
}

function topicsCell(list) {
  return el("td", {}, (list.Topics || []).map((t) =>
    el("div", {}, el("b", {}, t.TopicName), ` (${t.DefaultSubscriptionStatus}) `, el("span", { class: "muted" }, t.DisplayName || ""))));
}

function preferences(contact) {
  const explicit = (contact.TopicPreferences || []).map((p) => `${p.TopicName}: ${p.SubscriptionStatus}`);
  const defaults = (contact.TopicDefaultPreferences || []).map((p) => `${p.TopicName}: ${p.SubscriptionStatus} (default)`);
  return el("td", {}, [...explicit, ...defaults].map((s) => el("div", {}, s)));
}

async function contactsOf(list, holder) {
  const results = el("div", {});
  const refresh = () => live.now();
  const paging = new Paging(refresh);
  const changed = changeTracker();
  const topics = [["", "any topic"], ...(list.Topics || []).map((t) => [t.TopicName, t.TopicName])];
  const form = filterForm([
    el("label", {}, "Status", select("status", [["", "any"], ["OPT_IN", "OPT_IN"], ["OPT_OUT", "OPT_OUT"]])),
    el("label", {}, "Topic", select("topic", topics)),
    el("label", {}, "Use topic default", el("input", { name: "useDefault", type: "checkbox" })),
  ], () => { paging.reset(); refresh(); });
  replace(holder, el("h2", {}, "Contacts of ", list.ContactListName), form, results);
  async function load() {
    const version = paging.version;
    try {
      const out = await getJson(`/_mock/contact-lists/${encodeURIComponent(list.ContactListName)}/contacts`, {
        FilteredStatus: form.status.value, TopicName: form.topic.value,
        UseDefaultIfPreferenceUnavailable: form.topic.value ? String(form.useDefault.checked) : "",
        PageSize: PAGE_SIZE, NextToken: paging.token,
      });
      if (version !== paging.version) return;  // the user paged or filtered meanwhile
      paging.next = out.NextToken;
      if (!changed([out, paging.tokens.length])) return;
      replace(results, table(["Address", "Unsubscribe all", "Topics", "Last updated"],
        out.Contacts.map((c) => el("tr", {},
          el("td", { class: "mono" }, c.EmailAddress), el("td", {}, c.UnsubscribeAll ? "yes" : "no"),
          preferences(c), el("td", {}, time(c.LastUpdatedTimestamp)))),
        "No contacts match."), paging.controls());
    } catch (e) {
      showStatus(e.message, true);
    }
  }
  const live = poll(load, POLL_MS);
  await live.started;
  return live.stop;
}

export async function contactLists(view) {
  document.title = "Contact lists — sesv2-mock";
  const chosen = new URLSearchParams(location.search).get("list");
  const out = await getJson("/_mock/contact-lists", { PageSize: 1000 });
  const contacts = el("div", {});
  replace(view, el("h1", {}, "Contact lists"),
    table(["List", "Topics", "Description", "Last updated"], out.ContactLists.map((l) => el("tr", {},
      el("td", {}, el("a", { href: pageUrl("contact-lists", { list: l.ContactListName }) }, l.ContactListName)),
      topicsCell(l), el("td", {}, l.Description || ""), el("td", {}, time(l.LastUpdatedTimestamp)))),
    "No contact lists in this account and region."),
    contacts);
  const list = out.ContactLists.find((l) => l.ContactListName === chosen);
  if (chosen && !list) showStatus(`No contact list ${chosen} in this account and region.`, true);
  if (list) return contactsOf(list, contacts);
  return null;
}

