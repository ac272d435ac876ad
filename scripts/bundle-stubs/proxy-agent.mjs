// Stands in for the `proxy-agent` package in memo-press's CLI bundle
// (scripts/ensure.mjs). puppeteer-core imports it only for downloading
// browsers (@puppeteer/browsers, httpUtil.js), which memo-press never does: it
// prints with the system's Chromium. The real package brings 1.8 MB of
// JavaScript (a JavaScript engine to evaluate PAC files among it) that every
// PDF build would otherwise load before Chromium can start.
export class ProxyAgent {
  constructor() {
    throw new Error('memo-press does not download browsers: install Chromium with apt-get');
  }
}
