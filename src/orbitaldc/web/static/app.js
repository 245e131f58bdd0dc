// orbitaldc dashboard: sliders -> POST /api/levers -> verdict and charts; compare; jobs.
// Every number comes from the server (the library); this file only draws and asks.
"use strict";

const STEPS = 1000;
const state = {
  spec: null, profile: null, defs: [], moved: {}, seq: 0, shown: 0,
  inflight: false, pending: false, lastInput: 0, last: null,
};
// Slider-to-verdict and slider-to-figure latencies (ms), read by the benchmark and the tests.
window.orbitaldc = { latencies: [], figureLatencies: [], state: state };

const $ = (id) => document.getElementById(id);

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) { throw problems(response.status, data); }
  return data;
}

function problems(status, data) {
  let text = `error ${status}`;
  if (Array.isArray(data.problems)) { text += ":\n" + data.problems.join("\n"); }
  else if (Array.isArray(data.detail)) {
    text += ":\n" + data.detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("\n");
  } else if (data.detail) { text += `: ${data.detail}`; }
  return new Error(text);
}

function showError(err) {
  const box = $("errors");
  if (!err) { box.hidden = true; box.textContent = ""; return; }
  box.hidden = false;
  box.textContent = err.message || String(err);
}

function fmt(x, digits = 4) {
  if (x === null || x === undefined || !isFinite(x)) { return "n/a"; }
  const a = Math.abs(x);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) { return x.toExponential(2); }
  return x.toLocaleString("en-US", { maximumSignificantDigits: digits });
}

function money(x) {
  if (x === null || x === undefined || !isFinite(x)) { return "n/a"; }
  for (const [scale, suffix] of [[1e9, " B"], [1e6, " M"], [1e3, " k"]]) {
    if (Math.abs(x) >= scale * 10) { return "$" + fmt(x / scale, 4) + suffix; }
  }
  return "$" + fmt(x, 4);
}

// slider position (0..STEPS) <-> value
function toValue(def, pos) {
  const f = pos / STEPS;
  return def.log ? def.low * Math.pow(def.high / def.low, f) : def.low + (def.high - def.low) * f;
}
function toPos(def, value) {
  const f = def.log
    ? Math.log(value / def.low) / Math.log(def.high / def.low)
    : (value - def.low) / (def.high - def.low);
  return Math.round(Math.min(1, Math.max(0, f)) * STEPS);
}

function buildLevers(defs) {
  const box = $("levers");
  box.innerHTML = "";
  for (const def of defs) {
    const row = document.createElement("div");
    row.className = "lever";
    row.innerHTML = `<div class="top"><span>${def.label} <small>(${def.unit})</small></span>
      <span><span class="value" id="value-${def.name}"></span><button type="button"
      title="back to the design's value" data-reset="${def.name}">&#8634;</button></span></div>
      <input type="range" min="0" max="${STEPS}" step="1" id="lever-${def.name}"
      aria-label="${def.label}">`;
    box.appendChild(row);
    const input = row.querySelector("input");
    input.value = toPos(def, def.value);
    input.addEventListener("input", () => {
      state.moved[def.name] = toValue(def, Number(input.value));
      showLeverValue(def);
      state.lastInput = performance.now();
      evaluate();
    });
    input.addEventListener("change", () => evaluate(true));
    row.querySelector("button").addEventListener("click", () => {
      delete state.moved[def.name];
      input.value = toPos(def, def.value);
      showLeverValue(def);
      state.lastInput = performance.now();
      evaluate(true);
    });
    showLeverValue(def);
  }
}

function showLeverValue(def) {
  const moved = def.name in state.moved;
  const el = $(`value-${def.name}`);
  el.textContent = fmt(moved ? state.moved[def.name] : def.value, 3);
  el.classList.toggle("moved", moved);
}

// One request in flight at a time; moves made meanwhile go in the next one.
async function evaluate(parity = false) {
  if (state.inflight) { state.pending = true; state.pendingParity ||= parity; return; }
  state.inflight = true;
  const seq = ++state.seq;
  const since = state.lastInput;
  try {
    const result = await api("POST", "/api/levers", {
      spec: state.spec, levers: state.moved, profile: state.profile, parity,
    });
    showError(null);
    renderVerdict(result, seq);
    if (since) { window.orbitaldc.latencies.push(performance.now() - since); }
    renderCharts(result, parity);
    if (since) { window.orbitaldc.figureLatencies.push(performance.now() - since); }
    state.last = result;
  } catch (err) {
    showError(err);
  } finally {
    state.inflight = false;
    if (state.pending) {
      const p = state.pendingParity;
      state.pending = false; state.pendingParity = false;
      evaluate(p);
    }
  }
}

