// Embeds every Vega-Lite spec on the page (specs travel inline as JSON next to their slot), then sets
// document.body.dataset.ready = "1" so people and tests can tell that all charts have been drawn; makes the
// language switcher act on choice.
(function () {
  "use strict";

  function embedAll() {
    var slots = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    if (slots.length === 0 || typeof window.vegaEmbed !== "function") {
      document.body.dataset.ready = slots.length === 0 ? "1" : "0";
      return;
    }
    // The page's language for month and day names and number separators (peaceops.i18n.vega_locale).
    var localeNode = document.getElementById("chart-locale");
    var locale = localeNode ? JSON.parse(localeNode.textContent) : null;
    var jobs = slots.map(function (slot) {
      var spec = JSON.parse(document.getElementById(slot.dataset.chart).textContent);
      var options = { actions: false, renderer: slot.dataset.renderer || "svg" };
      if (locale) {
        options.formatLocale = locale.number;
        options.timeFormatLocale = locale.time;
      }
      return window.vegaEmbed(slot, spec, options).then(function (result) {
        slot.dataset.rendered = "1";
        return result;
      }, function (error) {
        slot.textContent = (slot.dataset.errorText || "This chart could not be drawn:") + " " + error.message;
        slot.classList.add("chart-error");
        throw error;
      });
    });
    Promise.all(jobs).then(function () {
      document.body.dataset.ready = "1";
    }, function (error) {
      document.body.dataset.chartError = String(error && error.message || error);
      if (window.console) { window.console.error(error); }
    });
  }

  // The language switcher changes the language as soon as one is chosen; its button stays for pages
  // without JavaScript.
  function languageSwitch() {
    Array.prototype.forEach.call(document.querySelectorAll(".language-switch"), function (form) {
      var select = form.querySelector("select");
      var button = form.querySelector("button");
      if (!select || !button) { return; }
      button.hidden = true;
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  function ready() {
    languageSwitch();
    embedAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
