// History: the experiment table, sorted, filtered and paged by the server.
import { get, varyingKnobs } from './api.js';
import { clear, el, errorBox, fmt, statusBadge, when } from './dom.js';

const PAGE = 100;
const METRICS = [
  ['latency_ms', 'latency ms'], ['latency_p95_ms', 'p95 ms'], ['ttft_ms', 'TTFT ms'],
  ['throughput_tokens_per_sec', 'tok/s'], ['failure_rate', 'failure rate'],
];

let state = null;

export async function render(main, arg, params) {
  state = {
    main,
    query: { scenario: params.scenario || '', status: params.status || '', backend: params.backend || '',
      where: params.where || '', include_excluded: params.include_excluded || '',
      sort: params.sort || 'id', order: params.order || '', offset: Number(params.offset || 0) },
    shown: null,
    facets: null,
  };
  const filters = el('div', { class: 'row', id: 'filters' });
  const table = el('div', { class: 'table-wrap', id: 'history' }, el('div', { class: 'empty' }, 'loading…'));
  const pager = el('div', { class: 'pager', id: 'pager' });
  main.append(el('h1', {}, 'History'), el('div', { class: 'panel' }, filters), table, pager);
  await load();
}

export function refresh() {
  return state && document.body.contains(state.main) ? load() : null;
}

async function load() {
  const q = state.query;
  let page;
  try {
    page = await get('/api/experiments', { scenario: q.scenario, status: q.status, backend: q.backend, where: q.where,
      include_excluded: q.include_excluded, sort: q.sort, order: q.order, limit: PAGE, offset: q.offset,
      facets: state.facets ? null : 'true' });
  } catch (error) {
    clear(document.getElementById('history'), errorBox(error));
    return;
  }
  if (page.facets) {
    state.facets = page.facets;
    drawFilters();
  }
  drawTable(page);
  drawPager(page);
}

function setQuery(change) {
  Object.assign(state.query, change);
  state.shown = null; // another page or order: nothing on it is "new"
  const q = Object.entries(state.query).filter(([k, v]) => v !== '' && !(k === 'offset' && v === 0) && !(k === 'sort' && v === 'id'));
  history.replaceState(null, '', '#/history' + (q.length ? '?' + new URLSearchParams(q) : ''));
  load();
}

function drawFilters() {
  const picker = (name, values) => el('label', {}, name,
    el('select', { id: `filter-${name}`, onchange: e => setQuery({ [name]: e.target.value, offset: 0 }) },
      el('option', { value: '' }, 'all'),
      values.map(v => el('option', { value: v, selected: v === state.query[name] }, v))));
  // the filter language of `list --where`; the server names the position of anything it cannot read
  const where = el('input', { id: 'filter-where', type: 'search', size: 48, value: state.query.where,
    placeholder: "knob.tensor_parallel_size >= 2 and metric.ttft_ms < 50 and tag.gpu = 'H100'",
    onkeydown: e => { if (e.key === 'Enter') setQuery({ where: e.target.value.trim(), offset: 0 }); } });
  clear(document.getElementById('filters'),
    picker('scenario', state.facets.scenario), picker('status', ['running', 'completed', 'failed', 'abandoned', 'validated']),
    picker('backend', state.facets.backend),
    el('label', { class: 'grow' }, 'where', where),
    el('button', { id: 'apply-where', onclick: () => setQuery({ where: where.value.trim(), offset: 0 }) }, 'Filter'),
    el('label', {}, el('input', { type: 'checkbox', id: 'include-excluded', checked: state.query.include_excluded === 'true',
      onchange: e => setQuery({ include_excluded: e.target.checked ? 'true' : '', offset: 0 }) }), ' excluded too'));
}

function drawTable(page) {
  const rows = page.experiments;
  const wrap = document.getElementById('history');
  if (rows.length === 0) {
    clear(wrap, el('div', { class: 'empty' }, page.total === 0 && page.offset === 0
      ? 'No experiments match. Record one with `autotune ingest REPORT` or `autotune run SCENARIO.toml`.'
      : 'No more experiments.'));
    markPainted();
    return;
  }
  const knobs = varyingKnobs(rows).slice(0, 4);
  const header = (key, label, numeric) => {
    const sorted = state.query.sort === key;
    const asc = sorted && (state.query.order ? state.query.order === 'asc' : key !== 'id');
    return el('th', {
      class: ['sortable', numeric ? 'num' : '', sorted ? 'sorted' : '', asc ? 'asc' : ''].join(' ').trim(),
      title: `sort by ${key}`, dataset: { sort: key },
      onclick: () => setQuery({ sort: key, order: sorted && !asc ? 'asc' : sorted ? 'desc' : (key === 'id' ? 'desc' : 'asc'), offset: 0 }),
    }, label);
  };
  // a row that appears after the first render is highlighted for a few seconds, across the re-renders the
  // events of one ingest can cause
  const now = Date.now();
  const firstRender = state.shown === null;
  state.shown = state.shown || new Map();
  for (const r of rows) {
    if (!state.shown.has(r.id)) state.shown.set(r.id, firstRender ? 0 : now);
  }
  const isNew = id => now - state.shown.get(id) < 4000;
  const body = rows.map(r => el('tr', {
    class: 'clickable' + (isNew(r.id) ? ' new' : '') + (r.excluded_reason ? ' excluded' : ''), dataset: { id: r.id },
    title: r.excluded_reason ? `excluded: ${r.excluded_reason}` : null,
    onclick: () => { location.hash = `#/run/${r.id}`; },
  },
  el('td', { class: 'num' }, el('a', { href: `#/run/${r.id}` }, r.id)),
  el('td', {}, statusBadge(r.status, r.failure_category),
    r.excluded_reason ? el('span', { class: 'status excluded' }, 'excluded') : null),
  el('td', {}, r.scenario), el('td', {}, r.backend || '–'),
  knobs.map(k => el('td', { class: 'num' }, fmt(r.knobs[k]))),
  METRICS.map(([m]) => el('td', { class: 'num' }, fmt(r.metrics[m]))),
  // when the benchmark ran if its report says, else when it was recorded
  el('td', { title: r.measured_at ? 'measured' : 'recorded' }, when(r.measured_at || r.started_at))));
  clear(wrap, el('table', { id: 'history-table' },
    el('thead', {}, el('tr', {}, header('id', '#', true), header('status', 'status'), header('scenario', 'scenario'),
      header('backend', 'backend'), knobs.map(k => el('th', { class: 'num', title: k }, k.split('.').pop())),
      METRICS.map(([m, label]) => header(m, label, true)), header('happened_at', 'when'))),
    el('tbody', {}, body)));
  markPainted();
}

/** Marks the first paint of the table for the benchmark (performance.getEntriesByName('history-table-painted')). */
function markPainted() {
  if (document.body.dataset.historyPaintedMs) return;
  requestAnimationFrame(() => {
    performance.mark('history-table-painted');
    document.body.dataset.historyPaintedMs = String(Math.round(performance.now()));
  });
}

function drawPager(page) {
  const q = state.query;
  const last = Math.min(page.offset + page.experiments.length, page.total);
  clear(document.getElementById('pager'),
    el('button', { class: 'secondary', disabled: q.offset === 0, onclick: () => setQuery({ offset: Math.max(0, q.offset - PAGE) }) }, '← previous'),
    el('span', { class: 'muted', id: 'count' }, page.total ? `${page.offset + 1}–${last} of ${fmt(page.total)}` : '0 experiments'),
    el('button', { class: 'secondary', disabled: last >= page.total, onclick: () => setQuery({ offset: q.offset + PAGE }) }, 'next →'));
}
