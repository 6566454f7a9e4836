// Embeds every Vega-Lite spec on the page (specs travel inline as JSON next to their slot), then sets
// document.body.dataset.ready = "1" so people and tests can tell that all charts have been drawn; makes the
// language switcher act on choice; keeps what assistive technology meets named and reachable (decision 054).
(function () {
  "use strict";

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  // Vega gives a group of marks the role of a graphic symbol; where none of its marks has a description (a map's
  // outlines, an empty layer) the group is an unnamed image to a screen reader. Such groups are hidden: the chart
  // keeps its own label (role="figure", aria-label) and every described mark stays where it is.
  function quietUnnamedMarks(slot) {
    each(slot.querySelectorAll('g[role="graphics-symbol"]:not([aria-label]):not([aria-labelledby])'), function (g) {
      g.setAttribute("aria-hidden", "true");
    });
  }

  // A box that scrolls (a wide table on a phone, a long list beside a map) takes the keyboard focus while it
  // scrolls, so it can be scrolled without a mouse (WCAG 2.1.1); checked again when the window changes size.
  function scrollersFocusable() {
    each(document.querySelectorAll("main div, main section, main table, main ul, main ol, main pre, main aside"), function (box) {
      var style = window.getComputedStyle(box);
      var scrollable = /auto|scroll/.test(style.overflowX + style.overflowY) &&
        (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1);
      if (scrollable && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollFocus = "1";
      } else if (!scrollable && box.dataset.scrollFocus === "1") {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollFocus;
      }
    });
  }

  var pending = false;
  function watchScrollers() {
    scrollersFocusable();
    window.addEventListener("resize", function () {  // at most once a frame while a window is dragged
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; scrollersFocusable(); });
    });
    document.addEventListener("htmx:afterSettle", scrollersFocusable);
  }

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
        quietUnnamedMarks(slot);  // the marks' descriptions come with the data, which is inline: they stay as drawn
        slot.dataset.rendered = "1";
        return result;
      }, function (error) {
        slot.textContent = (slot.dataset.errorText || "This chart could not be drawn:") + " " + error.message;
        slot.classList.add("chart-error");
        throw error;
      });
    });
    Promise.all(jobs).then(function () {
      scrollersFocusable();
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
    watchScrollers();
    embedAll();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
