/* The viewer of a shanzhi picture: reads #graph-data, draws it with vis-network, and adds a
 * legend, hover details, click to focus, double click to expand or collapse, and a search box.
 * window.__shanzhi reports progress ({ready, settled, nodes, edges, visible, error}) so that a
 * test or a benchmark can wait for the drawing to settle. */
(function () {
  "use strict";
  var state = (window.__shanzhi = { ready: false, settled: false, error: null });
  try {
    run();
  } catch (e) {
    state.error = String(e && e.stack ? e.stack : e);
    document.getElementById("status").textContent = "出错：" + e;
    throw e;
  }

  function run() {
    var data = JSON.parse(document.getElementById("graph-data").textContent);
    var FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";
    var tree = data.layout === "tree";
    var big = data.nodes.length > 1000;
    var positioned = data.nodes.length > 0 && data.nodes.every(function (n) {
      return typeof n.x === "number" && typeof n.y === "number";
    });
    state.nodes = data.nodes.length;
    state.edges = data.edges.length;
    state.library = typeof vis !== "undefined" && !!vis.Network;

    var byId = {};
    data.nodes.forEach(function (n) { byId[n.id] = n; });
    var neighbours = {};
    data.edges.forEach(function (e) {
      (neighbours[e.source] = neighbours[e.source] || []).push(e);
      (neighbours[e.target] = neighbours[e.target] || []).push(e);
    });
    var children = {};
    data.nodes.forEach(function (n) {
      if (n.parent) (children[n.parent] = children[n.parent] || []).push(n.id);
    });

    function hiddenKids(id) {
      return (children[id] || []).filter(function (c) { return byId[c].hidden; }).length;
    }
    function shownLabel(n) {
      var k = hiddenKids(n.id);
      return k ? n.label + " ＋" + k : n.label;
    }
    function nodeStyle(n, dim) {
      var g = data.groups[n.group] || { color: "#888888", shape: "dot", font: "#1f2933" };
      var inside = g.shape === "box";
      return {
        id: n.id, label: shownLabel(n), title: n.title, shape: g.shape, size: n.size || 16,
        hidden: !!n.hidden, x: n.x, y: n.y, opacity: dim ? 0.15 : 1,
        color: { background: g.color, border: shade(g.color),
                 highlight: { background: g.color, border: "#111111" },
                 hover: { background: g.color, border: "#111111" } },
        borderWidth: n.id === data.focus ? 3 : 1.5,
        margin: inside ? { top: 6, bottom: 6, left: 9, right: 9 } : undefined,
        font: { face: FONT, size: inside ? 14 : 13, color: inside ? g.font : "#1f2933",
                strokeWidth: inside ? 0 : 4, strokeColor: "#fbfbf8" }
      };
    }
    function edgeStyle(e, dim) {
      var base = e.dashes ? "#c3c9d0" : "#8795a1";
      return {
        id: e.id, from: e.source, to: e.target, label: e.label || undefined, title: e.title,
        hidden: !!e.hidden, width: e.width || 1, dashes: !!e.dashes,
        arrows: tree || e.type === "TIE" || e.dashes ? "" : { to: { enabled: true, scaleFactor: 0.4 } },
        color: { color: base, highlight: "#d62728", hover: "#d62728", opacity: dim ? 0.12 : 1 },
        font: { face: FONT, size: 11, color: "#52606d", strokeWidth: 3, strokeColor: "#fbfbf8",
                align: "middle" },
        smooth: tree ? { type: "cubicBezier", forceDirection: "horizontal", roundness: 0.5 }
                     : big ? false : { type: "continuous" }
      };
    }
    function shade(hex) {
      var v = parseInt(hex.slice(1), 16);
      var r = Math.round(((v >> 16) & 255) * 0.7), g = Math.round(((v >> 8) & 255) * 0.7),
          b = Math.round((v & 255) * 0.7);
      return "#" + ((1 << 24) | (r << 16) | (g << 8) | b).toString(16).slice(1);
    }

    var nodes = new vis.DataSet(data.nodes.map(function (n) { return nodeStyle(n, false); }));
    var edges = new vis.DataSet(data.edges.map(function (e) { return edgeStyle(e, false); }));
    var physics = tree || positioned ? false : {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -4000, centralGravity: 0.15, springLength: 120,
                   springConstant: 0.03, damping: 0.3, avoidOverlap: big ? 0 : 0.3 },
      stabilization: { enabled: true, fit: true, updateInterval: 50,
                       iterations: positioned ? (big ? 30 : 80) : big ? 150 : 500 }
    };
    var network = new vis.Network(document.getElementById("graph"), { nodes: nodes, edges: edges }, {
      autoResize: true,
      layout: { improvedLayout: !big && !positioned, randomSeed: 7 },
      physics: physics,
      interaction: { hover: !big, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                     keyboard: { enabled: true, bindToWindow: false }, multiselect: false }
    });
    state.network = network;

    function settle(how) {
      if (state.settled) return;
      if (physics) network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      state.settled = true;
      state.settledBy = how;
      state.settledAt = performance.now();
      updateStatus();
    }
    if (!physics) network.once("afterDrawing", function () { settle("drawn"); });
    network.once("stabilizationIterationsDone", function () { settle("iterations"); });
    network.once("stabilized", function () { settle("stabilized"); });

    function visibleCount() {
      return nodes.get({ filter: function (n) { return !n.hidden; } }).length;
    }
    function updateStatus(text) {
      state.visible = visibleCount();
      document.getElementById("status").textContent =
        (text ? text + " · " : "") + state.visible + " / " + data.nodes.length + " 个节点";
    }

    // -- focus (click) ---------------------------------------------------------------------
    var focused = null;
    function focusOn(id, zoom) {
      focused = id;
      var near = {};
      near[id] = true;
      (neighbours[id] || []).forEach(function (e) { near[e.source] = true; near[e.target] = true; });
      nodes.update(data.nodes.map(function (n) { return { id: n.id, opacity: near[n.id] ? 1 : 0.15 }; }));
      edges.update(data.edges.map(function (e) {
        var on = e.source === id || e.target === id;
        return { id: e.id, color: { color: e.dashes ? "#c3c9d0" : "#8795a1", highlight: "#d62728",
                                    hover: "#d62728", opacity: on ? 1 : 0.12 } };
      }));
      network.selectNodes([id]);
      var d = document.getElementById("details");
      d.textContent = byId[id].title || byId[id].label;
      d.className = "on";
      if (zoom) network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 300 } });
    }
    function clearFocus() {
      if (focused === null) return;
      focused = null;
      nodes.update(data.nodes.map(function (n) { return { id: n.id, opacity: 1 }; }));
      edges.update(data.edges.map(function (e) { return edgeStyle(e, false); }));
      document.getElementById("details").className = "";
    }
    network.on("click", function (p) {
      if (p.nodes.length) focusOn(p.nodes[0], false); else clearFocus();
    });

    // -- expand / collapse (double click) --------------------------------------------------
    function descendants(id, out) {
      (children[id] || []).forEach(function (c) { out.push(c); descendants(c, out); });
      return out;
    }
    function setHidden(ids, hide) {
      ids.forEach(function (v) { byId[v].hidden = hide; });
      nodes.update(ids.map(function (v) { return { id: v, hidden: hide }; }));
    }
    function relabel(ids) {
      nodes.update(ids.filter(function (v) { return byId[v]; })
        .map(function (v) { return { id: v, label: shownLabel(byId[v]) }; }));
    }
    // The tree rule of layout.py: leaves one under another, a parent centred on its shown children.
    function height(n) {
      var g = data.groups[n.group] || {};
      return g.shape === "box" ? 26 : 2 * (n.size || 16) + 22;
    }
    function relayoutTree() {
      var cursor = 0, moves = [];
      function place(n, parentY) {
        var kids = (children[n.id] || []).map(function (c) { return byId[c]; });
        if (n.hidden) { n.y = parentY; kids.forEach(function (c) { place(c, parentY); }); return parentY; }
        var shown = kids.filter(function (c) { return !c.hidden; });
        if (!shown.length) { n.y = cursor + height(n) / 2; cursor += height(n) + 8; }
        var ys = shown.map(function (c) { return place(c, n.y || 0); });
        if (ys.length) n.y = (ys[0] + ys[ys.length - 1]) / 2;
        kids.forEach(function (c) { if (c.hidden) place(c, n.y); });
        moves.push({ id: n.id, x: n.x, y: n.y });
        return n.y;
      }
      data.nodes.forEach(function (n) {
        if (!n.parent || !byId[n.parent]) { place(n, 0); cursor += 24; }
      });
      nodes.update(moves);
    }
    function toggle(id) {
      var hiddenNear = (neighbours[id] || []).map(function (e) { return e.source === id ? e.target : e.source; })
        .filter(function (v) { return byId[v] && byId[v].hidden; });
      if (!tree && hiddenNear.length) {
        setHidden(hiddenNear, false);
        edges.update(data.edges.filter(function (e) { return !byId[e.source].hidden && !byId[e.target].hidden; })
          .map(function (e) { e.hidden = false; return { id: e.id, hidden: false }; }));
        updateStatus("展开 " + hiddenNear.length + " 个");
        return;
      }
      var kids = children[id] || [];
      if (!kids.length) return;
      var show = kids.some(function (c) { return byId[c].hidden; });
      var affected = show ? kids : descendants(id, []);
      setHidden(affected, !show);
      relabel([id].concat(affected));
      if (tree) relayoutTree();
      updateStatus((show ? "展开 " : "收起 ") + affected.length + " 个");
    }
    state.toggle = toggle;
    // A mouse double click comes as the browser's own dblclick (reliable); vis's doubleClick (from
    // Hammer's double tap) is kept for touch screens only, so one gesture never toggles twice.
    var graphDiv = document.getElementById("graph");
    graphDiv.addEventListener("dblclick", function (ev) {
      var r = graphDiv.getBoundingClientRect();
      var id = network.getNodeAt({ x: ev.clientX - r.left, y: ev.clientY - r.top });
      if (id !== undefined) toggle(id);
    });
    network.on("doubleClick", function (p) {
      var pointer = p.event && p.event.pointerType;
      if (p.nodes.length && pointer && pointer !== "mouse") toggle(p.nodes[0]);
    });

    // -- search ----------------------------------------------------------------------------
    var box = document.getElementById("search");
    var list = document.getElementById("names");
    if (data.nodes.length <= 3000) {
      data.nodes.forEach(function (n) {
        var o = document.createElement("option");
        o.value = n.label;
        list.appendChild(o);
      });
    }
    function matches(text) {
      var t = text.trim().toLowerCase();
      if (!t) return [];
      return data.nodes.filter(function (n) {
        return n.label.toLowerCase().indexOf(t) >= 0 || n.id.toLowerCase().indexOf(t) >= 0;
      });
    }
    function search(go) {
      var hits = matches(box.value);
      document.getElementById("hits").textContent = box.value.trim() ? hits.length + " 个匹配" : "";
      if (!go || !hits.length) return hits.length;
      if (byId[hits[0].id].hidden) reveal(hits[0].id);
      focusOn(hits[0].id, true);
      return hits.length;
    }
    function reveal(id) {
      var chain = [], n = byId[id];
      while (n && n.hidden) { chain.push(n.id); n = byId[n.parent]; }
      if (!chain.length) return;
      if (tree) {
        chain.forEach(function (c) {
          var p = byId[c].parent;
          var sib = (children[p] || []).filter(function (s) { return byId[s].hidden; });
          setHidden(sib, false);
          relabel([p].concat(sib));
        });
        relayoutTree();
      } else {
        setHidden([id], false);
        edges.update(data.edges.filter(function (e) { return !byId[e.source].hidden && !byId[e.target].hidden; })
          .map(function (e) { e.hidden = false; return { id: e.id, hidden: false }; }));
      }
      updateStatus();
    }
    state.search = function (text) { box.value = text; return search(true); };
    box.addEventListener("input", function () { search(false); });
    box.addEventListener("keydown", function (ev) { if (ev.key === "Enter") search(true); });
    document.getElementById("fit").addEventListener("click", function () {
      clearFocus();
      network.fit({ animation: { duration: 300 } });
    });

    // -- legend ----------------------------------------------------------------------------
    var legend = document.getElementById("legend");
    data.legend.forEach(function (g) {
      var row = document.createElement("div");
      row.innerHTML = icon(g.shape, g.color);
      row.appendChild(document.createTextNode(g.zh));
      legend.appendChild(row);
    });
    function icon(shape, color) {
      var s = "<svg width='16' height='14' viewBox='-8 -7 16 14'>";
      var st = " fill='" + color + "' stroke='" + shade(color) + "' stroke-width='1'";
      if (shape === "box") s += "<rect x='-7' y='-5' width='14' height='10' rx='2'" + st + "/>";
      else if (shape === "diamond") s += "<polygon points='0,-6 6,0 0,6 -6,0'" + st + "/>";
      else if (shape === "triangle") s += "<polygon points='0,-6 6,5 -6,5'" + st + "/>";
      else if (shape === "triangleDown") s += "<polygon points='0,6 6,-5 -6,-5'" + st + "/>";
      else if (shape === "square") s += "<rect x='-5' y='-5' width='10' height='10'" + st + "/>";
      else if (shape === "hexagon") s += "<polygon points='6,0 3,5.2 -3,5.2 -6,0 -3,-5.2 3,-5.2'" + st + "/>";
      else if (shape === "star") s += "<polygon points='0,-6.5 1.9,-2 6.5,-2 2.8,1 4.2,5.8 0,3 -4.2,5.8 -2.8,1 -6.5,-2 -1.9,-2'" + st + "/>";
      else s += "<circle r='5.5'" + st + "/>";
      return s + "</svg>";
    }

    updateStatus();
    state.ready = true;
  }
})();
