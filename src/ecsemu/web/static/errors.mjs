// Error center: every error the emulator can answer (errors.ALL), with its HTTP status,
// message and the actions that answer it; searchable.

import { $, el } from './ui.mjs';

let rows = [];

export function init(api) {
  const entries = api.errors.map((e, index) => ({ ...e, index }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.status - b.status || a.index - b.index));
  const codes = new Set(api.errors.map((e) => e.code)).size;
  $('#errors-summary').textContent = `${api.errors.length} answers under ${codes} codes: every error this emulator can give, `
    + 'with the actions that give it. One code can come with several messages, as the real service words some '
    + 'differently from one action to another; {name} stands for the parameter concerned.';
  rows = entries.map((e) => {
    const row = el('tr', { id: `error-${e.index}` },
      el('td', {}, el('code', { class: 'code' }, e.code)),
      el('td', {}, el('span', { class: `http s${String(e.status)[0]}xx` }, e.status)),
      el('td', { class: 'message' }, message(e.message)),
      el('td', { class: 'raisers' }, el('div', { class: 'links' },
        e.gateway ? el('span', { class: 'tag', title: 'Answered by the gateway, before or around any action' }, 'gateway: any action') : null,
        e.actions.map((name) => el('a', { href: `#/explorer/${name}` }, name)),
        e.gateway || e.actions.length ? null : el('span', { class: 'muted', title: 'Declared, but no action declares it yet' }, '—'))));
    const text = `${e.code} ${e.status} ${e.message} ${e.actions.join(' ')} ${e.gateway ? 'gateway' : ''}`.toLowerCase();
    return { row, text };
  });
  $('#error-table tbody').replaceChildren(...rows.map((r) => r.row));
  $('#error-search').addEventListener('input', filter);
}

function message(text) {
  return text.split(/(\{\w+\})/).map((part) => (/^\{\w+\}$/.test(part) ? el('var', {}, part) : part));
}

export function show(_target, query) {
  const q = query.get('q');
  if (q !== null) $('#error-search').value = q;
  filter();
}

function filter() {
  const words = $('#error-search').value.toLowerCase().split(/\s+/).filter(Boolean);
  let shown = 0;
  for (const { row, text } of rows) {
    const visible = words.every((w) => text.includes(w));
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  $('#errors-none').hidden = shown > 0;
  $('#error-table').dataset.shown = String(shown);
}
