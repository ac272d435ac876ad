/* global document, window, location, history, sessionStorage, navigator, DOMParser, EventSource */
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
// The overlay lists errors, then warnings; each place links to the writer's
// editor (href from the server, built from the config's `editorUrl`).
//
// The Pages view draws /memo.pdf — the PDF `memo build` prints, from the same
// session — with pdf.js (/pdfjs/), page by page on canvases, with thumbnails
// and the PDF outline's sections and their pages. The view and page live in
// the URL hash (#pages/3), so a reload keeps the place. Once the Pages view
// has been opened in this tab, every new version is printed and drawn.
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
  const summary = document.getElementById('summary');
  const pageOf = document.getElementById('page-of');
  const tabScreen = document.getElementById('tab-screen');
  const tabPages = document.getElementById('tab-pages');
  const pagesPanel = document.getElementById('pages');
  const sheets = document.getElementById('sheets');
  const thumbs = document.getElementById('thumbs');
  const sectionsList = document.getElementById('sections');
  const pagesNote = document.getElementById('pages-note');
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

  // ---- Problems: errors before warnings, each place a link to the editor ----

  const copyButton = (position) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    // The label is CSS content, so the item's text stays `line:column: message [rule]`.
    button.setAttribute('aria-label', `Copy position ${position}`);
    button.title = position;
    button.addEventListener('click', () => {
      const done = (state) => {
        button.dataset.state = state;
        setTimeout(() => delete button.dataset.state, 2000);
      };
      const select = () => {
        // No clipboard access: show the position selected, for Ctrl-C.
        const field = document.createElement('input');
        field.readOnly = true;
        field.className = 'position';
        field.value = position;
        field.size = Math.min(position.length, 60);
        button.replaceWith(field);
        field.select();
      };
      if (navigator.clipboard?.writeText) {
        navigator.clipboard.writeText(position).then(() => done('copied'), select);
      } else select();
    });
    return button;
  };

  const problemItem = (problem) => {
    const item = document.createElement('li');
    item.className = problem.severity;
    const line = document.createElement('span');
    line.className = 'line';
    if (problem.place !== undefined) {
      const place = document.createElement(problem.href === undefined ? 'span' : 'a');
      place.className = 'place';
      place.textContent = problem.place;
      if (problem.href !== undefined) {
        place.href = problem.href;
        place.title = `Open ${problem.position} in the editor`;
      }
      line.append(place, ': ');
    }
    line.append(problem.reason);
    if (problem.rule !== undefined) {
      const rule = document.createElement('span');
      rule.className = 'rule';
      rule.textContent = ` [${problem.rule}]`;
      line.append(rule);
    }
    item.append(line);
    if (problem.position !== undefined) item.append(copyButton(problem.position));
    return item;
  };

  const fill = (list, problems) => {
    list.replaceChildren(...problems.map(problemItem));
  };

  const count = (problems, severity) => problems.filter((p) => p.severity === severity).length;
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  const fillOverlay = (problems) => {
    overlayList.replaceChildren();
    for (const [severity, heading] of [
      ['error', 'Errors'],
      ['warning', 'Warnings'],
    ]) {
      const group = problems.filter((p) => p.severity === severity);
      if (group.length === 0) continue;
      const title = document.createElement('h2');
      title.textContent = `${heading} (${group.length})`;
      const list = document.createElement('ol');
      list.className = severity;
      fill(list, group);
      overlayList.append(title, list);
    }
  };

  // ---- Status line ----

  let stats;
  let warningCount = 0;
  let pageCount;
  const summarize = () => {
    const parts = [];
    if (stats !== undefined) {
      parts.push(plural(stats.words, 'word'));
      parts.push(pageCount === undefined ? 'pages: open Pages' : plural(pageCount, 'page'));
      parts.push(plural(stats.notes, 'note'));
      const recs = stats.recommendations;
      const total = recs.reduce((sum, r) => sum + r.count, 0);
      parts.push(
        total === 0
          ? '0 recommendations'
          : `${plural(total, 'recommendation')}: ${recs.map((r) => `${r.count} ${r.label.toLowerCase()}`).join(', ')}`,
      );
    }
    parts.push(plural(warningCount, 'warning'));
    summary.textContent = parts.join(' · ');
  };

  // ---- Views: Screen (the HTML) and Pages (the printed PDF) ----

  const hashView = () => {
    const match = /^#pages(?:\/(\d+))?$/u.exec(location.hash);
    return match ? { view: 'pages', page: Number(match[1] ?? 1) } : { view: 'screen', page: 1 };
  };
  let { view, page: currentPage } = hashView();
  let pagesUsed = view === 'pages' || sessionStorage.getItem('memo-preview-pages') === '1';

  const remember = () => {
    const hash = view === 'pages' ? `#pages/${currentPage}` : '#screen';
    if (location.hash !== hash) history.replaceState(null, '', hash);
  };

  const showView = (next) => {
    view = next;
    const pages = view === 'pages';
    tabScreen.setAttribute('aria-selected', String(!pages));
    tabPages.setAttribute('aria-selected', String(pages));
    stage.hidden = pages;
    pagesPanel.hidden = !pages;
    pageOf.hidden = !pages;
    remember();
    if (pages) {
      pagesUsed = true;
      sessionStorage.setItem('memo-preview-pages', '1');
      // Drawn while hidden (for the page count) is drawn too small: draw again.
      const stale =
        pagesPanel.dataset.version !== wanted || pagesPanel.dataset.width !== String(pageWidth());
      if (stale) updatePages(wanted, true);
      else scrollToPage(currentPage);
    }
  };

  const sheetOf = (number) => sheets.querySelector(`[data-page="${number}"]`);
  const scrollToPage = (number) => {
    const sheet = sheetOf(number) ?? sheetOf(1);
    if (sheet) sheets.scrollTop = number <= 1 ? 0 : sheet.offsetTop - 16;
  };
  const markPage = (number) => {
    currentPage = number;
    pageOf.textContent = `Page ${number} of ${pageCount ?? '?'}`;
    for (const thumb of thumbs.children) {
      thumb.classList.toggle('current', thumb.dataset.page === String(number));
    }
    remember();
  };
  sheets.addEventListener('scroll', () => {
    const middle = sheets.scrollTop + sheets.clientHeight / 3;
    let number = 1;
    for (const sheet of sheets.children) {
      if (sheet.offsetTop - sheets.offsetTop <= middle) number = Number(sheet.dataset.page);
    }
    if (number !== currentPage) markPage(number);
  });

  let pdfjs; // the module, loaded on first use
  let worker; // one pdf.js worker for the whole visit
  let pdf; // the document shown
  let pagesWanted;
  let pagesRun = 0; // counts drawings: only the latest one may touch the page

  const note = (text) => {
    pagesNote.textContent = text;
    pagesNote.hidden = text === '';
  };

  /** The outline's entries with the page each starts on (1-based), depth first. */
  const sectionsOf = async (doc) => {
    const entries = [];
    const visit = async (items, depth) => {
      for (const item of items ?? []) {
        let page;
        try {
          const dest =
            typeof item.dest === 'string' ? await doc.getDestination(item.dest) : item.dest;
          if (Array.isArray(dest) && dest[0] != null) page = (await doc.getPageIndex(dest[0])) + 1;
        } catch {
          page = undefined;
        }
        entries.push({ title: item.title, depth, page });
        await visit(item.items, depth + 1);
      }
    };
    await visit(await doc.getOutline(), 0);
    // Chromium builds the outline from the headings, in order, but sometimes
    // doubles a title's text; the memo's own headings give the words.
    const headings = documentOf(frame)?.querySelectorAll('h1, h2, h3, h4, h5, h6') ?? [];
    if (headings.length === entries.length) {
      headings.forEach((heading, index) => {
        entries[index].title = heading.textContent.replace(/\s+/gu, ' ').trim();
      });
    }
    return entries;
  };

  /** Draw `pdfPage` into `sheet` (sized beforehand) and its thumbnail. */
  const drawPage = async (pdfPage, sheet, thumb, scale) => {
    const ratio = window.devicePixelRatio || 1;
    const viewport = pdfPage.getViewport({ scale: scale * ratio });
    const canvas = document.createElement('canvas');
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await pdfPage.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
    sheet.replaceChildren(canvas);
    const small = thumb.querySelector('canvas');
    small.getContext('2d').drawImage(canvas, 0, 0, small.width, small.height);
  };

  /** An empty page of the right size, and its thumbnail. */
  const blankPage = (number, total, size) => {
    const sheet = document.createElement('div');
    sheet.className = 'sheet';
    sheet.dataset.page = String(number);
    sheet.setAttribute('role', 'img');
    sheet.setAttribute('aria-label', `Page ${number} of ${total}`);
    sheet.style.width = `${size.width}px`;
    sheet.style.height = `${size.height}px`;
    const thumb = document.createElement('li');
    thumb.dataset.page = String(number);
    const button = document.createElement('button');
    button.type = 'button';
    button.setAttribute('aria-label', `Page ${number}`);
    const small = document.createElement('canvas');
    small.width = 120;
    small.height = Math.round((size.height / size.width) * 120);
    const label = document.createElement('span');
    label.textContent = String(number);
    button.append(small, label);
    button.addEventListener('click', () => {
      scrollToPage(number);
      markPage(number);
    });
    thumb.append(button);
    return { sheet, thumb };
  };

  const sectionItem = (section) => {
    const item = document.createElement('li');
    item.style.paddingLeft = `${section.depth}rem`;
    if (section.page !== undefined) item.dataset.page = String(section.page);
    const button = document.createElement('button');
    button.type = 'button';
    const title = document.createElement('span');
    title.className = 'title';
    title.textContent = section.title;
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = section.page === undefined ? '' : `p. ${section.page}`;
    button.append(title, where);
    if (section.page !== undefined) {
      button.addEventListener('click', () => {
        scrollToPage(section.page);
        markPage(section.page);
      });
    }
    item.append(button);
    return item;
  };

  /** The width pages are drawn at: the panel's, within bounds (it is 0 while hidden). */
  const pageWidth = () => Math.min(900, Math.max(320, sheets.clientWidth - 48));

  const updatePages = async (version, again = false) => {
    if (pagesWanted === version && !again) return;
    pagesWanted = version;
    pagesRun += 1;
    const run = pagesRun;
    const current = () => run === pagesRun;
    pagesPanel.dataset.state = 'loading';
    try {
      const response = await fetch('/memo.pdf', { cache: 'no-store' });
      if (!response.ok) {
        if (current()) {
          note((await response.text()).trim());
          pagesPanel.dataset.state = 'failed';
          pagesWanted = undefined;
        }
        return;
      }
      const data = new Uint8Array(await response.arrayBuffer());
      pdfjs ??= await import('/pdfjs/pdf.min.mjs');
      pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.min.mjs';
      worker ??= new pdfjs.PDFWorker();
      const doc = await pdfjs.getDocument({
        data,
        worker,
        isEvalSupported: false,
        enableXfa: false,
      }).promise;
      if (!current()) {
        doc.destroy();
        return;
      }
      const superseded = () => {
        if (current()) return false;
        doc.destroy();
        return true;
      };
      const width = pageWidth();
      const total = doc.numPages;
      const keep = Math.min(currentPage, total);
      const [pdfPages, sections] = await Promise.all([
        Promise.all(Array.from({ length: total }, (_, i) => doc.getPage(i + 1))),
        sectionsOf(doc),
      ]);
      if (superseded()) return;
      const scale = width / pdfPages[0].getViewport({ scale: 1 }).width;
      const blanks = pdfPages.map((pdfPage, i) => {
        const { width: w, height: h } = pdfPage.getViewport({ scale });
        return blankPage(i + 1, total, { width: Math.floor(w), height: Math.floor(h) });
      });
      // The page in view first: it replaces the old pages as soon as it is drawn.
      const draw = (number) =>
        drawPage(pdfPages[number - 1], blanks[number - 1].sheet, blanks[number - 1].thumb, scale);
      await draw(keep);
      if (superseded()) return;
      sheets.replaceChildren(...blanks.map((blank) => blank.sheet));
      thumbs.replaceChildren(...blanks.map((blank) => blank.thumb));
      sectionsList.replaceChildren(...sections.map(sectionItem));
      pdf?.destroy();
      pdf = doc;
      pageCount = total;
      note('');
      scrollToPage(keep);
      markPage(keep);
      summarize();
      pagesPanel.dataset.version = version;
      pagesPanel.dataset.width = String(width);
      pagesPanel.dataset.pages = String(total);
      pagesPanel.dataset.state = 'ready';
      // Then the others, nearest first.
      const rest = Array.from({ length: total }, (_, i) => i + 1)
        .filter((number) => number !== keep)
        .sort((x, y) => Math.abs(x - keep) - Math.abs(y - keep));
      for (const number of rest) {
        if (!current()) return;
        await draw(number);
      }
      if (current()) pagesPanel.dataset.drawn = version;
    } catch (error) {
      if (current()) {
        note(`The pages could not be shown: ${error instanceof Error ? error.message : error}`);
        pagesPanel.dataset.state = 'failed';
        pagesWanted = undefined;
      }
    }
  };

  // A new window width: draw the pages again at the new size, once resizing pauses.
  let resizing;
  window.addEventListener('resize', () => {
    clearTimeout(resizing);
    resizing = setTimeout(() => {
      const drawnAt = pagesPanel.dataset.width;
      if (view === 'pages' && drawnAt !== undefined && drawnAt !== String(pageWidth())) {
        updatePages(wanted, true);
      }
    }, 200);
  });

  tabScreen.addEventListener('click', () => showView('screen'));
  tabPages.addEventListener('click', () => showView('pages'));
  window.addEventListener('hashchange', () => {
    const next = hashView();
    currentPage = next.page;
    showView(next.view);
  });

  // ---- Server events ----

  const source = new EventSource('/events');
  source.addEventListener('open', () => {
    status.hidden = true;
  });
  source.addEventListener('reload', (event) => {
    const version = String(JSON.parse(event.data));
    reload(version);
    if (pagesUsed) updatePages(version);
  });
  source.addEventListener('error', (event) => {
    // EventSource also fires a plain `error` (no data) when the connection
    // drops; it reconnects by itself.
    if (typeof event.data !== 'string') {
      status.hidden = false;
      return;
    }
    const { path, problems } = JSON.parse(event.data);
    const warned = count(problems, 'warning');
    overlayTitle.textContent = `${path}: ${plural(count(problems, 'error'), 'error')}${warned === 0 ? '' : `, ${plural(warned, 'warning')}`}`;
    fillOverlay(problems);
    overlay.hidden = false;
    warnings.hidden = true;
    warningCount = warned;
    summarize();
  });
  source.addEventListener('ok', (event) => {
    const data = JSON.parse(event.data);
    overlay.hidden = true;
    document.title = `${data.title} — memo preview`;
    fill(warningsList, data.problems);
    warningsTitle.textContent = `${data.path}: ${plural(data.problems.length, 'warning')}`;
    warnings.hidden = data.problems.length === 0;
    stats = data.stats;
    warningCount = data.problems.length;
    summarize();
  });

  showView(view);
})();
