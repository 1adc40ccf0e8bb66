// Console: the instances, disks, snapshots, images and key pairs of the account (the key
// above) in one region, with their live statuses and the links between them. It reads
// them with the same signed calls as any client, every second while something is changing.

import { $, el, request, onKeyChange, currentKey } from './ui.mjs';
import * as traffic from './traffic.mjs';

const REGION_STORE = 'ecsemu.region';
const SLOW_POLL = 10000;
const FAST_POLL = 1000;

let api;
let region;
let visible = false;
let timer = null;
let generation = 0;
let focusId = null;          // the resource a link pointed at
let scrollPending = false;   // scroll to it at the next drawing
let state = null;            // the last answers, by kind
const lastStatus = new Map(); // resource ID -> status seen last time, to mark changes

export function init(description) {
  api = description;
  const regions = api.actions.DescribeInstances.params.find((p) => p.name === 'RegionId').enum;
  region = localStorage.getItem(REGION_STORE);
  if (!regions.includes(region)) region = api.defaultRegion;
  const select = $('#console-region');
  select.replaceChildren(...regions.map((r) => el('option', { value: r, selected: r === region }, r)));
  select.addEventListener('change', () => {
    region = select.value;
    try { localStorage.setItem(REGION_STORE, region); } catch (e) { /* private mode */ }
    state = null;
    refresh();
  });
  $('#console-refresh').addEventListener('click', () => refresh());
  onKeyChange(() => { state = null; if (visible) refresh(); });
  $('#reinit-dialog').addEventListener('close', onReinitClosed);
}

export function show(target) {
  visible = true;
  focusId = target || null;
  scrollPending = Boolean(target);
  if (state) focus();
  refresh();
  traffic.start();
}

export function hide() {
  visible = false;
  clearTimeout(timer);
  traffic.stop();
}

// --- reading ---------------------------------------------------------------------------------

function transitional(kind, status) {
  return api.statuses[kind].transitional.includes(status);
}

async function list(action, outer, inner, extra = {}) {
  const pageSize = api.actions[action].params.find((p) => p.name === 'PageSize');
  const size = String((pageSize && pageSize.max) || 10);
  const items = [];
  for (let page = 1; page <= 50; page++) {
    const body = await request(action, { RegionId: region, PageSize: size, PageNumber: String(page), ...extra });
    const found = body[outer][inner];
    items.push(...found);
    if (!found.length || items.length >= body.TotalCount) break;
  }
  return items;
}

async function refresh() {
  clearTimeout(timer);
  const mine = ++generation;
  try {
    const [faults, instances, disks, snapshots, images, keyPairs] = await Promise.all([
      activeFaults(),
      list('DescribeInstances', 'Instances', 'Instance'),
      list('DescribeDisks', 'Disks', 'Disk'),
      list('DescribeSnapshots', 'Snapshots', 'Snapshot'),
      list('DescribeImages', 'Images', 'Image', { ImageOwnerAlias: 'self' }),
      list('DescribeKeyPairs', 'KeyPairs', 'KeyPair'),
    ]);
    if (mine !== generation) return;
    state = { faults, instances, disks, snapshots, images, keyPairs };
    render();
    message(null);
    const changing = [
      ...instances.filter((i) => transitional('instance', i.Status)),
      ...disks.filter((d) => transitional('disk', d.Status)),
      ...snapshots.filter((s) => transitional('snapshot', s.Status)),
      ...images.filter((i) => transitional('image', i.Status)),
    ].length;
    $('#console-status').textContent = `${currentKey().id} · updated ${new Date().toLocaleTimeString()}`
      + (changing ? ` · ${changing} changing, polling every second` : '');
    $('#view-console').dataset.changing = String(changing);
    if (visible) timer = setTimeout(refresh, changing ? FAST_POLL : SLOW_POLL);
  } catch (error) {
    if (mine !== generation) return;
    message(`${error.code}: ${error.message}`);
    if (visible) timer = setTimeout(refresh, SLOW_POLL);
  }
}

// The fault rules that still apply (GET /_ecsemu/faults): every call they match, the
// console's own included, may be struck.
async function activeFaults() {
  const answer = await fetch('/_ecsemu/faults', { headers: { Accept: 'application/json' } });
  if (!answer.ok) return [];  // a --control-token the page does not have: no rules shown
  return (await answer.json()).Rules.filter((rule) => rule.Active);
}

function message(text) {
  const box = $('#console-message');
  box.hidden = !text;
  box.textContent = text || '';
}

