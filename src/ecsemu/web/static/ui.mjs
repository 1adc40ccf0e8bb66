// What the three views share: DOM building, the access key, and one signed call.

import { signRequest } from './signer.mjs';

/** el('a', {href: '#', class: 'x'}, 'text', child…): attributes starting with "on" are listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : String(child));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

// --- the access key, kept in the browser ---------------------------------------------------

const KEY_STORE = 'ecsemu.key';
const listeners = [];
let key = null;

export function initKey(developmentKey) {
  const idInput = $('#key-id');
  const secretInput = $('#key-secret');
  try { key = JSON.parse(localStorage.getItem(KEY_STORE)); } catch (e) { key = null; }
  if (!key || !key.id) key = { ...developmentKey };
  const show = () => { idInput.value = key.id; secretInput.value = key.secret; };
  const changed = () => {
    key = { id: idInput.value.trim(), secret: secretInput.value };
    try { localStorage.setItem(KEY_STORE, JSON.stringify(key)); } catch (e) { /* private mode */ }
    listeners.forEach((fn) => fn(key));
  };
  show();
  idInput.addEventListener('change', changed);
  secretInput.addEventListener('change', changed);
  $('#key-form').addEventListener('submit', (event) => { event.preventDefault(); changed(); });
  $('#key-reset').addEventListener('click', () => {
    key = { ...developmentKey };
    show();
    changed();
  });
}

export const currentKey = () => key;
export const onKeyChange = (fn) => listeners.push(fn);

// --- one call, signed here, sent to the emulator's own "/" ----------------------------------

/**
 * Signs and sends an action as any v1 client would (GET, everything in the query).
 * Returns {ok, status, statusText, headers: [[name, value]], text, json (if JSON), ms, query,
 * stringToSign}; `json` is the parsed body of a JSON answer.
 */
export async function call(action, params = {}, { format = 'JSON', version } = {}) {
  const signed = await signRequest({ action, params, keyId: key.id, secret: key.secret, format, version });
  const started = performance.now();
  const response = await fetch(`/?${signed.query}`, { method: 'GET', cache: 'no-store', credentials: 'omit' });
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  let json = null;
  if ((response.headers.get('content-type') || '').includes('json')) {
    try { json = JSON.parse(text); } catch (e) { json = null; }
  }
  return {
    ok: response.ok,
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers.entries()],
    text,
    json,
    ms,
    query: signed.query,
    stringToSign: signed.stringToSign,
  };
}

/** A call whose failure is an Error carrying the ECS code and message. */
export async function request(action, params) {
  const answer = await call(action, params);
  if (!answer.ok) {
    const body = answer.json || {};
    const error = new Error(body.Message || `HTTP ${answer.status}`);
    error.code = body.Code || `HTTP ${answer.status}`;
    error.status = answer.status;
    throw error;
  }
  return answer.json;
}