function renderVerdict(r, seq) {
  const box = $("verdict");
  box.classList.toggle("closes", r.closes);
  box.classList.toggle("fails", !r.closes);
  $("verdict-word").textContent = r.closes ? "CLOSES" : "DOES NOT CLOSE";
  $("headline").textContent = r.headline;
  $("n-space").textContent = money(r.cost_per_accelerator_hour_usd);
  $("n-ground").textContent = money(r.ground_cost_per_accelerator_hour_usd);
  $("n-ratio").textContent = r.ratio === null ? "n/a" : fmt(r.ratio, 3) + "x";
  $("n-crossover").textContent = r.crossover_year === null || r.crossover_year === undefined
    ? "none by 2045" : String(r.crossover_year);
  const reasons = $("reasons");
  reasons.innerHTML = "";
  for (const reason of r.reasons) {
    const li = document.createElement("li");
    li.textContent = reason;
    reasons.appendChild(li);
  }
  $("timing").textContent =
    `closure ${r.timing_ms.closure.toFixed(1)} ms, server ${r.timing_ms.total.toFixed(1)} ms`;
  box.dataset.seq = String(seq);
  box.dataset.ratio = String(r.ratio);
}

const CONFIG = { displaylogo: false, responsive: true, typesetMath: false };

function draw(id, chart) {
  const div = $(id);
  if (!chart) { return; }
  Plotly.react(div, chart.data, chart.layout, CONFIG);
  div.dataset.title = chart.layout.title.text;
}

function renderCharts(r, parity) {
  draw("chart-cost", r.charts.cost);
  draw("chart-mass", r.charts.mass);
  draw("chart-crossover", r.charts.crossover);
  if (parity) { draw("chart-parity", r.charts.parity); }
  $("captions").textContent = "Cost: economics.space and economics.ground with the cost profile "
    + `${r.profile}; mass: closure.mass; crossover: economics.learning (Wright's law); parity: `
    + "economics.parity. Sources of every value: docs/economics_sources.md and the catalogs.";
}

async function selectSpec(id) {
  state.spec = id;
  state.moved = {};
  $("download-summary").href = `/api/specs/${id}/summary.json`;
  try {
    const info = await api("GET", `/api/specs/${id}/levers`);
    state.defs = info.levers;
    state.profile = info.profile;
    fillProfiles(info.profiles, info.profile);
    buildLevers(info.levers);
    state.lastInput = 0;
    await evaluate(true);
  } catch (err) { showError(err); }
}

function fillProfiles(profiles, current) {
  const select = $("profile-select");
  select.innerHTML = "";
  for (const p of profiles) {
    const option = new Option(p.name, p.id, false, p.id === current);
    option.title = p.description;
    select.appendChild(option);
  }
}

async function loadSpecs(selectId) {
  const data = await api("GET", "/api/specs");
  for (const id of ["spec-select", "compare-select"]) {
    const select = $(id);
    select.innerHTML = "";
    for (const s of data.specs) {
      select.appendChild(new Option(s.kind === "upload" ? `${s.name} (uploaded)` : s.name, s.id));
    }
  }
  const ids = data.specs.map((s) => s.id);
  const first = selectId || (ids.includes("suncatcher-81") ? "suncatcher-81" : ids[0]);
  $("spec-select").value = first;
  const other = ids.find((i) => i !== first);
  if (other) { $("compare-select").value = other; }
  return first;
}

async function upload(file) {
  const text = await file.text();
  const type = file.name.toLowerCase().endsWith(".json") ? "application/json" : "application/toml";
  const response = await fetch("/api/specs", { method: "POST", headers: { "Content-Type": type }, body: text });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) { throw problems(response.status, data); }
  const id = await loadSpecs(data.id);
  await selectSpec(id);
}