// --- drawing --------------------------------------------------------------------------------

const link = (id, label = id) => el('a', { href: `#/console/${encodeURIComponent(id)}`, class: 'rid', title: id }, label);
const rowId = (id) => `res-${id}`;
const none = () => el('span', { class: 'muted' }, '—');

function badge(kind, status, id) {
  const changed = lastStatus.has(id) && lastStatus.get(id) !== status;
  lastStatus.set(id, status);
  const tone = transitional(kind, status) ? 'busy'
    : ['Running', 'In_use', 'Available', 'accomplished'].includes(status) ? 'good'
      : ['failed', 'CreateFailed'].includes(status) ? 'bad' : 'idle';
  return el('span', { class: `status ${tone}${changed ? ' changed' : ''}`, dataset: { status } }, status);
}

function named(id, name) {
  return [el('code', { class: 'id' }, id), name && name !== id ? el('div', { class: 'muted small' }, name) : null];
}

function table(title, kind, headings, rows, emptyText) {
  return el('section', { class: 'resources', id: `table-${kind}` },
    el('h2', {}, title, el('span', { class: 'count' }, String(rows.length))),
    rows.length
      ? el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))), el('tbody', {}, rows))
      : el('p', { class: 'muted empty' }, emptyText));
}

function faultMatch(rule) {
  const parts = [el('code', {}, rule.Action)];
  if (rule.Product) parts.push(el('div', { class: 'muted small' }, `product ${rule.Product}`));
  if (rule.AccountId) parts.push(el('div', { class: 'muted small' }, `account ${rule.AccountId}`));
  if (rule.ResourceId) parts.push(el('div', { class: 'muted small' }, `resource ${rule.ResourceId}`));
  for (const [name, value] of Object.entries(rule.Parameters)) parts.push(el('div', { class: 'muted small' }, `${name}=${value}`));
  return parts;
}

function faultEffect(rule) {
  const parts = [];
  if (rule.Error) parts.push(`${rule.Error.Code} (${rule.Error.HttpStatus})`);
  if (rule.LatencyMs) parts.push(`+${rule.LatencyMs} ms`);
  if (rule.HoldSeconds) parts.push(`hold ${rule.HoldSeconds} s`);
  if (rule.DropConnection) parts.push('drop connection');
  return parts.join(', ');
}

function faultApplies(rule) {
  const when = rule.Probability === null ? 'every match' : `p=${rule.Probability}, seed ${rule.Seed}`;
  return rule.Remaining === null ? `${when}, until cleared` : `${when}, ${rule.Remaining} left`;
}

