/* The search page: finds articles in this language's part of the Pagefind
   index, which the build writes after Pelican (tasks.building.index_for_search).

   Only the search page loads this script (its own bundle, SEARCH_JS_FILE),
   and Pagefind's code and index are fetched from the site itself only when
   the page opens. Pagefind picks the index of the page's <html lang>, so a
   Ukrainian search never returns English pages.

   Every text shown comes from the form's data-* attributes, in the page's
   language. Results are built with textContent, never as HTML: a title or
   a summary is shown as text whatever it holds.

   The query is kept in the address (?q=…), so a search can be shared,
   reloaded and returned to with the Back button.

   Started on the element with data-module="search". */
(function () {
  "use strict";

  var RESULTS_PER_STEP = 10; // then "Show more results"
  var TYPING_PAUSE_MS = 300; // search as the visitor types, once they pause

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function Search(form) {
    this.form = form;
    this.input = form.querySelector("input[type=search]");
    this.status = document.querySelector("[data-search-status]");
    this.list = document.querySelector("[data-search-results]");
    this.texts = form.dataset;
    this.results = [];
    this.shown = 0;
    this.latest = 0; // the number of the newest search: older answers are dropped
    this.more = null;
  }

  Search.prototype.start = function () {
    var self = this;
    var sitePath = this.texts.sitePath || "";
    return import(this.texts.index + "pagefind.js").then(function (pagefind) {
      self.pagefind = pagefind;
      return pagefind.options({ baseUrl: sitePath + "/", excerptLength: 0 });
    }).then(function () {
      self.pagefind.init();
      var hint = document.querySelector("[data-search-without-script]");
      if (hint) hint.hidden = true;
      self.form.hidden = false;
      self.form.addEventListener("submit", function (event) {
        event.preventDefault();
        clearTimeout(self.timer); // this search replaces the one typing would start
        self.run(self.input.value, true);
      });
      self.input.addEventListener("input", function () {
        clearTimeout(self.timer);
        self.timer = setTimeout(function () { self.run(self.input.value, false); }, TYPING_PAUSE_MS);
      });
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) {
        self.input.value = query;
        self.run(query, false);
      }
    });
  };

  /* Search for `query`; `moveFocus`: the visitor pressed Search, so the
     status (the number of results) is where the keyboard goes next. */
  Search.prototype.run = function (query, moveFocus) {
    var self = this;
    var number = ++this.latest;
    query = query.trim();
    this.remember(query);
    this.clear();
    if (!query) {
      this.say("");
      return Promise.resolve();
    }
    this.say(this.texts.searching);
    return this.pagefind.search(query).then(function (search) {
      if (number !== self.latest) return;
      self.results = search.results;
      self.shown = 0;
      if (!self.results.length) {
        self.say(fill(self.texts.nothing, { query: query }));
        return;
      }
      // The count is said once the first results are on the page, so that
      // whoever hears it (or moves there with Enter) finds them below it.
      return self.showMore(number).then(function () {
        if (number === self.latest) self.say(fill(self.texts.found, { count: String(self.results.length) }));
      });
    }).then(function () {
      if (moveFocus && number === self.latest) {
        self.status.tabIndex = -1;
        self.status.focus();
      }
    }, function () {
      if (number === self.latest) self.say(self.texts.failed);
    });
  };

  Search.prototype.showMore = function (number) {
    var self = this;
    var next = this.results.slice(this.shown, this.shown + RESULTS_PER_STEP);
    var first = this.shown;
    this.shown += next.length;
    return Promise.all(next.map(function (result) { return result.data(); })).then(function (pages) {
      if (number !== self.latest) return;
      pages.forEach(function (page) { self.list.appendChild(self.item(page)); });
      self.showMoreButton(number);
      if (first > 0) {
        var link = self.list.children[first].querySelector("a");
        if (link) link.focus(); // the first of the new results
      }
    });
  };

  Search.prototype.item = function (page) {
    var item = document.createElement("li");
    item.className = "mc-search__result";
    var heading = document.createElement("h2");
    heading.className = "mc-search__result-title";
    var link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.meta.title || page.url;
    heading.appendChild(link);
    item.appendChild(heading);
    if (page.meta.summary) {
      var summary = document.createElement("p");
      summary.className = "mc-search__result-summary";
      summary.textContent = page.meta.summary;
      item.appendChild(summary);
    }
    return item;
  };

  Search.prototype.showMoreButton = function (number) {
    var self = this;
    if (this.more) this.more.remove();
    this.more = null;
    if (this.shown >= this.results.length) return;
    this.more = document.createElement("button");
    this.more.type = "button";
    this.more.className = "mc-button mc-search__more";
    this.more.textContent = this.texts.more;
    this.more.addEventListener("click", function () { self.showMore(number); });
    this.list.insertAdjacentElement("afterend", this.more);
  };

  Search.prototype.clear = function () {
    this.list.textContent = "";
    if (this.more) this.more.remove();
    this.more = null;
  };

  Search.prototype.say = function (text) {
    this.status.textContent = text;
  };

  Search.prototype.remember = function (query) {
    var address = new URL(window.location.href);
    if (query) address.searchParams.set("q", query);
    else address.searchParams.delete("q");
    window.history.replaceState(null, "", address);
  };

  var form = document.querySelector("[data-module=search]");
  if (!form) return;
  var search = new Search(form);
  search.start().catch(function () {
    // No index, no WebAssembly, or a browser too old for import(): say so;
    // the A to Z list below the status is the way on.
    search.say(form.dataset.failed);
  });
})();
