// Calls one action through @alicloud/pop-core, unmodified, and prints the outcome as JSON:
//   node popcore_call.js '{"endpoint": "http://127.0.0.1:8080", "action": "DescribeRegions",
//                          "params": {}, "method": "GET", "accessKeyId": "...", "accessKeySecret": "..."}'
// -> {"ok": true, "result": {...}} or {"ok": false, "name": ..., "code": ..., "data": {...}}
const RPCClient = require('@alicloud/pop-core').RPCClient;

async function main() {
  const call = JSON.parse(process.argv[2]);
  const client = new RPCClient({
    accessKeyId: call.accessKeyId,
    accessKeySecret: call.accessKeySecret,
    endpoint: call.endpoint,
    apiVersion: '2014-05-26',
  });
  try {
    const result = await client.request(call.action, call.params || {}, { method: call.method || 'GET' });
    console.log(JSON.stringify({ ok: true, result }));
  } catch (err) {
    console.log(JSON.stringify({ ok: false, name: err.name, code: err.code, message: err.message, data: err.data }));
  }
}

main();
