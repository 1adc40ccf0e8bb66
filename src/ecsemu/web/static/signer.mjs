// Signature v1 (HMAC-SHA1), computed exactly as src/ecsemu/wire/signing.py does, so that
// the page calls the emulator as any client would. A module for the browser and for node.
//
// WebCrypto signs wherever the page is a secure context (https, or http on 127.0.0.1 /
// localhost); on a plain-http address elsewhere the browser offers no crypto.subtle, and
// the small SHA-1 below does the same work.

export const API_VERSION = '2014-05-26';

const UNRESERVED = /^[A-Za-z0-9\-_.~]$/;
const utf8 = new TextEncoder();

/** RFC 3986: unreserved characters stay, every other UTF-8 byte is %XY (upper-case hex). */
export function percentEncode(text) {
  let out = '';
  for (const byte of utf8.encode(String(text))) {
    const char = String.fromCharCode(byte);
    out += byte < 0x80 && UNRESERVED.test(char) ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Sorted by name (then value), `name=value` percent-encoded, joined with '&'. */
export function canonicalQuery(params) {
  const pairs = Object.entries(params).map(([k, v]) => [String(k), String(v)]);
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `GET&%2F&` + the canonical query of every parameter but Signature, encoded again. */
export function stringToSign(method, params) {
  const unsigned = Object.fromEntries(Object.entries(params).filter(([k]) => k !== 'Signature'));
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonicalQuery(unsigned))}`;
}

/** base64(HMAC-SHA1(secret + '&', stringToSign)). */
export async function signature(secret, text) {
  const key = utf8.encode(`${secret}&`);
  const data = utf8.encode(text);
  const subtle = globalThis.crypto && globalThis.crypto.subtle;
  let digest;
  if (subtle) {
    const hmacKey = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
    digest = new Uint8Array(await subtle.sign('HMAC', hmacKey, data));
  } else {
    digest = hmacSha1(key, data);
  }
  return btoa(String.fromCharCode(...digest));
}

/** UTC `YYYY-MM-DDThh:mm:ssZ`. */
export function timestamp(date = new Date()) {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** A fresh random UUID for SignatureNonce. */
export function nonce() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The full signed parameter set of one call: the action's own parameters plus the common
 * ones. Returns {params (Signature included), query (ready for `/?`), stringToSign}.
 * `common` may fix Timestamp and SignatureNonce (tests); otherwise they are fresh.
 */
export async function signRequest({ action, params = {}, keyId, secret, format = 'JSON', method = 'GET', common = {},
  version = API_VERSION }) {
  const all = {
    ...params,
    Action: action,
    Version: version,
    Format: format,
    AccessKeyId: keyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce(),
    Timestamp: timestamp(),
    ...common,
  };
  const text = stringToSign(method, all);
  all.Signature = await signature(secret, text);
  return { params: all, query: canonicalQuery(all), stringToSign: text };
}

// --- SHA-1 and HMAC for pages without crypto.subtle (FIPS 180-4, RFC 2104) --------------

export function sha1(bytes) {
  const length = bytes.length;
  const words = new Uint32Array((((length + 8) >> 6) + 1) * 16);
  for (let i = 0; i < length; i++) words[i >> 2] |= bytes[i] << (24 - (i % 4) * 8);
  words[length >> 2] |= 0x80 << (24 - (length % 4) * 8);
  words[words.length - 1] = length * 8;  // inputs here are far below 2^29 bytes
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Uint32Array(80);
  for (let block = 0; block < words.length; block += 16) {
    for (let t = 0; t < 80; t++) {
      w[t] = t < 16 ? words[block + t] : rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    }
    let [a, b, c, d, e] = h;
    for (let t = 0; t < 80; t++) {
      const f = t < 20 ? (b & c) | (~b & d) : t < 40 ? b ^ c ^ d : t < 60 ? (b & c) | (b & d) | (c & d) : b ^ c ^ d;
      const k = t < 20 ? 0x5a827999 : t < 40 ? 0x6ed9eba1 : t < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const temp = (rotl(a, 5) + f + e + k + w[t]) >>> 0;
      e = d; d = c; c = rotl(b, 30); b = a; a = temp;
    }
    h[0] = (h[0] + a) >>> 0; h[1] = (h[1] + b) >>> 0; h[2] = (h[2] + c) >>> 0;
    h[3] = (h[3] + d) >>> 0; h[4] = (h[4] + e) >>> 0;
  }
  const out = new Uint8Array(20);
  h.forEach((word, i) => { for (let j = 0; j < 4; j++) out[i * 4 + j] = (word >>> (24 - j * 8)) & 0xff; });
  return out;
}

function rotl(x, n) {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

export function hmacSha1(key, data) {
  let k = key.length > 64 ? sha1(key) : key;
  const padded = new Uint8Array(64);
  padded.set(k);
  const inner = new Uint8Array(64 + data.length);
  const outer = new Uint8Array(64 + 20);
  for (let i = 0; i < 64; i++) {
    inner[i] = padded[i] ^ 0x36;
    outer[i] = padded[i] ^ 0x5c;
  }
  inner.set(data, 64);
  outer.set(sha1(inner), 64);
  return sha1(outer);
}
