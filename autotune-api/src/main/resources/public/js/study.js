// Studies: the list (#/studies) and one study (#/studies/<n>): best-so-far against trial number, the Pareto front,
// knobs against the objective in parallel coordinates, the next proposal and the trials with their reasons.
// Re-read on every event from /api/events (study events carry the study id; trial results arrive as experiment
// events), so a trial told or measured elsewhere shows up without a reload.
import { get } from './api.js';
import { loadChartJs } from './charts.js';
import { drawParallel } from './parallel.js';
import { chance, clear, el, errorBox, fmt, statusBadge, when } from './dom.js';
import { importancePanel } from './importance.js';

const FEASIBLE = '#1f8a4c';
const INFEASIBLE = '#c4312b';
const FRONT = '#2f6fdf';
const FAILED = '#7a7a7a';

let state = null;

export async function render(main, arg) {
  state = { main, id: arg, charts: [] };
  if (!arg) {
    main.append(el('h1', {}, 'Studies'), el('div', { id: 'studies' }));
    await loadList();
  } else {
    main.append(el('h1', { id: 'study-title' }, `Study ${arg}`), el('div', { id: 'study' }));
    // fetched alongside the study; the charts wait for both
    state.chartJs = loadChartJs().catch(() => null);
    await loadStudy();
  }
}

export function refresh() {
  if (!state || !document.body.contains(state.main)) return;
  (state.id ? loadStudy() : loadList()).catch(error => clear(document.getElementById(state.id ? 'study' : 'studies'), errorBox(error)));
}

// ---- the list ----

async function loadList() {
  const { studies } = await get('/api/studies');
  const box = document.getElementById('studies');
  if (!box) return;
  if (studies.length === 0) {
    clear(box, el('div', { class: 'empty' }, 'No studies yet: `autotune study create SPACE.toml`, `autotune tune`, or POST /api/studies.'));
    return;
  }
  clear(box, el('div', { class: 'table-wrap' }, el('table', { id: 'studies-table' },
    el('thead', {}, el('tr', {}, el('th', { class: 'num' }, '#'), el('th', {}, 'name'), el('th', {}, 'scenario'),
      el('th', {}, 'strategy'), el('th', { class: 'num' }, 'trials'), el('th', {}, 'status'), el('th', {}, 'started'))),
    el('tbody', {}, studies.slice().reverse().map(s => el('tr', { class: 'clickable', onclick: () => { location.hash = `#/studies/${s.number}`; } },
      el('td', { class: 'num' }, el('a', { href: `#/studies/${s.number}` }, s.number)), el('td', {}, s.name), el('td', {}, s.scenario),
      el('td', {}, s.strategy), el('td', { class: 'num' }, s.trials),
      el('td', {}, el('span', { class: `status study-${s.status}` }, s.finish_reason ? `${s.status}: ${s.finish_reason.replace(/_/g, ' ')}` : s.status)),
      el('td', {}, when(s.started_at))))))));
}

// ---- one study ----

async function loadStudy() {
  const [view] = await Promise.all([get(`/api/studies/${encodeURIComponent(state.id)}`), state.chartJs]);
  const box = document.getElementById('study');
  if (!box) return;
  state.view = view;
  const s = view.study;
  const space = view.space;
  const objective = space.objective;
  const second = space.second_objective;
  clear(document.getElementById('study-title'), `Study ${s.number}: ${s.name} `,
    el('span', { class: `status study-${s.status}` }, s.status));
  state.charts.forEach(c => c.destroy());
  state.charts = [];
  clear(box,
    el('div', { class: 'panel' }, el('dl', { class: 'kv', id: 'study-summary' },
      el('dt', {}, 'scenario'), el('dd', {}, s.scenario),
      el('dt', {}, 'objective'), el('dd', {}, `${objective.maximize ? 'maximize' : 'minimize'} ${objective.metric}`),
      second ? [el('dt', {}, 'second objective'), el('dd', {}, `${second.maximize ? 'maximize' : 'minimize'} ${second.metric}`)] : null,
      el('dt', {}, 'budgets'), el('dd', {}, space.budgets.join(', ') || 'none'),
      el('dt', {}, 'knobs'), el('dd', {}, space.knobs.map(k => `${k.path} ∈ ${JSON.stringify(k.values)}`).join('; ')),
      el('dt', {}, 'strategy'), el('dd', {}, `${s.strategy} (seed ${s.seed})`),
      el('dt', {}, 'trials'), el('dd', {}, `${view.trials.length}; ${view.observations} observations of the space (warm start included)`),
      s.finish_reason ? [el('dt', {}, 'finished'), el('dd', {}, `${s.finish_reason.replace(/_/g, ' ')}: ${s.finish_message || ''} (${when(s.finished_at)})`)] : null,
      el('dt', {}, 'best feasible'), el('dd', { id: 'study-best' }, view.best ? [configText(view.best.config), ` → ${objective.metric} ${fmt(view.best.objective)} (`,
        el('a', { href: `#/run/${view.best.experiment}` }, `experiment ${view.best.experiment}`),
        view.best.trial ? `, trial ${view.best.trial})` : ', warm start)'] : 'none yet'))),
    nextPanel(view),
    importancePanel(view.importance),
    el('div', { class: 'grid2' }, chartPanel('Best so far against trial number', 'chart-study-best'),
      chartPanel(second ? `${objective.metric} vs ${second.metric} (Pareto front)` : 'Pareto front', 'chart-study-pareto')),
    el('div', { class: 'panel' }, el('h2', {}, `Knobs against ${objective.metric} (parallel coordinates)`),
      el('div', { id: 'study-parallel' })),
    el('h2', {}, 'Trials'),
    trialsTable(view));
  drawStudyParallel(view);
  if (!window.Chart) {
    document.getElementById('chart-study-best').replaceWith(el('div', { class: 'error' }, 'Chart.js did not load.'));
    return;
  }
  drawBest(view);
  if (second) {
    drawPareto(view);
  } else {
    document.getElementById('chart-study-pareto').replaceWith(el('div', { class: 'empty' },
      'This space has no second objective: add pareto = "latency_p95_ms" (or second_objective) to keep a Pareto front.'));
  }
}

