// Guanxi explorer: plain JS over the JSON API; the server masks data by the key's role.
"use strict";
const $ = (id) => document.getElementById(id);
const COLORS = { Person: "#3b6fb6", Company: "#c0392b", Loan: "#e5a00d", Circle: "#8e44ad",
  Account: "#16a085", Household: "#7f8c8d", NegativeRecord: "#000", Document: "#555",
  Community: "#27ae60", SupplyChain: "#d35400", Mention: "#999" };
let cy = null;

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function showError(msg) { const e = $("error"); e.textContent = msg || ""; e.hidden = !msg; }

async function api(path, opts = {}) {
  const headers = Object.assign({ "X-API-Key": sessionStorage.getItem("gx-key") || "" }, opts.headers || {});
  const r = await fetch(path, Object.assign({}, opts, { headers }));
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    const err = body.error || { code: r.status, message: r.statusText };
    showError(`${err.code}: ${err.message}`);
    throw new Error(err.message);
  }
  showError("");
  return body;
}

function table(rows, cols) {
  if (!rows || !rows.length) return '<p class="muted">none</p>';
  const head = cols.map((c) => `<th>${esc(c)}</th>`).join("");
  const body = rows.map((r) => "<tr>" + cols.map((c) => `<td>${esc(fmt(r[c]))}</td>`).join("") + "</tr>").join("");
  return `<table><tr>${head}</tr>${body}</table>`;
}
function fmt(v) {
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString() : v.toLocaleString(undefined, { maximumFractionDigits: 3 });
  if (Array.isArray(v)) return v.join(", ");
  return v;
}
function nodeLabel(n) { return n.name || n.id; }

function draw(nodes, edges, caption) {
  const els = [];
  for (const n of nodes) els.push({ data: { id: n.id, label: nodeLabel(n), kind: n.label || "" } });
  const ids = new Set(nodes.map((n) => n.id));
  edges.forEach((e, i) => {
    if (ids.has(e.src) && ids.has(e.dst)) els.push({ data: { id: "e" + i, source: e.src, target: e.dst, label: e.type || "" } });
  });
  if (cy) cy.destroy();
  cy = cytoscape({
    container: $("graph"), elements: els,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": (el) => COLORS[el.data("kind")] || "#95a5a6", width: 18, height: 18 } },
      { selector: "edge", style: { label: "data(label)", "font-size": 7, width: 1.2, "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#bbb", "target-arrow-color": "#bbb", color: "#777" } },
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 8000 }, maxZoom: 2,
  });
  cy.on("tap", "node", (evt) => openEntity(evt.target.id()));
  $("graph-caption").textContent = caption || "";
  $("graph").dataset.nodes = String(nodes.length);
}

async function connect() {
  sessionStorage.setItem("gx-key", $("key").value.trim());
  const me = await api("/me");
  $("role").textContent = `${me.name} · ${me.role}`;
  $("role").dataset.role = me.role;
}

async function search(ev) {
  ev && ev.preventDefault();
  const q = $("q").value.trim();
  if (!q) return;
  const page = await api(`/entities/search?q=${encodeURIComponent(q)}&limit=50`);
  $("results").innerHTML = page.items.map((r) => `<li data-id="${esc(r.id)}">${esc(r.name)} <span class="muted">${esc(r.label)} ${esc(r.id)}</span></li>`).join("") || '<li class="muted">no match</li>';
}

async function openEntity(id) {
  const d = await api(`/entities/${encodeURIComponent(id)}`);
  const e = d.entity;
  let html = `<h3>${esc(e.name || e.id)} <span class="muted">${esc(e.label)} ${esc(e.id)}</span></h3>`;
  const props = Object.entries(e).filter(([k]) => !["id", "label", "name"].includes(k));
  html += table(props.map(([k, v]) => ({ property: k, value: v })), ["property", "value"]);
  if (d.loans) html += "<h4>Loans</h4>" + table(d.loans, ["id", "amount", "balance", "classification", "overdue_days"]);
  if (d.circles && d.circles.length) html += "<h4>Guarantee circles</h4>" + d.circles.map((c) => `<button class="open-circle" data-id="${esc(c.id)}">${esc(c.id)} (size ${c.size}, risk ${fmt(c.risk_score)})</button>`).join(" ");
  if (d.negative_records && d.negative_records.length) html += "<h4>Negative records</h4>" + d.negative_records.map((r) => `<button class="open-record" data-id="${esc(r.id)}">${esc(r.kind)} ${esc(r.date)}</button>`).join(" ");
  $("detail").innerHTML = html;
  const g = await api(`/entities/${encodeURIComponent(id)}/neighbourhood?hops=${$("hops").value}&max_nodes=150`);
  draw(g.nodes, g.edges, `neighbourhood of ${nodeLabel(g.nodes[0] || { id })}: ${g.nodes.length} nodes, ${g.edges.length} edges${g.truncated ? " (truncated)" : ""}`);
  $("path-src").value = id;
}

async function loadCircles() {
  const page = await api("/guarantee/circles?limit=100");
  $("circles").innerHTML = page.items.map((c) => `<li data-id="${esc(c.id)}">${esc(c.id)} · size ${c.size} · balance ${fmt(c.total_balance)} · <span class="risk">risk ${fmt(c.risk_score)}</span></li>`).join("") || '<li class="muted">no circles (run the guarantee analysis)</li>';
}

