// Charts: each metric against a knob, one series per value of a second knob, with the budgets as lines and the
// recommended next value marked; throughput vs latency with the Pareto front and the runs inside the budgets
// marked apart from those outside; the knobs against the objective in parallel coordinates; metrics over time.
// Chart.js comes from its webjar (window.Chart). The budgets are the server's reading of the saved ones
// (/api/check), so a saved profile draws the same lines the CLI checks.
import {
  BUDGET_FIELDS, budgetLines, budgetParams, chosenScenario, completed, get, hasBudgets, loadBudgets, mainKnob, queryOf,
  rememberScenario, saveBudgets, settingsFrom, varyingKnobs,
} from './api.js';
import { clear, el, errorBox, fmt, higherIsBetter, when } from './dom.js';
import { drawParallel } from './parallel.js';
import { drawSensitivity } from './importance.js';

// Chart.js from its webjar inside the autotune jar (no CDN, works offline), loaded when a chart is first shown
// so the history page does not wait for it
const CHART_JS = '/webjars/chart.js/4.5.1/dist/chart.umd.min.js';
let chartLib = null;

export function loadChartJs() {
  if (window.Chart) return Promise.resolve();
  chartLib = chartLib || new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = CHART_JS;
    script.onload = resolve;
    script.onerror = () => { chartLib = null; reject(new Error(`Chart.js did not load from ${CHART_JS}`)); };
    document.head.append(script);
  });
  return chartLib;
}

const COLORS = ['#2f6fdf', '#1f8a4c', '#b7791f', '#7c3aed', '#0e7490', '#db2777', '#4b5563', '#65a30d'];
const BUDGET = '#c4312b';
const NEXT = '#7c3aed';
const KNOB_METRICS = ['throughput_tokens_per_sec', 'latency_ms', 'latency_p95_ms', 'ttft_ms', 'tpot_ms', 'failure_rate'];

let state = null;

/** The query parameters that are the view (the chart's choices); the budgets travel beside them. */
// (the metric over time is time_metric: metric is a budget, as on every page)
const VIEW_KEYS = ['scenario', 'knob', 'series', 'time_metric', 'target'];

export async function render(main, arg, params, query) {
  // a link's budgets replace the saved ones, so it draws what its sender saw
  const linked = budgetParams(settingsFrom(query || new URLSearchParams()));
  if (hasBudgets(linked)) {
    const saved = loadBudgets();
    for (const f of BUDGET_FIELDS) delete saved[f.name];
    delete saved.metric;
    delete saved.budget;
    saveBudgets({ ...saved, ...linked });
  }
  state = { main, params: Object.fromEntries(VIEW_KEYS.filter(k => params[k] !== undefined).map(k => [k, params[k]])), charts: [], experiments: [] };
  main.append(el('h1', {}, 'Charts'), el('div', { class: 'panel row', id: 'chart-controls' }),
    el('div', { id: 'chart-problems' }), el('div', { id: 'charts' }));
  await load();
}

export function refresh() {
  return state && document.body.contains(state.main) ? load() : null;
}

