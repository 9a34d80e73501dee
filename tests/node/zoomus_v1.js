// Zoom's own Node library for API v1 (zoomus 0.1.5) against zoomsim: a webinar's life through
// the library's calls, as an old integration would make them. Prints one JSON line of results.
'use strict';
const http = require('http');
// The library writes its body on the socket's 'connect' event, which a reused keep-alive
// socket never fires again: give it a fresh connection per call, as Node did in 2017.
http.globalAgent = new http.Agent({ keepAlive: false });
const Zoom = require('zoomus');

const zoom = new Zoom({ key: process.env.KEY, secret: process.env.SECRET, protocol: 'http',
  host: '127.0.0.1', port: process.env.PORT, basepath: '/v1/' });
const host = process.env.HOST_ID;
const call = (fn, data) => new Promise((resolve) => fn.call(zoom.webinar, data, resolve));

(async () => {
  const out = {};
  const made = await call(zoom.webinar.create, {
    host_id: host, topic: 'Node v1', type: 9, start_time: '2031-05-04T16:00:00Z', approval_type: 0,
    recurrence: { type: 2, weekly_days: '2,4', end_times: 4 },
    panelists: [{ name: 'Pat', email: 'pat@example.com' }, { name: 'Lee', email: 'lee@example.com' }],
    option_host_video: false,
  });
  out.create = [made.type, made.topic, made.option_host_video, made.recurrence];
  const id = made.id;
  out.get = (await call(zoom.webinar.get, { host_id: host, id })).occurrences.length;
  out.list = (await call(zoom.webinar.listRegistration, { host_id: host })).webinars.map((w) => w.id);
  const reg = await call(zoom.webinar.register, { id, email: 'node@example.com', first_name: 'No', last_name: 'De' });
  out.register = reg.registrant_id;
  out.registrants = (await call(zoom.webinar.listRegistrations, { host_id: host, id, type: 1 })).users.map((u) => u.email);
  out.panelists = (await call(zoom.webinar.listPanelists, { host_id: host, id })).panelists.map((p) => p.email);
  out.update = (await call(zoom.webinar.update, { host_id: host, id, topic: 'Node v1 renamed' })).id;
  out.uuids = (await call(zoom.webinar.getUUID, { host_id: host, id })).webinars;
  out.error = await call(zoom.webinar.get, { id });
  out.delete = (await call(zoom.webinar.delete, { host_id: host, id })).id;
  out.id = id;
  console.log(JSON.stringify(out));
})();
