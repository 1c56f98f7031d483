// The running sum of a grant announcement's rows, shown under its announced total and
// updated as amounts are typed, rows added or removed (news/wagtail_hooks.py adds it).
// Amounts are read as the server reads them (news/forms.py parse_amount); a row whose
// amount cannot be read yet is left out of the sum.
(function () {
  "use strict";
  const UNITS = { msek: 1e6, mkr: 1e6, milj: 1e6, miljon: 1e6, miljoner: 1e6, tkr: 1e3, tsek: 1e3 };
  const CURRENCY = ["sek", "kr", "kronor"];

  function parseAmount(text) {
    let value = text.trim().toLowerCase().replace(/^(sek|kr)\s+/, "").replace(/:-$/, "").trim();
    let multiplier = 1;
    const word = value.match(/^(.*?)\s*([a-zåäö]+)\.?$/);
    if (word) {
      if (UNITS[word[2]]) multiplier = UNITS[word[2]];
      else if (!CURRENCY.includes(word[2])) return null;
      value = word[1];
    }
    value = value.replace(/[\s\u00a0\u202f\u2009]+/g, " ").trim();
    if (/^\d{1,3}([ .]\d{3})+$/.test(value)) return Number(value.replace(/[ .]/g, "")) * multiplier;
    if (/^\d+$/.test(value)) return Number(value) * multiplier;
    if (multiplier > 1 && /^\d+[.,]\d+$/.test(value)) {
      const amount = Math.round(Number(value.replace(",", ".")) * multiplier);
      return Number.isFinite(amount) ? amount : null;
    }
    return null;
  }

  function format(amount) {
    return amount.toLocaleString("sv-SE").replace(/\u00a0/g, " ");
  }

  function rows() {
    return Array.from(document.querySelectorAll('input[name^="grants-"][name$="-amount"]')).filter(
      (input) => {
        const prefix = input.name.slice(0, -"amount".length);
        const deleted = document.querySelector(`input[name="${prefix}DELETE"]`);
        return !(deleted && (deleted.value === "1" || deleted.checked)) && !prefix.includes("__prefix__");
      },
    );
  }

  function update(output, total, template) {
    const sum = rows().reduce((acc, input) => acc + (parseAmount(input.value) || 0), 0);
    const announced = parseAmount(total.value || "");
    output.textContent = template.replace("%(sum)s", format(sum));
    output.classList.toggle("error-message", announced !== null && sum > announced);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const total = document.getElementById("id_total_amount");
    const script = document.querySelector("script[data-grant-sum-label]");
    if (!total || !script) return;
    const output = document.createElement("p");
    output.className = "help";
    output.setAttribute("data-grant-sum", "");
    output.setAttribute("aria-live", "polite");
    total.insertAdjacentElement("afterend", output);
    const refresh = () => update(output, total, script.dataset.grantSumLabel);
    document.addEventListener("input", refresh);
    document.addEventListener("click", () => setTimeout(refresh, 0)); // rows added, deleted
    refresh();
  });
})();
