// Guanxi workbench: role-aware screens over the JSON API. The server masks data by the key's
// role; this page only chooses what to ask for and how to show it (简体中文 first, English switch).
"use strict";
const $ = (id) => document.getElementById(id);
const S = { role: null, lang: localStorage.getItem("gx-lang") || "zh", L: null, cy: null, history: [], screen: null, tables: [] };

// ---------------------------------------------------------------- words
const UI = {
  title: ["关系图谱工作台", "Guanxi workbench"], key: ["API 密钥", "API key"], connect: ["连接", "Connect"],
  not_connected: ["未连接", "not connected"], search: ["搜索", "Search"], search_ph: ["输入名称搜索…", "type a name…"],
  back: ["后退", "Back"], fit: ["适应", "Fit"], show_hubs: ["显示枢纽节点", "Show hub nodes"], png: ["导出图片", "Export PNG"],
  worklist: ["预警工作台", "Alert worklist"], circles: ["担保圈", "Guarantee circles"], systemic: ["系统性担保人", "Systemic guarantors"],
  chains: ["担保链", "Guarantee chains"], explore: ["图谱探索", "Explore"], paths: ["关系路径", "Paths"],
  communities: ["资金社群", "Communities"], referrals: ["推荐树", "Referral trees"], prospects: ["潜在客户", "Prospects"],
  supply: ["供应链", "Supply chains"], events: ["事件时间线", "Event timeline"], exposure: ["风险敞口", "Exposure"],
  export: ["导出 Excel", "Export Excel"], columns: ["列", "Columns"], all: ["全部", "all"], filter_text: ["筛选", "Filter"],
  open_circle: ["查看担保圈", "Open circle"], open_graph: ["查看关系图", "Show graph"], report: ["打印报告", "Printable report"],
  members: ["成员", "Members"], loans: ["贷款", "Loans"], guarantees: ["担保关系", "Guarantees"], no_circle: ["借款人与涉事方不在担保圈中", "neither borrower nor party is in a circle"],
  explanation: ["风险说明", "Explanation"], sources: ["来源", "Sources"], document: ["文书", "Document"], unresolved: ["未关联", "unresolved"],
  from: ["起点", "From"], to: ["终点", "To"], find: ["查找路径", "Find paths"], no_path: ["在限定步数内没有路径", "no path within the bound"],
  hops: ["跳数", "Hops"], relations: ["关系类型", "Relations"], types: ["节点类型", "Node types"], legend: ["图例", "Legend"],
  k_factor: ["K因子", "K-factor"], campaign: ["活动", "Campaign"], breakdown: ["按网格/客户经理拆分", "By grid and manager"],
  key_members: ["核心成员", "Key members"], suppliers: ["上游供应商", "Suppliers"], buyers: ["下游客户", "Buyers"],
  pick: ["请选择一行", "pick a row"], nodes: ["节点", "nodes"], edges: ["关系", "edges"], start: ["起点", "start"],
  event: ["事件", "Event"], bank_record: ["本行记录", "bank record"], exposure_of: ["关联方负面事件", "Events near a party"],
  entity: ["主体", "Entity"], go: ["查询", "Go"], detail: ["详情", "Detail"], expand_hint: ["双击节点展开", "double-click a node to expand"],
  yes: ["是", "yes"], no: ["否", "no"], total: ["共", "total"], rows: ["行", "rows"],
  rings: ["团伙识别", "Fraud rings"], drops: ["客户降级", "Tier drops"], village: ["整村授信", "Village credit"],
  shares: ["共用信息", "Shared"], signals: ["关联信号", "Context"], reasons: ["理由", "Reasons"], decision: ["建议", "Decision"],
  grant: ["授信", "grant"], review: ["复核", "review"], exclude: ["排除", "exclude"], line: ["建议额度", "Line"],
  units: ["无关联户数", "Unrelated units"], recent: ["近期借款户", "Recent borrowers"], score: ["得分", "Score"],
  drop: ["降级", "Drop"], other_banks: ["转往他行", "To other banks"], household_dropped: ["同户降级", "Household dropped"],
  counterparties: ["主要交易对手", "Main counterparties"], referrer: ["推荐人", "Referrer"], not_computed: ["尚未计算", "not computed yet"],
  line_basis: ["额度依据", "Line basis"], drop_on: ["降级日期", "Drops of"],
};
const t = (k) => (UI[k] ? UI[k][S.lang === "zh" ? 0 : 1] : k);
const li = (S) => (S.lang === "zh" ? 0 : 1);
function col(key) { const c = S.L && S.L.columns[key]; return c ? c[li(S)] : key; }
function relName(r) { const c = S.L && S.L.relations[r]; return c ? c[li(S)] : r === "SHARES" ? t("shares") : r; }
function labelName(l) { const c = S.L && S.L.nodes[l]; return c ? c[li(S)] : l === "Attribute" ? t("shares") : l; }
function roleName(r) { const c = S.L && S.L.roles[r]; return c ? c[li(S)] : r; }
function value(v) {
  if (v === true) return t("yes");
  if (v === false) return t("no");
  if (typeof v === "string" && S.L) {
    if (S.L.industries[v]) return S.lang === "zh" ? S.L.industries[v] : `${v} ${S.L.industries[v]}`;
    if (S.lang !== "zh" && S.L.values[v]) return S.L.values[v];
    if (S.L.roles[v]) return roleName(v);
    if (S.L.relations[v]) return relName(v);
  }
  return v;
}
function esc(s) { return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c])); }
function money(v) { return typeof v === "number" ? "¥" + Math.round(v).toLocaleString("en-US") : "—"; }
function wan(v) { return typeof v === "number" && v !== 0 ? (v / 10000).toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 }) + "万" : ""; }
function moneyHtml(v) { return typeof v === "number" ? `${money(v)}<span class="wan">${wan(v)}</span>` : "—"; }
function pct(v) { return typeof v === "number" ? (v * 100).toFixed(1) + "%" : "—"; }
function num(v, d = 2) { return typeof v === "number" ? v.toLocaleString("en-US", { maximumFractionDigits: d }) : "—"; }
function clsTag(c) { const bad = ["次级", "可疑", "损失"].includes(c), warn = c === "关注"; return c ? `<span class="tag${bad ? " bad" : warn ? " warn" : ""}">${esc(value(c))}</span>` : ""; }

// ---------------------------------------------------------------- API
function report(e) { console.error(e); }
function showError(msg) { const e = $("error"); e.textContent = msg || ""; e.hidden = !msg; }
async function api(path, opts = {}) {
  const headers = Object.assign({ "X-API-Key": sessionStorage.getItem("gx-key") || "" }, opts.headers || {});
  const r = await fetch(path, Object.assign({}, opts, { headers }));
  if (opts.raw) { if (!r.ok) { showError(`${r.status}`); throw new Error(String(r.status)); } return r; }
  const body = await r.json().catch(() => ({}));
  if (!r.ok) { const err = body.error || { code: r.status, message: r.statusText }; showError(`${err.code}: ${err.message}`); throw new Error(err.message); }
  showError("");
  return body;
}
const enc = encodeURIComponent;
async function download(path, fallbackName) {
  const r = await api(path, { raw: true });
  const blob = await r.blob();
  const cd = r.headers.get("Content-Disposition") || "";
  const name = (cd.match(/filename="([^"]+)"/) || [])[1] || fallbackName;
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob); a.download = name; a.textContent = name; a.hidden = true; document.body.appendChild(a); a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

// ---------------------------------------------------------------- screens per role
const SCREENS = {
  risk_analyst: ["worklist", "circles", "systemic", "chains", "rings", "village", "explore", "paths"],
  marketer: ["communities", "referrals", "prospects", "supply", "drops", "village", "explore", "paths"],
  investigator: ["events", "exposure", "explore", "paths"],
};
SCREENS.admin = [...new Set([...SCREENS.risk_analyst, ...SCREENS.marketer, ...SCREENS.investigator])];

