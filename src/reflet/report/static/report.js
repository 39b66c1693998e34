/* reflet report: filters, map zoom, plan check-boxes, opt-in online links. No network, no framework. */
(function () {
  "use strict";
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  /* Filters: hide elements of a section whose data-channel / data-platform / data-kind / data-time
     does not match the ticked boxes and the chosen time range. */
  function applyFilters(box) {
    var section = document.getElementById(box.getAttribute("data-filter-for"));
    if (!section) { return; }
    var wanted = {};
    ["channel", "platform", "kind"].forEach(function (name) {
      var inputs = all('input[name="' + name + '"]', box);
      if (inputs.length) {
        wanted[name] = inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; });
      }
    });
    var from = box.querySelector('select[name="from"]'), to = box.querySelector('select[name="to"]');
    var lo = from ? from.value : "", hi = to ? to.value : "";
    all("[data-channel], [data-platform], [data-kind], [data-time]", section).forEach(function (el) {
      if (el.closest(".filters")) { return; }
      var show = true;
      Object.keys(wanted).forEach(function (name) {
        var v = el.getAttribute("data-" + name);
        if (v === null || v === "" || (name === "kind" && !el.classList.contains("bar"))) { return; }
        var vals = v.split(" ");
        if (!vals.some(function (x) { return wanted[name].indexOf(x) >= 0; })) { show = false; }
      });
      var t = el.getAttribute("data-time");
      if (t && lo && t.slice(0, lo.length) < lo) { show = false; }
      if (t && hi && t.slice(0, hi.length) > hi) { show = false; }
      el.classList.toggle("filtered-out", !show);
    });
    if (section.id === "timeline") { restack(section); }
  }

  /* Re-stack the timeline's bars so hidden platforms leave no holes. */
  function restack(section) {
    var svg = section.querySelector("svg[data-base]");
    if (!svg) { return; }
    var base = parseFloat(svg.getAttribute("data-base")), scale = parseFloat(svg.getAttribute("data-scale"));
    var tops = {};
    all("rect.bar", svg).forEach(function (r) {
      if (r.classList.contains("filtered-out")) { return; }
      var t = r.getAttribute("data-time"), h = parseFloat(r.getAttribute("data-n")) * scale;
      var y = (t in tops ? tops[t] : base) - h;
      tops[t] = y;
      r.setAttribute("y", y.toFixed(1));
      r.setAttribute("height", h.toFixed(2));
    });
  }

  all(".filters").forEach(function (box) {
    box.addEventListener("change", function () { applyFilters(box); });
  });

  /* Map zoom: change the SVG's viewBox. */
  var svg = document.getElementById("map-svg");
  function viewBox() { return svg.getAttribute("viewBox").split(" ").map(parseFloat); }
  /* Marks keep their size on screen when zooming: only the uncertainty rings are real distances. */
  function setBox(x, y, w, h) {
    svg.setAttribute("viewBox", [x, y, w, h].map(function (n) { return n.toFixed(4); }).join(" "));
    var k = w / full[2];
    all("[data-r0]", svg).forEach(function (c) { c.setAttribute("r", (parseFloat(c.getAttribute("data-r0")) * k).toFixed(4)); });
    /* Numbers of marks closer than a label's height at this zoom go in a row ("1 2 3"), as render.py
       lays them out for the whole map: printed over each other they would read as none. */
    var placed = [];
    all("text[data-fs0]", svg).forEach(function (t) {
      var fs = parseFloat(t.getAttribute("data-fs0")) * k;
      var x0 = parseFloat(t.getAttribute("data-x0")), y0 = parseFloat(t.getAttribute("data-y0")), dx = 0;
      placed.forEach(function (p) { if (Math.sqrt((p.x - x0) * (p.x - x0) + (p.y - y0) * (p.y - y0)) < fs) { dx += p.w; } });
      placed.push({x: x0, y: y0, w: t.textContent.trim().length * 0.62 + 0.45});
      t.setAttribute("font-size", fs.toFixed(4));
      t.setAttribute("x", (x0 + fs / 3 + dx * fs).toFixed(4));
      t.setAttribute("y", (y0 - fs / 3).toFixed(4));
    });
  }
  var full = svg ? svg.getAttribute("data-viewbox").split(" ").map(parseFloat) : null;
  if (svg) {
    all("[data-zoom]").forEach(function (b) {
      b.addEventListener("click", function () {
        var v = viewBox(), k = b.getAttribute("data-zoom") === "in" ? 0.5 : 2;
        if (b.getAttribute("data-zoom") === "reset") { setBox(full[0], full[1], full[2], full[3]); return; }
        var w = Math.min(v[2] * k, full[2]), h = Math.min(v[3] * k, full[3]);
        setBox(v[0] + (v[2] - w) / 2, v[1] + (v[3] - h) / 2, w, h);
      });
    });
    all("button.goto").forEach(function (b) {
      b.addEventListener("click", function () {
        var x = parseFloat(b.getAttribute("data-x")), y = parseFloat(b.getAttribute("data-y"));
        var r = parseFloat(b.getAttribute("data-r"));
        var w = Math.max(r * 8, full[2] / 5000), h = w * full[3] / full[2];
        setBox(x - w / 2, y - h / 2, w, h);
        svg.scrollIntoView({block: "center"});
      });
    });
  }

  /* Opt-in links to an online map: created only after the person ticks the box, removed when unticked. */
  var optin = document.getElementById("online-optin");
  if (optin) {
    optin.checked = false;
    optin.addEventListener("change", function () {
      var site = optin.getAttribute("data-site"), scheme = "https:";
      all("span.online").forEach(function (s) {
        s.textContent = "";
        if (!optin.checked) { return; }
        var lat = s.getAttribute("data-lat"), lon = s.getAttribute("data-lon");
        var a = document.createElement("a");
        a.href = scheme + "//" + site + "/?mlat=" + lat + "&mlon=" + lon + "#map=16/" + lat + "/" + lon;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        a.textContent = optin.getAttribute("data-label") || site;
        s.appendChild(a);
      });
    });
  }

  /* Plan check-boxes: state kept in this browser only, keyed by the step's stable id. */
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  var ls = store();
  all("input.step").forEach(function (box) {
    var key = "reflet.step." + box.getAttribute("data-step");
    try { box.checked = !!(ls && ls.getItem(key) === "1"); } catch (e) { /* storage refused: ticks not kept */ }
    box.addEventListener("change", function () {
      try { if (ls) { if (box.checked) { ls.setItem(key, "1"); } else { ls.removeItem(key); } } } catch (e) { /* ignore */ }
    });
  });

  /* Printing shows all the evidence. */
  window.addEventListener("beforeprint", function () {
    all("details").forEach(function (d) { d.setAttribute("data-was-open", d.open ? "1" : ""); d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    all("details").forEach(function (d) { d.open = d.getAttribute("data-was-open") === "1"; });
  });
})();