function render() {
  const { faults, instances, disks, snapshots, images, keyPairs } = state;
  const imageIds = new Set(images.map((i) => i.ImageId));
  const snapshotIds = new Set(snapshots.map((s) => s.SnapshotId));
  const diskIds = new Set(disks.map((d) => d.DiskId));
  const instanceIds = new Set(instances.map((i) => i.InstanceId));
  const imageLink = (id) => (imageIds.has(id) ? link(id) : el('code', { class: 'id long', title: `${id} (a public image)` }, id));
  const where = `in ${region}`;

  const instanceRows = instances.map((i) => el('tr', { id: rowId(i.InstanceId) },
    el('td', {}, named(i.InstanceId, i.InstanceName)),
    el('td', {}, badge('instance', i.Status, i.InstanceId)),
    el('td', { class: 'nowrap' }, i.InstanceType, el('div', { class: 'muted small' }, i.ZoneId)),
    el('td', {}, imageLink(i.ImageId)),
    el('td', {}, linkList(disks.filter((d) => d.InstanceId === i.InstanceId)
      .sort((a, b) => (a.Type === 'system' ? -1 : b.Type === 'system' ? 1 : 0))
      .map((d) => [link(d.DiskId), d.Type === 'system' ? el('span', { class: 'muted small' }, ' system') : null]))),
    el('td', {}, i.KeyPairName ? link(`kp:${i.KeyPairName}`, i.KeyPairName) : none()),
    el('td', { class: 'actions' },
      el('button', { type: 'button', disabled: i.Status !== 'Stopped', dataset: { act: 'start' }, onclick: () => act('StartInstance', { InstanceId: i.InstanceId }) }, 'Start'),
      el('button', { type: 'button', disabled: i.Status !== 'Running', dataset: { act: 'stop' }, onclick: () => act('StopInstance', { InstanceId: i.InstanceId }) }, 'Stop'))));

  const diskRows = disks.map((d) => el('tr', { id: rowId(d.DiskId) },
    el('td', {}, named(d.DiskId, d.DiskName)),
    el('td', {}, badge('disk', d.Status, d.DiskId)),
    el('td', { class: 'nowrap' }, d.Type, el('div', { class: 'muted small' }, d.Category), el('div', { class: 'muted small' }, `${d.Size} GiB`)),
    el('td', {}, d.InstanceId ? [instanceIds.has(d.InstanceId) ? link(d.InstanceId) : el('code', {}, d.InstanceId),
      d.Device ? el('div', { class: 'muted small' }, d.Device) : null] : none()),
    el('td', {}, source(d, imageLink, snapshotIds)),
    el('td', {}, linkList(snapshots.filter((s) => s.SourceDiskId === d.DiskId).map((s) => link(s.SnapshotId)))),
    el('td', { class: 'actions' }, el('button', {
      type: 'button', dataset: { act: 'reinit' }, disabled: d.Status !== 'In_use',
      title: d.Status === 'In_use' ? 'ReInitDisk' : 'ReInitDisk needs the disk In_use (attached)',
      onclick: () => openReinit(d),
    }, 'Re-initialise…'))));

  const snapshotRows = snapshots.map((s) => el('tr', { id: rowId(s.SnapshotId) },
    el('td', {}, named(s.SnapshotId, s.SnapshotName)),
    el('td', {}, badge('snapshot', s.Status, s.SnapshotId), s.Status === 'progressing' ? el('span', { class: 'muted small' }, ` ${s.Progress}`) : null),
    el('td', {}, s.SourceDiskId ? (diskIds.has(s.SourceDiskId) ? link(s.SourceDiskId) : el('code', { title: 'released' }, s.SourceDiskId)) : none(),
      el('div', { class: 'muted small' }, `${s.SourceDiskType} · ${s.SourceDiskSize} GiB`)),
    el('td', {}, linkList(disks.filter((d) => d.SourceSnapshotId === s.SnapshotId).map((d) => link(d.DiskId)))),
    el('td', {}, linkList(images.filter((i) => mappings(i).some((m) => m.SnapshotId === s.SnapshotId)).map((i) => link(i.ImageId)))),
    el('td', { class: 'small' }, s.CreationTime)));

  const imageRows = images.map((i) => el('tr', { id: rowId(i.ImageId) },
    el('td', {}, named(i.ImageId, i.ImageName)),
    el('td', {}, badge('image', i.Status, i.ImageId)),
    el('td', {}, `${i.Size} GiB`, el('div', { class: 'muted small' }, i.OSNameEn || i.Platform)),
    el('td', {}, linkList(mappings(i).filter((m) => m.SnapshotId).map((m) => (snapshotIds.has(m.SnapshotId) ? link(m.SnapshotId) : el('code', {}, m.SnapshotId))))),
    el('td', {}, linkList(instances.filter((x) => x.ImageId === i.ImageId).map((x) => link(x.InstanceId)))),
    el('td', { class: 'small' }, i.CreationTime)));

  const keyPairRows = keyPairs.map((k) => el('tr', { id: rowId(`kp:${k.KeyPairName}`) },
    el('td', {}, el('code', { class: 'id' }, k.KeyPairName)),
    el('td', { class: 'small' }, el('code', {}, k.KeyPairFingerPrint)),
    el('td', {}, linkList(instances.filter((i) => i.KeyPairName === k.KeyPairName).map((i) => link(i.InstanceId)))),
    el('td', { class: 'small' }, k.CreationTime)));

  const faultRows = faults.map((rule) => el('tr', { id: rowId(rule.RuleId), dataset: { rule: rule.RuleId } },
    el('td', {}, el('code', { class: 'id' }, rule.RuleId)),
    el('td', {}, faultMatch(rule)),
    el('td', {}, faultEffect(rule)),
    el('td', { class: 'small' }, faultApplies(rule)),
    el('td', {}, `${rule.Injected} of ${rule.Matches}`)));

  $('#console-tables').replaceChildren(
    ...(faultRows.length ? [table('Fault rules', 'faults', ['Rule', 'Matches', 'Effect', 'Applies', 'Struck'], faultRows, '')] : []),
    table('Instances', 'instances', ['Instance', 'Status', 'Type', 'Image', 'Disks', 'Key pair', ''], instanceRows, `No instance ${where}.`),
    table('Disks', 'disks', ['Disk', 'Status', 'Type', 'Instance', 'Returns to on ReInitDisk', 'Snapshots', ''], diskRows, `No disk ${where}.`),
    table('Snapshots', 'snapshots', ['Snapshot', 'Status', 'Source disk', 'Disks made from it', 'Images', 'Created'], snapshotRows, `No snapshot ${where}.`),
    table('Custom images', 'images', ['Image', 'Status', 'Size', 'Snapshots', 'Instances', 'Created'], imageRows, `No custom image ${where}.`),
    table('Key pairs', 'keypairs', ['Key pair', 'Fingerprint', 'Instances', 'Created'], keyPairRows, `No key pair ${where}.`),
  );
  focus();
}