function buildNav() {
  const nav = $("nav");
  nav.innerHTML = (SCREENS[S.role] || []).map((s) => `<button type="button" data-screen="${s}">${esc(t(s))}</button>`).join("");
}
function go(screen, arg) {
  S.screen = screen;
  document.querySelectorAll("#nav button").forEach((b) => b.toggleAttribute("aria-current", false) || (b.dataset.screen === screen && b.setAttribute("aria-current", "page")));
  S.tables.forEach((tb) => { try { tb.destroy(); } catch (e) { /* gone */ } });
  S.tables = [];
  $("screen").innerHTML = "";
  $("screen").dataset.screen = screen;
  return RENDER[screen](arg);
}

// ---------------------------------------------------------------- tables (Tabulator, server-side paging)
// Tabulator 6 marks its divs up as an ARIA grid whose owned rows axe-core cannot resolve
// (aria-required-children, critical); the rows are plain table rows to a reader here: drop
// the grid roles and let the header titles and cell text read in order.
const GRID_ROLES = ["grid", "treegrid", "row", "rowgroup", "columnheader", "gridcell", "rowheader"];
function plainRoles(root) {
  const all = root.querySelectorAll ? [root, ...root.querySelectorAll("[role], [aria-owns], [aria-sort]")] : [];
  all.forEach((e) => {
    if (!e.getAttribute || !e.closest || !e.closest(".tabulator")) return;
    if (GRID_ROLES.includes(e.getAttribute("role"))) e.removeAttribute("role");
    if (e.hasAttribute("aria-owns")) e.removeAttribute("aria-owns");
    if (e.hasAttribute("aria-sort")) e.removeAttribute("aria-sort");
  });
}
new MutationObserver((muts) => muts.forEach((m) => plainRoles(m.type === "attributes" ? m.target : m.target)))
  .observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ["role", "aria-owns", "aria-sort"] });
function listTable(el, cfg) {
  // cfg: url, exportName, columns [{field, title?, fmt?, width?}], onRow(row), facets: [field]
  const state = { q: "", where: {} };
  const wrap = document.createElement("div");
  const bar = document.createElement("div");
  bar.className = "toolbar";
  const qid = "q-" + Math.random().toString(36).slice(2, 8);
  bar.innerHTML = `<label for="${qid}">${esc(t("filter_text"))}</label><input id="${qid}" type="search" size="14">` +
    `<span class="facets"></span><span class="colchooser"><button type="button" aria-expanded="false">${esc(t("columns"))}</button></span>` +
    (cfg.exportName ? `<button type="button" class="export" data-export="${cfg.exportName}">${esc(t("export"))}</button>` : "") +
    `<span class="muted total" aria-live="polite"></span>`;
  const holder = document.createElement("div");
  wrap.append(bar, holder); el.append(wrap);
  const size = cfg.pageSize || 15;
  const params = (page) => {
    const p = new URLSearchParams({ limit: size, offset: (page - 1) * size });
    if (state.q) p.set("q", state.q);
    if (state.sort) { p.set("sort", state.sort); p.set("order", state.dir); }
    Object.entries(state.where).forEach(([k, v]) => v !== "" && p.append("where", `${k}:${v}`));
    return p;
  };
  let facetsDone = false;
  const table = new Tabulator(holder, {
    layout: "fitDataStretch", height: cfg.height || "auto", placeholder: "—",
    pagination: true, paginationMode: "remote", paginationSize: size, sortMode: "remote",
    ajaxURL: cfg.url, ajaxContentType: "json",
    ajaxRequestFunc: async (url, config, p) => {
      if (p.sort && p.sort.length) { state.sort = p.sort[0].field; state.dir = p.sort[0].dir; } else { state.sort = cfg.sort || null; state.dir = cfg.dir || "asc"; }
      const body = await api(`${cfg.url}?${params(p.page || 1)}`);
      bar.querySelector(".total").textContent = `${t("total")} ${body.total} ${t("rows")}`;
      el.dataset.total = String(body.total);
      if (!facetsDone) { facetsDone = true; facetSelects(body.facets || {}); setTimeout(prefetchGraph, 0); }
      return { last_page: Math.max(1, Math.ceil(body.total / size)), data: body.items };
    },
    columns: cfg.columns.map((c) => ({
      field: c.field, title: c.title || col(c.field), headerSort: c.sort !== false, width: c.width, visible: c.visible !== false,
      hozAlign: c.align, formatter: c.fmt ? (cell) => c.fmt(cell.getValue(), cell.getRow().getData()) : (cell) => esc(value(cell.getValue())),
    })),
    locale: S.lang === "zh" ? "zh-cn" : "en", langs: TAB_LANGS,
  });
  table.on("rowClick", (e, row) => cfg.onRow && cfg.onRow(row.getData()));
  table.on("tableBuilt", () => { holder.querySelectorAll(".tabulator-page").forEach((b) => b.setAttribute("type", "button")); plainRoles(holder); });
  table.on("renderComplete", () => plainRoles(holder));
  table.on("dataProcessed", () => plainRoles(holder));
  function facetSelects(facets) {
    const box = bar.querySelector(".facets");
    Object.entries(facets).forEach(([field, vals]) => {
      if (!vals.length) return;
      const idf = typeof vals[0] === "object" ? Object.keys(vals[0]).find((k) => k !== field) : null;
      const id = `f-${field}-${Math.random().toString(36).slice(2, 6)}`;
      const opts = vals.map((v) => idf ? `<option value="${esc(v[idf])}">${esc(v[field])}</option>` : `<option value="${esc(v)}">${esc(value(v))}</option>`).join("");
      const span = document.createElement("span");
      span.innerHTML = `<label for="${id}">${esc(col(field))}</label> <select id="${id}" data-field="${esc(idf || field)}"><option value="">${esc(t("all"))}</option>${opts}</select>`;
      span.querySelector("select").addEventListener("change", (e) => { state.where[e.target.dataset.field] = e.target.value; table.setData(); });
      box.append(span);
    });
  }
  let timer = null;
  bar.querySelector("input").addEventListener("input", (e) => { clearTimeout(timer); timer = setTimeout(() => { state.q = e.target.value.trim(); table.setData(); }, 300); });
  // column chooser
  const chooser = bar.querySelector(".colchooser"), cbtn = chooser.querySelector("button");
  cbtn.addEventListener("click", () => {
    const open = chooser.querySelector("fieldset");
    if (open) { open.remove(); cbtn.setAttribute("aria-expanded", "false"); return; }
    const fs = document.createElement("fieldset");
    fs.innerHTML = `<legend class="sr-only">${esc(t("columns"))}</legend>` + table.getColumns().map((c, i) => `<label><input type="checkbox" data-i="${i}" ${c.isVisible() ? "checked" : ""}> ${esc(c.getDefinition().title)}</label>`).join("");
    fs.addEventListener("change", (e) => { const c = table.getColumns()[Number(e.target.dataset.i)]; e.target.checked ? c.show() : c.hide(); });
    chooser.append(fs); cbtn.setAttribute("aria-expanded", "true");
  });
  const ex = bar.querySelector(".export");
  if (ex) ex.addEventListener("click", () => { const p = params(1); p.delete("limit"); p.delete("offset"); download(`/export/${cfg.exportName}.xlsx?${p}`, `${cfg.exportName}.xlsx`).catch(report); });
  S.tables.push(table);
  return table;
}
const TAB_LANGS = { "zh-cn": { pagination: { first: "首页", first_title: "首页", last: "末页", last_title: "末页", prev: "上一页", prev_title: "上一页", next: "下一页", next_title: "下一页", page_size: "每页", page_title: "页", counter: { showing: "显示", of: "/", rows: "行", pages: "页" } }, data: { loading: "加载中", error: "出错" } } };
function localTable(el, rows, columns, onRow) {
  const holder = document.createElement("div"); el.append(holder);
  const table = new Tabulator(holder, {
    data: rows, layout: "fitDataStretch", pagination: rows.length > 10, paginationSize: 10, placeholder: "—",
    locale: S.lang === "zh" ? "zh-cn" : "en", langs: TAB_LANGS,
    columns: columns.map((c) => ({ field: c.field, title: c.title || col(c.field), formatter: c.fmt ? (cell) => c.fmt(cell.getValue(), cell.getRow().getData()) : (cell) => esc(value(cell.getValue())) })),
  });
  if (onRow) table.on("rowClick", (e, row) => onRow(row.getData()));
  ["tableBuilt", "renderComplete", "dataProcessed"].forEach((ev) => table.on(ev, () => plainRoles(holder)));
  S.tables.push(table);
  return table;
}

