// 善治 shanzhi: search as you type. Plain JS, no library; text only (never innerHTML), so no name
// from the data can become markup. The form still works without it (GET /search).
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input) { return; }
  var list = document.getElementById("suggestions");
  var parsed = document.getElementById("parsed");
  var timer = null;
  var asked = 0;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function showParsed(p, q) {
    parsed.textContent = "";
    if (!q) { return; }
    var parts = [];
    if (p.text) { parts.push("小区/道路 " + p.text); }
    if (p.lane) { parts.push("弄 " + p.lane); }
    if (p.number) { parts.push("号 " + p.number); }
    if (!parts.length) { parts.push(p.normalized || q); }
    parsed.textContent = "解析：" + parts.join(" · ");
  }

  function item(c, active) {
    var li = el("li");
    var a = el("a", active ? "active" : "");
    a.href = "/building/" + encodeURIComponent(c.uid);
    a.appendChild(el("span", "", c.name));
    a.appendChild(el("span", "addr", c.address || c.id));
    li.appendChild(a);
    return li;
  }

  function show(data) {
    showParsed(data.parsed, data.q);
    list.textContent = "";
    data.candidates.forEach(function (c, i) { list.appendChild(item(c, i === 0)); });
    if (data.q && !data.candidates.length) {
      list.appendChild(el("li", "none", data.closest.length
        ? "没有完全匹配的楼；相近的 closest:" : "您的范围内没有候选 no candidates"));
      data.closest.forEach(function (c) { list.appendChild(item(c, false)); });
    }
  }

  function ask() {
    var q = input.value.trim();
    var mine = ++asked;
    if (!q) { list.textContent = ""; parsed.textContent = ""; return; }
    fetch("/api/suggest?q=" + encodeURIComponent(q), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === asked) { show(data); } })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  input.addEventListener("keydown", function (ev) {
    var links = list.querySelectorAll("a");
    if (!links.length || (ev.key !== "ArrowDown" && ev.key !== "ArrowUp")) { return; }
    ev.preventDefault();
    var at = Array.prototype.findIndex.call(links, function (a) { return a.classList.contains("active"); });
    var next = ev.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : Math.max(at - 1, 0);
    links.forEach(function (a) { a.classList.remove("active"); });
    links[next].classList.add("active");
    links[next].focus();
  });
  if (input.value) { ask(); }
  window.__shanzhiSearch = {asked: function () { return asked; }};
})();
