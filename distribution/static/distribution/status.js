// Live status of one distribution: polls the small JSON endpoint and redraws counts, the
// per-prefecture table and the failing channels, without reloading and without any CDN.
(function () {
  "use strict";
  const root = document.getElementById("distribution-status");
  if (!root) return;
  const url = root.dataset.statusUrl;
  const labels = JSON.parse(document.getElementById("distribution-labels").textContent);
  const STATES = ["delivered", "pending", "sending", "failed_retrying", "dead"];

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

  function render(status) {
    root.querySelector('[data-count="total"]').textContent = status.total;
    STATES.forEach((s) => {
      root.querySelector(`[data-count="${s}"]`).textContent = status.counts[s];
    });
    const done = status.total ? (100 * status.counts.delivered) / status.total : 0;
    root.querySelector("[data-progress]").style.width = done.toFixed(1) + "%";
    root.querySelector('[role="progressbar"]').setAttribute("aria-valuenow", status.counts.delivered);
    root.querySelector("[data-as-of]").textContent = new Date(status.as_of).toLocaleString("zh-CN");
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
      const td = cell("td", labels.none);
      td.colSpan = 6;
      tr.appendChild(td);
      failing.appendChild(tr);
    }
    status.failing.forEach((f) => {
      const tr = document.createElement("tr");
      const name = cell("td", "");
      const link = document.createElement("a");
      link.href = f.url;
      link.textContent = f.channel;
      name.appendChild(link);
      if (f.channel_paused) name.appendChild(document.createTextNode(`（${labels.paused}）`));
      tr.appendChild(name);
      tr.appendChild(cell("td", f.region));
      tr.appendChild(cell("td", f.state_display));
      tr.appendChild(cell("td", f.attempts));
      tr.appendChild(cell("td", f.last_error));
      tr.appendChild(cell("td", f.next_attempt_at && new Date(f.next_attempt_at).toLocaleTimeString("zh-CN")));
      failing.appendChild(tr);
    });
    return status.sending_finished && status.counts.pending === 0;
  }

  async function poll() {
    let settled = false;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.ok) settled = render(await response.json());
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    // Fast while deliveries move, slower once everything has settled.
    window.setTimeout(poll, settled ? 15000 : 1500);
  }

  render(JSON.parse(document.getElementById("distribution-status-data").textContent));
  poll();
})();
