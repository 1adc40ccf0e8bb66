// API Explorer: the actions by family, one action's parameters as a form checked as the
// server checks them, a Call button that signs and sends it, and example code for the call.

import { $, el, call, currentKey, onKeyChange } from './ui.mjs';
import { check, structured, toWire } from './params.mjs';
import { SAMPLES, samples, sdkNames } from './codegen.mjs';

let api;
let product = null;               // the product whose actions the list shows: a code, Ecs or Vpc
let action = null;                // the action shown
const drafts = new Map();         // action key -> form values, kept while the page lives
const attempted = new Set();      // actions whose Call was pressed: all their refusals show
let sample = SAMPLES[0].id;       // the example shown

export function init(description) {
  api = description;
  product = api.products[0].code;
  const picker = $('#product-picker');
  picker.replaceChildren(...api.products.map((p) => el('option', { value: p.code }, `${p.code.toUpperCase()} API ${p.version}`)));
  picker.addEventListener('change', () => {
    product = picker.value;
    if (action && action.product !== product) location.hash = '#/explorer';
    else { renderList(); if (!action) renderOverview(); }
  });
  $('#action-search').addEventListener('input', renderList);
  onKeyChange(() => { if (action) renderCode(); });
  renderList();
}

export function show(name) {
  action = api.actions[name] || null;
  if (action) product = action.product;
  $('#product-picker').value = product;
  renderList();
  if (action) renderAction(); else renderOverview();
  $('#explorer-content').scrollTop = 0;
}

// --- the list ------------------------------------------------------------------------------

function matches(a, words) {
  const text = `${a.name} ${a.family} ${a.summary}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

function renderList() {
  const words = $('#action-search').value.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = [];
  for (const family of families()) {
    const shown = family.actions.map((n) => api.actions[n]).filter((a) => matches(a, words));
    if (!shown.length) continue;
    groups.push(el('h3', {}, family.name),
      shown.map((a) => el('a', {
        href: `#/explorer/${a.key}`, title: a.summary,
        'aria-current': action && action.key === a.key ? 'page' : null,
      }, a.name)));
  }
  $('#action-list').replaceChildren(...(groups.length ? groups.flat() : [el('p', { class: 'muted' }, 'No action matches.')]));
}

function families() {
  return api.families.filter((family) => family.product === product);
}

function renderOverview() {
  const shown = api.products.find((p) => p.code === product);
  const count = families().reduce((sum, family) => sum + family.actions.length, 0);
  $('#explorer-content').replaceChildren(
    el('div', { class: 'action-head' },
      el('h1', {}, 'API Explorer'),
      el('p', { class: 'summary' }, `${count} actions of ${shown.code.toUpperCase()} API ${shown.version}, answered by this emulator. `,
        'Pick one to see its parameters, call it (signed in this page with the key above, sent to ',
        el('code', {}, location.host), ' as any client would) and get example code for the same call.')),
    el('div', { class: 'families' }, families().map((family) => el('section', { class: 'family-card' },
      el('h2', {}, family.name),
      el('ul', {}, family.actions.map((n) => el('li', {},
        el('a', { href: `#/explorer/${n}` }, api.actions[n].name),
        el('span', { class: 'muted' }, ` ${api.actions[n].summary}`))))))),
  );
}

// --- one action ------------------------------------------------------------------------------

function values() {
  if (!drafts.has(action.key)) {
    const initial = {};
    for (const p of action.params) {
      if (p.kind === 'object') initial[p.name] = {};
      else if (p.kind === 'object_list') initial[p.name] = [];
      else initial[p.name] = p.name === 'RegionId' ? api.defaultRegion : '';
    }
    drafts.set(action.key, initial);
  }
  return drafts.get(action.key);
}