async function load() {
  const [{ scenario: chosen, scenarios }] = await Promise.all([chosenScenario(), loadChartJs()]);
  // one scenario by default: knob curves from different workloads do not belong on one line
  if (!state.params.scenario) state.params.scenario = chosen || 'all';
  const scenario = state.params.scenario === 'all' ? null : state.params.scenario;
  state.experiments = await completed(scenario);
  const knobs = varyingKnobs(state.experiments);
  state.knobs = knobs;
  if (!state.params.knob || !knobs.includes(state.params.knob)) state.params.knob = mainKnob(state.experiments, knobs);
  // the second knob: a series per value; the one with the fewest values reads best as a legend
  if (state.params.series === undefined || (state.params.series && !knobs.includes(state.params.series))
      || state.params.series === state.params.knob) {
    const others = knobs.filter(k => k !== state.params.knob);
    state.params.series = others.sort((a, b) => distinct(a).length - distinct(b).length || a.localeCompare(b))[0] || '';
  }
  if (!state.params.time_metric) state.params.time_metric = 'throughput_tokens_per_sec';
  const select = (id, label, values, current, key, names = {}) => el('label', {}, label,
    el('select', { id, onchange: e => choose(key, e.target.value) },
      values.map(v => el('option', { value: v, selected: v === current }, names[v] || v || '–'))));
  const metrics = [...new Set(state.experiments.flatMap(e => Object.keys(e.metrics)))].sort();
  state.metrics = metrics;
  clear(document.getElementById('chart-controls'),
    select('chart-scenario', 'scenario', ['all', ...scenarios], state.params.scenario, 'scenario'),
    select('chart-knob', 'knob', knobs.length ? knobs : [''], state.params.knob, 'knob'),
    select('chart-series', 'a series per value of', ['', ...knobs.filter(k => k !== state.params.knob)], state.params.series, 'series', { '': 'none' }),
    select('chart-metric', 'metric over time', metrics.length ? metrics : ['throughput_tokens_per_sec'], state.params.time_metric, 'time_metric'),
    el('span', { class: 'muted' }, `${state.experiments.length} completed experiments; budgets from the Recommendation page`));
  await judge(scenario);
  showInAddress();
  draw();
}

/** The distinct values of a knob among the experiments, sorted. */
function distinct(knob) {
  const values = [...new Set(state.experiments.filter(e => knob in e.knobs).map(e => JSON.stringify(e.knobs[knob])))].map(v => JSON.parse(v));
  return values.sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));
}

/**
 * The saved budgets as the server reads them (lines and a verdict per experiment) and the recommended next value
 * of the charted knob. A refusal is shown above the charts, which are drawn without what was refused.
 */
async function judge(scenario) {
  const saved = loadBudgets();
  const budgets = budgetParams(saved);
  state.lines = [];
  state.verdicts = null;
  state.next = null;
  state.objective = null;
  const problems = [];
  const check = hasBudgets(budgets) ? get('/api/check', { ...budgets, scenario }).catch(e => { problems.push(e); return null; }) : null;
  const rec = state.params.knob && state.experiments.length
    ? get('/api/recommendation', { knob: state.params.knob, ...budgets, objective: saved.objective, scenario }).catch(e => { problems.push(e); return null; })
    : null;
  const [checked, recommended] = await Promise.all([check, rec]);
  if (checked) {
    state.lines = budgetLines(checked.budgets);
    state.verdicts = new Map(checked.experiments.map(r => [r.id, r.verdict]));
  }
  if (recommended) {
    state.objective = recommended.objective;
    const r = recommended.recommendations.find(x => x.knob === state.params.knob);
    if (r && r.suggested !== null) state.next = { knob: r.knob, value: r.suggested, reason: r.reason };
  }
  state.objective = state.objective || saved.objective || 'throughput_tokens_per_sec';
  clear(document.getElementById('chart-problems'), problems.map(errorBox));
}

function choose(key, value) {
  state.params[key] = value;
  if (key === 'scenario') rememberScenario(value);
  load().catch(error => clear(document.getElementById('chart-problems'), errorBox(error)));
}

/** The view and the budgets it is drawn with in the address bar, so copying the link shares it. */
function showInAddress() {
  const query = queryOf({ ...state.params, ...budgetParams(loadBudgets()) }).toString();
  history.replaceState(null, '', '#/charts' + (query ? `?${query}` : ''));
}

