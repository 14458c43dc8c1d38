// Compare: any number of runs side by side against the first (the baseline), through /api/diff per run; by
// default the best run within the saved budgets against the latest. Metrics that are one measurement under two
// names (itl = tpot, p50 = mean when a report gave one number for both) are one row, not counted twice.
import { BUDGET_FIELDS, budgetParams, completed, get, hasBudgets, loadBudgets } from './api.js';
import { clear, el, errorBox, fmt, higherIsBetter } from './dom.js';

let state = null;

export async function render(main, arg, params) {
  const ids = (params.ids || [params.a, params.b].filter(Boolean).join(',')).split(',').map(s => s.trim()).filter(Boolean);
  // which budgets judge "best": the Recommendation page's own when it saved some, else none; or a saved profile
  const choice = params.budget ? `profile:${params.budget}` : hasBudgets(loadBudgets()) ? 'page' : 'none';
  state = { main, ids: [...new Set(ids)], experiments: [], note: null, profiles: [], choice };
  main.append(el('h1', {}, 'Compare'),
    el('div', { class: 'panel row', id: 'pickers' }, el('span', { class: 'muted' }, 'loading…')),
    el('div', { id: 'diff' }));
  await load();
}

export function refresh() {
  return state && document.body.contains(state.main) ? load() : null;
}

async function load() {
  const all = await get('/api/experiments', { sort: 'id', order: 'desc', limit: 1000 });
  state.experiments = all.experiments;
  state.profiles = await get('/api/budgets');
  if (state.ids.length < 2) {
    // none given: the best against the latest; one given (a run's "compare…" link): the best against it
    try {
      await useBest(state.ids[0]);
    } catch (error) {
      // the comparison would be of the wrong runs: say why there is none instead
      drawPickers();
      clear(document.getElementById('diff'), refused(error));
      return;
    }
  }
  drawPickers();
  await drawDiff();
}

async function useBest(targetId) {
  const pair = await bestAgainst(targetId);
  if (pair.best) {
    state.ids = [String(pair.best.id), String(pair.target.id)];
    state.note = pair.note;
  }
}

function refused(error) {
  return [el('p', { class: 'muted' }, `No best run to compare: ${describeChoice()} ${state.choice === 'page' ? 'were' : 'was'} refused.`),
    errorBox(error)];
}

/**
 * The best completed run of the target's scenario (within the saved budgets when there are any, by throughput)
 * and the target: the given run, or the latest completed one. A refusal of the budgets is thrown, never passed over.
 */
async function bestAgainst(targetId) {
  const done = await completed();
  const target = !targetId ? done[done.length - 1]
    : state.experiments.find(e => String(e.id) === String(targetId)) || await get(`/api/experiments/${encodeURIComponent(targetId)}`);
  if (!target) return {};
  const name = targetId ? `#${target.id}` : `the latest #${target.id}`;
  const mine = done.filter(e => e.scenario === target.scenario);
  let candidates = mine;
  const budgets = chosenBudgets();
  let within = false;
  let nonePass = false;
  if (hasBudgets(budgets)) {
    const check = await get('/api/check', { ...budgets, scenario: target.scenario });
    const passing = new Set(check.experiments.filter(r => r.verdict === 'PASS').map(r => r.id));
    if (passing.size) {
      candidates = mine.filter(e => passing.has(e.id));
      within = true;
    } else {
      nonePass = true;
    }
  }
  if (candidates.length === 0) return {};
  const score = e => e.metrics.throughput_tokens_per_sec ?? -Infinity;
  const best = candidates.reduce((x, y) => (score(y) > score(x) ? y : x));
  if (best.id === target.id) {
    // the target is the best so far: what it beat is the run before it
    const before = mine.filter(e => e.id < target.id).pop() || mine.find(e => e.id !== target.id);
    return before ? { best: before, target, note: `${name[0].toUpperCase()}${name.slice(1)} is the best so far; compared with the run before it.` } : {};
  }
  // always say which budgets judged "best": none, a saved profile, or the Recommendation page's own
  const judged = within ? ` within ${describeChoice()}` : '';
  const why = nonePass ? ` No run passes ${describeChoice()}: best by throughput alone.`
    : state.choice === 'none' ? ' No budgets apply.' : '';
  return { best, target, note: `Best run${judged} #${best.id} against ${name}.${why}` };
}

/** The budget parameters of the chosen budgets. */
function chosenBudgets() {
  if (state.choice === 'page') return budgetParams(loadBudgets());
  if (state.choice.startsWith('profile:')) return { budget: state.choice.slice('profile:'.length) };
  return {};
}

