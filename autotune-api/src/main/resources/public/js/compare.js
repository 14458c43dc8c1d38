// Compare: the best run within the budgets against the latest, or any two runs, through /api/diff.
import { completed, get, loadBudgets } from './api.js';
import { clear, el, errorBox, fmt, higherIsBetter } from './dom.js';

let state = null;

export async function render(main, arg, params) {
  state = { main, a: params.a || '', b: params.b || '', experiments: [], note: null };
  main.append(el('h1', {}, 'Compare'),
    el('div', { class: 'panel row', id: 'pickers' }, el('span', { class: 'muted' }, 'loading…')),
    el('div', { id: 'diff' }));
  await load();
}

export function refresh() {
  if (state && document.body.contains(state.main)) load();
}

async function load() {
  const all = await get('/api/experiments', { sort: 'id', order: 'desc', limit: 1000 });
  state.experiments = all.experiments;
  if (!state.a || !state.b) {
    const pair = await bestAndLatest();
    state.a = state.a || (pair.best ? String(pair.best.id) : '');
    state.b = state.b || (pair.latest ? String(pair.latest.id) : '');
    state.note = pair.note;
  }
  drawPickers();
  await drawDiff();
}

/**
 * The best completed run (within the saved budgets when there are any, by throughput) and the latest one.
 */
async function bestAndLatest() {
  const done = await completed();
  if (done.length === 0) return {};
  const latest = done[done.length - 1];
  let candidates = done;
  const budgets = loadBudgets();
  const params = { ...budgets };
  if (Object.values(params).some(v => v !== '' && !(Array.isArray(v) && v.length === 0))) {
    try {
      const check = await get('/api/check', params);
      const passing = new Set(check.experiments.filter(r => r.verdict === 'PASS').map(r => r.id));
      if (passing.size) candidates = done.filter(e => passing.has(e.id));
    } catch (e) {
      // bad saved budgets: fall back to the best overall
    }
  }
  const score = e => e.metrics.throughput_tokens_per_sec ?? -Infinity;
  const best = candidates.reduce((x, y) => (score(y) > score(x) ? y : x));
  if (best.id === latest.id && done.length > 1) {
    // the latest run is the best so far: what it beat is the run before it
    return { best: done[done.length - 2], latest, note: `The latest run #${latest.id} is the best so far; compared with the run before it.` };
  }
  return { best, latest, note: `Best run${candidates === done ? '' : ' within the budgets'} #${best.id} against the latest #${latest.id}.` };
}

function drawPickers() {
  const options = selected => state.experiments.map(e => el('option', { value: e.id, selected: String(e.id) === selected },
    `#${e.id} ${e.status} ${e.scenario}${Object.keys(e.knobs).length ? ' ' + knobSummary(e.knobs) : ''}`));
  clear(document.getElementById('pickers'),
    el('label', {}, 'A (baseline)', el('select', { id: 'pick-a', onchange: e => pick('a', e.target.value) }, options(state.a))),
    el('label', {}, 'B (compared)', el('select', { id: 'pick-b', onchange: e => pick('b', e.target.value) }, options(state.b))),
    el('button', { class: 'secondary', onclick: async () => {
      const pair = await bestAndLatest();
      state.a = pair.best ? String(pair.best.id) : state.a;
      state.b = pair.latest ? String(pair.latest.id) : state.b;
      state.note = pair.note;
      drawPickers();
      drawDiff();
    } }, 'best vs latest'));
}

function knobSummary(knobs) {
  const text = Object.entries(knobs).filter(([k]) => /batch|concurrency|parallel|max_num/.test(k)).slice(0, 2)
    .map(([k, v]) => `${k.split('.').pop()}=${fmt(v)}`).join(' ');
  return text;
}

function pick(side, value) {
  state[side] = value;
  state.note = null;
  history.replaceState(null, '', `#/compare?a=${state.a}&b=${state.b}`);
  drawDiff();
}

async function drawDiff() {
  const box = document.getElementById('diff');
  if (!state.a || !state.b) {
    clear(box, el('div', { class: 'empty' }, 'Record at least one completed experiment to compare.'));
    return;
  }
  let diff;
  try {
    diff = await get('/api/diff', { a: state.a, b: state.b });
  } catch (error) {
    clear(box, errorBox(error));
    return;
  }
  const regressions = diff.metrics.filter(m => m.better === 'a').length;
  const improvements = diff.metrics.filter(m => m.better === 'b').length;
  clear(box,
    state.note ? el('p', { class: 'muted', id: 'compare-note' }, state.note) : null,
    el('p', {}, el('a', { href: `#/run/${diff.a}` }, `#${diff.a}`), ' → ', el('a', { href: `#/run/${diff.b}` }, `#${diff.b}`),
      el('span', { class: 'muted' }, `  ${improvements} better, ${regressions} worse in B`)),
    el('div', { class: 'grid2' },
      el('div', { class: 'panel' }, el('h2', {}, 'Metrics'), metricTable(diff)),
      el('div', { class: 'panel' }, el('h2', {}, 'Config differences'), configTable(diff))));
}

function metricTable(diff) {
  return el('table', { id: 'diff-metrics' },
    el('thead', {}, el('tr', {}, el('th', {}, 'metric'), el('th', { class: 'num' }, `A #${diff.a}`),
      el('th', { class: 'num' }, `B #${diff.b}`), el('th', { class: 'num' }, 'change'), el('th', { class: 'num' }, '%'),
      el('th', {}, 'better'))),
    el('tbody', {}, diff.metrics.map(m => el('tr', {
      // B is the run under judgement: A being better means B regressed
      class: m.better === 'a' ? 'regression' : m.better === 'b' ? 'improvement' : '',
      title: higherIsBetter(m.metric) ? 'higher is better' : 'lower is better',
    },
    el('td', {}, m.metric), el('td', { class: 'num' }, fmt(m.a)), el('td', { class: 'num' }, fmt(m.b)),
    el('td', { class: 'num' }, m.absolute_change === null ? '–' : signed(m.absolute_change)),
    el('td', { class: 'num' }, m.relative_change_percent === null ? '–' : signed(m.relative_change_percent) + '%'),
    el('td', { class: isSide(m.better) ? `better-${m.better}` : 'muted' }, isSide(m.better) ? m.better.toUpperCase() : m.better === 'same' ? '=' : '–')))));
}

function isSide(better) {
  return better === 'a' || better === 'b';
}

function configTable(diff) {
  if (diff.config.length === 0) return el('p', { class: 'muted' }, 'Same config.');
  return el('table', { id: 'diff-config' },
    el('thead', {}, el('tr', {}, el('th', {}, 'key'), el('th', {}, 'A'), el('th', {}, 'B'), el('th', {}, 'change'))),
    el('tbody', {}, diff.config.map(c => el('tr', {}, el('td', {}, c.key), el('td', {}, fmt(c.before)),
      el('td', {}, fmt(c.after)), el('td', { class: 'muted' }, c.change)))));
}

function signed(v) {
  return (v > 0 ? '+' : '') + fmt(v);
}