function draw() {
  state.charts.forEach(c => c.destroy());
  state.charts = [];
  const box = clear(document.getElementById('charts'));
  if (!window.Chart) {
    box.append(el('div', { class: 'error' }, 'Chart.js did not load.'));
    return;
  }
  if (state.experiments.length === 0) {
    box.append(el('div', { class: 'empty' }, 'No completed experiments to chart yet.'));
    return;
  }
  const knob = state.params.knob;
  const knobGrid = el('div', { class: 'grid2' });
  if (knob) {
    for (const metric of KNOB_METRICS) {
      const runs = state.experiments.filter(e => e.metrics[metric] !== undefined && e.knobs[knob] !== undefined);
      if (runs.length) knobGrid.append(knobChart(knob, state.params.series, metric, runs));
    }
  } else {
    knobGrid.append(el('div', { class: 'panel muted' }, 'No knob varies between these experiments yet.'));
  }
  const parallel = el('div', { id: 'charts-parallel' });
  box.append(el('h2', {}, knob ? `Metrics against ${knob}` : 'Metrics against a knob'),
    state.next ? el('p', { class: 'muted', id: 'chart-next' }, `recommended next: ${state.next.knob} = ${fmt(state.next.value)}. ${state.next.reason}`) : null,
    knobGrid,
    el('div', { class: 'grid2' }, paretoChart(), timeChart(state.params.time_metric)),
    el('div', { class: 'panel' }, el('h2', {}, `Knobs against ${state.objective} (parallel coordinates)`), parallel));
  drawKnobsParallel(parallel);
  // how far each knob moves a metric, the others held as the recommendation holds them (served, not computed here)
  const sensitivity = el('div', { class: 'panel', id: 'charts-sensitivity' });
  box.append(sensitivity);
  const saved = loadBudgets();
  const target = state.params.target && state.metrics.includes(state.params.target) ? state.params.target : state.objective;
  drawSensitivity(sensitivity, { ...budgetParams(saved), objective: saved.objective, target,
    scenario: state.params.scenario === 'all' ? null : state.params.scenario },
  state.metrics.includes(target) ? state.metrics : [target, ...state.metrics], value => {
    state.params.target = value;
    showInAddress();
    draw();
  });
}

function panel(title, id) {
  const canvas = el('canvas', { id });
  return { node: el('div', { class: 'panel' }, el('h2', {}, title), el('div', { class: 'chart-box' }, canvas)), canvas };
}

function chart(canvas, config) {
  config.options = Object.assign({ animation: false, maintainAspectRatio: false, responsive: true }, config.options);
  state.charts.push(new window.Chart(canvas, config));
}

function budgetDataset(line, xs) {
  return {
    type: 'line', label: `budget ${line.metric} ${line.bound} ${fmt(line.limit)}`,
    data: [{ x: Math.min(...xs), y: line.limit }, { x: Math.max(...xs), y: line.limit }],
    borderColor: BUDGET, borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false,
  };
}

/** Knob values that are all powers of two (1, 2, 4, 8, ...), at least three of them: they read on a log2 axis. */
function powersOfTwo(values) {
  return values.length >= 3 && values.every(v => typeof v === 'number' && v > 0 && Number.isInteger(Math.log2(v)));
}

/** The x axis of a knob: log2 for powers of two (ticks at the tested values), linear for other numbers, else labels. */
function knobAxis(knob, values, next) {
  const numeric = values.every(v => typeof v === 'number');
  if (numeric && powersOfTwo(values)) {
    // the recommended next value may lie beyond the tested ones (next=128 after 4..64): the axis reaches it
    const ends = typeof next === 'number' && next > 0 ? [...values, next] : values;
    return {
      numeric, position: v => v,
      scale: {
        type: 'logarithmic', min: Math.min(...ends) / Math.SQRT2, max: Math.max(...ends) * Math.SQRT2,
        title: { display: true, text: `${knob} (log2 scale)` },
        afterBuildTicks: axis => { axis.ticks = values.map(value => ({ value })); },
        ticks: { callback: v => fmt(v) },
      },
    };
  }
  if (numeric) return { numeric, position: v => v, scale: { title: { display: true, text: knob } } };
  // an untested category the recommendation names gets a place on the axis too
  const labels = [...values, ...(next !== undefined && !values.some(v => JSON.stringify(v) === JSON.stringify(next)) ? [next] : [])]
    .map(v => JSON.stringify(v));
  return {
    numeric, position: v => labels.indexOf(JSON.stringify(v)),
    scale: { title: { display: true, text: knob }, ticks: { stepSize: 1, callback: i => (labels[i] === undefined ? '' : fmt(JSON.parse(labels[i]))) } },
  };
}

