/*
 * The archive's search page (archive/search/index.html): full-text search of
 * every published version, in the browser, offline, from the archive folder.
 * minisearch.js (MiniSearch) and documents.js (one document per version, made
 * by `memo publish`) are loaded before this file. Memo text is data only: the
 * results are built with textContent, never as HTML, and nothing is fetched.
 * The same functions run in Node for the tests (globalThis.memoSearch).
 */
/* global document, location, history */
(function () {
  'use strict';

  var FIELDS = ['title', 'text'];
  var STORED = ['slug', 'version', 'title', 'date', 'dateDisplay', 'current', 'href', 'text'];

  function createEngine(MiniSearch, documents) {
    var engine = new MiniSearch({ fields: FIELDS, storeFields: STORED });
    engine.addAll(documents);
    return engine;
  }

  /** `"a phrase"` (in quotes) must appear as it is written; other words anywhere, in any order. */
  function parseQuery(query) {
    var trimmed = String(query).trim();
    var phrases = [];
    var words = trimmed.replace(/"([^"]+)"/g, function (_, phrase) {
      phrases.push(phrase.toLowerCase().replace(/\s+/g, ' '));
      return ' ' + phrase + ' ';
    });
    return { words: words.trim(), phrases: phrases };
  }

  function flatten(text) {
    return String(text).toLowerCase().replace(/\s+/g, ' ');
  }

  /** The versions that match, best first: memo, version, date, link and an excerpt. */
  function search(engine, query) {
    var parsed = parseQuery(query);
    if (parsed.words === '') return [];
    var hits = engine.search(parsed.words, {
      // Prefixes, no fuzzy matching: "tribal" must not find "trial" in an archive.
      prefix: true,
      combineWith: 'AND',
      boost: { title: 2 },
    });
    return hits
      .filter(function (hit) {
        var text = flatten(hit.title + ' ' + hit.text);
        return parsed.phrases.every(function (phrase) {
          return text.indexOf(phrase) !== -1;
        });
      })
      .map(function (hit) {
        return {
          slug: hit.slug,
          version: hit.version,
          title: hit.title,
          date: hit.date,
          dateDisplay: hit.dateDisplay,
          current: hit.current,
          href: hit.href,
          excerpt: excerpt(hit.text, parsed.phrases[0] || hit.terms[0] || ''),
        };
      });
  }

  /** About 200 characters of the text around the first place `term` occurs. */
  function excerpt(text, term) {
    var flat = String(text).replace(/\s+/g, ' ');
    var at = term === '' ? 0 : flat.toLowerCase().indexOf(term.toLowerCase());
    var start = Math.max(0, (at === -1 ? 0 : at) - 80);
    var end = Math.min(flat.length, start + 200);
    return (start > 0 ? '…' : '') + flat.slice(start, end) + (end < flat.length ? '…' : '');
  }

  globalThis.memoSearch = { createEngine: createEngine, search: search };

  if (typeof document === 'undefined') return;

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function show(engine, query) {
    var list = document.getElementById('search-results');
    var status = document.getElementById('search-status');
    list.replaceChildren();
    if (query.trim() === '') {
      status.textContent = '';
      return;
    }
    var results = search(engine, query);
    status.textContent =
      results.length === 0
        ? 'No published version matches “' + query + '”.'
        : results.length +
          (results.length === 1 ? ' version matches' : ' versions match') +
          ' “' +
          query +
          '”.';
    results.forEach(function (result) {
      var item = element('li', 'search-result');
      var heading = element('p', 'result-title');
      var link = element('a', '', result.title);
      link.href = result.href;
      heading.appendChild(link);
      item.appendChild(heading);
      var facts = element(
        'p',
        'result-facts',
        result.slug + ' · version ' + result.version + ' · ' + result.dateDisplay,
      );
      if (result.current) facts.appendChild(element('span', 'current-badge', 'Current'));
      item.appendChild(facts);
      item.appendChild(element('p', 'result-excerpt', result.excerpt));
      list.appendChild(item);
    });
  }

  var engine = createEngine(globalThis.MiniSearch, globalThis.memoSearchDocuments);
  var form = document.getElementById('search-form');
  var input = document.getElementById('search-query');
  var initial = new URLSearchParams(location.search).get('q') || '';
  input.value = initial;
  show(engine, initial);
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    show(engine, input.value);
    history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
  });
  document.getElementById('search-ready').hidden = false;
  document.getElementById('search-noscript').hidden = true;
})();
