// Example code for one call, ready to paste: the two Python SDKs, Node's pop-core and the
// aliyun CLI. Built from the action's description (api.json) and the values of the form
// (params.mjs `structured`); the endpoint is the emulator serving the page.

// Where a package names a parameter unlike its usual rule. Only facts about the SDKs are
// kept here (tests/web/test_codegen.py checks them against the installed packages): which
// parameters aliyun-python-sdk-ecs has no setter of the usual name for (they are sent with
// add_query_param), and which alibabacloud-ecs20140526 models lack (they cannot be sent).
export const CORE_NO_SETTER = new Set([
  'CreateInstance.SecurityGroupIds', 'DescribeImages.Usable', 'CreateImage.Features', 'CreateImage.SecureBootOptions',
  'ModifyImageAttribute.Features', 'DescribeInstances.Filter', 'DescribeDisks.Filter', 'DescribeSnapshots.Filter',
  'DescribeDisks.PerformanceLevel', 'ModifyDiskSpec.PerformanceControlOptions',
  'AuthorizeSecurityGroup.Permissions', 'AuthorizeSecurityGroupEgress.Permissions',
  'RevokeSecurityGroup.Permissions', 'RevokeSecurityGroupEgress.Permissions',
  'CreateNetworkInterface.EnablePrimaryIpv6', 'ModifyNetworkInterfaceAttribute.EnablePrimaryIpv6',
  'CreateAutoSnapshotPolicy.regionId', 'CreateAutoSnapshotPolicy.CopyEncryptionConfiguration',
  'CreateAutoSnapshotPolicy.TargetTags', 'CreateAutoSnapshotPolicy.AssociationType',
  'ModifyAutoSnapshotPolicyEx.regionId', 'ModifyAutoSnapshotPolicyEx.CopyEncryptionConfiguration',
  'ModifyAutoSnapshotPolicyEx.TargetTags', 'DeleteAutoSnapshotPolicy.regionId', 'ApplyAutoSnapshotPolicy.regionId',
  'CancelAutoSnapshotPolicy.regionId',
]);
export const TEA_NO_FIELD = new Set(['CreateInstance.SecurityGroupIds']);
// The rule gives vswitch_id; a Python keyword gets a _.
export const TEA_NAMES = {
  VSwitchId: 'v_switch_id', VSwitchName: 'v_switch_name', VSwitchOwnerId: 'v_switch_owner_id', Async: 'async_',
};

/**
 * The names each SDK gives an action's product, from its code and API version alone:
 * Vpc 2016-04-28 -> aliyun-python-sdk-vpc (aliyunsdkvpc.request.v20160428),
 * alibabacloud_vpc20160428, @alicloud/vpc20160428, `aliyun vpc`.
 */
export function sdkNames({ product = 'Ecs', version = '2014-05-26' } = {}) {
  const lower = product.toLowerCase();
  const compact = version.replaceAll('-', '');
  return {
    product, version, host: lower,
    core: `aliyun-python-sdk-${lower}`, coreModule: `aliyunsdk${lower}.request.v${compact}`,
    tea: `alibabacloud_${lower}${compact}`, teaPackage: `alibabacloud-${lower}${compact}`,
    node: `@alicloud/${lower}${compact}`, cli: lower,
  };
}

export const SAMPLES = [
  { id: 'python-core', label: (n) => `Python · ${n.core}`, lang: 'python' },
  { id: 'python-tea', label: (n) => `Python · ${n.teaPackage}`, lang: 'python' },
  { id: 'node', label: () => 'Node.js · @alicloud/pop-core', lang: 'javascript' },
  { id: 'cli', label: () => 'aliyun CLI', lang: 'shell' },
];

/**
 * opts: {host: 'HOST:PORT', scheme: 'http' | 'https', keyId, secret, region (when the call
 * names none)}. Returns {'python-core': text, 'python-tea': text, node: text, cli: text}.
 */
export function samples(action, values, opts) {
  const region = values.RegionId || opts.region;
  const o = { ...opts, region, sdk: sdkNames(action) };
  return {
    'python-core': pythonCore(action, values, o),
    'python-tea': pythonTea(action, values, o),
    node: node(action, values, o),
    cli: cli(action, values, o),
  };
}

// --- literals -------------------------------------------------------------------------------

const INTEGER = /^-?[0-9]+$/;

function typed(type, text) {
  if ((type === 'Integer' || type === 'Long') && INTEGER.test(text)) return { number: BigInt(text).toString() };
  if (type === 'Boolean' && /^(true|false)$/i.test(text)) return { boolean: text.toLowerCase() === 'true' };
  if (type === 'Float' && text.trim() !== '' && Number.isFinite(Number(text))) return { number: String(Number(text)) };
  return { string: text };
}

function py(type, text) {
  const t = typed(type, text);
  if ('number' in t) return t.number;
  if ('boolean' in t) return t.boolean ? 'True' : 'False';
  return JSON.stringify(t.string);
}

function js(type, text) {
  const t = typed(type, text);
  if ('number' in t) return Number.isSafeInteger(Number(t.number)) || type === 'Float' ? t.number : jsString(t.number);
  if ('boolean' in t) return String(t.boolean);
  return jsString(t.string);
}