function renderAction() {
  const form = el('form', { class: 'params', id: 'params-form', novalidate: true, onsubmit: onCall },
    action.params.length
      ? el('div', { class: 'param-grid' }, action.params.map(paramRow))
      : el('p', { class: 'muted' }, 'No parameters.'),
    el('div', { class: 'call-bar' },
      el('label', {}, 'Format ', el('select', { id: 'format' }, el('option', {}, 'JSON'), el('option', {}, 'XML'))),
      el('button', { type: 'submit', class: 'primary', id: 'call-button' }, 'Call'),
      el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'skip-checks' }), 'Send even if the checks fail'),
      el('span', { id: 'verdict', class: 'verdict', 'aria-live': 'polite' })));
  const errors = action.errors.map((i) => api.errors[i]);
  $('#explorer-content').replaceChildren(
    el('div', { class: 'action-head' },
      el('span', { class: 'family' }, action.family),
      el('h1', {}, action.name),
      el('p', { class: 'summary' }, action.summary)),
    form,
    el('div', { class: 'panes' },
      el('section', { class: 'pane', id: 'response-pane' }, el('h2', {}, 'Response'),
        el('div', { id: 'response' }, el('p', { class: 'muted' }, 'Not called yet.'))),
      el('section', { class: 'pane', id: 'code-pane' }, el('h2', {}, 'Example code'),
        el('div', { class: 'tabs', role: 'tablist' }, SAMPLES.map((s) => el('button', {
          type: 'button', role: 'tab', dataset: { sample: s.id }, onclick: () => { sample = s.id; renderCode(); },
        }, s.label(sdkNames(action))))),
        el('div', { class: 'code-box' },
          el('button', { type: 'button', class: 'copy', onclick: copyCode }, 'Copy'),
          el('pre', { id: 'code' })))),
    el('section', { class: 'action-errors' },
      el('h2', {}, `Errors it can answer (${errors.length})`),
      el('p', { class: 'muted' }, 'Besides the gateway\'s own (signature, timestamp, version: ',
        el('a', { href: '#/errors?q=gateway' }, 'error center'), ').'),
      el('ul', { class: 'chips' }, errors.map((e) => el('li', {},
        el('a', { href: `#/errors?q=${encodeURIComponent(`${e.code} ${action.name}`)}`, title: e.message },
          el('code', {}, e.code), ` ${e.status}`))))),
  );
  refresh();
}

// One row per parameter: name, input, what it takes. An object's members and a list of
// objects' entries nest in the row, each member with its full wire name.
function paramRow(p) {
  const v = values();
  if (p.kind === 'object') {
    return el('div', { class: 'param group', dataset: { param: p.name } },
      nameCell(p, `${p.name}.*`), infoCell(p),
      el('div', { class: 'members' }, p.fields.map((f) => memberRow(f, `${p.name}.${f.name}`, v[p.name], f.name))),
      el('div', { class: 'perror', hidden: true }));
  }
  if (p.kind === 'object_list') {
    const entries = el('div', { class: 'members' });
    const add = el('button', { type: 'button', class: 'small add', onclick: () => { v[p.name].push({}); draw(); refresh(); } });
    const draw = () => {
      add.textContent = `+ Add ${p.name}.${v[p.name].length + 1}`;
      add.disabled = p.maxItems !== undefined && v[p.name].length >= p.maxItems;
      entries.replaceChildren(...v[p.name].map((entry, i) => el('fieldset', { class: 'entry' },
        el('legend', {}, el('code', {}, `${p.name}.${i + 1}`),
          el('button', { type: 'button', class: 'link', onclick: () => { v[p.name].splice(i, 1); draw(); refresh(); } }, 'remove')),
        p.fields.map((f) => memberRow(f, `${p.name}.${i + 1}.${f.name}`, entry, f.name)))), add);
    };
    draw();
    return el('div', { class: 'param group', dataset: { param: p.name } },
      nameCell(p, `${p.name}.N.*`), infoCell(p), entries, el('div', { class: 'perror', hidden: true }));
  }
  return el('div', { class: 'param', dataset: { param: p.name } },
    nameCell(p, p.kind === 'list' ? `${p.name}.N` : p.name),
    el('div', { class: 'pfield' }, input(p, `p-${p.name}`, v, p.name), el('div', { class: 'perror', hidden: true })),
    infoCell(p));
}

