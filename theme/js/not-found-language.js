/* Shows the "page not found" page in the language of the address asked for.

   GitHub Pages (and Netlify) answer every missing address with the one
   /404.html at the site's root, whatever its language. That page holds
   every language's message and frame (header, footer), each part marked
   with its `lang` and the path its language lives under
   (data-mc-not-found: "/" for the default language, "/en/" for English,
   after the site's own path). This script keeps the parts whose path is
   the longest start of the address, hides the others, and gives the page
   that language and its title. Without JavaScript the default language's
   frame and every message stay: the visitor still finds their own.

   Printed inline after the last part, so all are there; the policy allows
   it by its hash. */
(function () {
  "use strict";
  var parts = document.querySelectorAll("[data-mc-not-found]");
  var path = window.location.pathname;
  var chosen = null;
  var i;
  for (i = 0; i < parts.length; i++) {
    var prefix = parts[i].getAttribute("data-mc-not-found");
    if (path.indexOf(prefix) === 0 && (chosen === null || prefix.length > chosen.length)) {
      chosen = prefix;
    }
  }
  if (chosen === null) return;  // an address outside the site: keep the page as it is
  for (i = 0; i < parts.length; i++) {
    var part = parts[i];
    part.hidden = part.getAttribute("data-mc-not-found") !== chosen;
    if (!part.hidden && part.hasAttribute("data-mc-title")) {
      document.documentElement.lang = part.lang;
      document.title = part.getAttribute("data-mc-title");
    }
  }
})();
