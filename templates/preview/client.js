/* global document, DOMParser, EventSource */
// The `memo preview` reload client. It runs in the shell page only (served
// inline, allowed by the shell's Content-Security-Policy hash), never inside
// the memo: the memo is untrusted and runs no script at all.
//
// Server-Sent Events from /events:
//   reload  data: the new version → show the new /memo.html (see below)
//   error   data: {path, problems} → show the overlay listing every problem
//   ok      data: {path, title, problems} (warnings) → hide the overlay,
//           list the warnings in the small panel
// Problems are inserted with textContent: their messages quote the source.
//
// Showing a new version, two ways:
// - Fast path, when only the body changed (the head — styles, fonts, title —
//   is the same): fetch /memo.html, parse it with DOMParser (an inert
//   document: nothing in it runs) and put its <body> in place of the frame's.
//   No new document, so no CSS re-parse or font decoding (measured: about half
//   the time of a frame load), no flash, and the scroll position stays. The
//   untrusted markup only ever enters the memo frame's document, which is
//   sandboxed without scripts: never this page's.
// - Otherwise (a style or template changed, or the frame shows something
//   else): load /memo.html into a hidden second iframe, restore the scroll
//   position, then swap it in.
(() => {
  'use strict';
  const stage = document.getElementById('stage');
  const overlay = document.getElementById('overlay');
  const overlayList = document.getElementById('overlay-problems');
  const overlayTitle = document.getElementById('overlay-title');
  const warnings = document.getElementById('warnings');
  const warningsList = document.getElementById('warnings-problems');
  const warningsTitle = document.getElementById('warnings-title');
  const status = document.getElementById('status');
  let frame = document.getElementById('memo');
  let shown = frame.dataset.version;
  let wanted = shown;
  let pending; // the hidden iframe loading a version, if any

  // The memo frame is same-origin (sandbox="allow-same-origin", no scripts), so
  // its document is reachable; after a navigation elsewhere it may not be.
  const documentOf = (target) => {
    try {
      return target.contentDocument ?? undefined;
    } catch {
      return undefined;
    }
  };

  const scrollOf = (target) => {
    const view = documentOf(target)?.defaultView;
    return view ? [view.scrollX, view.scrollY] : [0, 0];
  };

  /** Replace the body in place; false when the head differs (or anything fails). */
  const patch = async (version) => {
    const current = documentOf(frame);
    if (current?.body == null) return false;
    const response = await fetch('/memo.html', { cache: 'no-store' });
    if (!response.ok) return false;
    const next = new DOMParser().parseFromString(await response.text(), 'text/html');
    if (version !== wanted) return true; // superseded while fetching: the newer one wins
    const html = (element) => [...element.attributes].map((a) => `${a.name}=${a.value}`).join(' ');
    if (next.head.innerHTML !== current.head.innerHTML) return false;
    if (html(next.documentElement) !== html(current.documentElement)) return false;
    current.body.replaceWith(current.importNode(next.body, true));
    shown = version;
    return true;
  };

  const swapIn = (next, version) => {
    if (pending !== next) return; // a newer version started loading meanwhile
    const [x, y] = scrollOf(frame);
    documentOf(next)?.defaultView?.scrollTo(x, y);
    frame.remove();
    next.id = 'memo';
    next.classList.remove('loading');
    frame = next;
    pending = undefined;
    shown = version;
  };

  const load = (version) => {
    const next = document.createElement('iframe');
    next.className = 'memo loading';
    next.title = frame.title;
    next.setAttribute('sandbox', 'allow-same-origin');
    next.addEventListener(
      'load',
      () => {
        // Web fonts change line heights: restore the scroll once they are in.
        const fonts = documentOf(next)?.fonts.ready ?? Promise.resolve();
        const settle = () => swapIn(next, version);
        const timeout = new Promise((resolve) => setTimeout(resolve, 150));
        Promise.race([fonts, timeout]).then(settle, settle);
      },
      { once: true },
    );
    next.src = '/memo.html';
    pending = next;
    stage.append(next);
  };

  const reload = async (version) => {
    if (version === wanted) return;
    wanted = version;
    pending?.remove();
    pending = undefined;
    const patched = await patch(version).catch(() => false);
    if (!patched && version === wanted) load(version);
  };

  const fill = (list, problems) => {
    list.replaceChildren();
    for (const problem of problems) {
      const item = document.createElement('li');
      item.className = problem.severity;
      if (problem.place !== undefined) {
        const place = document.createElement('span');
        place.className = 'place';
        place.textContent = problem.place;
        item.append(place, ': ');
      }
      item.append(problem.reason);
      if (problem.rule !== undefined) {
        const rule = document.createElement('span');
        rule.className = 'rule';
        rule.textContent = ` [${problem.rule}]`;
        item.append(rule);
      }
      list.append(item);
    }
  };

  const count = (problems, severity) => problems.filter((p) => p.severity === severity).length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  const source = new EventSource('/events');
  source.addEventListener('open', () => {
    status.hidden = true;
  });
  source.addEventListener('reload', (event) => reload(String(JSON.parse(event.data))));
  source.addEventListener('error', (event) => {
    // EventSource also fires a plain `error` (no data) when the connection
    // drops; it reconnects by itself.
    if (typeof event.data !== 'string') {
      status.hidden = false;
      return;
    }
    const { path, problems } = JSON.parse(event.data);
    overlayTitle.textContent = `${path}: ${plural(count(problems, 'error'), 'error')}`;
    fill(overlayList, problems);
    overlay.hidden = false;
    warnings.hidden = true;
  });
  source.addEventListener('ok', (event) => {
    const { path, title, problems } = JSON.parse(event.data);
    overlay.hidden = true;
    document.title = `${title} — memo preview`;
    fill(warningsList, problems);
    warningsTitle.textContent = `${path}: ${plural(problems.length, 'warning')}`;
    warnings.hidden = problems.length === 0;
  });
})();
