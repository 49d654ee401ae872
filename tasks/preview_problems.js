// `make serve` only (tasks/preview_server.py serves it; no built site has it):
// when the last build failed, show its problems over the last good page.
//
// Under the site's Content-Security-Policy: this file comes from the preview
// server ('self'), its answer too (connect-src 'self'); the text is put in as
// text (textContent), never as HTML, for a message may quote what an editor
// typed, <script> included; the look is set through the CSSOM (element.style),
// which the policy's style-src does not govern, not by a <style> or a style
// attribute, which it would refuse.
(function () {
  "use strict";

  function element(tag, text, look) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    Object.keys(look || {}).forEach(function (property) {
      node.style.setProperty(property, look[property]);
    });
    return node;
  }

  function show(state) {
    if (!state.failed) return;
    var panel = element("section", "", {
      position: "fixed", inset: "0", "z-index": "2147483647", overflow: "auto", margin: "0",
      padding: "1.5rem", background: "#fff", color: "#1a1a1a", "border-top": "0.5rem solid #b3261e",
      font: "1rem/1.5 system-ui, sans-serif", "text-align": "start"
    });
    panel.setAttribute("role", "alert");
    panel.setAttribute("data-preview-problems", "");
    state.words.forEach(function (words) {
      var part = element("div", "", { "margin-bottom": "1rem" });
      part.lang = words.lang;
      part.appendChild(element("h2", words.heading, { margin: "0 0 0.25rem", "font-size": "1.4rem", color: "#b3261e" }));
      part.appendChild(element("p", words.help, { margin: "0" }));
      panel.appendChild(part);
    });
    var lines = { font: "0.95rem/1.5 ui-monospace, monospace", "white-space": "pre-wrap", "overflow-wrap": "anywhere",
                  margin: "0 0 1rem", padding: "0.75rem 1rem", "list-style": "none" };
    // What stopped the build first, then the warnings (as the terminal
    // prints them), or, without errors, the end of what the build printed.
    [[state.errors, "#fdf0ef", "#1a1a1a"], [state.warnings, "#f4f4f4", "#4a4a4a"]].forEach(function (kind) {
      if (!kind[0].length) return;
      var list = element("ul", "", Object.assign({ background: kind[1], color: kind[2] }, lines));
      kind[0].forEach(function (line) { list.appendChild(element("li", line, { margin: "0 0 0.5rem" })); });
      panel.appendChild(list);
    });
    if (state.output.length) {
      panel.appendChild(element("pre", state.output.join("\n"), Object.assign({ background: "#fdf0ef" }, lines)));
    }
    var hide = element("button", state.words.map(function (words) { return words.hide; }).join(" / "), {
      font: "inherit", padding: "0.5rem 1rem", cursor: "pointer"
    });
    hide.type = "button";
    hide.addEventListener("click", function () { panel.remove(); });
    panel.appendChild(hide);
    document.body.appendChild(panel);
  }

  // Beside this script, at the preview server's own path.
  fetch(new URL("problems.json", document.currentScript.src), { cache: "no-store" })
    .then(function (answer) { return answer.json(); })
    .then(show)
    .catch(function () { /* the preview server has stopped: nothing to show */ });
})();
