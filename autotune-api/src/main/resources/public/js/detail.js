// Run detail: config, metrics, timeline, artifacts, and the log, followed while the run is going.
import { get, post, request } from './api.js';
import { HEADLINE, clear, duration, el, errorBox, fmt, statusBadge, unit, when } from './dom.js';

let state = null;

export async function render(main, id) {
  if (state && state.timer) clearTimeout(state.timer);
  state = { main, id, logOffset: 0, timer: null, running: false };
  main.append(el('div', { id: 'detail' }, el('div', { class: 'empty' }, 'loading…')));
  await load();
}

export function refresh(event) {
  if (!state || !document.body.contains(state.main)) return;
  return !event || String(event.id) === String(state.id) || event.experiment_id === state.id ? load() : null;
}

async function load() {
  const box = document.getElementById('detail');
  let d;
  try {
    d = await get(`/api/experiments/${encodeURIComponent(state.id)}`);
  } catch (error) {
    clear(box, el('h1', {}, `Experiment ${state.id}`), errorBox(error));
    return;
  }
  state.running = d.status === 'running';
  // a re-render keeps the log read so far and reads on from its offset
  const oldLog = document.getElementById('log');
  const oldFollow = document.getElementById('follow');
  // the event feed re-renders the page whenever this experiment changes (a tag from the CLI, a run's progress):
  // what the user is typing into the correction inputs survives it, focus included
  const typed = TYPED.map(id => document.getElementById(id)).filter(e => e)
    .map(e => ({ id: e.id, value: e.value, focused: document.activeElement === e }));
  clear(box,
    el('h1', {}, `Experiment ${d.id} `, statusBadge(d.status, d.failure && d.failure.category)),
    el('div', { class: 'row muted' }, `${d.scenario}`, d.backend ? ` · ${d.backend}` : '', ` · from ${d.source}`,
      ` · started ${when(d.started_at)}`, d.ended_at ? ` · took ${duration(d.started_at, d.ended_at)}` : '',
      d.measured_at ? el('span', { id: 'measured-at' }, ` · measured ${when(d.measured_at)}`) : null,
      el('a', { href: `#/compare?b=${d.id}` }, 'compare…')),
    d.excluded_reason ? el('div', { class: 'panel excluded', id: 'excluded' },
      `Excluded: ${d.excluded_reason}. Lists, checks, recommendations, searches and exports leave it out.`) : null,
    corrections(d),
    d.failure ? el('div', { class: 'panel error' }, `${d.failure.category}: ${d.failure.message}`,
      d.failure.exit_code !== null && d.failure.exit_code !== undefined ? ` (exit code ${d.failure.exit_code})` : '') : null,
    el('div', { class: 'grid2' },
      el('div', { class: 'panel' }, el('h2', {}, 'Metrics'), metricsTable(d.metrics)),
      el('div', { class: 'panel' }, el('h2', {}, 'Config'), keyValues(d.config),
        d.config_path ? el('p', { class: 'muted' }, `from ${d.config_path}`) : null,
        // what the report states about the workload (model, concurrency, isl, osl, requests, ...)
        d.facts && Object.keys(d.facts).length > 0
          ? el('div', { id: 'report-facts' }, el('h2', {}, 'Report facts'), keyValues(d.facts)) : null)),
    el('div', { class: 'grid2' },
      el('div', { class: 'panel' }, el('h2', {}, 'Timeline'),
        el('ol', { class: 'timeline', id: 'timeline' }, d.timeline.map(t =>
          el('li', {}, el('strong', {}, t.event), el('span', { class: 'muted' }, `  ${when(t.at)}`), el('div', {}, t.detail))))),
      el('div', { class: 'panel' }, el('h2', {}, 'Notes and metadata'),
        noteList(d), keyValues(d.metadata),
        el('h2', {}, 'Artifacts'), artifacts(d))),
    el('div', { class: 'panel' }, el('h2', {}, 'Log'), logView(d, oldLog, oldFollow)));
  for (const t of typed) {
    const input = document.getElementById(t.id);
    if (!input) continue;
    input.value = t.value;
    if (t.focused) input.focus();
  }
  if (d.artifacts.log_url) followLog(d.artifacts.log_url);
}

/** The correction inputs whose text a re-render keeps. */
const TYPED = ['tag-input', 'note-input', 'exclude-reason'];

/** The note the experiment was recorded with and every note added later (`autotune note`), each with its time. */
function noteList(d) {
  const added = d.notes_added || [];
  // `notes` is every note joined, the one it was recorded with first: what precedes the added ones
  const later = added.map(n => n.note).join('\n');
  const atStart = d.notes && added.length > 0 ? d.notes.slice(0, Math.max(0, d.notes.length - later.length - 1))
    : d.notes;
  if (!atStart && added.length === 0) return el('p', { class: 'muted', id: 'notes' }, 'no notes');
  return el('div', { id: 'notes' },
    atStart ? el('p', {}, atStart) : null,
    ...added.map(n => el('p', { class: 'note-added' }, n.note, el('span', { class: 'muted' }, `  ${when(n.at)}`))));
}