function mappings(image) {
  return (image.DiskDeviceMappings && image.DiskDeviceMappings.DiskDeviceMapping) || [];
}

function linkList(items) {
  return items.length ? el('div', { class: 'links' }, items.map((item) => el('span', {}, item))) : none();
}

/** What ReInitDisk puts the disk back to, from DescribeDisks' ImageId and SourceSnapshotId. */
function origin(disk) {
  if (disk.Type === 'system') return disk.ImageId ? { kind: 'image', id: disk.ImageId } : { kind: 'no-image' };
  if (disk.SourceSnapshotId) return { kind: 'snapshot', id: disk.SourceSnapshotId };
  return { kind: 'empty' };
}

function source(disk, imageLink, snapshotIds) {
  const o = origin(disk);
  if (o.kind === 'image') return ['image ', imageLink(o.id)];
  if (o.kind === 'snapshot') return ['snapshot ', snapshotIds.has(o.id) ? link(o.id) : el('code', { title: 'deleted' }, o.id)];
  if (o.kind === 'no-image') return el('span', { class: 'muted' }, 'no image');
  return el('span', { class: 'muted' }, 'empty');
}

/** Marks the row of the resource a link pointed at (it stays marked across refreshes). */
function focus() {
  const row = focusId && document.getElementById(rowId(focusId));
  if (!row) return;
  document.querySelectorAll('#console-tables tr.focus').forEach((r) => r.classList.remove('focus'));
  row.classList.add('focus');
  if (scrollPending) row.scrollIntoView({ block: 'center' });
  scrollPending = false;
}

// --- acting ---------------------------------------------------------------------------------

async function act(action, params) {
  try {
    await request(action, params);
    message(null);
  } catch (error) {
    message(`${action}: ${error.code}: ${error.message}`);
  }
  refresh();
}

let reinitDisk = null;

function openReinit(disk) {
  reinitDisk = disk;
  const o = origin(disk);
  const instance = state.instances.find((i) => i.InstanceId === disk.InstanceId);
  const goesBackTo = {
    image: ['the image ', el('code', {}, o.id), ' it was created from'],
    snapshot: ['the snapshot ', el('code', {}, o.id), ' it was created from'],
    empty: [`empty: a blank ${disk.Size} GiB disk, as it was when created`],
    'no-image': ['nothing: this system disk has no image to return to (the emulator will answer InvalidImageId.NotFound)'],
  }[o.kind];
  $('#reinit-title').textContent = `Re-initialise ${disk.Type} disk ${disk.DiskId}?`;
  $('#reinit-body').replaceChildren(
    el('p', { class: 'loss' }, el('strong', {}, 'Everything written to this disk since it was created or last re-initialised will be lost.')),
    el('p', { class: 'origin', dataset: { origin: o.kind } }, 'It returns to ', goesBackTo, '.'),
    el('p', {}, 'Its DiskId, size, category, device and attachment stay; it is ReIniting, then In_use. ',
      disk.Type === 'system' ? 'The instance keeps its password and key pair.' : ''),
    instance
      ? el('p', { class: instance.Status === 'Stopped' ? 'muted' : 'warning' }, 'Attached to ', el('code', {}, instance.InstanceId),
        `, which is ${instance.Status}.`, instance.Status === 'Stopped' ? '' : ' ReInitDisk needs it Stopped: the emulator will answer IncorrectInstanceStatus.')
      : null,
  );
  $('#reinit-autostart').checked = false;
  $('#reinit-autostart').closest('label').hidden = !instance;
  $('#reinit-dialog').returnValue = '';
  $('#reinit-dialog').showModal();
}

function onReinitClosed() {
  const dialog = $('#reinit-dialog');
  if (dialog.returnValue !== 'confirm' || !reinitDisk) return;
  const params = { DiskId: reinitDisk.DiskId };
  if ($('#reinit-autostart').checked) params.AutoStartInstance = 'true';
  reinitDisk = null;
  act('ReInitDisk', params);
}
