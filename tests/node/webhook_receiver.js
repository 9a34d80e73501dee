// A webhook receiver written the way Zoom's Node sample is: parse the body, then verify
// x-zm-signature as HMAC-SHA256(secret, 'v0:' + timestamp + ':' + JSON.stringify(body)), and
// answer endpoint.url_validation with the encrypted token. Prints {"port"} once it listens,
// then one JSON line per request: the event, whether its signature matched, the meeting's
// topic and id (so the test sees what Node read from the body).
'use strict';
const http = require('http');
const crypto = require('crypto');

const secret = process.env.ZOOM_WEBHOOK_SECRET_TOKEN;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const message = 'v0:' + req.headers['x-zm-request-timestamp'] + ':' + JSON.stringify(body);
    const expected = 'v0=' + crypto.createHmac('sha256', secret).update(message).digest('hex');
    const seen = { event: body.event, signature_ok: req.headers['x-zm-signature'] === expected };
    if (body.event === 'endpoint.url_validation') {
      const encryptedToken = crypto.createHmac('sha256', secret).update(body.payload.plainToken).digest('hex');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ plainToken: body.payload.plainToken, encryptedToken }));
    } else {
      seen.topic = body.payload.object.topic;
      seen.id = body.payload.object.id;
      res.writeHead(seen.signature_ok ? 200 : 401);
      res.end();
    }
    process.stdout.write(JSON.stringify(seen) + '\n');
  });
});

server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
