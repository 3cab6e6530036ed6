'use strict';
// Healthy once start.js has uploaded the seed files (it writes the marker after
// that) and the port takes a connection. A bare TCP connect, not an HTTP
// request, so the probe does not fill s3rver's request log.
const fs = require('fs');
const net = require('net');

const port = Number(process.env.S3_PORT || 4568);
const readyFile = process.env.S3_READY_FILE || '/tmp/s3-ready';

if (!fs.existsSync(readyFile)) process.exit(1);
const sock = net.connect({ host: '127.0.0.1', port });
sock.setTimeout(2000);
sock.on('connect', () => { sock.destroy(); process.exit(0); });
sock.on('timeout', () => { sock.destroy(); process.exit(1); });
sock.on('error', () => process.exit(1));
