// Captured mail: the list (filters, paging; refreshed while shown, so new mail appears with
// the user's filters and page kept) and one message with its headers, recipients' fates and
// events, text part, HTML part (in a sandboxed frame, no scripts) and attachments (each a
// download served by /_mock/messages/{id}/attachments/{index}).
import { el, getJson, pageUrl, replace, showStatus, state, table, time, changeTracker, poll, Paging } from "/_mock/ui/assets/dom.js";

const PAGE_SIZE = 50;
const POLL_MS = 2000;

function fates(recipients) {
  return el("td", {}, recipients.map((r) => el("div", {}, state(r.Fate), " ", el("span", { class: "mono" }, r.Address))));
}

export async function messages(view) {
  document.title = "Messages — sesv2-mock";
  const results = el("div", {});
  const refresh = () => live.now();
  const paging = new Paging(refresh);
  const changed = changeTracker();
  const form = el("form", { class: "filters" },
    [["recipient", "Recipient"], ["sender", "Sender"], ["subject", "Subject contains"]].map(([n, label]) =>
      el("label", {}, label, el("input", { name: n, type: "search" }))),
    el("label", {}, "Fate", el("select", { name: "fate" },
      ["", "DELIVERED", "BOUNCED", "COMPLAINED", "SUPPRESSED", "UNSUBSCRIBED", "RENDERING_FAILED"].map((f) => el("option", { value: f }, f || "any")))),
    el("button", { type: "submit" }, "Apply"));
  form.addEventListener("submit", (e) => { e.preventDefault(); paging.reset(); refresh(); });
  replace(view, el("h1", {}, "Messages"), el("p", { class: "note" }, "In send order."), form, results);
  async function load() {
    const version = paging.version;
    try {
      const out = await getJson("/_mock/messages", {
        recipient: form.recipient.value, sender: form.sender.value, subject: form.subject.value,
        fate: form.fate.value, PageSize: PAGE_SIZE, NextToken: paging.token,
      });
      if (version !== paging.version) return;  // the user paged or filtered meanwhile
      paging.next = out.NextToken;
      if (!changed([out, paging.tokens.length])) return;
      replace(results, table(["Time", "Sender", "Subject", "Recipients and fate"],
        out.Messages.map((m) => el("tr", { "data-message-id": m.MessageId },
          el("td", {}, time(m.Timestamp)), el("td", { class: "mono" }, m.Source),
          el("td", { class: "subject" }, el("a", { href: pageUrl(`messages/${encodeURIComponent(m.MessageId)}`) }, m.Subject || "(no subject)")),
          fates(m.Recipients))),
        "No messages match."), paging.controls());
    } catch (e) {
      showStatus(e.message, true);
    }
  }
  const live = poll(load, POLL_MS);
  await live.started;
  return live.stop;
}

function events(recipient) {
  return el("ol", { class: "events" }, (recipient.Events || []).map((e) => el("li", {},
    el("b", {}, e.Type), " ", time(e.Timestamp),
    e.Details?.Bounce ? ` ${e.Details.Bounce.BounceType}/${e.Details.Bounce.BounceSubType}` : "")));
}

export async function message(view, id) {
  const m = await getJson(`/_mock/messages/${encodeURIComponent(id)}`, {}, { scoped: false });
  document.title = `${m.Subject || "(no subject)"} — sesv2-mock`;
  const path = `/_mock/messages/${encodeURIComponent(id)}`;
  const extra = [["Template", m.Template], ["Contact list", m.ContactListName], ["Topic", m.TopicName],
    ["Configuration set", m.ConfigurationSetName]].filter(([, v]) => v);
  replace(view,
    el("p", {}, el("a", { href: pageUrl("messages") }, "← Messages")),
    el("h1", { class: "subject" }, m.Subject || "(no subject)"),
    el("dl", { class: "summary" },
      el("dt", {}, "Message id"), el("dd", { class: "mono" }, m.MessageId),
      el("dt", {}, "Sent"), el("dd", {}, time(m.Timestamp)),
      el("dt", {}, "From"), el("dd", { class: "mono" }, m.Source),
      el("dt", {}, "Kind"), el("dd", {}, m.Kind),
      extra.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]),
      el("dt", {}, "Raw"), el("dd", {}, el("a", { href: `${path}/raw`, download: `${m.MessageId}.eml` }, "download .eml"))),
    el("h2", {}, "Recipients"),
    table(["Address", "Kind", "Fate", "Events"], m.Recipients.map((r) => el("tr", {},
      el("td", { class: "mono" }, r.Address), el("td", {}, r.Kind), el("td", {}, state(r.Fate)), el("td", {}, events(r))))),
    el("h2", {}, "Text part"),
    m.Text === null ? el("p", { class: "muted" }, "None.") : el("pre", { class: "text-part" }, m.Text),
    el("h2", {}, "HTML part"),
    m.Html === null ? el("p", { class: "muted" }, "None.")
      // sandbox="" : no scripts, no forms, an opaque origin; the route adds its own CSP.
      : el("iframe", { class: "preview", sandbox: "", src: `${path}/html`, title: "HTML part (scripts disabled)" }),
    el("h2", {}, "Attachments"),
    table(["File", "Type", "Disposition", "Size"], m.Attachments.map((a, i) => el("tr", { class: "attachment" },
      el("td", { class: "mono" }, el("a", { href: `${path}/attachments/${i}`, download: "" }, a.FileName || `attachment ${i + 1}`)),
      el("td", {}, a.ContentType), el("td", {}, a.Disposition), el("td", { class: "num" }, String(a.Size)))),
    "None."),
    el("h2", {}, "Headers"),
    table(["Name", "Value"], m.Headers.map((h) => el("tr", {}, el("td", { class: "mono" }, h.Name), el("td", { class: "mono" }, h.Value)))));
  showStatus("");
}
