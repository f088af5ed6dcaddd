/* cloudpeds flowcharts: tap-to-enlarge viewer (pan and zoom) and the step-through walker.
   No framework, works offline; the SVG and the text outline work without it. */
(function () {
  "use strict";

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attrs[key]);
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // A linked item as the outline shows it (the page compiles that at build time, with the chapter's items):
  // its level's tag (shape, colour, words), then its own words.
  function itemLink(id, items) {
    var item = items && items[id];
    var link = el("a", { class: "cp-fc-item", href: "#" + id });
    if (!item) { link.textContent = "#" + id; return link; }
    if (item.level) {
      link.appendChild(el("span", { class: "cp-tag cp-level--" + item.level }, [
        el("span", { class: "cp-shape", "aria-hidden": "true", text: item.shape }),
        document.createTextNode(" " + item.tag)]));
      link.appendChild(document.createTextNode(" "));
    }
    link.appendChild(document.createTextNode(item.text));
    return link;
  }

  // A node's kind as in the text outline: a level's shape, colour (cp-level--<id>) and word; a step's word.
  function kindBadge(node) {
    var badge = el("span", { class: "cp-fc-kind cp-fc-kind--" + node.kind + (node.level ? " cp-level--" + node.level : "") });
    if (node.shape) badge.appendChild(el("span", { class: "cp-shape", "aria-hidden": "true", text: node.shape }));
    badge.appendChild(document.createTextNode((node.shape ? " " : "") + node.kindName));
    return badge;
  }

  // Charts are printed from the viewer for the wall: it repeats the page's sample disclaimer (shown only
  // while that setting is on) and names the edition.
  function viewerNotes() {
    var notes = [];
    var disclaimer = document.querySelector(".cp-disclaimer");
    if (disclaimer) notes.push(el("p", { class: "cp-fc-viewer__disclaimer", role: "note", text: disclaimer.textContent.trim() }));
    var data = document.querySelector(".cp-edition-data");
    if (data) {
      try {
        var edition = JSON.parse(data.textContent);
        var label = edition.label || edition.version;
        if (label) notes.push(el("p", { class: "cp-fc-viewer__edition", text: label + (edition.date ? " · " + edition.date : "") }));
      } catch (e) { /* no edition line */ }
    }
    return notes.length ? el("div", { class: "cp-fc-viewer__notes" }, notes) : null;
  }

  function openViewer(figure, t) {
    var svg = figure.querySelector(".cp-fc-canvas svg");
    var natural = parseFloat(svg.getAttribute("width"));
    var zoom = 1;
    var copy = svg.cloneNode(true);
    copy.removeAttribute("aria-labelledby");
    copy.setAttribute("aria-hidden", "true");
    var stage = el("div", { class: "cp-fc-viewer__stage", tabindex: "0" }, [copy]);
    function apply() { copy.style.width = Math.floor(natural * zoom) + "px"; copy.style.height = "auto"; }
    var dialog = el("dialog", { class: "cp-fc-viewer", "aria-label": svg.querySelector("title").textContent }, [
      el("div", { class: "cp-fc-viewer__bar" }, [
        el("button", { type: "button", class: "cp-fc-btn", text: "−", "aria-label": t.zoom_out,
          onclick: function () { zoom = Math.max(0.5, zoom / 1.25); apply(); } }),
        el("button", { type: "button", class: "cp-fc-btn", text: "+", "aria-label": t.zoom_in,
          onclick: function () { zoom = Math.min(4, zoom * 1.25); apply(); } }),
        el("button", { type: "button", class: "cp-fc-btn cp-fc-viewer__close", text: t.close,
          onclick: function () { dialog.close(); } })
      ]),
      viewerNotes(),
      stage
    ].filter(Boolean));
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
    // Opens fitted to the width (charts are laid out narrow enough for their text to stay readable so).
    var style = getComputedStyle(stage);
    var room = stage.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    zoom = Math.min(2, room / natural);
    apply();
  }

  function Walker(figure, data, t) {
    this.figure = figure; this.data = data; this.t = t;
    this.box = figure.querySelector(".cp-fc-walker");
    this.history = [];
    this.current = data.start;
  }

  Walker.prototype.go = function (target, label) {
    this.history.push({ node: this.current, label: label });
    this.current = target;
    this.render(true);
  };

  Walker.prototype.back = function () {
    if (!this.history.length) return;
    this.current = this.history.pop().node;
    this.render(true);
  };

  Walker.prototype.restart = function () {
    this.history = []; this.current = this.data.start; this.render(true);
  };

  // Answers known before the reader starts (the "this child" control of the chapter page): the steps
  // taken ({node, label}) and the node to go on from; an empty list starts over.
  Walker.prototype.prefill = function (steps, current) {
    this.history = steps.slice();
    this.current = current || this.data.start;
    if (!this.box.hidden) this.render(false);
  };

  Walker.prototype.render = function (focus) {
    var self = this, t = this.t, node = this.data.nodes[this.current];
    var path = el("ol", { class: "cp-fc-walker__path" }, this.history.map(function (step) {
      var past = self.data.nodes[step.node];
      return el("li", {}, [el("span", { text: past.text.replace(/\n/g, " ") }),
        step.label ? el("strong", { text: " → " + step.label }) : null]);
    }));
    var heading = el("p", { class: "cp-fc-walker__question cp-fc-walker__question--" + node.kind, tabindex: "-1" }, [
      kindBadge(node),
      el("span", { text: " " + node.text.replace(/\n/g, " ") })
    ]);
    var answers = el("div", { class: "cp-fc-walker__answers" }, node.exits.map(function (exit) {
      return el("button", { type: "button", class: "cp-fc-btn cp-fc-btn--answer", text: exit.label || t.next,
        onclick: function () { self.go(exit.to, exit.label); } });
    }));
    var outcome = null;
    var items = this.data.items;
    if (!node.exits.length) {
      // The outcome is the heading above (its level's shape, colour and word), then the items it links to.
      outcome = el("div", { class: "cp-fc-walker__outcome" }, node.links.map(function (id) {
        return el("p", { class: "cp-fc-walker__item" }, [itemLink(id, items)]);
      }));
    } else if (node.links.length) {
      outcome = el("div", { class: "cp-fc-walker__links" }, node.links.map(function (id) {
        return el("p", { class: "cp-fc-walker__item" }, [itemLink(id, items)]);
      }));
    }
    var controls = el("div", { class: "cp-fc-walker__controls" }, [
      el("button", { type: "button", class: "cp-fc-btn", text: t.back, onclick: function () { self.back(); } }),
      el("button", { type: "button", class: "cp-fc-btn", text: t.restart, onclick: function () { self.restart(); } })
    ]);
    if (!this.history.length) controls.firstChild.disabled = true;
    var parts = [
      this.history.length ? el("p", { class: "cp-fc-walker__label", text: t.path }) : null,
      this.history.length ? path : null, heading, answers, outcome, controls];
    this.box.replaceChildren.apply(this.box, parts.filter(Boolean));
    if (focus) heading.focus();
  };

  function init(figure) {
    if (figure.dataset.ready) return;
    figure.dataset.ready = "1";
    var data = JSON.parse(figure.querySelector(".cp-fc-data").textContent);
    var t = JSON.parse(figure.querySelector(".cp-fc-strings").textContent);
    var walker = new Walker(figure, data, t);
    figure.cpWalker = walker;
    var toolbar = figure.querySelector(".cp-fc-toolbar");
    var walk = el("button", { type: "button", class: "cp-fc-btn cp-fc-btn--primary", text: t.walk,
      "aria-expanded": "false", onclick: function () {
        var open = walker.box.hidden;
        walker.box.hidden = !open;
        walk.setAttribute("aria-expanded", String(open));
        if (open) walker.render(true);
      } });
    toolbar.replaceChildren(walk, el("button", { type: "button", class: "cp-fc-btn", text: t.enlarge,
      onclick: function () { openViewer(figure, t); } }));
    toolbar.hidden = false;
    walker.box.setAttribute("aria-live", "polite");
    figure.querySelector(".cp-fc-canvas").addEventListener("click", function (event) {
      if (!event.target.closest("a")) openViewer(figure, t);
    });
  }

  function start() { document.querySelectorAll(".cp-flowchart").forEach(init); }
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".cp-fc-outline").forEach(function (d) { d.open = true; });
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
