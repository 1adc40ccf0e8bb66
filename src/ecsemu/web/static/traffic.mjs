// The console's traffic chart: RPC calls answered per second and, of them, errors, over
// the last minute. It polls GET /_ecsemu/web/traffic.json (the same counters as
// /_ecsemu/metrics, every server process included) once a second while the console shows.

import { $ } from './ui.mjs';

const POLL = 1000;
const POINTS = 60;          // seconds shown
const WIDTH = 300;
const HEIGHT = 60;
const SVG = 'http://www.w3.org/2000/svg';

let timer = null;
let last = null;            // { at, Requests, Errors } of the previous poll
const rates = [];           // { requests, errors } per second, oldest first

export function start() {
  stop();
  poll();
}

export function stop() {
  clearTimeout(timer);
  timer = null;
}

async function poll() {
  try {
    const response = await fetch('/_ecsemu/web/traffic.json', { cache: 'no-store', credentials: 'omit' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const totals = await response.json();
    const at = performance.now();
    if (last && totals.Requests >= last.Requests) {  // a reset of the counters (a restart) starts over
      const seconds = Math.max((at - last.at) / 1000, 0.001);
      rates.push({ requests: (totals.Requests - last.Requests) / seconds,
        errors: (totals.Errors - last.Errors) / seconds });
      if (rates.length > POINTS) rates.shift();
    }
    last = { at, ...totals };
    draw(totals);
  } catch (error) {
    $('#traffic-figures').textContent = `metrics unavailable: ${error.message}`;
  }
  timer = setTimeout(poll, POLL);
}

function draw(totals) {
  const now = rates.length ? rates[rates.length - 1] : { requests: 0, errors: 0 };
  const figures = $('#traffic-figures');
  figures.dataset.requests = String(totals.Requests);
  figures.dataset.errors = String(totals.Errors);
  figures.textContent = `${now.requests.toFixed(1)} calls/s · ${now.errors.toFixed(1)} errors/s · `
    + `${totals.Requests} calls, ${totals.Errors} errors since the start`;
  const top = Math.max(1, ...rates.map((r) => r.requests));
  const line = (key) => rates.map((r, i) => {
    const x = WIDTH - (rates.length - 1 - i) * (WIDTH / (POINTS - 1));
    const y = HEIGHT - (r[key] / top) * (HEIGHT - 2) - 1;
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  }).join(' ');
  const chart = $('#traffic-chart');
  chart.replaceChildren(polyline('requests', line('requests')), polyline('errors', line('errors')));
  chart.setAttribute('aria-label', `calls per second over the last minute, at most ${top.toFixed(1)}`);
}

function polyline(kind, points) {
  const shape = document.createElementNS(SVG, 'polyline');
  shape.setAttribute('class', kind);
  shape.setAttribute('points', points);
  return shape;
}