function knobChart(knob, series, metric, runs) {
  const axis = knobAxis(knob, distinct(knob), state.next && state.next.knob === knob ? state.next.value : undefined);
  const groups = new Map();
  for (const e of runs) {
    const key = series ? JSON.stringify(e.knobs[series] ?? null) : '';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ x: axis.position(e.knobs[knob]), y: e.metrics[metric], id: e.id, knobValue: e.knobs[knob] });
  }
  const keys = [...groups.keys()].sort((a, b) => {
    const [x, y] = [JSON.parse(a || 'null'), JSON.parse(b || 'null')];
    return typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
  });
  const short = series ? series.split('.').pop() : '';
  const datasets = keys.map((key, i) => ({
    label: series ? `${short}=${fmt(JSON.parse(key))}` : metric,
    data: groups.get(key).sort((a, b) => a.x - b.x), showLine: true,
    borderColor: COLORS[i % COLORS.length], backgroundColor: COLORS[i % COLORS.length], pointRadius: 5,
  }));
  const xs = runs.map(e => axis.position(e.knobs[knob]));
  const ys = runs.map(e => e.metrics[metric]);
  const lines = state.lines.filter(l => l.metric === metric);
  datasets.push(...lines.map(l => budgetDataset(l, xs)));
  if (state.next && state.next.knob === knob && axis.position(state.next.value) >= 0) {
    // a vertical marker: the next run's value of this metric is what it will measure
    const top = Math.max(...ys, ...lines.map(l => l.limit));
    const x = axis.position(state.next.value);
    datasets.push({
      type: 'line', label: `recommended next ${knob.split('.').pop()}=${fmt(state.next.value)}`,
      data: [{ x, y: 0 }, { x, y: top }], borderColor: NEXT, backgroundColor: NEXT, borderDash: [3, 3], borderWidth: 2,
      pointRadius: [0, 7], pointStyle: 'star',
    });
  }
  const p = panel(`${metric} vs ${knob}`, `chart-knob-${metric}`);
  chart(p.canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      scales: { x: axis.scale, y: { title: { display: true, text: metric }, beginAtZero: true } },
      plugins: { tooltip: { callbacks: { label: c => (c.raw.id === undefined ? c.dataset.label
        : `#${c.raw.id} ${knob}=${fmt(c.raw.knobValue)}${series ? ` ${c.dataset.label}` : ''}: ${fmt(c.raw.y)}`) } } },
    },
  });
  return p.node;
}

/**
 * Throughput against p95 latency (mean latency when some run lacks p95, so every point uses the same measure);
 * the Pareto front is the runs no other run beats on both. With budgets, runs within them are filled green and
 * runs outside them red crosses.
 */
