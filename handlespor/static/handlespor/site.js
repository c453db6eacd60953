// Keeps the "om N dage" countdown next to a deadline current without reloading the page.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "da";
  var words = {
    da: { day: ["dag", "dage"], hour: ["time", "timer"], minute: ["minut", "minutter"], in: "om", closed: "fristen er overskredet" },
    en: { day: ["day", "days"], hour: ["hour", "hours"], minute: ["minute", "minutes"], in: "in", closed: "the deadline has passed" }
  }[lang] || null;
  if (!words) { return; }
  function part(n, names) { return n + " " + names[n === 1 ? 0 : 1]; }
  function render(el, target) {
    var ms = target - Date.now();
    if (ms <= 0) { el.textContent = "(" + words.closed + ")"; return false; }
    var minutes = Math.floor(ms / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var text = days > 0 ? part(days, words.day) + ", " + part(hours, words.hour)
      : hours > 0 ? part(hours, words.hour) + ", " + part(minutes % 60, words.minute)
      : part(minutes % 60, words.minute);
    el.textContent = "(" + words.in + " " + text + ")";
    return true;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("time[data-countdown]").forEach(function (time) {
      var out = time.parentElement.querySelector("[data-countdown-for]");
      var target = Date.parse(time.getAttribute("datetime"));
      if (!out || isNaN(target) || !out.textContent.trim()) { return; }
      if (render(out, target)) {
        var timer = setInterval(function () { if (!render(out, target)) { clearInterval(timer); } }, 30000);
      }
    });
    var errors = document.getElementById("form-errors");
    if (errors) { errors.focus(); }
  });
})();

// A failed htmx action (lock, exclude, release) says why beside the button that was clicked:
// the server's plain-text reason, or the status when there is none.
(function () {
  "use strict";
  var failed = { da: "Handlingen lykkedes ikke", en: "The action failed" }[document.documentElement.lang] || "Handlingen lykkedes ikke";
  function show(elt, xhr) {
    var form = elt.closest("form") || elt;
    var note = form.querySelector(".action-error");
    if (!note) {
      note = document.createElement("span");
      note.className = "action-error";
      note.setAttribute("role", "alert");
      form.appendChild(note);
    }
    var type = (xhr && xhr.getResponseHeader("Content-Type")) || "";
    note.textContent = type.indexOf("text/plain") === 0 && xhr.responseText
      ? xhr.responseText
      : failed + (xhr ? " (" + xhr.status + ")." : ".");
  }
  document.addEventListener("htmx:responseError", function (event) { show(event.detail.elt, event.detail.xhr); });
  document.addEventListener("htmx:sendError", function (event) { show(event.detail.elt, null); });
})();