// ---------------------------------------------------------------- graph canvas (cytoscape.js + fcose)
const COLORS = { Person: "#2f6db5", Company: "#b83b2e", Loan: "#d49400", Circle: "#7d3c98", Account: "#138d75", Household: "#6c7a89",
  NegativeRecord: "#222", Document: "#5d6d7e", Community: "#229954", SupplyChain: "#ca6f1e", Mention: "#9a9a9a", Merchant: "#af601a",
  Grid: "#7f8c8d", CustomerManager: "#34495e", Branch: "#34495e", Attribute: "#8e44ad" };
const SHAPES = { Company: "round-rectangle", Loan: "diamond", NegativeRecord: "triangle", Document: "rectangle", Circle: "hexagon", Community: "hexagon", Mention: "ellipse", Account: "round-tag" };
function hubTypes() { return S.L ? S.L.hub_relations : []; }
function neighbourTypes() { return Object.keys(S.L.relations).filter((r) => $("g-hubs").checked || !hubTypes().includes(r)); }
// the canvas's scripts load when the first graph is drawn (or when the browser is idle after
// the first screen): the worklist's first render does not wait for ~770 kB of graph code
let graphLoading = null;
function loadScript(src) {
  return new Promise((resolve, reject) => { const s = document.createElement("script"); s.src = src; s.onload = resolve; s.onerror = reject; document.head.append(s); });
}
function graphLibs() {
  graphLoading = graphLoading || (async () => {
    const v = "/static/vendor/";
    await Promise.all([loadScript(v + "cytoscape/cytoscape.min.js"), loadScript(v + "cytoscape-fcose/layout-base.js")]);
    await loadScript(v + "cytoscape-fcose/cose-base.js");
    await loadScript(v + "cytoscape-fcose/cytoscape-fcose.js");
    cytoscape.use(cytoscapeFcose);
  })();
  return graphLoading;
}
function ensureCy() {
  if (S.cy) return S.cy;
  S.cy = cytoscape({
    container: $("graph"), maxZoom: 3,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "text-valign": "bottom", "text-margin-y": 3, "background-color": "data(color)", shape: "data(shape)", width: "data(size)", height: "data(size)", "text-wrap": "ellipsis", "text-max-width": 110 } },
      { selector: "node.root", style: { "border-width": 4, "border-color": "#f1c40f", "font-weight": "bold", "font-size": 12 } },
      { selector: "node.converted", style: { "border-width": 2, "border-color": "#27ae60" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 8, width: 1.3, "curve-style": "bezier", "target-arrow-shape": "triangle", "line-color": "#b8c0c8", "target-arrow-color": "#b8c0c8", color: "#555", "text-rotation": "autorotate" } },
      { selector: "edge.GUARANTEES", style: { "line-color": "#a93226", "target-arrow-color": "#a93226", width: 2 } },
      { selector: ".hidden", style: { display: "none" } },
    ],
  });
  S.cy.on("dbltap", "node", (e) => expand(e.target.id()).catch(report));
  S.cy.on("tap", "node", (e) => S.onNodeTap && S.onNodeTap(e.target.data()));
  S.cy.on("mouseover", "node", (e) => tip(e.target, e.renderedPosition));
  S.cy.on("mouseout", "node", () => { $("tooltip").hidden = true; });
  return S.cy;
}
function tip(n, pos) {
  const d = n.data(), tt = $("tooltip");
  tt.innerHTML = `<b>${esc(d.name || d.id)}</b><br>${esc(labelName(d.kind))}${d.extra ? "<br>" + d.extra : ""}<br><span class="muted">${esc(d.id)}</span>`;
  tt.style.left = pos.x + 14 + "px"; tt.style.top = pos.y + 40 + "px"; tt.hidden = false;
}
function nodeEl(n, opts = {}) {
  const kind = n.label || n.kind || "";
  return { group: "nodes", data: { id: n.id, name: n.name || "", label: n.name || (S.L && S.L.nodes[kind] ? labelName(kind) : n.id), kind,
    color: COLORS[kind] || "#95a5a6", shape: SHAPES[kind] || "ellipse", size: n.size || 22, extra: n.extra || "" }, classes: (opts.classes || "") };
}
function edgeEl(e, i) { return { group: "edges", data: { id: `e-${e.src}-${e.dst}-${e.type}-${i}`, source: e.src, target: e.dst, type: e.type, label: e.label || relName(e.type) }, classes: e.type }; }
function snapshot() { if (S.cy && S.cy.elements().length) { S.history.push({ els: S.cy.elements().jsons(), caption: $("graph-caption").textContent }); $("g-back").disabled = false; } }
async function draw(nodes, edges, opts = {}) {
  await graphLibs();
  const cy = ensureCy();
  snapshot();
  cy.elements().remove();
  const ids = new Set(nodes.map((n) => n.id));
  cy.add(nodes.map((n) => nodeEl(n, { classes: (n.id === opts.root ? "root " : "") + (n.converted ? "converted" : "") })));
  cy.add(edges.filter((e) => ids.has(e.src) && ids.has(e.dst)).map(edgeEl));
  sizeByDegree(opts.sizes);
  layout(opts.layout);
  caption(opts.caption);
}
function sizeByDegree(sizes) {
  S.cy.nodes().forEach((n) => { const s = sizes && sizes[n.id()]; n.data("size", s || Math.min(46, 18 + 3 * n.degree())); });
}
function layout(name) {
  const cy = S.cy;
  if (name === "tree") cy.layout({ name: "breadthfirst", directed: true, roots: cy.nodes(".root"), spacingFactor: 1.1, animate: false }).run();
  else if (name === "preset") cy.layout({ name: "preset" }).run();
  else cy.layout({ name: cy.nodes().length > 2 && window.cytoscapeFcose ? "fcose" : "cose", animate: false, randomize: true, nodeRepulsion: 6000, idealEdgeLength: 80 }).run();
  cy.fit(undefined, 30);
}
function caption(text) {
  const cy = S.cy;
  $("graph-caption").textContent = `${text || ""} · ${cy.nodes().length} ${t("nodes")}, ${cy.edges().length} ${t("edges")} · ${t("expand_hint")}`;
  $("graph").dataset.nodes = String(cy.nodes().length);
  $("graph").setAttribute("aria-label", $("graph-caption").textContent);
  legend();
}
function legend() {
  const cy = S.cy, kinds = [...new Set(cy.nodes().map((n) => n.data("kind")))], rels = [...new Set(cy.edges().map((e) => e.data("type")))];
  $("legend").innerHTML = `<b>${esc(t("legend"))}</b> ` + kinds.map((k) => `<label><input type="checkbox" checked data-kind="${esc(k)}"><span class="swatch" style="background:${COLORS[k] || "#95a5a6"}"></span>${esc(labelName(k))}</label>`).join(" ");
  $("filters").innerHTML = rels.length ? `<b>${esc(t("relations"))}</b> ` + rels.map((r) => `<label><input type="checkbox" checked data-rel="${esc(r)}"> ${esc(relName(r))}</label>`).join(" ") : "";
}
function applyFilters() {
  const cy = S.cy;
  const offK = new Set([...document.querySelectorAll("#legend input:not(:checked)")].map((i) => i.dataset.kind));
  const offR = new Set([...document.querySelectorAll("#filters input:not(:checked)")].map((i) => i.dataset.rel));
  cy.nodes().forEach((n) => n.toggleClass("hidden", offK.has(n.data("kind"))));
  cy.edges().forEach((e) => e.toggleClass("hidden", offR.has(e.data("type"))));
}
async function neighbourhood(id, hops = 1) {
  const types = neighbourTypes().join(",");
  return api(`/entities/${enc(id)}/neighbourhood?hops=${hops}&max_nodes=80&types=${enc(types)}`);
}
async function showNeighbourhood(id, title) {
  const g = await neighbourhood(id, 1);
  const root = g.nodes.find((n) => n.id === id) || { id };
  await draw(g.nodes, g.edges, { root: id, caption: `${title || root.name || id}${g.truncated ? " (…)" : ""}` });
}
async function expand(id) {
  const g = await neighbourhood(id, 1);
  const cy = S.cy; snapshot();
  const have = new Set(cy.nodes().map((n) => n.id()));
  const add = g.nodes.filter((n) => !have.has(n.id));
  cy.add(add.map((n) => nodeEl(n)));
  const haveE = new Set(cy.edges().map((e) => `${e.data("source")}|${e.data("target")}|${e.data("type")}`));
  cy.add(g.edges.filter((e) => !haveE.has(`${e.src}|${e.dst}|${e.type}`)).map((e, i) => edgeEl(e, `x${cy.edges().length}-${i}`)));
  sizeByDegree();
  const pos = cy.getElementById(id).position();
  cy.nodes().filter((n) => add.some((a) => a.id === n.id())).positions(() => ({ x: pos.x + (Math.random() - 0.5) * 160, y: pos.y + (Math.random() - 0.5) * 160 }));
  layout();
  caption($("graph-caption").textContent.split(" · ")[0]);
}
function back() {
  const h = S.history.pop(); if (!h) return;
  S.cy.elements().remove(); S.cy.add(h.els); S.cy.fit(undefined, 30);
  $("graph-caption").textContent = h.caption; $("graph").dataset.nodes = String(S.cy.nodes().length); legend();
  $("g-back").disabled = !S.history.length;
}
function png() {
  if (!S.cy) return;
  const a = document.createElement("a"); a.href = S.cy.png({ full: true, scale: 2, bg: "#ffffff" }); a.download = "guanxi-graph.png"; a.textContent = "PNG"; a.hidden = true;
  document.body.appendChild(a); a.click(); a.remove();
}