/** Tags, and the corrections the CLI makes with tag, note, exclude and include, each a new event on the experiment. */
function corrections(d) {
  const message = el('div', { id: 'correction-error' });
  const act = async (path, body, input) => {
    try {
      await post(`/api/experiments/${encodeURIComponent(d.id)}/${path}`, body);
    } catch (error) {
      clear(message, errorBox(error));
      return;
    }
    // done: its text is not kept by the re-render
    if (input) {
      input.value = '';
      const now = document.getElementById(input.id);  // a refresh in between drew it anew, with the text kept
      if (now) now.value = '';
    }
    await load();
  };
  const tagInput = el('input', { id: 'tag-input', placeholder: 'gpu=H100', size: 16 });
  const noteInput = el('input', { id: 'note-input', placeholder: 'a note', size: 28 });
  const reasonInput = el('input', { id: 'exclude-reason', placeholder: 'why leave it out', size: 24 });
  const tag = () => {
    const text = tagInput.value.trim();
    const eq = text.indexOf('=');
    if (eq <= 0) {
      clear(message, el('div', { class: 'error' }, 'write a tag as key=value, e.g. gpu=H100'));
      return;
    }
    act('tags', { tags: { [text.slice(0, eq).trim()]: text.slice(eq + 1).trim() } }, tagInput);
  };
  const tags = Object.entries(d.tags || {});
  return el('div', { class: 'panel', id: 'corrections' },
    el('div', { class: 'row', id: 'tags' }, el('strong', {}, 'Tags'),
      tags.length ? tags.map(([k, v]) => el('span', { class: 'chip', dataset: { tag: k } }, `${k}=${v} `,
        el('button', { class: 'link', title: `remove ${k}`, onclick: () => act('untag', { keys: [k] }) }, '×')))
        : el('span', { class: 'muted' }, 'none'),
      tagInput, el('button', { id: 'tag-button', onclick: tag }, 'Tag')),
    el('div', { class: 'row' }, noteInput,
      el('button', { id: 'note-button', onclick: () => act('notes', { note: noteInput.value }, noteInput) }, 'Add note'),
      d.excluded_reason
        ? el('button', { id: 'include-button', onclick: () => act('include', {}) }, 'Include again')
        : [reasonInput, el('button', { id: 'exclude-button', class: 'secondary',
          onclick: () => act('exclude', { reason: reasonInput.value }, reasonInput) }, 'Exclude')]),
    message);
}

function metricsTable(metrics) {
  const keys = Object.keys(metrics).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (keys.length === 0) return el('p', { class: 'muted' }, 'no metrics recorded');
  return el('table', { id: 'metrics' }, el('tbody', {}, keys.map(k =>
    el('tr', {}, el('td', {}, k), el('td', { class: 'num' }, fmt(metrics[k])), el('td', { class: 'muted' }, unit(k))))));
}

function rank(metric) {
  const i = HEADLINE.indexOf(metric);
  return i < 0 ? HEADLINE.length : i;
}

function keyValues(map) {
  const entries = Object.entries(map || {});
  if (entries.length === 0) return el('p', { class: 'muted' }, 'none');
  return el('dl', { class: 'kv' }, entries.map(([k, v]) => [el('dt', {}, k), el('dd', {}, fmt(v))]));
}

function artifacts(d) {
  const a = d.artifacts;
  return el('dl', { class: 'kv' },
    a.reports.map(r => [el('dt', {}, 'report'), el('dd', {}, r)]),
    a.run_dir ? [el('dt', {}, 'run directory'), el('dd', {}, a.run_dir)] : null,
    a.log_path ? [el('dt', {}, 'log'), el('dd', {}, a.log_path)] : null);
}

function logView(d, oldLog, oldFollow) {
  if (!d.artifacts.log_url) {
    return el('p', { class: 'muted' }, 'No log: this experiment was ingested from a report, not launched by `autotune run`.');
  }
  return [el('label', { class: 'row' }, el('span', {},
    oldFollow || el('input', { type: 'checkbox', id: 'follow', checked: true }), ' follow'),
  el('span', { class: 'error-text', id: 'log-error' })),
  oldLog || el('pre', { class: 'log', id: 'log' }, '')];
}

/** Reads the log from where it stopped (X-Log-Size), and again every second while the run is going. */
async function followLog(url) {
  clearTimeout(state.timer);
  const mine = state;
  const pre = document.getElementById('log');
  if (!pre) return;
  const problem = document.getElementById('log-error');
  try {
    const from = mine.logOffset;
    const response = await request(url, { offset: from }, 'text/plain');
    const text = await response.text();
    mine.logOffset = Number(response.headers.get('X-Log-Size') || from);
    if (problem) problem.textContent = '';
    if (text) {
      if (from === 0) pre.textContent = text;
      else pre.append(text);
      if (document.getElementById('follow')?.checked) pre.scrollTop = pre.scrollHeight;
    }
  } catch (error) {
    // shown beside the log, which keeps what was read; while the run goes on the next tick tries again
    if (mine.logOffset === 0 && error.status === 404) pre.textContent = `(no log yet: ${error.message})`;
    else if (problem) problem.textContent = error.message;
  }
  if (mine === state && mine.running && document.body.contains(pre)) {
    mine.timer = setTimeout(() => followLog(url), 1000);
  }
}
