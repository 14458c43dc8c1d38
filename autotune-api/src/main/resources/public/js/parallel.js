// Parallel coordinates in SVG, for a study's trials and for the Charts page's experiments: one vertical axis per
// knob (its values, evenly spaced, so log-spaced knobs read as well as linear ones) and one for the objective; each
// run is a polyline, feasible ones coloured by their objective, infeasible ones dashed grey.
import { clear, el, fmt } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

/**
 * Draws into box. knobs: [{path, values}]; runs: [{config: {path: value}, objective, feasible, title}];
 * metric: the objective's name; maximize: whether higher is better.
 */
export function drawParallel(box, { knobs, runs, metric, maximize }) {
  const measured = runs.filter(t => t.objective !== null && t.objective !== undefined);
  const width = Math.max(480, box.clientWidth || 900);
  const height = 300;
  const pad = { left: 60, right: 180, top: 30, bottom: 30 };
  const axes = [...knobs.map(k => ({ label: k.path.split('.').pop(), title: k.path, values: k.values })), { label: metric, title: metric }];
  const xAt = i => pad.left + (axes.length === 1 ? 0 : i * (width - pad.left - pad.right) / (axes.length - 1));
  const objectives = measured.map(t => t.objective);
  const lo = objectives.length ? Math.min(...objectives) : 0;
  const hi = objectives.length ? Math.max(...objectives) : 1;
  const feasible = measured.filter(t => t.feasible).map(t => t.objective);
  const feasibleLo = Math.min(...feasible);
  const feasibleHi = Math.max(...feasible);
  const yOf = (axis, value) => {
    const span = height - pad.top - pad.bottom;
    if (axis.values) {
      const i = axis.values.findIndex(v => JSON.stringify(v) === JSON.stringify(value));
      return pad.top + span - (axis.values.length === 1 ? span / 2 : span * Math.max(0, i) / (axis.values.length - 1));
    }
    return pad.top + span - (hi === lo ? span / 2 : span * (value - lo) / (hi - lo));
  };
  const svg = svgEl('svg', { id: 'parallel-svg', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `knobs against ${metric}` });
  // SVG paints in document order: axes first, then the runs' lines, then the labels, so no line covers a label
  const labels = svgEl('g', { class: 'pc-labels', 'paint-order': 'stroke', stroke: '#ffffff', 'stroke-width': 3,
    'stroke-linejoin': 'round' });
  axes.forEach((axis, i) => {
    const x = xAt(i);
    svg.append(svgEl('line', { x1: x, x2: x, y1: pad.top, y2: height - pad.bottom, stroke: '#98a2b3', 'stroke-width': 1 }));
    labels.append(svgText(axis.label, x, pad.top - 12, i === axes.length - 1 ? 'start' : 'middle', 12, '#1d2330', axis.title));
    const ticks = axis.values || [lo, hi];
    // the objective's ticks on the right of its axis, clear of the lines that end there
    const last = i === axes.length - 1;
    ticks.forEach(v => labels.append(svgText(fmt(v), last ? x + 6 : x - 6, yOf(axis, v) + 4, last ? 'start' : 'end', 11, '#667085')));
  });
  measured.forEach(t => {
    const points = axes.map((axis, i) => `${xAt(i)},${yOf(axis, axis.values ? t.config[knobs[i].path] : t.objective)}`).join(' ');
    // colour by rank among the feasible runs only: an infeasible run's objective is no standard
    const share = feasibleHi === feasibleLo ? 1 : (t.objective - feasibleLo) / (feasibleHi - feasibleLo);
    const better = maximize ? share : 1 - share;
    const line = svgEl('polyline', { points, fill: 'none', class: t.feasible ? 'pc-line feasible' : 'pc-line infeasible',
      stroke: t.feasible ? `hsl(${Math.round(10 + 120 * better)}, 60%, 40%)` : '#98a2b3',
      'stroke-width': t.feasible ? 2.5 : 1.5, 'stroke-dasharray': t.feasible ? null : '5 4', opacity: 0.9 });
    line.append(svgEl('title', {}, t.title));
    svg.append(line);
  });
  svg.append(labels);
  clear(box, measured.length ? svg : el('div', { class: 'empty' }, 'Nothing measured yet.'));
  if (measured.length) box.append(el('p', { class: 'muted' }, 'Solid lines: feasible, greener is better; dashed grey: infeasible.'));
}

function svgEl(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgText(text, x, y, anchor, size, color, title) {
  const node = svgEl('text', { x, y, 'text-anchor': anchor, 'font-size': size, fill: color }, text);
  if (title) node.append(svgEl('title', {}, title));
  return node;
}
