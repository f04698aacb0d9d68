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
  // A row's data-phase lists every phase the order counts in (CP2-LC and CP2): the filter
  // counts what the phase pages count. The other fields hold one value.
  var MULTI = { phase: true };
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
  function rowValues(row, key) {
    var raw = (row.getAttribute("data-" + key) || "").trim();
    if (!raw) return [NONE];
    return MULTI[key] ? raw.split(/\s+/) : [raw];
  }
  function plural(n, noun) { return n + " " + noun + (n === 1 ? "" : "s"); }
  // The values of one field in the table, in the order of their column (by rank for the
  // priority and status), each with its number of rows.
  function valuesOf(table, rows, key) {
    var th = table.querySelector('thead th[data-column="' + key + '"]');
    var index = th ? Array.prototype.indexOf.call(th.parentNode.cells, th) : -1;
    var type = th ? th.getAttribute("data-sort") : "text";
    var seen = {};
    var values = [];
    rows.forEach(function (row) {
      rowValues(row, key).forEach(function (value) {
        if (!seen[value]) {
          var sort = index < 0 || MULTI[key] ? value : rawValue(row, index);
          seen[value] = { value: value, count: 0, sort: value === NONE ? "" : sort };
          values.push(seen[value]);
        }
        seen[value].count += 1;
      });
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
    var box = table.closest(".plandocs-scroll") || table;
    box.parentNode.insertBefore(bar, box);

    function apply(updateUrl) {
      var shown = 0;
      rows.forEach(function (row) {
        var match = selects.every(function (s) { return !s.value || rowValues(row, s.name).indexOf(s.value) >= 0; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      var active = selects.some(function (s) { return s.value; });
      clear.hidden = !active;
      count.textContent = shown === rows.length ? plural(rows.length, "order")
        : shown ? shown + " of " + plural(rows.length, "order") : "No order matches these filters";
      updateHints();
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

  // A table wider than the column scrolls in its box (.plandocs-scroll): say so above it,
  // and only then, as the width of the window and the rows shown change what fits.
  function updateHints() {
    // a generated table outside a .plandocs-scroll box is its own scroll box (plandocs.css)
    var boxes = document.querySelectorAll(
      ".plandocs-scroll, table.plandocs-table:not(.plandocs-scroll table), table.plandocs-rollup:not(.plandocs-scroll table)");
    boxes.forEach(function (box) {
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("plandocs-scroll__hint")) {
        hint = document.createElement("p");
        hint.className = "plandocs-scroll__hint";
        hint.textContent = "Wider than the page: scroll the table sideways to see every column.";
        box.parentNode.insertBefore(hint, box);
      }
      hint.hidden = box.scrollWidth <= box.clientWidth + 1;
    });
  }
  var resizeQueued = false;
  window.addEventListener("resize", function () {
    if (resizeQueued) return;
    resizeQueued = true;
    window.requestAnimationFrame(function () { resizeQueued = false; updateHints(); });
  });

  // ---- Diagrams: readable size, pan and zoom, full view, focus on one order ----------
  // A diagram is never shown with text below READABLE px: one that would shrink further to
  // fit the column keeps a readable scale in a viewport that scrolls (drag, wheel, touch,
  // keys). "Full size" opens it over the page; there a click on an order, or its ID typed
  // in the box, highlights what it depends on and what waits for it, and fades the rest.
  var READABLE = 10.5; // px: the smallest text a diagram starts with
  var COMFORTABLE = 13; // px: the largest, so that text is about the same size on every diagram
  var ZOOM_STEP = 1.25;

  function textOf(el) { return el ? el.textContent.trim() : ""; }
  // The smallest font size of the SVG's text, in SVG units (Graphviz writes font-size).
  function smallestFont(svg) {
    var least = Infinity;
    svg.querySelectorAll("text").forEach(function (t) {
      var size = parseFloat(t.getAttribute("font-size"));
      if (size > 0 && size < least) least = size;
    });
    return least === Infinity ? 14 : least;
  }
  function edgesOf(svg) {
    var out = [];
    svg.querySelectorAll("g.edge").forEach(function (g) {
      var ends = textOf(g.querySelector("title")).split("->");
      if (ends.length === 2) out.push({ from: ends[0], to: ends[1], el: g });
    });
    return out;
  }
  function nodesOf(svg) {
    var out = {};
    svg.querySelectorAll("g.node").forEach(function (g) { out[textOf(g.querySelector("title"))] = g; });
    return out;
  }
  // Every node reached from ``id`` along ``step`` (towards blockers or waiting orders).
  function reach(edges, id, forward) {
    var seen = {}, todo = [id];
    while (todo.length) {
      var at = todo.pop();
      edges.forEach(function (e) {
        var from = forward ? e.from : e.to, to = forward ? e.to : e.from;
        if (from === at && !seen[to]) { seen[to] = true; todo.push(to); }
      });
    }
    return seen;
  }
  function focusOn(box, id) {
    var svg = box.svg, nodes = nodesOf(svg), edges = edgesOf(svg);
    var clear = !id || !nodes[id];
    box.root.classList.toggle("plandocs-focusing", !clear);
    box.focused = clear ? null : id;
    var near = clear ? {} : Object.assign({}, reach(edges, id, true), reach(edges, id, false));
    Object.keys(nodes).forEach(function (n) {
      var g = nodes[n];
      g.classList.toggle("plandocs-focus", !clear && n === id);
      g.classList.toggle("plandocs-near", !clear && n !== id && !!near[n]);
      g.classList.toggle("plandocs-faded", !clear && n !== id && !near[n]);
    });
    edges.forEach(function (e) {
      var on = !clear && (e.from === id || near[e.from]) && (e.to === id || near[e.to]);
      e.el.classList.toggle("plandocs-near", on);
      e.el.classList.toggle("plandocs-faded", !clear && !on);
    });
    if (box.status) {
      box.status.textContent = clear ? (id ? "No order " + id + " in this diagram" : "")
        : Object.keys(near).length + " orders linked to " + id;
    }
  }

  function setScale(box, scale, cx, cy) {
    var view = box.view, old = box.scale;
    var x = (view.scrollLeft + (cx === undefined ? view.clientWidth / 2 : cx)) / old;
    var y = (view.scrollTop + (cy === undefined ? view.clientHeight / 2 : cy)) / old;
    box.scale = Math.max(box.least * 0.1, Math.min(scale, 8));
    box.svg.setAttribute("width", (box.width * box.scale).toFixed(1) + "px");
    box.svg.setAttribute("height", (box.height * box.scale).toFixed(1) + "px");
    view.scrollLeft = x * box.scale - (cx === undefined ? view.clientWidth / 2 : cx);
    view.scrollTop = y * box.scale - (cy === undefined ? view.clientHeight / 2 : cy);
    box.root.classList.toggle("plandocs-diagram--scrolls", view.scrollWidth > view.clientWidth + 1);
  }
  // The scale a diagram starts with: fit the viewport, unless that makes text unreadable.
  function startScale(box) {
    var fit = Math.min(box.view.clientWidth / box.width, box.full ? box.view.clientHeight / box.height : Infinity);
    return Math.max(Math.min(fit, COMFORTABLE / box.font), box.least);
  }
  function button(text, label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "plandocs-diagram__button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function setupDiagram(root) {
    var svg = root.querySelector(":scope > svg");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal || !svg.viewBox.baseVal.width) return;
    var vb = svg.viewBox.baseVal;
    var view = document.createElement("div");
    view.className = "plandocs-diagram__view";
    view.tabIndex = 0;
    view.setAttribute("role", "group");
    view.setAttribute("aria-label", "Diagram: drag or use the arrow keys to move, + and - to zoom, 0 to reset");
    root.insertBefore(view, svg);
    view.appendChild(svg);
    root.classList.add("plandocs-diagram--ready");
    var box = { root: root, svg: svg, view: view, width: vb.width, height: vb.height, scale: 1,
      font: smallestFont(svg), least: 1, full: false, focused: null };
    box.least = READABLE / box.font;
    root.plandocsBox = box;
    svg.style.maxWidth = "none";

    var bar = document.createElement("div");
    bar.className = "plandocs-diagram__bar";
    var find = document.createElement("input");
    find.type = "search";
    find.className = "plandocs-diagram__find";
    find.placeholder = "Focus an order ID";
    find.setAttribute("aria-label", "Focus an order: its ID");
    var ids = Object.keys(nodesOf(svg)).sort();
    var list = document.createElement("datalist");
    list.id = "plandocs-ids-" + Math.random().toString(36).slice(2);
    ids.forEach(function (id) { var o = document.createElement("option"); o.value = id; list.appendChild(o); });
    find.setAttribute("list", list.id);
    find.addEventListener("input", function () {
      var wanted = find.value.trim().toUpperCase();
      var match = ids.filter(function (id) { return id.toUpperCase() === wanted; })[0]
        || (wanted.length > 2 ? ids.filter(function (id) { return id.toUpperCase().indexOf(wanted) >= 0; }) : []).slice(0, 2).filter(function (_, i, all) { return all.length === 1; })[0];
      focusOn(box, match || (wanted ? wanted : null));
    });
    var status = document.createElement("span");
    status.className = "plandocs-diagram__status";
    status.setAttribute("aria-live", "polite");
    box.status = status;
    var full = button("Full size", "Open the diagram full size", function () { toggleFull(box); });
    bar.appendChild(find);
    bar.appendChild(list);
    bar.appendChild(button("\u2212", "Zoom out", function () { setScale(box, box.scale / ZOOM_STEP); }));
    bar.appendChild(button("+", "Zoom in", function () { setScale(box, box.scale * ZOOM_STEP); }));
    bar.appendChild(button("Reset", "Reset the zoom", function () { setScale(box, startScale(box)); }));
    bar.appendChild(full);
    bar.appendChild(status);
    box.fullButton = full;
    root.insertBefore(bar, view);
    setScale(box, startScale(box));

    view.addEventListener("keydown", function (e) {
      if (e.target !== view) return;
      var move = { ArrowLeft: [-40, 0], ArrowRight: [40, 0], ArrowUp: [0, -40], ArrowDown: [0, 40] }[e.key];
      if (move) { view.scrollLeft += move[0]; view.scrollTop += move[1]; }
      else if (e.key === "+" || e.key === "=") setScale(box, box.scale * ZOOM_STEP);
      else if (e.key === "-") setScale(box, box.scale / ZOOM_STEP);
      else if (e.key === "0") setScale(box, startScale(box));
      else if (e.key === "Escape" && box.full) toggleFull(box);
      else return;
      e.preventDefault();
    });
    // The wheel zooms in the full view, or with Ctrl/Cmd; otherwise it scrolls the page.
    view.addEventListener("wheel", function (e) {
      if (!box.full && !e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      var r = view.getBoundingClientRect();
      setScale(box, box.scale * (e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    var drag = null;
    view.addEventListener("pointerdown", function (e) {
      if (e.pointerType !== "mouse" || e.button !== 0) return; // touch scrolls natively
      drag = { x: e.clientX, y: e.clientY, left: view.scrollLeft, top: view.scrollTop, moved: false };
    });
    window.addEventListener("pointermove", function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      if (drag.moved) { view.scrollLeft = drag.left - dx; view.scrollTop = drag.top - dy; view.classList.add("plandocs-dragging"); }
    });
    window.addEventListener("pointerup", function () {
      if (drag && drag.moved) box.dragged = true;
      drag = null;
      view.classList.remove("plandocs-dragging");
    });
    // Two fingers pinch to zoom; one finger scrolls as usual (touch-action: pan-x pan-y).
    var pinch = null;
    function spread(t) { return Math.hypot(t[0].clientX - t[1].clientX, t[0].clientY - t[1].clientY); }
    view.addEventListener("touchstart", function (e) {
      if (e.touches.length === 2) pinch = { d: spread(e.touches), scale: box.scale };
    }, { passive: true });
    view.addEventListener("touchmove", function (e) {
      if (!pinch || e.touches.length !== 2) return;
      e.preventDefault();
      var r = view.getBoundingClientRect();
      var cx = (e.touches[0].clientX + e.touches[1].clientX) / 2 - r.left;
      var cy = (e.touches[0].clientY + e.touches[1].clientY) / 2 - r.top;
      setScale(box, pinch.scale * spread(e.touches) / pinch.d, cx, cy);
    }, { passive: false });
    view.addEventListener("touchend", function () { pinch = null; });
    // In the full view a click on an order focuses it; a second click follows its link.
    // A drag that ends on a node is not a click.
    svg.addEventListener("click", function (e) {
      if (box.dragged) { box.dragged = false; e.preventDefault(); return; }
      if (!box.full || e.ctrlKey || e.metaKey || e.shiftKey || e.detail === 0) return;
      var node = e.target.closest ? e.target.closest("g.node") : null;
      if (!node) { focusOn(box, null); return; }
      var id = textOf(node.querySelector("title"));
      if (box.focused === id) return; // follow the link
      e.preventDefault();
      find.value = id;
      focusOn(box, id);
    });
  }

  function toggleFull(box) {
    box.full = !box.full;
    box.root.classList.toggle("plandocs-diagram--full", box.full);
    document.documentElement.classList.toggle("plandocs-noscroll", box.full);
    box.fullButton.textContent = box.full ? "Close" : "Full size";
    box.fullButton.setAttribute("aria-label", box.full ? "Close the full view (Esc)" : "Open the diagram full size");
    setScale(box, startScale(box));
    box.view.focus();
  }
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    var open = document.querySelector(".plandocs-diagram--full");
    if (open && open.plandocsBox) toggleFull(open.plandocsBox);
  });

  function setupDiagrams() {
    document.querySelectorAll(".plandocs-diagram").forEach(function (root) {
      if (root.getAttribute("data-plandocs-ready")) return;
      root.setAttribute("data-plandocs-ready", "1");
      setupDiagram(root);
    });
  }

  function setup() {
    setupDiagrams();
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
    updateHints();
  }
  // A bare ID typed into the search box opens with Enter at its permanent address (id/ID/),
  // which leads to the order's page or its section of a summary. Material's search splits
  // IDs at hyphens, so another order's page can outrank a summary's section. The address is
  // asked for (HEAD) while the writer types; until it answers, Enter is Material's.
  var SITE = (function () {
    var script = document.currentScript;
    var found = script && /^(.*\/)assets\/plandocs\/plandocs\.js(?:[?#].*)?$/.exec(script.src);
    return found ? found[1] : null;
  })();
  var ID_SHAPE = /^[\w.~+@=,]+(?:-[\w.~+@=,]+)+$/;
  var addresses = {}; // address -> true once it answered 200
  function idAddresses(value) {
    var id = value.trim();
    if (!SITE || !ID_SHAPE.test(id)) return [];
    var ids = id === id.toUpperCase() ? [id] : [id, id.toUpperCase()];
    // id/ID/ on a site of directory URLs, id/ID.html without them (use_directory_urls)
    return ids.reduce(function (all, each) {
      return all.concat([SITE + "id/" + each + "/", SITE + "id/" + each + ".html"]);
    }, []);
  }
  function isSearchBox(target) {
    return target && target.matches && target.matches("input.md-search__input");
  }
  document.addEventListener("input", function (event) {
    if (!isSearchBox(event.target) || !window.fetch) return;
    idAddresses(event.target.value).forEach(function (address) {
      if (address in addresses) return;
      addresses[address] = false;
      fetch(address, { method: "HEAD" }).then(
        function (response) { addresses[address] = response.ok; },
        function () {}
      );
    });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !isSearchBox(event.target)) return;
    var hit = idAddresses(event.target.value).filter(function (a) { return addresses[a]; })[0];
    if (!hit) return;
    event.preventDefault();
    event.stopPropagation();
    window.location.href = hit;
  }, true);

  // Material's document$ emits on the first load and after each instant navigation.
  if (typeof document$ !== "undefined") document$.subscribe(setup);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