// ---------------------------------------------------------------- search as you type
function picker(input, list, onPick) {
  let timer = null, items = [], active = -1;
  const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(async () => {
      const page = await api(`/entities/search?q=${enc(q)}&limit=10`).catch(() => ({ items: [] }));
      items = page.items; active = -1;
      list.innerHTML = items.map((r, i) => `<li role="option" id="${list.id}-${i}" data-i="${i}" aria-selected="false">${esc(r.name || r.id)} <span class="muted">${esc(labelName(r.label))}</span></li>`).join("") || `<li role="option" aria-selected="false" class="muted">—</li>`;
      list.hidden = false; input.setAttribute("aria-expanded", "true");
    }, 200);
  });
  input.addEventListener("keydown", (e) => {
    if (list.hidden || !items.length) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault(); active = (active + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      list.querySelectorAll("li").forEach((l, i) => l.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    } else if (e.key === "Enter" && active >= 0) { e.preventDefault(); pick(active); } else if (e.key === "Escape") close();
  });
  const pick = (i) => { const r = items[i]; if (!r) return; input.value = r.name || r.id; input.dataset.id = r.id; close(); onPick(r); };
  list.addEventListener("click", (e) => { const l = e.target.closest("li[data-i]"); if (l) pick(Number(l.dataset.i)); });
}

// ---------------------------------------------------------------- the screens
const RENDER = {};
function h(html) { const d = document.createElement("div"); d.innerHTML = html; $("screen").append(d); return d; }
const nameLink = (v, r, idKey) => `<span title="${esc(r[idKey] || "")}">${esc(v || r[idKey] || "—")}</span>`;

RENDER.worklist = () => {
  h(`<h2>${esc(t("worklist"))}</h2>`);
  const list = h(""); list.id = "alerts";
  const detail = h(""); detail.id = "alert-detail";
  listTable(list, {
    url: "/wb/alerts", exportName: "alerts", pageSize: 12,
    columns: [
      { field: "borrower_name", fmt: (v, r) => nameLink(v, r, "borrower") },
      { field: "balance", fmt: moneyHtml, align: "right" }, { field: "loan_amount", fmt: moneyHtml, align: "right", visible: false },
      { field: "classification", fmt: clsTag }, { field: "overdue_days", align: "right" },
      { field: "kind" }, { field: "date" }, { field: "event_amount", fmt: moneyHtml, align: "right", visible: false },
      { field: "party_name" }, { field: "role" }, { field: "grid_name" }, { field: "manager_name" },
    ],
    onRow: (r) => openAlert(r).catch(report),
  });
};
async function openAlert(a) {
  const el = $("alert-detail");
  const ents = await Promise.all([...new Set([a.borrower, a.party].filter(Boolean))].map((id) => api(`/entities/${enc(id)}`)));
  const seen = new Set(), circles = [];
  ents.forEach((en) => (en.circles || []).forEach((c) => { if (!seen.has(c.id)) { seen.add(c.id); circles.push(c); } }));
  el.innerHTML = `<h3>${esc(a.borrower_name)} · ${esc(value(a.kind))}</h3>
    <div class="figs"><span>${esc(col("loan"))} <b>${esc(a.loan)}</b></span><span>${esc(col("balance"))} <b>${moneyHtml(a.balance)}</b></span>
    <span>${esc(col("classification"))} ${clsTag(a.classification)}</span><span>${esc(col("overdue_days"))} <b>${esc(a.overdue_days ?? "—")}</b></span></div>
    <p>${esc(col("event"))}: ${esc(a.date)} ${esc(value(a.kind))} ${moneyHtml(a.event_amount)} — ${esc(a.party_name)} (${esc(roleName(a.role))}) · ${esc(a.grid_name || "")} · ${esc(a.manager_name || "")}</p>
    <p>${circles.length ? circles.map((c) => `<button type="button" class="open-circle primary" data-id="${esc(c.id)}">${esc(t("open_circle"))} (${esc(c.size)})</button>`).join(" ") : `<span class="muted">${esc(t("no_circle"))}</span>`}</p>`;
  el.querySelectorAll(".open-circle").forEach((b) => b.addEventListener("click", () => go("circles", b.dataset.id)));
  await showNeighbourhood(a.borrower);
  if (a.party && S.cy.getElementById(a.party).length) S.cy.getElementById(a.party).addClass("root");
}

