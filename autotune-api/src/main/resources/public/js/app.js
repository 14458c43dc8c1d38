// The dashboard: a hash router over six views, and live updates from /api/events.
import { clear, el, toast } from './dom.js';
import * as history from './history.js';
import * as detail from './detail.js';
import * as compare from './compare.js';
import * as charts from './charts.js';
import * as recommend from './recommend.js';
import * as studies from './study.js';

const VIEWS = { history, run: detail, compare, charts, recommend, studies };
const main = document.getElementById('view');
let current = null;

function route() {
  const hash = location.hash.replace(/^#\/?/, '') || 'history';
  const [path, query = ''] = hash.split('?');
  const [name, arg] = path.split('/');
  const view = VIEWS[name] || history;
  const search = new URLSearchParams(query);
  const params = Object.fromEntries(search);
  document.querySelectorAll('header nav a').forEach(a =>
    a.classList.toggle('active', a.dataset.view === (name === 'run' ? 'history' : name)));
  current = { view, arg, params };
  clear(main);
  // params keeps one value per key; search keeps repeated ones (knob=a&knob=b) for views that take them
  view.render(main, arg, params, search).catch(showError);
}

/** An error no view handled itself: shown above the view, never only in the console. */
function showError(error) {
  document.getElementById('view-error')?.remove();
  main.prepend(el('div', { class: 'error', id: 'view-error' },
    error.field ? `${error.message} (${error.field})` : String(error.message || error)));
}

/** Views re-read what they show when the log grows; bursts (4 events per ingest) become one refresh. */
let pending = null;
function onEvent(event) {
  if (event.type === 'ExperimentStarted') toast(`experiment ${event.id ?? ''} started`);
  if (event.type === 'ExperimentCompleted') toast(`experiment ${event.id ?? ''} completed`);
  if (event.type === 'ExperimentFailed') toast(`experiment ${event.id ?? ''} failed`);
  if (event.type === 'TrialProposed') toast('a study proposed a trial');
  if (event.type === 'TrialLinked') toast('a study trial was told its experiment');
  clearTimeout(pending);
  pending = setTimeout(() => {
    if (current && current.view.refresh) Promise.resolve(current.view.refresh(event)).catch(showError);
  }, 150);
}

let source = null;

function connect() {
  const live = document.getElementById('live');
  source = new EventSource('/api/events');
  source.addEventListener('ready', () => { live.textContent = 'live'; live.className = 'live on'; });
  source.onmessage = message => onEvent(JSON.parse(message.data));
  // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed
  source.onerror = () => { live.textContent = 'reconnecting…'; live.className = 'live off'; };
}

// A page left for another is kept (back-forward cache) with its stream open, and the browser allows only six
// connections to a server: a few pages left behind would hold them all and stall the next page's requests. The
// stream closes when the page is left and opens again, with a fresh read, if the page comes back.
window.addEventListener('pagehide', () => source && source.close());
window.addEventListener('pageshow', event => {
  if (!event.persisted) return;
  connect();
  if (current && current.view.refresh) Promise.resolve(current.view.refresh()).catch(showError);
});
window.addEventListener('hashchange', route);
route();
connect();
