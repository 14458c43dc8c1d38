// Which knobs matter: the study's importance split (from the fitted model, served with the study) and, for a
// history without a study, the per-knob sensitivity view (served by /api/sensitivity). The numbers and the words
// come from the server; this module only draws them.
import { get } from './api.js';
import { clear, el, errorBox, fmt } from './dom.js';

const percent = share => `${Math.round(100 * share)}%`;

/** A bar as wide as the share (0 to 1) of its cell. */
function bar(share, cls = 'share-bar') {
  return el('div', { class: 'bar-track' }, el('div', { class: cls, style: `width:${Math.max(0, Math.min(1, share)) * 100}%` }));
}

/** The study's splits: one table per metric (the objective first), each knob's share as a bar, then interactions. */
export function importancePanel(splits) {
  if (!Array.isArray(splits)) return null;
  const body = [];
  if (!splits.length) {
    body.push(el('p', { class: 'muted' }, 'The space has one config: no knob to compare.'));
  }
  for (const s of splits) {
    body.push(el('p', { class: 'importance-summary' }, s.summary));
    if (!s.knobs.length) continue;
    body.push(el('table', { class: 'importance', id: `importance-${s.role === 'objective' ? 'objective' : s.metric}` },
      el('thead', {}, el('tr', {}, el('th', {}, 'knob'), el('th', {}, `share of ${s.metric}'s variation`), el('th', {}, ''))),
      el('tbody', {},
        s.knobs.map(k => el('tr', { dataset: { knob: k.knob } }, el('td', {}, k.label), el('td', { class: 'num' }, percent(k.share)), el('td', {}, bar(k.share)))),
        el('tr', { class: 'interactions' }, el('td', {}, 'interactions'), el('td', { class: 'num' }, percent(s.interactions)),
          el('td', {}, bar(s.interactions, 'share-bar other'))))));
  }
  return el('div', { class: 'panel', id: 'study-importance' }, el('h2', {}, 'Which knobs matter'), body);
}

/**
 * The sensitivity view of one scenario's history: per knob (the one moving the metric most first), the metric's
 * mean at each value, the other knobs held as the recommendation holds them. {@code params} go to the API as they
 * are (scenario, target, objective and the budgets).
 */
export async function drawSensitivity(box, params, metrics, onTarget) {
  const target = params.target;
  const picker = el('label', {}, 'metric ', el('select', { id: 'sensitivity-target', onchange: e => onTarget(e.target.value) },
    metrics.map(m => el('option', { value: m, selected: m === target }, m))));
  clear(box, el('h2', {}, 'Sensitivity: the metric per knob value'), el('div', { class: 'row' }, picker), el('p', { class: 'muted' }, 'loading…'));
  let view;
  try {
    view = await get('/api/sensitivity', params);
  } catch (error) {
    clear(box, el('h2', {}, 'Sensitivity: the metric per knob value'), el('div', { class: 'row' }, picker), errorBox(error));
    return;
  }
  const knobs = view.knobs.map(k => {
    const top = Math.max(...k.levels.map(l => Math.abs(l.mean)), 0);
    return el('div', { class: 'sens-knob', dataset: { knob: k.knob } },
      el('h3', {}, k.knob),
      el('p', {}, k.summary),
      el('p', { class: 'muted' }, `others held: ${k.held}`),
      el('table', { class: 'importance' }, el('tbody', {}, k.levels.map(l => el('tr', {},
        el('td', {}, fmt(l.value)), el('td', { class: 'num' }, fmt(l.mean)), el('td', {}, bar(top ? Math.abs(l.mean) / top : 0)),
        el('td', { class: 'muted' }, l.experiments.map(n => `#${n}`).join(' ')))))));
  });
  clear(box, el('h2', {}, `Sensitivity: ${view.metric} per knob value`),
    el('div', { class: 'row' }, picker,
      el('span', { class: 'muted' }, view.best_run ? `the other knobs held as in the best run (experiment ${view.best_run}, best ${view.objective}`
        + `${view.budgets.length ? ` within ${view.budgets.join(', ')}` : ''})` : 'no run meets the budgets: every experiment counts')),
    knobs.length ? el('div', { id: 'sensitivity-knobs' }, knobs) : el('p', { class: 'empty' }, 'No knob varies between these experiments yet.'));
}