async function compare() {
  try {
    const r = await api("POST", "/api/compare", {
      a: { spec: state.spec, levers: state.moved, profile: state.profile },
      b: { spec: $("compare-select").value },
    });
    const rows = [
      ["verdict", (x) => (x.closes ? "closes" : "does not close")],
      ["$ per accelerator-hour", (x) => money(x.cost_per_accelerator_hour_usd)],
      ["ground $ per accelerator-hour", (x) => money(x.ground_cost_per_accelerator_hour_usd)],
      ["space / ground", (x) => (x.ratio === null ? "n/a" : fmt(x.ratio, 3) + "x")],
      ["crossover year", (x) => String(x.crossover_year ?? "none")],
      ["satellite mass, kg", (x) => fmt(x.summary.satellite ? x.summary.satellite.mass_kg : null)],
      ["fleet accelerators", (x) => fmt(x.summary.fleet.accelerators)],
      ["capex", (x) => money(x.summary.economics.capex_usd)],
      ["cost profile", (x) => x.profile],
    ];
    const table = $("compare-table");
    table.innerHTML = "";
    const line = (tag, texts) => {
      const tr = document.createElement("tr");
      for (const text of texts) {
        const cell = document.createElement(tag);
        cell.textContent = text;
        tr.appendChild(cell);
      }
      table.appendChild(tr);
    };
    line("th", ["", `A: ${r.a.scenario}`, `B: ${r.b.scenario}`]);
    for (const [label, get] of rows) { line("td", [label, get(r.a), get(r.b)]); }
    draw("chart-compare", r.chart);
    showError(null);
  } catch (err) { showError(err); }
}

// jobs
const fileCache = {};

async function submitJob(event) {
  event.preventDefault();
  const kind = $("job-kind").value;
  const params = kind === "report" ? {} : { duration: $("job-duration").value, step: $("job-step").value };
  try {
    await api("POST", "/api/jobs", { kind, spec: state.spec, params });
    showError(null);
    refreshJobs();
  } catch (err) { showError(err); }
}

async function refreshJobs() {
  let data;
  try { data = await api("GET", "/api/jobs"); } catch (err) { return; }
  const body = $("jobs-table").querySelector("tbody");
  body.innerHTML = "";
  let active = false;
  for (const job of data.jobs) {
    const tr = document.createElement("tr");
    tr.dataset.job = job.id;
    tr.dataset.state = job.state;
    tr.innerHTML = `<td></td><td></td><td></td><td class="state"></td>
      <td><progress max="1"></progress> <small></small></td><td class="files"></td><td></td>`;
    // Text from the store (a spec's mission name) goes in as text, never as markup.
    const cells = tr.querySelectorAll("td");
    cells[0].textContent = job.id.slice(0, 8);
    cells[0].title = job.id;
    cells[1].textContent = job.kind;
    cells[2].textContent = job.spec_name;
    cells[3].textContent = job.state;
    tr.querySelector("progress").value = job.progress;
    const waiting = job.state === "queued" || job.state === "running";
    active ||= waiting;
    tr.querySelector("small").textContent = job.error ? job.error.split("\n")[0] : waiting ? job.message : "";
    if (waiting) {
      const cancel = document.createElement("button");
      cancel.textContent = "cancel";
      cancel.addEventListener("click", () => api("DELETE", `/api/jobs/${job.id}`).then(refreshJobs));
      tr.lastElementChild.appendChild(cancel);
    }
    body.appendChild(tr);
    if (job.state === "done") { showFiles(job.id, tr.querySelector(".files")); }
  }
  if (active) { setTimeout(refreshJobs, 1000); }
}

async function showFiles(jobId, cell) {
  if (!fileCache[jobId]) { fileCache[jobId] = (await api("GET", `/api/jobs/${jobId}/files`)).files; }
  const wanted = fileCache[jobId].filter((f) => !f.name.startsWith("series/"));
  for (const f of wanted) {
    const a = document.createElement("a");
    a.href = `/api/jobs/${jobId}/files/${f.name}`;
    a.textContent = f.name;
    a.setAttribute("download", f.name.split("/").pop());
    cell.appendChild(a);
    cell.appendChild(document.createTextNode(" "));
  }
}

function downloadMoved() {
  if (!state.last) { return; }
  const blob = new Blob([JSON.stringify(state.last.summary, null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${state.spec}-levers-summary.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

async function main() {
  $("spec-select").addEventListener("change", (e) => selectSpec(e.target.value));
  $("profile-select").addEventListener("change", (e) => {
    state.profile = e.target.value;
    state.lastInput = performance.now();
    evaluate(true);
  });
  $("spec-file").addEventListener("change", (e) => {
    if (e.target.files.length) { upload(e.target.files[0]).catch(showError); }
  });
  $("reset-levers").addEventListener("click", () => selectSpec(state.spec));
  $("compare-run").addEventListener("click", compare);
  $("job-form").addEventListener("submit", submitJob);
  $("download-moved").addEventListener("click", downloadMoved);
  try {
    const first = await loadSpecs();
    if (first) { await selectSpec(first); }
  } catch (err) { showError(err); }
  refreshJobs();
  document.body.dataset.ready = "1";
}

main();
