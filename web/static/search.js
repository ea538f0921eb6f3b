// Progressive enhancement for /sok: choosing a facet or a scope searches at
// once, and typing searches after a short pause. Without JavaScript the
// buttons do the same.
(function () {
  "use strict";
  var form = document.getElementById("sok");
  if (!form || !window.fetch || !window.DOMParser) return;
  var query = document.getElementById("q");
  var timer = null;
  var latest = 0;

  function urlOf() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") params.append(key, value);
    });
    var qs = params.toString();
    return form.getAttribute("action") + (qs ? "?" + qs : "");
  }

  function refresh(keepFocus) {
    var url = urlOf();
    var ticket = ++latest;
    fetch(url, { headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text === null || ticket !== latest) return;
        var next = new DOMParser().parseFromString(text, "text/html");
        var fresh = next.querySelector(".list-layout");
        var current = form.querySelector(".list-layout");
        if (!fresh || !current) return;
        current.replaceWith(fresh);
        document.title = next.title;
        history.replaceState(null, "", url);
        if (keepFocus && keepFocus.id) {
          var again = document.getElementById(keepFocus.id);
          if (again) again.focus();
        }
      })
      .catch(function () { /* the button still works */ });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target && (target.type === "checkbox" || target.type === "radio")) refresh(target);
  });
  if (query) {
    query.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { refresh(null); }, 300);
    });
  }
})();