function jsString(text) {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function jsKey(name) {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : jsString(name);
}

function pyList(items) {
  return `[${items.map((item) => JSON.stringify(item)).join(', ')}]`;
}

function shell(text) {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, "'\\''")}'`;
}

/**
 * snake_case as alibabacloud-ecs20140526 spells names: DiskIds -> disk_ids, KMSKeyId ->
 * kmskey_id, Ipv6Address -> ipv_6address (a break before a capital or a digit that follows
 * a small letter).
 */
export function snake(name) {
  return TEA_NAMES[name] || name.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase();
}

function present(action, values) {
  return action.params.filter((p) => values[p.name] !== undefined);
}

// --- Python: aliyun-python-sdk-core + aliyun-python-sdk-<product> ---------------------------------

function pythonCore(action, values, o) {
  const cls = `${action.name}Request`;
  const lines = [
    'import json',
    '',
    'from aliyunsdkcore.client import AcsClient',
    `from ${o.sdk.coreModule}.${cls} import ${cls}`,
    '',
    `client = AcsClient(${JSON.stringify(o.keyId)}, ${JSON.stringify(o.secret)}, ${JSON.stringify(o.region)})`,
    `client.add_endpoint(${JSON.stringify(o.region)}, ${JSON.stringify(o.sdk.product)}, ${JSON.stringify(o.host)})`,
    '',
    `request = ${cls}()`,
    'request.set_accept_format("json")',
  ];
  if (o.scheme === 'https') lines.push('request.set_protocol_type("https")');
  for (const p of present(action, values)) {
    const v = values[p.name];
    if (p.name === 'RegionId') {
      lines.push(`# RegionId ${JSON.stringify(v)}: the client's region, which the SDK sends`);
      continue;
    }
    const query = CORE_NO_SETTER.has(`${action.key || action.name}.${p.name}`);
    const add = (name, literal) => lines.push(`request.add_query_param(${JSON.stringify(name)}, ${literal})`);
    if (p.kind === 'scalar') {
      if (query) add(p.name, py(p.type, v)); else lines.push(`request.set_${p.name}(${py(p.type, v)})`);
    } else if (p.kind === 'json_array') {
      const literal = Array.isArray(v) ? `json.dumps(${pyList(v)})` : JSON.stringify(v);
      if (query) add(p.name, literal); else lines.push(`request.set_${p.name}(${literal})`);
    } else if (p.kind === 'list') {
      if (query) v.forEach((item, i) => add(`${p.name}.${i + 1}`, py(p.type, item)));
      else lines.push(`request.set_${p.name}s([${v.map((item) => py(p.type, item)).join(', ')}])`);
    } else if (p.kind === 'object') {
      for (const f of p.fields.filter((f) => v[f.name] !== undefined)) {
        if (query) add(`${p.name}.${f.name}`, py(f.type, v[f.name]));
        else lines.push(`request.set_${p.name}${f.name}(${py(f.type, v[f.name])})`);
      }
    } else if (p.kind === 'object_list') {
      if (query) {
        v.forEach((entry, i) => p.fields.filter((f) => entry[f.name] !== undefined)
          .forEach((f) => add(`${p.name}.${i + 1}.${f.name}`, py(f.type, entry[f.name]))));
      } else {
        const entries = v.map((entry) => `{${p.fields.filter((f) => entry[f.name] !== undefined)
          .map((f) => `${JSON.stringify(f.name)}: ${py(f.type, entry[f.name])}`).join(', ')}}`);
        lines.push(`request.set_${p.name}s([${entries.join(', ')}])`);
      }
    }
  }
  lines.push('', 'response = client.do_action_with_exception(request)',
    'print(json.dumps(json.loads(response), indent=2, ensure_ascii=False))');
  return lines.join('\n') + '\n';
}

// --- Python: alibabacloud-<product><version> (V3 signatures) ---------------------------------------

function pythonTea(action, values, o) {
  const model = `${action.name}Request`;
  const args = [];
  const skipped = [];
  for (const p of present(action, values)) {
    const v = values[p.name];
    if (TEA_NO_FIELD.has(`${action.key || action.name}.${p.name}`)) {
      skipped.push(p.name);
      continue;
    }
    const field = snake(p.name);
    if (p.kind === 'scalar') {
      args.push(`${field}=${py(p.type, v)}`);
    } else if (p.kind === 'json_array') {
      args.push(`${field}=${Array.isArray(v) ? `json.dumps(${pyList(v)})` : JSON.stringify(v)}`);
    } else if (p.kind === 'list') {
      args.push(`${field}=[${v.map((item) => py(p.type, item)).join(', ')}]`);
    } else if (p.kind === 'object') {
      args.push(`${field}=${teaObject(`${model}${p.name}`, p.fields, v)}`);
    } else if (p.kind === 'object_list') {
      args.push(`${field}=[\n${v.map((entry) => `        ${teaObject(`${model}${p.name}`, p.fields, entry)},`).join('\n')}\n    ]`);
    }
  }
  const lines = [
    'import json',
    '',
    `from ${o.sdk.tea} import models`,
    `from ${o.sdk.tea}.client import Client`,
    'from alibabacloud_tea_openapi.models import Config',
    '',
    'client = Client(Config(',
    `    access_key_id=${JSON.stringify(o.keyId)},`,
    `    access_key_secret=${JSON.stringify(o.secret)},`,
    `    region_id=${JSON.stringify(o.region)},`,
    `    endpoint=${JSON.stringify(o.host)},`,
    `    protocol=${JSON.stringify(o.scheme)},`,
    '))',
  ];
  for (const name of skipped) {
    lines.push(`# ${name}: models.${model} has no such field in this SDK; it is not sent`);
  }
  if (args.length) {
    lines.push(`request = models.${model}(`, ...args.map((a) => `    ${a},`), ')');
  } else {
    lines.push(`request = models.${model}()`);
  }
  lines.push(`response = client.${snake(action.name)}(request)`,
    'print(json.dumps(response.body.to_map(), indent=2, ensure_ascii=False))');
  return lines.join('\n') + '\n';
}

