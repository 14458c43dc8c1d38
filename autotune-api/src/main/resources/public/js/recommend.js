// Recommendation: the next value to try for each knob, with the reason, under budgets edited here (and saved
// for the Charts and Compare pages). The page's settings live in its URL too, so a link shows the same view, and
// the recommended config downloads as a TOML file.
import {
  BUDGET_FIELDS, budgetParams, chosenScenario, completed, get, hasBudgets, loadBudgets, mainKnob, queryOf,
  rememberScenario, request, saveBudgets, settingsFrom, varyingKnobs,
} from './api.js';
import { clear, el, errorBox, fmt } from './dom.js';

const OBJECTIVES = ['throughput_tokens_per_sec', 'request_throughput', 'latency_ms', 'latency_p95_ms', 'ttft_ms', 'tpot_ms', 'accuracy'];

let state = null;

export async function render(main, arg, params, query) {
  state = { main, knobs: [], scenarios: [], experiments: [], scenario: '', rec: null };
  main.append(el('h1', {}, 'Recommendation'), el('form', { class: 'panel', id: 'budgets', onsubmit: submit }),
    el('div', { id: 'recommendations' }), el('div', { id: 'check' }));
  // a link's settings replace the saved ones whole: the link shows what its sender saw
  const linked = settingsFrom(query || new URLSearchParams());
  if (Object.keys(linked).length) {
    const { scenario, ...settings } = linked;
    saveBudgets(settings);
    rememberScenario(scenario);
  }
  const { scenario, scenarios } = await chosenScenario();
  state.scenarios = scenarios;
  state.scenario = scenario === 'all' ? scenarios[0] || '' : scenario;
  await knobsOf(state.scenario);
  drawForm();
  await load();
}

async function knobsOf(scenario) {
  state.experiments = await completed(scenario);
  const varying = varyingKnobs(state.experiments);
  state.knobs = varying.length ? varying : [...new Set(state.experiments.flatMap(e => Object.keys(e.knobs)))].sort();
}

export function refresh() {
  if (state && document.body.contains(state.main)) return load();
  return null;
}

function drawForm() {
  const saved = loadBudgets();
  const chosen = chosenKnobs(saved);
  clear(document.getElementById('budgets'),
    el('div', { class: 'row' },
      BUDGET_FIELDS.map(f => el('label', {}, f.label,
        el('input', { name: f.name, id: `budget-${f.name}`, type: 'number', step: 'any', min: '0', value: saved[f.name] ?? '', placeholder: 'none', size: 8 }))),
      el('label', {}, 'more budgets (one per line, e.g. latency_p95_ms<=300)',
        el('textarea', { name: 'metric', id: 'budget-metric', rows: 2, cols: 28 }, (saved.metric || []).join('\n'))),
      el('label', {}, 'saved budget profile',
        el('input', { name: 'budget', id: 'budget-profile', value: saved.budget ?? '', placeholder: 'none', size: 12 }))),
    el('div', { class: 'row', style: 'margin-top:10px' },
      el('label', {}, 'objective', el('select', { name: 'objective', id: 'objective' },
        OBJECTIVES.map(o => el('option', { value: o, selected: o === (saved.objective || 'throughput_tokens_per_sec') }, o)))),
      el('label', {}, 'scenario', el('select', { name: 'scenario', id: 'rec-scenario', onchange: changeScenario },
        state.scenarios.map(s => el('option', { value: s, selected: s === state.scenario }, s)))),
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
  state.scenario = event.target.value;
  rememberScenario(state.scenario);
  await knobsOf(state.scenario);
  drawForm();
  await load();
}

function submit(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const budgets = {};
  for (const f of BUDGET_FIELDS) budgets[f.name] = form.get(f.name) || '';
  budgets.metric = String(form.get('metric') || '').split('\n').map(s => s.trim()).filter(Boolean);
  budgets.budget = String(form.get('budget') || '').trim();
  budgets.objective = form.get('objective');
  budgets.knob = form.getAll('knob');
  saveBudgets(budgets);
  load();
}

/** What the recommendation and its config are asked for: the budgets, knobs, objective and scenario. */
function recommendationParams() {
  const saved = loadBudgets();
  return { knob: chosenKnobs(saved), ...budgetParams(saved), objective: saved.objective, scenario: state.scenario };
}

async function load() {
  const params = recommendationParams();
  // the view in the address bar, so copying the link shares it
  history.replaceState(null, '', `#/recommend?${queryOf(params)}`);
  const box = document.getElementById('recommendations');
  if (params.knob.length === 0) {
    clear(box, el('div', { class: 'empty' }, 'Record experiments with knob values (ingest --set key=value or --config) to get a recommendation.'));
  } else {
    try {
      const rec = await get('/api/recommendation', params);
      const suggests = rec.recommendations.some(r => r.suggested !== null);
      clear(box, el('p', { class: 'muted' }, `objective ${rec.objective} (${rec.direction} is better); budgets: ${rec.budgets.join(', ') || 'none'}`),
        el('div', { class: 'grid2' }, rec.recommendations.map(card)),
        el('div', { class: 'row', style: 'margin-top:10px' },
          el('button', { type: 'button', id: 'download-config', class: 'secondary', disabled: !suggests, onclick: download },
            'Download the derived config'),
          el('span', { class: 'muted', id: 'derived-note' }, suggests ? '' : 'nothing new to try, so no config to derive')));
    } catch (error) {
      clear(box, errorBox(error));
    }
  }
  await drawCheck(params);
}

/** Fetches the derived TOML and saves it under the server's file name; says what it was derived from. */
async function download() {
  const note = document.getElementById('derived-note');
  let response;
  let text;
  try {
    response = await request('/api/recommendation/config', recommendationParams(), 'application/toml');
    text = await response.text();
  } catch (error) {
    clear(note, errorBox(error));
    return;
  }
  const name = (/filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '') || [])[1] || 'autotune-config.toml';
  const link = el('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/toml' })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  const base = response.headers.get('X-Config-Base');
  const experiment = response.headers.get('X-Config-Experiment');
  clear(note, `downloaded ${name}: `, base
    ? `experiment ${experiment}'s config ${base} with the recommended value`
    : experiment ? `no config file is known for experiment ${experiment}, so it holds only its knob values with the recommended value`
      : 'nothing is measured yet, so it holds only the recommended value');
}

