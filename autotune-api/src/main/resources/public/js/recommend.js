// Recommendation: the next value to try for each knob, with the reason, under budgets edited here (and saved
// for the Charts and Compare pages).
import { BUDGET_FIELDS, completed, get, latestScenario, loadBudgets, mainKnob, saveBudgets, varyingKnobs } from './api.js';
import { clear, el, errorBox, fmt } from './dom.js';

const OBJECTIVES = ['throughput_tokens_per_sec', 'request_throughput', 'latency_ms', 'latency_p95_ms', 'ttft_ms', 'tpot_ms', 'accuracy'];

let state = null;

export async function render(main, arg, params) {
  state = { main, params, knobs: [], scenarios: [], experiments: [] };
  main.append(el('h1', {}, 'Recommendation'), el('form', { class: 'panel', id: 'budgets', onsubmit: submit }),
    el('div', { id: 'recommendations' }), el('div', { id: 'check' }));
  const { latest, scenarios } = await latestScenario();
  state.scenarios = scenarios;
  const saved = loadBudgets();
  // the recommender works on one scenario's history; start with the newest experiment's
  if (!saved.scenario || !scenarios.includes(saved.scenario)) {
    saved.scenario = latest;
    saveBudgets(saved);
  }
  await knobsOf(saved.scenario);
  drawForm();
  await load();
}

async function knobsOf(scenario) {
  state.experiments = await completed(scenario);
  const varying = varyingKnobs(state.experiments);
  state.knobs = varying.length ? varying : [...new Set(state.experiments.flatMap(e => Object.keys(e.knobs)))].sort();
}

export function refresh() {
  if (state && document.body.contains(state.main)) load();
}

function drawForm() {
  const saved = loadBudgets();
  const chosen = chosenKnobs(saved);
  clear(document.getElementById('budgets'),
    el('div', { class: 'row' },
      BUDGET_FIELDS.map(f => el('label', {}, f.label,
        el('input', { name: f.name, id: `budget-${f.name}`, type: 'number', step: 'any', min: '0', value: saved[f.name] ?? '', placeholder: 'none', size: 8 }))),
      el('label', {}, 'more budgets (one per line, e.g. latency_p95_ms<=300)',
        el('textarea', { name: 'metric', id: 'budget-metric', rows: 2, cols: 28 }, (saved.metric || []).join('\n')))),
    el('div', { class: 'row', style: 'margin-top:10px' },
      el('label', {}, 'objective', el('select', { name: 'objective', id: 'objective' },
        OBJECTIVES.map(o => el('option', { value: o, selected: o === (saved.objective || 'throughput_tokens_per_sec') }, o)))),
      el('label', {}, 'scenario', el('select', { name: 'scenario', id: 'rec-scenario', onchange: changeScenario },
        state.scenarios.map(s => el('option', { value: s, selected: s === saved.scenario }, s)))),
      el('fieldset', { class: 'row', style: 'border:0;padding:0;margin:0' },
        el('legend', { class: 'muted', style: 'font-size:12px' }, 'knobs'),
        state.knobs.length ? state.knobs.map(k => el('label', { class: 'row', style: 'flex-direction:row' },
          el('input', { type: 'checkbox', name: 'knob', value: k, checked: chosen.includes(k) }), k))
          : el('span', { class: 'muted' }, 'no knobs recorded yet')),
      el('button', { type: 'submit', id: 'apply' }, 'Recommend')));
}

/** The knobs ticked last time, else a batch size, else the first knob that varies. */
function chosenKnobs(saved) {
  const ticked = (saved.knob || []).filter(k => state.knobs.includes(k));
  return ticked.length ? ticked : [mainKnob(state.experiments, state.knobs)].filter(Boolean);
}

async function changeScenario(event) {
  const saved = loadBudgets();
  saved.scenario = event.target.value;
  saveBudgets(saved);
  await knobsOf(saved.scenario);
  drawForm();
  load();
}

function submit(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const budgets = {};
  for (const f of BUDGET_FIELDS) budgets[f.name] = form.get(f.name) || '';
  budgets.metric = String(form.get('metric') || '').split('\n').map(s => s.trim()).filter(Boolean);
  budgets.objective = form.get('objective');
  budgets.scenario = form.get('scenario');
  budgets.knob = form.getAll('knob');
  saveBudgets(budgets);
  load();
}

async function load() {
  const saved = loadBudgets();
  const budgets = {};
  for (const f of BUDGET_FIELDS) budgets[f.name] = saved[f.name];
  budgets.metric = saved.metric || [];
  const knobs = chosenKnobs(saved);
  const box = document.getElementById('recommendations');
  if (knobs.length === 0) {
    clear(box, el('div', { class: 'empty' }, 'Record experiments with knob values (ingest --set key=value or --config) to get a recommendation.'));
  } else {
    try {
      const rec = await get('/api/recommendation', { knob: knobs, ...budgets, objective: saved.objective, scenario: saved.scenario });
      clear(box, el('p', { class: 'muted' }, `objective ${rec.objective} (${rec.direction} is better); budgets: ${rec.budgets.join(', ') || 'none'}`),
        el('div', { class: 'grid2' }, rec.recommendations.map(card)));
    } catch (error) {
      clear(box, errorBox(error));
    }
  }
  await drawCheck(budgets, saved.scenario);
}

function card(r) {
  return el('div', { class: 'card recommendation', dataset: { knob: r.knob } },
    el('div', { class: 'row' }, el('strong', {}, r.knob), el('span', { class: 'badge' }, r.kind.replace(/_/g, ' '))),
    el('div', { class: 'suggest' }, r.suggested === null ? 'nothing new to try' : `try ${fmt(r.suggested)}`),
    el('p', {}, r.reason),
    r.best_experiment ? el('p', { class: 'muted' }, 'best so far: ', el('a', { href: `#/run/${r.best_experiment}` },
      `experiment ${r.best_experiment}`), ` (${r.knob}=${fmt(r.best_value)})`) : null);
}

async function drawCheck(budgets, scenario) {
  const box = document.getElementById('check');
  const any = Object.values(budgets).some(v => (Array.isArray(v) ? v.length : v !== undefined && v !== ''));
  if (!any) {
    clear(box, el('p', { class: 'muted' }, 'Set a budget to see which experiments pass it.'));
    return;
  }
  try {
    const check = await get('/api/check', { ...budgets, scenario });
    clear(box, el('h2', {}, `Budget check: ${check.summary.pass} pass, ${check.summary.fail} fail, ${check.summary.unknown} unknown`),
      el('div', { class: 'table-wrap' }, el('table', { id: 'check-table' },
        el('thead', {}, el('tr', {}, el('th', { class: 'num' }, '#'), el('th', {}, 'scenario'), el('th', {}, 'verdict'), el('th', {}, 'detail'))),
        el('tbody', {}, check.experiments.slice(-200).reverse().map(r => el('tr', {},
          el('td', { class: 'num' }, el('a', { href: `#/run/${r.id}` }, r.id)), el('td', {}, r.scenario),
          el('td', { class: `verdict-${r.verdict}` }, r.verdict),
          el('td', {}, [...r.breaches.map(b => `${b.budget}: ${fmt(b.value)} (+${fmt(b.excess_percent)}%)`),
            ...r.missing_metrics.map(m => `${m} missing`)].join('; ') || '–')))))));
  } catch (error) {
    clear(box, errorBox(error));
  }
}