RENDER.circles = (openId) => {
  h(`<h2>${esc(t("circles"))}</h2>`);
  const detail = h(""); detail.id = "circle-detail";
  const list = h(""); list.id = "circles";
  listTable(list, {
    url: "/wb/circles", exportName: "circles", pageSize: 8,
    columns: [{ field: "name" }, { field: "risk_score", fmt: (v) => num(v, 2), align: "right" }, { field: "size", align: "right" }, { field: "loans", align: "right" },
      { field: "total_balance", fmt: moneyHtml, align: "right" }, { field: "guaranteed_amount", fmt: moneyHtml, align: "right" }, { field: "contraction" }],
    onRow: (r) => openCircle(r.id).catch(report),
  });
  if (openId) return openCircle(openId);
};
async function openCircle(id) {
  const c = await api(`/guarantee/circles/${enc(id)}`);
  const ex = c.circle;  // the stored explanation and score (the /explain route adds the break plan)
  const el = $("circle-detail");
  const names = c.members.map((m) => m.name || m.id);
  el.innerHTML = `<h3>${esc(names.slice(0, 3).join("、"))}${names.length > 3 ? "等" : ""}</h3>
    <div class="explain"><b>${esc(t("explanation"))}</b><br>${esc(ex.explanation || "")}</div>
    <div class="figs"><span>${esc(col("risk_score"))} <b>${num(ex.risk_score, 2)}</b></span><span>${esc(t("members"))} <b>${c.members.length}</b></span>
    <span>${esc(t("loans"))} <b>${c.loans.length}</b></span><span>${esc(col("total_balance"))} <b>${moneyHtml(c.circle.total_balance)}</b></span>
    <span>${esc(col("guaranteed_amount"))} <b>${moneyHtml(c.circle.guaranteed_amount)}</b></span></div>
    <p><button type="button" id="circle-report">${esc(t("report"))}</button></p>
    <h3>${esc(t("members"))}</h3><div id="c-members"></div><h3>${esc(t("loans"))}</h3><div id="c-loans"></div><h3>${esc(t("guarantees"))}</h3><div id="c-guar"></div>`;
  localTable($("c-members"), c.members, [{ field: "name" }, { field: "label", fmt: (v) => esc(labelName(v)) }]);
  localTable($("c-loans"), c.loans, [{ field: "borrower_name" }, { field: "amount", fmt: moneyHtml }, { field: "balance", fmt: moneyHtml }, { field: "classification", fmt: clsTag }, { field: "overdue_days" }]);
  localTable($("c-guar"), c.guarantees, [{ field: "guarantor_name" }, { field: "borrower_name" }, { field: "amount", fmt: moneyHtml }]);
  $("circle-report").addEventListener("click", () => openReport(id).catch(report));
  el.dataset.id = id;
  // the ties the analysis contracted (a legal rep and the firm) close the circle too
  const ties = (c.circle.contracted_via || []).map(([a, b, kind]) => ({ src: a, dst: b, type: kind === "legal_rep" ? "LEGAL_REP_OF" : "MEMBER_OF", label: roleName(kind) }));
  await draw(c.members, [...c.guarantees.map((g) => ({ src: g.guarantor, dst: g.borrower, type: "GUARANTEES", label: `${relName("GUARANTEES")} ${wan(g.amount)}` })), ...ties],
    { caption: `${t("circles")} ${names.slice(0, 2).join("、")}` });
}
async function openReport(id) {
  const r = await api(`/wb/circles/${enc(id)}/report`, { raw: true });
  const html = await r.text();
  const w = window.open(URL.createObjectURL(new Blob([html], { type: "text/html" })), "_blank");
  if (w) setTimeout(() => { try { w.print(); } catch (e) { /* closed */ } }, 600);
}

// ---- issue #19: fraud rings (risk), tier drops (marketing), 整村授信 (risk: all; marketer: grants)
const KIND_NAMES = { phone: ["电话", "phone"], address: ["地址", "address"], employer: ["工作单位", "employer"], account: ["收款账户", "collecting account"] };
const kindName = (k) => (KIND_NAMES[k] ? KIND_NAMES[k][li(S)] : k);
// texts of #19 results come in Chinese (text, reasons, signals) with English beside them (…_en)
const say = (zh, en) => (S.lang === "zh" ? zh : (en && en.length ? en : zh));
function noteLine(page) { return page.note && page.note.startsWith("not computed") ? `<p class="muted">${esc(t("not_computed"))}: ${esc(page.note)}</p>` : ""; }
RENDER.rings = async () => {
  h(`<h2>${esc(t("rings"))}</h2>`);
  const page = await api("/rings?limit=200");
  const box = h(noteLine(page)), detail = h(""); detail.id = "ring-detail";
  box.id = "rings"; box.dataset.total = String(page.total || 0);
  localTable(box, page.items, [
    { field: "id", title: "ID" }, { field: "members", title: col("members"), fmt: (v) => esc(String(v.length)) },
    { field: "units", title: t("units") }, { field: "recent_borrowers", title: t("recent") },
    { field: "kinds", title: t("shares"), fmt: (v) => esc(v.map(kindName).join("、")) }, { field: "score", title: t("score"), fmt: (v) => num(v, 3) }],
  (r) => openRing(r).catch(report));
  if (page.items.length) await openRing(page.items[0]);
};
async function openRing(r) {
  const el = $("ring-detail");
  el.innerHTML = `<h3>${esc(r.id)} · ${esc(t("score"))} ${num(r.score, 3)}</h3><p>${esc(say(r.reasons, r.reasons_en).join("；"))}</p>
    <table class="sources"><caption class="sr-only">${esc(t("shares"))}</caption>` +
    r.evidence.map((e) => `<tr><th scope="row">${esc(kindName(e.kind))}</th><td>${esc(e.hint)}</td><td>${e.holders.length}/${e.degree}</td></tr>`).join("") +
    `</table><ul>` + r.members.map((m) => `<li>${esc(m.name || m.id)} <span class="muted">${esc(m.household_id || "")}</span>${m.recent_loans.length ? ` <span class="tag warn">${esc(m.recent_loans.join(", "))}</span>` : ""}</li>`).join("") + "</ul>";
  const nodes = r.members.map((m) => ({ id: m.id, name: m.name, label: "Person" }));
  const edges = [];
  r.evidence.forEach((e, i) => {
    const aid = `attr-${i}`;
    nodes.push({ id: aid, name: `${kindName(e.kind)} ${e.hint}`, label: e.kind === "account" ? "Account" : "Attribute", size: 16 });
    e.holders.forEach((m) => edges.push({ src: m, dst: aid, type: "SHARES", label: kindName(e.kind) }));
  });
  await draw(nodes, edges, { caption: `${t("rings")} ${r.id}` });
}
RENDER.drops = async () => {
  h(`<h2>${esc(t("drops"))}</h2>`);
  const page = await api("/tier-drops?limit=200");
  const on = page.items.length ? page.items[0].drop_on : null;
  const box = h(noteLine(page) + (on ? `<p class="muted">${esc(t("drop_on"))} ${esc(on)}</p>` : "")), detail = h(""); detail.id = "drop-detail";
  box.id = "drops"; box.dataset.total = String(page.total || 0);
  localTable(box, page.items, [
    { field: "grid_name" }, { field: "manager_name" }, { field: "name" },
    { field: "tier", title: t("drop"), fmt: (v, row) => esc(`${row.tier_prev || "?"} → ${v || "?"}`) },
    { field: "other_bank_amount", title: t("other_banks"), fmt: moneyHtml },
    { field: "signals", title: t("signals"), fmt: (v, row) => esc(say(v || [], row.signals_en).join("；") || "—") }],
  (r) => openDrop(r).catch(report));
}
async function openDrop(r) {
  $("drop-detail").innerHTML = `<h3>${esc(r.name || r.id)} · ${esc(r.tier_prev || "?")} → ${esc(r.tier || "?")} (${esc(r.drop_on)})</h3>
    <p>${esc(t("household_dropped"))}: ${esc((r.household_dropped || []).map((n) => n.name || n.id).join("、") || "—")}</p>
    <p>${esc(t("referrer"))}: ${esc(r.referrer_name || r.referrer || "—")}${r.referrer_dropped ? ` <span class="tag warn">${esc(t("drop"))}</span>` : ""}</p>
    <p>${esc(t("counterparties"))}: ${(r.counterparties || []).map((c) => `${esc(c.name || c.id)} ${moneyHtml(c.amount)}${c.dropped ? ` <span class="tag warn">${esc(t("drop"))}</span>` : ""}`).join("；") || "—"}</p>
    <p>${esc(t("other_banks"))}: ${moneyHtml(r.other_bank_amount)} ${esc((r.other_banks || []).join("、"))}</p>`;
  await showNeighbourhood(r.id, r.name);
}
RENDER.village = async () => {
  h(`<h2>${esc(t("village"))}</h2>`);
  const url = S.role === "marketer" ? "/village-credit/grants?limit=200" : "/village-credit?limit=200";
  const page = await api(url);
  const tools = S.role === "marketer" ? "" : `<button type="button" class="export" id="village-export">${esc(t("export"))}</button>`;
  const box = h(noteLine(page) + tools), detail = h(""); detail.id = "village-detail";
  box.id = "village"; box.dataset.total = String(page.total || 0);
  const dtag = (v) => `<span class="tag${v === "exclude" ? " bad" : v === "review" ? " warn" : ""}">${esc(t(v))}</span>`;
  const last = S.role === "marketer"
    ? { field: "line_text", title: t("line_basis"), fmt: (v, row) => esc(say(v, row.line_text_en) || "—") }
    : { field: "reasons", title: t("reasons"), fmt: (v) => esc((v || []).map((x) => say(x.text, x.text_en)).join("；") || "—") };
  const open = async (r) => {
    $("village-detail").innerHTML = `<h3>${esc(r.head_name || r.household_id)} ${dtag(r.decision)}</h3>` +
      ((r.reasons || []).length ? `<ul>${r.reasons.map((x) => `<li>${dtag(x.decision)} ${esc(say(x.text, x.text_en))}</li>`).join("")}</ul>` : "") +
      (r.line_text ? `<p>${esc(t("line_basis"))}: ${esc(say(r.line_text, r.line_text_en))}</p>` : "");
    if (r.head_id) await showNeighbourhood(r.head_id, r.head_name);
  };
  localTable(box, page.items, [
    { field: "village" }, { field: "head_name" }, { field: "decision", title: t("decision"), fmt: dtag },
    { field: "line", title: t("line"), fmt: moneyHtml }, last],
  (r) => open(r).catch(report));
  if (page.items.length) await open(page.items[0]);
  const ex = $("village-export");
  if (ex) ex.addEventListener("click", () => download("/export/village-credit.xlsx", "village-credit.xlsx").catch(report));
};

