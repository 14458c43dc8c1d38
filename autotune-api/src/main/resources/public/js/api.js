// The HTTP API as the pages use it, and the budgets and scenario the pages share (kept in localStorage).
// Every request goes through request(): a refusal or a server that does not answer becomes an ApiError with the
// server's message and field, for the page to show; nothing here swallows one.

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

/** The query string of params: empty values left out, arrays repeated (knob=a&knob=b). */
export function queryOf(params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
  }
  return query;
}

/** The response to a GET, once it is known to be a success; any failure is thrown as an ApiError. */
export async function request(path, params = {}, accept = 'application/json') {
  const query = queryOf(params).toString();
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, { headers: { Accept: accept } });
  } catch (e) {
    throw new ApiError(0, `the server did not answer ${path} (${e.message})`);
  }
  if (!response.ok) {
    const text = await response.text();
    let body = {};
    try { body = JSON.parse(text); } catch (e) { body = { error: text || response.statusText }; }
    throw new ApiError(response.status, body.error || `${path}: ${response.status} ${response.statusText}`, body.field);
  }
  return response;
}

export async function get(path, params = {}) {
  const response = await request(path, params);
  const text = await response.text();
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? JSON.parse(text) : text;
}

/** A write: a JSON body in, the JSON answer out; an error answer is thrown as an ApiError, never swallowed. */
export async function post(path, body = {}) {
  const response = await fetch(path, {
    method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = {};
  try { parsed = text ? JSON.parse(text) : {}; } catch (e) { parsed = { error: text || response.statusText }; }
  if (!response.ok) throw new ApiError(response.status, parsed.error || response.statusText, parsed.field);
  return parsed;
}

const BUDGET_KEY = 'autotune.budgets';

export const BUDGET_FIELDS = [
  { name: 'latency_budget_ms', label: 'latency_ms ≤', metric: 'latency_ms', bound: '<=' },
  { name: 'ttft_budget_ms', label: 'ttft_ms ≤', metric: 'ttft_ms', bound: '<=' },
  { name: 'min_throughput_tokens_per_sec', label: 'throughput_tokens_per_sec ≥', metric: 'throughput_tokens_per_sec', bound: '>=' },
  { name: 'max_failure_rate', label: 'failure_rate ≤', metric: 'failure_rate', bound: '<=' },
];

/** {latency_budget_ms: "200", ..., metric: ["latency_p95_ms<=300"], budget: "chat-slo", knob: [...], objective, scenario} */
export function loadBudgets() {
  try {
    return JSON.parse(localStorage.getItem(BUDGET_KEY)) || {};
  } catch (e) {
    return {};
  }
}

export function saveBudgets(budgets) {
  localStorage.setItem(BUDGET_KEY, JSON.stringify(budgets));
}

/**
 * The budget parameters of saved settings, and nothing else: /api/check refuses parameters it does not take
 * (knob, objective), so what the Recommendation page keeps beside the budgets must not be forwarded with them.
 * `budget` is a saved budget profile by name.
 */
export function budgetParams(saved) {
  const params = {};
  for (const f of BUDGET_FIELDS) {
    if (saved[f.name] !== undefined && saved[f.name] !== null && saved[f.name] !== '') params[f.name] = saved[f.name];
  }
  if ((saved.metric || []).length) params.metric = saved.metric;
  if (saved.budget) params.budget = saved.budget;
  return params;
}

export function hasBudgets(saved) {
  return Object.keys(budgetParams(saved)).length > 0;
}

/** The settings a link can carry, from a view's query string (repeated knob and metric kept as arrays). */
export function settingsFrom(query) {
  const settings = {};
  for (const f of BUDGET_FIELDS) if (query.has(f.name)) settings[f.name] = query.get(f.name);
  for (const key of ['metric', 'knob']) if (query.has(key)) settings[key] = query.getAll(key).filter(Boolean);
  for (const key of ['objective', 'scenario', 'budget']) if (query.has(key)) settings[key] = query.get(key);
  return settings;
}

/** Budgets as the server states them ("latency_ms<=200"), as lines on a chart: [{metric, bound, limit}] */
export function budgetLines(statements) {
  const lines = [];
  for (const expression of statements || []) {
    const m = /^\s*([a-z0-9_]+)\s*(<=|>=)\s*([0-9.eE+-]+)\s*$/.exec(expression);
    if (m) lines.push({ metric: m[1], bound: m[2], limit: Number(m[3]) });
  }
  return lines;
}

/** Every completed experiment (up to 10,000, oldest first) for charts and pickers. */
export async function completed(scenario) {
  const page = await get('/api/experiments', { status: 'completed', scenario, sort: 'id', order: 'asc', limit: 10000 });
  return page.experiments;
}

/**
 * The knobs whose value differs between the experiments that record them: the ones worth charting and tuning. A key
 * with one value wherever it is recorded is a constant (a run records its whole test definition, an ingest only what
 * was set), not an axis or a series; the server's knobs are canonical already (docs/KNOBS.md), as KnobValues.varying.
 */
export function varyingKnobs(experiments) {
  const keys = new Set(experiments.flatMap(e => Object.keys(e.knobs || {})));
  return [...keys].filter(k => new Set(experiments.filter(e => e.knobs && e.knobs[k] !== undefined && e.knobs[k] !== null)
    .map(e => JSON.stringify(e.knobs[k]))).size > 1).sort();
}

/** The knob to look at first: a batch size if one varies, else the one with the most distinct values. */
export function mainKnob(experiments, knobs) {
  const distinct = k => new Set(experiments.filter(e => k in (e.knobs || {})).map(e => JSON.stringify(e.knobs[k]))).size;
  const ranked = [...knobs].sort((a, b) => distinct(b) - distinct(a) || a.localeCompare(b));
  return ranked.find(k => k.endsWith('batch_size')) || ranked[0] || '';
}

const SCENARIO_KEY = 'autotune.scenario';

/**
 * The scenario a page opens on (recommendations and knob charts look at one scenario at a time): the one last
 * chosen while it still exists, else the one with the most experiments (the facets list it first), so one stray
 * run recorded last does not decide what the dashboard shows.
 */
export async function chosenScenario() {
  const page = await get('/api/experiments', { limit: 1, facets: 'true' });
  const scenarios = page.facets.scenario;
  const remembered = localStorage.getItem(SCENARIO_KEY);
  const scenario = remembered && (remembered === 'all' || scenarios.includes(remembered)) ? remembered : scenarios[0] || '';
  return { scenario, scenarios };
}

export function rememberScenario(scenario) {
  if (scenario) localStorage.setItem(SCENARIO_KEY, scenario);
}