/** The page's own budgets as bounds: latency_ms<=200, latency_p95_ms<=300, profile chat-slo. */
function pageBudgets() {
  const params = budgetParams(loadBudgets());
  const parts = BUDGET_FIELDS.filter(f => params[f.name] !== undefined).map(f => `${f.metric}${f.bound}${params[f.name]}`);
  parts.push(...(params.metric || []));
  if (params.budget) parts.push(`profile ${params.budget}`);
  return parts.join(', ');
}

function describeChoice() {
  if (state.choice === 'page') return `the budgets saved on the Recommendation page (${pageBudgets()})`;
  if (state.choice.startsWith('profile:')) {
    const name = state.choice.slice('profile:'.length);
    const profile = state.profiles.find(p => p.name === name);
    return `budget profile ${name}${profile ? ` (${profile.budgets.join(', ')})` : ''}`;
  }
  return 'no budgets';
}

/** The budgets a "best" may be judged by: none, the Recommendation page's own, each saved profile. */
function budgetPicker() {
  const options = [el('option', { value: 'none' }, 'no budgets')];
  if (hasBudgets(loadBudgets())) options.push(el('option', { value: 'page' }, `Recommendation page's (${pageBudgets()})`));
  for (const p of state.profiles) {
    options.push(el('option', { value: `profile:${p.name}` }, `profile ${p.name} (${p.budgets.join(', ')})`));
  }
  const select = el('select', { id: 'compare-budgets', onchange: e => {
    state.choice = e.target.value;
    return bestVsLatest();
  } }, options);
  select.value = state.choice;
  return el('label', {}, 'best judged by', select);
}

function label(e) {
  return `#${e.id} ${e.status} ${e.scenario}${Object.keys(e.knobs).length ? ' ' + knobSummary(e.knobs) : ''}`;
}

function drawPickers() {
  const byId = new Map(state.experiments.map(e => [String(e.id), e]));
  clear(document.getElementById('pickers'),
    el('span', { class: 'muted' }, 'runs (the first is the baseline):'),
    el('span', { class: 'row', id: 'picked' }, state.ids.map((id, i) => el('span', { class: 'chip', dataset: { id } },
      i === 0 ? 'A ' : '', byId.has(id) ? label(byId.get(id)) : `#${id}`,
      el('button', { type: 'button', class: 'secondary remove', title: `remove #${id}`, onclick: () => setIds(state.ids.filter(x => x !== id)) }, '×')))),
    el('label', {}, 'add a run', el('select', { id: 'pick-add', onchange: e => e.target.value && setIds([...state.ids, e.target.value]) },
      el('option', { value: '' }, '—'),
      state.experiments.filter(e => !state.ids.includes(String(e.id))).map(e => el('option', { value: e.id }, label(e))))),
    budgetPicker(),
    el('button', { class: 'secondary', onclick: bestVsLatest }, 'best vs latest'));
}

/** The best run (by the chosen budgets) against the latest; a refusal of the budgets is shown instead. */
async function bestVsLatest() {
  try {
    await useBest(null);
  } catch (error) {
    clear(document.getElementById('diff'), refused(error));
    return;
  }
  setIds(state.ids, state.note);
}

function knobSummary(knobs) {
  const text = Object.entries(knobs).filter(([k]) => /batch|concurrency|parallel|max_num/.test(k)).slice(0, 2)
    .map(([k, v]) => `${k.split('.').pop()}=${fmt(v)}`).join(' ');
  return text;
}

function setIds(ids, note = null) {
  state.ids = [...new Set(ids)];
  state.note = note;
  history.replaceState(null, '', `#/compare?ids=${state.ids.join(',')}`);
  drawPickers();
  drawDiff();
}

async function drawDiff() {
  const box = document.getElementById('diff');
  if (state.ids.length < 2) {
    clear(box, el('div', { class: 'empty' }, state.ids.length
      ? 'Add a run to compare with.' : 'Record at least one completed experiment to compare.'));
    return;
  }
  const [base, ...others] = state.ids;
  let diffs;
  try {
    diffs = await Promise.all(others.map(b => get('/api/diff', { a: base, b })));
  } catch (error) {
    clear(box, errorBox(error));
    return;
  }
  const rows = metricRows(diffs);
  clear(box,
    state.note ? el('p', { class: 'muted', id: 'compare-note' }, state.note) : null,
    el('p', { id: 'compare-summary' }, diffs.map((d, i) => [i ? '; ' : '',
      el('a', { href: `#/run/${d.b}` }, `#${d.b}`), ` against `, el('a', { href: `#/run/${d.a}` }, `#${d.a}`),
      el('span', { class: 'muted' }, `: ${rows.filter(r => r.cells[i].better === 'b').length} better, `
        + `${rows.filter(r => r.cells[i].better === 'a').length} worse`)])),
    el('div', { class: 'panel' }, el('h2', {}, 'Metrics'), el('div', { class: 'table-wrap' }, metricTable(diffs, rows))),
    el('div', { class: 'panel' }, el('h2', {}, 'Config differences'), configTable(diffs)));
}