function paretoChart() {
  const usable = state.experiments.filter(e => e.metrics.throughput_tokens_per_sec !== undefined);
  const latency = usable.length && usable.every(e => e.metrics.latency_p95_ms !== undefined) ? 'latency_p95_ms' : 'latency_ms';
  const points = usable.filter(e => e.metrics[latency] !== undefined)
    .map(e => ({ x: e.metrics[latency], y: e.metrics.throughput_tokens_per_sec, id: e.id, verdict: state.verdicts?.get(e.id) }));
  const front = paretoFront(points);
  const p = panel(`throughput vs ${latency} (Pareto front marked)`, 'chart-pareto');
  const xs = points.map(q => q.x);
  const lines = state.lines;
  const groups = state.verdicts
    ? [['within budgets', 'PASS', '#1f8a4c', 'circle'], ['outside budgets', 'FAIL', BUDGET, 'crossRot'], ['budget metric missing', 'UNKNOWN', '#94a3b8', 'triangle']]
    : [['experiments', undefined, '#64748b', 'circle']];
  chart(p.canvas, {
    type: 'scatter',
    data: { datasets: [
      { label: 'Pareto front', data: front, showLine: true, borderColor: COLORS[0], backgroundColor: 'rgba(0,0,0,0)',
        pointRadius: 10, pointStyle: 'rectRot', pointBorderWidth: 2 },
      ...groups.map(([label, verdict, color, style]) => ({
        label, data: points.filter(q => q.verdict === verdict), backgroundColor: color, borderColor: color,
        pointStyle: style, pointRadius: style === 'crossRot' ? 7 : 5, pointBorderWidth: style === 'crossRot' ? 2 : 1,
      })).filter(d => d.data.length || d.label !== 'budget metric missing'),
      ...lines.filter(l => l.metric === latency).map(l => ({
        type: 'line', label: `budget ${l.metric} ${l.bound} ${fmt(l.limit)}`, borderColor: BUDGET, borderDash: [6, 4],
        pointRadius: 0, data: [{ x: l.limit, y: 0 }, { x: l.limit, y: Math.max(...points.map(q => q.y), 1) }],
      })),
      ...lines.filter(l => l.metric === 'throughput_tokens_per_sec' && xs.length).map(l => budgetDataset(l, xs)),
    ] },
    options: {
      scales: { x: { title: { display: true, text: latency } }, y: { title: { display: true, text: 'throughput_tokens_per_sec' }, beginAtZero: true } },
      plugins: { tooltip: { callbacks: { label: c => `#${c.raw.id ?? ''}: ${fmt(c.raw.y)} tok/s at ${fmt(c.raw.x)} ms` } } },
    },
  });
  return p.node;
}

/** Lower latency (x) and higher throughput (y) are better; returns the front sorted by latency. */
export function paretoFront(points) {
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const front = [];
  let best = -Infinity;
  for (const p of sorted) {
    if (p.y > best) {
      front.push(p);
      best = p.y;
    }
  }
  return front;
}

/** Every varying knob (its tested values) against the objective; runs outside the budgets are infeasible. */
function drawKnobsParallel(box) {
  const objective = state.objective;
  drawParallel(box, {
    knobs: state.knobs.map(path => ({ path, values: distinct(path) })),
    metric: objective, maximize: higherIsBetter(objective),
    runs: state.experiments.map(e => ({
      config: e.knobs, objective: e.metrics[objective], feasible: !state.verdicts || state.verdicts.get(e.id) !== 'FAIL',
      title: `#${e.id}: ${state.knobs.map(k => `${k.split('.').pop()}=${fmt(e.knobs[k])}`).join(' ')} → ${fmt(e.metrics[objective])}`,
    })),
  });
}

/** When an experiment happened: when its benchmark ran if its report says, else when it was recorded. */
const happenedAt = e => e.measured_at || e.started_at;

function timeChart(metric) {
  const rows = state.experiments.filter(e => e.metrics[metric] !== undefined)
    .sort((a, b) => happenedAt(a).localeCompare(happenedAt(b)) || a.id - b.id);
  const p = panel(`${metric} over time`, 'chart-time');
  const xs = rows.map((e, i) => i);
  chart(p.canvas, {
    type: 'line',
    data: {
      labels: rows.map(e => `#${e.id}`),
      datasets: [
        { label: metric, data: rows.map(e => e.metrics[metric]), borderColor: COLORS[3], backgroundColor: COLORS[3], tension: 0.15 },
        ...state.lines.filter(l => l.metric === metric).map(l => ({
          label: `budget ${l.bound} ${fmt(l.limit)}`, data: xs.map(() => l.limit), borderColor: BUDGET, borderDash: [6, 4], pointRadius: 0,
        })),
      ],
    },
    options: {
      scales: { y: { title: { display: true, text: `${metric} (${higherIsBetter(metric) ? 'higher' : 'lower'} is better)` } } },
      plugins: { tooltip: { callbacks: { title: items => items.map(i => `${i.label} ${when(happenedAt(rows[i.dataIndex]))}`) } } },
    },
  });
  return p.node;
}