RENDER.systemic = async () => {
  h(`<h2>${esc(t("systemic"))}</h2>`);
  const box = h(""), detail = h("");
  const page = await api("/guarantee/systemic?limit=200");
  localTable(box, page.items, [{ field: "rank" }, { field: "name" }, { field: "debtrank", fmt: (v) => num(v, 4) }, { field: "propagated_probability", fmt: pct }],
    async (r) => {
      detail.innerHTML = `<h3>${esc(r.name)}</h3>` + (r.paths || []).slice(0, 10).map((p) => `<p>${esc((p.names || p.path || p).join ? (p.names || p.path || p).join(" → ") : JSON.stringify(p))}</p>`).join("");
      const g = await api(`/guarantee/chains?entity=${enc(r.id)}&direction=both&max_hops=2`);
      await draw(g.nodes, g.edges, { root: r.id, caption: `${t("chains")} ${r.name}` });
    });
};
RENDER.chains = () => {
  const d = h(`<h2>${esc(t("chains"))}</h2><div class="search"><label for="chain-q">${esc(t("entity"))}</label> <input id="chain-q" role="combobox" aria-expanded="false" aria-controls="chain-list" autocomplete="off"><ul id="chain-list" role="listbox" class="dropdown" hidden></ul></div>`);
  picker(d.querySelector("#chain-q"), d.querySelector("#chain-list"), async (r) => {
    const g = await api(`/guarantee/chains?entity=${enc(r.id)}&direction=both&max_hops=3`);
    await draw(g.nodes, g.edges, { root: r.id, caption: `${t("chains")} ${r.name}` });
  });
};

RENDER.communities = async () => {
  h(`<h2>${esc(t("communities"))}</h2>`);
  const box = h(""), detail = h(""); detail.id = "community-detail";
  const page = await api("/communities?limit=200");
  const rows = page.items.map((c) => ({ id: c.id, size: c.size, ...(c.profile || {}), name: ((c.profile || {}).key_members || []).slice(0, 2).map((m) => m.name).join("、") }));
  localTable(box, rows, [{ field: "name", title: t("key_members") }, { field: "size" }, { field: "persons" }, { field: "companies" }, { field: "customers" }, { field: "internal_share", fmt: pct }, { field: "total_flow", fmt: moneyHtml }],
    async (r) => {
      const b = await api(`/wb/communities/${enc(r.id)}/breakdown`);
      detail.innerHTML = `<h3>${esc(t("breakdown"))} (${b.size})</h3><div id="cb"></div>`;
      localTable($("cb"), b.groups, [{ field: "grid_name" }, { field: "manager_name" }, { field: "members", title: col("members") }, { field: "customers" }, { field: "non_customers", title: S.lang === "zh" ? "非客户" : "Non-customers" }, { field: "top", title: t("key_members"), fmt: (v) => esc((v || []).map((m) => m.name).join("、")) }]);
      const km = (r.key_members || []);
      await draw([{ id: r.id, label: "Community", name: r.name }, ...km], km.map((m) => ({ src: m.id, dst: r.id, type: "IN_COMMUNITY" })), { root: r.id, caption: `${t("communities")} ${r.name}` });
    });
};
RENDER.referrals = () => {
  h(`<h2>${esc(t("referrals"))}</h2>`);
  const list = h(""); list.id = "referral-list";
  const detail = h(""); detail.id = "referral-detail";
  listTable(list, {
    url: "/wb/referrals", exportName: "referrals", pageSize: 8,
    columns: [{ field: "referrer_name" }, { field: "campaign" }, { field: "size" }, { field: "depth" }, { field: "converted" }, { field: "conversion_rate", fmt: pct }, { field: "k_factor", fmt: (v) => num(v, 2) }, { field: "grid_name" }],
    onRow: (r) => openTree(r.referrer).catch(report),
  });
};
async function openTree(root) {
  const tr = await api(`/wb/referrals/${enc(root)}`);
  const cs = tr.campaign_stats || {};
  $("referral-detail").innerHTML = `<h3>${esc((tr.nodes[0] || {}).name || root)}</h3><div class="figs"><span>${esc(t("campaign"))} <b>${esc(tr.campaign || "—")}</b></span>
    <span>${esc(t("k_factor"))} (${esc(t("campaign"))}) <b>${num(cs.k_factor, 2)}</b></span><span>${esc(col("size"))} <b>${tr.size}</b></span>
    <span>${esc(col("depth"))} <b>${tr.depth}</b></span><span>${esc(col("conversion_rate"))} <b>${pct(tr.conversion_rate)}</b></span></div>`;
  $("referral-detail").dataset.root = root;
  const nodes = tr.nodes.map((n) => ({ ...n, name: n.invites ? `${n.name} K=${num(n.k_factor, 1)}` : n.name, extra: `${t("k_factor")} ${num(n.k_factor, 2)} · ${col("invites")} ${n.invites}` }));
  await draw(nodes, tr.edges, { root: tr.root, layout: "tree", caption: `${t("referrals")} ${(tr.nodes[0] || {}).name || ""}` });
}
RENDER.prospects = () => {
  h(`<h2>${esc(t("prospects"))}</h2>`);
  const list = h(""); list.id = "prospect-list";
  listTable(list, {
    url: "/wb/prospects", exportName: "prospects", pageSize: 15,
    columns: [{ field: "rank" }, { field: "prospect_name" }, { field: "customer_name" }, { field: "customer_tier" }, { field: "amount", fmt: moneyHtml, align: "right" }, { field: "n_transfers" },
      { field: "score", fmt: (v) => num(v, 1) }, { field: "grid_name" }, { field: "manager_name" }, { field: "reason", visible: false }],
    onRow: (r) => showNeighbourhood(r.prospect, r.prospect_name).catch(report),
  });
};
RENDER.supply = () => {
  h(`<h2>${esc(t("supply"))}</h2>`);
  const list = h(""); list.id = "supply-list";
  const detail = h(""); detail.id = "supply-detail";
  listTable(list, {
    url: "/wb/supply-chains", exportName: "supply-chains", pageSize: 8,
    columns: [{ field: "core_name" }, { field: "size" }, { field: "suppliers" }, { field: "buyers" }, { field: "amount", fmt: moneyHtml }, { field: "concentration", fmt: pct }, { field: "leakage_share", fmt: pct }],
    onRow: (r) => openChain(r).catch(report),
  });
};
async function openChain(r) {
  const c = await api(`/supply-chains/${enc(r.id)}`);
  const members = c.members || [];
  const up = members.filter((m) => m.side === "upstream"), down = members.filter((m) => m.side === "downstream");
  $("supply-detail").innerHTML = `<h3>${esc(r.core_name)}</h3><div class="figs"><span>${esc(t("suppliers"))} <b>${up.length}</b></span><span>${esc(t("buyers"))} <b>${down.length}</b></span>
    <span>${esc(col("concentration"))} <b>${pct(r.concentration)}</b></span><span>${esc(col("leakage_share"))} <b>${pct(r.leakage_share)}</b></span></div><div id="sc-members"></div>`;
  $("supply-detail").dataset.id = r.id;
  localTable($("sc-members"), members, [{ field: "name" }, { field: "side", fmt: (v) => esc(roleName(v)) }, { field: "is_customer" }]);
  const core = r.core;
  const pos = {};
  up.forEach((m, i) => { pos[m.id] = { x: -260, y: (i - (up.length - 1) / 2) * 60 }; });
  down.forEach((m, i) => { pos[m.id] = { x: 260, y: (i - (down.length - 1) / 2) * 60 }; });
  pos[core] = { x: 0, y: 0 };
  const nodes = members.map((m) => ({ id: m.id, label: m.label || "Company", name: m.name }));
  if (!nodes.some((n) => n.id === core)) nodes.push({ id: core, label: "Company", name: r.core_name });
  await draw(nodes, (c.edges || []).map((e) => ({ src: e.src, dst: e.dst, type: "SUPPLIES", label: e.amount ? wan(e.amount) : relName("SUPPLIES") })), { root: core, layout: "preset", caption: `${t("supply")} ${r.core_name}` });
  S.cy.nodes().forEach((n) => pos[n.id()] && n.position(pos[n.id()]));
  S.cy.fit(undefined, 30);
}

