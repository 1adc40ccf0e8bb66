// Parameters: from the explorer's form to the wire, and checked there as the server checks
// them. `check` is a port of Param.parse in src/ecsemu/actions/params.py (same order, same
// wire names, same codes and messages); tests/web compare the two on the same inputs.

const INT32 = [-(2n ** 31n), 2n ** 31n - 1n];
const INT64 = [-(2n ** 63n), 2n ** 63n - 1n];

/** Items typed into a list box: a JSON array as is, else separated by commas or new lines. */
export function splitItems(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    } catch (e) { /* not JSON: split it */ }
  }
  return trimmed.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
}

/**
 * The form's values of one action as the wire sends them, in the parameters' order.
 * `values`: name -> string (scalar, json_array, list), {field: string} (object) or
 * [{field: string}] (object_list).
 */
export function toWire(action, values) {
  const raw = {};
  for (const p of action.params) {
    const v = values[p.name];
    if (v === undefined || v === null) continue;
    if (p.kind === 'scalar') {
      if (v !== '') raw[p.name] = v;
    } else if (p.kind === 'json_array') {
      const text = v.trim();
      if (text.startsWith('[')) raw[p.name] = text;  // sent as typed: the server judges it
      else if (text) raw[p.name] = JSON.stringify(splitItems(text));
    } else if (p.kind === 'list') {
      splitItems(v).forEach((item, i) => { raw[`${p.name}.${i + 1}`] = item; });
    } else if (p.kind === 'object') {
      for (const f of p.fields) if (v[f.name]) memberToWire(raw, `${p.name}.${f.name}`, f, v[f.name]);
    } else if (p.kind === 'object_list') {
      let n = 0;
      for (const entry of v) {
        const filled = p.fields.filter((f) => entry[f.name]);
        if (!filled.length) continue;
        n += 1;
        for (const f of filled) memberToWire(raw, `${p.name}.${n}.${f.name}`, f, entry[f.name]);
      }
    }
  }
  return raw;
}

// A member that is itself a list (TagFilter.N.TagValues) is one wire name an item.
function memberToWire(raw, name, f, value) {
  if (f.kind === 'list') splitItems(value).forEach((item, i) => { raw[`${name}.${i + 1}`] = item; });
  else raw[name] = value;
}

// A member's value for code samples: a list member as an array.
const memberValue = (f, value) => (f.kind === 'list' ? splitItems(value) : value);

/**
 * The same values, structured for code samples: only what is given, lists as arrays.
 * name -> string | string[] | {field: string} | [{field: string}]; a JSON array that does
 * not parse stays its text.
 */
export function structured(action, values) {
  const out = {};
  for (const p of action.params) {
    const v = values[p.name];
    if (v === undefined || v === null) continue;
    if (p.kind === 'scalar') {
      if (v !== '') out[p.name] = v;
    } else if (p.kind === 'json_array' || p.kind === 'list') {
      const text = v.trim();
      if (!text) continue;
      let items = null;
      if (text.startsWith('[')) {
        try { items = JSON.parse(text); } catch (e) { items = null; }
        if (!Array.isArray(items)) items = null;
      }
      out[p.name] = items === null && text.startsWith('[') ? text : (items || splitItems(text)).map(String);
    } else if (p.kind === 'object') {
      const fields = Object.fromEntries(p.fields.filter((f) => v[f.name]).map((f) => [f.name, memberValue(f, v[f.name])]));
      if (Object.keys(fields).length) out[p.name] = fields;
    } else if (p.kind === 'object_list') {
      const entries = v.map((entry) => Object.fromEntries(p.fields.filter((f) => entry[f.name])
        .map((f) => [f.name, memberValue(f, entry[f.name])])))
        .filter((entry) => Object.keys(entry).length);
      if (entries.length) out[p.name] = entries;
    }
  }
  return out;
}

// --- checking, as the server does ---------------------------------------------------------

class Refusal extends Error {
  constructor(error, name) {
    super(error.message.replace(/\{name\}/g, name));
    this.code = error.code;
    this.status = error.status;
    this.wireName = name;
  }
}

/**
 * What the server's parameter parsing would answer for these wire parameters: a list of
 * refusals {param, wireName, code, status, message}, one at most per parameter, in the
 * parameters' order. The server answers the first; an empty list means it would go on.
 */
export function check(action, raw, errors, missing) {
  const found = [];
  for (const p of action.params) {
    try {
      parse(p, raw, '', errors, missing);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      found.push({ param: p.name, wireName: e.wireName, code: e.code, status: e.status, message: e.message });
    }
  }
  return found;
}

