// The index's search and filters: offline, no network, allowed by its hash in the page's
// Content-Security-Policy. Without script, every proposal is listed.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("epdoc-records").textContent);
  var form = document.getElementById("epdoc-search");
  var q = form.querySelector("[name=q]");
  var status = form.querySelector("[name=status]");
  var author = form.querySelector("[name=author]");
  var field = form.querySelector("[name=field]");
  var value = form.querySelector("[name=value]");
  var shown = document.getElementById("epdoc-shown");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-row]"));

  function option(select, text) {
    var o = document.createElement("option");
    o.value = text;
    o.textContent = text;
    select.appendChild(o);
  }
  function values(key) {
    var seen = {};
    data.forEach(function (r) {
      [].concat(r.fields[key] || []).forEach(function (v) { if (v !== "") seen[v] = true; });
    });
    return Object.keys(seen).sort(function (a, b) { return a.localeCompare(b); });
  }
  values("status").forEach(function (s) { option(status, s); });
  values("authors").forEach(function (a) { option(author, a); });
  var keys = {};
  data.forEach(function (r) { Object.keys(r.fields).forEach(function (k) { keys[k] = true; }); });
  Object.keys(keys).sort().forEach(function (k) { option(field, k); });

  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function has(list, wanted) {
    return [].concat(list || []).some(function (v) { return fold(v) === fold(wanted); });
  }
  function contains(list, wanted) {
    return [].concat(list || []).some(function (v) { return fold(v).indexOf(wanted) >= 0; });
  }
  function matches(r, terms) {
    return terms.every(function (t) {
      if (r.text.indexOf(t) >= 0) return true;
      return r.words.some(function (w) { return w.lastIndexOf(t, 0) === 0; });
    });
  }
  function apply() {
    var terms = fold(q.value).split(/\s+/).filter(Boolean);
    var n = 0;
    rows.forEach(function (tr) {
      var r = data[+tr.getAttribute("data-row")];
      var ok = (!status.value || has(r.fields.status, status.value)) &&
        (!author.value || has(r.fields.authors, author.value)) &&
        (!field.value || !value.value || contains(r.fields[field.value], fold(value.value))) &&
        matches(r, terms);
      tr.hidden = !ok;
      if (ok) n += 1;
    });
    Array.prototype.forEach.call(document.querySelectorAll("section[id]"), function (s) {
      s.hidden = !s.querySelector("tr[data-row]:not([hidden])");
    });
    shown.textContent = n === rows.length ? rows.length + " proposals" :
      n + " of " + rows.length + " proposals shown";
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  apply();
})();