function memberRow(f, wireName, holder, key) {
  return el('div', { class: 'member' },
    el('label', { for: `p-${wireName}` }, el('code', {}, wireName), f.required ? el('span', { class: 'req' }, 'required') : null),
    input(f, `p-${wireName}`, holder, key),
    infoCell(f));
}

function nameCell(p, shownName) {
  return el('div', { class: 'pname' },
    el('label', { for: `p-${p.name}` }, el('code', {}, shownName)),
    p.required ? el('span', { class: 'req' }, 'required') : null);
}

function infoCell(p) {
  return el('div', { class: 'pinfo' }, facts(p), p.description ? el('div', { class: 'desc' }, p.description) : null);
}

/** Type, allowed values, range, default: what the declaration says, in a line. */
function facts(p) {
  const parts = [];
  if (p.kind === 'scalar') parts.push(p.type);
  else if (p.kind === 'json_array') parts.push(`JSON array of ${p.type}`);
  else if (p.kind === 'list') parts.push(`list of ${p.type}`);
  else parts.push(p.kindText);
  if (p.enum && p.enum.length <= 8) parts.push(`one of ${p.enum.join(', ')}`);
  else if (p.enum) parts.push(`one of ${p.enum.length} values`);
  const range = bounds(p.min, p.max);
  if (range) parts.push(range);
  const length = bounds(p.minLength, p.maxLength);
  if (length) parts.push(`length ${length}`);
  if (p.maxItems !== undefined) parts.push(`at most ${p.maxItems} items`);
  if (p.default !== undefined) parts.push(`default ${p.default}`);
  return el('span', { class: 'facts' }, parts.join(' · '));
}

function bounds(low, high) {
  if (low !== undefined && high !== undefined) return `${low}–${high}`;
  if (low !== undefined) return `≥ ${low}`;
  if (high !== undefined) return `≤ ${high}`;
  return '';
}

function input(p, id, holder, key) {
  const update = (event) => {
    holder[key] = event.target.value;
    event.target.closest('.param').dataset.touched = 'true';
    refresh();
  };
  const current = holder[key] || '';
  let control;
  if (p.kind === 'scalar' && (p.enum || p.type === 'Boolean')) {
    const options = p.enum || ['true', 'false'];
    control = el('select', { id, onchange: update },
      el('option', { value: '' }, p.default !== undefined ? `(default: ${p.default})` : '(not set)'),
      options.map((o) => el('option', { value: o, selected: o === current }, o)));
  } else if (p.kind === 'json_array' || p.kind === 'list') {
    control = el('input', {
      id, oninput: update, value: current, spellcheck: 'false',
      placeholder: p.kind === 'json_array' ? 'a, b  or  ["a", "b"]' : 'a, b',
    });
  } else {
    const numeric = p.type === 'Integer' || p.type === 'Long' || p.type === 'Float';
    control = el('input', {
      id, oninput: update, value: current, spellcheck: 'false', inputmode: numeric ? 'numeric' : null,
      placeholder: p.default !== undefined ? String(p.default) : '',
    });
  }
  return control;
}

// --- checks, code, call ----------------------------------------------------------------------

function refresh() {
  const raw = toWire(action, values());
  const refusals = check(action, raw, api.errors, api.missing);
  const v = values();
  document.querySelectorAll('#params-form .bad').forEach((control) => control.classList.remove('bad'));
  document.querySelectorAll('#params-form .param').forEach((row) => {
    // A refusal shows at its parameter once it was edited (or holds a value), or after Call.
    const edited = row.dataset.touched || attempted.has(action.key) || hasValue(v[row.dataset.param]);
    const found = edited && refusals.find((r) => r.param === row.dataset.param);
    row.classList.toggle('invalid', Boolean(found));
    const box = row.querySelector(':scope > .perror, :scope > .pfield > .perror');
    box.hidden = !found;
    box.textContent = found ? `${found.code}: ${found.message}` : '';
    if (found) (document.getElementById(`p-${found.wireName}`) || row.querySelector('input, select')).classList.add('bad');
  });
  const verdict = $('#verdict');
  if (refusals.length) {
    const first = refusals[0];
    verdict.className = 'verdict bad';
    verdict.textContent = `The emulator would answer ${first.status} ${first.code}`;
  } else {
    verdict.className = 'verdict good';
    verdict.textContent = 'Parameters check out';
  }
  renderCode();
  return refusals;
}

