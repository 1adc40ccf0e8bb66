// The page: loads the API description, then shows one of three views by the address's hash:
//   #/explorer[/Action]   #/errors[?q=text]   #/console[/ResourceId]

import { $, el, initKey } from './ui.mjs';
import * as explorer from './explorer.mjs';
import * as errorCenter from './errors.mjs';
import * as consoleView from './console.mjs';

const VIEWS = { explorer, errors: errorCenter, console: consoleView };
const TITLES = { explorer: 'API Explorer', errors: 'Error center', console: 'Console' };
let current = null;

async function boot() {
  const response = await fetch('/_ecsemu/web/api.json');
  if (!response.ok) throw new Error(`api.json: HTTP ${response.status}`);
  const api = await response.json();
  $('#api-version').textContent = api.products.map((p) => `${p.code.toUpperCase()} API ${p.version}`).join(' · ');
  initKey(api.developmentKey);
  Object.values(VIEWS).forEach((view) => view.init(api));
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = 'true';
}

function route() {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const [head, ...rest] = path.split('/');
  const name = VIEWS[head] ? head : 'explorer';
  if (current && current !== name && VIEWS[current].hide) VIEWS[current].hide();
  current = name;
  for (const view of Object.keys(VIEWS)) $(`#view-${view}`).hidden = view !== name;
  document.querySelectorAll('nav.views a').forEach((a) => {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  const target = decodeURIComponent(rest.join('/'));
  document.title = `${target && name === 'explorer' ? `${target} · ` : ''}${TITLES[name]} · ecsemu`;
  VIEWS[name].show(target, new URLSearchParams(query));
}

boot().catch((error) => {
  document.querySelector('main').replaceChildren(el('p', { class: 'banner' }, `The page could not start: ${error.message}`));
});