function card(r) {
  return el('div', { class: 'card recommendation', dataset: { knob: r.knob } },
    el('div', { class: 'row' }, el('strong', {}, r.knob), el('span', { class: 'badge' }, r.kind.replace(/_/g, ' '))),
    el('div', { class: 'suggest' }, r.suggested === null ? 'nothing new to try' : `try ${fmt(r.suggested)}`),
    el('p', {}, r.reason),
    r.best_experiment ? el('p', { class: 'muted' }, 'best so far: ', el('a', { href: `#/run/${r.best_experiment}` },
      `experiment ${r.best_experiment}`), ` (${r.knob}=${fmt(r.best_value)})`) : null);
}

async function drawCheck(params) {
  const box = document.getElementById('check');
  const budgets = budgetParams(loadBudgets());
  if (!hasBudgets(budgets)) {
    clear(box, el('p', { class: 'muted' }, 'Set a budget to see which experiments pass it.'));
    return;
  }
  try {
    const check = await get('/api/check', { ...budgets, scenario: params.scenario });
    // the knobs that vary, as columns: a verdict is only useful next to the config it judged
    const knobsOf = new Map(state.experiments.map(e => [e.id, e.knobs]));
    const knobs = state.knobs;
    clear(box, el('h2', {}, `Budget check: ${check.summary.pass} pass, ${check.summary.fail} fail, ${check.summary.unknown} unknown`),
      el('div', { class: 'table-wrap' }, el('table', { id: 'check-table' },
        el('thead', {}, el('tr', {}, el('th', { class: 'num' }, '#'), el('th', {}, 'scenario'),
          knobs.map(k => el('th', { class: 'knob', title: k }, k.split('.').pop())),
          el('th', {}, 'verdict'), el('th', {}, 'detail'))),
        el('tbody', {}, check.experiments.slice(-200).reverse().map(r => el('tr', {},
          el('td', { class: 'num' }, el('a', { href: `#/run/${r.id}` }, r.id)), el('td', {}, r.scenario),
          knobs.map(k => el('td', { class: 'knob' }, knobsOf.get(r.id)?.[k] === undefined ? '–' : fmt(knobsOf.get(r.id)[k]))),
          el('td', { class: `verdict-${r.verdict}` }, r.verdict),
          el('td', {}, [...r.breaches.map(b => `${b.budget}: ${fmt(b.value)} (+${fmt(b.excess_percent)}%)`),
            ...r.missing_metrics.map(m => `${m} missing`)].join('; ') || '–')))))));
  } catch (error) {
    clear(box, errorBox(error));
  }
}
