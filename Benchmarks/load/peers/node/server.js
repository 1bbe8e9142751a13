'use strict';
// The Node peer of Benchmarks/load/growth.py: the raw `http` module, the same growth endpoints
// as Examples/BenchServer/Growth.swift, validated as the Apus ones are.
// Env: PORT, ROUTES (routes /r{i}/{id}, looked up in a Map by their first segment).

const http = require('node:http');

const port = parseInt(process.env.PORT || '8080', 10);
const routeCount = parseInt(process.env.ROUTES || '0', 10);
const routes = new Map();
for (let i = 0; i < routeCount; i++) routes.set('r' + i, i);
const megabyte = Buffer.alloc(1 << 20, 'x');
const queryNames = Array.from({ length: 100 }, (_, i) => 'p' + i);
const integer = /^[+-]?\d+$/;

function sendJSON(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function invalid(res, what) { sendJSON(res, 422, { error: what }); }

function isItem(item) {
  return item !== null && typeof item === 'object' && typeof item.name === 'string'
    && typeof item.price === 'number' && Array.isArray(item.tags)
    && item.tags.every((tag) => typeof tag === 'string');
}

function documentEndpoint(req, res) {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let doc;
    try { doc = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { return invalid(res, 'invalid JSON'); }
    if (doc === null || typeof doc !== 'object' || !Array.isArray(doc.items)) return invalid(res, 'invalid document');
    const items = [];
    for (const item of doc.items) {
      if (!isItem(item)) return invalid(res, 'invalid item');
      items.push({ name: item.name, price: item.price, tags: item.tags });
    }
    sendJSON(res, 200, { items });
  });
}

function querySum(res, search, count) {
  const params = new URLSearchParams(search);
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const all = params.getAll(queryNames[i]);
    if (all.length === 0) return invalid(res, 'missing ' + queryNames[i]);
    const text = all[all.length - 1];
    if (!integer.test(text)) return invalid(res, queryNames[i] + ' must be an integer');
    sum += parseInt(text, 10);
  }
  sendJSON(res, 200, { count, sum });
}

http.createServer((req, res) => {
  const q = req.url.indexOf('?');
  const path = q === -1 ? req.url : req.url.slice(0, q);
  const search = q === -1 ? '' : req.url.slice(q + 1);
  if (req.method === 'POST' && path === '/growth/document') return documentEndpoint(req, res);
  if (req.method !== 'GET') return sendJSON(res, 404, { detail: 'Not Found' });
  if (path === '/growth/megabyte') {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': megabyte.length });
    return res.end(megabyte);
  }
  if (path === '/growth/query1') return querySum(res, search, 1);
  if (path === '/growth/query10') return querySum(res, search, 10);
  if (path === '/growth/query100') return querySum(res, search, 100);
  const parts = path.slice(1).split('/');
  const index = routes.get(parts[0]);
  if (index === undefined || parts.length !== 2) return sendJSON(res, 404, { detail: 'Not Found' });
  if (!integer.test(parts[1])) return invalid(res, 'id must be an integer');
  sendJSON(res, 200, { count: index, sum: parseInt(parts[1], 10) });
}).listen(port, '127.0.0.1', () => {
  console.log(`node growth peer on 127.0.0.1:${port} routes=${routeCount}`);
});