RENDER.events = () => {
  h(`<h2>${esc(t("events"))}</h2><svg class="timeline" id="timeline" role="img" aria-label="${esc(t("events"))}"></svg>`);
  const list = h(""); list.id = "event-list";
  const detail = h(""); detail.id = "event-detail";
  listTable(list, {
    url: "/wb/events", exportName: "events", pageSize: 10,
    columns: [{ field: "date" }, { field: "subject_name" }, { field: "kind" }, { field: "amount", fmt: moneyHtml, align: "right" }, { field: "n_sources" }, { field: "source" }],
    onRow: (r) => openEvent(r.id).catch(report),
  });
  timeline().catch(report);
};
async function timeline() {
  const page = await api("/wb/events?limit=200");
  const svg = $("timeline"), items = page.items.filter((e) => e.date);
  if (!items.length) return;
  const ts = items.map((e) => Date.parse(e.date)), lo = Math.min(...ts), hi = Math.max(...ts) || lo + 1;
  const W = svg.clientWidth || 600, x = (d) => 20 + ((Date.parse(d) - lo) / Math.max(1, hi - lo)) * (W - 40);
  const kinds = [...new Set(items.map((e) => e.kind))];
  const pal = ["#a93226", "#2471a3", "#b9770e", "#117864", "#6c3483", "#424949", "#ca6f1e"];
  svg.innerHTML = `<line x1="20" y1="60" x2="${W - 20}" y2="60" stroke="#888"/>` +
    items.map((e) => `<circle cx="${x(e.date)}" cy="${60 - 12 * (kinds.indexOf(e.kind) % 4) - 6}" r="${e.n_sources > 1 ? 6 : 4}" fill="${pal[kinds.indexOf(e.kind) % pal.length]}" data-id="${esc(e.id)}"><title>${esc(e.date)} ${esc(e.subject_name)} ${esc(value(e.kind))}</title></circle>`).join("") +
    `<text x="20" y="80" font-size="11">${esc(items[items.length - 1].date)}</text><text x="${W - 20}" y="80" font-size="11" text-anchor="end">${esc(items[0].date)}</text>`;
  svg.addEventListener("click", (ev) => { const c = ev.target.closest("circle[data-id]"); if (c) openEvent(c.dataset.id).catch(report); });
}
function markText(text, marks) {
  let out = "", at = 0;
  for (const m of marks) {
    out += esc(text.slice(at, m.start));
    const span = esc(text.slice(m.start, m.end));
    const cls = m.kind;
    let inner = span;
    if (m.kind !== "amount") inner = m.linked ? `<button type="button" class="link open-node" data-id="${esc(m.linked)}" title="${esc(labelName(m.label))} ${esc(m.role || "")}">${span}</button>` : `${span}<span class="unresolved">[${esc(t("unresolved"))}]</span>`;
    out += `<mark class="${cls}" title="${esc(m.label || "")} ${esc(m.role || m.type || "")}">${inner}</mark>`;
    at = m.end;
  }
  return out + esc(text.slice(at));
}
async function openEvent(id) {
  const d = await api(`/wb/events/${enc(id)}`);
  const e = d.event, el = $("event-detail");
  el.dataset.id = e.id;
  let html = `<h3>${esc(e.date)} · ${esc(e.subject_name)} · ${esc(value(e.kind))} · ${moneyHtml(e.amount)}</h3>
    <table class="sources"><caption class="sr-only">${esc(t("sources"))}</caption><tr><th scope="col">${esc(t("sources"))}</th><th scope="col">${esc(col("amount"))}</th><th scope="col">${esc(t("document"))}</th></tr>` +
    e.sources.map((s) => `<tr><td>${esc(s.from_document ? t("document") : s.source || t("bank_record"))}</td><td>${moneyHtml(s.amount)}</td><td>${esc(s.description || s.document || "")}</td></tr>`).join("") + "</table>";
  const nodes = new Map([[e.id, { id: e.id, label: "NegativeRecord", name: `${value(e.kind)} ${e.date}` }]]), edges = [];
  if (e.subject) { nodes.set(e.subject, { id: e.subject, label: e.subject.startsWith("C:") ? "Company" : "Person", name: e.subject_name }); edges.push({ src: e.subject, dst: e.id, type: "SUBJECT_OF" }); }
  for (const doc of d.documents) {
    const dd = doc.document;
    html += `<div class="doc"><h3>${esc(dd.title || "")} ${esc(dd.case_number || "")}</h3><p class="muted">${esc(dd.authority || "")} · ${esc(dd.date || "")} · ${esc(dd.cause || "")}</p>` +
      (doc.text ? `<div class="doctext">${markText(doc.text, doc.marks)}</div>` : `<p class="muted">—</p>`) + "</div>";
    nodes.set(dd.id, { id: dd.id, label: "Document", name: dd.case_number || dd.title });
    edges.push({ src: e.id, dst: dd.id, type: "EVIDENCED_BY" });
    for (const p of doc.parties) {
      const pid = p.linked || p.id;
      nodes.set(pid, { id: pid, label: p.linked && p.label !== "Mention" ? p.label : (p.linked && !String(p.linked).startsWith("X:") ? (String(p.linked).startsWith("C:") ? "Company" : "Person") : "Mention"), name: p.name });
      edges.push({ src: pid, dst: dd.id, type: "PARTY_TO", label: p.role });
    }
  }
  el.innerHTML = html;
  el.querySelectorAll(".open-node").forEach((b) => b.addEventListener("click", () => showNeighbourhood(b.dataset.id).catch(report)));
  await draw([...nodes.values()], edges, { root: e.id, caption: `${t("event")} ${e.subject_name}` });
}
RENDER.exposure = () => {
  const d = h(`<h2>${esc(t("exposure_of"))}</h2><div class="toolbar"><span class="search"><label for="exp-q">${esc(t("entity"))}</label> <input id="exp-q" role="combobox" aria-expanded="false" aria-controls="exp-list" autocomplete="off"><ul id="exp-list" role="listbox" class="dropdown" hidden></ul></span>
    <label for="exp-hops">${esc(t("hops"))}</label> <select id="exp-hops"><option>1</option><option selected>2</option><option>3</option></select></div><div id="exp-table"></div>`);
  picker(d.querySelector("#exp-q"), d.querySelector("#exp-list"), async (r) => {
    const k = $("exp-hops").value;
    const page = await api(`/exposure/events?entity=${enc(r.id)}&hops=${k}&limit=200`);
    $("exp-table").innerHTML = "";
    localTable($("exp-table"), page.items, [{ field: "hop" }, { field: "subject_name" }, { field: "kind" }, { field: "date" }, { field: "amount", fmt: moneyHtml }], (row) => openEventFromRecord(row.id));
    await showNeighbourhood(r.id, r.name);
  });
};
function openEventFromRecord(id) { go("events").then(() => openEvent(id)).catch(report); }

