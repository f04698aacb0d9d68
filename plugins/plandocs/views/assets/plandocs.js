/* plandocs: sortable and filterable tables of orders.
   A table marked data-plandocs-sortable sorts by clicking (or Enter on) a column header.
   When its rows carry data-phase, data-owner, data-status and data-priority, a filter bar
   above it narrows the rows; the filters live in the URL query (?phase=CP2&owner=wrk-3),
   so a filtered view can be shared. No dependencies: works offline, with and without
   Material's instant navigation. */
(function () {
  "use strict";
  var FILTERS = [["phase", "Phase"], ["owner", "Owner"], ["status", "Status"], ["priority", "Priority"]];
  var NONE = "-"; // the query value of rows without the field
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function rawValue(row, index) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.getAttribute("data-sort-value");
    return (raw === null ? cell.textContent : raw).trim();
  }
  // Empty cells go last whichever way the column is sorted; numbers compare as numbers,
  // text naturally (ORDER-WRK-9 before ORDER-WRK-10).
  function compare(x, y, type, ascending) {
    if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;
    var order = type === "number" ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : collator.compare(x, y);
    return ascending ? order : -order;
  }
  function sortBy(table, th) {
    var index = Array.prototype.indexOf.call(th.parentNode.cells, th);
    var type = th.getAttribute("data-sort");
    var ascending = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) { return compare(rawValue(a, index), rawValue(b, index), type, ascending); });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function label(key, value) {
    if (value === NONE) return "none";
    return key === "status" ? value.replace(/_/g, " ") : value;
  }
  function rowValue(row, key) {
    return row.getAttribute("data-" + key) || NONE;
  }
  // The values of one field in the table, in the order of their column (by rank for the
  // priority and status), each with its number of rows.
  function valuesOf(table, rows, key) {
    var th = table.querySelector('thead th[data-column="' + key + '"]');
    var index = th ? Array.prototype.indexOf.call(th.parentNode.cells, th) : -1;
    var type = th ? th.getAttribute("data-sort") : "text";
    var seen = {};
    var values = [];
    rows.forEach(function (row) {
      var value = rowValue(row, key);
      if (!seen[value]) {
        seen[value] = { value: value, count: 0, sort: index < 0 ? value : rawValue(row, index) };
        values.push(seen[value]);
      }
      seen[value].count += 1;
    });
    values.sort(function (a, b) { return compare(a.sort, b.sort, type, true) || collator.compare(a.value, b.value); });
    return values;
  }

  function setupFilters(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    if (!rows.length || !rows[0].hasAttribute("data-phase")) return;
    var params = new URLSearchParams(window.location.search);
    var bar = document.createElement("div");
    bar.className = "plandocs-filters";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Filter the orders");
    var selects = [];
    FILTERS.forEach(function (filter) {
      var key = filter[0];
      var values = valuesOf(table, rows, key);
      var wanted = params.get(key);
      if (values.length < 2 && !wanted) return; // nothing to choose between
      var select = document.createElement("select");
      select.name = key;
      select.className = "plandocs-filters__select";
      select.add(new Option("all", ""));
      values.forEach(function (v) { select.add(new Option(label(key, v.value) + " (" + v.count + ")", v.value)); });
      if (wanted) {
        // A shared link may name a value this table lacks: keep it visible, with no rows.
        if (!values.some(function (v) { return v.value === wanted; })) select.add(new Option(label(key, wanted) + " (0)", wanted));
        select.value = wanted;
      }
      var field = document.createElement("label");
      field.className = "plandocs-filters__field";
      field.appendChild(document.createTextNode(filter[1] + " "));
      field.appendChild(select);
      bar.appendChild(field);
      selects.push(select);
    });
    if (!selects.length) return;
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "plandocs-filters__clear";
    clear.textContent = "Clear filters";
    var count = document.createElement("span");
    count.className = "plandocs-filters__count";
    count.setAttribute("aria-live", "polite");
    bar.appendChild(clear);
    bar.appendChild(count);
    table.parentNode.insertBefore(bar, table);

    function apply(updateUrl) {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (s) { return !s.value || rowValue(row, s.name) === s.value; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      var active = selects.some(function (s) { return s.value; });
      clear.hidden = !active;
      count.textContent = shown === rows.length ? rows.length + " orders"
        : shown ? shown + " of " + rows.length + " orders" : "No order matches these filters";
      bar.classList.toggle("plandocs-filters--active", active);
      if (!updateUrl) return;
      var url = new URL(window.location.href);
      selects.forEach(function (s) { if (s.value) url.searchParams.set(s.name, s.value); else url.searchParams.delete(s.name); });
      window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    }
    selects.forEach(function (s) { s.addEventListener("change", function () { apply(true); }); });
    clear.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply(true);
    });
    apply(false);
  }

  function setup() {
    document.querySelectorAll("table[data-plandocs-sortable]").forEach(function (table) {
      if (table.getAttribute("data-plandocs-ready")) return;
      table.setAttribute("data-plandocs-ready", "1");
      table.querySelectorAll("th[data-sort]").forEach(function (th) {
        th.setAttribute("tabindex", "0");
        th.setAttribute("title", "Sort by " + th.textContent.trim().toLowerCase());
        th.addEventListener("click", function () { sortBy(table, th); });
        th.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, th); }
        });
      });
      setupFilters(table);
    });
  }
  // Material's document$ emits on the first load and after each instant navigation.
  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
