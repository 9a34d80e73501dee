// zoomsim dashboard, Live page: keeps the list of running meetings current from the server's
// event stream (no library, no reload). Every value goes in through textContent or an
// attribute, never as HTML. The markup is the one templates/live_list.html renders.
"use strict";
(() => {
  const root = document.getElementById("live");
  if (!root) return;
  const state = document.getElementById("live-state");
  const base = root.dataset.base;              // /_zoomsim/ui/live
  const csrf = root.dataset.csrf;
  const ROLES = ["attendee", "panelist"];
  let shown = JSON.stringify(JSON.parse(root.dataset.snapshot || "[]"));   // what is on screen

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(key, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function postForm(action, cls, ...fields) {
    return el("form", {method: "post", action: action, class: cls},
      el("input", {type: "hidden", name: "csrf", value: csrf}), ...fields);
  }

  function meetingCard(m) {
    const number = encodeURIComponent(m.number);
    const end = postForm(`${base}/${number}/end`, "inline end-form",
      el("button", {type: "submit", class: "danger", text: "End"}));
    end.dataset.confirm = `End ${m.kind} ${m.number} for everyone in it?`;
    const host = el("dd", {text: m.host_name + (m.host_email ? ` <${m.host_email}>` : "") + " "},
      el("code", {text: m.host_id}));
    const account = el("dd", {}, el("a", {href: base.replace(/\/live$/, "/accounts/") + encodeURIComponent(m.account_id)},
      el("code", {text: m.account_id})));
    const rows = m.participants.map((p) => el("tr", {dataset: {pid: p.id}},
      el("td", {class: "name", text: p.name}), el("td", {text: p.email}), el("td", {text: p.role}),
      el("td", {text: p.join_time}),
      el("td", {class: "actions"}, postForm(`${base}/${number}/participants/${encodeURIComponent(p.id)}/leave`, "inline",
        el("button", {type: "submit", class: "secondary small", text: "Remove"})))));
    if (!rows.length) rows.push(el("tr", {class: "nobody"}, el("td", {colspan: "5", class: "muted", text: "Nobody is in yet."})));
    const table = el("table", {class: "people"},
      el("thead", {}, el("tr", {}, ...["Name", "Email", "Role", "Joined", ""].map((h) => el("th", {text: h})))),
      el("tbody", {}, ...rows));
    const more = m.count > m.participants.length
      ? el("p", {class: "muted small", text: `Showing the first ${m.participants.length} of ${m.count}.`}) : null;
    const role = m.kind === "webinar"
      ? el("label", {text: "Role "}, el("select", {name: "role"}, ...ROLES.map((r) => el("option", {text: r})))) : null;
    const join = postForm(`${base}/${number}/join`, "filters join-form",
      el("label", {text: "Name "}, el("input", {name: "name", autocomplete: "off", placeholder: "Ann Lee"})),
      el("label", {text: "Email "}, el("input", {name: "email", type: "email", autocomplete: "off",
                                                 placeholder: "ann@example.com"})),
      role, el("button", {type: "submit", class: "secondary", text: "Add participant"}));
    return el("section", {class: "card running", dataset: {number: m.number}},
      el("div", {class: "running-head"},
        el("div", {class: "running-name"}, el("span", {class: `badge kind-${m.kind}`, text: m.kind}), " ",
          el("strong", {class: "topic", text: m.topic || "(no topic)"}), " ", el("code", {class: "number", text: m.number})),
        end),
      el("dl", {class: "kv meta"},
        el("dt", {text: "Host"}), host, el("dt", {text: "Account"}), account,
        el("dt", {text: "Started"}), el("dd", {text: m.start_time}),
        el("dt", {text: "In now"}), el("dd", {class: "in-now", text: String(m.count)})),
      table, more, join);
  }

  // What someone is typing in a join form survives a re-render (keyed by meeting and field).
  function typed() {
    const out = {values: {}, focus: null};
    for (const input of root.querySelectorAll(".join-form input[name], .join-form select")) {
      const key = `${input.closest(".running").dataset.number}/${input.name}`;
      out.values[key] = input.value;
      if (input === document.activeElement) out.focus = key;
    }
    return out;
  }

  function restore(saved) {
    for (const input of root.querySelectorAll(".join-form input[name], .join-form select")) {
      const key = `${input.closest(".running").dataset.number}/${input.name}`;
      if (key in saved.values) input.value = saved.values[key];
      if (key === saved.focus) input.focus();
    }
  }

  function render(running) {
    const saved = typed();
    const nodes = [el("p", {class: "muted live-count", text: `${running.length} running`})];
    if (running.length) nodes.push(...running.map(meetingCard));
    else nodes.push(el("p", {class: "card muted empty"},
      "Nothing is running. Start a meeting or webinar above or through the admin API (",
      el("code", {text: "POST /_zoomsim/meetings/{id}/start"}), "); it shows here as it happens."));
    root.replaceChildren(...nodes);
    restore(saved);
  }

  function status(on, text) {
    state.querySelector(".live-dot").classList.toggle("on", on);
    state.querySelector(".text").textContent = text;
  }

  const source = new EventSource(root.dataset.stream);
  source.onopen = () => status(true, "live");
  source.onmessage = (event) => {
    const data = JSON.parse(event.data);
    const text = JSON.stringify(data.running);
    const clock = document.getElementById("sim-now");
    if (clock && data.now) clock.textContent = data.now;
    if (text === shown) return;
    shown = text;
    render(data.running);
  };
  source.onerror = () => {
    // closed after a stream's time is up: EventSource reconnects; CLOSED means it gave up (signed out)
    if (source.readyState === EventSource.CLOSED) status(false, "updates off (reload to sign in again)");
    else status(false, "reconnecting...");
  };
})();
