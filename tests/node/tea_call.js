// Calls actions through the tea SDKs @alicloud/ecs20140526 and @alicloud/vpc20160428
// ("product": "vpc"), unmodified: each through the
// action's own request model and client method, as an application would. Loading the SDK
// takes seconds, so one process answers many calls: one JSON call a line on stdin,
//   {"endpoint": "127.0.0.1:8080", "regionId": "cn-hangzhou", "action": "DescribeRegions",
//    "request": {"acceptLanguage": "en-US"}, "accessKeyId": "...", "accessKeySecret": "...",
//    "signatureAlgorithm": "v2" (optional), "product": "ecs" (default) or "vpc"}
// one JSON outcome a line on stdout, in order:
//   {"ok": true, "statusCode": 200, "body": {...wire names...}}
//   or {"ok": false, "name": ..., "code": ..., "statusCode": ..., "message": ..., "data": {...}}
const readline = require('readline');
const SDKS = { ecs: require('@alicloud/ecs20140526'), vpc: require('@alicloud/vpc20160428') };
const { $OpenApiUtil } = require('@alicloud/openapi-core');

async function answer(call) {
  const Sdk = SDKS[call.product || 'ecs'];
  const client = new Sdk.default(new $OpenApiUtil.Config({
    accessKeyId: call.accessKeyId,
    accessKeySecret: call.accessKeySecret,
    endpoint: call.endpoint,
    protocol: 'http',
    regionId: call.regionId,
    signatureAlgorithm: call.signatureAlgorithm,  // absent: V3 (ACS3-HMAC-SHA256); 'v2': v1 (HMAC-SHA1)
  }));
  const Request = Sdk[`${call.action}Request`];
  const method = call.action.charAt(0).toLowerCase() + call.action.slice(1);
  try {
    const response = await client[method](new Request(call.request || {}));
    return { ok: true, statusCode: response.statusCode, body: response.body.toMap() };
  } catch (err) {
    return { ok: false, name: err.name, code: err.code, statusCode: err.statusCode, message: err.message, data: err.data };
  }
}

async function main() {
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim()) {
      process.stdout.write(JSON.stringify(await answer(JSON.parse(line))) + '\n');
    }
  }
}

main().then(() => process.exit(0));  // a kept-alive socket would hold the process open
