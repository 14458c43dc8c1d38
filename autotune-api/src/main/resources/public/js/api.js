// The HTTP API as the pages use it, and the budgets the pages share (kept in localStorage).

export class ApiError extends Error {
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

export async function get(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === null || value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const text = await response.text();
  if (!response.ok) {
    let body = {};
    try { body = JSON.parse(text); } catch (e) { body = { error: text || response.statusText }; }
    throw new ApiError(response.status, body.error || response.statusText, body.field);
  }
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

/** {latency_budget_ms: "200", ..., metric: ["latency_p95_ms<=300"]} */
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

/** The budgets as lines on a chart: [{metric, bound, limit}] */
export function budgetLines(budgets) {
  const lines = [];
  for (const f of BUDGET_FIELDS) {
    if (budgets[f.name] !== undefined && budgets[f.name] !== '') lines.push({ metric: f.metric, bound: f.bound, limit: Number(budgets[f.name]) });
  }
  for (const expression of budgets.metric || []) {
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

/** The knobs whose value differs between experiments: the ones worth charting and tuning. */
export function varyingKnobs(experiments) {
  const keys = new Set(experiments.flatMap(e => Object.keys(e.knobs || {})));
  return [...keys].filter(k => new Set(experiments.map(e => JSON.stringify((e.knobs || {})[k]))).size > 1).sort();
}

/** The knob to look at first: a batch size if one varies, else the one with the most distinct values. */
export function mainKnob(experiments, knobs) {
  const distinct = k => new Set(experiments.filter(e => k in (e.knobs || {})).map(e => JSON.stringify(e.knobs[k]))).size;
  const ranked = [...knobs].sort((a, b) => distinct(b) - distinct(a) || a.localeCompare(b));
  return ranked.find(k => k.endsWith('batch_size')) || ranked[0] || '';
}

/** The newest experiment's scenario (recommendations and knob charts look at one scenario at a time). */
export async function latestScenario() {
  const page = await get('/api/experiments', { limit: 1, facets: 'true' });
  return { latest: page.experiments.length ? page.experiments[0].scenario : '', scenarios: page.facets.scenario };
}
