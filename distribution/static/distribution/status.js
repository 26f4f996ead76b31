// Live status of one distribution: polls the small JSON endpoint and redraws the status line,
// counts, the per-prefecture table and the failing channels (with their plain-Chinese reason
// and a 重试 button), without reloading and without any CDN.
(function () {
  "use strict";
  const root = document.getElementById("distribution-status");
  if (!root) return;
  const url = root.dataset.statusUrl;
  const canRetry = root.dataset.canRetry === "true";
  const csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  const STATES = ["delivered", "pending", "sending", "failed_retrying", "dead"];
  // Times as the server writes them (Y-m-d H:i:s in the portal's time zone), whatever the
  // browser's own zone.
  const CLOCK = new Intl.DateTimeFormat("zh-CN", {
    timeZone: root.dataset.timeZone || undefined,
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });

  function stamp(iso, timeOnly) {
    const p = {};
    CLOCK.formatToParts(new Date(iso)).forEach((part) => { p[part.type] = part.value; });
    const time = `${p.hour}:${p.minute}:${p.second}`;
    return timeOnly ? time : `${p.year}-${p.month}-${p.day} ${time}`;
  }

  function cell(tag, text) {
    const el = document.createElement(tag);
    el.textContent = text === null || text === undefined ? "—" : String(text);
    return el;
  }

  function regionRow(region, isCounty) {
    const tr = document.createElement("tr");
    tr.className = isCounty ? "county" : "prefecture";
    const th = cell("th", (isCounty ? "└ " : "") + region.name);
    th.scope = "row";
    tr.appendChild(th);
    STATES.forEach((s) => tr.appendChild(cell("td", region.counts[s])));
    return tr;
  }

  function retryForm(row) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = row.retry_url;
    if (csrfInput) form.appendChild(csrfInput.cloneNode());
    const next = document.createElement("input");
    next.type = "hidden";
    next.name = "next";
    next.value = window.location.pathname;
    form.appendChild(next);
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "button button-small button-secondary";
    button.textContent = root.dataset.labelRetry;
    form.appendChild(button);
    return form;
  }

  function failingRow(f) {
    const tr = document.createElement("tr");
    const name = cell("td", "");
    const link = document.createElement("a");
    link.href = f.url;
    link.textContent = f.channel;
    name.appendChild(link);
    if (f.channel_paused) name.appendChild(document.createTextNode(`（${root.dataset.labelPaused}）`));
    tr.appendChild(name);
    tr.appendChild(cell("td", f.region));
    tr.appendChild(cell("td", f.state_display));
    tr.appendChild(cell("td", f.attempts));
    const reason = cell("td", "");
    reason.appendChild(cell("strong", f.failure));
    reason.appendChild(document.createElement("br"));
    reason.appendChild(cell("small", f.advice));
    tr.appendChild(reason);
    tr.appendChild(cell("td", f.next_attempt_at && stamp(f.next_attempt_at, true)));
    const actions = cell("td", "");
    if (canRetry && f.can_retry) actions.appendChild(retryForm(f));
    tr.appendChild(actions);
    return tr;
  }

  function render(status) {
    const when = root.querySelector("[data-status]");
    when.dataset.status = status.status;
    when.className = `distribution-when distribution-when--${status.status}`;
    root.querySelector("[data-status-line]").textContent = status.status_line;
    const cancel = root.querySelector("[data-cancel]");
    if (cancel) cancel.hidden = status.status !== "scheduled";

    root.querySelector('[data-count="total"]').textContent = status.total;
    STATES.forEach((s) => {
      root.querySelector(`[data-count="${s}"]`).textContent = status.counts[s];
    });
    const progress = root.querySelector("progress");
    progress.max = status.total || 1;
    progress.value = status.counts.delivered;
    root.querySelector("[data-as-of]").textContent = stamp(status.as_of);
    root.querySelector("[data-finished]").hidden = !status.sending_finished;

    const regions = root.querySelector("[data-regions]");
    regions.replaceChildren();
    status.prefectures.forEach((p) => {
      regions.appendChild(regionRow(p, false));
      p.counties.forEach((c) => regions.appendChild(regionRow(c, true)));
    });

    const failing = root.querySelector("[data-failing]");
    failing.replaceChildren();
    if (!status.failing.length) {
      const tr = document.createElement("tr");
      const td = cell("td", root.dataset.labelNone);
      td.colSpan = 7;
      tr.appendChild(td);
      failing.appendChild(tr);
    }
    status.failing.forEach((f) => failing.appendChild(failingRow(f)));
    if (status.status === "scheduled") return "waiting";
    if (status.status !== "sent") return "settled";
    return status.sending_finished && status.counts.pending === 0 ? "settled" : "moving";
  }

  // Fast while deliveries move, a little slower while waiting for the scheduled time, slow once
  // everything has settled.
  const DELAYS = { moving: 1500, waiting: 2000, settled: 15000 };

  async function poll() {
    let phase = "moving";
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) phase = render(await response.json());
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, DELAYS[phase]);
  }

  render(JSON.parse(document.getElementById("distribution-status-data").textContent));
  poll();
})();
