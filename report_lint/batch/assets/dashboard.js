"use strict";
// report-lint batch dashboard. Every string from a report is set with textContent, never as HTML.
(function () {
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var repos = DATA.repos;
  var byId = {};
  repos.forEach(function (r) { byId[r.id] = r; });

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) { parent.appendChild(arguments[i]); }
    return parent;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
  function groupNumber(r) { return r.group !== null && r.group !== undefined ? r.group : r.folder_group; }
  function groupLabel(r) {
    if (r.group !== null && r.group !== undefined) { return "group " + r.group; }
    if (r.folder_group !== null && r.folder_group !== undefined) { return "group " + r.folder_group + " (folder)"; }
    return "no group";
  }

  // ------------------------------------------------------------------ header: meta and totals
  var meta = DATA.meta || {};
  document.getElementById("meta").textContent = (meta.at ? "state at " + meta.at + " (committer date)" : "current state") +
    " · generated " + (meta.generated || "") + " · report-lint " + (meta.version || "");
  var header = document.querySelector("header");
  // the sticky header covers the top of the page: every jump target stops below it (scroll-margin-top)
  function headerHeight() {
    document.documentElement.style.setProperty("--header", header.getBoundingClientRect().height + "px");
  }
  var CMP = meta.compare || null;
  if (CMP) {
    var line = document.getElementById("compare");
    line.hidden = false;
    line.textContent = CMP.summary + " (compared with " + CMP.file + ")";
  }
  var DUP = meta.duplicate_groups || {};
  var T = DATA.totals;
  var cards = [
    ["repositories", "repositories", T.repositories], ["linted", "linted", T.linted],
    ["failed", "could not be linted", T.failed, T.failed > 0],
    ["questions", "questions pass", T.questions_passed + "/" + T.questions_total],
    ["errors", "errors", T.errors, T.errors > 0], ["warnings", "warnings", T.warnings], ["infos", "infos", T.infos],
    ["unsupported_claims", "unsupported claims", T.unsupported_claims],
    ["unfilled_placeholders", "unfilled placeholders", T.unfilled_placeholders],
    ["missing_figures", "missing figures", T.missing_figures],
    ["duplicate_groups", "group numbers claimed twice", T.duplicate_groups, T.duplicate_groups > 0]
  ];
  var totalsNode = document.getElementById("totals");
  cards.forEach(function (c) {
    var card = el("div", "total" + (c[3] ? " bad" : ""));
    card.id = "total-" + c[0];
    add(totalsNode, add(card, el("b", null, c[2]), el("span", null, c[1])));
  });

  // ------------------------------------------------------------------ groups table
  // a repository that could not be linted has no counts: unknown, never 0, and sorted after every number
  function unknown(v) { return v === null || v === undefined; }
  function signed(n) { return n > 0 ? "+" + n : (n < 0 ? "\u2212" + (-n) : "0"); }
  // the badge of one group's movement since the compared run: "errors −10 · Q5 Q7 now pass"
  function movementText(m) {
    if (!m) { return ""; }
    if (m.errors_change === null || m.errors_change === undefined) { return m.status; }
    var parts = ["errors " + signed(m.errors_change)];
    if (m.newly_passing.length) { parts.push(m.newly_passing.map(function (n) { return "Q" + n; }).join(" ") + " now pass"); }
    if (m.newly_failing.length) { parts.push(m.newly_failing.map(function (n) { return "Q" + n; }).join(" ") + " now fail"); }
    return parts.join(" \u00b7 ");
  }
  function movementBadge(m) {
    var b = el("span", "move move-" + (m ? m.status.replace(/ /g, "-") : "none"), movementText(m));
    b.title = m ? m.status + (m.old_path ? " (matched by " + m.matched_by + ": " + m.old_path + ")" : "") : "";
    return b;
  }
  function previewLink(r, text) {
    var a = el("a", "preview", text);
    a.href = r.handin_preview;  // our own file name: handin/[A-Za-z0-9._-]+.html
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  var columns = [
    { key: "group", label: "Group", num: true, get: groupNumber },
    { key: "path", label: "Repository", get: function (r) { return r.path; } },
    { key: "template", label: "Template", get: function (r) { return r.template; } },
    { key: "passed", label: "Passed", num: true, count: true, get: function (r) { return r.error ? null : r.passed; },
      show: function (r) { return r.error ? null : r.passed + "/" + r.total; } },
    { key: "errors", label: "Errors", num: true, count: true, get: function (r) { return r.error ? null : r.errors; } },
    { key: "warnings", label: "Warnings", num: true, count: true, get: function (r) { return r.error ? null : r.warnings; } },
    { key: "infos", label: "Infos", num: true, count: true, get: function (r) { return r.error ? null : r.infos; } },
    { key: "unsupported", label: "Unsupported claims", num: true, count: true, get: function (r) { return r.error ? null : r.unsupported; } },
    { key: "unfilled", label: "Unfilled", num: true, count: true, get: function (r) { return r.error ? null : r.unfilled; } },
    { key: "missing", label: "Missing figures", num: true, count: true, get: function (r) { return r.error ? null : r.missing; } },
    { key: "handin", label: "Hand-in differences", num: true, count: true,
      get: function (r) { return r.error ? null : r.handin_render; } },
    { key: "preview", label: "Hand-in page", get: function (r) { return r.handin_preview || r.handin_problem || ""; } },
    { key: "error", label: "Could not lint", get: function (r) { return r.error; } },
    { key: "notes", label: "Notes", get: function (r) { return (r.notes || []).join("; "); } }
  ];
  if (CMP) {
    columns.splice(4, 0, { key: "movement", label: "Since " + (CMP.since || "last run"), num: true,
      get: function (r) { return r.movement ? r.movement.errors_change : null; } });
  }
  // the default order: most trouble first (could not be linted, errors, unsupported claims, questions
  // failing), ties by group number then path, compared by code point so every browser gives one order
  function byText(x, y) { return x < y ? -1 : (x > y ? 1 : 0); }
  function failing(r) { return (r.total || 0) - (r.passed || 0); }
  function trouble(a, b) {
    if (!a.error !== !b.error) { return a.error ? -1 : 1; }
    var d = a.error ? 0 : ((b.errors || 0) - (a.errors || 0)) || ((b.unsupported || 0) - (a.unsupported || 0)) ||
      (failing(b) - failing(a));
    if (d) { return d; }
    var x = groupNumber(a), y = groupNumber(b);
    if (unknown(x) !== unknown(y)) { return unknown(x) ? 1 : -1; }
    return (unknown(x) ? 0 : x - y) || byText(a.path, b.path);
  }
  var state = { sort: "trouble", dir: 1, filter: "", show: "all" };
  var table = document.getElementById("groups");
  var headRow = el("tr");
  columns.forEach(function (c) {
    var th = el("th", null, c.label);
    th.dataset.key = c.key;
    th.addEventListener("click", function () {
      state.dir = state.sort === c.key ? -state.dir : (c.num ? -1 : 1);
      state.sort = c.key;
      render();
    });
    headRow.appendChild(th);
  });
  table.tHead.appendChild(headRow);

  function visible() {
    var f = state.filter.toLowerCase();
    var col = columns.filter(function (c) { return c.key === state.sort; })[0];
    var out = repos.filter(function (r) {
      if (state.show === "problems" && !(r.error || r.errors > 0)) { return false; }
      if (state.show === "broken" && !r.error) { return false; }
      if (state.show === "clean" && (r.error || r.errors > 0)) { return false; }
      if (state.show === "notes" && !(r.notes && r.notes.length)) { return false; }
      if (!f) { return true; }
      return [groupLabel(r), r.path, r.template, r.error, r.commit, (r.notes || []).join(" ")].join(" ")
        .toLowerCase().indexOf(f) >= 0;
    });
    if (!col) { return out.sort(trouble); }
    out.sort(function (a, b) {
      var x = col.get(a), y = col.get(b), d;
      if (col.num) {
        if (unknown(x) !== unknown(y)) { return unknown(x) ? 1 : -1; }  // either direction: unknown last
        d = unknown(x) ? 0 : x - y;
      } else { d = String(x || "").localeCompare(String(y || "")); }
      return d !== 0 ? d * state.dir : a.path.localeCompare(b.path);
    });
    return out;
  }

  function renderTable(rows) {
    var body = table.tBodies[0];
    clear(body);
    rows.forEach(function (r) {
      var tr = el("tr", r.error ? "broken" : null);
      tr.dataset.repo = String(r.id);
      columns.forEach(function (c) {
        var v = c.show ? c.show(r) : c.get(r);
        var td = el("td", c.num ? "num" : (c.key === "template" ? "nowrap" : null), unknown(v) ? "" : v);
        if (c.count && unknown(v)) {
          td.textContent = "unknown"; td.className += " muted unknown"; td.title = "could not be linted, so not known";
        }
        if (c.key === "group" && r.group === null && r.folder_group !== null) {
          td.className += " muted"; td.title = "no group number in the report; taken from the folder name";
        }
        if (c.key === "errors" && r.errors > 0 && !r.error) { td.className += " err"; }
        if (c.key === "passed" && !r.error) { td.className += r.passed === r.total ? " verdict-pass" : " verdict-fail"; }
        if (c.key === "group" && !unknown(r.group) && DUP[String(r.group)]) {
          td.className += " dup";
          td.title = "group " + r.group + " is claimed by " + DUP[String(r.group)].join(", ");
          add(td, el("span", "dup-badge", "claimed twice"));
        }
        if (c.key === "movement") { clear(td); add(td, movementBadge(r.movement)); }
        if (c.key === "preview") {
          clear(td);
          if (r.handin_preview) { add(td, previewLink(r, "preview")); } else if (r.handin_problem) {
            td.className += " muted"; td.textContent = "none"; td.title = r.handin_problem;
          }
        }
        tr.appendChild(td);
      });
      tr.addEventListener("click", function () { openRepo(r.id); });
      body.appendChild(tr);
    });
    Array.prototype.forEach.call(headRow.children, function (th) {
      th.className = th.dataset.key === state.sort ? (state.dir > 0 ? "asc" : "desc") : "";
    });
    document.getElementById("shown").textContent = "showing " + rows.length + " of " + repos.length +
      (state.sort === "trouble" ? " · most trouble first" : "");
    document.getElementById("by-trouble").hidden = state.sort === "trouble";
  }

  // ------------------------------------------------------------------ heatmap
  var numbers = [];
  repos.forEach(function (r) {
    r.questions.forEach(function (q) { if (numbers.indexOf(q[0]) < 0) { numbers.push(q[0]); } });
  });
  numbers.sort(function (a, b) { return a - b; });
  var heat = document.getElementById("heatmap");
  var heatHead = add(el("tr"), el("th", "name", "group / question"));
  numbers.forEach(function (n) { heatHead.appendChild(el("th", null, n)); });
  heat.tHead.appendChild(heatHead);

  function renderHeatmap(rows) {
    var body = heat.tBodies[0];
    clear(body);
    rows.forEach(function (r) {
      var states = {};
      r.questions.forEach(function (q) { states[q[0]] = q[1]; });
      var name = el("th", "name", groupLabel(r) + " · " + r.path);
      name.title = r.path;
      var tr = add(el("tr"), name);
      tr.dataset.repo = String(r.id);
      numbers.forEach(function (n) {
        // linted, but its template has no question n (a 27-question report in a 31-question class)
        var s = states[n] || (r.error ? "none" : "absent");
        var cell = el("span", "cell " + s);
        cell.title = r.path + " · question " + n + ": " + (r.error ? "not linted" :
          (s === "absent" ? "not in this template (" + r.template + ", " + r.total + " questions)" : s));
        tr.appendChild(add(el("td"), cell));
      });
      tr.addEventListener("click", function () { openRepo(r.id); });
      body.appendChild(tr);
    });
  }

  function render() {
    var rows = visible();
    renderTable(rows);
    renderHeatmap(rows);
  }

  // ------------------------------------------------------------------ checklist across groups
  (function renderChecklist() {
    var items = {}, order = [];
    repos.forEach(function (r) {
      r.checklist.forEach(function (c) {
        var it = items[c.key];
        if (!it) { it = items[c.key] = { key: c.key, text: c.text, claimed: 0, supported: 0, unsupported: 0, other: 0 }; order.push(it); }
        if (c.claimed) { it.claimed += 1; }
        if (c.verdict === "supported") { it.supported += 1; } else if (c.verdict === "unsupported") { it.unsupported += 1; } else if (c.claimed) { it.other += 1; }
      });
    });
    order.sort(function (a, b) { return b.unsupported - a.unsupported || b.claimed - a.claimed || a.key.localeCompare(b.key); });
    var t = document.getElementById("checklist");
    add(t.tHead, add(el("tr"), el("th", null, "Item"), el("th", null, "Claimed"), el("th", null, "Supported"),
      el("th", null, "Unsupported"), el("th", null, "Claimed, not checkable"), el("th", null, "")));
    if (!order.length) {
      var empty = el("td", "muted", "No checklist verdicts in these results.");
      empty.colSpan = 6;
      add(t.tBodies[0], add(el("tr"), empty));
    }
    order.forEach(function (it) {
      var label = add(el("td"), el("b", null, it.key));
      if (it.text && it.text !== it.key) { add(label, el("div", "muted", it.text)); }
      var bars = el("td");
      var ok = el("span", "bar ok"); ok.style.width = (it.supported * 4) + "px";
      var bad = el("span", "bar"); bad.style.width = (it.unsupported * 4) + "px";
      add(bars, ok, bad);
      var tr = add(el("tr"), label, el("td", "num", it.claimed), el("td", "num", it.supported),
        el("td", "num" + (it.unsupported ? " err" : ""), it.unsupported), el("td", "num", it.other), bars);
      tr.dataset.item = it.key;
      t.tBodies[0].appendChild(tr);
    });
  })();

  // ------------------------------------------------------------------ per-group detail
  var detail = document.getElementById("detail");
  function openRepo(id) {
    var r = byId[id];
    if (!r) { detail.hidden = true; return; }
    if (location.hash !== "#repo=" + id) { history.replaceState(null, "", "#repo=" + id); }
    clear(detail);
    var close = el("button", null, "close");
    close.addEventListener("click", function () { detail.hidden = true; history.replaceState(null, "", "#"); });
    add(detail, add(el("h2"), el("span", null, groupLabel(r) + " — " + r.path), close));
    var where = r.mode === "commit" ? "commit " + r.commit :
      (r.mode === "folder" ? "files on disk (not a git repository)" : "work tree at " + (r.commit || "(no commit)"));
    add(detail, el("p", "muted", [where,
      r.committed ? "committed " + r.committed : "", r.template ? "template " + r.template : "",
      r.error ? "" : r.passed + "/" + r.total + " questions pass"].filter(Boolean).join(" · ")));
    if (r.error) { add(detail, el("p", "err", "Could not lint: " + r.error)); }
    if (r.movement) { add(detail, add(el("p", "moved"), el("span", null, "Since " + (CMP.since || "the last run") + ": "), movementBadge(r.movement))); }
    if (r.handin_preview) {
      add(detail, add(el("p"), previewLink(r, "Hand-in page as staff grade it"),
        el("span", "muted", " · " + r.handin_render + " difference" + (r.handin_render === 1 ? "" : "s") + " from GitHub (handin-render)")));
    } else if (r.handin_problem) { add(detail, el("p", "muted", "No hand-in page: " + r.handin_problem)); }
    (r.notes || []).forEach(function (n) { add(detail, el("p", "note", "Note: " + n)); });
    var chips = el("div", "qstates");
    r.questions.forEach(function (q) { chips.appendChild(el("span", q[1], "Q" + q[0])); });
    add(detail, chips);
    if (!r.error) {
      var severity = el("select", "severity");
      severity.setAttribute("aria-label", "severity");
      var rule = el("select", "rule");
      rule.setAttribute("aria-label", "rule");
      var counted = {}, sevCount = { error: 0, warning: 0, info: 0 };
      r.diagnostics.forEach(function (d) {
        counted[d.rule] = (counted[d.rule] || 0) + 1;
        sevCount[d.severity] = (sevCount[d.severity] || 0) + 1;
      });
      add(severity, el("option", null, "all severities"));
      severity.options[0].value = "";
      ["error", "warning", "info"].forEach(function (s) {
        var o = el("option", null, s + " (" + sevCount[s] + ")"); o.value = s; severity.appendChild(o);
      });
      add(rule, el("option", null, "all rules"));
      rule.options[0].value = "";
      Object.keys(counted).sort().forEach(function (name) {
        var o = el("option", null, name + " (" + counted[name] + ")"); o.value = name; rule.appendChild(o);
      });
      var count = el("span", "muted shown-diagnostics");
      add(detail, add(el("div", "controls"), severity, rule, count));
      var t = el("table", "grid diagnostics");
      add(t, add(el("thead"), add(el("tr"), el("th", null, "Line"), el("th", null, "Severity"), el("th", null, "Rule"),
        el("th", null, "Q"), el("th", null, "Message and offending line"))));
      var body = el("tbody");
      r.diagnostics.forEach(function (d) {
        var msg = add(el("td"), el("div", null, d.message));
        if (d.snippet) { add(msg, el("code", "snippet", d.snippet)); }
        var tr = add(el("tr"), el("td", "num", d.line + ":" + d.column), el("td", "sev-" + d.severity, d.severity),
          el("td", null, d.code + " " + d.rule), el("td", "num", d.question === null ? "" : d.question), msg);
        tr.dataset.severity = d.severity;
        tr.dataset.rule = d.rule;
        body.appendChild(tr);
      });
      var filterDiagnostics = function () {
        var shownRows = 0;
        Array.prototype.forEach.call(body.rows, function (tr) {
          var keep = (!severity.value || tr.dataset.severity === severity.value) &&
            (!rule.value || tr.dataset.rule === rule.value);
          tr.hidden = !keep;
          if (keep) { shownRows += 1; }
        });
        count.textContent = "showing " + shownRows + " of " + body.rows.length + " diagnostics";
      };
      severity.addEventListener("change", filterDiagnostics);
      rule.addEventListener("change", filterDiagnostics);
      add(detail, add(t, body));
      filterDiagnostics();
      if (!r.diagnostics.length) { add(detail, el("p", "muted", "No diagnostics.")); }
    }
    detail.hidden = false;
    headerHeight();
    detail.scrollIntoView();
  }
  function fromHash() {
    var m = /^#repo=(\d+)$/.exec(location.hash);
    if (m) { openRepo(Number(m[1])); }
  }
  window.addEventListener("hashchange", fromHash);

  document.getElementById("filter").addEventListener("input", function (e) { state.filter = e.target.value; render(); });
  document.getElementById("show").addEventListener("change", function (e) { state.show = e.target.value; render(); });
  document.getElementById("by-trouble").addEventListener("click", function () { state.sort = "trouble"; state.dir = 1; render(); });
  if (CMP && CMP.gone.length) {
    var gone = document.getElementById("gone");
    gone.hidden = false;
    gone.textContent = "Gone since " + (CMP.since || "the last run") + ": " + CMP.gone.map(function (g) {
      return (g.group === null ? "" : "group " + g.group + " · ") + g.path;
    }).join("; ");
  }
  window.addEventListener("resize", headerHeight);
  headerHeight();
  render();
  fromHash();
  document.body.dataset.ready = "1";
})();
