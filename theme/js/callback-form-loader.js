/* Loads the call-back form's script (the form's data-script) only when the
   visitor comes to the form: when it scrolls into view (the header's
   "Request a call back" link jumps there) or a field of it gets the focus.
   Most visitors read an article and leave; they never pay for the script,
   and the page's first view stays one request (issue 13).

   Printed inline right after the form, so the form is already there; the
   policy allows it by its hash. Until the script has arrived the form still
   works as a plain form: the browser checks the required fields and posts
   it, and the provider sends the visitor to our thank-you page. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-script]");
  if (!form) return;
  var loaded = false;

  function load() {
    if (loaded) return;
    loaded = true;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-script");
    document.head.appendChild(script);
  }

  form.addEventListener("focusin", load);
  if (!("IntersectionObserver" in window)) return load();
  new IntersectionObserver(function (entries, observer) {
    if (entries[0].isIntersecting) {
      observer.disconnect();
      load();
    }
  }).observe(form);
})();
