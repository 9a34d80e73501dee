// Zoom's Node SDK (@zoom/rivet) driving webinars against zoomsim: create, registrants,
// panelists, a poll, session branding with a wallpaper upload (multipart), then end and delete.
// Reads ZS (base URL), ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET and WALLPAPER (a PNG path); prints
// one JSON object of what came back, for the Python test to check.
import fs from "node:fs";
import { MeetingsS2SAuthClient } from "@zoom/rivet/meetings";

const { ZS, ACCOUNT_ID, CLIENT_ID, CLIENT_SECRET, WALLPAPER } = process.env;
// The SDK's token URL is fixed to zoom.us: fetch a zoomsim token and hand it over in a store.
const res = await fetch(`${ZS}/oauth/token?grant_type=account_credentials&account_id=${ACCOUNT_ID}`, {
  method: "POST",
  headers: { Authorization: "Basic " + Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64") },
});
const { access_token, expires_in, scope } = await res.json();
const tokenStore = {
  getLatestToken: () => ({ accessToken: access_token, scopes: scope.split(" "),
    expirationTimeIso: new Date(Date.now() + expires_in * 1000).toISOString() }),
  storeToken: () => {},
};
const client = new MeetingsS2SAuthClient({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, accountId: ACCOUNT_ID,
  tokenStore, baseUrl: `${ZS}/v2`, disableReceiver: true });
const w = client.endpoints.webinars;
const out = {};

const made = await w.createWebinar({ path: { userId: "me" }, body: {
  topic: "Rivet launch", type: 5, start_time: "2031-06-01T16:00:00Z", duration: 45,
  settings: { approval_type: 0, enable_session_branding: true } } });
out.create = [made.statusCode, made.data.type, made.data.topic];
const webinarId = made.data.id;
out.get = (await w.getWebinar({ path: { webinarId } })).data.topic;
const reg = await w.addWebinarRegistrant({ path: { webinarId },
  body: { email: "rivet.guest@example.com", first_name: "Riv", last_name: "Et" } });
out.register = [reg.statusCode, Boolean(reg.data.join_url)];
out.registrants = (await w.listWebinarRegistrants({ path: { webinarId } })).data.registrants.map((r) => r.email);
const added = await w.addPanelists({ path: { webinarId },
  body: { panelists: [{ name: "Pat Panel", email: "rivet.pat@example.com" }] } });
out.panelists_added = added.statusCode;
out.panelists = (await w.listPanelists({ path: { webinarId } })).data.panelists.map((p) => p.name);
const poll = await w.createWebinarsPoll({ path: { webinarId }, body: { title: "Ready?",
  questions: [{ name: "Ready?", type: "single", answers: ["Yes", "No"] }] } });
out.poll = poll.statusCode;
const up = await w.uploadWebinarsBrandingWallpaper({ path: { webinarId }, body: { file: fs.createReadStream(WALLPAPER) } });
out.upload = [up.statusCode, up.data.name, up.data.id];
out.branding = (await w.getWebinarsSessionBranding({ path: { webinarId } })).data;
try {
  await w.getWebinar({ path: { webinarId: 1 } });
  out.missing = "no error";
} catch (err) {
  out.missing = err.message;
}
out.delete = (await w.deleteWebinar({ path: { webinarId } })).statusCode;
console.log(JSON.stringify(out));
