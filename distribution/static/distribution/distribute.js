// The distribute form: shows the date-time field only when 定时分发 is chosen, and, as the
// editor ticks prefectures, counties and channels, asks the server how many channels the
// selection reaches (and how many already have the item) before anything is sent.
(function () {
  "use strict";
  const form = document.querySelector("form.distribute-form");
  if (!form) return;

  const at = form.querySelector(".distribute-when__at");
  function showWhen() {
    const chosen = form.querySelector("input[name=when]:checked");
    at.hidden = !chosen || chosen.value !== "at";
  }
  form.querySelectorAll("input[name=when]").forEach((input) => input.addEventListener("change", showWhen));
  showWhen();

  const reach = form.querySelector(".distribute-reach");
  if (!reach) return;
  let latest = 0;

  async function count() {
    const params = new URLSearchParams();
    form.querySelectorAll("input[name=prefectures]:checked, input[name=counties]:checked").forEach((input) => {
      params.append("region", input.value);
    });
    form.querySelectorAll("input[name=channels]:checked").forEach((input) => params.append("channel", input.value));
    const resend = form.querySelector("input[name=resend]");
    if (resend && resend.checked) params.set("resend", "true");
    const ticket = ++latest;
    try {
      const response = await fetch(`${form.dataset.reachUrl}?${params}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok || ticket !== latest) return;
      const figures = await response.json();
      ["channels", "already", "to_send"].forEach((key) => {
        reach.querySelector(`[data-reach="${key}"]`).textContent = figures[key];
      });
    } catch (error) {
      // The count is a help, not a gate: the server checks the selection again on sending.
    }
  }

  form.addEventListener("change", (event) => {
    if (event.target.name !== "when" && event.target.name !== "send_at") count();
  });
  count();
})();