/** The one name a metric has when it is the same measurement as another: itl is tpot, a p50 is the mean. */
function canonical(metric) {
  return metric.replace(/^itl_/, 'tpot_').replace(/_p50_/, '_');
}

/**
 * One row per measurement: metrics of one canonical name whose values are equal in every run shown are merged
 * (named after the canonical one), so a report that gave one number for two names is not counted twice. A p50 that
 * differs from the mean stays a row of its own.
 */
function metricRows(diffs) {
  const order = [...new Set(diffs.flatMap(d => d.metrics.map(m => m.metric)))];
  const byMetric = new Map(order.map(metric => [metric, {
    metric, a: diffs.map(d => d.metrics.find(m => m.metric === metric)).find(Boolean)?.a ?? null,
    cells: diffs.map(d => d.metrics.find(m => m.metric === metric) || { b: null, better: null }),
  }]));
  const values = row => JSON.stringify([row.a, ...row.cells.map(c => c.b ?? null)]);
  const rows = [];
  const merged = new Set();
  for (const metric of order) {
    if (merged.has(metric)) continue;
    const row = byMetric.get(metric);
    const same = order.filter(m => m !== metric && !merged.has(m) && canonical(m) === canonical(metric)
      && values(byMetric.get(m)) === values(row));
    same.forEach(m => merged.add(m));
    const names = [metric, ...same].sort((x, y) => (x === canonical(x) ? -1 : y === canonical(y) ? 1 : x.localeCompare(y)));
    const kept = byMetric.get(names[0]);
    rows.push({ ...kept, names });
  }
  return rows;
}

function metricTable(diffs, rows) {
  return el('table', { id: 'diff-metrics' },
    el('thead', {}, el('tr', {}, el('th', {}, 'metric'), el('th', { class: 'num' }, `A #${diffs[0].a}`),
      diffs.map(d => el('th', { class: 'num', dataset: { run: d.b } }, `#${d.b}`)))),
    el('tbody', {}, rows.map(r => el('tr', {
      dataset: { metric: r.names[0] },
      title: (r.names.length > 1 ? 'one measurement under several names; ' : '') + (higherIsBetter(r.names[0]) ? 'higher is better' : 'lower is better'),
    },
    el('td', {}, r.names.join(' = ')), el('td', { class: 'num' }, fmt(r.a)),
    r.cells.map(c => el('td', {
      // each run is judged against the baseline: the baseline being better means the run regressed
      class: ['num', c.better === 'a' ? 'regression' : c.better === 'b' ? 'improvement' : ''].join(' ').trim(),
    }, fmt(c.b ?? null), c.relative_change_percent === null || c.relative_change_percent === undefined ? ''
      : el('span', { class: 'change' }, ` (${signed(c.relative_change_percent)}%)`)))))));
}

/** Every config key that differs from the baseline in any run, with each run's value. */
function configTable(diffs) {
  const keys = [...new Set(diffs.flatMap(d => d.config.map(c => c.key)))].sort();
  if (keys.length === 0) return el('p', { class: 'muted' }, 'Same config.');
  const baseline = key => diffs.map(d => d.config.find(c => c.key === key)).find(Boolean).before;
  const valueIn = (d, key) => {
    const c = d.config.find(x => x.key === key);
    return c ? c.after : baseline(key);
  };
  return el('table', { id: 'diff-config' },
    el('thead', {}, el('tr', {}, el('th', {}, 'key'), el('th', {}, `A #${diffs[0].a}`), diffs.map(d => el('th', {}, `#${d.b}`)))),
    el('tbody', {}, keys.map(key => el('tr', {}, el('td', {}, key), el('td', {}, fmt(baseline(key))),
      diffs.map(d => el('td', { class: d.config.some(c => c.key === key) ? 'changed' : 'muted' }, fmt(valueIn(d, key))))))));
}

function signed(v) {
  return (v > 0 ? '+' : '') + fmt(v);
}
