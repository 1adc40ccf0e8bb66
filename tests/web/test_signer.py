"""The page's signer (static/signer.mjs), run by node: the documented worked value, the same
strings and signatures as the server's own signing.py, and calls the server accepts."""

from __future__ import annotations

from ecsemu.wire import signing

# The public worked example (DescribeRegions, key testid / testsecret).
DOCUMENTED = {
    "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
    "SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
    "SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
}
DOCUMENTED_SIGNATURE = "OLeaidS1JvxuMvnyHOwuJ+uX5qY="

SIGN = """
import { stringToSign, signature, hmacSha1, canonicalQuery } from './static/signer.mjs';
import { readFileSync } from 'node:fs';
const cases = JSON.parse(readFileSync(0, 'utf8'));
const utf8 = new TextEncoder();
const out = [];
for (const { method, params, secret } of cases) {
  const text = stringToSign(method, params);
  const fallback = btoa(String.fromCharCode(...hmacSha1(utf8.encode(secret + '&'), utf8.encode(text))));
  out.push({ text, query: canonicalQuery(params), webcrypto: await signature(secret, text), fallback });
}
console.log(JSON.stringify(out));
"""


def test_the_documented_signature(node_js):
    [signed] = node_js(SIGN, [{"method": "GET", "params": DOCUMENTED, "secret": "testsecret"}])
    assert signed["webcrypto"] == DOCUMENTED_SIGNATURE
    assert signed["fallback"] == DOCUMENTED_SIGNATURE  # the pure-JS SHA-1 for non-secure pages
    assert signed["text"].startswith("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions")


def test_the_same_strings_and_signatures_as_the_server(node_js):
    awkward = {
        "Action": "DescribeDisks", "DiskName": "a b*c~d/é€😀", "Tag.1.Key": "k=v&w", "Description": "100%",
        "DiskIds": '["d-1", "d-2"]', "Empty": "", "Plus": "+ -_.", "Quote": "it's \"quoted\" (yes)!",
    }
    cases = [
        {"method": "GET", "params": DOCUMENTED, "secret": "testsecret"},
        {"method": "POST", "params": awkward, "secret": "s€cret with spaces"},
        {"method": "GET", "params": {"A": "1", "a": "2", "B.10": "x", "B.9": "y"}, "secret": "x" * 100},
    ]
    for case, signed in zip(cases, node_js(SIGN, cases), strict=True):
        expected = signing.v1_string_to_sign(case["method"], case["params"])
        assert signed["text"] == expected
        assert signed["query"] == signing.canonical_query(case["params"].items())
        assert signed["webcrypto"] == signed["fallback"] == signing.v1_signature(case["secret"], expected)


def test_node_calls_the_emulator_with_the_page_signer(node_js, server):
    answers = node_js("""
    import { signRequest } from './static/signer.mjs';
    import { readFileSync } from 'node:fs';
    const { url, calls } = JSON.parse(readFileSync(0, 'utf8'));
    const out = [];
    for (const c of calls) {
      const signed = await signRequest(c);
      const response = await fetch(`${url}/?${signed.query}`);
      out.push({ status: response.status, body: await response.json() });
    }
    console.log(JSON.stringify(out));
    """, {"url": server.url, "calls": [
        {"action": "DescribeRegions", "params": {"AcceptLanguage": "en-US"}, "keyId": "testid", "secret": "testsecret"},
        {"action": "DescribeZones", "params": {"RegionId": "cn-beijing"}, "keyId": "otherid", "secret": "othersecret"},
        {"action": "DescribeRegions", "keyId": "testid", "secret": "wrong"},
    ]})
    assert answers[0]["status"] == 200 and answers[0]["body"]["Regions"]["Region"][0]["LocalName"] == "China (Hangzhou)"
    assert answers[1]["status"] == 200 and answers[1]["body"]["Zones"]["Zone"][0]["ZoneId"] == "cn-beijing-a"
    assert answers[2]["status"] == 400 and answers[2]["body"]["Code"] == "SignatureDoesNotMatch"