function parse(p, raw, prefix, errors, missing) {
  const wireName = prefix + p.name;
  const invalid = (name) => new Refusal(errors[p.invalid], name);
  let value;
  if (p.kind === 'scalar') {
    const text = raw[wireName];
    value = text || (text === '' && p.emptyIsValue) ? convert(p, text, wireName, invalid) : null;
  } else if (p.kind === 'json_array') {
    const text = raw[wireName];
    value = text ? parseJsonArray(p, text, wireName, invalid) : null;
  } else if (p.kind === 'object') {
    value = parseObject(p.fields, raw, `${wireName}.`, errors, missing);
  } else {
    value = parseIndexed(p, raw, wireName, invalid, errors, missing);
  }
  if (value === null) {
    if (p.required) throw new Refusal(errors[p.missing ?? missing], wireName);
    return p.default === undefined ? null : p.default;
  }
  // declared, not emulated: any value but its default is refused
  if (p.unsupported !== undefined && value !== p.default) {
    throw new Refusal(errors[p.unsupported], wireName.slice(0, 128));
  }
  return value;
}

function convert(p, text, wireName, invalid) {
  let value;
  if (p.type === 'Integer' || p.type === 'Long') {
    const [low, high] = p.type === 'Integer' ? INT32 : INT64;
    if (!/^-?[0-9]{1,19}$/.test(text)) throw invalid(wireName);
    value = BigInt(text);
    if (value < low || value > high) throw invalid(wireName);
  } else if (p.type === 'Boolean') {
    const lowered = text.toLowerCase();
    if (lowered !== 'true' && lowered !== 'false') throw invalid(wireName);
    value = lowered === 'true';
  } else if (p.type === 'Float') {
    const cleaned = text.trim().replace(/(\d)_(?=\d)/g, '$1');
    if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf(inity)?|nan)$/i.test(cleaned)) throw invalid(wireName);
    value = Number(cleaned.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
    if (!Number.isFinite(value)) throw invalid(wireName);  // nan, inf, 1e999: refused
  } else {
    value = text;
  }
  if (p.enum && !p.enum.includes(value)) throw invalid(wireName);
  if (p.min !== undefined && value < p.min) throw invalid(wireName);
  if (p.max !== undefined && value > p.max) throw invalid(wireName);
  const length = typeof value === 'string' ? [...value].length : null;
  if (p.minLength !== undefined && length < p.minLength) throw invalid(wireName);
  if (p.maxLength !== undefined && length > p.maxLength) throw invalid(wireName);
  if (p.pattern !== undefined && !new RegExp(`^(?:${p.pattern})$`, 'u').test(value)) throw invalid(wireName);
  return value;
}

function parseJsonArray(p, text, wireName, invalid) {
  let items;
  try { items = JSON.parse(text); } catch (e) { throw invalid(wireName); }
  if (!Array.isArray(items)) throw invalid(wireName);
  checkCount(p, items.length, wireName, invalid);
  // Flat lists of values only; no lone surrogates ("\ud800" escapes), which are not text.
  if (items.some((item) => (item !== null && typeof item === 'object')
                 || (typeof item === 'string' && !item.isWellFormed()))) throw invalid(wireName);
  return items.map((item) => convert(p, pythonStr(item), wireName, invalid));
}

/** Python's str() of a JSON value, as the server turns each item back into text. */
function pythonStr(item) {
  if (typeof item === 'string') return item;
  if (item === null) return 'None';
  if (typeof item === 'boolean') return item ? 'True' : 'False';
  if (typeof item === 'number') return String(item);
  return JSON.stringify(item);
}

function parseIndexed(p, raw, wireName, invalid, errors, missing) {
  const prefix = `${wireName}.`;
  const indices = new Set();
  for (const key of Object.keys(raw)) {
    if (!key.startsWith(prefix)) continue;
    const head = key.slice(prefix.length).split('.')[0];
    if (!/^[0-9]{1,6}$/.test(head) || Number(head) < 1) throw invalid(key);
    indices.add(Number(head));
  }
  if (!indices.size) return null;
  checkCount(p, Math.max(...indices), wireName, invalid);
  const sorted = [...indices].sort((a, b) => a - b);
  const items = p.kind === 'list'
    ? sorted.filter((n) => raw[`${prefix}${n}`]).map((n) => convert(p, raw[`${prefix}${n}`], `${prefix}${n}`, invalid))
    : sorted.map((n) => parseObject(p.fields, raw, `${prefix}${n}.`, errors, missing));
  const present = items.filter((item) => item !== null);
  return present.length ? present : null;
}

function checkCount(p, count, wireName, invalid) {
  if (p.maxItems !== undefined && count > p.maxItems) throw invalid(wireName);
}

function parseObject(fields, raw, prefix, errors, missing) {
  if (!Object.keys(raw).some((key) => key.startsWith(prefix))) return null;
  return Object.fromEntries(fields.map((f) => [f.name, parse(f, raw, prefix, errors, missing)]));
}