RENDER.explore = () => {
  h(`<h2>${esc(t("explore"))}</h2><p class="muted">${esc(t("search_ph"))} · ${esc(t("expand_hint"))}</p><div id="explore-detail"></div>`);
};
RENDER.paths = () => {
  const rels = S.L.business_relations;
  const all = Object.keys(S.L.relations);
  const d = h(`<h2>${esc(t("paths"))}</h2>
    <div class="toolbar"><span class="search"><label for="path-src">${esc(t("from"))}</label> <input id="path-src" role="combobox" aria-expanded="false" aria-controls="path-src-list" autocomplete="off"><ul id="path-src-list" role="listbox" class="dropdown" hidden></ul></span>
    <span class="search"><label for="path-dst">${esc(t("to"))}</label> <input id="path-dst" role="combobox" aria-expanded="false" aria-controls="path-dst-list" autocomplete="off"><ul id="path-dst-list" role="listbox" class="dropdown" hidden></ul></span>
    <label for="path-hops">${esc(t("hops"))}</label> <select id="path-hops"><option>2</option><option>3</option><option selected>4</option><option>5</option><option>6</option></select>
    <button type="button" id="path-go" class="primary">${esc(t("find"))}</button></div>
    <fieldset><legend>${esc(t("relations"))}</legend>${all.map((r) => `<label><input type="checkbox" name="rel" value="${r}" ${rels.includes(r) ? "checked" : ""}> ${esc(relName(r))}</label>`).join(" ")}</fieldset>
    <div id="path-result" aria-live="polite"></div>`);
  picker(d.querySelector("#path-src"), d.querySelector("#path-src-list"), () => {});
  picker(d.querySelector("#path-dst"), d.querySelector("#path-dst-list"), () => {});
  $("path-go").addEventListener("click", () => findPaths().catch(report));
};
async function findPaths() {
  const src = $("path-src").dataset.id, dst = $("path-dst").dataset.id;
  if (!src || !dst) return;
  const types = [...document.querySelectorAll("input[name=rel]:checked")].map((i) => i.value).join(",");
  const r = await api(`/paths?src=${enc(src)}&dst=${enc(dst)}&max_hops=${$("path-hops").value}&limit=5&types=${enc(types)}`);
  if (!r.paths.length) {
    $("path-result").innerHTML = `<p class="muted">${esc(t("no_path"))}</p>`;
    await draw([], [], { caption: t("no_path") });
    return;
  }
  $("path-result").innerHTML = r.paths.map((p) => "<p>" + p.nodes.map((n) => esc(n.name || n.id)).join(" → ") + "</p>").join("");
  const nodes = new Map(), edges = [];
  for (const p of r.paths) { p.nodes.forEach((n) => nodes.set(n.id, n)); edges.push(...p.edges); }
  await draw([...nodes.values()], edges, { root: src, caption: `${t("paths")} ${$("path-src").value} → ${$("path-dst").value}` });
}
async function openEntityPanel(r) {
  if (S.screen !== "explore") await go("explore");
  const d = await api(`/entities/${enc(r.id)}`);
  const e = d.entity;
  const props = Object.entries(e).filter(([k]) => !["id", "label", "name"].includes(k));
  $("explore-detail").innerHTML = `<h3>${esc(e.name || e.id)} <span class="muted">${esc(labelName(e.label))}</span></h3>
    <table class="sources"><caption class="sr-only">${esc(t("detail"))}</caption>${props.map(([k, v]) => `<tr><th scope="row">${esc(col(k))}</th><td>${typeof v === "number" && ["amount", "balance", "registered_capital"].includes(k) ? moneyHtml(v) : esc(value(v))}</td></tr>`).join("")}</table>`;
  await showNeighbourhood(r.id, e.name);
}

// ---------------------------------------------------------------- start
function applyLang() {
  document.documentElement.lang = S.lang === "zh" ? "zh-CN" : "en";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.querySelectorAll("[data-tp]").forEach((el) => { el.placeholder = t(el.dataset.tp); });
  $("lang").textContent = S.lang === "zh" ? "English" : "中文";
  document.title = t("title") + " · Guanxi";
}
async function connect() {
  sessionStorage.setItem("gx-key", $("key").value.trim());
  const [me, L] = await Promise.all([api("/me"), api("/wb/labels")]);
  S.role = me.role; S.L = L;
  $("role").textContent = `${me.name} · ${me.role}`;
  $("role").dataset.role = me.role;
  buildNav();
  await go(SCREENS[S.role][0]);
  if (!S.tables.length) prefetchGraph();
}
// fetch the canvas's code once the first screen has rendered its rows and the browser is idle
function prefetchGraph() { (window.requestIdleCallback || setTimeout)(() => graphLibs().catch(report)); }
document.addEventListener("DOMContentLoaded", () => {
  applyLang();
  $("key").value = sessionStorage.getItem("gx-key") || "";
  $("keybar").addEventListener("submit", (e) => { e.preventDefault(); connect().catch(report); });
  $("lang").addEventListener("click", () => { S.lang = S.lang === "zh" ? "en" : "zh"; localStorage.setItem("gx-lang", S.lang); applyLang(); if (S.role) { buildNav(); go(S.screen); } });
  $("nav").addEventListener("click", (e) => { const b = e.target.closest("button[data-screen]"); if (b) go(b.dataset.screen); });
  $("g-back").addEventListener("click", back);
  $("g-fit").addEventListener("click", () => S.cy && S.cy.fit(undefined, 30));
  $("g-png").addEventListener("click", png);
  $("legend").addEventListener("change", applyFilters);
  $("filters").addEventListener("change", applyFilters);
  S.onNodeTap = null;
  picker($("gsearch"), $("gsearch-list"), (r) => openEntityPanel(r).catch(report));
  if ($("key").value) connect().catch(report);
});
