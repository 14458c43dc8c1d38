// Building DOM nodes from data. Text always goes through textContent, never innerHTML: scenario names,
// notes and metadata are whatever users typed.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    // through the CSSOM: the Content-Security-Policy (style-src 'self') blocks style attributes
    else if (key === 'style') node.style.cssText = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node, ...children) {
  node.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false));
  return node;
}

export function fmt(value) {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    const abs = Math.abs(value);
    const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
    return value.toLocaleString('en-US', { maximumFractionDigits: digits });
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// a chance as the CLI's reasons write it (the domain's Numbers.percent): whole percents in between, one decimal
// near the ends, so 0.13% is not shown as 0% nor 99.7% as certain
export function chance(p) {
  const pct = 100 * p;
  if (pct <= 0) return '0%';
  if (pct >= 100) return '100%';
  if (pct < 0.05) return '<0.1%';
  if (pct > 99.95) return '>99.9%';
  return pct < 0.95 || pct > 99.05 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
}

export function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  const pad = n => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function duration(startIso, endIso) {
  if (!startIso || !endIso) return null;
  const s = (new Date(endIso) - new Date(startIso)) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function statusBadge(status, category) {
  const text = category && status === 'failed' ? `failed: ${category}` : status;
  return el('span', { class: `status ${status}` }, text);
}

export function errorBox(error) {
  return el('div', { class: 'error' }, error.field ? `${error.message} (${error.field})` : error.message);
}

export function toast(text) {
  const box = document.getElementById('toasts');
  const t = el('div', { class: 'toast' }, text);
  box.append(t);
  setTimeout(() => t.remove(), 4000);
  while (box.children.length > 4) box.firstChild.remove();
}

/** The metrics shown first, in the order people read them. */
export const HEADLINE = ['latency_ms', 'latency_p95_ms', 'ttft_ms', 'throughput_tokens_per_sec', 'failure_rate'];

export const UNITS = { ms: 'ms', throughput_tokens_per_sec: 'tok/s', request_throughput: 'req/s', runtime_sec: 's' };

export function unit(metric) {
  if (UNITS[metric]) return UNITS[metric];
  return metric.endsWith('_ms') ? 'ms' : '';
}

/** Lower is better for latencies, times and failures; higher for throughput and accuracy. */
export function higherIsBetter(metric) {
  return metric.includes('throughput') || metric === 'accuracy';
}
