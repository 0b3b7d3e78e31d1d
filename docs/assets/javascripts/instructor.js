/* Instructor view: instructor notes (admonition "instructor") are hidden from
   learners by default. The toggle shows them and remembers the choice across
   pages (localStorage); ?instructor=1 or ?instructor=0 in a URL sets it too,
   so a slide can link straight to the instructor view. */
(function () {
  "use strict";
  var KEY = "riot-instructor";
  var root = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "1"; } catch (e) { return false; }
  }
  function store(on) {
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
  }
  function apply(on) {
    root.classList.toggle("riot-instructor", on);
    var buttons = document.querySelectorAll(".riot-instructor-toggle");
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.textContent = on ? b.getAttribute("data-label-on") : b.getAttribute("data-label-off");
    }
  }

  var param = new URLSearchParams(window.location.search).get("instructor");
  if (param === "1" || param === "0") { store(param === "1"); }
  apply(stored());

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".riot-instructor-toggle") : null;
    if (!button) { return; }
    var on = !root.classList.contains("riot-instructor");
    store(on);
    apply(on);
  });
})();