function hasValue(value) {
  if (Array.isArray(value)) return value.some(hasValue);
  if (value && typeof value === 'object') return Object.values(value).some(hasValue);
  return Boolean(value);
}

function renderCode() {
  const key = currentKey();
  const code = samples(action, structured(action, values()), {
    host: location.host, scheme: location.protocol.replace(':', ''),
    keyId: key.id, secret: key.secret, region: api.defaultRegion,
  });
  document.querySelectorAll('#code-pane .tabs button').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.sample === sample)));
  const pre = $('#code');
  pre.textContent = code[sample];
  pre.dataset.sample = sample;
}

async function copyCode(event) {
  const text = $('#code').textContent;
  try {
    await navigator.clipboard.writeText(text);
    event.target.textContent = 'Copied';
  } catch (e) {
    getSelection().selectAllChildren($('#code'));
    event.target.textContent = 'Selected: press Ctrl+C';
  }
  setTimeout(() => { event.target.textContent = 'Copy'; }, 1500);
}

async function onCall(event) {
  event.preventDefault();
  attempted.add(action.key);
  const refusals = refresh();
  if (refusals.length && !$('#skip-checks').checked) {
    $('#verdict').textContent = `Not sent: the emulator would answer ${refusals[0].status} ${refusals[0].code}. `
      + 'Fix the marked parameters, or tick "Send even if the checks fail".';
    return;
  }
  const button = $('#call-button');
  button.disabled = true;
  const target = $('#response');
  target.replaceChildren(el('p', { class: 'muted' }, 'Calling…'));
  try {
    const answer = await call(action.name, toWire(action, values()), { format: $('#format').value, version: action.version });
    target.replaceChildren(...responseView(answer));
  } catch (error) {
    target.replaceChildren(el('p', { class: 'banner' }, `The request failed: ${error.message}`));
  } finally {
    button.disabled = false;
  }
}

function responseView(answer) {
  const family = `s${String(answer.status)[0]}xx`;
  const isXml = !answer.json && answer.text.trimStart().startsWith('<');
  return [
    el('div', { class: 'status-line' },
      el('span', { class: `http ${family}`, id: 'response-status' }, `HTTP ${answer.status} ${answer.statusText}`),
      el('span', { class: 'muted' }, `${answer.ms} ms`)),
    el('details', { class: 'request' },
      el('summary', {}, 'Signed request'),
      el('pre', { class: 'wrap' }, `GET /?${answer.query}`),
      el('div', { class: 'muted' }, 'String to sign'),
      el('pre', { class: 'wrap' }, answer.stringToSign)),
    el('details', { class: 'headers', open: true },
      el('summary', {}, `Headers (${answer.headers.length})`),
      el('table', { class: 'kv' }, answer.headers.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))),
    el('pre', { class: 'body', id: 'response-body' },
      answer.json ? highlightJson(JSON.stringify(answer.json, null, 2)) : isXml ? indentXml(answer.text) : answer.text),
  ];
}

/** JSON text with keys, strings, numbers and literals in spans. */
function highlightJson(text) {
  const out = [];
  const token = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
  let last = 0;
  for (const m of text.matchAll(token)) {
    out.push(text.slice(last, m.index));
    if (m[1]) out.push(el('span', { class: m[2] ? 'j-key' : 'j-str' }, m[1]), m[2] || '');
    else out.push(el('span', { class: m[3] ? 'j-lit' : 'j-num' }, m[0]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}

/** The XML answer, one element a line. */
function indentXml(text) {
  let depth = 0;
  return text.replace(/>\s*</g, '>\n<').split('\n').map((line) => {
    if (/^<\//.test(line)) depth = Math.max(depth - 1, 0);
    const out = '  '.repeat(depth) + line;
    if (/^<[^!?/][^>]*[^/]>$/.test(line) && !/<\/[^>]+>$/.test(line)) depth += 1;
    return out;
  }).join('\n');
}