function configText(config) {
  return Object.entries(config || {}).map(([k, v]) => `${k.split('.').pop()}=${fmt(v)}`).join(' ');
}

function nextPanel(view) {
  const next = view.next;
  const body = [];
  if (!next) {
    body.push(el('p', { class: 'muted' }, 'The study has finished: nothing more is proposed.'));
  } else if (next.stop_reason) {
    body.push(el('div', { class: 'suggest' }, `stop: ${next.stop_reason.toLowerCase().replace(/_/g, ' ')}`), el('p', {}, next.reason));
  } else {
    body.push(el('div', { class: 'suggest' }, `try ${configText(next.config)}`),
      el('dl', { class: 'kv' }, Object.entries(next.config).map(([k, v]) => [el('dt', {}, k), el('dd', {}, fmt(v))])),
      el('p', {}, next.reason),
      next.expectation ? el('p', { class: 'muted' }, `expected ${fmt(next.expectation.mean)} (±${fmt(next.expectation.std)}), `
        + `${chance(next.expectation.feasible_probability)} chance to be feasible`) : null,
      el('p', { class: 'muted' }, `${next.strategy} strategy; record it with POST /api/studies/${view.study.number}/ask or \`autotune ask ${view.study.number}\``));
  }
  return el('div', { class: 'card', id: 'next-proposal' }, el('h2', { style: 'margin-top:0' }, 'Next proposal'), body);
}

function trialsTable(view) {
  if (view.trials.length === 0) {
    return el('div', { class: 'empty', id: 'trials-empty' }, 'No trials yet: ask for one, or tell the study about an experiment.');
  }
  const knobs = view.space.knobs.map(k => k.path);
  const metric = view.space.objective.metric;
  return el('div', { class: 'table-wrap' }, el('table', { id: 'trials-table' },
    el('thead', {}, el('tr', {}, el('th', { class: 'num' }, 'trial'), knobs.map(k => el('th', { title: k }, k.split('.').pop())),
      el('th', {}, 'status'), el('th', { class: 'num' }, 'experiment'), el('th', { class: 'num' }, metric),
      el('th', {}, 'feasible'), el('th', {}, 'verdict'), el('th', {}, 'reason'))),
    el('tbody', {}, view.trials.slice().reverse().map(t => el('tr', { dataset: { trial: t.trial }, class: t.feasible ? 'feasible' : null },
      el('td', { class: 'num' }, t.trial), knobs.map(k => el('td', {}, fmt(t.config[k]))),
      el('td', {}, t.status === 'proposed' ? el('span', { class: 'status proposed' }, 'proposed') : statusBadge(t.status)),
      el('td', { class: 'num' }, t.experiment ? el('a', { href: `#/run/${t.experiment}` }, t.experiment) : '–'),
      el('td', { class: 'num' }, fmt(t.objective)),
      el('td', {}, t.feasible === null || t.feasible === undefined ? '–' : t.feasible ? 'yes' : 'no'),
      el('td', { class: 'wrap' }, t.verdict || '–'),
      el('td', { class: 'wrap' }, t.repeat ? `${t.reason} (repeat)` : t.reason))))));
}

function chartPanel(title, id) {
  return el('div', { class: 'panel' }, el('h2', {}, title), el('div', { class: 'chart-box' }, el('canvas', { id })));
}

function chart(id, config) {
  config.options = Object.assign({ animation: false, maintainAspectRatio: false, responsive: true }, config.options);
  state.charts.push(new window.Chart(document.getElementById(id), config));
}

