/* plandocs: sort tables marked data-plandocs-sortable by clicking a column header.
   No dependencies; works offline and with Material's instant navigation. */
(function () {
  "use strict";
  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-sort-value");
    if (raw === null) raw = cell.textContent.trim();
    return type === "number" ? parseFloat(raw) || 0 : raw.toLowerCase();
  }
  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var type = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, type), y = cellValue(b, index, type);
      var order = x < y ? -1 : x > y ? 1 : 0;
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setup() {
    document.querySelectorAll("table[data-plandocs-sortable]").forEach(function (table) {
      if (table.getAttribute("data-plandocs-ready")) return;
      table.setAttribute("data-plandocs-ready", "1");
      table.querySelectorAll("th[data-sort]").forEach(function (th) {
        th.setAttribute("tabindex", "0");
        th.addEventListener("click", function () { sortBy(table, th); });
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, th); });
      });
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(setup); } else { document.addEventListener("DOMContentLoaded", setup); }
})();
