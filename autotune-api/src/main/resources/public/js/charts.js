// Charts: each metric against a knob with the budgets as lines, throughput vs latency with the Pareto front,
// and metrics over time. Chart.js comes from its webjar (window.Chart).
import { budgetLines, completed, latestScenario, loadBudgets, mainKnob, varyingKnobs } from './api.js';
import { clear, el, fmt, higherIsBetter, when } from './dom.js';

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

const COLORS = ['#2f6fdf', '#1f8a4c', '#c4312b', '#b7791f', '#7c3aed', '#0e7490'];
const KNOB_METRICS = ['throughput_tokens_per_sec', 'latency_ms', 'latency_p95_ms', 'ttft_ms', 'tpot_ms', 'failure_rate'];

let state = null;

export async function render(main, arg, params) {
  state = { main, params, charts: [], experiments: [] };
  main.append(el('h1', {}, 'Charts'), el('div', { class: 'panel row', id: 'chart-controls' }), el('div', { id: 'charts' }));
  await load();
}

export function refresh() {
  if (state && document.body.contains(state.main)) load();
}

async function load() {
  const [{ latest, scenarios }] = await Promise.all([latestScenario(), loadChartJs()]);
  // one scenario by default: knob curves from different workloads do not belong on one line
  if (!state.params.scenario) state.params.scenario = scenarios.length > 1 ? latest : 'all';
  const scenario = state.params.scenario === 'all' ? null : state.params.scenario;
  state.experiments = await completed(scenario);
  const knobs = varyingKnobs(state.experiments);
  if (!state.params.knob || !knobs.includes(state.params.knob)) state.params.knob = mainKnob(state.experiments, knobs);
  if (!state.params.metric) state.params.metric = 'throughput_tokens_per_sec';
  const select = (id, label, values, current, key) => el('label', {}, label,
    el('select', { id, onchange: e => { state.params[key] = e.target.value; update(); } },
      values.map(v => el('option', { value: v, selected: v === current }, v || '–'))));
  const metrics = [...new Set(state.experiments.flatMap(e => Object.keys(e.metrics)))].sort();
  clear(document.getElementById('chart-controls'),
    select('chart-scenario', 'scenario', ['all', ...scenarios], state.params.scenario, 'scenario'),
    select('chart-knob', 'knob', knobs.length ? knobs : [''], state.params.knob, 'knob'),
    select('chart-metric', 'metric over time', metrics.length ? metrics : ['throughput_tokens_per_sec'], state.params.metric, 'metric'),
    el('span', { class: 'muted' }, `${state.experiments.length} completed experiments; budgets from the Recommendation page`));
  draw();
}

function update() {
  const q = Object.entries(state.params).filter(([, v]) => v);
  history.replaceState(null, '', '#/charts' + (q.length ? '?' + new URLSearchParams(q) : ''));
  load();
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
  const lines = budgetLines(loadBudgets());
  const knob = state.params.knob;
  const knobGrid = el('div', { class: 'grid2' });
  if (knob) {
    for (const metric of KNOB_METRICS) {
      const points = state.experiments.filter(e => e.metrics[metric] !== undefined && e.knobs[knob] !== undefined)
        .map(e => ({ x: e.knobs[knob], y: e.metrics[metric], id: e.id }));
      if (points.length) knobGrid.append(knobChart(knob, metric, points, lines.filter(l => l.metric === metric)));
    }
  } else {
    knobGrid.append(el('div', { class: 'panel muted' }, 'No knob varies between these experiments yet.'));
  }
  box.append(el('h2', {}, knob ? `Metrics against ${knob}` : 'Metrics against a knob'), knobGrid,
    el('div', { class: 'grid2' }, paretoChart(lines), timeChart(state.params.metric, lines)));
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
    borderColor: '#c4312b', borderDash: [6, 4], borderWidth: 2, pointRadius: 0, fill: false,
  };
}

function knobChart(knob, metric, points, lines) {
  const numeric = points.every(p => typeof p.x === 'number');
  const labels = numeric ? null : [...new Set(points.map(p => JSON.stringify(p.x)))].sort();
  const xy = points.map(p => ({ x: numeric ? p.x : labels.indexOf(JSON.stringify(p.x)), y: p.y, id: p.id }))
    .sort((a, b) => a.x - b.x);
  const xs = xy.map(p => p.x);
  const p = panel(`${metric} vs ${knob}`, `chart-knob-${metric}`);
  chart(p.canvas, {
    type: 'scatter',
    data: { datasets: [
      { label: metric, data: xy, showLine: true, borderColor: COLORS[0], backgroundColor: COLORS[0], pointRadius: 5 },
      ...lines.map(l => budgetDataset(l, xs)),
    ] },
    options: {
      scales: {
        x: { title: { display: true, text: knob }, ticks: numeric ? {} : { stepSize: 1, callback: v => labels[v] ?? '' } },
        y: { title: { display: true, text: metric }, beginAtZero: true },
      },
      plugins: { tooltip: { callbacks: { label: c => `#${c.raw.id ?? ''} ${knob}=${numeric ? c.raw.x : labels[c.raw.x]}: ${fmt(c.raw.y)}` } } },
    },
  });
  return p.node;
}

/**
 * Throughput against p95 latency (mean latency when some run lacks p95, so every point uses the same measure);
 * the Pareto front is the runs no other run beats on both.
 */
function paretoChart(lines) {
  const usable = state.experiments.filter(e => e.metrics.throughput_tokens_per_sec !== undefined);
  const latency = usable.length && usable.every(e => e.metrics.latency_p95_ms !== undefined) ? 'latency_p95_ms' : 'latency_ms';
  const points = usable.filter(e => e.metrics[latency] !== undefined)
    .map(e => ({ x: e.metrics[latency], y: e.metrics.throughput_tokens_per_sec, id: e.id }));
  const front = paretoFront(points);
  const onFront = new Set(front.map(p => p.id));
  const p = panel(`throughput vs ${latency} (Pareto front marked)`, 'chart-pareto');
  const xs = points.map(q => q.x);
  chart(p.canvas, {
    type: 'scatter',
    data: { datasets: [
      { label: 'experiments', data: points.filter(q => !onFront.has(q.id)), backgroundColor: '#94a3b8', pointRadius: 5 },
      { label: 'Pareto front', data: front, showLine: true, borderColor: COLORS[1], backgroundColor: COLORS[1], pointRadius: 7, pointStyle: 'rectRot' },
      ...lines.filter(l => l.metric === latency).map(l => ({
        type: 'line', label: `budget ${l.metric} ${l.bound} ${fmt(l.limit)}`, borderColor: '#c4312b', borderDash: [6, 4],
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

/** When an experiment happened: when its benchmark ran if its report says, else when it was recorded. */
const happenedAt = e => e.measured_at || e.started_at;

function timeChart(metric, lines) {
  const rows = state.experiments.filter(e => e.metrics[metric] !== undefined)
    .sort((a, b) => happenedAt(a).localeCompare(happenedAt(b)) || a.id - b.id);
  const p = panel(`${metric} over time`, 'chart-time');
  const xs = rows.map((e, i) => i);
  chart(p.canvas, {
    type: 'line',
    data: {
      labels: rows.map(e => `#${e.id}`),
      datasets: [
        { label: metric, data: rows.map(e => e.metrics[metric]), borderColor: COLORS[4], backgroundColor: COLORS[4], tension: 0.15 },
        ...lines.filter(l => l.metric === metric).map(l => ({
          label: `budget ${l.bound} ${fmt(l.limit)}`, data: xs.map(() => l.limit), borderColor: '#c4312b', borderDash: [6, 4], pointRadius: 0,
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