async function openCircle(id) {
  setTab("circles");
  const c = await api(`/guarantee/circles/${encodeURIComponent(id)}`);
  const ex = await api(`/guarantee/circles/${encodeURIComponent(id)}/explain`);
  let html = `<h3>${esc(id)} <span class="risk">risk ${fmt(c.circle.risk_score)}</span></h3>`;
  html += `<p>${esc(c.circle.explanation || "")}</p>`;
  html += `<p>total balance ${fmt(c.circle.total_balance)} · guaranteed ${fmt(c.circle.guaranteed_amount)} · impaired loans ${ex.facts.impaired_loans.length}</p>`;
  html += "<h4>Members</h4>" + table(c.members, ["id", "label", "name"]);
  html += "<h4>Loans</h4>" + table(c.loans, ["id", "borrower_name", "amount", "balance", "classification", "overdue_days"]);
  html += "<h4>Guarantees</h4>" + table(c.guarantees, ["guarantor_name", "borrower_name", "loan", "amount", "balance"]);
  $("circle-detail").innerHTML = html;
  draw(c.members, c.guarantees.map((g) => ({ src: g.guarantor, dst: g.borrower, type: "担保 " + fmt(g.amount) })), `guarantee circle ${id}`);
}

async function findPaths() {
  const src = $("path-src").value.trim(), dst = $("path-dst").value.trim();
  if (!src || !dst) return;
  let url = `/paths?src=${encodeURIComponent(src)}&dst=${encodeURIComponent(dst)}&max_hops=${$("path-hops").value}&limit=5`;
  const types = $("path-types").value.trim();
  if (types) url += `&types=${encodeURIComponent(types)}`;
  const r = await api(url);
  if (!r.paths.length) { $("path-result").innerHTML = '<p class="muted">no path within the bound</p>'; return; }
  $("path-result").innerHTML = `<p>${r.paths.length} shortest path(s) of length ${r.length}</p>` +
    r.paths.map((p) => "<p>" + p.nodes.map((n) => esc(nodeLabel(n))).join(" → ") + "</p>").join("");
  const nodes = new Map(), edges = [];
  for (const p of r.paths) { p.nodes.forEach((n) => nodes.set(n.id, n)); edges.push(...p.edges); }
  draw([...nodes.values()], edges, `paths ${src} → ${dst}`);
}

async function loadRecords() {
  setTab("documents");
  const page = await api("/negative-records?limit=100");
  $("records").innerHTML = page.items.map((r) => `<li data-id="${esc(r.id)}">${esc(r.date)} · ${esc(r.kind)} · ${esc(r.subject_name)} · ${fmt(r.amount)}</li>`).join("") || '<li class="muted">no records</li>';
}

async function openRecord(id) {
  setTab("documents");
  const page = await api(`/negative-records/${encodeURIComponent(id)}/documents`);
  let html = `<h3>documents behind ${esc(id)}</h3>`;
  const nodes = new Map([[id, { id, name: id, label: "NegativeRecord" }]]), edges = [];
  for (const d of page.items) {
    const full = await api(`/documents/${encodeURIComponent(d.id)}`);
    html += `<div class="doc"><h4>${esc(d.title || d.case_number)}</h4><p>${esc(d.authority)} · ${esc(d.date)} · ${esc(d.cause)} · ${esc(fmt(d.outcome))}</p>`;
    html += table(full.parties, ["name", "role", "label", "linked"]) + "</div>";
    nodes.set(d.id, { id: d.id, name: d.case_number || d.title || d.id, label: "Document" });
    edges.push({ src: id, dst: d.id, type: "EVIDENCED_BY" });
    for (const p of full.parties) {
      if (!p.linked) continue;
      nodes.set(p.linked, { id: p.linked, name: p.name, label: p.label });
      edges.push({ src: p.linked, dst: d.id, type: p.role || "PARTY_TO" });
    }
  }
  if (!page.items.length) html += '<p class="muted">no documents</p>';
  $("docs").innerHTML = html;
  draw([...nodes.values()], edges, `documents behind ${id}: the event, its documents and their parties`);
}

function setTab(name) {
  document.querySelectorAll(".tab").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  document.querySelectorAll(".tabpane").forEach((p) => (p.hidden = p.id !== "tab-" + name));
}

document.addEventListener("DOMContentLoaded", () => {
  $("key").value = sessionStorage.getItem("gx-key") || "";
  $("connect").addEventListener("click", () => connect().catch(() => {}));
  $("search-form").addEventListener("submit", (e) => search(e).catch(() => {}));
  $("results").addEventListener("click", (e) => { const li = e.target.closest("li[data-id]"); li && openEntity(li.dataset.id).catch(() => {}); });
  $("load-circles").addEventListener("click", () => loadCircles().catch(() => {}));
  $("circles").addEventListener("click", (e) => { const li = e.target.closest("li[data-id]"); li && openCircle(li.dataset.id).catch(() => {}); });
  $("path-go").addEventListener("click", () => findPaths().catch(() => {}));
  $("load-records").addEventListener("click", () => loadRecords().catch(() => {}));
  $("records").addEventListener("click", (e) => { const li = e.target.closest("li[data-id]"); li && openRecord(li.dataset.id).catch(() => {}); });
  $("detail").addEventListener("click", (e) => {
    const b = e.target.closest("button"); if (!b) return;
    if (b.classList.contains("open-circle")) openCircle(b.dataset.id).catch(() => {});
    if (b.classList.contains("open-record")) openRecord(b.dataset.id).catch(() => {});
  });
  document.querySelectorAll(".tab").forEach((b) => b.addEventListener("click", () => setTab(b.dataset.tab)));
});
