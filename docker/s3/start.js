'use strict';
// Runs s3rver on $S3_ADDRESS:$S3_PORT with its store in $S3_DIR, creates the
// buckets named in $S3_BUCKETS (comma separated) plus one per folder under
// $S3_SEED_DIR, uploads every seed file, then writes a marker that the
// healthcheck waits for. SIGTERM/SIGINT close the server and exit 0 (node is
// PID 1 in the container, so it must handle them itself).
const fs = require('fs');
const path = require('path');
const http = require('http');
const S3rver = require('s3rver');

const address = process.env.S3_ADDRESS || '0.0.0.0';
const port = Number(process.env.S3_PORT || 4568);
const directory = process.env.S3_DIR || '/data';
const seedDir = process.env.S3_SEED_DIR || '/seed';
const readyFile = process.env.S3_READY_FILE || '/tmp/s3-ready';
const silent = (process.env.S3_SILENT || 'false') === 'true';
// s3rver reads a request whose Host is neither an IP nor localhost as
// virtual-host style (Host = bucket name). Clients in a compose stack reach it
// as http://s3:4568 with path-style URLs, so that is off unless asked for.
const vhostBuckets = (process.env.S3_VHOST_BUCKETS || 'false') === 'true';

function seedBuckets() {
  try {
    return fs.readdirSync(seedDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
  } catch (e) {
    return [];
  }
}

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

function put(bucket, key, file) {
  return new Promise((resolve, reject) => {
    const body = fs.readFileSync(file);
    const req = http.request({
      host: '127.0.0.1',
      port,
      method: 'PUT',
      path: '/' + bucket + '/' + key.split('/').map(encodeURIComponent).join('/'),
      headers: { 'Content-Length': body.length },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200
        ? resolve()
        : reject(new Error(`PUT s3://${bucket}/${key}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main() {
  try { fs.unlinkSync(readyFile); } catch (e) { /* not there */ }
  const names = new Set((process.env.S3_BUCKETS || 'imports').split(',').map((s) => s.trim()).filter(Boolean));
  const seeded = seedBuckets();
  seeded.forEach((b) => names.add(b));

  const server = new S3rver({
    address,
    port,
    directory,
    silent,
    vhostBuckets,
    configureBuckets: [...names].map((name) => ({ name, configs: [] })),
  });
  await server.run();
  console.log(`s3rver listening on http://${address}:${port} (dir ${directory}, buckets: ${[...names].join(', ')})`);

  let count = 0;
  for (const bucket of seeded) {
    const root = path.join(seedDir, bucket);
    for (const file of walk(root)) {
      const key = path.relative(root, file).split(path.sep).join('/');
      await put(bucket, key, file);
      count += 1;
    }
  }
  console.log(`seeded ${count} object(s) from ${seedDir}`);
  fs.writeFileSync(readyFile, 'ready\n');

  let stopping = false;
  const stop = (sig) => {
    if (stopping) return;
    stopping = true;
    console.log(`${sig}: closing s3rver`);
    server.close().then(() => process.exit(0), () => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  console.error(`s3rver failed to start: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
