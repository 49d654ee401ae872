/* The call-back form, improved: checks the fields before sending, sends in
   the background, never loses what the visitor typed, and says only what
   it knows: "thank you" only for the provider's success JSON or its
   redirect to our thank-you page; "failed" only when the provider answered
   that it did not take the request; otherwise the request may have
   arrived, and the form says it could not confirm it. From then on it never
   invites a duplicate: calling comes first, and the form's own button is
   hidden; only a second button that says the clinic may get the request
   twice sends it again.

   Without this script the form still works: the browser posts it and the
   provider redirects to our thank-you page. Every text shown here comes from
   the page (data-* attributes and hidden elements written by the template in
   the page's language), so the script has no language of its own.

   Started on each element with data-module="callback-form". */
(function () {
  "use strict";

  var DEFAULT_TIMEOUT_MS = 15000;
  var ANNOUNCE_DELAY_MS = 1000; // read the count out once typing pauses

  /* Characters as people count them (an emoji is one). */
  function length(text) {
    return Array.from(text).length;
  }

  /* A Ukrainian number as people type it (+380 97 055 22 00, 097 055 22 00,
     (097) 055-22-00, 380970552200, 8 097 055 22 00) as +380XXXXXXXXX, or
     null when it is not one. */
  function normalisePhone(typed) {
    var compact = typed.replace(/[\s().\-]/g, "");
    if (!/^\+?\d+$/.test(compact)) return null;
    var digits = compact.replace(/^\+/, "");
    if (/^0\d{9}$/.test(digits)) digits = "38" + digits;
    else if (/^80\d{9}$/.test(digits)) digits = "3" + digits;
    return /^380\d{9}$/.test(digits) ? "+" + digits : null;
  }

  /* An address without its query and fragment, to compare with another. */
  function address(url) {
    var parsed = new URL(url, location.href);
    return parsed.origin + parsed.pathname;
  }

  function CallbackForm(form) {
    this.form = form;
    this.section = form.parentNode;
    this.summary = form.querySelector("[data-error-summary]");
    this.summaryList = form.querySelector("[data-error-list]");
    this.failure = form.querySelector("[data-failure]");
    this.done = this.section.querySelector("[data-done]");
    this.button = form.querySelector("button[type=submit]");
    this.buttonLabel = this.button.textContent;
    this.resend = form.querySelector("[data-resend]");
    this.resendLabel = this.resend.textContent;
    this.sendingLabel = this.button.getAttribute("data-sending-label");
    this.thanks = address(form.querySelector("[data-thanks]").value);
    this.mayHaveArrived = false; // once true, only this.resend sends again
    this.timeoutMs = Number(form.getAttribute("data-timeout-ms")) || DEFAULT_TIMEOUT_MS;
    this.sending = false;
    this.live = form.querySelector("[data-count-live]");
    this.limited = form.querySelectorAll("[data-limit]");
    for (var i = 0; i < this.limited.length; i++) {
      var input = this.limited[i];
      input.addEventListener("input", this.count.bind(this, input));
      this.count(input);
    }
    // We check the fields ourselves, with messages in the page's language.
    form.noValidate = true;
    form.addEventListener("submit", this.onSubmit.bind(this));
    this.resend.addEventListener("click", this.trySend.bind(this));
  }

  /* Show "N of 500 characters" under a limited field at every change; a
     screen reader hears it only near or over the limit, once typing pauses. */
  CallbackForm.prototype.count = function (input) {
    var used = length(input.value);
    var limit = Number(input.getAttribute("data-limit"));
    var text = input.getAttribute("data-count").replace("{n}", used);
    var shown = document.getElementById(input.id + "-count");
    var live = this.live;
    shown.textContent = text; // its line is there, empty, before the script
    shown.classList.toggle("mc-field__count--over", used > limit);
    clearTimeout(this.announcing);
    if (used < limit * 0.9) {
      live.textContent = "";
      return;
    }
    this.announcing = setTimeout(function () { live.textContent = text; }, ANNOUNCE_DELAY_MS);
  };

  CallbackForm.prototype.field = function (name) {
    return this.form.elements[name];
  };

  /* Is the field's text over its limit (data-limit)? */
  function tooLong(input) {
    return length(input.value) > Number(input.getAttribute("data-limit"));
  }

  /* The problems with what was typed: [{field, message}], the shape of the
     provider's errors; each message is the field's data-error-<kind>. */
  CallbackForm.prototype.check = function () {
    var problems = [];
    var fields = this.form.elements;
    function problem(input, kind) {
      problems.push({ field: input.name, message: input.getAttribute("data-error-" + kind) });
    }
    if (!fields.name.value.trim()) problem(fields.name, "required");
    else if (tooLong(fields.name)) problem(fields.name, "too-long");
    if (!fields.phone.value.trim()) problem(fields.phone, "required");
    else if (!normalisePhone(fields.phone.value)) problem(fields.phone, "format");
    if (tooLong(fields.message)) problem(fields.message, "too-long");
    if (!fields.consent.checked) problem(fields.consent, "required");
    return problems;
  };

  CallbackForm.prototype.clearMessages = function () {
    var invalid = this.form.querySelectorAll("[aria-invalid]");
    for (var i = 0; i < invalid.length; i++) {
      var input = invalid[i];
      input.removeAttribute("aria-invalid");
      var described = (input.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter(function (id) { return id && id !== input.id + "-error"; });
      if (described.length) input.setAttribute("aria-describedby", described.join(" "));
      else input.removeAttribute("aria-describedby");
    }
    var errors = this.form.querySelectorAll(".mc-field__error");
    for (var j = 0; j < errors.length; j++) {
      errors[j].hidden = true;
      errors[j].textContent = "";
    }
    this.summaryList.textContent = "";
    this.summary.hidden = true;
    // Where a request may have arrived, the way to call (and to send again
    // on purpose) stays in view.
    this.failure.hidden = !this.mayHaveArrived;
  };

  /* Show each problem beside its field and in a summary at the top of the
     form that links to the field; move the focus to the summary. */
  CallbackForm.prototype.showProblems = function (problems) {
    this.clearMessages();
    for (var i = 0; i < problems.length; i++) {
      var problem = problems[i];
      var input = problem.field && this.field(problem.field);
      if (input && input.id) {
        var inline = document.getElementById(input.id + "-error");
        if (inline && inline.hidden) {
          inline.textContent = problem.message;
          inline.hidden = false;
          input.setAttribute("aria-invalid", "true");
          var described = input.getAttribute("aria-describedby");
          input.setAttribute("aria-describedby", (described ? described + " " : "") + inline.id);
        }
      }
      this.summaryList.appendChild(this.summaryItem(problem.message, input));
    }
    this.summary.hidden = false;
    this.summary.focus();
  };

  CallbackForm.prototype.summaryItem = function (message, input) {
    var item = document.createElement("li");
    if (!input || !input.id) {
      item.textContent = message;
      return item;
    }
    var link = document.createElement("a");
    link.href = "#" + input.id;
    link.textContent = message;
    link.addEventListener("click", function (event) {
      event.preventDefault();
      input.focus();
    });
    item.appendChild(link);
    return item;
  };

  /* No confirmation: say what we know ("failed", "uncertain" or "offline"),
     offer the phone, keep everything that was typed. Once a request may have
     arrived, the form's button goes: the next obvious click must not send a
     second request; the button that does says it may arrive twice. */
  CallbackForm.prototype.showFailure = function (outcome) {
    if (outcome === "uncertain") this.mayHaveArrived = true;
    this.button.hidden = this.mayHaveArrived;
    this.resend.hidden = !this.mayHaveArrived;
    this.clearMessages();
    var texts = this.failure.querySelectorAll("[data-outcome]");
    for (var i = 0; i < texts.length; i++) {
      texts[i].hidden = texts[i].getAttribute("data-outcome") !== outcome;
    }
    this.failure.hidden = false;
    this.failure.focus();
  };

  CallbackForm.prototype.showDone = function () {
    this.form.hidden = true;
    this.done.textContent = this.done.getAttribute("data-done-message");
    this.done.focus();
  };

  CallbackForm.prototype.setSending = function (sending) {
    this.sending = sending;
    this.button.disabled = this.resend.disabled = sending;
    this.button.textContent = sending ? this.sendingLabel : this.buttonLabel;
    this.resend.textContent = sending ? this.sendingLabel : this.resendLabel;
  };

  /* The form's button, or Enter in a field. Where the last request may have
     arrived, it sends nothing and brings the visitor back to the message
     (call us, or send again on purpose). */
  CallbackForm.prototype.onSubmit = function (event) {
    event.preventDefault();
    if (this.mayHaveArrived) this.failure.focus();
    else this.trySend();
  };

  CallbackForm.prototype.trySend = function () {
    if (this.sending) return; // a second click while sending sends nothing
    var problems = this.check();
    if (problems.length) this.showProblems(problems);
    else this.send();
  };

  /* The provider's field errors ({"errors": [{field, message}]}) when every
     one names a field the visitor can correct; otherwise null. */
  CallbackForm.prototype.fieldErrors = function (errors) {
    var form = this.form;
    var usable = Array.isArray(errors) && errors.length && errors.every(function (error) {
      var input = error && form.elements[error.field];
      return input && input.id && typeof error.message === "string" && error.message;
    });
    return usable ? errors : null;
  };

  /* What an answer we could read means: "done", field problems, "failed"
     (the provider said no), or "uncertain" (nothing says it was taken or
     refused: a redirect anywhere but our thank-you page, a 2xx that is not
     the success JSON, a gateway's 502/504 while the provider behind it may
     have it). The provider redirects to our thank-you page (the `next`
     address the form sends) only when it took the request. */
  CallbackForm.prototype.outcome = function (response, body) {
    if (response.redirected) return address(response.url) === this.thanks ? "done" : "uncertain";
    var status = response.status;
    var json = /json/.test(response.headers.get("Content-Type")) && body && typeof body === "object";
    if (response.ok) {
      return json && body.ok === true ? "done" : json && body.ok === false ? "failed" : "uncertain";
    }
    if (status >= 400 && status < 500) {
      return (json && this.fieldErrors(body.errors)) || "failed";
    }
    return status >= 500 && status !== 502 && status !== 504 ? "failed" : "uncertain";
  };

  CallbackForm.prototype.send = function () {
    var self = this;
    if (navigator.onLine === false) {
      this.showFailure("offline"); // nothing is sent
      return;
    }
    var data = new URLSearchParams(new FormData(this.form));
    data.set("phone", normalisePhone(this.field("phone").value));
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, this.timeoutMs);
    this.setSending(true);
    fetch(this.form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      // Follow a redirect, to see where it ends: our thank-you page can be
      // read once the redirect has led there (the host allows any origin,
      // as GitHub Pages does); elsewhere it is no confirmation.
      redirect: "follow",
      signal: controller.signal
    })
      .then(function (response) {
        return response.json().then(
          function (body) { return self.outcome(response, body); },
          function () { return self.outcome(response); } // no body, or not JSON
        );
      })
      .then(function (outcome) {
        if (outcome === "done") self.showDone();
        else if (typeof outcome === "string") self.showFailure(outcome);
        else self.showProblems(outcome);
      }, function () {
        // Sent, but no answer we may read: the provider is down or
        // unreachable, the network dropped, the answer (or the page it
        // redirects to) lacks its CORS header, or our time-out fired. A
        // browser cannot tell these apart, and in some of them the request
        // has arrived.
        self.showFailure("uncertain");
      })
      .then(function () {
        clearTimeout(timer);
        self.setSending(false);
      });
  };

  var forms = document.querySelectorAll("[data-module='callback-form']");
  for (var i = 0; i < forms.length; i++) new CallbackForm(forms[i]);
})();
