/* Site search: a small adapter between Material's header search box and Pagefind.
 *
 * Each language has its own Pagefind bundle (pagefind/ for Japanese,
 * en/pagefind/ for English, built by hooks/search.py); the page names its
 * language's bundle, so results are always in the page's language. It is loaded on first use (focus, a shortcut key or
 * typing), never on page load.
 *
 * Header: "/", "s" or "f" opens the search; arrow keys move through results;
 * Enter opens the chosen result (or, with none chosen, the full search page);
 * Escape closes. The search page (/search/, /en/search/) reads ?q=.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-riot-search]");
  if (!box) return;

  var WORDS = JSON.parse(box.getAttribute("data-riot-words") || "{}");
  var BUNDLE = new URL(box.getAttribute("data-riot-pagefind"), location.href);
  var SITE_ROOT = new URL("../", BUNDLE);
  var SEARCH_PAGE = new URL(box.getAttribute("data-riot-search-page"), location.href);
  var HEADER_LIMIT = 8;
  var PAGE_STEP = 20;

  function word(key, n) {
    return String(WORDS[key] || "").replace("{n}", n);
  }

  /* --- Pagefind, loaded once ------------------------------------------------ */
  /* Pagefind splits a Japanese query with the browser's segmenter, which cuts
   * kana words differently from the indexer (みまもり -> み|まもり). For kana
   * queries the terms index (readings, synonyms, keywords as whole words, built
   * by hooks/search.py) is merged in, unsegmented, and searched as well. */
  var TERMS = box.getAttribute("data-riot-terms") ? new URL(box.getAttribute("data-riot-terms"), location.href) : null;
  var KANA = /^[\p{Script=Hiragana}\p{Script=Katakana}\u30fc\u30fb\s]+$/u;
  var HIRAGANA = /^[\p{Script=Hiragana}\u30fc\s]+$/u;
  var loading = null;
  var termsLoading = null;

  function pagefind() {
    if (!loading) {
      loading = import(new URL("pagefind.js", BUNDLE).href).then(function (pf) {
        return pf.options({
          baseUrl: SITE_ROOT.pathname,
          excerptLength: 28,
          noWorker: true, /* the index is small: searching on the page saves fetching the worker */
          mergeFilter: { src: "main" },
          ranking: { termFrequency: 0.3, pageLength: 0.5, termSaturation: 1.6, termSimilarity: 1.0 }
        }).then(function () { return pf.init(); }).then(function () { return pf; });
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function withTerms() {
    if (!termsLoading) {
      termsLoading = pagefind().then(function (pf) {
        return pf.mergeIndex(TERMS.pathname, { language: "zxx", mergeFilter: { src: "terms" }, baseUrl: SITE_ROOT.pathname })
          .then(function () { return pf; });
      });
      termsLoading.catch(function () { termsLoading = null; });
    }
    return termsLoading;
  }

  function only(src, filters) {
    var f = { src: src };
    Object.keys(filters || {}).forEach(function (k) { f[k] = filters[k]; });
    return { filters: f };
  }

  /* Results of a query: {results: [Pagefind results], total}. Kana queries also
   * search the terms index; hiragana-only queries list its matches first.
   * The same page may come from both indexes: callers skip repeated URLs. */
  function search(query, filters) {
    var q = query.trim();
    if (TERMS && KANA.test(q)) {
      return withTerms().then(function (pf) {
        return Promise.all([pf.search(q, only("main", filters)), pf.search(q, only("terms", filters))]);
      }).then(function (both) {
        var main = both[0].results, terms = both[1].results;
        var results = HIRAGANA.test(q) ? terms.concat(main) : main.concat(terms);
        return { results: results, total: Math.max(main.length, terms.length), merged: true };
      });
    }
    return pagefind().then(function (pf) { return pf.search(q, only("main", filters)); })
      .then(function (res) { return { results: res.results, total: res.results.length, merged: false }; });
  }

  /* Data of results[from..] until `count` distinct pages are found. */
  function pages(res, from, count, seen) {
    var out = [];
    var i = from;
    function step() {
      if (out.length >= count || i >= res.results.length) return Promise.resolve({ items: out, next: i });
      var batch = res.results.slice(i, i + (count - out.length));
      i += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (d) {
          if (!seen[d.url]) { seen[d.url] = true; out.push(d); }
        });
        return step();
      });
    }
    return step();
  }

  /* --- Rendering ------------------------------------------------------------ */
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpt is HTML with <mark> around matches: keep only text and marks. */
  function excerpt(html) {
    var out = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    (function walk(node, into) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === 3) {
          into.appendChild(document.createTextNode(child.nodeValue));
        } else if (child.nodeType === 1) {
          if (child.tagName === "MARK") {
            walk(child, into.appendChild(document.createElement("mark")));
          } else {
            walk(child, into);
          }
        }
      });
    })(doc.body, out);
    return out;
  }

  function resultLink(data, id) {
    var a = el("a", { "class": "md-search-result__link riot-search-link", href: data.url });
    if (id) {
      a.id = id;
      a.setAttribute("role", "option");
      a.setAttribute("aria-selected", "false");
      a.tabIndex = -1;
    }
    var art = el("article", { "class": "md-search-result__article md-typeset" });
    art.appendChild(el("div", { "class": "md-search-result__icon md-icon" }));
    var head = el("div", { "class": "riot-search-head" });
    if (data.meta && data.meta.section) head.appendChild(el("span", { "class": "riot-search-section" }, data.meta.section));
    head.appendChild(el("span", { "class": "riot-search-title" }, (data.meta && data.meta.title) || data.url));
    art.appendChild(head);
    var p = el("p", { "class": "riot-search-excerpt" });
    if (data.meta && data.meta.summary) {
      var text = data.meta.summary;
      p.textContent = text.length > 110 ? text.slice(0, 108) + "…" : text;
    } else {
      p.appendChild(excerpt(data.excerpt));
    }
    art.appendChild(p);
    a.appendChild(art);
    return a;
  }

  function countText(n) {
    return n === 0 ? word("none") : n === 1 ? word("one") : word("many", n);
  }

  /* --- Header search -------------------------------------------------------- */
  var toggle = document.getElementById("__search");
  var form = box.querySelector("form");
  var input = box.querySelector(".md-search__input");
  var meta = box.querySelector(".md-search-result__meta");
  var list = box.querySelector(".md-search-result__list");
  var scrollwrap = box.querySelector(".md-search__scrollwrap");
  var options = [];
  var active = -1;
  var seq = 0;
  var timer = 0;

  function isOpen() { return !!(toggle && toggle.checked); }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    pagefind().catch(function () {});
    if (document.activeElement !== input) input.focus();
  }

  function close() {
    if (toggle) toggle.checked = false;
    setActive(-1);
    input.setAttribute("aria-expanded", "false");
    input.blur();
  }

  function setActive(i) {
    if (active >= 0 && options[active]) {
      options[active].classList.remove("riot-search-active");
      options[active].setAttribute("aria-selected", "false");
    }
    active = i;
    if (i >= 0 && options[i]) {
      options[i].classList.add("riot-search-active");
      options[i].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[i].id);
      options[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function clearResults(message) {
    list.textContent = "";
    options = [];
    setActive(-1);
    meta.textContent = message;
    input.setAttribute("aria-expanded", "false");
  }

  function runHeader() {
    var query = input.value.trim();
    var mine = ++seq;
    var started = performance.now();
    if (!query) { clearResults(word("hint")); return; }
    if (!loading) meta.textContent = word("loading");
    search(query).then(function (res) {
      if (mine !== seq) return null;
      return pages(res, 0, HEADER_LIMIT, {}).then(function (got) {
        if (mine !== seq) return;
        var items = got.items;
        list.textContent = "";
        options = [];
        active = -1;
        input.removeAttribute("aria-activedescendant");
        items.forEach(function (data, i) {
          var li = el("li", { "class": "md-search-result__item", role: "none" });
          var a = resultLink(data, "riot-search-opt-" + i);
          li.appendChild(a);
          list.appendChild(li);
          options.push(a);
        });
        var total = got.next >= res.results.length ? items.length : Math.max(res.total, items.length);
        if (got.next < res.results.length) {
          var li = el("li", { "class": "md-search-result__item riot-search-more", role: "none" });
          var more = el("a", { "class": "md-search-result__link", role: "option", id: "riot-search-opt-more",
                               "aria-selected": "false", tabindex: "-1", href: pageUrl(query) });
          more.appendChild(el("div", { "class": "md-search-result__article riot-search-more-text" }, word("more", total)));
          li.appendChild(more);
          list.appendChild(li);
          options.push(more);
        }
        meta.textContent = countText(total);
        input.setAttribute("aria-expanded", items.length ? "true" : "false");
        if (scrollwrap) scrollwrap.scrollTop = 0;
        /* For tests and the benchmark: which query the list shows, and how long it took. */
        list.setAttribute("data-riot-query", query);
        list.setAttribute("data-riot-ms", String(Math.round(performance.now() - started)));
      });
    }).catch(function (err) {
      if (mine === seq) clearResults(word("error"));
      if (window.console) console.error(err);
    });
  }

  function pageUrl(query) {
    var u = new URL(SEARCH_PAGE.href);
    u.searchParams.set("q", query);
    return u.href;
  }

  input.addEventListener("focus", function () { if (!isOpen()) open(); else pagefind().catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(runHeader, 80);
  });
  input.addEventListener("keydown", function (e) {
    if (e.isComposing || e.keyCode === 229) return; /* IME conversion in progress */
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!options.length) return;
      e.preventDefault();
      var n = options.length;
      setActive(e.key === "ArrowDown" ? (active + 1) % n : (active <= 0 ? n - 1 : active - 1));
    } else if (e.key === "Enter") {
      if (active >= 0 && options[active]) {
        e.preventDefault();
        location.href = options[active].href;
      }
    } else if (e.key === "Escape") {
      e.preventDefault();
      close();
    } else if (e.key === "Tab") {
      close();
    }
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { clearResults(word("hint")); input.focus(); }, 0);
  });
  form.addEventListener("submit", function (e) {
    if (!input.value.trim()) e.preventDefault();
  });
  list.addEventListener("mousemove", function (e) {
    var a = e.target.closest && e.target.closest("[role=option]");
    if (a && options.indexOf(a) !== active) setActive(options.indexOf(a));
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        open();
      } else {
        setActive(-1);
        input.blur();
      }
    });
  }

  /* "/", "s" and "f" open the search, as in Material's own search. */
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (e.key === "/" || e.key === "s" || e.key === "S" || e.key === "f" || e.key === "F") {
      e.preventDefault();
      open();
    }
  });

  /* --- The search page ------------------------------------------------------ */
  var pageForm = document.getElementById("riot-search-page");
  if (!pageForm) return;
  var pageInput = document.getElementById("riot-search-page-input");
  var pageType = document.getElementById("riot-search-page-type");
  var pageStatus = document.getElementById("riot-search-page-status");
  var pageList = document.getElementById("riot-search-page-results");
  var pageMore = document.getElementById("riot-search-page-more");
  var pageSeq = 0;
  var pageRes = null;
  var pageNext = 0;
  var pageSeen = {};

  var TYPES = { "case": ["case"], field: ["field", "field-index"], region: ["region", "region-index"],
                course: ["course", "course-index", "module"] };

  function showMore() {
    var mine = pageSeq;
    return pages(pageRes, pageNext, PAGE_STEP, pageSeen).then(function (got) {
      if (mine !== pageSeq) return;
      got.items.forEach(function (data) {
        var li = el("li", { "class": "md-search-result__item" });
        li.appendChild(resultLink(data, null));
        pageList.appendChild(li);
      });
      pageNext = got.next;
      pageMore.hidden = pageNext >= pageRes.results.length;
      if (pageMore.hidden) pageStatus.textContent = countText(pageList.children.length);
    });
  }

  function runPage() {
    var query = pageInput.value.trim();
    var type = pageType ? pageType.value : "";
    var mine = ++pageSeq;
    pageList.textContent = "";
    pageRes = null;
    pageNext = 0;
    pageSeen = {};
    pageMore.hidden = true;
    if (!query) { pageStatus.textContent = word("hint"); return; }
    pageStatus.textContent = word("loading");
    search(query, type && TYPES[type] ? { type: { any: TYPES[type] } } : null).then(function (res) {
      if (mine !== pageSeq) return;
      pageRes = res;
      pageStatus.textContent = countText(res.total);
      return showMore();
    }).catch(function (err) {
      if (mine === pageSeq) pageStatus.textContent = word("error");
      if (window.console) console.error(err);
    });
  }

  function fromUrl() {
    var params = new URLSearchParams(location.search);
    pageInput.value = params.get("q") || "";
    if (pageType) pageType.value = TYPES[params.get("type")] ? params.get("type") : "";
    runPage();
  }

  pageForm.addEventListener("submit", function (e) {
    e.preventDefault();
    var u = new URL(location.href);
    u.searchParams.set("q", pageInput.value.trim());
    if (pageType && pageType.value) u.searchParams.set("type", pageType.value); else u.searchParams.delete("type");
    history.pushState(null, "", u.href);
    runPage();
  });
  if (pageType) pageType.addEventListener("change", function () { pageForm.requestSubmit(); });
  pageMore.addEventListener("click", function () { showMore(); });
  window.addEventListener("popstate", fromUrl);
  fromUrl();
})();
