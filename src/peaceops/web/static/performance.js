// Data-entry grid: spreadsheet keys (Enter / Shift+Enter move down / up in the same column, arrows too),
// and each cell's state from the server's X-Cell-Status header (saved, warning, error).
(function () {
  "use strict";

  function cells(column) {
    return Array.prototype.slice.call(document.querySelectorAll('input.cell[data-col="' + column + '"]'));
  }

  function move(input, step) {
    var list = cells(input.dataset.col);
    var next = list[list.indexOf(input) + step];
    if (next) {
      next.focus();
      next.select();
    } else {
      input.blur();  // the last row: leaving the cell still saves it
      input.focus();
    }
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("cell")) { return; }
    if (event.key === "Enter") {
      event.preventDefault();
      move(input, event.shiftKey ? -1 : 1);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(input, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Escape") {
      input.value = input.defaultValue;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var input = event.detail.elt;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("cell")) { return; }
    var status = event.detail.xhr.getResponseHeader("X-Cell-Status") || "error";
    input.setAttribute("aria-invalid", status === "error" ? "true" : "false");
    input.classList.toggle("saved", status !== "error");
    if (status !== "error") { input.defaultValue = input.value; }
  });
})();
