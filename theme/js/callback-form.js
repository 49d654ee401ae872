/* The call-back form, improved: checks the fields before sending, sends in
   the background, and never loses what the visitor typed.

   Without this script the form still works: the browser posts it and the
   provider redirects to our thank-you page. Every text shown here comes from
   the page (data-* attributes written by the template in the page's
   language), so the script has no language of its own.

   Started on each element with data-module="callback-form". */
(function () {
  "use strict";

  var DEFAULT_TIMEOUT_MS = 15000;

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

  function CallbackForm(form) {
    this.form = form;
    this.section = form.parentNode;
    this.summary = form.querySelector("[data-error-summary]");
    this.summaryList = form.querySelector("[data-error-list]");
    this.failure = form.querySelector("[data-failure]");
    this.done = this.section.querySelector("[data-done]");
    this.button = form.querySelector("button[type=submit]");
    this.buttonLabel = this.button.textContent;
    this.timeoutMs = Number(form.getAttribute("data-timeout-ms")) || DEFAULT_TIMEOUT_MS;
    this.sending = false;
    // We check the fields ourselves, with messages in the page's language.
    form.noValidate = true;
    form.addEventListener("submit", this.onSubmit.bind(this));
  }

  CallbackForm.prototype.field = function (name) {
    return this.form.elements[name];
  };

  /* The problems with what was typed: [{name, message}]. */
  CallbackForm.prototype.check = function () {
    var problems = [];
    var name = this.field("name");
    var phone = this.field("phone");
    var consent = this.field("consent");
    if (!name.value.trim()) {
      problems.push({ name: "name", message: name.getAttribute("data-error-required") });
    }
    if (!phone.value.trim()) {
      problems.push({ name: "phone", message: phone.getAttribute("data-error-required") });
    } else if (!normalisePhone(phone.value)) {
      problems.push({ name: "phone", message: phone.getAttribute("data-error-format") });
    }
    if (!consent.checked) {
      problems.push({ name: "consent", message: consent.getAttribute("data-error-required") });
    }
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
    this.failure.hidden = true;
  };

  /* Show each problem beside its field and in a summary at the top of the
     form that links to the field; move the focus to the summary. */
  CallbackForm.prototype.showProblems = function (problems) {
    this.clearMessages();
    for (var i = 0; i < problems.length; i++) {
      var problem = problems[i];
      var input = problem.name && this.field(problem.name);
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

  /* The request could not be delivered: say so, offer the phone, keep
     everything that was typed. */
  CallbackForm.prototype.showFailure = function () {
    this.clearMessages();
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
    this.button.disabled = sending;
    this.button.textContent = sending
      ? this.button.getAttribute("data-sending-label")
      : this.buttonLabel;
  };

  CallbackForm.prototype.onSubmit = function (event) {
    event.preventDefault();
    if (this.sending) return; // a second click while sending sends nothing
    var problems = this.check();
    if (problems.length) {
      this.showProblems(problems);
      return;
    }
    this.send();
  };

  CallbackForm.prototype.send = function () {
    var self = this;
    var data = new URLSearchParams(new FormData(this.form));
    data.set("phone", normalisePhone(this.field("phone").value));
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, this.timeoutMs);
    this.setSending(true);
    fetch(this.form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      signal: controller.signal
    })
      .then(function (response) {
        return response.json().then(
          function (body) { return { response: response, body: body || {} }; },
          function () { return { response: response, body: {} }; }
        );
      })
      .then(function (result) {
        var status = result.response.status;
        var errors = result.body.errors;
        if (result.response.ok) {
          self.showDone();
        } else if (status >= 400 && status < 500 && Array.isArray(errors) && errors.length) {
          self.showProblems(errors.map(function (error) {
            return { name: error.field, message: error.message };
          }));
        } else {
          self.showFailure();
        }
      }, function () {
        self.showFailure(); // network error, endpoint down, or our time-out
      })
      .then(function () {
        clearTimeout(timer);
        self.setSending(false);
      });
  };

  var forms = document.querySelectorAll("[data-module='callback-form']");
  for (var i = 0; i < forms.length; i++) new CallbackForm(forms[i]);
})();