/** Each measured trial's objective, and the best feasible one up to each trial number (a step line). */
function drawBest(view) {
  const objective = view.space.objective;
  const better = (a, b) => (objective.maximize ? a > b : a < b);
  const measured = view.trials.filter(t => t.objective !== null && t.objective !== undefined);
  const best = [];
  let so = null;
  for (const t of view.trials) {
    if (t.feasible && t.objective !== null && (so === null || better(t.objective, so))) so = t.objective;
    if (so !== null) best.push({ x: t.trial, y: so });
  }
  // a failed trial has no objective, but it is a trial the search spent: it sits on the worst edge of the axis
  const values = measured.map(t => t.objective);
  const worst = values.length ? (objective.maximize ? Math.min(...values) : Math.max(...values)) : 0;
  const failed = view.trials.filter(t => t.status === 'failed' && (t.objective === null || t.objective === undefined))
    .map(t => ({ x: t.trial, y: worst, failed: true }));
  chart('chart-study-best', {
    type: 'scatter',
    data: { datasets: [
      { label: 'best feasible so far', data: best, showLine: true, stepped: true, borderColor: FRONT, backgroundColor: FRONT, pointRadius: 0, borderWidth: 2 },
      { label: 'failed trial (no measurement)', data: failed, backgroundColor: FAILED, borderColor: FAILED, pointStyle: 'triangle', pointRadius: 7 },
      { label: 'feasible trial', data: measured.filter(t => t.feasible).map(t => ({ x: t.trial, y: t.objective })), backgroundColor: FEASIBLE, pointRadius: 5 },
      { label: 'infeasible trial', data: measured.filter(t => !t.feasible).map(t => ({ x: t.trial, y: t.objective })), backgroundColor: INFEASIBLE, pointStyle: 'crossRot', borderColor: INFEASIBLE, pointRadius: 6 },
    ] },
    options: {
      scales: { x: { title: { display: true, text: 'trial' }, ticks: { stepSize: 1, callback: v => (Number.isInteger(v) ? v : '') }, min: 0, max: Math.max(1, view.trials.length) + 0.5 },
        y: { grace: '8%', title: { display: true, text: `${objective.metric} (${objective.maximize ? 'higher' : 'lower'} is better)` } } },
      plugins: { tooltip: { callbacks: { label: c => (c.raw.failed ? `trial ${c.raw.x} failed: no measurement` : `trial ${c.raw.x}: ${fmt(c.raw.y)}`) } } },
    },
  });
}

/** Every measured trial, feasible ones filled and infeasible ones crossed, and the front as a line. */
function drawPareto(view) {
  const objective = view.space.objective.metric;
  const second = view.space.second_objective;
  const x = second.metric;
  const point = t => ({ x: t.metrics[x], y: t.objective ?? t.metrics[objective], trial: t.trial });
  const measured = view.trials.filter(t => t.metrics && t.metrics[x] !== undefined && (t.objective ?? t.metrics[objective]) !== undefined);
  const front = (view.pareto || []).filter(p => p.metrics[x] !== undefined)
    .map(p => ({ x: p.metrics[x], y: p.objective, trial: p.trial })).sort((a, b) => a.x - b.x);
  chart('chart-study-pareto', {
    type: 'scatter',
    data: { datasets: [
      { label: 'Pareto front', data: front, showLine: true, borderColor: FRONT, backgroundColor: FRONT, pointRadius: 8, pointStyle: 'rectRot' },
      { label: 'feasible', data: measured.filter(t => t.feasible).map(point), backgroundColor: FEASIBLE, pointRadius: 5 },
      { label: 'infeasible', data: measured.filter(t => !t.feasible).map(point), backgroundColor: INFEASIBLE, borderColor: INFEASIBLE, pointStyle: 'crossRot', pointRadius: 6 },
    ] },
    options: {
      scales: { x: { grace: '8%', title: { display: true, text: `${x} (${second.maximize ? 'maximize' : 'minimize'})` } },
        y: { grace: '8%', title: { display: true, text: objective } } },
      plugins: { tooltip: { callbacks: { label: c => `${c.raw.trial ? `trial ${c.raw.trial}` : 'warm start'}: ${fmt(c.raw.y)} at ${fmt(c.raw.x)}` } } },
    },
  });
}

/** The study's knobs (their declared values) against its objective, a line per measured trial. */
function drawStudyParallel(view) {
  drawParallel(document.getElementById('study-parallel'), {
    knobs: view.space.knobs, metric: view.space.objective.metric, maximize: view.space.objective.maximize,
    runs: view.trials.map(t => ({ config: t.config, objective: t.objective, feasible: t.feasible,
      title: `trial ${t.trial}: ${configText(t.config)} → ${fmt(t.objective)}${t.feasible ? '' : ' (infeasible)'}` })),
  });
}