function teaObject(cls, fields, value) {
  const args = fields.filter((f) => value[f.name] !== undefined).map((f) => `${snake(f.name)}=${py(f.type, value[f.name])}`);
  return `models.${cls}(${args.join(', ')})`;
}

// --- Node.js: @alicloud/pop-core -----------------------------------------------------------

function node(action, values, o) {
  const entries = [];
  for (const p of present(action, values)) {
    const v = values[p.name];
    if (p.kind === 'scalar') {
      entries.push(`${jsKey(p.name)}: ${js(p.type, v)}`);
    } else if (p.kind === 'json_array') {
      entries.push(`${jsKey(p.name)}: ${Array.isArray(v) ? `JSON.stringify([${v.map(jsString).join(', ')}])` : jsString(v)}`);
    } else if (p.kind === 'list') {
      entries.push(`${jsKey(p.name)}: [${v.map((item) => js(p.type, item)).join(', ')}]`);  // sent as Name.1, Name.2, …
    } else if (p.kind === 'object') {
      for (const f of p.fields.filter((f) => v[f.name] !== undefined)) {
        entries.push(`${jsString(`${p.name}.${f.name}`)}: ${js(f.type, v[f.name])}`);
      }
    } else if (p.kind === 'object_list') {
      const items = v.map((entry) => `{ ${p.fields.filter((f) => entry[f.name] !== undefined)
        .map((f) => `${jsKey(f.name)}: ${js(f.type, entry[f.name])}`).join(', ')} }`);
      entries.push(`${jsKey(p.name)}: [${items.join(', ')}]`);  // sent as Name.1.Field, …
    }
  }
  const params = entries.length ? `{\n${entries.map((e) => `  ${e},`).join('\n')}\n}` : '{}';
  return [
    "const RPCClient = require('@alicloud/pop-core').RPCClient;",
    '',
    'const client = new RPCClient({',
    `  accessKeyId: ${jsString(o.keyId)},`,
    `  accessKeySecret: ${jsString(o.secret)},`,
    `  endpoint: ${jsString(`${o.scheme}://${o.host}`)},`,
    `  apiVersion: ${jsString(o.sdk.version)},`,
    '});',
    '',
    `const params = ${params};`,
    '',
    `client.request(${jsString(action.name)}, params, { method: 'POST' }).then((result) => {`,
    '  console.log(JSON.stringify(result, null, 2));',
    '}, (err) => {',
    '  console.error(`${err.code}: ${err.message}`);',
    '  process.exitCode = 1;',
    '});',
  ].join('\n') + '\n';
}

// --- aliyun CLI --------------------------------------------------------------------------------

function cli(action, values, o) {
  const args = [];
  const flag = (name, value) => args.push(`--${name} ${shell(value)}`);
  // A list, at the top or as a member (TagFilter.1.TagValues.1), is one flag an item.
  const value = (name, kind, v) => (kind === 'list' ? v.forEach((item, i) => flag(`${name}.${i + 1}`, item)) : flag(name, v));
  const members = (prefix, fields, v) => fields.filter((f) => v[f.name] !== undefined)
    .forEach((f) => value(`${prefix}.${f.name}`, f.kind, v[f.name]));
  for (const p of present(action, values)) {
    const v = values[p.name];
    if (p.kind === 'json_array') flag(p.name, Array.isArray(v) ? JSON.stringify(v) : v);
    else if (p.kind === 'object') members(p.name, p.fields, v);
    else if (p.kind === 'object_list') v.forEach((entry, i) => members(`${p.name}.${i + 1}`, p.fields, entry));
    else value(p.name, p.kind, v);
  }
  args.push(`--endpoint ${shell(o.host)}${o.scheme === 'http' ? ' --insecure' : ''}`);
  args.push(`--access-key-id ${shell(o.keyId)} --access-key-secret ${shell(o.secret)} --region ${shell(o.region)}`);
  return `aliyun ${o.sdk.cli} ${action.name} \\\n${args.map((a) => `  ${a}`).join(' \\\n')}\n`;
}
