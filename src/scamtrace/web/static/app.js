// scamtrace workspace: small progressive enhancements; every page works without this file.
"use strict";
(function () {
  // Hovering a shared passage highlights its counterpart in the other column; clicking scrolls to it.
  function counterpart(mark) {
    var section = mark.closest("section.link");
    var ref = mark.getAttribute("data-ref");
    if (!section || !ref) return [];
    var all = section.querySelectorAll('mark[data-ref="' + ref.replace(/[^a-z0-9]/gi, "") + '"]');
    return Array.prototype.filter.call(all, function (m) { return m.closest(".prose") !== mark.closest(".prose"); });
  }
  document.addEventListener("mouseover", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark[data-ref]");
    if (!m) return;
    counterpart(m).forEach(function (o) { o.classList.add("is-linked"); });
    m.classList.add("is-linked");
  });
  document.addEventListener("mouseout", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark[data-ref]");
    if (!m) return;
    counterpart(m).forEach(function (o) { o.classList.remove("is-linked"); });
    m.classList.remove("is-linked");
  });
  document.addEventListener("click", function (ev) {
    var m = ev.target.closest && ev.target.closest("mark[data-ref]");
    if (!m) return;
    var o = counterpart(m)[0];
    if (o) {
      var box = o.closest(".prose");
      if (box) box.scrollTop = o.offsetTop - box.offsetTop - 40;
    }
  });
  // Highlight toggles on the article page: each checkbox switches one kind of mark off and on.
  var text = document.getElementById("article-text");
  if (text) {
    Array.prototype.forEach.call(document.querySelectorAll("input.hl-toggle"), function (box) {
      var kind = String(box.value).replace(/[^a-z]/g, "");
      box.hidden = false;
      var apply = function () { text.classList.toggle("off-" + kind, !box.checked); };
      box.addEventListener("change", apply);
      apply();
    });
  }
  // Changing a filter in the stories form submits it.
  var form = document.querySelector("form.filters");
  if (form) {
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) {
      s.addEventListener("change", function () { form.submit(); });
    });
  }
})();
