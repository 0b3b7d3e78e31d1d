/* Case finder on the case list (/cases/, /en/cases/).
 *
 * Filters the table rows by their data-* attributes (written by
 * regiot/templates/case_index.md.j2): field, regional block, prefecture, award
 * programme, stage, start-year range, technology, funding type and a text
 * filter, all combined. The filters live in the address (?field=health&pref=13),
 * so a filtered list can be shared, is restored on load, and back/forward work.
 * Without JavaScript the form stays hidden and the whole table shows.
 */
(function () {
  "use strict";

  var form = document.getElementById("case-finder");
  var table = document.getElementById("case-table");
  if (!form || !table) return;

  var KEYS = ["q", "field", "block", "pref", "award", "stage", "from", "to", "tech", "funding"];
  var LISTS = ["field", "block", "pref", "award", "tech", "funding"]; /* space-separated row values */
  var count = document.getElementById("case-count");
  var status = document.getElementById("case-finder-status");
  var none = document.getElementById("case-none");
  var total = Number(form.getAttribute("data-total")) || 0;
  var shownText = form.getAttribute("data-shown") || "{n} / {total}";
  var rows = Array.prototype.slice.call(table.tBodies[0].rows).filter(function (r) { return r !== none; });

  /* Text matching ignores case, width (ＩＣＴ = ICT) and kana type (ミマモリ = みまもり). */
  function norm(s) {
    return String(s || "").normalize("NFKC").toLowerCase()
      .replace(/[\u30a1-\u30f6]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0x60); });
  }

  var data = rows.map(function (r) {
    var d = { row: r, stage: r.getAttribute("data-stage"), start: Number(r.getAttribute("data-start")) };
    LISTS.forEach(function (k) { d[k] = (r.getAttribute("data-" + k) || "").split(" ").filter(Boolean); });
    d.text = norm((r.getAttribute("data-text") || "") + " " + r.textContent);
    return d;
  });

  function control(name) { return form.elements.namedItem(name); }

  function readForm() {
    var state = {};
    KEYS.forEach(function (k) {
      var el = control(k);
      var v = el ? String(el.value).trim() : "";
      if (v) state[k] = v;
    });
    return state;
  }

  function writeForm(state) {
    KEYS.forEach(function (k) {
      var el = control(k);
      if (!el) return;
      var v = state[k] || "";
      if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) v = "";
      el.value = v;
    });
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    var state = {};
    KEYS.forEach(function (k) { if (params.get(k)) state[k] = params.get(k); });
    return state;
  }

  function toUrl(state) {
    var params = new URLSearchParams(location.search);
    KEYS.forEach(function (k) { if (state[k]) params.set(k, state[k]); else params.delete(k); });
    var q = params.toString();
    return location.pathname + (q ? "?" + q : "") + location.hash;
  }

  function matches(d, s) {
    for (var i = 0; i < LISTS.length; i++) {
      var k = LISTS[i];
      if (s[k] && d[k].indexOf(s[k]) < 0) return false;
    }
    if (s.stage && d.stage !== s.stage) return false;
    if (s.from && d.start < Number(s.from)) return false;
    if (s.to && d.start > Number(s.to)) return false;
    if (s.q) {
      var words = norm(s.q).split(/\s+/).filter(Boolean);
      for (var j = 0; j < words.length; j++) if (d.text.indexOf(words[j]) < 0) return false;
    }
    return true;
  }

  function apply(state) {
    var n = 0;
    data.forEach(function (d) {
      var ok = matches(d, state);
      d.row.hidden = !ok;
      if (ok) n++;
    });
    if (count) count.textContent = String(n);
    if (none) none.hidden = n > 0;
    if (status) status.textContent = shownText.replace("{n}", n).replace("{total}", total);
    /* Prefectures of the chosen block first: the other options stay available. */
    var block = state.block || "";
    Array.prototype.forEach.call(control("pref").querySelectorAll("option[data-block]"), function (o) {
      o.classList.toggle("riot-finder-dim", !!block && o.getAttribute("data-block") !== block);
    });
    return n;
  }

  var last = "";
  function update(push) {
    var state = readForm();
    apply(state);
    var url = toUrl(state);
    if (url === location.pathname + location.search + location.hash) return;
    if (push && url !== last) history.pushState(state, "", url);
    else history.replaceState(state, "", url);
    last = url;
  }

  var typing = 0;
  form.addEventListener("input", function (e) {
    if (e.target && e.target.name === "q") {
      apply(readForm());
      clearTimeout(typing);
      typing = setTimeout(function () { update(false); }, 400);
    }
  });
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "q") { clearTimeout(typing); update(false); return; }
    update(true);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); clearTimeout(typing); update(true); });
  form.addEventListener("reset", function () {
    setTimeout(function () { update(true); control("q").focus(); }, 0);
  });
  window.addEventListener("popstate", function () {
    var state = fromUrl();
    writeForm(state);
    apply(state);
  });

  var initial = fromUrl();
  writeForm(initial);
  form.hidden = false;
  apply(initial);
  last = location.pathname + location.search + location.hash;
})();
