// The SPARQL editor (/sparql) as YASGUI, when the server has YASGUI's files (api/pages/yasgui.py).
// The plain form stays in the page, hidden, and is what works wherever this script cannot run.
// Completions come from the graph (the JSON block #editor-completions, api/pages/editor_terms.py),
// queries go to this server's /sparql only, and the address bar always holds the query shown.
(function () {
  "use strict";
  var Yasgui = window.Yasgui && (window.Yasgui.default || window.Yasgui);
  var host = document.getElementById("yasgui");
  var data = document.getElementById("editor-completions");
  if (!Yasgui || !Yasgui.Yasqe || !host || !data) return;
  var terms = JSON.parse(data.textContent);
  var Yasqe = Yasgui.Yasqe;
  var endpoint = window.location.origin + "/sparql";

  // Each IRI's label, and the label of each completion as the editor writes it (prefixed or <iri>).
  var labels = {};
  var shown = {};
  [terms.classes, terms.properties].forEach(function (list) {
    list.forEach(function (t) {
      labels[t[0]] = t[1];
    });
  });
  function iris(list) {
    return list.map(function (t) {
      return t[0];
    });
  }
  // As YASQE writes a completed IRI: with the prefix typed, if the query declares it, else in <>.
  function written(yasqe, token, iri) {
    var text =
      token.tokenPrefix && token.autocompletionString && token.tokenPrefixUri
        ? token.tokenPrefix + iri.substring(token.tokenPrefixUri.length)
        : "<" + iri + ">";
    shown[text] = labels[iri] || "";
    return text;
  }
  function withLabels(yasqe, hints) {
    return hints.map(function (h) {
      h.displayText = shown[h.text] ? h.text + "  (" + shown[h.text] + ")" : h.text;
      return h;
    });
  }

  // YASQE's own completers ask prefix.cc and Linked Open Vocabularies; these answer from the graph.
  var prefixes = Object.keys(terms.prefixes)
    .sort()
    .map(function (p) {
      return p + ": <" + terms.prefixes[p] + ">";
    });
  Yasqe.forkAutocompleter("prefixes", { name: "graph-prefixes", get: prefixes, persistenceId: null }, false);
  [
    ["class", "graph-classes", terms.classes],
    ["property", "graph-properties", terms.properties],
  ].forEach(function (c) {
    Yasqe.forkAutocompleter(
      c[0],
      {
        name: c[1],
        bulk: true,
        autoShow: true,
        get: iris(c[2]),
        persistenceId: null,
        postProcessSuggestion: written,
        postprocessHints: withLabels,
      },
      false,
    );
  });

  var textarea = document.getElementById("query");
  var yasgui = new Yasgui(host, {
    persistenceId: null, // each visit starts from its address, not from tabs kept in the browser
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    copyEndpointOnNewTab: true,
    populateFromUrl: function (tab) {
      tab.requestConfig.endpoint = endpoint; // a shared link never points the editor elsewhere
      return tab;
    },
    yasqe: {
      value: textarea ? textarea.value : "",
      persistenceId: null,
      autocompleters: ["variables", "graph-prefixes", "graph-classes", "graph-properties"],
    },
  });

  // The address is the query's shareable link, and opens the editor on it (and runs it without script).
  yasgui.on("query", function (instance, tab) {
    var url = "/sparql?" + new URLSearchParams({ query: tab.getQuery() }).toString();
    window.history.replaceState(null, "", url);
  });

  // YASGUI leaves a few controls without a name; each is named as it is drawn (a new answer redraws
  // the table). Only added nodes are watched, so these attribute changes do not call this again.
  function named(selector, label) {
    host.querySelectorAll(selector).forEach(function (e) {
      if (!e.hasAttribute("aria-label")) e.setAttribute("aria-label", label);
    });
  }
  function nameControls() {
    named(".yasqe textarea", "SPARQL query");
    named(".tableSizer", "Rows per page");
    host.querySelectorAll(".yasr th .dt-column-title:empty").forEach(function (e) {
      e.textContent = "#"; // the row numbers' column
    });
    // the graph's own IRIs open their page here, as on every other page, not at w3id.org
    host.querySelectorAll('.yasr a[href^="' + terms.base + '"]').forEach(function (a) {
      a.setAttribute("href", "/" + a.getAttribute("href").substring(terms.base.length));
    });
  }
  new MutationObserver(nameControls).observe(host, { childList: true, subtree: true });
  nameControls();

  document.getElementById("plain-editor").hidden = true;
  document.getElementById("editor-help").hidden = false;
  if (new URLSearchParams(window.location.search).get("query")) {
    yasgui.getTab().query();
  }
})();
